"""Entry point: page set-up, the shared sidebar, and navigation between the pages."""
import streamlit as st

from analytics import fmt
from pages import _ui

st.set_page_config(page_title="Dasbor Jamsos DBHCHT Jatim", layout="wide")

view = _ui.sidebar()
st.session_state["view"] = view

PAGES = [  # (file, text key, url path)
    ("pages/ringkasan.py", "page_ringkasan", "ringkasan"),
    ("pages/peringkat.py", "page_peringkat", "peringkat"),
    ("pages/peta.py", "page_peta", "peta"),
    ("pages/tren.py", "page_tren", "tren"),
    ("pages/bandingkan.py", "page_bandingkan", "bandingkan"),
    ("pages/profil.py", "page_profil", "profil"),
    ("pages/metodologi.py", "page_metodologi", "metodologi"),
]
pages = [st.Page(path, title=fmt.t(text, view.lang), url_path=url, default=(i == 0))
         for i, (path, text, url) in enumerate(PAGES)]
st.navigation(pages).run()
