"""Bandingkan's Streamlit pieces: the chosen regions' widget key and limit, the comparison chart
(small multiples) with its export panel, and the suggested peers as buttons that add a region.
views/bandingkan.py lays the page out; analytics.compare and analytics.compare_tables compute and
word what these show."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import compare, compare_tables, fmt, geo, metrics, regions, series_charts
from views import _export_ui, _state, _ui

MAX_REGIONS = 6
KEY = "bandingkan_wilayah"


def add_region(kode: str) -> None:
    """Button callback: runs before the rerun, so the multiselect may still be changed."""
    key = _state.widget_key(KEY)
    chosen = list(st.session_state.get(key) or [])
    if kode not in chosen and len(chosen) < MAX_REGIONS:
        st.session_state[key] = [*chosen, kode]


# ---------------------------------------------------------------- chart


def comparison_chart(view: _ui.View, comparison: pd.DataFrame, codes: list[str]) -> None:
    lang = view.lang
    catalogue = metrics.catalogue()
    title = fmt.t("bandingkan_title", lang, n=len(codes))
    subtitle = _ui.subtitle(view)
    source = _ui.source_line(comparison, view)
    notes = (fmt.t("bandingkan_chart_note", lang),)
    fig = _ui.memo_figure(
        ("bandingkan", title, subtitle, source, lang, view.synthetic, _ui.frame_key(comparison)),
        lambda: series_charts.comparison_bars(
            comparison, catalogue, title=title, subtitle=subtitle, source=source, lang=lang, synthetic=view.synthetic
        ),
    )
    stem = _ui.file_stem(view, "bandingkan", *codes)
    key = (lang, view.synthetic, _ui.frame_key(comparison))
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
    data = compare_tables.export_frame(comparison, catalogue, lang)
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


def suggestions(view: _ui.View, first: str, chosen: list[str]) -> None:
    lang = view.lang
    st.subheader(fmt.t("bandingkan_peers", lang, region=_ui.region_name(first)))
    neighbour_map = geo.neighbours()
    peers = compare.suggest_peers(first, population(view), neighbour_map, exclude=chosen)
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
