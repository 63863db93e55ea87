"""Indicator catalogue and computations: pure functions, DataFrames in, DataFrames out.

Every computation returns one row per region (all 38) with the value and what it was built from:
`nilai` (NaN = no usable data), `pembilang`/`penyebut` (numerator/denominator where it is a ratio),
`kualifikasi` (as printed: 'lebih dari', 'sekitar'), `tanggal_data` (date of the newest figure used),
`sumber_id` (sources, ';'-joined), `obs_id` (observations used), `catatan` (why there is no value,
or a flag) and `bulan_cakupan` (months covered when a figure covers part of a year only, so pages can
mark it; empty for full-year and month-end figures).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import threading
import tomllib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from analytics import paths
from analytics import regions as region_ref

CATALOGUE_FILE = paths.DATA_DIR / "indikator.toml"
PROVINCE_CODE = "35"
REFERENCE_PREMIUM = 16_800  # JKK Rp10.000 + JKM Rp6.800 per person per month (PP 44/2015)
PREMIUM_TOLERANCE = 0.05
RESULT_COLUMNS = [
    "kode",
    "nilai",
    "kualifikasi",
    "pembilang",
    "penyebut",
    "tanggal_data",
    "sumber_id",
    "obs_id",
    "catatan",
    "bulan_cakupan",
]


@dataclass(frozen=True)
class Indicator:
    id: str
    judul_id: str
    judul_en: str
    satuan: str
    satuan_id: str
    satuan_en: str
    desimal: int
    lebih_tinggi_lebih_baik: bool
    definisi_id: str
    definisi_en: str
    input: tuple[str, ...]  # keys of data/masukan.toml
    catatan_sumber_id: str
    catatan_sumber_en: str
    nilai_acuan: float | None = None

    def title(self, lang: str = "id") -> str:
        return self.judul_id if lang == "id" else self.judul_en

    def unit(self, lang: str = "id") -> str:
        return self.satuan_id if lang == "id" else self.satuan_en

    def definition(self, lang: str = "id") -> str:
        return self.definisi_id if lang == "id" else self.definisi_en

    def source_note(self, lang: str = "id") -> str:
        return self.catatan_sumber_id if lang == "id" else self.catatan_sumber_en

    def input_labels(self, lang: str = "id") -> list[str]:
        return [inputs()[key][lang] for key in self.input]


INPUTS_FILE = CATALOGUE_FILE.with_name("masukan.toml")


@lru_cache(maxsize=1)
def inputs() -> dict[str, dict[str, str]]:
    """What indicators are computed from: key -> {id, en, templat} (data/masukan.toml)."""
    with INPUTS_FILE.open("rb") as handle:
        return tomllib.load(handle)


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Indicator]:
    with CATALOGUE_FILE.open("rb") as handle:
        raw = tomllib.load(handle)
    return {key: Indicator(id=key, **{**spec, "input": tuple(spec["input"])}) for key, spec in raw.items()}


# ---------------------------------------------------------------- choosing observations

# ---------------------------------------------------------------- inputs shared by indicators

_scope = threading.local()


@contextlib.contextmanager
def shared_inputs():
    """Within the block, the frames several indicators are built on (each year's chosen enrolment,
    budget components, population, claims) are computed once per thread and reused: ranking all
    nine indicators for two years otherwise rebuilds the same enrolment figures a dozen times.
    The memo lives as long as the block, in this thread only, so sessions never share it and a
    swapped-in store is never read through an old memo."""
    outer = getattr(_scope, "memo", None)
    if outer is None:
        _scope.memo = {}
    try:
        yield
    finally:
        if outer is None:
            del _scope.memo


def _shared(function):
    """Memoise `function(frame, *args)` inside shared_inputs(); a copy is returned, so a caller
    changing its result cannot change another's. The memo holds the frame too, so its id cannot
    be reused by another frame while the block runs."""

    @functools.wraps(function)
    def memoised(frame: pd.DataFrame, *args, **kwargs):
        memo = getattr(_scope, "memo", None)
        if memo is None:
            return function(frame, *args, **kwargs)
        key = (function.__name__, id(frame), args, tuple(sorted(kwargs.items())))
        if key not in memo:
            memo[key] = (frame, function(frame, *args, **kwargs))
        return memo[key][1].copy()

    return memoised


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else pd.Timestamp(value).date()


@_shared
def _dates(frame: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(frame["tanggal_data"])


def _in_scope(frame: pd.DataFrame, year: int, as_of: dt.date) -> pd.DataFrame:
    """Rows of the budget year dated on or before the as-of date, regions only (not the province)."""
    dates = _dates(frame)
    keep = (frame["tahun_anggaran"] == year) & (dates <= pd.Timestamp(as_of)) & (frame["kode"] != PROVINCE_CODE)
    return frame.loc[keep].assign(tanggal_data=dates[keep])


def _join(values) -> str:
    return ";".join(sorted({str(v) for v in values if isinstance(v, str) and v}))


def collapse_reports(kep: pd.DataFrame) -> pd.DataFrame:
    """One row per report: 'bagian' rows of a laporan_id are summed, 'rincian' rows dropped.

    A summed report is referred to by its laporan_id (obs_id column), which names its parts.
    """
    rows = kep.loc[kep["peran"] != "rincian"].copy()
    rows["laporan"] = rows["laporan_id"].fillna(rows["obs_id"]).astype(str)
    if not rows.duplicated(["kode", "laporan"]).any():
        return _single_part_reports(rows)
    grouped = rows.groupby(["kode", "laporan"], sort=False)
    # One group-by call per reduction over several columns: a dict of named aggregations runs each
    # column separately and costs several times more on these small frames.
    firsts = grouped[
        ["kualifikasi", "periode_cakupan", "jenis_angka", "tahap_anggaran", "konflik_id", "sumber_id"]
    ].first()
    latest = grouped[["tanggal_data", "bulan_cakupan"]].max()
    reports = pd.concat(
        [
            grouped["peserta"].sum(),
            latest,
            firsts.drop(columns="sumber_id"),
            grouped["diutamakan"].all(),
            firsts["sumber_id"],
            grouped["sumber_id"].nunique().rename("sumber_beda"),
            grouped.size().rename("bagian"),
        ],
        axis=1,
    ).reset_index()
    reports["obs_id"] = reports["laporan"]
    several = reports["sumber_beda"] > 1  # rare: parts of one report cited from different sources
    if several.any():
        joined = rows.groupby(["kode", "laporan"], sort=False)["sumber_id"].agg(_join)
        keys = list(zip(reports.loc[several, "kode"], reports.loc[several, "laporan"]))
        reports.loc[several, "sumber_id"] = [joined[key] for key in keys]
    return reports.drop(columns="sumber_beda")


def _single_part_reports(rows: pd.DataFrame) -> pd.DataFrame:
    """collapse_reports when every report is one row (the common case): the same columns without
    a group-by, which costs more than all the rest of an indicator on a year's few hundred rows."""
    columns = [
        "kode",
        "laporan",
        "peserta",
        "tanggal_data",
        "bulan_cakupan",
        "kualifikasi",
        "periode_cakupan",
        "jenis_angka",
        "tahap_anggaran",
        "konflik_id",
        "diutamakan",
        "sumber_id",
    ]
    reports = rows[columns].reset_index(drop=True)
    return reports.assign(bagian=np.int64(1), obs_id=reports["laporan"])


