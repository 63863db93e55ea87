"""Bandingkan's Streamlit pieces: the chosen regions' widget key and limit, the comparison chart
(small multiples) with its export panel, and the suggested peers as buttons that add a region.
views/bandingkan.py lays the page out; analytics.compare and analytics.compare_tables compute and
word what these show."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from analytics import compare, compare_tables, fmt, geo, metrics, regions, series_charts
from views import _export_ui, _state, _tables, _ui

MAX_REGIONS = 6
KEY = "bandingkan_wilayah"


def add_region(kode: str) -> None:
    """Button callback: runs before the rerun, so the multiselect may still be changed."""
    key = _state.widget_key(KEY)
    chosen = list(st.session_state.get(key) or [])
    if kode not in chosen and len(chosen) < MAX_REGIONS:
        st.session_state[key] = [*chosen, kode]


# ---------------------------------------------------------------- the page model


@dataclass(frozen=True)
class Model:
    """What Bandingkan shows for a view and its chosen regions (the comparison only for two or
    more regions in a dataset with figures)."""

    comparison: pd.DataFrame | None  # every indicator's row for each chosen region
    table: pd.DataFrame | None  # side by side, as the page prints it
    export: pd.DataFrame | None  # the chart's data file
    source: str
    peers: pd.DataFrame | None  # suggested peers of the first region


def model(view: _ui.View, codes: list[str], has_data: bool) -> Model:
    return _ui.page_model(view, "bandingkan", (tuple(codes), has_data), lambda: _build(view, codes, has_data))


def _build(view: _ui.View, codes: list[str], has_data: bool) -> Model:
    catalogue, lang = metrics.catalogue(), view.lang
    peers = compare.suggest_peers(codes[0], population(view), geo.neighbours(), exclude=codes) if codes else None
    if len(codes) < 2 or not has_data:
        return Model(None, None, None, "", peers)
    with metrics.shared_inputs():  # the nine rankings build on the same enrolment and budgets
        rankings = {i: _ui.ranking_table(view, i) for i in catalogue}
    comparison = compare.comparison(rankings, codes)
    return Model(
        comparison=comparison,
        table=compare_tables.side_by_side(comparison, codes, catalogue, lang, _tables.figure_text),
        export=compare_tables.export_frame(comparison, catalogue, lang),
        source=_ui.source_line(comparison, view),
        peers=peers,
    )


# ---------------------------------------------------------------- chart


def comparison_chart(view: _ui.View, model: Model, codes: list[str]) -> None:
    lang, comparison = view.lang, model.comparison
    catalogue = metrics.catalogue()
    title = fmt.t("bandingkan_title", lang, n=len(codes))
    subtitle = _ui.subtitle(view)
    source = model.source
    notes = (fmt.t("bandingkan_chart_note", lang),)
    fig = _ui.memo_figure(
        ("bandingkan", view, tuple(codes)),
        lambda: series_charts.comparison_bars(
            comparison, catalogue, title=title, subtitle=subtitle, source=source, lang=lang, synthetic=view.synthetic
        ),
    )
    stem = _ui.file_stem(view, "bandingkan", *codes)
    key = (view, tuple(codes))
    panel_px = 80 + 30 * len(codes)
    _ui.show_grid(
        "bandingkan",
        key,
        list(catalogue),
        lambda ind: series_charts.as_panel(
            series_charts.comparison_bars(
                comparison,
                {ind: catalogue[ind]},
                title="",
                subtitle="",
                source="",
                lang=lang,
                synthetic=view.synthetic,
                columns=1,
            ),
            panel_px,
            view.synthetic,
            lang,
        ),
        stem,
        title=title,
        subtitle=subtitle,
        source=source,
        notes=notes,
        panel_px=panel_px,
    )
    data = model.export
    _export_ui.export_panel(
        fig,
        data,
        _export_ui.view_meta(view, data, title=title, subtitle=subtitle, source=source, notes=notes, file_stem=stem),
        key="bandingkan_export",
        embed="bandingkan",
    )


# ---------------------------------------------------------------- peers


def population(view: _ui.View) -> pd.Series:
    """Population of the view's dataset; an empty dataset borrows the published (Dukcapil) counts."""
    pop = compare.population(_ui.tables(view.dataset)["denominator"], view.year)
    return pop if len(pop) else compare.population(_ui.tables("publikasi")["denominator"], view.year)


def peer_buttons(peers: pd.DataFrame, label: str, full: bool, lang: str) -> None:
    if peers.empty:
        return
    st.caption(label)
    with st.container(horizontal=True, gap="small"):
        for row in peers.itertuples():
            help_text = (
                fmt.t("bandingkan_population_help", lang, n=fmt.number(row.penduduk, 0, lang))
                if pd.notna(row.penduduk)
                else None
            )
            st.button(
                row.nama, key=f"peer_{row.kode}", on_click=add_region, args=(row.kode,), disabled=full, help=help_text
            )


def suggestions(view: _ui.View, first: str, chosen: list[str], peers: pd.DataFrame) -> None:
    lang = view.lang
    st.subheader(fmt.t("bandingkan_peers", lang, region=_ui.region_name(first)))
    neighbour_map = geo.neighbours()
    full = len(chosen) >= MAX_REGIONS
    if full:
        st.caption(fmt.t("bandingkan_full", lang))
    if not neighbour_map:
        st.caption(fmt.t("bandingkan_no_neighbours", lang))
    peer_buttons(peers.loc[peers["alasan"] == "tetangga"], fmt.t("bandingkan_neighbours", lang), full, lang)
    jenis = fmt.t("jenis_" + regions.region_by_code(first).jenis, lang).lower()
    peer_buttons(
        peers.loc[peers["alasan"] == "penduduk_mirip"], fmt.t("bandingkan_population", lang, jenis=jenis), full, lang
    )
