"""Entry point: page set-up, the shared sidebar, and navigation between the pages."""
import streamlit as st

from analytics import fmt
from pages import _ui

st.set_page_config(page_title="Dasbor Jamsos DBHCHT Jatim", layout="wide")

view = _ui.sidebar()
st.session_state["view"] = view

pages = [
    st.Page("pages/ringkasan.py", title=fmt.t("page_ringkasan", view.lang), url_path="ringkasan", default=True),
    st.Page("pages/peringkat.py", title=fmt.t("page_peringkat", view.lang), url_path="peringkat"),
]
st.navigation(pages).run()
