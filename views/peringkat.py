"""Peringkat: all 38 ranked on one indicator, with rank change, sources and the regions without data."""

import streamlit as st

from analytics import charts, fmt, metrics, ranking
from views import _export_ui, _tables, _ui

view: _ui.View = st.session_state["view"]
lang = view.lang
catalogue = metrics.catalogue()


def evidence_panel(row) -> None:
    """Everything behind the value of the selected row: the figure, its note and every quote with its link."""
    indicator = catalogue[indicator_id]
    st.markdown(
        f"**{_ui.plain_markdown(row['nama'])}** — {_ui.plain_markdown(_tables.figure_text(row, indicator, lang))}"
    )
    if isinstance(row["catatan"], str) and row["catatan"]:
        st.caption(_ui.plain_markdown(row["catatan"]))
    found = ranking.evidence(_ui.tables(view.dataset), row["obs_id"])
    if found.empty:
        st.caption(fmt.t("evidence_none", lang))
    for item in found.to_dict("records"):
        quote = item["kutipan"] if isinstance(item["kutipan"], str) and item["kutipan"] else "–"
        st.markdown(f"> {_ui.plain_markdown(quote)}")
        link = f" · [{fmt.t('col_link', lang)} ↗]({item['url']})" if item["url"].startswith("http") else ""
        st.caption(_ui.plain_markdown(_ui.cite(item["sumber"], view)) + link)


st.title(fmt.t("page_peringkat", lang))
_ui.dataset_banner(view)

left, right = st.columns([3, 2])
indicator_id = _ui.indicator_picker(left, lang)
jenis = _ui.bound_selectbox(
    right,
    fmt.t("jenis_filter", lang),
    ["semua", *ranking.JENIS],
    "peringkat_jenis",
    "semua",
    param="jenis",
    format_func=lambda key: fmt.t(f"jenis_{key}", lang),
)
indicator = catalogue[indicator_id]
st.caption(indicator.definition(lang))

table = _ui.ranking_table(view, indicator_id, None if jenis == "semua" else jenis)
ranked, missing = ranking.split_ranked(table)
if ranked.empty:
    st.info(_ui.empty_indicator_message(view, indicator), icon="ℹ️")
else:
    change_rule = fmt.t("rank_change_rule", lang, n=int(ranked["jumlah_sebanding"].iloc[0]), previous=view.year - 1)
    partial = (fmt.t("partial_legend", lang),) if ranked["bulan_cakupan"].notna().any() else ()
    choices, texts = (indicator_id, jenis), _ui.chart_texts(view, indicator.title(lang), ranked)
    fig = _ui.memo_figure(
        ("peringkat", view, *choices),
        lambda: charts.ranking_bar(
            ranked,
            indicator,
            **texts,
            lang=lang,
            synthetic=view.synthetic,
            highlight=_tables.flagged_regions(ranked, indicator),
        ),
    )
    shown = _ui.page_model(  # the data file and the table, as the page prints them
        view,
        "peringkat",
        choices,
        lambda: (ranking.export_frame(table, indicator, lang), _tables.ranked_frame(ranked, indicator, view)),
    )
    _ui.show_chart(fig, "ranking_chart", _ui.file_stem(view, "peringkat", indicator_id))
    jenis_note = () if jenis == "semua" else (f"{fmt.t('jenis_filter', lang)}: {fmt.t(f'jenis_{jenis}', lang)}",)
    gaps_note = (fmt.t("no_data_table", lang, n=len(missing)),) if len(missing) else ()
    ranking_meta = _export_ui.view_meta(
        view,
        table,
        **texts,
        indicator_id=indicator_id,
        file_stem=_ui.file_stem(view, "peringkat", indicator_id),
        notes=(indicator.definition(lang), *jenis_note, *gaps_note, *partial, fmt.t("ranking_rule", lang), change_rule),
    )
    _export_ui.export_panel(fig, shown[0], ranking_meta, "ranking", embed="ranking_chart")
    st.caption(
        " · ".join(
            [
                fmt.t("ranked_count", lang, n=len(ranked)),
                fmt.t("ranking_rule", lang),
                change_rule,
                *partial,
                fmt.t("ranking_select_hint", lang),
            ]
        )
    )
    columns = _tables.table_columns(lang, pinned=(fmt.t("col_rank", lang), fmt.t("col_region", lang)))
    columns[fmt.t("col_note", lang)] = st.column_config.TextColumn(width="large")  # 'cakupan 3 bulan (Okt–Des …)'
    event = st.dataframe(
        shown[1],
        hide_index=True,
        width="stretch",
        height="content",
        column_config=columns,
        key="ranking_table",
        on_select="rerun",
        selection_mode="single-row",
    )
    chosen = event.selection.rows if event else []
    if chosen:
        with st.container(border=True):
            evidence_panel(ranked.iloc[chosen[0]])

if len(missing) and len(ranked):
    st.subheader(fmt.t("no_data_table", lang, n=len(missing)))
    st.dataframe(
        _tables.missing_frame(missing, lang),
        hide_index=True,
        width="stretch",
        height="content",
        column_config=_tables.table_columns(lang, pinned=(fmt.t("col_region", lang),)),
    )
