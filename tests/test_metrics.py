"""Indicator computations on hand-built inputs with hand-computed answers."""

import math

import pandas as pd
import pytest

from analytics import metrics
from tests.factories import obs, tables


def value(result, kode):
    return result.set_index("kode").at[kode, "nilai"]


def test_latest_realised_figure_on_or_before_as_of_is_used():
    data = tables(
        kepesertaan=[
            obs("3513", 18000, "2025-07-10", kualifikasi="lebih dari"),
            obs("3513", 25215, "2025-09-26"),
            obs("3513", 24250, "2025-07-10", jenis_angka="target", tahap_anggaran="pak"),
        ]
    )
    assert value(metrics.compute("peserta_dbhcht", data, 2025, "2025-07-31"), "3513") == 18000
    assert value(metrics.compute("peserta_dbhcht", data, 2025, "2025-12-31"), "3513") == 25215
    assert math.isnan(value(metrics.compute("peserta_dbhcht", data, 2025, "2025-07-09"), "3513"))


def test_plans_and_mixed_funding_are_not_counted_as_dbhcht_participants():
    data = tables(
        kepesertaan=[
            obs("3524", 24000, "2025-06-29", jenis_angka="rencana"),
            obs("3525", 8674, "2025-12-08", sumber_dana="campuran"),
            obs("3522", 197893, "2025-05-20", sumber_dana="apbd"),
        ]
    )
    result = metrics.compute("peserta_dbhcht", data, 2025, "2025-12-31").set_index("kode")
    assert result.loc[["3524", "3525", "3522"], "nilai"].isna().all()
    assert result.at["3524", "catatan"] == "hanya angka rencana (tidak dibandingkan)"
    assert result.at["3525", "catatan"] == "hanya angka dana campuran (tidak dibandingkan)"
    assert result.at["3522", "catatan"] == "hanya angka dana APBD (tidak dibandingkan)"
    assert result.at["3501", "catatan"] == "tidak ada angka untuk tahun 2025"
    assert len(result) == 38


def test_a_region_whose_first_figure_comes_after_the_as_of_date_says_so():
    data = tables(kepesertaan=[obs("3514", 28448, "2025-09-24")])
    result = metrics.compute("peserta_dbhcht", data, 2025, "2025-07-31").set_index("kode")
    assert result.at["3514", "catatan"] == "angka pertama bertanggal 2025-09-24, setelah tanggal data"


def test_parts_of_one_report_are_summed_and_breakdowns_ignored():
    data = tables(
        kepesertaan=[
            obs("3518", 22215, "2025-11-20", laporan_id="L1", peran="bagian"),
            obs("3518", 5322, "2025-11-20", laporan_id="L1", peran="bagian"),
            obs("3502", 29025, "2025-09-30", laporan_id="L2", peran="total"),
            obs("3502", 5200, "2025-09-30", laporan_id="L2", peran="rincian"),
            obs("3502", 23825, "2025-09-30", laporan_id="L2", peran="rincian"),
        ]
    )
    result = metrics.compute("peserta_dbhcht", data, 2025, "2025-12-31")
    assert value(result, "3518") == 27537
    assert value(result, "3502") == 29025
    assert result.set_index("kode").at["3518", "obs_id"] == "L1"  # the report id names its parts


def test_preferred_conflict_row_wins_once_it_is_available():
    data = tables(
        kepesertaan=[
            obs("3502", 29250, "2025-07-21", konflik_id="K-ponorogo", diutamakan="false", sumber_id="S1"),
            obs("3502", 29025, "2025-09-30", konflik_id="K-ponorogo", diutamakan="true", sumber_id="S2"),
            obs("3521", 7650, "2023-09-19", tahun=2023, konflik_id="K-ngawi", diutamakan="false"),
            obs("3521", 7616, "2023-08-01", tahun=2023, konflik_id="K-ngawi", diutamakan="true"),
        ]
    )
    assert value(metrics.compute("peserta_dbhcht", data, 2025, "2025-07-31"), "3502") == 29250
    assert value(metrics.compute("peserta_dbhcht", data, 2025, "2025-12-31"), "3502") == 29025
    # the preferred Ngawi figure is older, yet it beats the newer conflicting one
    assert value(metrics.compute("peserta_dbhcht", data, 2023, "2023-12-31"), "3521") == 7616


def test_growth_and_attainment():
    data = tables(
        kepesertaan=[
            obs("3502", 7618, "2025-07-21", tahun=2024),
            obs("3502", 29250, "2025-07-21"),
            obs("3513", 25215, "2025-09-26"),
            obs("3513", 24250, "2025-07-10", jenis_angka="target", tahap_anggaran="pak"),
        ]
    )
    growth = metrics.compute("pertumbuhan_peserta", data, 2025, "2025-12-31")
    assert value(growth, "3502") == pytest.approx((29250 / 7618 - 1) * 100)
    attainment = metrics.compute("capaian_target", data, 2025, "2025-12-31").set_index("kode")
    assert attainment.at["3513", "nilai"] == pytest.approx(25215 / 24250 * 100)
    assert attainment.at["3513", "pembilang"] == 25215 and attainment.at["3513", "penyebut"] == 24250


