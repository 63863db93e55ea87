"""The data behind Tren, Bandingkan and Profil: series over time, year-on-year change, ranks side by
side, peer suggestions and everything known about one region. Pure pandas, no Streamlit.

Selection rules are those of analytics.metrics (realised, DBHCHT-funded, `bagian` summed, `rincian`
ignored, preferred row of a conflict); this module only lays the results out over time.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from analytics import metrics
from analytics import ranking as ranking_mod
from analytics import regions as region_ref

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

def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else pd.Timestamp(value).date()


def year_end_as_of(year: int, as_of) -> dt.date:
    """A past budget year is read as it stood on 31 December; the current one as of the as-of date."""
    return min(_date(as_of), dt.date(int(year), 12, 31))


def budget_years(tables: dict[str, pd.DataFrame], as_of, first: int = FIRST_YEAR) -> list[int]:
    """Budget years with any regional figure, from `first` up to the as-of year."""
    years: set[int] = set()
    for name in ("kepesertaan", "anggaran", "klaim"):
        frame = tables.get(name)
        if frame is not None and len(frame):
            years |= {int(y) for y in frame.loc[frame["kode"] != PROVINCE, "tahun_anggaran"].dropna().unique()}
    return sorted(y for y in years if first <= y <= _date(as_of).year)


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

YEARLY_COLUMNS = ["kode", "tahun", "per", "nilai", "kualifikasi", "pembilang", "penyebut", "tanggal_data",
                  "sumber_id", "obs_id", "catatan"]


def yearly_series(compute: Compute, indicator_id: str, years: Iterable[int], as_of,
                  read_at_year_end: bool = False) -> pd.DataFrame:
    """One row per region and budget year, each computed exactly as the ranking of that year at the
    same as-of date (so a 2024 figure published in 2025 still counts for 2024, as on Peringkat).

    read_at_year_end=True reads each past year as it stood on 31 December instead. `per` is where
    the year sits on a time axis: 31 December, or the as-of date for the current year.
    """
    frames = []
    for year in years:
        per = year_end_as_of(year, as_of)
        result = compute(indicator_id, int(year), per if read_at_year_end else _date(as_of))
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
    keep = ((kep["tahun_anggaran"] == year) & (dates <= pd.Timestamp(_date(as_of))) & (kep["kode"] != PROVINCE)
            & kep["jenis_angka"].isin(kinds) & (kep["sumber_dana"] == "dbhcht"))
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
        return pd.DataFrame(columns=["kode", "obs_id", "tahun", "tanggal_data", "peserta", "kualifikasi", "diutamakan",
                                     "sumber_id", "bagian", "catatan"])
    out = pd.concat(frames, ignore_index=True)
    return out.assign(catatan=[_report_note(m, p, n) for m, p, n in zip(out["bulan_cakupan"], out["periode_cakupan"], out["bagian"])])


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
    newest = reports.sort_values(["kode", "tanggal", "tanggal_data", "diutamakan", "obs_id"],
                                 ascending=[True, True, False, False, True]).drop_duplicates(["kode", "tanggal"])
    out = newest.rename(columns={"peserta": "nilai"})[["kode", "tanggal", "tahun", "nilai", "tanggal_data", "sumber_id", "obs_id"]]
    return out.assign(nilai=out["nilai"].astype(float)).reset_index(drop=True)


def monthly_total(monthly: pd.DataFrame) -> pd.DataFrame:
    """Sum over the regions with a figure at each month end, and how many there were."""
    grouped = monthly.groupby("tanggal")
    return grouped.agg(nilai=("nilai", "sum"), jumlah_daerah=("kode", "nunique")).reset_index()


def province_figures(kep: pd.DataFrame, as_of, years: Iterable[int] | None = None) -> pd.DataFrame:
    """Published province-wide figures (kode 35), realised, as printed — shown, never summed or ranked."""
    dates = pd.to_datetime(kep["tanggal_data"])
    keep = (kep["kode"] == PROVINCE) & (kep["jenis_angka"] == "realisasi") & (kep["peran"] != "rincian") \
        & (dates <= pd.Timestamp(_date(as_of)))
    if years is not None:
        keep &= kep["tahun_anggaran"].isin(list(years))
    rows = kep.loc[keep].assign(tanggal_data=dates[keep])
    return rows.rename(columns={"peserta": "nilai", "tahun_anggaran": "tahun"})[
        ["obs_id", "tahun", "tanggal_data", "nilai", "kualifikasi", "sumber_dana", "sumber_id"]].reset_index(drop=True)


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
        return pd.DataFrame(columns=["tahun", "tahap", "jenis_angka", "nilai", "kualifikasi", "tanggal_data", "sumber_id", "obs_id"])
    out = pd.concat(frames, ignore_index=True)
    out["tahap"] = out["tahap_anggaran"].fillna("").astype(str)
    out = out.sort_values("tanggal_data").drop_duplicates(["tahun", "tahap", "jenis_angka"], keep="last")
    return out.rename(columns={"peserta": "nilai"})[
        ["tahun", "tahap", "jenis_angka", "nilai", "kualifikasi", "tanggal_data", "sumber_id", "obs_id"]].reset_index(drop=True)


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
        rows.append(dict(tahun=year, realisasi=realised, target_murni=by_stage.get("murni", np.nan),
                         target_pak=by_stage.get("pak", np.nan), target_lain=by_stage.get("", np.nan),
                         capaian_persen=realised / newest * 100 if newest else np.nan))
    return pd.DataFrame(rows, columns=["tahun", "realisasi", "target_murni", "target_pak", "target_lain", "capaian_persen"])


# ---------------------------------------------------------------- the chart frames (what a chart shows)

CHART_COLUMNS = ["seri", "peran", "kode", "x", "nilai", "kualifikasi", "tahun", "tanggal_data", "diutamakan",
                 "catatan", "sumber_id"]


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


def province_rows(total: pd.DataFrame, label: str, x: str, peran: str = "provinsi_jumlah",
                  count_note: str = "{n} daerah") -> pd.DataFrame:
    """Chart rows for the province line: `catatan` says how many regions it covers (count_note)."""
    notes = total["jumlah_daerah"].map(lambda n: count_note.format(n=int(n))) if "jumlah_daerah" in total else None
    return _chart_rows(total, peran, label, x, kode=PROVINCE, catatan=notes)


def target_step_rows(target_rows: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """Each target as a flat step over its budget year (1 Jan – 31 Dec): two rows per year."""
    if not len(target_rows):
        return pd.DataFrame(columns=CHART_COLUMNS)
    frames = []
    for edge in ("start", "end"):
        x = [pd.Timestamp(int(y), 1, 1) if edge == "start" else pd.Timestamp(int(y), 12, 31) for y in target_rows["tahun"]]
        frames.append(target_rows.assign(x=x, _edge=edge))
    both = pd.concat(frames).sort_values(["tahap", "jenis_angka", "tahun", "_edge"], ascending=[True, True, True, False])
    peran = [("target_" + t if t else "target") if j == "target" else "rencana" for t, j in zip(both["tahap"], both["jenis_angka"])]
    both["peran"] = peran
    out = _chart_rows(both, "target", both["peran"].map(labels), "x")
    return out.assign(peran=peran)


# ---------------------------------------------------------------- comparison side by side

def rank_within_type(table: pd.DataFrame, indicator: metrics.Indicator) -> pd.Series:
    """Rank among the region's own type (kabupaten or kota), same rule as ranking.ranking(jenis=...)."""
    ranks = pd.Series(pd.NA, index=table.index, dtype="Int64")
    for _, group in table.groupby("jenis"):
        ranks.loc[group.index] = ranking_mod.competition_rank(
            group["nilai"], indicator.lebih_tinggi_lebih_baik, indicator.nilai_acuan, indicator.desimal)
    return ranks


