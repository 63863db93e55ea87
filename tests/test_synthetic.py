"""The `contoh` generator: reproducible bytes, the schema contract, and the magnitudes the demo relies on."""

import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest

from analytics import synthetic, synthetic_committee, synthetic_world

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
TABLES = ["sumber", "kepesertaan", "anggaran", "klaim", "denominator", "penilaian"]
# store.tables_digest of the first five tables with the default seed, as they were before the
# committee scores were added: drawing those from their own Generator must leave these unchanged.
# An intended change of the generator (profil.csv, a formula) changes it: then update it here.
FIVE_TABLES_DIGEST = "8e79ee3090e35a6929634e81389e5362b83d0f109c6237b662a737c7935adeb8"
YEARS = set(range(2022, 2027))


@pytest.fixture(scope="module")
def tables():
    return synthetic.generate()


@pytest.fixture(scope="module")
def regions():
    return set(pd.read_csv(DATA_DIR / "regions.csv", dtype={"kode": str})["kode"])


@pytest.fixture(scope="module")
def monthly_programme(tables):
    """Participants of the DBHCHT/campuran programme per region and month (APBD excluded)."""
    kep = tables["kepesertaan"]
    rows = kep[(kep["jenis_angka"] == "realisasi") & (kep["sumber_dana"] != "apbd")]
    return rows.groupby(["kode", "tahun_anggaran", "tanggal_data"])["peserta"].sum()


def _sha256s(paths):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def _schema_columns():
    """Column names per table, in order, from the tables in data/SCHEMA.md."""
    columns, table = {}, None
    for line in (DATA_DIR / "SCHEMA.md").read_text(encoding="utf-8").splitlines():
        heading = re.match(r"## (\w+)\.csv", line)
        if heading:
            table = heading.group(1)
            columns[table] = []
        elif line.startswith("##"):
            table = None
        elif table and line.startswith("| `"):
            columns[table] += re.findall(r"`(\w+)`", line.split("|")[1])
    return columns


def test_same_seed_gives_byte_identical_csv(tmp_path):
    first = synthetic.write_csv(synthetic.generate(), tmp_path / "a")
    second = synthetic.write_csv(synthetic.generate(), tmp_path / "b")
    assert sorted(p.name for p in first) == sorted(f"{t}.csv" for t in TABLES)
    assert _sha256s(first) == _sha256s(second)
    assert b"\r" not in first[1].read_bytes()


def test_different_seed_gives_different_data(tmp_path):
    default = _sha256s(synthetic.write_csv(synthetic.generate(), tmp_path / "a"))
    other = _sha256s(synthetic.write_csv(synthetic.generate(synthetic.DEFAULT_SEED + 1), tmp_path / "b"))
    for name in ["kepesertaan.csv", "anggaran.csv", "klaim.csv", "denominator.csv", "penilaian.csv"]:
        assert default[name] != other[name], name


def test_csv_round_trip_keeps_values(tmp_path, tables):
    paths = synthetic.write_csv(tables, tmp_path)
    back = pd.read_csv(paths[1], dtype={"kode": str}, keep_default_na=False)
    assert back["peserta"].tolist() == tables["kepesertaan"]["peserta"].tolist()
    assert set(back["diutamakan"].astype(str).str.lower()) == {"true"}


def test_columns_exactly_as_schema(tables):
    schema = _schema_columns()
    assert set(schema) == set(TABLES)
    for name in TABLES:
        assert list(tables[name].columns) == schema[name], name


def test_every_region_every_year(tables, regions):
    expected = {(k, y) for k in regions for y in YEARS}
    for name, year_col in [
        ("kepesertaan", "tahun_anggaran"),
        ("anggaran", "tahun_anggaran"),
        ("klaim", "tahun_anggaran"),
        ("denominator", "tahun"),
    ]:
        table = tables[name]
        if name == "denominator":
            table = table[table["metrik"] == "penduduk"]
        assert set(zip(table["kode"], table[year_col])) == expected, name


