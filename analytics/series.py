"""The data behind Tren (and the trend parts of Profil and the reports): budget years and data
dates, any indicator per year, enrolment over time, targets, the chart frames. Pure pandas, no
Streamlit. Bandingkan's side-by-side ranks and peers are in analytics.compare, Profil's region data
in analytics.profile.

Selection rules are those of analytics.metrics (realised, DBHCHT-funded, `bagian` summed, `rincian`
ignored, preferred row of a conflict); this module only lays the results out over time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from analytics import metrics

FIRST_YEAR = 2022  # the dashboard's horizon; older budget figures (a 2021 allocation) stay in the sources list
PROVINCE = metrics.PROVINCE_CODE

# Ratio indicators are aggregated over the province as Σ numerator ÷ Σ denominator × scale + offset,
# the same arithmetic as their per-region computation in metrics (a plain sum of ratios means nothing).
PROVINCE_RATIOS = {
    "pertumbuhan_peserta": (100.0, -100.0),
    "capaian_target": (100.0, 0.0),
    "peserta_per_1000": (1000.0, 0.0),
    "porsi_jamsos_dbhcht": (100.0, 0.0),
    "biaya_per_peserta_bulan": (1.0, 0.0),
    "serapan_anggaran": (100.0, 0.0),
}

Compute = Callable[[str, int, dt.date], pd.DataFrame]


# ---------------------------------------------------------------- years and dates


def as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else pd.Timestamp(value).date()


def year_end_as_of(year: int, as_of) -> dt.date:
    """A past budget year is read as it stood on 31 December; the current one as of the as-of date."""
    return min(as_date(as_of), dt.date(int(year), 12, 31))


def budget_years(tables: dict[str, pd.DataFrame], as_of, first: int = FIRST_YEAR) -> list[int]:
    """Budget years with any regional figure, from `first` up to the as-of year."""
    years: set[int] = set()
    for name in ("kepesertaan", "anggaran", "klaim"):
        frame = tables.get(name)
        if frame is not None and len(frame):
            years |= {int(y) for y in frame.loc[frame["kode"] != PROVINCE, "tahun_anggaran"].dropna().unique()}
    return sorted(y for y in years if first <= y <= as_date(as_of).year)


def latest_data_date(tables: dict[str, pd.DataFrame], year: int) -> dt.date | None:
    """The newest date of any regional figure of the budget year (enrolment, budget, claims): the
    natural as-of date for that year. None when the year has no figure."""
    dates = []
    for name in ("kepesertaan", "anggaran", "klaim"):
        frame = tables.get(name)
        if frame is not None and len(frame):
            rows = frame.loc[(frame["kode"] != PROVINCE) & (frame["tahun_anggaran"] == year), "tanggal_data"]
            dates.append(pd.to_datetime(rows).max())
    dates = [d for d in dates if pd.notna(d)]
    return max(dates).date() if dates else None


def has_data(tables: dict[str, pd.DataFrame]) -> bool:
    return any(len(tables.get(name, ())) for name in ("kepesertaan", "anggaran", "klaim"))


def computer(tables: dict[str, pd.DataFrame]) -> Compute:
    """compute(indicator, year, as_of) over these tables (pages pass a cached one instead)."""
    return lambda indicator_id, year, as_of: metrics.compute(indicator_id, tables, year, as_of)


# ---------------------------------------------------------------- yearly values of any indicator

YEARLY_COLUMNS = [
    "kode",
    "tahun",
    "per",
    "nilai",
    "kualifikasi",
    "pembilang",
    "penyebut",
    "tanggal_data",
    "sumber_id",
    "obs_id",
    "catatan",
]


def yearly_series(
    compute: Compute, indicator_id: str, years: Iterable[int], as_of, read_at_year_end: bool = False
) -> pd.DataFrame:
    """One row per region and budget year, each computed exactly as the ranking of that year at the
    same as-of date (so a 2024 figure published in 2025 still counts for 2024, as on Peringkat).

    read_at_year_end=True reads each past year as it stood on 31 December instead. `per` is where
    the year sits on a time axis: 31 December, or the as-of date for the current year.
    """
    frames = []
    for year in years:
        per = year_end_as_of(year, as_of)
        result = compute(indicator_id, int(year), per if read_at_year_end else as_date(as_of))
        frames.append(result.assign(tahun=int(year), per=pd.Timestamp(per)))
    if not frames:
        return pd.DataFrame(columns=YEARLY_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    out["tanggal_data"] = pd.to_datetime(out["tanggal_data"])
    return out[YEARLY_COLUMNS]


def province_aggregate(yearly: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    """Per year, the province over the regions *with data*: a sum, or Σ numerator ÷ Σ denominator.

    `jumlah_daerah` says how many regions it covers; it is never the official province figure.
    """
    known = yearly.dropna(subset=["nilai"])
    grouped = known.groupby("tahun")
    out = grouped.agg(per=("per", "max"), jumlah_daerah=("kode", "nunique"), nilai=("nilai", "sum"))
    if indicator_id in PROVINCE_RATIOS:
        scale, offset = PROVINCE_RATIOS[indicator_id]
        sums = grouped[["pembilang", "penyebut"]].sum()
        out["nilai"] = sums["pembilang"] / sums["penyebut"].replace(0, np.nan) * scale + offset
    return out.reset_index()


def year_on_year(yearly: pd.DataFrame) -> pd.DataFrame:
    """Change from the previous budget year per region: `selisih` (in the unit) and `persen`."""
    data = yearly.dropna(subset=["nilai"]).sort_values(["kode", "tahun"])[["kode", "tahun", "nilai", "kualifikasi"]]
    previous = data[["kode", "tahun", "nilai"]].assign(tahun=data["tahun"] + 1).rename(columns={"nilai": "nilai_lalu"})
    out = data.merge(previous, on=["kode", "tahun"], how="left")
    out["selisih"] = out["nilai"] - out["nilai_lalu"]
    out["persen"] = out["selisih"] / out["nilai_lalu"].where(out["nilai_lalu"] != 0) * 100
    return out.reset_index(drop=True)


# ---------------------------------------------------------------- enrolment over time


def _realised(kep: pd.DataFrame, year: int, as_of, kinds=("realisasi",)) -> pd.DataFrame:
    """Regional rows of one budget year that the enrolment indicator may use, dated by as_of."""
    dates = pd.to_datetime(kep["tanggal_data"])
    keep = (
        (kep["tahun_anggaran"] == year)
        & (dates <= pd.Timestamp(as_date(as_of)))
        & (kep["kode"] != PROVINCE)
        & kep["jenis_angka"].isin(kinds)
        & (kep["sumber_dana"] == "dbhcht")
    )
    return kep.loc[keep].assign(tanggal_data=dates[keep])


def enrolment_reports(kep: pd.DataFrame, years: Iterable[int], as_of, resolve: bool = True) -> pd.DataFrame:
    """Every realised DBHCHT report of the years (bagian summed, rincian dropped), with `tahun`.

    resolve=False keeps the non-preferred side of a conflict too (shown, marked, never used).
    """
    frames = []
    for year in years:
        reports = metrics.collapse_reports(_realised(kep, int(year), as_of))
        frames.append((metrics.resolve_conflicts(reports) if resolve else reports).assign(tahun=int(year)))
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(
            columns=[
                "kode",
                "obs_id",
                "tahun",
                "tanggal_data",
                "peserta",
                "kualifikasi",
                "diutamakan",
                "sumber_id",
                "bagian",
                "catatan",
            ]
        )
    out = pd.concat(frames, ignore_index=True)
    return out.assign(
        catatan=[_report_note(m, p, n) for m, p, n in zip(out["bulan_cakupan"], out["periode_cakupan"], out["bagian"])]
    )


def _report_note(months, period, parts) -> str | None:
    """'cakupan 3 bulan (Okt–Des 2025); jumlah 2 bagian': what a reader must know to compare a figure."""
    notes = [metrics.coverage_note(months, period), f"jumlah {int(parts)} bagian laporan" if parts > 1 else None]
    return "; ".join(n for n in notes if n) or None


def is_monthly(kep: pd.DataFrame) -> bool:
    """True when realised DBHCHT figures are month-end counts (bulan_cakupan 1), like `contoh`."""
    real = kep.loc[(kep["jenis_angka"] == "realisasi") & (kep["sumber_dana"] == "dbhcht") & (kep["kode"] != PROVINCE)]
    if real.empty or pd.to_datetime(real["tanggal_data"]).nunique() < 2:
        return False
    return bool(real["bulan_cakupan"].eq(1).fillna(False).mean() >= 0.5)


def monthly_enrolment(kep: pd.DataFrame, years: Iterable[int], as_of) -> pd.DataFrame:
    """Participants per region at each month end: the month's newest report (parts summed)."""
    reports = enrolment_reports(kep, years, as_of)
    if reports.empty:
        return pd.DataFrame(columns=["kode", "tanggal", "tahun", "nilai", "tanggal_data", "sumber_id", "obs_id"])
    reports["tanggal"] = reports["tanggal_data"] + pd.offsets.MonthEnd(0)
    newest = reports.sort_values(
        ["kode", "tanggal", "tanggal_data", "diutamakan", "obs_id"], ascending=[True, True, False, False, True]
    ).drop_duplicates(["kode", "tanggal"])
    out = newest.rename(columns={"peserta": "nilai"})[
        ["kode", "tanggal", "tahun", "nilai", "tanggal_data", "sumber_id", "obs_id"]
    ]
    return out.assign(nilai=out["nilai"].astype(float)).reset_index(drop=True)