def test_per_1000_uses_nearest_population_year_and_says_so():
    data = tables(
        kepesertaan=[obs("3509", 40300, "2025-07-10"), obs("3509", 20000, "2024-12-01", tahun=2024)],
        denominator=[dict(kode="3509", tahun=2025, metrik="penduduk", nilai=2615874)],
    )
    now = metrics.compute("peserta_per_1000", data, 2025, "2025-12-31").set_index("kode")
    assert now.at["3509", "nilai"] == pytest.approx(40300 / 2615874 * 1000)
    assert now.at["3509", "catatan"] is None
    before = metrics.compute("peserta_per_1000", data, 2024, "2025-12-31").set_index("kode")
    assert before.at["3509", "catatan"] == "penduduk tahun 2025"


def test_cost_per_participant_month_from_report_budget_and_flags():
    data = tables(
        kepesertaan=[
            obs("3508", 5606, "2025-09-10", bulan_cakupan=7),
            obs("3575", 9038, "2025-05-07", bulan_cakupan=8),
        ],
        anggaran=[
            dict(
                kode="3508",
                tahun_anggaran=2025,
                tanggal_data="2025-09-16",
                komponen="anggaran_jamsos",
                nilai_rp=659265600,
            ),
            dict(
                kode="3575",
                tahun_anggaran=2025,
                tanggal_data="2025-05-06",
                komponen="anggaran_jamsos",
                nilai_rp=2_000_000_000,
            ),
        ],
    )
    result = metrics.compute("biaya_per_peserta_bulan", data, 2025, "2025-12-31").set_index("kode")
    assert result.at["3508", "nilai"] == pytest.approx(16800)
    assert result.at["3508", "catatan"] is None
    assert result.at["3575", "nilai"] == pytest.approx(2_000_000_000 / (9038 * 8))
    assert result.at["3575", "catatan"] == "di atas acuan Rp16.800"


def test_cost_from_monthly_series_sums_participants_month_by_month():
    months = [
        obs("3501", n, f"2025-{m:02d}-28", bulan_cakupan=1, laporan_id=f"M{m}", peran="bagian")
        for m, n in ((3, 100), (4, 200), (5, 300))
    ]
    paid = dict(kode="3501", tahun_anggaran=2025, komponen="realisasi_jamsos")
    data = tables(
        kepesertaan=months,
        anggaran=[
            {**paid, "tanggal_data": "2025-04-30", "nilai_rp": 300 * 16800},
            {**paid, "tanggal_data": "2025-05-31", "nilai_rp": 600 * 36800},
        ],
    )
    assert value(metrics.compute("biaya_per_peserta_bulan", data, 2025, "2025-04-30"), "3501") == pytest.approx(16800)
    late = metrics.compute("biaya_per_peserta_bulan", data, 2025, "2025-05-31").set_index("kode")
    assert late.at["3501", "nilai"] == pytest.approx(36800)
    assert late.at["3501", "catatan"] == "di atas acuan Rp16.800"


def test_share_and_absorption_use_the_latest_budget_stage():
    base = dict(kode="3527", tahun_anggaran=2025)
    data = tables(
        anggaran=[
            {**base, "tanggal_data": "2025-05-22", "komponen": "alokasi_dbhcht", "nilai_rp": 42e9},
            {
                **base,
                "tanggal_data": "2025-02-01",
                "komponen": "anggaran_jamsos",
                "tahap_anggaran": "murni",
                "nilai_rp": 800e6,
            },
            {
                **base,
                "tanggal_data": "2025-09-30",
                "komponen": "anggaran_jamsos",
                "tahap_anggaran": "pak",
                "nilai_rp": 927e6,
            },
            {**base, "tanggal_data": "2025-10-31", "komponen": "realisasi_jamsos", "nilai_rp": 463.5e6},
        ]
    )
    assert value(metrics.compute("porsi_jamsos_dbhcht", data, 2025, "2025-06-30"), "3527") == pytest.approx(
        800e6 / 42e9 * 100
    )
    assert value(metrics.compute("porsi_jamsos_dbhcht", data, 2025, "2025-12-31"), "3527") == pytest.approx(
        927e6 / 42e9 * 100
    )
    assert value(metrics.compute("serapan_anggaran", data, 2025, "2025-12-31"), "3527") == pytest.approx(50.0)


def test_claims_take_the_latest_cumulative_figure_per_programme():
    base = dict(kode="3509", tahun_anggaran=2025)
    data = tables(
        klaim=[
            {**base, "tanggal_data": "2025-06-30", "program": "JKK", "kasus": 4, "nilai_rp": 40e6},
            {**base, "tanggal_data": "2025-09-30", "program": "JKK", "kasus": 9, "nilai_rp": 95e6},
            {**base, "tanggal_data": "2025-09-30", "program": "JKM", "kasus": 2, "nilai_rp": 84e6},
        ]
    )
    assert value(metrics.compute("klaim_kasus", data, 2025, "2025-12-31"), "3509") == 11
    assert value(metrics.compute("klaim_rp", data, 2025, "2025-07-01"), "3509") == 40e6


