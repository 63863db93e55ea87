"""The store's schema as data: every table's columns, the migrations that build them version by
version (MIGRATIONS, SCHEMA_VERSION), each figure's identity, and the committee's criteria.

Pure data and SQL text; analytics.store runs it against DuckDB (and is the only module that imports
duckdb). The CREATE and ALTER statements are built here from these constants, never from user
input; tests/golden/schema.sql holds them verbatim, so a migration edited after it shipped shows.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache

from analytics import paths

SUMBER_DANA = ("dbhcht", "apbd", "campuran", "tidak_disebut")
_SUMBER_DANA_CHECK = "CHECK (sumber_dana IN ('dbhcht', 'apbd', 'campuran', 'tidak_disebut'))"

# Fact tables share these columns; the CSV files and generator carry the rest (data/SCHEMA.md).
BATCH_COLUMNS = [("dataset", "VARCHAR NOT NULL"), ("batch_id", "INTEGER NOT NULL")]
# Schema version 1, frozen: migration 1 creates exactly these tables, so a store built by any
# version of this code migrates the same way. Never edit; add columns in a new migration.
V1_FACT_TABLES: dict[str, list[tuple[str, str]]] = {
    "sumber": [
        ("sumber_id", "VARCHAR NOT NULL"),
        ("judul", "VARCHAR"),
        ("url", "VARCHAR"),
        ("penerbit", "VARCHAR"),
        ("tanggal_terbit", "DATE"),
        ("tanggal_terbit_teks", "VARCHAR"),
        ("catatan", "VARCHAR"),
    ],
    "kepesertaan": [
        ("obs_id", "VARCHAR NOT NULL"),
        ("kode", "VARCHAR NOT NULL"),
        ("tahun_anggaran", "INTEGER NOT NULL"),
        ("tanggal_data", "DATE NOT NULL"),
        ("peserta", "BIGINT NOT NULL CHECK (peserta >= 0)"),
        ("kualifikasi", "VARCHAR"),
        ("bulan_cakupan", "INTEGER CHECK (bulan_cakupan BETWEEN 1 AND 12)"),
        ("periode_cakupan", "VARCHAR"),
        ("jenis_angka", "VARCHAR NOT NULL CHECK (jenis_angka IN ('realisasi', 'target', 'rencana'))"),
        ("tahap_anggaran", "VARCHAR CHECK (tahap_anggaran IN ('murni', 'pak'))"),
        ("sumber_dana", "VARCHAR NOT NULL " + _SUMBER_DANA_CHECK),
        ("kategori_pekerja", "VARCHAR"),
        ("laporan_id", "VARCHAR"),
        ("peran", "VARCHAR NOT NULL CHECK (peran IN ('total', 'bagian', 'rincian'))"),
        ("konflik_id", "VARCHAR"),
        ("diutamakan", "BOOLEAN NOT NULL"),
        ("alasan", "VARCHAR"),
        ("sumber_id", "VARCHAR NOT NULL"),
        ("kutipan", "VARCHAR"),
    ],
    "anggaran": [
        ("anggaran_id", "VARCHAR NOT NULL"),
        ("kode", "VARCHAR NOT NULL"),
        ("tahun_anggaran", "INTEGER NOT NULL"),
        ("tanggal_data", "DATE NOT NULL"),
        (
            "komponen",
            "VARCHAR NOT NULL CHECK (komponen IN ('alokasi_dbhcht', 'realisasi_dbhcht', 'anggaran_jamsos', 'realisasi_jamsos'))",
        ),
        ("tahap_anggaran", "VARCHAR CHECK (tahap_anggaran IN ('murni', 'pak'))"),
        ("nilai_rp", "DOUBLE NOT NULL CHECK (nilai_rp >= 0)"),
        ("kualifikasi", "VARCHAR"),
        ("bulan_cakupan", "INTEGER CHECK (bulan_cakupan BETWEEN 1 AND 12)"),
        ("konflik_id", "VARCHAR"),
        ("diutamakan", "BOOLEAN NOT NULL"),
        ("alasan", "VARCHAR"),
        ("sumber_id", "VARCHAR NOT NULL"),
        ("kutipan", "VARCHAR"),
    ],
    "klaim": [
        ("klaim_id", "VARCHAR NOT NULL"),
        ("kode", "VARCHAR NOT NULL"),
        ("tahun_anggaran", "INTEGER NOT NULL"),
        ("tanggal_data", "DATE NOT NULL"),
        ("program", "VARCHAR NOT NULL CHECK (program IN ('JKK', 'JKM', 'JKK+JKM'))"),
        ("kasus", "BIGINT CHECK (kasus >= 0)"),
        ("nilai_rp", "DOUBLE CHECK (nilai_rp >= 0)"),
        ("kualifikasi", "VARCHAR"),
        ("sumber_id", "VARCHAR NOT NULL"),
        ("kutipan", "VARCHAR"),
    ],
    "denominator": [
        ("denom_id", "VARCHAR NOT NULL"),
        ("kode", "VARCHAR NOT NULL"),
        ("tahun", "INTEGER NOT NULL"),
        (
            "metrik",
            "VARCHAR NOT NULL CHECK (metrik IN ('penduduk', 'luas_km2', 'persen_miskin', 'jumlah_miskin', 'angkatan_kerja'))",
        ),
        ("nilai", "DOUBLE NOT NULL CHECK (nilai >= 0)"),
        ("satuan", "VARCHAR"),
        ("catatan", "VARCHAR"),
        ("sumber_id", "VARCHAR NOT NULL"),
        ("kutipan", "VARCHAR"),
    ],
}
# Schema version 2 adds these at the end of each table (migration 2): the funding source of budgets
# and claims, a reason on claims, and the English text of every curation note.
V2_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "kepesertaan": [("alasan_en", "VARCHAR")],
    "anggaran": [("sumber_dana", "VARCHAR NOT NULL " + _SUMBER_DANA_CHECK), ("alasan_en", "VARCHAR")],
    "klaim": [
        ("sumber_dana", "VARCHAR NOT NULL " + _SUMBER_DANA_CHECK),
        ("alasan", "VARCHAR"),
        ("alasan_en", "VARCHAR"),
    ],
    "denominator": [("catatan_en", "VARCHAR")],
}
# Rows stored before version 2 get these values; a frame without the column (written for the v1
# schema) gets them too. Budgets and claims were DBHCHT budgets and claims by definition in v1.
V2_DEFAULTS = {("anggaran", "sumber_dana"): "dbhcht", ("klaim", "sumber_dana"): "dbhcht"}
# Schema version 3 adds a table (migration 3 creates it): the award committee's own scores of the
# criteria no dataset holds (data/penilaian/komite.toml), one row per region, budget year, assessment
# date, criterion and assessor. `kriteria` has no CHECK list in the store: the criteria are data
# (komite.toml) and may grow, while a CHECK written by a migration would stay frozen in every store
# (DuckDB cannot change a constraint later). store.coerce_table, which every load goes through, checks them.
# Frozen like V1_FACT_TABLES: migration 3 creates exactly this; add columns in a new migration.
V3_TABLES: dict[str, list[tuple[str, str]]] = {
    "penilaian": [
        ("penilaian_id", "VARCHAR NOT NULL"),
        ("kode", "VARCHAR NOT NULL"),
        ("tahun", "INTEGER NOT NULL"),
        ("tanggal_data", "DATE NOT NULL"),
        ("kriteria", "VARCHAR NOT NULL"),
        ("skor", "DOUBLE NOT NULL CHECK (skor BETWEEN 0 AND 100)"),
        ("penilai", "VARCHAR"),
        ("catatan", "VARCHAR"),
        ("catatan_en", "VARCHAR"),
        ("sumber_id", "VARCHAR NOT NULL"),
    ],
}
# The current columns of every table, in CSV order (data/SCHEMA.md; test_publikasi checks the files).
FACT_TABLES: dict[str, list[tuple[str, str]]] = {
    **{name: columns + V2_COLUMNS.get(name, []) for name, columns in V1_FACT_TABLES.items()},
    **V3_TABLES,
}
COMMITTEE_FILE = paths.DATA_DIR / "penilaian" / "komite.toml"
SKOR_RANGE = (0.0, 100.0)
# A newer active batch with the same figure identity corrects an older one: readers see the newest,
# the older row stays stored as history (rolling the correction back brings it back).
IDENTITY = {
    "sumber": ("sumber_id",),
    "kepesertaan": (
        "kode",
        "tahun_anggaran",
        "tanggal_data",
        "jenis_angka",
        "tahap_anggaran",
        "sumber_dana",
        "kategori_pekerja",
        "peran",
    ),
    "anggaran": ("kode", "tahun_anggaran", "tanggal_data", "komponen", "tahap_anggaran", "kualifikasi", "sumber_dana"),
    "klaim": ("kode", "tahun_anggaran", "tanggal_data", "program", "sumber_dana"),
    "denominator": ("kode", "tahun", "metrik"),
    "penilaian": ("kode", "tahun", "tanggal_data", "kriteria", "penilai"),
}
ID_COLUMN = {
    "sumber": "sumber_id",
    "kepesertaan": "obs_id",
    "anggaran": "anggaran_id",
    "klaim": "klaim_id",
    "denominator": "denom_id",
    "penilaian": "penilaian_id",
}


@lru_cache(maxsize=1)
def committee_criteria() -> dict[str, dict[str, str]]:
    """The committee-scored criteria of data/penilaian/komite.toml: key -> {id, en, keterangan_id, …}."""
    with COMMITTEE_FILE.open("rb") as handle:
        return tomllib.load(handle)


def _create_fact_table(name: str, tables: dict[str, list[tuple[str, str]]] = V1_FACT_TABLES) -> str:
    """CREATE TABLE of the version that introduced the table (version 1 for the first five; later
    columns of those come from ALTER TABLE in later migrations)."""
    columns = BATCH_COLUMNS + tables[name]
    body = ",\n  ".join(f"{col} {kind}" for col, kind in columns)
    return f"CREATE TABLE {name} (\n  {body},\n  PRIMARY KEY (dataset, batch_id, {ID_COLUMN[name]})\n)"


def _add_columns(name: str) -> list[str]:
    """ALTER TABLE statements adding a table's version-2 columns.

    DuckDB 2.0 refuses CHECK constraints in ALTER TABLE ADD COLUMN ("not supported yet") and in
    ADD CONSTRAINT, so the allowed values of these columns are enforced by store.coerce_table, which
    every load goes through. NOT NULL with a DEFAULT is accepted: existing rows get the default,
    which is then dropped so that a new row must always say its value.
    """
    statements = []
    for col, kind in V2_COLUMNS[name]:
        base = kind.split()[0]
        default = V2_DEFAULTS.get((name, col))
        if default is not None:
            statements += [
                f"ALTER TABLE {name} ADD COLUMN {col} {base} NOT NULL DEFAULT '{default}'",
                f"ALTER TABLE {name} ALTER COLUMN {col} DROP DEFAULT",
            ]
        else:
            statements.append(f"ALTER TABLE {name} ADD COLUMN {col} {base}")
    return statements


# Each migration moves the schema one version up; applied in order inside one transaction.
MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (
        1,
        "regions, sources, batches, enrolment, budgets, claims, denominators",
        [
            """CREATE TABLE wilayah (
             kode VARCHAR PRIMARY KEY, nama VARCHAR NOT NULL, nama_pendek VARCHAR NOT NULL,
             jenis VARCHAR NOT NULL CHECK (jenis IN ('kabupaten', 'kota')))""",
            """CREATE TABLE batch_impor (
             batch_id INTEGER PRIMARY KEY, dataset VARCHAR NOT NULL, jenis_data VARCHAR NOT NULL,
             nama_file VARCHAR, sha256 VARCHAR NOT NULL, dibuat_oleh VARCHAR, dibuat_pada TIMESTAMP NOT NULL,
             jumlah_baris INTEGER NOT NULL, keterangan VARCHAR,
             status VARCHAR NOT NULL CHECK (status IN ('aktif', 'diganti', 'dibatalkan')))""",
            *(_create_fact_table(name) for name in V1_FACT_TABLES),
        ],
    ),
    (
        2,
        "funding source of budgets and claims, reason on claims, English curation notes",
        [
            *(statement for name in V2_COLUMNS for statement in _add_columns(name)),
        ],
    ),
    (
        3,
        "committee scores of criteria no dataset holds (penilaian)",
        [
            _create_fact_table("penilaian", V3_TABLES),
        ],
    ),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]
