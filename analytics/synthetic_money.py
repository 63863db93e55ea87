"""Synthetic money of the `contoh` dataset, following its Programme (analytics.synthetic_enrolment):
budgets (`anggaran`: DBHCHT allocations murni and PAK, contribution budgets, quarter-end DBHCHT
spending, month-end contributions paid) and claims (`klaim`: JKK and JKM cases and rupiah,
cumulative within the year).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.synthetic_enrolment import Programme, planned_months
from analytics.synthetic_world import (
    CATATAN_CAMPURAN,
    KUTIPAN,
    MONTH_ENDS,
    MONTHS,
    SUMBER_ID,
    YEAR_2025,
    YEARS,
    english,
)

# Province-wide DBHCHT allocation relative to 2025 (profil holds the 2025 allocation), as
# synthetic_enrolment.ENROLMENT_BY_YEAR is for enrolment.
ALLOCATION_BY_YEAR = np.array([0.82, 0.87, 0.93, 1.00, 1.03])

JKM_BENEFIT_RP = 42_000_000  # death benefit per case
JKK_MEAN_RP = 15_000_000
JKK_SIGMA = 0.9  # log-normal spread of work-accident payouts
# Cases per participant-month, tuned so 2025 gives about 775 claims and Rp28 miliar province-wide.
JKM_RATE = 1.33e-4
JKK_RATE = 3.6e-5


# --- budget -------------------------------------------------------------------------------------


def anggaran(prog: Programme, rng: np.random.Generator) -> pd.DataFrame:
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
    before, after, _ = planned_months(prog)
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
    prog: Programme,
    komponen: str,
    tahap: str,
    date: str,
    values: np.ndarray,
    months: np.ndarray | None,
    keep: np.ndarray | None = None,
) -> pd.DataFrame:
    """One row per kept region-year for a once-a-year budget figure."""
    r, y = np.nonzero(np.ones(values.shape, bool) if keep is None else keep)
    kode = prog.profil["kode"].to_numpy()[r]
    bulan = pd.array([pd.NA] * len(r) if months is None else months[r, y], dtype="Int64")
    return _anggaran_frame(
        [f"C-A-{a}-{b}-{komponen}-{tahap}" for a, b in zip(kode, YEARS[y])],
        kode,
        YEARS[y],
        [f"{b}-{date}" for b in YEARS[y]],
        komponen,
        tahap,
        values[r, y],
        bulan,
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
            "alasan_en": english(np.broadcast_to(np.asarray(alasan, dtype=object), (n,))),
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
        kode,
        YEARS[y],
        MONTH_ENDS[y, month_index],
        "realisasi_dbhcht",
        "",
        values[r, y, q],
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
        kode,
        YEARS[y],
        MONTH_ENDS[y, m],
        "realisasi_jamsos",
        "",
        paid[r, y, m],
        # months paid so far; empty (not 0) before the first payment, the schema allows 1..12
        pd.Series(months_paid[r, y, m], dtype="Int64").replace(0, pd.NA).array,
        np.where(campuran, CATATAN_CAMPURAN, ""),
    )


# --- claims -------------------------------------------------------------------------------------


def klaim(prog: Programme, rng: np.random.Generator) -> pd.DataFrame:
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
            "klaim_id": [f"C-K-{a}-{b}-{c:02d}-{d}" for a, b, c, d in zip(kode, YEARS[y], MONTHS[m], program)],
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
