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
    rows = [
        obs("3509", 40300, "2025-07-10"),
        obs("3502", 29250, "2025-07-21"),
        obs("3513", 18000, "2025-07-10"),
        obs("3573", 18000, "2025-07-01"),
        obs("3574", 11023, "2025-05-07"),
        obs("3509", 20275, "2024-05-16", tahun=2024),
        obs("3502", 7618, "2025-07-21", tahun=2024),
        obs("3574", 10287, "2025-05-07", tahun=2024),
    ]
    return tables(kepesertaan=rows)


def test_ranking_order_ties_change_and_missing():
    table = ranking.ranking(_data(), "peserta_dbhcht", 2025, "2025-07-31")
    ranked, missing = ranking.split_ranked(table)
    assert ranked["kode"].tolist() == ["3509", "3502", "3513", "3573", "3574"]
    assert ranked["peringkat"].tolist() == [1, 2, 3, 3, 5]
    # Rank change among the 3 regions valued in both years only. 2025: Jember 1, Ponorogo 2, Kota
    # Probolinggo 3; 2024 (as known on 2025-07-31): Jember 1, Kota Probolinggo 2, Ponorogo 3.
    by_code = ranked.set_index("kode")
    change = by_code["perubahan_peringkat"]
    assert change["3509"] == 0 and change["3502"] == 1 and change["3574"] == -1  # not −3 (5th of 5 vs 2nd of 3)
    assert pd.isna(change["3513"]) and by_code.at["3513", "baru"] and not by_code.at["3502", "baru"]
    assert (by_code["jumlah_sebanding"] == 3).all()
    assert by_code.at["3502", "selisih"] == 29250 - 7618
    assert round(by_code.at["3502", "persen_perubahan"], 1) == round((29250 / 7618 - 1) * 100, 1)
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


def test_regions_that_grew_never_show_a_fall_because_more_regions_reported():
    """The publikasi 2025 defect: 7 regions valued in 2024, 20 in 2025. Pacitan grew 450 → 5.950 and
    Kab. Blitar 5.387 → 6.043; ranked 16th/15th of 20 against 7th/5th of 7 they showed ▼9 / ▼10."""
    before = {"3501": 450, "3505": 5387, "3521": 10796, "3574": 10287, "3502": 7618, "3503": 300, "3504": 200}
    now = {"3501": 5950, "3505": 6043, "3521": 15624, "3574": 11023, "3502": 29025}
    now |= {
        kode: 20000 + i
        for i, kode in enumerate(
            [
                "3509",
                "3515",
                "3514",
                "3518",
                "3573",
                "3513",
                "3511",
                "3576",
                "3575",
                "3527",
                "3579",
                "3508",
                "3512",
                "3529",
                "3528",
            ]
        )
    }
    rows = [obs(k, v, "2024-12-31", tahun=2024) for k, v in before.items()]
    rows += [obs(k, v, "2025-12-31") for k, v in now.items()]
    table = ranking.ranking(tables(kepesertaan=rows), "peserta_dbhcht", 2025, "2025-12-31").set_index("kode")
    assert table["peringkat"].notna().sum() == 20
    # common set: the five regions valued in both years; 2024 order Ngawi, Kota Prob., Ponorogo, Blitar, Pacitan
    assert (table.loc[list(now)[:5], "jumlah_sebanding"] == 5).all()
    assert table.at["3501", "perubahan_peringkat"] == 0 and table.at["3505", "perubahan_peringkat"] == 0
    assert table.at["3502", "perubahan_peringkat"] == 2 and table.at["3521", "perubahan_peringkat"] == -1
    assert table.loc[list(now)[5:], "baru"].all() and table.loc[list(now)[5:], "perubahan_peringkat"].isna().all()
    assert pd.isna(table.at["3503", "perubahan_peringkat"])  # valued only last year: unranked now, no change


def test_rank_change_shares_ranks_on_ties_within_the_common_set():
    rows = [
        obs("3509", 100, "2024-12-31", tahun=2024),
        obs("3502", 100, "2024-12-31", tahun=2024),
        obs("3513", 50, "2024-12-31", tahun=2024),
        obs("3509", 200, "2025-12-31"),
        obs("3502", 300, "2025-12-31"),
        obs("3513", 300, "2025-12-31"),
    ]
    table = ranking.ranking(tables(kepesertaan=rows), "peserta_dbhcht", 2025, "2025-12-31").set_index("kode")
    # 2024: 1, 1, 3 -> 2025: 3, 1, 1
    assert table.loc[["3509", "3502", "3513"], "peringkat_lalu"].tolist() == [1, 1, 3]
    assert table.loc[["3509", "3502", "3513"], "perubahan_peringkat"].tolist() == [-2, 0, 2]


def test_english_export_has_english_headers_and_values():
    data = _data()
    table = ranking.with_sources(ranking.ranking(data, "peserta_dbhcht", 2025, "2025-07-31"), data["sumber"])
    export = ranking.export_frame(table, metrics.catalogue()["peserta_dbhcht"], "en")
    assert export.columns.tolist() == [ranking.EXPORT_COLUMNS_EN[c] for c in ranking.EXPORT_COLUMNS]
    assert set(export["status"]) == {"ranked", "no data"} and set(export["type"]) == {"regency", "city"}
    assert export.loc[export["code"] == "3513", "change_status"].item() == "new (no value last year)"
    assert export["unit"].unique().tolist() == ["persons"]
    assert not export["note"].dropna().str.contains("tidak ada").any()


def test_evidence_gives_the_quotes_behind_a_value_including_summed_parts():
    rows = [
        obs("3518", 22215, "2025-11-20", laporan_id="L-3518", peran="bagian", kutipan="22.215 pekerja rentan"),
        obs(
            "3518",
            5322,
            "2025-11-20",
            laporan_id="L-3518",
            peran="bagian",
            kutipan="5.322 petani tembakau",
            sumber_id="S2",
        ),
        obs("3509", 40300, "2025-07-10", laporan_id="L-3509", kutipan="40.300 pekerja"),
        obs("3509", 100, "2025-07-10", laporan_id="L-3509", peran="rincian", kutipan="rincian"),
    ]
    data = tables(kepesertaan=rows)
    table = ranking.ranking(data, "peserta_dbhcht", 2025, "2025-12-31").set_index("kode")
    nganjuk = ranking.evidence(data, table.at["3518", "obs_id"])
    assert sorted(nganjuk["kutipan"]) == ["22.215 pekerja rentan", "5.322 petani tembakau"]
    assert set(nganjuk["url"]) == {"https://contoh.test/1", "https://contoh.test/2"}  # each part's own source
    jember = ranking.evidence(data, table.at["3509", "obs_id"])
    assert jember["kutipan"].tolist() == ["40.300 pekerja"]  # a breakdown row is not the value's evidence
    assert ranking.evidence(data, "12 laporan bulanan").empty
