"""The synthetic world every `contoh` table is drawn in: its budget years and month ends, its
today (AS_OF), its 38 regions' parameters (data/contoh/profil.csv), the source every row cites,
the English of every note the generator writes, and the regions' denominators (population,
poverty, labour force, area: the `denominator` table).
"""

from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from analytics import paths

DATA_DIR = paths.DATA_DIR
PROFIL_PATH = DATA_DIR / "contoh" / "profil.csv"
REGIONS_PATH = DATA_DIR / "regions.csv"

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

# Every note the generator writes, in Indonesian (alasan, catatan) and English (alasan_en, catatan_en).
CATATAN_CAMPURAN = "program campuran DBHCHT dan APBD"
NOTES_EN = {
    "": "",
    CATATAN_CAMPURAN: "programme mixing DBHCHT and APBD funding",
    "Dukcapil/Kemendagri 2025 (nilai nyata), bukan BPS": "Dukcapil/Kemendagri 2025 (real value), not BPS",
    "sintetis: penduduk Dukcapil 2025 dengan pertumbuhan sintetis": "synthetic: the Dukcapil 2025 population with synthetic growth",
    "sintetis": "synthetic",
    "BIG 2024 (nilai nyata)": "BIG 2024 (real value)",
    "sintetis: skor komite rekaan": "synthetic: invented committee score",
}


def english(notes) -> np.ndarray:
    """The English text of the generator's Indonesian notes (KeyError for a note without one)."""
    return np.array([NOTES_EN[n] for n in np.asarray(notes, dtype=object).ravel()], dtype=object)


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
    return np.array([[f"{y}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}" for m in MONTHS] for y in YEARS])


MONTH_ENDS = _month_ends()


# --- denominators -------------------------------------------------------------------------------


def denominator(profil: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
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
            "catatan_en": english(notes),
        }
    )