def comparison(tables_by_indicator: dict[str, pd.DataFrame], codes: list[str]) -> pd.DataFrame:
    """One row per indicator and region: value, rank among 38 and within its type, with counts.

    `tables_by_indicator` are ranking tables (ranking.ranking / with_sources) of the same view.
    """
    catalogue = metrics.catalogue()
    frames = []
    for indicator_id, table in tables_by_indicator.items():
        table = table.assign(peringkat_jenis=rank_within_type(table, catalogue[indicator_id]))
        ranked = table.dropna(subset=["nilai"])
        counts = ranked.groupby("jenis")["kode"].size()
        picked = table.set_index("kode").reindex(codes).reset_index()
        frames.append(picked.assign(indikator=indicator_id, jumlah_berperingkat=len(ranked),
                                    jumlah_jenis=picked["jenis"].map(counts).fillna(0).astype(int)))
    columns = ["indikator", "kode", "nama", "nama_pendek", "jenis", "nilai", "kualifikasi", "bulan_cakupan", "peringkat",
               "jumlah_berperingkat", "peringkat_jenis", "jumlah_jenis", "tanggal_data", "catatan", "sumber_id"]
    extra = [c for c in ("sumber", "url") if frames and c in frames[0].columns]
    return pd.concat(frames, ignore_index=True)[columns + extra] if frames else pd.DataFrame(columns=columns)