def resolve_conflicts(reports: pd.DataFrame) -> pd.DataFrame:
    """Inside each konflik_id keep the preferred report if it is available, else the newest one."""
    in_conflict = reports["konflik_id"].notna() & (reports["konflik_id"].astype("string") != "")
    if not in_conflict.any():
        return reports
    ranked = reports.loc[in_conflict].sort_values(
        ["diutamakan", "tanggal_data", "obs_id"], ascending=[False, False, True]
    )
    winners = ranked.drop_duplicates(["kode", "konflik_id"], keep="first")
    return pd.concat([reports.loc[~in_conflict], winners]).sort_index()


def latest_per_region(reports: pd.DataFrame) -> pd.DataFrame:
    """The newest report per region; same date -> preferred first, then lowest id (deterministic)."""
    ordered = reports.sort_values(
        ["kode", "tanggal_data", "diutamakan", "obs_id"], ascending=[True, False, False, True]
    )
    return ordered.drop_duplicates("kode", keep="first").set_index("kode")


@_shared
def enrolment_reports(kep: pd.DataFrame, year: int, as_of, kinds=("realisasi",), funds=("dbhcht",)) -> pd.DataFrame:
    """All usable reports of a year: in scope, of the wanted kinds and funding, conflicts resolved."""
    scoped = _in_scope(kep, year, _as_date(as_of))
    scoped = scoped.loc[scoped["jenis_angka"].isin(kinds) & scoped["sumber_dana"].isin(funds)]
    return resolve_conflicts(collapse_reports(scoped))


