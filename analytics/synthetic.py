"""Deterministic generator of the synthetic `contoh` dataset.

The tables exist so every dashboard feature has complete data for all 38 regions. Only the 2025
population and the area in data/contoh/profil.csv are real; everything else is invented, and the
app watermarks every screen that shows it "DATA CONTOH". All randomness comes from one
numpy Generator drawn in a fixed order, so one seed always gives byte-identical CSV files. The
committee scores (`penilaian`, added later) draw from a second Generator seeded from the same seed,
so adding them left every other table exactly as it was.

The tables are drawn by analytics.synthetic_world (years, regions' parameters, notes, and the
denominators), synthetic_enrolment (the monthly programme and `kepesertaan`), synthetic_money
(`anggaran`, `klaim`) and synthetic_committee (`penilaian`); `generate` here draws them in its
fixed order and checks them against analytics.plausible, and `write_csv` writes them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from analytics import plausible
from analytics.importing.cells import ParseError
from analytics.synthetic_committee import PENILAIAN_STREAM, penilaian
from analytics.synthetic_enrolment import kepesertaan, programme
from analytics.synthetic_money import anggaran, klaim
from analytics.synthetic_world import AS_OF, SUMBER_ID, denominator, load_profil

DEFAULT_SEED = 20250710

COLUMNS = {
    "sumber": [
        "sumber_id",
        "judul",
        "url",
        "penerbit",
        "tanggal_terbit",
        "tanggal_terbit_teks",
        "catatan",
    ],
    "kepesertaan": [
        "obs_id",
        "kode",
        "tahun_anggaran",
        "tanggal_data",
        "peserta",
        "kualifikasi",
        "bulan_cakupan",
        "periode_cakupan",
        "jenis_angka",
        "tahap_anggaran",
        "sumber_dana",
        "kategori_pekerja",
        "laporan_id",
        "peran",
        "konflik_id",
        "diutamakan",
        "alasan",
        "sumber_id",
        "kutipan",
        "alasan_en",
    ],
    "anggaran": [
        "anggaran_id",
        "kode",
        "tahun_anggaran",
        "tanggal_data",
        "komponen",
        "tahap_anggaran",
        "nilai_rp",
        "kualifikasi",
        "bulan_cakupan",
        "konflik_id",
        "diutamakan",
        "alasan",
        "sumber_id",
        "kutipan",
        "sumber_dana",
        "alasan_en",
    ],
    "klaim": [
        "klaim_id",
        "kode",
        "tahun_anggaran",
        "tanggal_data",
        "program",
        "kasus",
        "nilai_rp",
        "kualifikasi",
        "sumber_id",
        "kutipan",
        "sumber_dana",
        "alasan",
        "alasan_en",
    ],
    "denominator": [
        "denom_id",
        "kode",
        "tahun",
        "metrik",
        "nilai",
        "satuan",
        "catatan",
        "sumber_id",
        "kutipan",
        "catatan_en",
    ],
    "penilaian": [
        "penilaian_id",
        "kode",
        "tahun",
        "tanggal_data",
        "kriteria",
        "skor",
        "penilai",
        "catatan",
        "catatan_en",
        "sumber_id",
    ],
}


def generate(seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """All six `contoh` tables; the same seed always gives the same tables."""
    rng = np.random.default_rng(seed)
    profil = load_profil()
    prog = programme(profil, rng)
    tables = {
        "sumber": _sumber(seed),
        "kepesertaan": kepesertaan(prog),
        "anggaran": anggaran(prog, rng),
        "klaim": klaim(prog, rng),
        "denominator": denominator(profil, rng),
    }
    # Its own Generator (seeded from the same seed): the five tables above stay byte-identical.
    tables["penilaian"] = penilaian(profil, tables, np.random.default_rng([seed, PENILAIAN_STREAM]))
    check_plausible(tables)
    return {name: table[COLUMNS[name]] for name, table in tables.items()}


def check_plausible(tables: dict[str, pd.DataFrame], now: dt.date = AS_OF) -> None:
    """ValueError unless every budget year and data date obeys analytics.plausible as of `now`:
    what the importer would refuse is not generated either."""
    for name, table in tables.items():
        year = next((c for c in ("tahun_anggaran", "tahun") if c in table), None)
        if year is None:
            continue
        when = pd.DataFrame(
            {
                "year": table[year].astype(int),
                "planned": _planned(name, table),
                "date": table["tanggal_data"] if "tanggal_data" in table else "",
            }
        ).drop_duplicates()
        for row in when.itertuples(index=False):  # a few hundred distinct (year, planned, date)
            try:
                plausible.check_year(row.year, now)
                if row.date:
                    plausible.check_date(dt.date.fromisoformat(row.date), row.year, row.planned, now)
            except ParseError as exc:
                raise ValueError(
                    f"synthetic {name}, {year} {row.year}, tanggal_data {row.date or '-'}: {exc.message_en}"
                ) from None


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
        _csv_ready(table).to_csv(path, index=False, lineterminator="\n", float_format="%.12g", encoding="utf-8")
        paths.append(path)
    return paths


def _csv_ready(table: pd.DataFrame) -> pd.DataFrame:
    # SCHEMA.md spells booleans true/false; pandas would write True/False.
    out = table.copy()
    for col in out.select_dtypes(bool).columns:
        out[col] = np.where(out[col], "true", "false")
    return out


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