# ---------------------------------------------------------------- peers

def population(den: pd.DataFrame, year: int) -> pd.Series:
    """Population per region for the year, else the nearest year (the earlier on a tie)."""
    pop = den.loc[(den["metrik"] == "penduduk") & (den["kode"] != PROVINCE)].copy()
    if pop.empty:
        return pd.Series(dtype=float)
    pop["jarak"] = (pop["tahun"].astype(int) - year).abs() * 2 + (pop["tahun"].astype(int) > year)
    chosen = pop.sort_values(["kode", "jarak"]).drop_duplicates("kode")
    return chosen.set_index(chosen["kode"].astype(str))["nilai"].astype(float)


@lru_cache(maxsize=4)
def neighbours(path: Path | None = None) -> dict[str, tuple[str, ...]]:
    """Regions sharing a boundary line (a point contact is not enough), from the polygons once.

    No boundary file -> {} (the dashboard then suggests peers by type and population only).
    """
    from analytics import geo
    try:
        path = path or geo.boundaries_path()
        if path is None or not Path(path).is_file():
            return {}
        shapes = geo.load_boundaries(path).set_index("kode").geometry
    except (OSError, RuntimeError, ValueError, ImportError):  # unreadable or mismatched file: no neighbours
        return {}
    out = {}
    for kode, shape in shapes.items():
        touching = shapes.index[shapes.intersects(shape) & (shapes.index != kode)]
        out[kode] = tuple(sorted(k for k in touching if shape.intersection(shapes[k]).length > 0))
    return out


def suggest_peers(kode: str, pop: pd.Series, neighbour_map: dict[str, tuple[str, ...]],
                  exclude: Iterable[str] = (), n: int = 3) -> pd.DataFrame:
    """Peers for one region: its map neighbours, then the same type with the closest population.

    Rows: kode, nama, alasan ('tetangga' | 'penduduk_mirip'), penduduk. Excluded codes are skipped.
    """
    skip = {kode, *exclude}
    regions = region_ref.regions_frame().set_index("kode")
    rows = [(k, "tetangga") for k in neighbour_map.get(kode, ()) if k not in skip]
    skip |= {k for k, _ in rows}  # a neighbour is not suggested twice
    if kode in pop.index:
        same_type = regions.index[(regions["jenis"] == regions.at[kode, "jenis"])]
        candidates = pop.reindex(same_type).dropna().drop(labels=list(skip), errors="ignore")
        closest = (candidates - pop[kode]).abs().sort_values(kind="stable").index[:n]
        rows += [(k, "penduduk_mirip") for k in closest]
    out = pd.DataFrame(rows, columns=["kode", "alasan"])
    out["nama"] = out["kode"].map(regions["nama"])
    out["penduduk"] = out["kode"].map(pop)
    return out[["kode", "nama", "alasan", "penduduk"]]


