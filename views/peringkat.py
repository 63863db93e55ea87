"""Peringkat: all 38 ranked on one indicator, with rank change, sources and the regions without data."""
import streamlit as st

from analytics import charts, fmt, metrics, ranking
from analytics.export import ExportMeta
from views import _export_ui, _ui

view: _ui.View = st.session_state["view"]
lang = view.lang
catalogue = metrics.catalogue()

st.title(fmt.t("page_peringkat", lang))
_ui.dataset_banner(view)

left, right = st.columns([3, 2])
indicator_id = _ui.indicator_picker(left, lang)
jenis = _ui.bound_selectbox(right, fmt.t("jenis_filter", lang), ["semua", *ranking.JENIS], "jenis", "semua",
                            format_func=lambda key: fmt.t(f"jenis_{key}", lang))
indicator = catalogue[indicator_id]
st.caption(indicator.definition(lang))

table = _ui.ranking_table(view, indicator_id, None if jenis == "semua" else jenis)
ranked, missing = ranking.split_ranked(table)
if ranked.empty:
    st.info(fmt.t("empty_dataset", lang, year=view.year), icon="ℹ️")
else:
    fig = charts.ranking_bar(ranked, indicator, title=indicator.title(lang), subtitle=_ui.subtitle(view),
                             source=_ui.source_line(ranked, view), lang=lang, synthetic=view.synthetic,
                             highlight=_ui.flagged_regions(ranked, indicator))
    _ui.show_chart(fig, "ranking_chart", _ui.file_stem(view, "peringkat", indicator_id))
    jenis_note = () if jenis == "semua" else (f"{fmt.t('jenis_filter', lang)}: {fmt.t(f'jenis_{jenis}', lang)}",)
    gaps_note = (fmt.t("no_data_table", lang, n=len(missing)),) if len(missing) else ()
    ranking_meta = ExportMeta(
        title=indicator.title(lang), subtitle=_ui.subtitle(view), source=_ui.source_line(ranked, view),
        dataset=view.dataset, lang=lang, synthetic=view.synthetic, indicator_id=indicator_id, year=view.year,
        as_of=view.as_of, sources=_export_ui.citations(table), file_stem=_ui.file_stem(view, "peringkat", indicator_id),
        notes=(indicator.definition(lang), *jenis_note, *gaps_note, fmt.t("ranking_rule", lang)))
    _export_ui.export_panel(fig, ranking.export_frame(table, indicator), ranking_meta, "ranking")
    st.caption(fmt.t("ranked_count", lang, n=len(ranked)) + " · " + fmt.t("ranking_rule", lang))
    st.dataframe(_ui.ranked_frame(ranked, indicator, lang), hide_index=True, width="stretch", height="content",
                 column_config=_ui.table_columns(lang), key="ranking_table")

if len(missing):
    st.subheader(fmt.t("no_data_table", lang, n=len(missing)))
    st.dataframe(_ui.missing_frame(missing, lang), hide_index=True, width="stretch", height="content")
