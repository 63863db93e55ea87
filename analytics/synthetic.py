"""Deterministic generator of the synthetic `contoh` dataset.

The tables exist so every dashboard feature has complete data for all 38 regions. Only the 2025
population and the area in data/contoh/profil.csv are real; everything else is invented, and the
app watermarks every screen that shows it "DATA CONTOH". All randomness comes from one
numpy Generator drawn in a fixed order, so one seed always gives byte-identical CSV files. The
committee scores (`penilaian`, added later) draw from a second Generator seeded from the same seed,
so adding them left every other table exactly as it was.
"""

from __future__ import annotations

import calendar
import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analytics import metrics, paths, plausible
from analytics.importing.cells import ParseError

DEFAULT_SEED = 20250710

DATA_DIR = paths.DATA_DIR
PROFIL_PATH = DATA_DIR / "contoh" / "profil.csv"
REGIONS_PATH = DATA_DIR / "regions.csv"
KOMITE_PATH = DATA_DIR / "penilaian" / "komite.toml"

SUMBER_ID = "CONTOH"
KUTIPAN = "sintetis"
YEARS = np.arange(2022, 2027)
MONTHS = np.arange(1, 13)
# The synthetic world's today: its figures run to the end of its last year. The importer's rule of
# plausible years and dates (analytics.plausible) is checked against this date, not the machine's
# clock, so one seed gives the same tables on any day.
AS_OF = dt.date(int(YEARS[-1]), 12, 31)
YEAR_2025 = int(np.flatnonzero(YEARS == 2025)[0])
BULAN = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")

KATEGORI = (
    "buruh tani tembakau",
    "buruh pabrik rokok",
    "nelayan",
    "guru ngaji/marbot",
    "ojol",
    "pekerja rentan lain",
)
KATEGORI_COLUMNS = [
    "porsi_buruh_tani_tembakau",
    "porsi_buruh_pabrik_rokok",
    "porsi_nelayan",
    "porsi_guru_ngaji_marbot",
    "porsi_ojol",
    "porsi_pekerja_rentan_lain",
]

# Province-wide level relative to 2025 (profil holds the 2025 level): the programme spread fast
# after 2022, so the early years are much smaller; 2026 continues the trend a little.
ENROLMENT_BY_YEAR = np.array([0.22, 0.45, 0.75, 1.00, 1.06])
ALLOCATION_BY_YEAR = np.array([0.82, 0.87, 0.93, 1.00, 1.03])

JKM_BENEFIT_RP = 42_000_000  # death benefit per case
JKK_MEAN_RP = 15_000_000
JKK_SIGMA = 0.9  # log-normal spread of work-accident payouts
# Cases per participant-month, tuned so 2025 gives about 775 claims and Rp28 miliar province-wide.
JKM_RATE = 1.33e-4
JKK_RATE = 3.6e-5

# Every note the generator writes, in Indonesian (alasan, catatan) and English (alasan_en, catatan_en).
CATATAN_CAMPURAN = "program campuran DBHCHT dan APBD"
NOTES_EN = {
    "": "",
    CATATAN_CAMPURAN: "programme mixing DBHCHT and APBD funding",
    "Dukcapil/Kemendagri 2025 (nilai nyata), bukan BPS": "Dukcapil/Kemendagri 2025 (real value), not BPS",
    "sintetis: penduduk Dukcapil 2025 dengan pertumbuhan sintetis":
        "synthetic: the Dukcapil 2025 population with synthetic growth",
    "sintetis": "synthetic",
    "BIG 2024 (nilai nyata)": "BIG 2024 (real value)",
    "sintetis: skor komite rekaan": "synthetic: invented committee score",
}


def _english(notes) -> np.ndarray:
    """The English text of the generator's Indonesian notes (KeyError for a note without one)."""
    return np.array([NOTES_EN[n] for n in np.asarray(notes, dtype=object).ravel()], dtype=object)

COLUMNS = {
    "sumber": [
        "sumber_id", "judul", "url", "penerbit", "tanggal_terbit", "tanggal_terbit_teks", "catatan",
    ],
    "kepesertaan": [
        "obs_id", "kode", "tahun_anggaran", "tanggal_data", "peserta", "kualifikasi",
        "bulan_cakupan", "periode_cakupan", "jenis_angka", "tahap_anggaran", "sumber_dana",
        "kategori_pekerja", "laporan_id", "peran", "konflik_id", "diutamakan", "alasan",
        "sumber_id", "kutipan", "alasan_en",
    ],
    "anggaran": [
        "anggaran_id", "kode", "tahun_anggaran", "tanggal_data", "komponen", "tahap_anggaran",
        "nilai_rp", "kualifikasi", "bulan_cakupan", "konflik_id", "diutamakan", "alasan",
        "sumber_id", "kutipan", "sumber_dana", "alasan_en",
    ],
    "klaim": [
        "klaim_id", "kode", "tahun_anggaran", "tanggal_data", "program", "kasus", "nilai_rp",
        "kualifikasi", "sumber_id", "kutipan", "sumber_dana", "alasan", "alasan_en",
    ],
    "denominator": [
        "denom_id", "kode", "tahun", "metrik", "nilai", "satuan", "catatan", "sumber_id", "kutipan",
        "catatan_en",
    ],
    "penilaian": [
        "penilaian_id", "kode", "tahun", "tanggal_data", "kriteria", "skor", "penilai", "catatan",
        "catatan_en", "sumber_id",
    ],
}


