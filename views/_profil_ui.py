"""Profil wilayah's cached data and its two charts with their export panels. views/profil.py lays
the page out; analytics.profile_tables builds and words what these show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from analytics import (
    compare,
    fmt,
    metrics,
    profile,
    profile_tables,
    ranking,
    regions,
    series,
    series_charts,
    trend_frames,
)
from views import _export_ui, _ui


@st.cache_data(max_entries=64, show_spinner=False)
def yearly(dataset: str, indicator_id: str, years: tuple[int, ...], as_of: dt.date, stamp: tuple) -> pd.DataFrame:
    return series.yearly_series(series.computer(_ui.tables(dataset)), indicator_id, years, as_of)


def _indicator_rows(view: _ui.View, kode: str, jenis: str, years: tuple[int, ...]):
    """profile_tables.indicator_rows with the trend frame already cited (~0.4 s: nine rankings
    formatted, sources joined row by row; the page model keeps them)."""
    catalogue = metrics.catalogue()
    with metrics.shared_inputs():  # nine indicators x every year build on the same enrolment and budgets
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


@dataclass(frozen=True)
class Model:
    """What Profil shows for a view and one region, formatted in the view's language."""

    population: float | None  # the region's population in the view's year
    shown: pd.DataFrame  # every indicator: value, rank, change
    trends: pd.DataFrame  # every indicator per budget year, cited (the report reuses it)
    known: dict  # the view year's cited rankings, by (indicator, year), for the report
    connect: bool  # participants are monthly: draw lines
    budgets: pd.DataFrame
    categories: pd.DataFrame
    categories_from_chosen: bool
    claims: pd.DataFrame
    sources: pd.DataFrame
    observations: pd.DataFrame  # every figure about the region, formatted


def model(view: _ui.View, kode: str, jenis: str, years: tuple[int, ...]) -> Model:
    return _ui.page_model(view, "profil", (kode, years), lambda: _build(view, kode, jenis, years))


def population_of(view: _ui.View, kode: str) -> float | None:
    pop = compare.population(_ui.tables(view.dataset)["denominator"], view.year)
    return float(pop[kode]) if kode in pop.index else None


def _build(view: _ui.View, kode: str, jenis: str, years: tuple[int, ...]) -> Model:
    data, stamp, lang = _ui.tables(view.dataset), _ui.db_stamp(), view.lang
    shown, trends = _indicator_rows(view, kode, jenis, years)
    categories, from_chosen = profile_tables.category_frame(data, kode, view.year, view.as_of)
    observed = observations_frame(view.dataset, kode, view.year, view.as_of, stamp)

    def cite(text) -> str:
        return _ui.cite(text, view)

    return Model(
        population=population_of(view, kode),
        shown=shown,
        trends=trends,
        known={(i, view.year): _ui.cited_ranking(view, i) for i in metrics.catalogue()},
        connect=series.is_monthly(data["kepesertaan"]),
        budgets=profile_tables.budget_table(budget_summary(view.dataset, kode, years, view.as_of, stamp), lang),
        categories=categories,
        categories_from_chosen=from_chosen,
        claims=profile_tables.claims_table(data, kode, years, view.as_of, lang, cite),
        sources=profile_tables.sources_table(observed, data["sumber"], lang, view.synthetic),
        observations=profile_tables.observations_table(observed, lang, cite),
    )


def trend_chart(view: _ui.View, region: regions.Region, model: Model, years) -> None:
    """Every indicator over the budget years, one small chart each, with the export panel."""
    lang, catalogue, connect = view.lang, metrics.catalogue(), model.connect
    title = fmt.t("profil_trend_title", lang, region=region.nama)
    subtitle = trend_frames.subtitle(years, view.as_of, view.dataset, lang)
    data = profile_tables.trend_frame(model.trends)
    source = _ui.source_line(data, view)
    fig = _ui.memo_figure(
        ("profil_trend", view, region.kode, years),
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
    key = (view, region.kode, years)
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


def categories_chart(view: _ui.View, region: regions.Region, model: Model) -> None:
    """Participants by worker category in the view's year, with the export panel; a caption when none."""
    lang, frame, from_chosen = view.lang, model.categories, model.categories_from_chosen
    if frame.empty:
        st.caption(fmt.t("profil_categories_none", lang, year=view.year))
        return
    title = fmt.t("profil_categories_title", lang, region=region.nama)
    subtitle, source = _ui.subtitle(view), _ui.source_line(frame, view)
    notes = () if from_chosen else (fmt.t("profil_categories_other", lang),)
    fig = _ui.memo_figure(
        ("profil_categories", view, region.kode),
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