def monthly_total(monthly: pd.DataFrame) -> pd.DataFrame:
    """Sum over the regions with a figure at each month end, and how many there were."""
    grouped = monthly.groupby("tanggal")
    return grouped.agg(nilai=("nilai", "sum"), jumlah_daerah=("kode", "nunique")).reset_index()


def province_figures(kep: pd.DataFrame, as_of, years: Iterable[int] | None = None) -> pd.DataFrame:
    """Published province-wide figures (kode 35), realised, as printed — shown, never summed or ranked."""
    dates = pd.to_datetime(kep["tanggal_data"])
    keep = (
        (kep["kode"] == PROVINCE)
        & (kep["jenis_angka"] == "realisasi")
        & (kep["peran"] != "rincian")
        & (dates <= pd.Timestamp(as_date(as_of)))
    )
    if years is not None:
        keep &= kep["tahun_anggaran"].isin(list(years))
    rows = kep.loc[keep].assign(tanggal_data=dates[keep])
    return rows.rename(columns={"peserta": "nilai", "tahun_anggaran": "tahun"})[
        ["obs_id", "tahun", "tanggal_data", "nilai", "kualifikasi", "sumber_dana", "sumber_id"]
    ].reset_index(drop=True)


def targets(kep: pd.DataFrame, kode: str, years: Iterable[int], as_of) -> pd.DataFrame:
    """The newest DBHCHT target (and plan) per budget year and stage known by the as-of date.

    `tahap` is 'murni', 'pak' or '' (a target printed without its stage); `jenis_angka` target/rencana.
    """
    frames = []
    for year in years:
        rows = _realised(kep.loc[kep["kode"] == kode], int(year), as_of, kinds=("target", "rencana"))
        reports = metrics.resolve_conflicts(metrics.collapse_reports(rows))
        frames.append(reports.assign(tahun=int(year)))
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(
            columns=["tahun", "tahap", "jenis_angka", "nilai", "kualifikasi", "tanggal_data", "sumber_id", "obs_id"]
        )
    out = pd.concat(frames, ignore_index=True)
    out["tahap"] = out["tahap_anggaran"].fillna("").astype(str)
    out = out.sort_values("tanggal_data").drop_duplicates(["tahun", "tahap", "jenis_angka"], keep="last")
    return out.rename(columns={"peserta": "nilai"})[
        ["tahun", "tahap", "jenis_angka", "nilai", "kualifikasi", "tanggal_data", "sumber_id", "obs_id"]
    ].reset_index(drop=True)


