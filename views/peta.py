"""Peta: the 38 kab/kota coloured by one indicator, on real boundaries or equal tiles; a click opens
the profile, the region search outlines regions and states their value and rank under the map."""

import streamlit as st

from analytics import fmt, map_shapes, maps, metrics, ranking
from views import _export_ui, _ui

SEARCH_KEY, SEARCH_PARAM = "peta_sorot", "sorot"  # remembered for this page; in the URL as ?sorot=3509,3573


def _shapes(kind: str, lang: str) -> map_shapes.Shapes:
    """The geometry for the chosen map; the tile grid, with a note, when there are no usable boundaries."""
    try:
        shapes = map_shapes.shapes_for(kind)
    except (OSError, ValueError) as error:  # JAMSOS_GEO missing, unreadable or not the 38 regions
        st.warning(fmt.t("map_bad_boundaries", lang, error=error), icon="⚠️")
        return map_shapes.tile_shapes()
    if shapes.kind != kind:
        st.info(fmt.t("map_no_boundaries", lang), icon="ℹ️")
    return shapes


def _found(table, codes, indicator, lang: str) -> None:
    """Value and rank of each searched region, under the map (one line each)."""
    lines = []
    for region in maps.found_regions(table, codes, indicator, lang):
        name = _ui.plain_markdown(region["nama"])
        if region["nilai"] is None:
            lines.append(fmt.t("map_found_missing", lang, name=name))
        else:
            lines.append(
                fmt.t(
                    "map_found_value",
                    lang,
                    name=name,
                    value=_ui.plain_markdown(region["nilai"]),
                    rank=_ui.plain_markdown(region["peringkat"] or ""),
                )
            )
    if lines:
        st.markdown("  \n".join(lines))


view: _ui.View = st.session_state["view"]
lang = view.lang
catalogue = metrics.catalogue()
phone = _ui.is_phone()

st.title(fmt.t("page_peta", lang))
_ui.dataset_banner(view)

left, middle, right = st.columns([3, 2, 3])
indicator_id = _ui.indicator_picker(left, lang)
kind = _ui.bound_selectbox(
    middle,
    fmt.t("map_kind", lang),
    list(map_shapes.KINDS),
    "jenis_peta",
    "peta",
    format_func=lambda key: fmt.t(f"map_kind_{key}", lang),
)
searched = _ui.bound_regions(right, fmt.t("map_search", lang), SEARCH_KEY, [], param=SEARCH_PARAM)
indicator = catalogue[indicator_id]
st.caption(indicator.definition(lang))

table = _ui.ranking_table(view, indicator_id)
ranked, missing = ranking.split_ranked(table)
if ranked.empty:  # says why: no figures for the year at all, or which inputs this indicator lacks
    st.info(_ui.empty_indicator_message(view, indicator), icon="ℹ️")
else:
    shapes = _shapes(kind, lang)
    figure_args = dict(
        title=indicator.title(lang),
        subtitle=_ui.subtitle(view),
        source=_ui.source_line(ranked, view),
        lang=lang,
        synthetic=view.synthetic,
        highlight=tuple(searched),
    )
    choices = (indicator_id, shapes.kind, phone, tuple(searched))
    fig = _ui.memo_figure(
        ("peta", view, *choices), lambda: maps.map_figure(table, indicator, shapes, compact=phone, **figure_args)
    )
    event = _ui.show_chart(
        fig, "map_chart", _ui.file_stem(view, "peta", indicator_id), on_select="rerun", selection_mode="points"
    )
    chosen = maps.selected_region(event)
    if chosen:
        st.switch_page("views/profil.py", query_params=_ui.view_params(view, wilayah=chosen))
    _found(table, searched, indicator, lang)
    stem = _ui.file_stem(view, "peta" if shapes.kind == "peta" else "petak", indicator_id)
    gaps_note = (fmt.t("no_data_table", lang, n=len(missing)),) if len(missing) else ()
    map_meta = _export_ui.view_meta(
        view,
        table,
        title=indicator.title(lang),
        subtitle=_ui.subtitle(view),
        source=_ui.source_line(ranked, view),
        indicator_id=indicator_id,
        file_stem=stem,
        notes=(indicator.definition(lang), *gaps_note, fmt.t("footer_boundaries", lang)),
    )
    # exports are laid out for print from the full figure, also when the screen shows the phone one
    if phone:
        export_fig = _ui.memo_figure(
            ("peta_cetak", view, *choices), lambda: maps.map_figure(table, indicator, shapes, **figure_args)
        )
    else:
        export_fig = fig
    frame = _ui.page_model(view, "peta", choices, lambda: ranking.export_frame(table, indicator))
    _export_ui.export_panel(export_fig, frame, map_meta, "map", embed="map_chart")
    tiles = shapes.kind == "petak"
    if phone:
        notes = [fmt.t("map_tiles_note_compact" if tiles else "map_labels_note_compact", lang)]
    else:
        notes = [fmt.t("map_hint", lang), fmt.t("map_tiles_note", lang) if tiles else fmt.t("map_labels_note", lang)]
    st.caption(" ".join(notes))
    top = ranked.iloc[0]
    st.page_link(
        "views/profil.py",
        label=fmt.t("map_top_profile", lang, name=top["nama"]),
        query_params=_ui.view_params(view, wilayah=top["kode"]),
    )
    if len(missing):
        st.caption(fmt.t("map_missing", lang, n=len(missing), names=", ".join(missing["nama_pendek"])))