def test_ids_unique_and_dates_well_formed(tables):
    for name, id_col in [
        ("kepesertaan", "obs_id"),
        ("anggaran", "anggaran_id"),
        ("klaim", "klaim_id"),
        ("denominator", "denom_id"),
        ("penilaian", "penilaian_id"),
    ]:
        table = tables[name]
        assert table[id_col].is_unique, name
        assert table["kode"].str.fullmatch(r"35\d\d").all(), name
        if "tanggal_data" in table:
            assert pd.to_datetime(table["tanggal_data"], format="%Y-%m-%d").notna().all(), name


def test_every_row_cites_the_synthetic_source(tables):
    assert tables["sumber"]["sumber_id"].tolist() == ["CONTOH"]
    assert tables["sumber"]["judul"].iloc[0].startswith("DATA CONTOH")
    for name in TABLES[1:]:
        assert (tables[name]["sumber_id"] == "CONTOH").all(), name
        if "kutipan" in tables[name]:
            assert tables[name]["kutipan"].isin(["", "sintetis"]).all(), name
    # committee scores have no quote; their note and assessor say they are synthetic
    assert tables["penilaian"]["catatan"].str.startswith("sintetis").all()
    assert tables["penilaian"]["catatan_en"].str.startswith("synthetic").all()
    assert tables["penilaian"]["penilai"].str.endswith("(sintetis)").all()


def test_no_negative_values(tables):
    for name in TABLES:
        numeric = tables[name].select_dtypes("number")
        assert (numeric.fillna(0) >= 0).all().all(), name


def test_july_2025_top_three(tables):
    kep = tables["kepesertaan"]
    july = kep[(kep["tanggal_data"] == "2025-07-31") & (kep["sumber_dana"] == "dbhcht")]
    ranked = july.groupby("kode")["peserta"].sum().sort_values(ascending=False)
    assert list(ranked.index[:3]) == ["3509", "3502", "3513"]  # Jember, Ponorogo, Kab. Probolinggo
    assert 38_000 <= ranked["3509"] <= 42_000
    assert 27_000 <= ranked["3502"] <= 31_000
    assert 18_000 <= ranked["3513"] <= 24_000
    assert ranked.iloc[3] < ranked["3513"]


def test_december_2025_province_total(tables):
    kep = tables["kepesertaan"]
    dec = kep[(kep["tanggal_data"] == "2025-12-31") & (kep["sumber_dana"] == "dbhcht")]
    assert 540_000 <= dec["peserta"].sum() <= 620_000


def test_programme_grows_from_2022(tables):
    kep = tables["kepesertaan"]
    dbhcht = kep[(kep["sumber_dana"] == "dbhcht") & (kep["jenis_angka"] == "realisasi")]
    dec = dbhcht[dbhcht["tanggal_data"].str.endswith("-12-31")].groupby("tahun_anggaran")["peserta"].sum()
    assert 100_000 <= dec[2022] <= 150_000
    assert dec.is_monotonic_increasing


def test_realisasi_jamsos_is_participant_months_times_16800(tables, monthly_programme):
    profil = synthetic_world.load_profil().set_index("kode")
    normal = profil[
        (profil["premi_rp"] == 16_800) & (profil["premi_sd_rp"] == 0) & (profil["bulan_tanpa_data"] == "")
    ].index
    assert "3509" in normal
    paid = _realisasi_jamsos(tables).loc[lambda s: s.index.get_level_values("kode").isin(normal)]
    months = monthly_programme.groupby(level=["kode", "tahun_anggaran"]).cumsum()
    assert len(paid) > 1000
    assert (paid == 16_800 * months.reindex(paid.index)).all()


def test_some_regions_deviate_from_statutory_premium(tables, monthly_programme):
    paid = _realisasi_jamsos(tables)
    dec = paid[paid.index.get_level_values("tanggal_data").str.endswith("-12-31")]
    months = monthly_programme.groupby(level=["kode", "tahun_anggaran"]).sum()
    per_month = dec.droplevel("tanggal_data") / months.reindex(dec.droplevel("tanggal_data").index)
    per_region = per_month.groupby(level="kode").mean()
    assert (per_region.round() == 36_800).sum() == 2
    assert ((per_region > 13_000) & (per_region < 15_000)).sum() == 1


