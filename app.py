"""Entry point: page set-up, the shared sidebar, and navigation between the pages."""

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import StopException

from analytics import fmt
from views import _downloads, _embed, _pages, _state, _ui

st.set_page_config(page_title="Dasbor Jamsos DBHCHT Jatim", layout="wide")
_downloads.keep_generated_files()  # a download clicked under load is still there when fetched
_ui.accessible_style()
_state.begin_run()

view = _ui.sidebar()
st.session_state["view"] = view

pages = [
    st.Page(path, title=fmt.t(text, view.lang), url_path=url, default=(i == 0))
    for i, (path, text, url) in enumerate(_pages.PAGES)
]
page = st.navigation(pages)
st.session_state[_state.PAGE] = page.url_path  # widget keys of the page carry it (views/_state.py)
_embed.begin()  # ?sematkan=<chart>: that chart alone, for an iframe elsewhere
try:
    page.run()
except StopException:  # st.stop() ends a page early: its URL is complete all the same
    _embed.credit(view)
    _state.end_run()
    raise
else:
    _embed.credit(view)
    _state.end_run()
# A page switch (RerunException) skips end_run: the next run must read the switch's query string.