@dataclass
class Programme:
    """Monthly enrolment on a (region, year, month) grid; stream 0 = programme, 1 = APBD."""

    profil: pd.DataFrame
    active: np.ndarray  # (R, Y) bool: the region runs its DBHCHT/campuran programme that year
    plan: np.ndarray  # (R, Y, 12, 2) noise-free planned level
    counts: np.ndarray  # (R, Y, 12, 2) int: active participants at month end
    shares: np.ndarray  # (R, Y, K) worker-category mix of each region-year
    gap: np.ndarray  # (R, Y, 12) bool: month not reported at all
    target_murni: np.ndarray  # (R, Y) int enrolment target of the original budget
    target_pak: np.ndarray  # (R, Y) int enrolment target after the budget revision


def generate(seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """All six `contoh` tables; the same seed always gives the same tables."""
    rng = np.random.default_rng(seed)
    profil = load_profil()
    prog = _programme(profil, rng)
    tables = {
        "sumber": _sumber(seed),
        "kepesertaan": _kepesertaan(prog),
        "anggaran": _anggaran(prog, rng),
        "klaim": _klaim(prog, rng),
        "denominator": _denominator(profil, rng),
    }
    # Its own Generator (seeded from the same seed): the five tables above stay byte-identical.
    tables["penilaian"] = _penilaian(profil, tables, np.random.default_rng([seed, PENILAIAN_STREAM]))
    check_plausible(tables)
    return {name: table[COLUMNS[name]] for name, table in tables.items()}


def check_plausible(tables: dict[str, pd.DataFrame], now: dt.date = AS_OF) -> None:
    """ValueError unless every budget year and data date obeys analytics.plausible as of `now`:
    what the importer would refuse is not generated either."""
    for name, table in tables.items():
        year = next((c for c in ("tahun_anggaran", "tahun") if c in table), None)
        if year is None:
            continue
        when = pd.DataFrame({"year": table[year].astype(int), "planned": _planned(name, table),
                             "date": table["tanggal_data"] if "tanggal_data" in table else ""}).drop_duplicates()
        for row in when.itertuples(index=False):  # a few hundred distinct (year, planned, date)
            try:
                plausible.check_year(row.year, now)
                if row.date:
                    plausible.check_date(dt.date.fromisoformat(row.date), row.year, row.planned, now)
            except ParseError as exc:
                raise ValueError(f"synthetic {name}, {year} {row.year}, tanggal_data {row.date or '-'}: "
                                 f"{exc.message_en}") from None


def _planned(name: str, table: pd.DataFrame) -> pd.Series:
    """Rows holding a target or plan, named as the importer names them (analytics.plausible)."""
    if name == "kepesertaan":
        return table["jenis_angka"].isin(plausible.PLANNED_FIGURES)
    if name == "anggaran":
        return table["komponen"].isin(plausible.PLANNED_COMPONENTS)
    return pd.Series(False, index=table.index)


def write_csv(tables: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    """Write `<name>.csv` per table; fixed formatting so equal tables give equal bytes."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, table in tables.items():
        path = folder / f"{name}.csv"
        _csv_ready(table).to_csv(
            path, index=False, lineterminator="\n", float_format="%.12g", encoding="utf-8"
        )
        paths.append(path)
    return paths


def _csv_ready(table: pd.DataFrame) -> pd.DataFrame:
    # SCHEMA.md spells booleans true/false; pandas would write True/False.
    out = table.copy()
    for col in out.select_dtypes(bool).columns:
        out[col] = np.where(out[col], "true", "false")
    return out


# --- parameters ---------------------------------------------------------------------------------


def load_profil(path: Path = PROFIL_PATH) -> pd.DataFrame:
    """The per-region parameters, checked against the 38 regions in data/regions.csv."""
    profil = pd.read_csv(path, dtype={"kode": str}, keep_default_na=False)
    regions = pd.read_csv(REGIONS_PATH, dtype={"kode": str})
    if sorted(profil["kode"]) != sorted(regions["kode"]):
        raise ValueError(f"{path}: kode must list exactly the regions of {REGIONS_PATH}")
    shares = profil[KATEGORI_COLUMNS].astype(float).sum(axis=1)
    if not np.allclose(shares, 1.0, atol=1e-6):
        raise ValueError(f"{path}: porsi_* worker shares must sum to 1 in every row")
    profil["januari_lanjut"] = profil["januari_lanjut"].astype(str).str.lower().eq("true")
    return profil.sort_values("kode", ignore_index=True)


def _month_ends() -> np.ndarray:
    """(Y, 12) array of 'YYYY-MM-DD' month-end dates."""
    return np.array(
        [[f"{y}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}" for m in MONTHS] for y in YEARS]
    )


MONTH_ENDS = _month_ends()


# --- enrolment ----------------------------------------------------------------------------------


def _programme(profil: pd.DataFrame, rng: np.random.Generator) -> Programme:
    potential = _potential_levels(profil, rng)
    active = YEARS[None, :] >= profil["tahun_mulai_dbhcht"].to_numpy()[:, None]
    start = _start_months(profil, rng)
    apbd = potential * profil["porsi_apbd"].to_numpy()[:, None]
    plan = _level_curve(profil, start, np.stack([potential * active, apbd], axis=-1))
    noise = np.clip(rng.normal(0.0, 0.01, plan.shape), -0.025, 0.025)
    counts = np.rint(plan * (1.0 + noise)).astype(np.int64)
    _carry_over_january(profil["januari_lanjut"].to_numpy(), plan, counts)
    shares = _category_shares(profil, rng)
    return Programme(profil, active, plan, counts, shares, _gaps(profil), *_targets(plan, rng))


def _potential_levels(profil: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """(R, Y) post-PAK level each region would reach if it ran the programme that year."""
    n_regions, n_years = len(profil), len(YEARS)
    growth = ENROLMENT_BY_YEAR * rng.lognormal(0.0, 0.15, (n_regions, n_years))
    growth[:, YEAR_2025] = 1.0  # profil fixes 2025 exactly: the July-2025 ranking depends on it
    later = slice(YEAR_2025 + 1, None)  # the near future varies less than the past
    growth[:, later] = ENROLMENT_BY_YEAR[later] * rng.lognormal(0.0, 0.03, growth[:, later].shape)
    return profil["skala_peserta_2025"].to_numpy()[:, None] * growth


def _start_months(profil: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """(R, Y) start month: profil's month in 2025, shifted by up to one month in other years."""
    shift = rng.integers(-1, 2, (len(profil), len(YEARS)))
    shift[:, YEAR_2025] = 0
    return np.clip(profil["bulan_mulai"].to_numpy()[:, None] + shift, 2, 5)


def _level_curve(profil: pd.DataFrame, start: np.ndarray, final: np.ndarray) -> np.ndarray:
    """Planned level per month: 0 before the start, linear ramp, plateau, step up at the PAK."""
    ramp = profil["lama_ramp"].to_numpy()[:, None, None]
    pak = profil["bulan_pak"].to_numpy()[:, None, None]
    before_pak = final * profil["porsi_sebelum_pak"].to_numpy()[:, None, None]
    months_in = MONTHS[None, None, :] - start[:, :, None] + 1
    ramp_frac = np.clip(months_in / ramp, 0.0, 1.0)[..., None]
    after_pak = (MONTHS[None, None, :] >= pak)[..., None]
    return np.where(after_pak, final[:, :, None, :], before_pak[:, :, None, :] * ramp_frac)


def _carry_over_january(carry: np.ndarray, plan: np.ndarray, counts: np.ndarray) -> None:
    # Some regions keep last December's members insured through January while the new SK is made.
    plan[carry, 1:, 0] = plan[carry, :-1, 11]
    counts[carry, 1:, 0] = counts[carry, :-1, 11]


def _category_shares(profil: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Region mix from profil, jittered per year (Dirichlet via gamma; zero shares stay zero)."""
    base = profil[KATEGORI_COLUMNS].to_numpy(dtype=float)[:, None, :]
    draws = rng.gamma(np.where(base > 0, 300.0 * base, 1.0), 1.0, (len(profil), len(YEARS), len(KATEGORI)))
    draws = np.where(base > 0, draws, 0.0)
    return draws / draws.sum(axis=-1, keepdims=True)


def _gaps(profil: pd.DataFrame) -> np.ndarray:
    gap = np.zeros((len(profil), len(YEARS), 12), dtype=bool)
    for r, months in enumerate(profil["bulan_tanpa_data"]):
        for ym in str(months).split():
            year, month = (int(part) for part in ym.split("-"))
            gap[r, year - YEARS[0], month - 1] = True
    return gap


def split_largest_remainder(totals: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Integer parts of `totals` (shape S) by `shares` (shape S+(K,)) that sum back exactly."""
    raw = totals[..., None] * shares
    parts = np.floor(raw).astype(np.int64)
    missing = totals - parts.sum(axis=-1)
    order = np.argsort(-(raw - parts), axis=-1, kind="stable")
    rank = np.argsort(order, axis=-1, kind="stable")
    return parts + (rank < missing[..., None])


def _kepesertaan(prog: Programme) -> pd.DataFrame:
    return pd.concat([_realisasi_rows(prog), _target_rows(prog)], ignore_index=True).sort_values(
        ["kode", "tahun_anggaran", "tanggal_data"], kind="stable", ignore_index=True
    )


def _realisasi_rows(prog: Programme) -> pd.DataFrame:
    profil = prog.profil
    parts = split_largest_remainder(prog.counts, prog.shares[:, :, None, None, :])
    has_stream = np.stack([np.ones(len(profil), bool), profil["porsi_apbd"].to_numpy() > 0], axis=1)
    has_kategori = profil[KATEGORI_COLUMNS].to_numpy(dtype=float) > 0
    keep = (
        ~prog.gap[:, :, :, None, None]
        & has_stream[:, None, None, :, None]
        & has_kategori[:, None, None, None, :]
    )
    r, y, m, s, k = np.nonzero(keep)  # C order: region, year, month, stream, category
    kode = profil["kode"].to_numpy()[r]
    dana = np.where(s == 0, profil["sumber_dana_program"].to_numpy()[r], "apbd")
    year = YEARS[y]
    month = MONTHS[m]
    laporan = [f"C-{a}-{b}-{c:02d}" for a, b, c in zip(kode, year, month)]
    n = len(r)
    return pd.DataFrame(
        {
            "obs_id": [f"{lap}-{d}-{i + 1}" for lap, d, i in zip(laporan, dana, k)],
            "kode": kode,
            "tahun_anggaran": year,
            "tanggal_data": MONTH_ENDS[y, m],
            "peserta": parts[r, y, m, s, k],
            "kualifikasi": "",
            "bulan_cakupan": np.ones(n, dtype=np.int64),
            "periode_cakupan": [f"{BULAN[i]} {yr}" for i, yr in zip(m, year)],
            "jenis_angka": "realisasi",
            "tahap_anggaran": "",
            "sumber_dana": dana,
            "kategori_pekerja": np.array(KATEGORI)[k],
            "laporan_id": laporan,
            "peran": "bagian",
            "alasan": np.where(dana == "campuran", CATATAN_CAMPURAN, ""),
            "alasan_en": np.where(dana == "campuran", NOTES_EN[CATATAN_CAMPURAN], ""),
            **_common_columns(n),
        }
    )


def _planned_months(prog: Programme) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per region-year: planned months before the PAK, from the PAK on, first planned month."""
    planned = prog.plan[..., 0] > 0
    after_pak = MONTHS[None, None, :] >= prog.profil["bulan_pak"].to_numpy()[:, None, None]
    first = np.argmax(planned, axis=-1)
    return (planned & ~after_pak).sum(-1), (planned & after_pak).sum(-1), first


def _targets(plan: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Murni and PAK enrolment targets (rounded to tens), set a little above the plan."""
    before = plan[:, :, 5, 0]  # June: the ramp has always finished and the PAK not yet begun
    after = plan[:, :, 11, 0]
    murni = np.round(before * rng.uniform(1.00, 1.08, before.shape), -1)
    pak = np.maximum(np.round(after * rng.uniform(1.00, 1.05, after.shape), -1), murni)
    return murni.astype(np.int64), pak.astype(np.int64)


def _target_rows(prog: Programme) -> pd.DataFrame:
    profil = prog.profil
    murni, pak = prog.target_murni, prog.target_pak
    before, after, first = _planned_months(prog)
    r, y = np.nonzero(prog.active)
    rows = []
    for tahap, date, value in (("murni", "01-31", murni), ("pak", "09-30", pak)):
        kode = profil["kode"].to_numpy()[r]
        ids = [f"C-{a}-{b}-target-{tahap}" for a, b in zip(kode, YEARS[y])]
        rows.append(
            pd.DataFrame(
                {
                    "obs_id": ids,
                    "kode": kode,
                    "tahun_anggaran": YEARS[y],
                    "tanggal_data": [f"{b}-{date}" for b in YEARS[y]],
                    "peserta": value[r, y],
                    "kualifikasi": "",
                    "bulan_cakupan": (before + after)[r, y],
                    "periode_cakupan": [f"{BULAN[f]}–Des {b}" for f, b in zip(first[r, y], YEARS[y])],
                    "jenis_angka": "target",
                    "tahap_anggaran": tahap,
                    "sumber_dana": profil["sumber_dana_program"].to_numpy()[r],
                    "kategori_pekerja": "",
                    "laporan_id": ids,
                    "peran": "total",
                    "alasan": "",
                    "alasan_en": "",
                    **_common_columns(len(r)),
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def _common_columns(n: int) -> dict:
    return {
        "konflik_id": "",
        "diutamakan": np.ones(n, dtype=bool),
        "sumber_id": SUMBER_ID,
        "kutipan": KUTIPAN,
    }


# --- budget -------------------------------------------------------------------------------------


def _anggaran(prog: Programme, rng: np.random.Generator) -> pd.DataFrame:
    alokasi_murni, alokasi_pak = _allocations(prog.profil, rng)
    frames = [
        _budget_frame(prog, "alokasi_dbhcht", "murni", "02-28", alokasi_murni, None),
        _budget_frame(prog, "alokasi_dbhcht", "pak", "09-30", alokasi_pak, None, alokasi_pak > 0),
        *_jamsos_budget_frames(prog, rng),
        _realisasi_dbhcht(prog, np.where(alokasi_pak > 0, alokasi_pak, alokasi_murni), rng),
        _realisasi_jamsos(prog, rng),
    ]
    table = pd.concat(frames, ignore_index=True)
    return table.sort_values(["kode", "tahun_anggaran", "tanggal_data"], kind="stable", ignore_index=True)


def _allocations(profil: pd.DataFrame, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """DBHCHT allocation per region-year (murni), and a revised PAK figure in about a third of them."""
    shape = (len(profil), len(YEARS))
    factor = ALLOCATION_BY_YEAR * (1.0 + rng.normal(0.0, 0.03, shape))
    factor[:, YEAR_2025] = 1.0
    murni = _round_thousand(profil["alokasi_dbhcht_2025_rp"].to_numpy()[:, None] * factor)
    revised = rng.random(shape) < 0.35
    pak = np.where(revised, _round_thousand(murni * rng.uniform(1.01, 1.10, shape)), 0)
    return murni, pak


def _round_thousand(values: np.ndarray) -> np.ndarray:
    return (np.rint(np.asarray(values, dtype=float) / 1000.0) * 1000).astype(np.int64)


def _jamsos_budget_frames(prog: Programme, rng: np.random.Generator) -> list[pd.DataFrame]:
    """Contribution budgets = target × planned months × premium, plus the slack regions keep."""
    murni, pak = prog.target_murni, prog.target_pak
    before, after, _ = _planned_months(prog)
    premi = prog.profil["premi_rp"].to_numpy()[:, None]
    shape = murni.shape
    budget_murni = _round_thousand(murni * (before + after) * premi * rng.uniform(1.02, 1.12, shape))
    budget_pak = _round_thousand((murni * before + pak * after) * premi * rng.uniform(1.01, 1.06, shape))
    months = before + after
    return [
        _budget_frame(prog, "anggaran_jamsos", "murni", "02-28", budget_murni, months, prog.active),
        _budget_frame(prog, "anggaran_jamsos", "pak", "09-30", budget_pak, months, prog.active),
    ]


def _budget_frame(
    prog: Programme, komponen: str, tahap: str, date: str, values: np.ndarray,
    months: np.ndarray | None, keep: np.ndarray | None = None,
) -> pd.DataFrame:
    """One row per kept region-year for a once-a-year budget figure."""
    r, y = np.nonzero(np.ones(values.shape, bool) if keep is None else keep)
    kode = prog.profil["kode"].to_numpy()[r]
    bulan = pd.array([pd.NA] * len(r) if months is None else months[r, y], dtype="Int64")
    return _anggaran_frame(
        [f"C-A-{a}-{b}-{komponen}-{tahap}" for a, b in zip(kode, YEARS[y])],
        kode, YEARS[y], [f"{b}-{date}" for b in YEARS[y]], komponen, tahap, values[r, y], bulan,
    )


def _anggaran_frame(ids, kode, year, dates, komponen, tahap, values, bulan, alasan="") -> pd.DataFrame:
    n = len(ids)
    return pd.DataFrame(
        {
            "anggaran_id": ids,
            "kode": kode,
            "tahun_anggaran": year,
            "tanggal_data": dates,
            "komponen": komponen,
            "tahap_anggaran": tahap,
            "nilai_rp": np.asarray(values, dtype=np.int64),
            "kualifikasi": "",
            "bulan_cakupan": bulan,
            "konflik_id": "",
            "diutamakan": np.ones(n, dtype=bool),
            "alasan": alasan,
            "sumber_id": SUMBER_ID,
            "kutipan": KUTIPAN,
            "sumber_dana": "dbhcht",  # every generated budget is a DBHCHT budget
            "alasan_en": _english(np.broadcast_to(np.asarray(alasan, dtype=object), (n,))),
        }
    )


def _realisasi_dbhcht(prog: Programme, alokasi: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """Quarter-end cumulative DBHCHT spending: slow start, 85–99 % absorbed by December."""
    shape = alokasi.shape
    quarters = np.array([0.15, 0.40, 0.65])[None, None, :] + rng.normal(0.0, 0.04, shape + (3,))
    year_end = rng.uniform(0.85, 0.99, shape)[..., None]
    frac = np.maximum.accumulate(np.clip(np.concatenate([quarters, year_end], axis=-1), 0.02, None), axis=-1)
    values = _round_thousand(alokasi[..., None] * np.minimum(frac, year_end))
    r, y, q = np.nonzero(np.ones(values.shape, bool))
    kode = prog.profil["kode"].to_numpy()[r]
    month_index = 3 * q + 2
    return _anggaran_frame(
        [f"C-A-{a}-{b}-realisasi_dbhcht-q{c + 1}" for a, b, c in zip(kode, YEARS[y], q)],
        kode, YEARS[y], MONTH_ENDS[y, month_index], "realisasi_dbhcht", "", values[r, y, q],
        pd.array([pd.NA] * len(r), dtype="Int64"),
    )


def _monthly_premium(profil: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """(R, Y, 12) rupiah per participant-month actually paid; noisy where premi_sd_rp > 0."""
    shape = (len(profil), len(YEARS), 12)
    base = profil["premi_rp"].to_numpy()[:, None, None]
    sd = profil["premi_sd_rp"].to_numpy()[:, None, None]
    return base + np.rint(rng.normal(0.0, 1.0, shape) * sd).astype(np.int64)


def _realisasi_jamsos(prog: Programme, rng: np.random.Generator) -> pd.DataFrame:
    """Month-end cumulative contributions paid = programme participant-months × premium."""
    participants = prog.counts[..., 0]
    paid = np.cumsum(participants * _monthly_premium(prog.profil, rng), axis=-1)
    months_paid = np.cumsum(participants > 0, axis=-1)
    r, y, m = np.nonzero(prog.active[:, :, None] & ~prog.gap)
    kode = prog.profil["kode"].to_numpy()[r]
    campuran = prog.profil["sumber_dana_program"].to_numpy()[r] == "campuran"
    return _anggaran_frame(
        [f"C-A-{a}-{b}-{c:02d}-realisasi_jamsos" for a, b, c in zip(kode, YEARS[y], MONTHS[m])],
        kode, YEARS[y], MONTH_ENDS[y, m], "realisasi_jamsos", "", paid[r, y, m],
        # months paid so far; empty (not 0) before the first payment, the schema allows 1..12
        pd.Series(months_paid[r, y, m], dtype="Int64").replace(0, pd.NA).array,
        np.where(campuran, CATATAN_CAMPURAN, ""),
    )


# --- claims -------------------------------------------------------------------------------------


def _klaim(prog: Programme, rng: np.random.Generator) -> pd.DataFrame:
    """Cumulative-within-year JKK and JKM claims of the programme's participants."""
    participants = prog.counts[..., 0]
    jkm = rng.poisson(participants * JKM_RATE)
    jkk = rng.poisson(participants * JKK_RATE)
    jkk_rp = _jkk_amounts(jkk, rng)
    per_program = {
        "JKK": (np.cumsum(jkk, -1), np.cumsum(jkk_rp, -1)),
        "JKM": (np.cumsum(jkm, -1), np.cumsum(jkm * JKM_BENEFIT_RP, -1)),
    }
    cases = np.stack([per_program[p][0] for p in per_program], axis=-1)
    rupiah = np.stack([per_program[p][1] for p in per_program], axis=-1)
    r, y, m, p = np.nonzero(np.ones(cases.shape, bool))
    kode = prog.profil["kode"].to_numpy()[r]
    program = np.array(list(per_program))[p]
    return pd.DataFrame(
        {
            "klaim_id": [
                f"C-K-{a}-{b}-{c:02d}-{d}" for a, b, c, d in zip(kode, YEARS[y], MONTHS[m], program)
            ],
            "kode": kode,
            "tahun_anggaran": YEARS[y],
            "tanggal_data": MONTH_ENDS[y, m],
            "program": program,
            "kasus": cases[r, y, m, p].astype(np.int64),
            "nilai_rp": rupiah[r, y, m, p].astype(np.int64),
            "kualifikasi": "",
            "sumber_id": SUMBER_ID,
            "kutipan": KUTIPAN,
            "sumber_dana": "dbhcht",  # claims of the programme's participants
            "alasan": "",
            "alasan_en": "",
        }
    )


def _jkk_amounts(cases: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Sum of log-normal payouts (mean Rp15 juta, rounded to Rp1.000) per grid cell."""
    mu = np.log(JKK_MEAN_RP) - JKK_SIGMA**2 / 2
    payouts = _round_thousand(rng.lognormal(mu, JKK_SIGMA, int(cases.sum())))
    cell = np.repeat(np.arange(cases.size), cases.ravel())
    totals = np.bincount(cell, weights=payouts, minlength=cases.size)  # exact: well below 2**53
    return totals.astype(np.int64).reshape(cases.shape)


# --- denominators and source --------------------------------------------------------------------


def _denominator(profil: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    n_regions, n_years = len(profil), len(YEARS)
    growth = rng.uniform(0.005, 0.010, n_regions)
    penduduk = np.rint(profil["penduduk_dasar"].to_numpy()[:, None] * (1 + growth[:, None]) ** (YEARS - 2025))
    miskin = profil["persen_miskin_2025"].to_numpy()[:, None] + 0.35 * (2025 - YEARS)
    miskin = np.round(np.clip(miskin + rng.normal(0.0, 0.15, (n_regions, n_years)), 2.0, 25.0), 2)
    miskin[:, YEAR_2025] = profil["persen_miskin_2025"].to_numpy()
    ratio = profil["rasio_angkatan_kerja"].to_numpy()[:, None]
    ratio = ratio * (1 + rng.normal(0.0, 0.005, (n_regions, n_years)))
    angkatan = np.rint(penduduk * ratio)

    pen_note = np.where(
        YEARS == 2025,
        "Dukcapil/Kemendagri 2025 (nilai nyata), bukan BPS",
        "sintetis: penduduk Dukcapil 2025 dengan pertumbuhan sintetis",
    )
    blocks = [
        ("penduduk", "jiwa", penduduk, np.broadcast_to(pen_note, penduduk.shape)),
        ("persen_miskin", "persen", miskin, "sintetis"),
        ("angkatan_kerja", "orang", angkatan, "sintetis"),
    ]
    frames = [_denominator_frame(profil, YEARS, m, s, v, note) for m, s, v, note in blocks]
    area = profil["luas_km2"].to_numpy(dtype=float)[:, None]
    area_note = "BIG 2024 (nilai nyata)"
    frames.append(_denominator_frame(profil, np.array([2024]), "luas_km2", "km2", area, area_note))
    table = pd.concat(frames, ignore_index=True)
    return table.sort_values(["kode", "tahun"], kind="stable", ignore_index=True)


def _denominator_frame(profil, years, metrik, satuan, values, note) -> pd.DataFrame:
    r, y = np.nonzero(np.ones(values.shape, bool))
    kode = profil["kode"].to_numpy()[r]
    notes = np.broadcast_to(np.asarray(note, dtype=object), values.shape)[r, y]
    synthetic = np.char.startswith(notes.astype(str), "sintetis")
    return pd.DataFrame(
        {
            "denom_id": [f"C-D-{a}-{b}-{metrik}" for a, b in zip(kode, years[y])],
            "kode": kode,
            "tahun": years[y],
            "metrik": metrik,
            "nilai": values[r, y].astype(float),
            "satuan": satuan,
            "catatan": notes.astype(str),
            "sumber_id": SUMBER_ID,
            "kutipan": np.where(synthetic, KUTIPAN, ""),
            "catatan_en": _english(notes),
        }
    )


# --- committee scores ---------------------------------------------------------------------------

PENILAIAN_STREAM = 1  # the committee scores' Generator is default_rng([seed, PENILAIAN_STREAM])
PENILAI = ("Penilai A (sintetis)", "Penilai B (sintetis)", "Penilai C (sintetis)")
# The committee verifies documents and visits in early July, using the enrolment of 30 June, and
# interviews the shortlisted regions two weeks later (the province gave its award in July 2025).
TANGGAL_VERIFIKASI = "07-04"
TANGGAL_WAWANCARA = "07-18"
TANPA_WAWANCARA = 6  # the regions with the lowest desk scores are not shortlisted for the interview
CATATAN_PENILAIAN = "sintetis: skor komite rekaan"


def committee_keys() -> tuple[str, ...]:
    with KOMITE_PATH.open("rb") as handle:
        return tuple(tomllib.load(handle))


def _penilaian(profil: pd.DataFrame, tables: dict[str, pd.DataFrame], rng: np.random.Generator) -> pd.DataFrame:
    """Three synthetic assessors' 0–100 scores of every committee criterion, region and budget year.

    A region's true score follows its synthetic performance: `z` is its enrolment per 1.000
    population on 30 June (log, standardised among the 38 regions of the year). Per criterion:
      kebijakan  = 50 + 9 z + 5 u + 12 × (years with a DBHCHT programme, up to 3) / 3
      penerapan  = 60 + 7 z + 5 u − 12 × premium deviation from Rp16.800 (capped at 100 %) − 6 in a year
                   with reporting gaps
      inovasi    = 56 + 4 z + 8 u + 4 × (standardised growth of enrolment per 1.000 on last year)
      wawancara  = ½ × mean of the three above + ½ × (60 + 7 u)
    plus noise N(0, 3) per region-year; `u` is a lasting region effect N(0, 1) per criterion. Each
    assessor adds a lasting bias N(0, 2.5) and noise N(0, 3.5) per score; scores are whole numbers
    clipped to 0–100. The TANPA_WAWANCARA regions with the lowest desk mean are not interviewed.
    Criteria komite.toml adds later get the inovasi formula.
    """
    keys = committee_keys()
    kode = profil["kode"].to_numpy()
    n_regions, n_years, n_keys = len(profil), len(YEARS), len(keys)
    per_1000 = _per_1000_june(tables, kode)  # (R, Y)
    z = _standardise(np.log1p(per_1000))
    growth = np.zeros_like(z)
    growth[:, 1:] = _standardise(np.log1p(per_1000[:, 1:]) - np.log1p(per_1000[:, :-1]))
    region_effect = rng.normal(0.0, 1.0, (n_regions, n_keys))
    yearly = rng.normal(0.0, 3.0, (n_regions, n_years, n_keys))
    bias = rng.normal(0.0, 2.5, len(PENILAI))
    noise = rng.normal(0.0, 3.5, (n_regions, n_years, n_keys, len(PENILAI)))

    years_running = np.clip(YEARS[None, :] - profil["tahun_mulai_dbhcht"].to_numpy()[:, None] + 1, 0, 3)
    reference = metrics.REFERENCE_PREMIUM
    premium_gap = np.minimum(np.abs(profil["premi_rp"].to_numpy() - reference) / reference, 1.0)[:, None]
    gaps = _gaps(profil).any(axis=-1)
    u = {key: region_effect[:, None, i] for i, key in enumerate(keys)}
    formulas = {
        "kebijakan": lambda: 50 + 9 * z + 5 * u["kebijakan"] + 12 * years_running / 3,
        "penerapan": lambda: 60 + 7 * z + 5 * u["penerapan"] - 12 * premium_gap - 6 * gaps,
    }
    true = np.empty((n_regions, n_years, n_keys))
    for i, key in enumerate(keys):
        if key == "wawancara":
            continue
        default = 56 + 4 * z + 8 * region_effect[:, None, i] + 4 * growth
        true[..., i] = (formulas[key]() if key in formulas else default) + yearly[..., i]
    desk = [i for i, key in enumerate(keys) if key != "wawancara"]
    interviewed = np.ones((n_regions, n_years), bool)
    if "wawancara" in keys:
        w = keys.index("wawancara")
        true[..., w] = 0.5 * true[..., desk].mean(axis=-1) + 0.5 * (60 + 7 * region_effect[:, None, w]) + yearly[..., w]
        order = np.argsort(np.argsort(true[..., desk].mean(axis=-1), axis=0, kind="stable"), axis=0, kind="stable")
        interviewed = order >= TANPA_WAWANCARA
    scores = np.clip(np.rint(true[..., None] + bias + noise), 0, 100)

    keep = np.ones(scores.shape, bool)
    if "wawancara" in keys:
        keep[:, :, keys.index("wawancara"), :] = interviewed[..., None]
    r, y, c, a = np.nonzero(keep)  # C order: region, year, criterion, assessor
    key_of = np.array(keys, dtype=object)[c]
    date = np.where(key_of == "wawancara", TANGGAL_WAWANCARA, TANGGAL_VERIFIKASI)
    letters = np.array([p.split()[1] for p in PENILAI])
    n = len(r)
    return pd.DataFrame(
        {
            "penilaian_id": [f"C-N-{k}-{yr}-{kr}-{ab}" for k, yr, kr, ab in zip(kode[r], YEARS[y], key_of, letters[a])],
            "kode": kode[r],
            "tahun": YEARS[y],
            "tanggal_data": [f"{yr}-{d}" for yr, d in zip(YEARS[y], date)],
            "kriteria": key_of.astype(str),
            "skor": scores[r, y, c, a].astype(float),
            "penilai": np.array(PENILAI)[a],
            "catatan": np.full(n, CATATAN_PENILAIAN, dtype=object),
            "catatan_en": _english(np.full(n, CATATAN_PENILAIAN, dtype=object)),
            "sumber_id": SUMBER_ID,
        }
    )


def _per_1000_june(tables: dict[str, pd.DataFrame], kode: np.ndarray) -> np.ndarray:
    """(R, Y) participants of the DBHCHT/campuran programme on 30 June per 1.000 population."""
    kep = tables["kepesertaan"]
    june = kep.loc[(kep["jenis_angka"] == "realisasi") & (kep["sumber_dana"] != "apbd")
                   & kep["tanggal_data"].str.endswith("-06-30")]
    peserta = june.groupby(["kode", "tahun_anggaran"])["peserta"].sum()
    den = tables["denominator"]
    penduduk = den.loc[den["metrik"] == "penduduk"].set_index(["kode", "tahun"])["nilai"]
    index = pd.MultiIndex.from_product([kode, YEARS])
    ratio = peserta.reindex(index, fill_value=0).to_numpy() / penduduk.reindex(index).to_numpy() * 1000
    return ratio.reshape(len(kode), len(YEARS))


def _standardise(values: np.ndarray) -> np.ndarray:
    """Per year (column): (x − mean) / sd among the regions; 0 where all regions are equal."""
    sd = values.std(axis=0)
    return np.where(sd > 0, (values - values.mean(axis=0)) / np.where(sd > 0, sd, 1), 0.0)


def _sumber(seed: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sumber_id": [SUMBER_ID],
            "judul": [f"DATA CONTOH — data sintetis untuk demonstrasi, bukan angka resmi (seed {seed})"],
            "url": [""],
            "penerbit": ["Generator data contoh (sintetis)"],
            "tanggal_terbit": [""],
            "tanggal_terbit_teks": [""],
            "catatan": [
                "Dibangkitkan oleh analytics/synthetic.py dari data/contoh/profil.csv; hanya penduduk 2025 "
                "(Dukcapil) dan luas wilayah (BIG 2024) adalah angka nyata, semua angka lain rekaan."
            ],
        }
    )