# ---------------------------------------------------------------- one region's profile

def worker_categories(kep: pd.DataFrame, kode: str, year: int, as_of) -> tuple[pd.DataFrame, bool]:
    """Participants by worker category behind the region's value: the chosen report's parts or
    breakdown (for monthly data: the latest month). When the chosen report has none, the newest
    usable report of the year that has one. Returns (rows, from_chosen_report)."""
    reports = metrics.enrolment_reports(kep, year, as_of)
    reports = reports.loc[reports["kode"] == kode].sort_values(["tanggal_data", "diutamakan"], ascending=False)
    if reports.empty:
        return _categories(kep.iloc[0:0]), True
    chosen = metrics.latest_per_region(reports).at[kode, "obs_id"]
    for laporan in [chosen, *[r for r in reports["obs_id"] if r != chosen]]:
        rows = _report_breakdown(kep, kode, year, laporan)
        if len(rows):
            return _categories(rows), laporan == chosen
    return _categories(kep.iloc[0:0]), True


def _report_breakdown(kep: pd.DataFrame, kode: str, year: int, laporan: str) -> pd.DataFrame:
    """The DBHCHT realised rows of one report that name a category (parts, breakdown, or the total itself)."""
    in_report = (kep["laporan_id"] == laporan).fillna(False) | (kep["obs_id"] == laporan).fillna(False)
    rows = kep.loc[(kep["kode"] == kode) & (kep["tahun_anggaran"] == year) & (kep["jenis_angka"] == "realisasi")
                   & (kep["sumber_dana"] == "dbhcht") & in_report]
    named = rows["kategori_pekerja"].notna() & (rows["kategori_pekerja"].astype(str) != "")
    parts = rows.loc[rows["peran"] != "total"]
    if len(parts):  # parts with no category at all are no breakdown by category
        return parts if named[parts.index].any() else parts.iloc[0:0]
    return rows.loc[named]


def _categories(rows: pd.DataFrame) -> pd.DataFrame:
    named = rows.assign(kategori=rows["kategori_pekerja"].fillna("").astype(str).replace("", "(tidak disebut)"))
    out = named.groupby("kategori", sort=False).agg(
        peserta=("peserta", "sum"), tanggal_data=("tanggal_data", "max"),
        sumber_id=("sumber_id", "first"), laporan=("laporan_id", "first")).reset_index()
    return out.sort_values("peserta", ascending=False).reset_index(drop=True)


BUDGET_ITEMS = ["alokasi_dbhcht", "anggaran_jamsos_murni", "anggaran_jamsos_pak", "realisasi_jamsos", "realisasi_dbhcht"]


def budget_summary(ang: pd.DataFrame, kode: str, years: Iterable[int], as_of) -> pd.DataFrame:
    """Per budget year the newest DBHCHT figure of each item known by the as-of date (long format).

    Only DBHCHT-funded rows count (an APBD-paid contribution budget is listed among the region's
    observations, not here). Allocation: PAK beats murni. Jamsos budget: murni and PAK apart; an
    amount marked 'tambahan' (added in the revision) is added to the murni figure when no PAK total
    was printed.
    """
    rows = []
    for year in years:
        scoped = _budget_scope(ang, kode, int(year), as_of)
        for item in BUDGET_ITEMS:
            found = _budget_item(scoped, item)
            if found is not None:
                rows.append(dict(tahun=int(year), pos=item, **found))
    return pd.DataFrame(rows, columns=["tahun", "pos", "nilai_rp", "kualifikasi", "tanggal_data", "sumber_id", "obs_id", "catatan"])


def _budget_scope(ang: pd.DataFrame, kode: str, year: int, as_of) -> pd.DataFrame:
    dates = pd.to_datetime(ang["tanggal_data"])
    keep = ((ang["kode"] == kode) & (ang["tahun_anggaran"] == year) & (dates <= pd.Timestamp(_date(as_of)))
            & ang["sumber_dana"].isin(["dbhcht"]))
    scoped = ang.loc[keep].assign(tanggal_data=dates[keep]).rename(columns={"anggaran_id": "obs_id"})
    return scoped.assign(tahap=scoped["tahap_anggaran"].fillna("").astype(str),
                         tambahan=scoped["kualifikasi"].fillna("").astype(str).eq("tambahan"))


