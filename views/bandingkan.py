"""Bandingkan: 2–6 regions side by side on every indicator (value, rank among 38 and within type),
a small chart per indicator, and suggested peers for the first region. The chart, its export
panel and the peer buttons: views/_bandingkan_ui.py; the table: analytics.compare_tables."""

import streamlit as st

from analytics import fmt, metrics, ranking, series
from views import _bandingkan_ui, _tables, _ui

view: _ui.View = st.session_state["view"]
lang = view.lang
catalogue = metrics.catalogue()


def tx(key: str, **kwargs) -> str:
    return fmt.t(key, lang, **kwargs)


def default_regions() -> list[str]:
    ranked, _ = ranking.split_ranked(_ui.ranking_table(view, "peserta_dbhcht"))
    top = list(ranked["kode"].head(3))
    return top if len(top) >= 2 else ["3513", "3574"]


st.title(fmt.t("page_bandingkan", lang))
_ui.dataset_banner(view)
data = _ui.tables(view.dataset)
has_data = series.has_data(data)
if not has_data:
    st.info(_ui.empty_dataset_message(view), icon="ℹ️")

codes = _ui.bound_regions(
    st, tx("bandingkan_regions"), _bandingkan_ui.KEY, default_regions(), max_selections=_bandingkan_ui.MAX_REGIONS
)
model = _bandingkan_ui.model(view, codes, has_data)
if len(codes) < 2:
    st.info(tx("bandingkan_need_two"), icon="ℹ️")
elif has_data:
    _tables.wide_table(model.table, "bandingkan_table", lang)
    st.caption(tx("bandingkan_table_caption"))
    _bandingkan_ui.comparison_chart(view, model, codes)
if codes:
    _bandingkan_ui.suggestions(view, codes[0], codes, model.peers)
