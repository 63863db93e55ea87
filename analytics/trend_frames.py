"""What Tren shows, in the reader's language: the chart frame for the chosen regions (the province
beside them, the targets of a single region), the chart's subtitle and notes, and the tables of
change from year to year and of target attainment. Pure pandas, no Streamlit; analytics.series
computes the series, and the page passes its cached ones as `yearly(indicator)` and `monthly()`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from analytics import fmt, metrics, ranking, series

Yearly = Callable[[str], pd.DataFrame]
Monthly = Callable[[], pd.DataFrame]
TARGET_LABELS = ("target_murni", "target_pak", "target", "rencana")


def subtitle(years, as_of: dt.date, dataset: str, lang: str) -> str:
    return fmt.t(
        "tren_subtitle",
        lang,
        first=years[0],
        last=years[-1],
        asof=fmt.date(as_of, lang),
        dataset=fmt.t("dataset_" + dataset, lang),
    )


# ---------------------------------------------------------------- the page model


@dataclass(frozen=True)
class TrendModel:
    """Everything Tren shows for one view, indicator, set of regions and province choice."""

    frame: pd.DataFrame  # the chart's rows, cited
    connect: bool
    x_kind: str  # 'date' or 'year'
    notes: tuple[str, ...]
    subtitle: str
    attainment: pd.DataFrame | None  # participants against targets, for a single region
    changes: pd.DataFrame  # the year-to-year table


def page_model(
    tables: dict[str, pd.DataFrame],
    indicator: metrics.Indicator,
    codes: list[str],
    names: dict[str, str],
    years: tuple[int, ...],
    as_of: dt.date,
    dataset: str,
    province: bool,
    lang: str,
    *,
    yearly: Yearly,
    monthly: Monthly,
) -> TrendModel:
    frame, connect, x_kind = chart_frame(
        tables, indicator.id, codes, names, years, as_of, province, lang, yearly=yearly, monthly=monthly
    )
    attainment = None
    if indicator.id == "peserta_dbhcht" and len(codes) == 1:
        attainment = attainment_table(tables["kepesertaan"], yearly("peserta_dbhcht"), codes[0], years, as_of, lang)
    return TrendModel(
        frame=frame,
        connect=connect,
        x_kind=x_kind,
        notes=tuple(chart_notes(connect, x_kind, province, lang)),
        subtitle=subtitle(years, as_of, dataset, lang),
        attainment=attainment,
        changes=yoy_table(yearly(indicator.id), codes, names, indicator, lang),
    )


# ---------------------------------------------------------------- the frame the chart shows


def chart_frame(
    tables: dict[str, pd.DataFrame],
    indicator_id: str,
    codes: list[str],
    names: dict[str, str],
    years: tuple[int, ...],
    as_of: dt.date,
    province: bool,
    lang: str,
    *,
    yearly: Yearly,
    monthly: Monthly,
) -> tuple[pd.DataFrame, bool, str]:
    """(frame, connect the points, x kind 'date' or 'year'), the frame cited: participants by date,
    any other indicator by budget year."""
    if indicator_id == "peserta_dbhcht":
        frame, connect = enrolment_frame(
            tables["kepesertaan"], codes, names, years, as_of, province, lang, yearly=yearly, monthly=monthly
        )
        x_kind = "date"
    else:
        frame, connect = indicator_frame(
            tables["kepesertaan"], yearly(indicator_id), indicator_id, codes, names, province, lang
        )
        x_kind = "year"
    return with_citations(frame, tables["sumber"]), connect, x_kind


def enrolment_frame(
    kep: pd.DataFrame,
    codes,
    names,
    years,
    as_of: dt.date,
    province: bool,
    lang: str,
    *,
    yearly: Yearly,
    monthly: Monthly,
) -> tuple[pd.DataFrame, bool]:
    """Participants: monthly lines (complete data) or every published figure as a dated point."""
    counted = fmt.t("tren_regions_counted", lang)
    if series.is_monthly(kep):
        months = monthly()
        parts = [series.region_rows(months, codes, names, "tanggal")]
        if province:
            parts.append(
                series.province_rows(
                    series.monthly_total(months), fmt.t("tren_province_sum", lang), "tanggal", count_note=counted
                )
            )
        connect = True
    else:
        reports = series.enrolment_reports(kep, years, as_of, resolve=False)
        parts = [series.region_rows(reports, codes, names, "tanggal_data")]
        if province:
            totals = series.province_aggregate(yearly("peserta_dbhcht"), "peserta_dbhcht")
            parts.append(series.province_rows(totals, fmt.t("tren_province_sum", lang), "per", count_note=counted))
        connect = False
    if province:
        published = series.province_figures(kep, as_of, years)
        parts.append(
            series.province_rows(published, fmt.t("tren_province_published", lang), "tanggal_data", "provinsi_terbit")
        )
    if len(codes) == 1:
        labels = {k: fmt.t("tren_" + k, lang) for k in TARGET_LABELS}
        parts.append(series.target_step_rows(series.targets(kep, codes[0], years, as_of), labels))
    return joined(parts), connect


def indicator_frame(
    kep: pd.DataFrame, values: pd.DataFrame, indicator_id: str, codes, names, province: bool, lang: str
) -> tuple[pd.DataFrame, bool]:
    """Any other indicator: one value per budget year (joined only for complete, like-for-like data)."""
    parts = [series.region_rows(values, codes, names, "tahun")]
    if province:
        label = fmt.t("tren_province_ratio" if indicator_id in series.PROVINCE_RATIOS else "tren_province_sum", lang)
        parts.append(
            series.province_rows(
                series.province_aggregate(values, indicator_id),
                label,
                "tahun",
                count_note=fmt.t("tren_regions_counted", lang),
            )
        )
    return joined(parts), series.is_monthly(kep)


def joined(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=series.CHART_COLUMNS)


def with_citations(frame: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    cited = ranking.with_sources(frame, sources)
    return cited.assign(sumber=cited["sumber"].where(cited["sumber"] != "", None))


def chart_notes(connect: bool, x_kind: str, province: bool, lang: str) -> list[str]:
    """How to read the chart: monthly lines, dated points or yearly values; the province line."""
    notes = [
        fmt.t("tren_note_monthly", lang)
        if connect and x_kind == "date"
        else fmt.t("tren_note_points", lang)
        if not connect and x_kind == "date"
        else fmt.t("tren_note_yearly", lang)
    ]
    if province:
        notes.append(fmt.t("tren_note_province", lang))
    return notes


# ---------------------------------------------------------------- tables under the chart


def yoy_table(values: pd.DataFrame, codes, names, indicator: metrics.Indicator, lang: str) -> pd.DataFrame:
    change = series.year_on_year(values.loc[values["kode"].isin(codes)])
    change = change.assign(_order=change["kode"].map({k: i for i, k in enumerate(codes)}))
    change = change.sort_values(["_order", "tahun"], ascending=[True, False])
    return pd.DataFrame(
        {
            fmt.t("col_region", lang): change["kode"].map(names).to_numpy(),
            fmt.t("col_year", lang): change["tahun"].astype(str).to_numpy(),
            fmt.t("col_value", lang): [
                fmt.qualified(fmt.value(v, indicator.satuan, indicator.desimal, lang), q, lang)
                for v, q in zip(change["nilai"], change["kualifikasi"])
            ],
            fmt.t("col_diff", lang): [
                fmt.signed(v, indicator.satuan, indicator.desimal, lang) for v in change["selisih"]
            ],
            fmt.t("col_pct", lang): [fmt.signed_percent(v, 1, lang) for v in change["persen"]],
        }
    )


def attainment_table(
    kep: pd.DataFrame, realised: pd.DataFrame, code: str, years, as_of: dt.date, lang: str
) -> pd.DataFrame:
    """Per year the region's participants against its targets (`realised`: peserta_dbhcht per year)."""
    table = series.target_attainment(realised.loc[realised["kode"] == code], series.targets(kep, code, years, as_of))
    targets = {"target_murni": "tren_target_murni", "target_pak": "tren_target_pak", "target_lain": "tren_target"}

    def whole(value) -> str:
        return fmt.number(value, 0, lang)

    shown = {
        fmt.t("col_year", lang): table["tahun"].astype(str),
        fmt.t("col_realised", lang): table["realisasi"].map(whole),
    }
    shown |= {
        fmt.t(label, lang): table[column].map(whole) for column, label in targets.items() if table[column].notna().any()
    }
    shown[fmt.t("col_attainment", lang)] = table["capaian_persen"].map(lambda v: fmt.percent(v, 1, lang))
    return pd.DataFrame(shown)