def _newest(rows: pd.DataFrame) -> dict | None:
    if rows.empty:
        return None
    rows = metrics.resolve_conflicts(rows).assign(pak=lambda f: f["tahap"].eq("pak").astype(int))
    row = rows.sort_values(["tanggal_data", "pak", "diutamakan", "obs_id"], ascending=[False, False, False, True]).iloc[0]
    return dict(nilai_rp=float(row["nilai_rp"]), kualifikasi=row["kualifikasi"], tanggal_data=row["tanggal_data"],
                sumber_id=row["sumber_id"], obs_id=row["obs_id"], catatan=None)


def _budget_item(scoped: pd.DataFrame, item: str) -> dict | None:
    base = scoped.loc[~scoped["tambahan"]]
    if item in ("alokasi_dbhcht", "realisasi_jamsos", "realisasi_dbhcht"):
        return _newest(base.loc[base["komponen"] == item])
    jamsos = base.loc[base["komponen"] == "anggaran_jamsos"]
    murni = _newest(jamsos.loc[jamsos["tahap"] != "pak"])
    if item == "anggaran_jamsos_murni":
        return murni
    pak = _newest(jamsos.loc[jamsos["tahap"] == "pak"])
    added = scoped.loc[scoped["tambahan"] & (scoped["komponen"] == "anggaran_jamsos")]
    if pak is None and murni is not None and len(added):
        return {**murni, "nilai_rp": murni["nilai_rp"] + float(added["nilai_rp"].sum()),
                "obs_id": ";".join([murni["obs_id"], *added["obs_id"]]), "catatan": "murni + tambahan",
                "tanggal_data": max(murni["tanggal_data"], added["tanggal_data"].max())}
    return pak


def claims_summary(klaim: pd.DataFrame, kode: str, years: Iterable[int], as_of) -> pd.DataFrame:
    """Per budget year and programme the newest cumulative claims figure of DBHCHT-funded participants
    known by the as-of date (claims of APBD or mixed schemes are listed among the observations only)."""
    dates = pd.to_datetime(klaim["tanggal_data"])
    keep = ((klaim["kode"] == kode) & klaim["tahun_anggaran"].isin(list(years)) & (dates <= pd.Timestamp(_date(as_of)))
            & klaim["sumber_dana"].isin(["dbhcht"]))
    rows = klaim.loc[keep].assign(tanggal_data=dates[keep]).sort_values("tanggal_data")
    latest = rows.drop_duplicates(["tahun_anggaran", "program"], keep="last")
    out = latest.rename(columns={"tahun_anggaran": "tahun"})[["tahun", "program", "kasus", "nilai_rp", "kualifikasi",
                                                              "tanggal_data", "sumber_id", "klaim_id"]]
    return out.sort_values(["tahun", "program"], ascending=[False, True]).reset_index(drop=True)


# ---------------------------------------------------------------- every observation about a region

MONTHLY_REPORTS = re.compile(r"^\d+ laporan bulanan$")


def used_ids(results: Iterable[pd.DataFrame], kode: str, kep: pd.DataFrame, year: int, as_of) -> set[str]:
    """Observation ids behind the region's values in these metrics results (one per indicator).

    A cost computed from a monthly series names no ids ('12 laporan bulanan'): all that year's
    realised reports of the region are then in use.
    """
    used: set[str] = set()
    for result in results:
        row = result.loc[result["kode"] == kode]
        for ids in row["obs_id"].dropna():
            if MONTHLY_REPORTS.match(str(ids)):
                reports = metrics.enrolment_reports(kep, year, as_of)
                used |= set(reports.loc[reports["kode"] == kode, "obs_id"].astype(str))
            else:
                used |= {i for i in str(ids).split(";") if i}
    return used