def target_attainment(yearly_peserta: pd.DataFrame, target_rows: pd.DataFrame) -> pd.DataFrame:
    """Per year: realised figure, target murni, target PAK, and realised ÷ the newest target × 100."""
    real = yearly_peserta.set_index("tahun")["nilai"]
    years = sorted(set(real.dropna().index) | set(target_rows["tahun"]))
    rows = []
    for year in years:
        of_year = target_rows.loc[target_rows["tahun"] == year].sort_values("tanggal_data")
        by_stage = dict(zip(of_year["tahap"], of_year["nilai"]))
        newest = of_year["nilai"].iloc[-1] if len(of_year) else np.nan
        realised = real.get(year, np.nan)
        rows.append(
            dict(
                tahun=year,
                realisasi=realised,
                target_murni=by_stage.get("murni", np.nan),
                target_pak=by_stage.get("pak", np.nan),
                target_lain=by_stage.get("", np.nan),
                capaian_persen=realised / newest * 100 if newest else np.nan,
            )
        )
    return pd.DataFrame(
        rows, columns=["tahun", "realisasi", "target_murni", "target_pak", "target_lain", "capaian_persen"]
    )


# ---------------------------------------------------------------- the chart frames (what a chart shows)

CHART_COLUMNS = [
    "seri",
    "peran",
    "kode",
    "x",
    "nilai",
    "kualifikasi",
    "tahun",
    "tanggal_data",
    "diutamakan",
    "catatan",
    "sumber_id",
]