@_shared
def chosen_enrolment(kep: pd.DataFrame, year: int, as_of, kinds=("realisasi",), funds=("dbhcht",)) -> pd.DataFrame:
    """The figure each region's value is built on (indexed by kode)."""
    return latest_per_region(enrolment_reports(kep, year, as_of, kinds, funds))


def _empty_result() -> pd.DataFrame:
    return _empty_template().copy()


@lru_cache(maxsize=1)
def _empty_template() -> pd.DataFrame:
    frame = region_ref.regions_frame()[["kode"]].copy()
    for col in RESULT_COLUMNS[1:]:
        frame[col] = np.nan if col in ("nilai", "pembilang", "penyebut", "bulan_cakupan") else None
    return frame.set_index("kode")


def _result(values: pd.DataFrame, no_data_note: str) -> pd.DataFrame:
    """Align computed rows (indexed by kode) to all 38 regions; regions without a value get the note."""
    out = _empty_result()
    present = [col for col in RESULT_COLUMNS[1:] if col in values.columns]
    aligned = values.loc[values.index.isin(out.index), present].reindex(out.index)
    for col in present:
        out[col] = aligned[col].astype(object) if out[col].dtype == object else aligned[col]
    missing = out["nilai"].isna() & out["catatan"].isna()
    out.loc[missing, "catatan"] = no_data_note
    out["nilai"] = out["nilai"].astype(float)
    out["bulan_cakupan"] = out["bulan_cakupan"].astype(float)
    out["catatan"] = out["catatan"].astype(object).where(out["catatan"].notna(), None)
    return out.reset_index()


# ---------------------------------------------------------------- budgets, claims, denominators


@_shared
def _latest_amount(ang: pd.DataFrame, year: int, as_of, komponen: str) -> pd.DataFrame:
    """Newest DBHCHT-funded figure of one budget component per region; PAK beats murni on the same date.

    Budgets of other funds (an APBD-paid scheme) are never used. Rows marked kualifikasi 'tambahan'
    (an addition in the revision, not a new total) are added to the newest other figure dated on or
    before them.
    """
    scoped = _in_scope(ang, year, _as_date(as_of))
    scoped = scoped.loc[(scoped["komponen"] == komponen) & scoped["sumber_dana"].isin(["dbhcht"])]
    scoped = scoped.rename(columns={"anggaran_id": "obs_id"})
    is_addition = scoped["kualifikasi"].fillna("").eq("tambahan")
    base = resolve_conflicts(scoped.loc[~is_addition])
    base = base.assign(stage_rank=base["tahap_anggaran"].fillna("").eq("pak").astype(int))
    ordered = base.sort_values(
        ["kode", "tanggal_data", "stage_rank", "diutamakan", "obs_id"], ascending=[True, False, False, False, True]
    )
    latest = ordered.drop_duplicates("kode").set_index("kode")
    return _add_additions(latest, scoped.loc[is_addition])


