"""Tren: one indicator over the budget years for the chosen regions, the province beside them,
targets for a single region, and the change from year to year."""
import datetime as dt

import pandas as pd
import streamlit as st

from analytics import fmt, metrics, ranking, series, series_charts
from analytics.export import ExportMeta
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


# ---------------------------------------------------------------- the frame the chart shows

def enrolment_frame(data, codes, names, years, province: bool) -> tuple[pd.DataFrame, bool]:
    """Participants: monthly lines (complete data) or every published figure as a dated point."""
    kep = data["kepesertaan"]
    if series.is_monthly(kep):
        months = monthly(view.dataset, years, view.as_of, _ui.db_stamp())
        parts = [series.region_rows(months, codes, names, "tanggal")]
        if province:
            parts.append(series.province_rows(series.monthly_total(months), tx("tren_province_sum"), "tanggal",
                                              count_note=tx("tren_regions_counted")))
        connect = True
    else:
        reports = series.enrolment_reports(kep, years, view.as_of, resolve=False)
        parts = [series.region_rows(reports, codes, names, "tanggal_data")]
        if province:
            totals = series.province_aggregate(yearly(view.dataset, "peserta_dbhcht", years, view.as_of, _ui.db_stamp()),
                                               "peserta_dbhcht")
            parts.append(series.province_rows(totals, tx("tren_province_sum"), "per", count_note=tx("tren_regions_counted")))
        connect = False
    if province:
        published = series.province_figures(kep, view.as_of, years)
        parts.append(series.province_rows(published, tx("tren_province_published"), "tanggal_data", "provinsi_terbit"))
    if len(codes) == 1:
        labels = {k: tx("tren_" + k) for k in ("target_murni", "target_pak", "target", "rencana")}
        parts.append(series.target_step_rows(series.targets(kep, codes[0], years, view.as_of), labels))
    return joined(parts), connect


def joined(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=series.CHART_COLUMNS)


def indicator_frame(indicator_id, codes, names, years, province: bool) -> tuple[pd.DataFrame, bool]:
    """Any other indicator: one value per budget year (joined only for complete, like-for-like data)."""
    values = yearly(view.dataset, indicator_id, years, view.as_of, _ui.db_stamp())
    parts = [series.region_rows(values, codes, names, "tahun")]
    if province:
        label = tx("tren_province_ratio" if indicator_id in series.PROVINCE_RATIOS else "tren_province_sum")
        parts.append(series.province_rows(series.province_aggregate(values, indicator_id), label, "tahun",
                                          count_note=tx("tren_regions_counted")))
    return joined(parts), series.is_monthly(_ui.tables(view.dataset)["kepesertaan"])


