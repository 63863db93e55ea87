"""Tren: one indicator over the budget years for the chosen regions, the province beside them,
targets for a single region, and the change from year to year (the frames and tables:
analytics.trend_frames)."""

import datetime as dt

import pandas as pd
import streamlit as st

from analytics import fmt, metrics, ranking, series, series_charts, trend_frames
from views import _export_ui, _ui
from views._export_ui import export_panel

view: _ui.View = st.session_state["view"]
lang = view.lang
catalogue = metrics.catalogue()


def tx(key: str, **kwargs) -> str:
    return fmt.t(key, lang, **kwargs)


@st.cache_data(max_entries=64, show_spinner=False)
def yearly(dataset: str, indicator_id: str, years: tuple[int, ...], as_of: dt.date, stamp: tuple) -> pd.DataFrame:
    return series.yearly_series(series.computer(_ui.tables(dataset)), indicator_id, years, as_of)


@st.cache_data(max_entries=16, show_spinner=False)
def monthly(dataset: str, years: tuple[int, ...], as_of: dt.date, stamp: tuple) -> pd.DataFrame:
    return series.monthly_enrolment(_ui.tables(dataset)["kepesertaan"], years, as_of)


def top_codes(indicator_id: str, n: int = 3) -> list[str]:
    ranked, _ = ranking.split_ranked(_ui.ranking_table(view, indicator_id))
    return list(ranked["kode"].head(n))


def values_of(indicator_id: str) -> pd.DataFrame:
    """The indicator per region and budget year of the page (cached)."""
    return yearly(view.dataset, indicator_id, years, view.as_of, _ui.db_stamp())


st.title(fmt.t("page_tren", lang))
_ui.dataset_banner(view)
data = _ui.tables(view.dataset)
years = _ui.budget_years(view)
if not years:
    st.info(_ui.empty_dataset_message(view), icon="ℹ️")
    st.stop()

left, right = st.columns([2, 3])
indicator_id = _ui.indicator_picker(left, lang)
indicator = catalogue[indicator_id]
codes = _ui.bound_regions(right, tx("tren_regions"), "tren_wilayah", top_codes(indicator_id), max_selections=8)
show_province = _ui.bound_toggle(st, tx("tren_province_toggle"), "tren_provinsi", True, param="jatim")
st.caption(indicator.definition(lang))

names = {kode: _ui.region_name(kode) for kode in codes}
model = _ui.page_model(
    view,
    "tren",
    (indicator_id, tuple(codes), show_province),
    lambda: trend_frames.page_model(
        data,
        indicator,
        codes,
        names,
        years,
        view.as_of,
        view.dataset,
        show_province,
        lang,
        yearly=values_of,
        monthly=lambda: monthly(view.dataset, years, view.as_of, _ui.db_stamp()),
    ),
)
frame, connect, x_kind, notes = model.frame, model.connect, model.x_kind, list(model.notes)

if not codes:
    st.info(tx("tren_pick"), icon="ℹ️")
if frame["nilai"].notna().sum() == 0:
    st.info(tx("tren_no_values"), icon="ℹ️")
else:
    title = tx("tren_title", indicator=indicator.title(lang))
    subtitle = model.subtitle
    source = _ui.source_line(frame, view)
    fig = _ui.memo_figure(
        ("tren", view, indicator_id, tuple(codes), show_province),
        lambda: series_charts.trend_chart(
            frame,
            indicator,
            title=title,
            subtitle=subtitle,
            source=source,
            lang=lang,
            synthetic=view.synthetic,
            connect=connect,
            x_kind=x_kind,
            province_title=tx("tren_province_panel"),
        ),
    )
    stem = _ui.file_stem(view, "tren", indicator_id)
    _ui.show_chart(fig, "tren_chart", stem, notes=(" ".join(notes),))
    export_panel(
        fig,
        frame,
        _export_ui.view_meta(
            view,
            frame,
            title=title,
            subtitle=subtitle,
            source=source,
            notes=notes,
            file_stem=stem,
            indicator_id=indicator_id,
        ),
        key="tren_export",
        embed="tren_chart",
    )

if model.attainment is not None:
    st.subheader(tx("tren_target_header"))
    st.caption(tx("tren_target_caption"))
    st.dataframe(model.attainment, hide_index=True, width="stretch", height="content")

if len(model.changes):
    st.subheader(tx("tren_yoy_header"))
    st.dataframe(model.changes, hide_index=True, width="stretch", height="content")
