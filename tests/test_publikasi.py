"""Contract of the curated publikasi files: every value cited, consistent, and as the research says."""
import pandas as pd
import pytest

from analytics import metrics, ranking, regions, store

REGION_CODES = set(regions.regions_frame()["kode"]) | {metrics.PROVINCE_CODE}


@pytest.fixture(scope="module")
def files():
    return store.read_publikasi()


@pytest.mark.parametrize("name", list(store.FACT_TABLES))
def test_columns_ids_codes_and_sources(files, name):
    frame = files[name]
    assert frame.columns.tolist() == [col for col, _ in store.FACT_TABLES[name]]
    assert frame[store.ID_COLUMN[name]].is_unique
    if name != "sumber":
        assert set(frame["kode"]) <= REGION_CODES
        assert set(frame["sumber_id"]) <= set(files["sumber"]["sumber_id"])
        assert (frame["kutipan"].str.strip() != "").all(), "every figure carries its quote"
    store.coerce_table(name, frame)  # types parse (dates, numbers, booleans)


@pytest.mark.parametrize("name", ["kepesertaan", "anggaran"])
def test_each_conflict_has_exactly_one_preferred_row_with_a_reason(files, name):
    frame = files[name]
    conflicts = frame.loc[frame["konflik_id"] != ""]
    per_report = conflicts.drop_duplicates(["konflik_id", "laporan_id" if "laporan_id" in frame else "anggaran_id"])
    preferred = per_report.groupby("konflik_id")["diutamakan"].apply(lambda s: (s == "true").sum())
    assert (preferred == 1).all(), preferred[preferred != 1]
    assert (conflicts["alasan"].str.strip() != "").all()


def test_every_source_has_a_url_and_publisher(files):
    sources = files["sumber"]
    assert sources["url"].str.startswith("http").all()
    assert (sources["penerbit"].str.strip() != "").all()


def test_denominators_are_complete_and_sum_to_the_published_totals(files):
    den = files["denominator"].assign(nilai=lambda f: f["nilai"].astype(float))
    population = den.loc[(den["metrik"] == "penduduk") & (den["tahun"] == "2025")]
    area = den.loc[den["metrik"] == "luas_km2"]
    assert len(population) == 38 and population["nilai"].sum() == 41_919_906
    assert len(area) == 38 and round(area["nilai"].sum(), 3) == 48_055.876
    assert (den["metrik"] == "persen_miskin").sum() == 37


def test_parts_and_breakdowns_never_double_count(files):
    kep = files["kepesertaan"]
    for laporan, rows in kep.groupby("laporan_id"):
        roles = set(rows["peran"])
        assert not ({"bagian", "total"} <= roles), laporan
        if "rincian" in roles:
            assert (rows["peran"] == "total").sum() == 1, laporan


def test_published_province_total_is_kept_and_never_ranked(files):
    data = {name: store.coerce_table(name, frame) for name, frame in files.items()}
    province = metrics.province_reported(data, 2025, "2025-12-31")
    assert province["peserta"].tolist() == [580449]
    table = ranking.ranking(data, "peserta_dbhcht", 2025, "2025-12-31")
    assert metrics.PROVINCE_CODE not in set(table["kode"]) and len(table) == 38


def test_the_july_2025_story_holds(files):
    data = {name: store.coerce_table(name, frame) for name, frame in files.items()}
    ranked, missing = ranking.split_ranked(ranking.ranking(data, "peserta_dbhcht", 2025, "2025-07-31"))
    top = ranked.head(3)
    assert top["kode"].tolist() == ["3509", "3502", "3513"]
    assert top["nilai"].tolist() == [40300, 29250, 18000]
    assert top["kualifikasi"].tolist()[2] == "lebih dari"
    # Nganjuk's 2025 figure is the sum of two printed parts, never a stored 27.537
    assert "27537" not in set(files["kepesertaan"]["peserta"])
    december = ranking.ranking(data, "peserta_dbhcht", 2025, "2025-12-31").set_index("kode")
    assert december.at["3518", "nilai"] == 22215 + 5322
    assert december.at["3502", "nilai"] == 29025  # the preferred, itemised SK Bupati figure