# `keterangan`: what the figure is, as codes joined by ' · ' (jenis angka, tahap, sumber dana, komponen,
# metrik; worker categories as written), which pages label in their language; `kasus`: claim cases.
OBSERVATION_COLUMNS = ["tabel", "id", "tahun", "tanggal_data", "keterangan", "kasus", "nilai", "satuan",
                       "kualifikasi", "status", "alasan", "alasan_en", "sumber_id", "kutipan"]


def region_observations(tables: dict[str, pd.DataFrame], kode: str, year: int, as_of, used: set[str]) -> pd.DataFrame:
    """Every stored figure about the region, with `status`: 'dipakai' or why it was not used.

    `alasan` is the curation note in Indonesian, `alasan_en` the same note in English (a
    denominator's `catatan` / `catatan_en`), so a page shows the one of its language.
    Status codes: dipakai, setelah_tanggal_data, tahun_lain, rincian, rencana, target, dana_lain,
    tidak_diutamakan, tergantikan (a newer figure is used), konteks (shown, used by no indicator).
    """
    frames = [_kepesertaan_obs(tables["kepesertaan"], kode), _anggaran_obs(tables["anggaran"], kode),
              _klaim_obs(tables["klaim"], kode), _denominator_obs(tables["denominator"], kode)]
    out = pd.concat([f for f in frames if len(f)] or [pd.DataFrame(columns=OBSERVATION_COLUMNS + ["_laporan"])],
                    ignore_index=True)
    if "kasus" not in out:
        out["kasus"] = np.nan
    out["status"] = [_status(row, used, year, _date(as_of)) for row in out.to_dict("records")]
    out["status"] = _unpaired_as_context(out)
    out = out.sort_values(["tahun", "tanggal_data", "id"], ascending=[False, False, True], na_position="last")
    return out[OBSERVATION_COLUMNS].reset_index(drop=True)


def _base_obs(frame: pd.DataFrame, kode: str, table: str, id_col: str, year_col: str = "tahun_anggaran") -> pd.DataFrame:
    rows = frame.loc[frame["kode"] == kode]
    dates = pd.to_datetime(rows["tanggal_data"]) if "tanggal_data" in rows else pd.Series(pd.NaT, index=rows.index)
    return pd.DataFrame({"tabel": table, "id": rows[id_col].astype(str), "tahun": rows[year_col].astype("Int64"),
                         "tanggal_data": dates, "kualifikasi": rows.get("kualifikasi"),
                         "alasan": _column(rows, "alasan", "catatan"),
                         "alasan_en": _column(rows, "alasan_en", "catatan_en"), "sumber_id": rows["sumber_id"],
                         "kutipan": rows.get("kutipan")}, index=rows.index)


def _column(rows: pd.DataFrame, *names: str) -> pd.Series | None:
    """The first of these columns the table has (a note is `alasan` in most tables, `catatan` in one)."""
    return next((rows[name] for name in names if name in rows.columns), None)


def _kepesertaan_obs(kep: pd.DataFrame, kode: str) -> pd.DataFrame:
    rows = kep.loc[kep["kode"] == kode]
    out = _base_obs(kep, kode, "kepesertaan", "obs_id")
    described = [" · ".join(str(p) for p in parts if isinstance(p, str) and p)
                 for parts in zip(rows["jenis_angka"], rows["tahap_anggaran"], rows["sumber_dana"], rows["kategori_pekerja"])]
    return out.assign(keterangan=described, nilai=rows["peserta"].astype(float), satuan="orang",
                      _jenis=rows["jenis_angka"], _dana=rows["sumber_dana"], _peran=rows["peran"],
                      _utama=rows["diutamakan"], _laporan=rows["laporan_id"].fillna(rows["obs_id"]).astype(str))


def _anggaran_obs(ang: pd.DataFrame, kode: str) -> pd.DataFrame:
    rows = ang.loc[ang["kode"] == kode]
    described = [" · ".join(str(p) for p in parts if isinstance(p, str) and p)
                 for parts in zip(rows["komponen"], rows["tahap_anggaran"])]
    return _base_obs(ang, kode, "anggaran", "anggaran_id").assign(
        keterangan=described, nilai=rows["nilai_rp"].astype(float), satuan="rp", _utama=rows["diutamakan"],
        _komponen=rows["komponen"], _dana=rows["sumber_dana"])