def test_province_rows_are_never_region_values():
    data = tables(kepesertaan=[obs("35", 580449, "2025-12-15")])
    result = metrics.compute("peserta_dbhcht", data, 2025, "2025-12-31")
    assert result["nilai"].isna().all() and "35" not in set(result["kode"])
    assert metrics.province_reported(data, 2025, "2025-12-31")["peserta"].tolist() == [580449]
    assert metrics.province_reported(data, 2025, "2025-12-01").empty


def test_every_catalogue_indicator_has_a_computation_and_is_documented():
    catalogue = metrics.catalogue()
    assert set(catalogue) == set(metrics.COMPUTATIONS)
    for indicator in catalogue.values():
        for field in (
            "judul_id",
            "judul_en",
            "satuan_id",
            "satuan_en",
            "definisi_id",
            "definisi_en",
            "catatan_sumber_id",
            "catatan_sumber_en",
        ):
            assert getattr(indicator, field).strip(), (indicator.id, field)
        assert indicator.input and indicator.desimal >= 0
        assert set(indicator.input) <= set(metrics.inputs()), indicator.id  # every input is described
        assert all(label.strip() for lang in ("id", "en") for label in indicator.input_labels(lang))


def test_input_coverage_counts_the_regions_each_input_has():
    data = tables(
        kepesertaan=[
            obs("3509", 40300, "2025-07-10"),
            obs("3502", 7618, "2025-07-21", tahun=2024),
            obs("3502", 30000, "2025-07-21", jenis_angka="target"),
        ],
        klaim=[dict(kode="3576", tahun_anggaran=2025, tanggal_data="2025-12-31", program="JKK", kasus=3)],
    )
    coverage = metrics.input_coverage(data, 2025, "2025-12-31")
    assert set(coverage) == set(metrics.inputs())
    assert coverage["peserta_realisasi"] == 1 and coverage["peserta_tahun_lalu"] == 1
    assert coverage["peserta_target"] == 1 and coverage["klaim_kasus"] == 1 and coverage["klaim_rp"] == 0
    assert coverage["anggaran_jamsos"] == 0 and coverage["penduduk"] == 0


@pytest.mark.parametrize("indicator_id", list(metrics.COMPUTATIONS))
def test_every_indicator_runs_on_empty_data(indicator_id):
    result = metrics.compute(indicator_id, tables(), 2025, "2025-12-31")
    assert list(result.columns) == metrics.RESULT_COLUMNS
    assert len(result) == 38 and result["nilai"].isna().all() and result["catatan"].notna().all()


def test_a_budget_addition_in_the_revision_is_added_to_the_original():
    base = dict(kode="3501", tahun_anggaran=2025, tanggal_data="2025-07-30", komponen="anggaran_jamsos")
    data = tables(
        kepesertaan=[obs("3501", 5950, "2025-07-30", bulan_cakupan=6)],
        anggaran=[
            {**base, "tahap_anggaran": "murni", "nilai_rp": 320_000_000},
            {**base, "tahap_anggaran": "pak", "kualifikasi": "tambahan", "nilai_rp": 160_000_000},
        ],
    )
    result = metrics.compute("biaya_per_peserta_bulan", data, 2025, "2025-12-31").set_index("kode")
    assert result.at["3501", "pembilang"] == 480_000_000
    assert result.at["3501", "obs_id"] == "A001;A002;K001"


def test_shared_inputs_change_no_figure_and_leave_nothing_behind(store_tables):
    """Ranking all indicators at once shares their inputs (metrics.shared_inputs); every result is
    the one each indicator gives alone, a caller editing a shared frame cannot change the next
    result, and after the block (or in another thread) nothing is memoised."""
    import datetime as dt
    import threading

    from analytics import ranking

    tables_ = store_tables["contoh"]
    as_of = dt.date(2025, 12, 31)
    alone = {i: ranking.ranking(tables_, i, 2025, as_of) for i in metrics.catalogue()}
    together = ranking.rank_all(tables_, 2025, as_of)
    for indicator_id, table in alone.items():
        pd.testing.assert_frame_equal(together[indicator_id], table, obj=indicator_id)
    with metrics.shared_inputs():
        first = metrics.chosen_enrolment(tables_["kepesertaan"], 2025, as_of)
        first["peserta"] = -1
        assert (metrics.chosen_enrolment(tables_["kepesertaan"], 2025, as_of)["peserta"] > 0).all()
        seen = []
        worker = threading.Thread(target=lambda: seen.append(getattr(metrics._scope, "memo", None)))
        worker.start()
        worker.join()
        assert seen == [None] and metrics._scope.memo
    assert not hasattr(metrics._scope, "memo")