def _add_additions(latest: pd.DataFrame, additions: pd.DataFrame) -> pd.DataFrame:
    latest = latest.copy()
    for row in additions.itertuples():
        if row.kode in latest.index and row.tanggal_data >= latest.at[row.kode, "tanggal_data"]:
            latest.at[row.kode, "nilai_rp"] += row.nilai_rp
            latest.at[row.kode, "obs_id"] = _join([*latest.at[row.kode, "obs_id"].split(";"), row.obs_id])
    return latest


@_shared
def _population(den: pd.DataFrame, year: int) -> pd.DataFrame:
    """Population per region for the year, else the nearest year (earlier wins a tie)."""
    pop = den.loc[(den["metrik"] == "penduduk") & (den["kode"] != PROVINCE_CODE)].copy()
    pop["jarak"] = (pop["tahun"] - year).abs() * 2 + (pop["tahun"] > year)
    return pop.sort_values(["kode", "jarak"]).drop_duplicates("kode").set_index("kode")


@_shared
def _claims(klaim: pd.DataFrame, year: int, as_of, column: str) -> pd.DataFrame:
    """Claims of DBHCHT-funded participants per region: the newest cumulative figure of each
    programme that prints `column` (cases or rupiah), summed over the programmes.

    Claims of schemes paid from other funds (APBD, mixed) are never used. A figure that prints only
    the other measure (cases without rupiah) is skipped for this one, not counted as zero.
    """
    scoped = _in_scope(klaim, year, _as_date(as_of))
    scoped = scoped.loc[scoped["sumber_dana"].isin(["dbhcht"]) & scoped[column].notna()]
    latest = scoped.sort_values("tanggal_data").drop_duplicates(["kode", "program"], keep="last")
    return latest.groupby("kode").agg(
        nilai=(column, "sum"),
        tanggal_data=("tanggal_data", "max"),
        sumber_id=("sumber_id", _join),
        obs_id=("klaim_id", _join),
    )


# ---------------------------------------------------------------- the indicators


def _peserta(tables, year, as_of) -> pd.DataFrame:
    kep = tables["kepesertaan"]
    chosen = chosen_enrolment(kep, year, as_of)
    months = chosen["bulan_cakupan"].tolist()  # plain lists: iterating Arrow-backed columns is slow
    notes = [coverage_note(m, p) for m, p in zip(months, chosen["periode_cakupan"].tolist())]
    values = chosen.assign(
        nilai=chosen["peserta"].astype(float),
        catatan=notes,
        bulan_cakupan=[float(m) if n and pd.notna(m) and m < 12 else np.nan for m, n in zip(months, notes)],
    )
    result = _result(values, "tidak ada angka realisasi DBHCHT")
    missing = result.loc[result["nilai"].isna(), "kode"].tolist()
    if missing:  # why, from the rows of only the regions without a value
        rows = kep.loc[(kep["tahun_anggaran"] == year) & kep["kode"].isin(missing)]
        of_year = dict(tuple(rows.groupby("kode")))
        result.loc[result["kode"].isin(missing), "catatan"] = [
            why_no_enrolment(of_year.get(kode), year, as_of) for kode in missing
        ]
    return result


def coverage_note(months, period) -> str | None:
    """'cakupan 3 bulan (Okt–Des 2025)': figures covering few months are not like-for-like."""
    if pd.isna(months) or months == 1:  # a month-end count (monthly series) covers no part of a year
        return None
    text = f"cakupan {int(months)} bulan"
    return f"{text} ({period})" if isinstance(period, str) and period else text


KIND_LABELS = {
    "rencana": "rencana",
    "target": "target",
    "apbd": "dana APBD",
    "campuran": "dana campuran",
    "tidak_disebut": "sumber dana tidak disebut",
}


