"""Peta: the 38 kab/kota coloured by one indicator, on real boundaries or equal tiles; a click opens the profile."""
import streamlit as st

from analytics import fmt, maps, metrics, ranking
from analytics.export import ExportMeta
from views import _export_ui, _ui


def _shapes(kind: str, lang: str) -> maps.Shapes:
    """The geometry for the chosen map; the tile grid, with a note, when there are no usable boundaries."""
    try:
        shapes = maps.shapes_for(kind)
    except (OSError, ValueError) as error:  # JAMSOS_GEO missing, unreadable or not the 38 regions
        st.warning(fmt.t("map_bad_boundaries", lang, error=error), icon="⚠️")
        return maps.tile_shapes()
    if shapes.kind != kind:
        st.info(fmt.t("map_no_boundaries", lang), icon="ℹ️")
    return shapes


view: _ui.View = st.session_state["view"]
lang = view.lang
catalogue = metrics.catalogue()

st.title(fmt.t("page_peta", lang))
_ui.dataset_banner(view)

left, right = st.columns([3, 2])
indicator_id = _ui.indicator_picker(left, lang)
kind = _ui.bound_selectbox(right, fmt.t("map_kind", lang), list(maps.KINDS), "jenis_peta", "peta",
                           format_func=lambda key: fmt.t(f"map_kind_{key}", lang))
indicator = catalogue[indicator_id]
st.caption(indicator.definition(lang))

table = _ui.ranking_table(view, indicator_id)
ranked, missing = ranking.split_ranked(table)
if ranked.empty:
    dataset_empty = _ui.ranking_table(view, "peserta_dbhcht")["nilai"].isna().all()
    st.info(fmt.t("empty_dataset", lang, year=view.year) if dataset_empty
            else fmt.t("map_no_values", lang, year=view.year, asof=fmt.date(view.as_of, lang)), icon="ℹ️")
else:
    shapes = _shapes(kind, lang)
    fig = maps.map_figure(table, indicator, shapes, title=indicator.title(lang), subtitle=_ui.subtitle(view),
                          source=_ui.source_line(ranked, view), lang=lang, synthetic=view.synthetic)
    event = _ui.show_chart(fig, "map_chart", _ui.file_stem(view, "peta", indicator_id),
                           on_select="rerun", selection_mode="points")
    chosen = maps.selected_region(event)
    if chosen:
        st.switch_page("views/profil.py", query_params=_ui.view_params(view, wilayah=chosen))
    stem = _ui.file_stem(view, "peta" if shapes.kind == "peta" else "petak", indicator_id)
    gaps_note = (fmt.t("no_data_table", lang, n=len(missing)),) if len(missing) else ()
    map_meta = ExportMeta(
        title=indicator.title(lang), subtitle=_ui.subtitle(view), source=_ui.source_line(ranked, view),
        dataset=view.dataset, lang=lang, synthetic=view.synthetic, indicator_id=indicator_id, year=view.year,
        as_of=view.as_of, sources=_export_ui.citations(table), file_stem=stem,
        notes=(indicator.definition(lang), *gaps_note, fmt.t("footer_boundaries", lang)))
    _export_ui.export_panel(fig, ranking.export_frame(table, indicator), map_meta, "map")
    st.caption(fmt.t("map_hint", lang) + (" " + fmt.t("map_tiles_note", lang) if shapes.kind == "petak" else ""))
    top = ranked.iloc[0]
    st.page_link("views/profil.py", label=fmt.t("map_top_profile", lang, name=top["nama"]),
                 query_params=_ui.view_params(view, wilayah=top["kode"]))
    if len(missing):
        st.caption(fmt.t("map_missing", lang, n=len(missing), names=", ".join(missing["nama_pendek"])))
