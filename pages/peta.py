"""Peta (being built)."""
import streamlit as st

from analytics import fmt
from pages import _ui

view: _ui.View = st.session_state["view"]
st.title(fmt.t("page_peta", view.lang))
_ui.dataset_banner(view)
st.info(fmt.t("under_construction", view.lang))