def why_no_enrolment(rows: pd.DataFrame | None, year: int, as_of) -> str:
    """Say why a region has no realised DBHCHT figure: nothing at all, only later figures, or other kinds.

    `rows` are the region's enrolment rows of that budget year (None when there are none).
    """
    if rows is None or rows.empty:
        return f"tidak ada angka untuk tahun {year}"
    dates = pd.to_datetime(rows["tanggal_data"])
    usable = (rows["jenis_angka"] == "realisasi") & (rows["sumber_dana"] == "dbhcht")
    if usable.any():
        first = dates[usable].min()
        return f"angka pertama bertanggal {first:%Y-%m-%d}, setelah tanggal data"
    known = rows.loc[dates <= pd.Timestamp(_as_date(as_of))]
    kinds = sorted(
        {KIND_LABELS[k] for k in known["jenis_angka"] if k in KIND_LABELS}
        | {KIND_LABELS[f] for f in known["sumber_dana"] if f in KIND_LABELS}
    )
    if kinds:
        return "hanya angka " + ", ".join(kinds) + " (tidak dibandingkan)"
    return "tidak ada angka sampai tanggal data"


def _ids(frame: pd.DataFrame, codes: pd.Index, column: str) -> list:
    """The `column` values (';'-joined ids) of `codes`' rows; None where the frame has no such column."""
    return frame[column].reindex(codes).tolist() if column in frame.columns else [None] * len(codes)


def _split(value) -> list[str]:
    return str(value).split(";") if isinstance(value, str) else []


def _combine(num: pd.DataFrame, den: pd.DataFrame, num_col: str, den_col: str, scale: float) -> pd.DataFrame:
    """A ratio of two per-region frames (indexed by kode), keeping the provenance of both."""
    both = num.index.intersection(den.index)
    out = pd.DataFrame(
        {"pembilang": num.loc[both, num_col].astype(float), "penyebut": den.loc[both, den_col].astype(float)},
        index=both,
    )
    out["nilai"] = out["pembilang"] / out["penyebut"].replace(0, np.nan) * scale
    dates = [frame["tanggal_data"].reindex(both) for frame in (num, den) if "tanggal_data" in frame.columns]
    out["tanggal_data"] = pd.concat(dates, axis=1).max(axis=1)
    for column in ("sumber_id", "obs_id"):
        out[column] = [_join(_split(a) + _split(b)) for a, b in zip(_ids(num, both, column), _ids(den, both, column))]
    return out


def _pertumbuhan(tables, year, as_of) -> pd.DataFrame:
    now = chosen_enrolment(tables["kepesertaan"], year, as_of)
    before = chosen_enrolment(tables["kepesertaan"], year - 1, as_of)
    return _result(
        _combine(now, before, "peserta", "peserta", 100.0).assign(nilai=lambda f: f["nilai"] - 100.0),
        "tidak ada angka realisasi dua tahun berturut-turut",
    )


def _capaian(tables, year, as_of) -> pd.DataFrame:
    real = chosen_enrolment(tables["kepesertaan"], year, as_of)
    target = chosen_enrolment(tables["kepesertaan"], year, as_of, kinds=("target", "rencana"))
    return _result(_combine(real, target, "peserta", "peserta", 100.0), "tidak ada pasangan realisasi dan target")


def _per_1000(tables, year, as_of) -> pd.DataFrame:
    real = chosen_enrolment(tables["kepesertaan"], year, as_of)
    pop = _population(tables["denominator"], year).rename(columns={"denom_id": "obs_id"})
    combined = _combine(real, pop, "peserta", "nilai", 1000.0)
    years = pop["tahun"].reindex(combined.index)
    combined["catatan"] = [None if y == year else f"penduduk tahun {int(y)}" for y in years]
    return _result(combined, "tidak ada angka realisasi DBHCHT atau penduduk")


