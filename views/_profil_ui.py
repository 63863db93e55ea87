"""Profil wilayah's cached data and its two charts with their export panels. views/profil.py lays
the page out; analytics.profile_tables builds and words what these show."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from analytics import fmt, metrics, profile, profile_tables, ranking, regions, series, series_charts, trend_frames
from views import _export_ui, _ui


@st.cache_data(max_entries=64, show_spinner=False)
def yearly(dataset: str, indicator_id: str, years: tuple[int, ...], as_of: dt.date, stamp: tuple) -> pd.DataFrame:
    return series.yearly_series(series.computer(_ui.tables(dataset)), indicator_id, years, as_of)


@st.cache_data(max_entries=32, show_spinner=False)
def indicator_model(view_key: tuple, kode: str, jenis: str, years: tuple[int, ...], stamp: tuple):
    """profile_tables.indicator_rows with the trend frame already cited, cached per view and region:
    building them takes ~0.4 s (nine rankings formatted, sources joined row by row)."""
    view = _ui.View(*view_key)
    catalogue = metrics.catalogue()
    rankings = {indicator_id: _ui.ranking_table(view, indicator_id) for indicator_id in catalogue}
    trends = {
        indicator_id: yearly(view.dataset, indicator_id, years, view.as_of, _ui.db_stamp())
        for indicator_id in catalogue
    }
    shown, trend = profile_tables.indicator_rows(
        catalogue, rankings, trends, kode, jenis, view.lang, lambda text: _ui.cite(text, view)
    )
    return shown, ranking.with_sources(trend, _ui.tables(view.dataset)["sumber"])


@st.cache_data(max_entries=32, show_spinner=False)
def budget_summary(dataset: str, kode: str, years: tuple[int, ...], as_of: dt.date, stamp: tuple) -> pd.DataFrame:
    return profile.budget_summary(_ui.tables(dataset)["anggaran"], kode, years, as_of)


@st.cache_data(max_entries=32, show_spinner=False)
def observations_frame(dataset: str, kode: str, year: int, as_of: dt.date, stamp: tuple) -> pd.DataFrame:
    """Every figure about the region with its status and citation (cached: contoh has ~600 per region)."""
    rankings = [_ui.ranking_table(_ui.View(dataset, year, as_of, "id"), i) for i in metrics.catalogue()]
    return profile_tables.observations(_ui.tables(dataset), rankings, kode, year, as_of)


def trend_chart(view: _ui.View, region: regions.Region, trends: pd.DataFrame, years, connect: bool) -> None:
    """Every indicator over the budget years, one small chart each, with the export panel."""
    lang, catalogue = view.lang, metrics.catalogue()
    title = fmt.t("profil_trend_title", lang, region=region.nama)
    subtitle = trend_frames.subtitle(years, view.as_of, view.dataset, lang)
    data = profile_tables.trend_frame(trends)
    source = _ui.source_line(data, view)
    fig = _ui.memo_figure(
        ("profil_trend", title, subtitle, source, lang, view.synthetic, connect, _ui.frame_key(data)),
        lambda: series_charts.indicator_multiples(
            data,
            catalogue,
            title=title,
            subtitle=subtitle,
            source=source,
            lang=lang,
            synthetic=view.synthetic,
            connect=connect,
        ),
    )
    stem = _ui.file_stem(view, "profil", region.kode, "tren")
    key = (lang, view.synthetic, connect, _ui.frame_key(data))
    notes = (fmt.t("profil_trend_note", lang),)
    _ui.show_grid(
        "profil_trend",
        key,
        list(catalogue),
        lambda ind: series_charts.as_panel(
            series_charts.indicator_multiples(
                data,
                {ind: catalogue[ind]},
                title="",
                subtitle="",
                source="",
                lang=lang,
                synthetic=view.synthetic,
                connect=connect,
                columns=1,
            ),
            230,
            view.synthetic,
            lang,
        ),
        stem,
        title=title,
        subtitle=subtitle,
        source=source,
        notes=notes,
        panel_px=230,
    )
    meta = _export_ui.view_meta(view, data, title=title, subtitle=subtitle, source=source, notes=notes, file_stem=stem)
    _export_ui.export_panel(fig, data, meta, key="profil_trend_export", embed="profil_trend")


def categories_chart(view: _ui.View, region: regions.Region) -> None:
    """Participants by worker category in the view's year, with the export panel; a caption when none."""
    lang = view.lang
    frame, from_chosen = profile_tables.category_frame(_ui.tables(view.dataset), region.kode, view.year, view.as_of)
    if frame.empty:
        st.caption(fmt.t("profil_categories_none", lang, year=view.year))
        return
    title = fmt.t("profil_categories_title", lang, region=region.nama)
    subtitle, source = _ui.subtitle(view), _ui.source_line(frame, view)
    notes = () if from_chosen else (fmt.t("profil_categories_other", lang),)
    fig = _ui.memo_figure(
        ("profil_categories", title, subtitle, source, lang, view.synthetic, _ui.frame_key(frame)),
        lambda: series_charts.category_bars(
            frame, title=title, subtitle=subtitle, source=source, lang=lang, synthetic=view.synthetic
        ),
    )
    stem = _ui.file_stem(view, "profil", region.kode, "kategori")
    _ui.show_chart(fig, "profil_categories_chart", stem, notes=notes[:1])
    meta = _export_ui.view_meta(
        view,
        frame,
        title=title,
        subtitle=subtitle,
        source=source,
        notes=notes,
        file_stem=stem,
        indicator_id="peserta_dbhcht",
    )
    _export_ui.export_panel(fig, frame, meta, key="profil_categories_export", embed="profil_categories_chart")
