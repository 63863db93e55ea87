"""Metodologi & Sumber: indicator definitions from the catalogue, rules, ranking method, datasets, boundaries."""

import streamlit as st

from analytics import fmt, methodology, metrics
from views import _tables, _ui

view: _ui.View = st.session_state["view"]
lang = view.lang
text = methodology.texts()

st.title(fmt.t("page_metodologi", lang))
st.markdown(text["pengantar"][lang])

st.header(text["judul_indikator"][lang])
for indicator in metrics.catalogue().values():
    st.subheader(indicator.title(lang), anchor=indicator.id)
    st.markdown(indicator.definition(lang))
    st.caption(" · ".join(methodology.indicator_facts(indicator, lang, text)))

st.header(text["judul_aturan"][lang])
st.dataframe(
    methodology.rules_frame(lang),
    hide_index=True,
    width="stretch",
    height="content",
    column_config={"Tautan" if lang == "id" else "Link": st.column_config.LinkColumn(display_text="↗")},
)

st.header(text["judul_peringkat"][lang])
st.markdown(text["peringkat"][lang])

st.header(text["judul_dataset"][lang])
st.markdown(text["dataset"][lang])
st.caption(text["status_dataset"][lang])
st.dataframe(_tables.dataset_status_frame(lang), hide_index=True, width="stretch")

st.header(text["judul_batas"][lang])
st.markdown(text["batas"][lang])