def _porsi(tables, year, as_of) -> pd.DataFrame:
    jamsos = _latest_amount(tables["anggaran"], year, as_of, "anggaran_jamsos")
    alokasi = _latest_amount(tables["anggaran"], year, as_of, "alokasi_dbhcht")
    return _result(
        _combine(jamsos, alokasi, "nilai_rp", "nilai_rp", 100.0),
        "tidak ada pasangan anggaran jamsos dan alokasi DBHCHT",
    )


def _participant_months(tables, year, as_of) -> pd.DataFrame:
    """Participant-months per region: summed month by month for monthly series, else latest × months."""
    reports = enrolment_reports(tables["kepesertaan"], year, as_of)
    months = reports["bulan_cakupan"]
    monthly = (months.notna() & (months == 1)).fillna(False).astype(bool).groupby(reports["kode"]).all()
    summed = reports.groupby("kode").agg(
        peserta_bulan=("peserta", "sum"),
        tanggal_data=("tanggal_data", "max"),
        sumber_id=("sumber_id", _join),
        obs_id=("obs_id", lambda s: f"{len(s)} laporan bulanan"),
    )
    latest = latest_per_region(reports)
    latest = latest.assign(peserta_bulan=latest["peserta"] * latest["bulan_cakupan"])
    return pd.concat([summed.loc[monthly[monthly].index], latest.loc[monthly[~monthly].index]])


def _biaya(tables, year, as_of) -> pd.DataFrame:
    months = _participant_months(tables, year, as_of).dropna(subset=["peserta_bulan"])
    paid = _latest_amount(tables["anggaran"], year, as_of, "realisasi_jamsos")
    budget = _latest_amount(tables["anggaran"], year, as_of, "anggaran_jamsos")
    money = pd.concat([paid, budget.loc[budget.index.difference(paid.index)]])
    out = _combine(money, months, "nilai_rp", "peserta_bulan", 1.0)
    out["catatan"] = [premium_flag(v) for v in out["nilai"]]
    return _result(out, "tidak ada pasangan dana iuran dan peserta-bulan")


def premium_flag(cost: float) -> str | None:
    """'di atas/di bawah acuan' when a cost per participant-month is more than 5 % off Rp16.800."""
    deviation = cost / REFERENCE_PREMIUM - 1
    if deviation > PREMIUM_TOLERANCE:
        return "di atas acuan Rp16.800"
    if deviation < -PREMIUM_TOLERANCE:
        return "di bawah acuan Rp16.800"
    return None


def _serapan(tables, year, as_of) -> pd.DataFrame:
    paid = _latest_amount(tables["anggaran"], year, as_of, "realisasi_jamsos")
    budget = _latest_amount(tables["anggaran"], year, as_of, "anggaran_jamsos")
    return _result(
        _combine(paid, budget, "nilai_rp", "nilai_rp", 100.0), "tidak ada pasangan realisasi dan anggaran iuran"
    )


def _klaim_kasus(tables, year, as_of) -> pd.DataFrame:
    return _result(_claims(tables["klaim"], year, as_of, "kasus"), "tidak ada data klaim")


def _klaim_rp(tables, year, as_of) -> pd.DataFrame:
    return _result(_claims(tables["klaim"], year, as_of, "nilai_rp"), "tidak ada data klaim")


COMPUTATIONS = {
    "peserta_dbhcht": _peserta,
    "pertumbuhan_peserta": _pertumbuhan,
    "capaian_target": _capaian,
    "peserta_per_1000": _per_1000,
    "porsi_jamsos_dbhcht": _porsi,
    "biaya_per_peserta_bulan": _biaya,
    "serapan_anggaran": _serapan,
    "klaim_kasus": _klaim_kasus,
    "klaim_rp": _klaim_rp,
}


