"""Synthetic enrolment of the `contoh` dataset: every region's monthly programme (Programme:
planned and actual participants per month, the worker-category mix, months not reported, the
murni and PAK targets) and the `kepesertaan` table drawn from it. Budgets and claims
(analytics.synthetic_money) follow the same Programme.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.synthetic_world import (
    BULAN,
    CATATAN_CAMPURAN,
    KATEGORI,
    KATEGORI_COLUMNS,
    KUTIPAN,
    MONTH_ENDS,
    MONTHS,
    NOTES_EN,
    SUMBER_ID,
    YEAR_2025,
    YEARS,
)

# Province-wide level relative to 2025 (profil holds the 2025 level): the programme spread fast
# after 2022, so the early years are much smaller; 2026 continues the trend a little.
ENROLMENT_BY_YEAR = np.array([0.22, 0.45, 0.75, 1.00, 1.06])


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


def programme(profil: pd.DataFrame, rng: np.random.Generator) -> Programme:
    potential = _potential_levels(profil, rng)
    active = YEARS[None, :] >= profil["tahun_mulai_dbhcht"].to_numpy()[:, None]
    start = _start_months(profil, rng)
    apbd = potential * profil["porsi_apbd"].to_numpy()[:, None]
    plan = _level_curve(profil, start, np.stack([potential * active, apbd], axis=-1))
    noise = np.clip(rng.normal(0.0, 0.01, plan.shape), -0.025, 0.025)
    counts = np.rint(plan * (1.0 + noise)).astype(np.int64)
    _carry_over_january(profil["januari_lanjut"].to_numpy(), plan, counts)
    shares = _category_shares(profil, rng)
    return Programme(profil, active, plan, counts, shares, gaps(profil), *_targets(plan, rng))


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


def gaps(profil: pd.DataFrame) -> np.ndarray:
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


def kepesertaan(prog: Programme) -> pd.DataFrame:
    return pd.concat([_realisasi_rows(prog), _target_rows(prog)], ignore_index=True).sort_values(
        ["kode", "tahun_anggaran", "tanggal_data"], kind="stable", ignore_index=True
    )


def _realisasi_rows(prog: Programme) -> pd.DataFrame:
    profil = prog.profil
    parts = split_largest_remainder(prog.counts, prog.shares[:, :, None, None, :])
    has_stream = np.stack([np.ones(len(profil), bool), profil["porsi_apbd"].to_numpy() > 0], axis=1)
    has_kategori = profil[KATEGORI_COLUMNS].to_numpy(dtype=float) > 0
    keep = ~prog.gap[:, :, :, None, None] & has_stream[:, None, None, :, None] & has_kategori[:, None, None, None, :]
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


def planned_months(prog: Programme) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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
    before, after, first = planned_months(prog)
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
