"""Synthetic committee scores of the `contoh` dataset (`penilaian`): three invented assessors'
0–100 scores of every criterion of data/penilaian/komite.toml, following each region's synthetic
enrolment. They draw from their own Generator (synthetic.generate seeds it with
[seed, PENILAIAN_STREAM]), so adding them left every other table exactly as it was.
"""

from __future__ import annotations

import tomllib

import numpy as np
import pandas as pd

from analytics import metrics, paths, synthetic_enrolment
from analytics.synthetic_world import SUMBER_ID, YEARS, english

KOMITE_PATH = paths.DATA_DIR / "penilaian" / "komite.toml"
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


def penilaian(profil: pd.DataFrame, tables: dict[str, pd.DataFrame], rng: np.random.Generator) -> pd.DataFrame:
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
    gaps = synthetic_enrolment.gaps(profil).any(axis=-1)
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
            "catatan_en": english(np.full(n, CATATAN_PENILAIAN, dtype=object)),
            "sumber_id": SUMBER_ID,
        }
    )


def _per_1000_june(tables: dict[str, pd.DataFrame], kode: np.ndarray) -> np.ndarray:
    """(R, Y) participants of the DBHCHT/campuran programme on 30 June per 1.000 population."""
    kep = tables["kepesertaan"]
    june = kep.loc[
        (kep["jenis_angka"] == "realisasi")
        & (kep["sumber_dana"] != "apbd")
        & kep["tanggal_data"].str.endswith("-06-30")
    ]
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