def test_claims_2025_magnitude(tables):
    klaim = tables["klaim"]
    dec = klaim[klaim["tanggal_data"] == "2025-12-31"]
    assert 650 <= dec["kasus"].sum() <= 900
    assert 22e9 <= dec["nilai_rp"].sum() <= 34e9
    jkm = dec[dec["program"] == "JKM"]
    assert (jkm["nilai_rp"] == jkm["kasus"] * 42_000_000).all()


def test_surabaya_has_no_dbhcht_before_2024_and_sampang_has_a_gap(tables, monthly_programme):
    assert monthly_programme.loc["3578"].loc[[2022, 2023]].sum() == 0
    assert monthly_programme.loc["3578"].loc[2024].sum() > 0
    sampang_2024 = monthly_programme.loc[("3527", 2024)]
    assert "2024-08-31" not in sampang_2024.index and "2024-06-30" in sampang_2024.index


def test_committee_scores_leave_the_other_tables_as_they_were(tables):
    from analytics import store

    assert store.tables_digest({name: tables[name] for name in TABLES[:5]}) == FIVE_TABLES_DIGEST


def test_committee_scores_cover_every_region_criterion_year_and_assessor(tables, regions):
    from analytics import schema, store

    scores = tables["penilaian"]
    criteria = list(schema.committee_criteria())
    assert scores["skor"].between(0, 100).all() and (scores["skor"] == scores["skor"].round()).all()
    assert set(scores["kriteria"]) == set(criteria)
    assert set(scores["penilai"]) == set(synthetic_committee.PENILAI) and len(synthetic_committee.PENILAI) == 3
    desk = scores[scores["kriteria"] != "wawancara"]
    assert set(zip(desk["kode"], desk["tahun"], desk["kriteria"], desk["penilai"])) == {
        (k, y, c, p)
        for k in regions
        for y in YEARS
        for c in criteria
        if c != "wawancara"
        for p in synthetic_committee.PENILAI
    }
    # the jury interviews a shortlist: a few regions a year have no interview score
    interviewed = scores[scores["kriteria"] == "wawancara"].groupby("tahun")["kode"].nunique()
    assert (interviewed == len(regions) - synthetic_committee.TANPA_WAWANCARA).all() and set(interviewed.index) == YEARS
    assert (scores.groupby(["kode", "tahun", "kriteria"]).size().isin([3])).all()  # three assessors each
    assert set(scores.loc[scores["kriteria"] == "wawancara", "tanggal_data"].str[5:]) == {"07-18"}
    assert set(desk["tanggal_data"].str[5:]) == {"07-04"}
    store.coerce_table("penilaian", scores)  # fits the store: criteria of komite.toml, scores in 0–100


def test_committee_scores_follow_enrolment_per_1000(tables):
    """kebijakan is higher where enrolment per 1.000 population is higher (plus noise)."""
    scores = tables["penilaian"]
    kep, den = tables["kepesertaan"], tables["denominator"]
    june = (
        kep[
            (kep["tanggal_data"] == "2025-06-30") & (kep["sumber_dana"] != "apbd") & (kep["jenis_angka"] == "realisasi")
        ]
        .groupby("kode")["peserta"]
        .sum()
    )
    pop = den[(den["metrik"] == "penduduk") & (den["tahun"] == 2025)].set_index("kode")["nilai"]
    per_1000 = (june / pop * 1000).rename("per_1000")
    for criterion, low in (("kebijakan", 0.5), ("penerapan", 0.3)):
        mean = scores[(scores["tahun"] == 2025) & (scores["kriteria"] == criterion)].groupby("kode")["skor"].mean()
        rho = pd.concat([mean, per_1000], axis=1).corr(method="spearman").iloc[0, 1]
        assert rho > low, (criterion, rho)
    # Kota Surabaya started its DBHCHT programme in 2024: its 2022 policy score is among the lowest
    keb_2022 = scores[(scores["tahun"] == 2022) & (scores["kriteria"] == "kebijakan")].groupby("kode")["skor"].mean()
    assert keb_2022.rank()["3578"] <= 3


def _realisasi_jamsos(tables):
    ang = tables["anggaran"]
    rows = ang[ang["komponen"] == "realisasi_jamsos"]
    return rows.set_index(["kode", "tahun_anggaran", "tanggal_data"])["nilai_rp"]
