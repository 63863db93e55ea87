"""Ringkasan: province KPI cards, the top-10 chart, dataset label, as-of date and data gaps."""

import streamlit as st

from analytics import charts, fmt, metrics, ranking
from views import _export_ui, _tables, _ui

view: _ui.View = st.session_state["view"]
lang = view.lang
INDICATOR = "peserta_dbhcht"

st.title(fmt.t("app_title", lang))
st.caption(fmt.t("app_subtitle", lang))
_ui.dataset_banner(view)

indicator = metrics.catalogue()[INDICATOR]
table = _ui.ranking_table(view, INDICATOR)
ranked, missing = ranking.split_ranked(table)
if ranked.empty:
    st.info(_ui.empty_indicator_message(view, indicator), icon="ℹ️")
    st.stop()

summary = _ui.page_model(view, "ringkasan", (), lambda: _tables.province_summary(view, table))
cards = st.columns(4, border=True)
cards[0].metric(
    fmt.t("kpi_total", lang),
    fmt.number(summary["total"], 0, lang),
    delta=summary["delta_text"],
    help=fmt.t("kpi_total_help", lang),
)
cards[1].metric(
    fmt.t("kpi_regions", lang),
    f"{len(ranked)} / 38",
    delta=fmt.t("kpi_gaps", lang, n=len(missing)),
    delta_color="off",
    delta_arrow="off",
)
cards[2].metric(
    fmt.t("kpi_per1000", lang), fmt.number(summary["per_1000"], 2, lang), help=fmt.t("kpi_per1000_help", lang)
)
cards[3].metric(fmt.t("kpi_province", lang), summary["province_value"], help=summary["province_source"])

_export_ui.report_download(
    "provinsi",
    _ui.report_context(view, (INDICATOR, view.year), (INDICATOR, view.year - 1), ("peserta_per_1000", view.year)),
    INDICATOR,
    key="ringkasan_report",
)

top = ranking.top(table, 10)
texts = _ui.chart_texts(view, f"{fmt.t('top10_title', lang)}: {indicator.title(lang)}", top)
fig = _ui.memo_figure(
    ("ringkasan", view),
    lambda: charts.ranking_bar(top, indicator, **texts, lang=lang, synthetic=view.synthetic),
)
_ui.show_chart(fig, "top10", _ui.file_stem(view, "ringkasan_top10"))
top10_meta = _export_ui.view_meta(
    view,
    top,
    **texts,
    indicator_id=INDICATOR,
    notes=(fmt.t("kpi_gaps", lang, n=len(missing)),),
    file_stem=_ui.file_stem(view, "ringkasan_top10"),
)
top10_data = _ui.page_model(view, "ringkasan_top10", (), lambda: ranking.export_frame(top, indicator, lang))
_export_ui.export_panel(fig, top10_data, top10_meta, "top10", embed="top10")

with st.expander(fmt.t("gaps_title", lang, n=len(missing)), expanded=False):
    st.dataframe(_tables.missing_frame(missing, lang), hide_index=True, width="stretch")