def with_citations(frame: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    cited = ranking.with_sources(frame, sources)
    return cited.assign(sumber=cited["sumber"].where(cited["sumber"] != "", None))


# ---------------------------------------------------------------- tables under the chart

def yoy_table(values: pd.DataFrame, codes, names, indicator) -> pd.DataFrame:
    change = series.year_on_year(values.loc[values["kode"].isin(codes)])
    change = change.assign(_order=change["kode"].map({k: i for i, k in enumerate(codes)}))
    change = change.sort_values(["_order", "tahun"], ascending=[True, False])
    return pd.DataFrame({
        fmt.t("col_region", lang): change["kode"].map(names).to_numpy(),
        tx("col_year"): change["tahun"].astype(str).to_numpy(),
        fmt.t("col_value", lang): [fmt.qualified(fmt.value(v, indicator.satuan, indicator.desimal, lang), q, lang)
                                   for v, q in zip(change["nilai"], change["kualifikasi"])],
        tx("col_diff"): [fmt.signed(v, indicator.satuan, indicator.desimal, lang) for v in change["selisih"]],
        tx("col_pct"): [fmt.signed_percent(v, 1, lang) for v in change["persen"]],
    })


def attainment_table(code: str, years) -> pd.DataFrame:
    data = _ui.tables(view.dataset)
    realised = yearly(view.dataset, "peserta_dbhcht", years, view.as_of, _ui.db_stamp())
    table = series.target_attainment(realised.loc[realised["kode"] == code],
                                      series.targets(data["kepesertaan"], code, years, view.as_of))
    targets = {"target_murni": "tren_target_murni", "target_pak": "tren_target_pak", "target_lain": "tren_target"}
    shown = {tx("col_year"): table["tahun"].astype(str), tx("col_realised"): table["realisasi"].map(whole)}
    shown |= {tx(label): table[column].map(whole) for column, label in targets.items() if table[column].notna().any()}
    shown[tx("col_attainment")] = table["capaian_persen"].map(lambda v: fmt.percent(v, 1, lang))
    return pd.DataFrame(shown)


def whole(value) -> str:
    return fmt.number(value, 0, lang)


# ---------------------------------------------------------------- page

st.title(fmt.t("page_tren", lang))
_ui.dataset_banner(view)
data = _ui.tables(view.dataset)
years = tuple(series.budget_years(data, view.as_of))
if not series.has_data(data) or not years:
    st.info(_ui.empty_dataset_message(view), icon="ℹ️")
    st.stop()

left, right = st.columns([2, 3])
indicator_id = _ui.indicator_picker(left, lang)
indicator = catalogue[indicator_id]
codes = _ui.bound_regions(right, tx("tren_regions"), "tren_wilayah", top_codes(indicator_id), max_selections=8)
show_province = _ui.bound_toggle(st, tx("tren_province_toggle"), "tren_provinsi", True, param="jatim")
st.caption(indicator.definition(lang))

names = {kode: _ui.region_name(kode) for kode in codes}
if indicator_id == "peserta_dbhcht":
    frame, connect = enrolment_frame(data, codes, names, years, show_province)
    x_kind = "date"
else:
    frame, connect = indicator_frame(indicator_id, codes, names, years, show_province)
    x_kind = "year"
frame = with_citations(frame, data["sumber"])

if not codes:
    st.info(tx("tren_pick"), icon="ℹ️")
if frame["nilai"].notna().sum() == 0:
    st.info(tx("tren_no_values"), icon="ℹ️")
else:
    notes = [tx("tren_note_monthly") if connect and x_kind == "date" else
             tx("tren_note_points") if not connect and x_kind == "date" else tx("tren_note_yearly")]
    if show_province:
        notes.append(tx("tren_note_province"))
    title = tx("tren_title", indicator=indicator.title(lang))
    subtitle = tx("tren_subtitle", first=years[0], last=years[-1], asof=fmt.date(view.as_of, lang),
                  dataset=fmt.t("dataset_" + view.dataset, lang))
    source = _ui.source_line(frame, view)
    fig = _ui.memo_figure(
        ("tren", indicator.id, title, subtitle, source, lang, view.synthetic, connect, x_kind, _ui.frame_key(frame)),
        lambda: series_charts.trend_chart(frame, indicator, title=title, subtitle=subtitle, source=source, lang=lang,
                                          synthetic=view.synthetic, connect=connect, x_kind=x_kind,
                                          province_title=tx("tren_province_panel")))
    stem = _ui.file_stem(view, "tren", indicator_id)
    _ui.show_chart(fig, "tren_chart", stem, notes=(" ".join(notes),))
    export_panel(fig, frame, ExportMeta(title=title, subtitle=subtitle, source=source, dataset=view.dataset, lang=lang,
                                        synthetic=view.synthetic, indicator_id=indicator_id, year=view.year,
                                        as_of=view.as_of, notes=tuple(notes), sources=_export_ui.citations(frame), file_stem=stem),
                 key="tren_export", embed="tren_chart")

if indicator_id == "peserta_dbhcht" and len(codes) == 1:
    st.subheader(tx("tren_target_header"))
    st.caption(tx("tren_target_caption"))
    st.dataframe(attainment_table(codes[0], years), hide_index=True, width="stretch", height="content")

changes = yoy_table(yearly(view.dataset, indicator_id, years, view.as_of, _ui.db_stamp()), codes, names, indicator)
if len(changes):
    st.subheader(tx("tren_yoy_header"))
    st.dataframe(changes, hide_index=True, width="stretch", height="content")
