"""Competition ranks with ties, direction, kab/kota filter, rank change and no-data handling."""
import pandas as pd
import pytest

from analytics import metrics, ranking
from tests.factories import obs, tables


def test_competition_ranking_with_ties():
    values = pd.Series([50.0, 40.0, 40.0, 30.0, float("nan")])
    assert ranking.competition_rank(values, True).tolist() == [1, 2, 2, 4, pd.NA]
    assert ranking.competition_rank(values, False).tolist() == [4, 2, 2, 1, pd.NA]


def test_ties_are_decided_on_the_displayed_value():
    values = pd.Series([12.34, 12.26, 11.0])
    assert ranking.competition_rank(values, True, decimals=1).tolist() == [1, 1, 3]
    assert ranking.competition_rank(values, True, decimals=2).tolist() == [1, 2, 3]


def test_reference_value_ranks_by_distance():
    values = pd.Series([16800.0, 36800.0, 14000.0, 17000.0])
    assert ranking.competition_rank(values, False, reference=16800).tolist() == [1, 4, 3, 2]


def _data():
    rows = [obs("3509", 40300, "2025-07-10"), obs("3502", 29250, "2025-07-21"), obs("3513", 18000, "2025-07-10"),
            obs("3573", 18000, "2025-07-01"), obs("3574", 11023, "2025-05-07"),
            obs("3509", 20275, "2024-05-16", tahun=2024), obs("3502", 7618, "2025-07-21", tahun=2024),
            obs("3574", 10287, "2025-05-07", tahun=2024)]
    return tables(kepesertaan=rows)


def test_ranking_order_ties_change_and_missing():
    table = ranking.ranking(_data(), "peserta_dbhcht", 2025, "2025-07-31")
    ranked, missing = ranking.split_ranked(table)
    assert ranked["kode"].tolist() == ["3509", "3502", "3513", "3573", "3574"]
    assert ranked["peringkat"].tolist() == [1, 2, 3, 3, 5]
    # 2024 as known on 2025-07-31: Jember 1, Ponorogo 3 (7.618 < 10.287), Kota Probolinggo 2
    change = ranked.set_index("kode")["perubahan_peringkat"]
    assert change["3509"] == 0 and change["3502"] == 1 and change["3574"] == -3
    assert pd.isna(change["3513"])
    assert len(missing) == 33 and missing["peringkat"].isna().all()
    assert table["kode"].tolist()[:5] == ranked["kode"].tolist()


def test_kabupaten_and_kota_filters_rank_within_the_group():
    kota = ranking.ranking(_data(), "peserta_dbhcht", 2025, "2025-07-31", jenis="kota")
    ranked, missing = ranking.split_ranked(kota)
    assert ranked["kode"].tolist() == ["3573", "3574"] and ranked["peringkat"].tolist() == [1, 2]
    assert len(kota) == 9 and len(missing) == 7
    kab = ranking.ranking(_data(), "peserta_dbhcht", 2025, "2025-07-31", jenis="kabupaten")
    assert len(kab) == 29 and ranking.split_ranked(kab)[0]["peringkat"].tolist() == [1, 2, 3]
    with pytest.raises(ValueError):
        ranking.ranking(_data(), "peserta_dbhcht", 2025, "2025-07-31", jenis="provinsi")


def test_export_lists_ranked_first_then_no_data_with_sources():
    data = _data()
    table = ranking.with_sources(ranking.ranking(data, "peserta_dbhcht", 2025, "2025-07-31"), data["sumber"])
    export = ranking.export_frame(table, metrics.catalogue()["peserta_dbhcht"])
    assert export.columns.tolist() == ranking.EXPORT_COLUMNS
    assert export["status"].tolist() == ["berperingkat"] * 5 + ["tidak ada data"] * 33
    assert export.iloc[0]["sumber"] == "Uji, 2025-07-10: Berita uji"
    assert export.iloc[0]["url"] == "https://contoh.test/1"
    assert export.iloc[0]["tanggal_data"] == "2025-07-10"