def compute(indicator_id: str, tables: dict[str, pd.DataFrame], year: int, as_of) -> pd.DataFrame:
    """The indicator for all 38 regions (RESULT_COLUMNS). Unknown id -> KeyError."""
    if indicator_id not in catalogue():
        raise KeyError(indicator_id)
    return COMPUTATIONS[indicator_id](tables, int(year), as_of)[RESULT_COLUMNS]


def compute_all(tables: dict[str, pd.DataFrame], year: int, as_of) -> dict[str, pd.DataFrame]:
    """Every catalogue indicator for all 38 regions, sharing the inputs they have in common."""
    with shared_inputs():
        return {indicator_id: compute(indicator_id, tables, year, as_of) for indicator_id in catalogue()}


def input_coverage(tables: dict[str, pd.DataFrame], year: int, as_of) -> dict[str, int]:
    """Per input of data/masukan.toml: how many regions have it for the budget year at the as-of
    date, read by the same rules as the indicators (so an empty ranking can say what is missing)."""
    kep = tables["kepesertaan"]
    real = chosen_enrolment(kep, year, as_of)
    amounts = {
        k: _latest_amount(tables["anggaran"], year, as_of, k)
        for k in ("alokasi_dbhcht", "anggaran_jamsos", "realisasi_jamsos")
    }
    return {
        "peserta_realisasi": len(real),
        "peserta_tahun_lalu": len(chosen_enrolment(kep, year - 1, as_of)),
        "peserta_target": len(chosen_enrolment(kep, year, as_of, kinds=("target", "rencana"))),
        "bulan_cakupan": int(real["bulan_cakupan"].notna().sum()) if len(real) else 0,
        "penduduk": len(_population(tables["denominator"], year)),
        **{key: len(frame) for key, frame in amounts.items()},
        "klaim_kasus": len(_claims(tables["klaim"], year, as_of, "kasus")),
        "klaim_rp": len(_claims(tables["klaim"], year, as_of, "nilai_rp")),
    }


def years_available(tables: dict[str, pd.DataFrame]) -> list[int]:
    """Budget years with at least one realised enrolment figure for a region."""
    kep = tables["kepesertaan"]
    real = kep.loc[(kep["jenis_angka"] == "realisasi") & (kep["kode"] != PROVINCE_CODE)]
    return sorted(int(y) for y in real["tahun_anggaran"].unique())


def province_reported(tables: dict[str, pd.DataFrame], year: int, as_of) -> pd.DataFrame:
    """Province-level published figures (kode 35) for the year, newest first — shown, never ranked."""
    kep = tables["kepesertaan"]
    dates = pd.to_datetime(kep["tanggal_data"])
    keep = (kep["kode"] == PROVINCE_CODE) & (kep["tahun_anggaran"] == year) & (dates <= pd.Timestamp(_as_date(as_of)))
    return kep.loc[keep].sort_values("tanggal_data", ascending=False)


def province_summary(now: pd.DataFrame, before: pd.DataFrame, per_1000: pd.DataFrame) -> dict:
    """The province KPI from three ranking tables (peserta_dbhcht this year and last, peserta_per_1000):
    the sum over the regions with data; the change on the regions present in both years only
    (`common` of them; NaN when none or last year's sum is 0); participants per 1.000 population
    of the regions that have both figures (Σ participants ÷ Σ population, not a mean of rates)."""
    ranked = now.dropna(subset=["nilai"])
    common = ranked[["kode", "nilai"]].merge(
        before.dropna(subset=["nilai"])[["kode", "nilai"]], on="kode", suffixes=("", "_lalu")
    )
    last = common["nilai_lalu"].sum()
    change = (common["nilai"].sum() / last - 1) * 100 if len(common) and last > 0 else float("nan")
    rates = per_1000.dropna(subset=["nilai"])
    rate = rates["pembilang"].sum() / rates["penyebut"].sum() * 1000 if len(rates) else float("nan")
    return {
        "total": float(ranked["nilai"].sum()),
        "regions": len(ranked),
        "change_pct": change,
        "common": len(common),
        "per_1000": rate,
    }