def _chart_rows(frame: pd.DataFrame, peran: str, seri, x: str, **fixed) -> pd.DataFrame:
    out = pd.DataFrame({"seri": seri, "peran": peran, "x": frame[x]}, index=frame.index)
    for column in CHART_COLUMNS[2:]:
        if column in fixed:
            out[column] = fixed[column]
        elif column not in out.columns:
            out[column] = frame[column] if column in frame.columns else None
    return out[CHART_COLUMNS]


def region_rows(frame: pd.DataFrame, codes: list[str], names: dict[str, str], x: str) -> pd.DataFrame:
    """Chart rows for the chosen regions, in the order chosen (the legend follows it)."""
    picked = frame.loc[frame["kode"].isin(codes)].copy()
    picked["_order"] = picked["kode"].map({k: i for i, k in enumerate(codes)})
    picked = picked.sort_values(["_order", x])
    if "tahun" not in picked.columns and "tahun_anggaran" in picked.columns:
        picked["tahun"] = picked["tahun_anggaran"]
    if "nilai" not in picked.columns:
        picked["nilai"] = picked["peserta"].astype(float)
    return _chart_rows(picked, "wilayah", picked["kode"].map(names), x)


def province_rows(
    total: pd.DataFrame, label: str, x: str, peran: str = "provinsi_jumlah", count_note: str = "{n} daerah"
) -> pd.DataFrame:
    """Chart rows for the province line: `catatan` says how many regions it covers (count_note)."""
    notes = total["jumlah_daerah"].map(lambda n: count_note.format(n=int(n))) if "jumlah_daerah" in total else None
    return _chart_rows(total, peran, label, x, kode=PROVINCE, catatan=notes)


def target_step_rows(target_rows: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """Each target as a flat step over its budget year (1 Jan – 31 Dec): two rows per year."""
    if not len(target_rows):
        return pd.DataFrame(columns=CHART_COLUMNS)
    frames = []
    for edge in ("start", "end"):
        x = [
            pd.Timestamp(int(y), 1, 1) if edge == "start" else pd.Timestamp(int(y), 12, 31)
            for y in target_rows["tahun"]
        ]
        frames.append(target_rows.assign(x=x, _edge=edge))
    both = pd.concat(frames).sort_values(
        ["tahap", "jenis_angka", "tahun", "_edge"], ascending=[True, True, True, False]
    )
    peran = [
        ("target_" + t if t else "target") if j == "target" else "rencana"
        for t, j in zip(both["tahap"], both["jenis_angka"])
    ]
    both["peran"] = peran
    out = _chart_rows(both, "target", both["peran"].map(labels), "x")
    return out.assign(peran=peran)