def _klaim_obs(klaim: pd.DataFrame, kode: str) -> pd.DataFrame:
    rows = klaim.loc[klaim["kode"] == kode]
    return _base_obs(klaim, kode, "klaim", "klaim_id").assign(
        keterangan=[f"klaim · {p}" for p in rows["program"]], kasus=rows["kasus"].astype("Float64"),
        nilai=rows["nilai_rp"].astype(float), satuan="rp", _dana=rows["sumber_dana"])


def _denominator_obs(den: pd.DataFrame, kode: str) -> pd.DataFrame:
    rows = den.loc[den["kode"] == kode]
    return _base_obs(den, kode, "denominator", "denom_id", year_col="tahun").assign(
        keterangan=rows["metrik"], nilai=rows["nilai"].astype(float), satuan=rows["satuan"], _metrik=rows["metrik"])


def _unpaired_as_context(out: pd.DataFrame) -> pd.Series:
    """A budget or claims figure is 'superseded' only if a sibling of its kind and year is in use;
    otherwise no indicator could use it (e.g. an allocation without a jamsos budget): context."""
    kind = out["keterangan"].astype(str).str.split(" · ").str[0].where(out["tabel"] != "klaim", out["tabel"])
    group = out["tabel"] + "|" + kind + "|" + out["tahun"].astype(str)
    in_use = set(group[out["status"] == "dipakai"])
    lonely = (out["status"] == "tergantikan") & ~group.isin(in_use)
    return out["status"].mask(lonely, "konteks")


def _status(row: dict, used: set[str], year: int, as_of: dt.date) -> str:
    if row.get("_peran") == "rincian":
        return "rincian"
    if row["id"] in used or row.get("_laporan") in used:  # a summed report is used under its laporan_id
        return "dipakai"
    if pd.notna(row["tanggal_data"]) and row["tanggal_data"].date() > as_of:
        return "setelah_tanggal_data"
    if row["tabel"] == "denominator" or row.get("_komponen") == "realisasi_dbhcht":
        return "konteks"  # used by no indicator (area, poverty, DBHCHT transfers): context only
    if pd.notna(row["tahun"]) and int(row["tahun"]) != year:
        return "tahun_lain"
    if row.get("_jenis") in ("rencana", "target"):
        return row["_jenis"]
    if isinstance(row.get("_dana"), str) and row["_dana"] != "dbhcht":
        return "dana_lain"
    if _is_false(row.get("_utama")):
        return "tidak_diutamakan"
    return "tergantikan"


def _is_false(value) -> bool:
    return value is not None and not pd.isna(value) and not bool(value)


def region_sources(observations: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The distinct sources behind a region's figures: title, publisher, date, link, how many figures
    each gives and how many of them are in use. Sources of figures in use come first."""
    if observations.empty:
        return pd.DataFrame(columns=["sumber_id", "judul", "penerbit", "tanggal", "url", "jumlah_angka", "jumlah_dipakai"])
    counts = observations.groupby("sumber_id").agg(
        jumlah_angka=("id", "size"), jumlah_dipakai=("status", lambda s: int((s == "dipakai").sum())))
    known = sources.set_index("sumber_id")
    out = counts.join(known[["judul", "penerbit", "tanggal_terbit", "tanggal_terbit_teks", "url"]], how="left").reset_index()
    out["tanggal"] = [str(d)[:10] if pd.notna(d) else (t if isinstance(t, str) else None)
                      for d, t in zip(out["tanggal_terbit"], out["tanggal_terbit_teks"])]
    out = out.sort_values(["jumlah_dipakai", "tanggal"], ascending=[False, False], na_position="last")
    return out[["sumber_id", "judul", "penerbit", "tanggal", "url", "jumlah_angka", "jumlah_dipakai"]].reset_index(drop=True)
