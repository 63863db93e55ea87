"""Series, comparison, peers and region profiles on hand-built inputs with hand-computed answers."""

import datetime as dt
import json
import math

import pandas as pd
import pytest

from analytics import compare, geo, metrics, profile, ranking, series, series_charts
from tests.factories import obs, tables

AS_OF = dt.date(2025, 12, 31)


def month_parts(kode, month, counts, year=2025, **extra):
    """One month-end report of a monthly dataset: `bagian` rows per category sharing a laporan_id."""
    date = (pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)).date().isoformat()
    laporan = f"L-{kode}-{year}-{month:02d}"
    return [
        obs(kode, n, date, tahun=year, laporan_id=laporan, peran="bagian", bulan_cakupan=1, kategori_pekerja=k, **extra)
        for k, n in counts.items()
    ]


# ---------------------------------------------------------------- monthly series


def test_monthly_series_sums_parts_and_ignores_breakdowns_and_other_funding():
    rows = (
        month_parts("3513", 1, {"nelayan": 100, "ojol": 50})
        + month_parts("3513", 2, {"nelayan": 120, "ojol": 60})
        + month_parts("3574", 2, {"ojol": 30})
        + [
            obs("3513", 999, "2025-02-28", laporan_id="L-3513-2025-02", peran="rincian", bulan_cakupan=1),
            obs(
                "3513",
                500,
                "2025-02-28",
                laporan_id="L-3513-2025-02",
                peran="bagian",
                bulan_cakupan=1,
                sumber_dana="apbd",
            ),
        ]
    )
    data = tables(kepesertaan=rows)
    assert series.is_monthly(data["kepesertaan"])
    monthly = series.monthly_enrolment(data["kepesertaan"], [2025], AS_OF)
    by_month = monthly.set_index(["kode", monthly["tanggal"].dt.strftime("%Y-%m")])["nilai"]
    assert by_month[("3513", "2025-01")] == 150
    assert by_month[("3513", "2025-02")] == 180  # the 999 breakdown and the 500 APBD part are not counted
    assert by_month[("3574", "2025-02")] == 30
    feb = series.monthly_total(monthly).set_index("tanggal").loc[pd.Timestamp("2025-02-28")]
    assert feb["nilai"] == 210 and feb["jumlah_daerah"] == 2


def test_monthly_series_stops_at_the_as_of_date():
    data = tables(kepesertaan=month_parts("3513", 1, {"ojol": 10}) + month_parts("3513", 2, {"ojol": 20}))
    monthly = series.monthly_enrolment(data["kepesertaan"], [2025], dt.date(2025, 2, 27))
    assert list(monthly["nilai"]) == [10]


def test_monthly_series_agrees_with_the_ranking_value_of_the_month():
    data = tables(kepesertaan=month_parts("3509", 3, {"nelayan": 7, "ojol": 8}) + month_parts("3509", 4, {"ojol": 40}))
    monthly = series.monthly_enrolment(data["kepesertaan"], [2025], AS_OF)
    ranked = metrics.compute("peserta_dbhcht", data, 2025, AS_OF).set_index("kode")
    assert monthly["nilai"].iloc[-1] == ranked.at["3509", "nilai"] == 40


# ---------------------------------------------------------------- published figures stay dated points


def published():
    return tables(
        kepesertaan=[
            obs(
                "3502",
                29250,
                "2025-07-21",
                kualifikasi="lebih dari",
                konflik_id="K",
                diutamakan="false",
                sumber_id="S1",
            ),
            obs(
                "3502",
                29025,
                "2025-09-30",
                konflik_id="K",
                diutamakan="true",
                sumber_id="S2",
                bulan_cakupan=10,
                periode_cakupan="Mar–Des 2025",
            ),
            obs("3502", 7618, "2025-07-21", tahun=2024, sumber_id="S1"),
            obs("3502", 45000, "2025-07-15", tahun=2026, jenis_angka="target", kualifikasi="sekitar"),
            obs("35", 580449, "2025-12-15", sumber_id="S2"),
        ]
    )


def test_published_points_keep_their_dates_sources_and_qualifiers():
    data = published()
    reports = series.enrolment_reports(data["kepesertaan"], [2024, 2025], AS_OF, resolve=False)
    points = series.region_rows(reports, ["3502"], {"3502": "Ponorogo"}, "tanggal_data")
    by_value = points.set_index("nilai")
    assert len(points) == 3  # every published figure, nothing interpolated between them
    assert by_value.at[29250, "x"] == pd.Timestamp("2025-07-21") and by_value.at[29250, "kualifikasi"] == "lebih dari"
    assert by_value.at[29250, "sumber_id"] == "S1" and not by_value.at[29250, "diutamakan"]
    assert by_value.at[29025, "x"] == pd.Timestamp("2025-09-30") and by_value.at[29025, "sumber_id"] == "S2"
    assert by_value.at[29025, "catatan"] == "cakupan 10 bulan (Mar–Des 2025)"
    assert by_value.at[7618, "tahun"] == 2024  # a 2024 figure published in 2025 keeps its budget year


def test_published_points_are_drawn_as_markers_only_with_the_source_on_hover():
    data = published()
    reports = series.enrolment_reports(data["kepesertaan"], [2024, 2025], AS_OF, resolve=False)
    frame = series.region_rows(reports, ["3502"], {"3502": "Ponorogo"}, "tanggal_data")
    frame = ranking.with_sources(frame, data["sumber"])
    fig = series_charts.trend_chart(
        frame, metrics.catalogue()["peserta_dbhcht"], title="t", subtitle="s", source="src", connect=False
    )
    trace = fig.data[0]
    assert "lines" not in trace.mode  # never joined into a series
    assert sorted(trace.y) == [7618, 29025, 29250]
    assert [t for t in trace.text if t] == ["TA 2024"]  # published in 2025, about 2024: said on the chart
    hover = " ".join(trace.hovertext)
    assert "lebih dari 29.250" in hover and "Uji, 10 Juli 2025: Berita uji" in hover and "tidak diutamakan" in hover
    assert "circle-open" in trace.marker.symbol


def test_text_from_data_is_escaped_in_hover():
    data = published()
    data["sumber"].loc[0, "judul"] = "<b onmouseover=x>judul</b>"
    reports = series.enrolment_reports(data["kepesertaan"], [2025], AS_OF, resolve=False)
    frame = ranking.with_sources(series.region_rows(reports, ["3502"], {"3502": "P"}, "tanggal_data"), data["sumber"])
    fig = series_charts.trend_chart(
        frame, metrics.catalogue()["peserta_dbhcht"], title="t", subtitle="s", source="src", connect=False
    )
    hover = " ".join(fig.data[0].hovertext)
    assert "&lt;b onmouseover=x&gt;" in hover and "<b onmouseover" not in hover


def test_province_figures_are_the_published_kode_35_rows():
    figures = series.province_figures(published()["kepesertaan"], AS_OF)
    assert list(figures["nilai"]) == [580449] and figures["sumber_id"].iloc[0] == "S2"
    assert series.province_figures(published()["kepesertaan"], dt.date(2025, 12, 1)).empty


# ---------------------------------------------------------------- yearly values, province, year on year


def test_yearly_series_matches_the_ranking_of_each_year():
    data = published()
    values = series.yearly_series(series.computer(data), "peserta_dbhcht", [2024, 2025], AS_OF)
    ponorogo = values.loc[values["kode"] == "3502"].set_index("tahun")["nilai"]
    assert ponorogo[2024] == 7618 and ponorogo[2025] == 29025
    assert len(values) == 2 * 38
    at_year_end = series.yearly_series(series.computer(data), "peserta_dbhcht", [2024], AS_OF, read_at_year_end=True)
    assert math.isnan(at_year_end.set_index("kode").at["3502", "nilai"])  # only published in 2025


def test_year_on_year_change_uses_the_previous_budget_year_only():
    yearly = pd.DataFrame(
        {
            "kode": ["3513"] * 3 + ["3509"],
            "tahun": [2022, 2023, 2025, 2025],
            "nilai": [100.0, 150.0, 300.0, 10.0],
            "kualifikasi": None,
        }
    )
    change = series.year_on_year(yearly).set_index(["kode", "tahun"])
    assert change.at[("3513", 2023), "selisih"] == 50 and change.at[("3513", 2023), "persen"] == 50
    assert math.isnan(change.at[("3513", 2025), "selisih"])  # 2024 is missing: no change across a gap
    assert math.isnan(change.at[("3513", 2022), "persen"])


def test_province_aggregate_sums_counts_and_recombines_ratios():
    yearly = pd.DataFrame(
        {
            "kode": ["3513", "3509", "3501"],
            "tahun": 2025,
            "per": pd.Timestamp("2025-12-31"),
            "nilai": [10.0, 30.0, float("nan")],
            "pembilang": [100.0, 300.0, None],
            "penyebut": [10_000.0, 10_000.0, None],
        }
    )
    total = series.province_aggregate(yearly, "peserta_dbhcht").iloc[0]
    assert total["nilai"] == 40 and total["jumlah_daerah"] == 2
    rate = series.province_aggregate(yearly, "peserta_per_1000").iloc[0]
    assert rate["nilai"] == pytest.approx(400 / 20_000 * 1000)  # not the mean of the two rates


def test_every_ratio_indicator_has_the_scale_metrics_uses(store_tables):
    data = store_tables["contoh"]
    for indicator_id, (scale, offset) in series.PROVINCE_RATIOS.items():
        result = metrics.compute(indicator_id, data, 2025, AS_OF).dropna(subset=["nilai", "pembilang", "penyebut"])
        rebuilt = result["pembilang"] / result["penyebut"] * scale + offset
        assert rebuilt.to_numpy() == pytest.approx(result["nilai"].to_numpy()), indicator_id


# ---------------------------------------------------------------- targets


def test_targets_murni_and_pak_per_year_and_attainment():
    data = tables(
        kepesertaan=[
            obs("3513", 10000, "2025-01-31", jenis_angka="target", tahap_anggaran="murni"),
            obs("3513", 20000, "2025-09-30", jenis_angka="target", tahap_anggaran="pak"),
            obs("3513", 19000, "2025-12-31"),
        ]
    )
    found = series.targets(data["kepesertaan"], "3513", [2025], AS_OF).set_index("tahap")
    assert found.at["murni", "nilai"] == 10000 and found.at["pak", "nilai"] == 20000
    before_pak = series.targets(data["kepesertaan"], "3513", [2025], dt.date(2025, 6, 30))
    assert list(before_pak["tahap"]) == ["murni"]
    yearly = series.yearly_series(series.computer(data), "peserta_dbhcht", [2025], AS_OF)
    table = series.target_attainment(yearly.loc[yearly["kode"] == "3513"], found.reset_index()).iloc[0]
    assert table["realisasi"] == 19000 and table["capaian_persen"] == pytest.approx(95.0)
    steps = series.target_step_rows(found.reset_index(), {"target_murni": "Murni", "target_pak": "PAK"})
    pak = steps.loc[steps["peran"] == "target_pak"]
    assert list(pak["x"]) == [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-12-31")] and set(pak["nilai"]) == {20000}


# ---------------------------------------------------------------- comparison and peers


def test_rank_within_type_equals_the_ranking_filtered_to_that_type(store_tables):
    data = store_tables["contoh"]
    indicator = metrics.catalogue()["peserta_per_1000"]
    full = ranking.ranking(data, "peserta_per_1000", 2025, AS_OF)
    within = full.assign(r=compare.rank_within_type(full, indicator)).set_index("kode")["r"]
    kota = ranking.ranking(data, "peserta_per_1000", 2025, AS_OF, jenis="kota").set_index("kode")["peringkat"]
    assert within.reindex(kota.index).tolist() == kota.tolist()


def test_comparison_rows_have_value_and_both_ranks():
    data = published()
    tables_by_indicator = {"peserta_dbhcht": ranking.ranking(data, "peserta_dbhcht", 2025, AS_OF)}
    rows = compare.comparison(tables_by_indicator, ["3502", "3513"]).set_index("kode")
    assert rows.at["3502", "nilai"] == 29025 and rows.at["3502", "peringkat"] == 1
    assert rows.at["3502", "peringkat_jenis"] == 1 and rows.at["3502", "jumlah_berperingkat"] == 1
    assert pd.isna(rows.at["3513", "nilai"]) and pd.isna(rows.at["3513", "peringkat"])


def test_neighbours_come_from_shared_boundaries():
    neighbours = geo.neighbours(geo.SHARED_BOUNDARIES)
    assert "3513" in neighbours["3574"] and "3574" in neighbours["3513"]  # Kota inside Kab. Probolinggo
    assert "3578" in neighbours["3515"]  # Sidoarjo borders Kota Surabaya
    assert "3576" not in neighbours["3515"]  # near Kota Mojokerto, but no shared boundary
    assert all(kode not in found for kode, found in neighbours.items())


def test_no_boundary_file_means_no_neighbour_suggestions(tmp_path):
    assert geo.neighbours(tmp_path / "tidak-ada.geojson") == {}


def test_peers_are_neighbours_then_same_type_with_the_closest_population():
    pop = pd.Series(
        {
            "3513": 1_200_000.0,
            "3574": 240_000.0,
            "3575": 213_000.0,
            "3579": 225_000.0,
            "3577": 200_000.0,
            "3516": 1_150_000.0,
            "3578": 3_000_000.0,
        }
    )
    peers = compare.suggest_peers("3574", pop, {"3574": ("3513",)}, n=2)
    assert list(peers["kode"]) == ["3513", "3579", "3575"]
    assert list(peers["alasan"]) == ["tetangga", "penduduk_mirip", "penduduk_mirip"]
    assert "3516" not in set(peers["kode"])  # a kabupaten is no population peer for a kota
    chosen = compare.suggest_peers("3574", pop, {"3574": ("3513",)}, exclude=["3513", "3579"], n=2)
    assert list(chosen["kode"]) == ["3575", "3577"]


# ---------------------------------------------------------------- region profile


def profile_data():
    return tables(
        kepesertaan=[
            obs("3513", 25215, "2025-09-26", laporan_id="L1", sumber_id="S1"),
            obs(
                "3513", 18000, "2025-09-26", laporan_id="L1", peran="rincian", kategori_pekerja="petani", sumber_id="S1"
            ),
            obs(
                "3513", 7215, "2025-09-26", laporan_id="L1", peran="rincian", kategori_pekerja="nelayan", sumber_id="S1"
            ),
            obs("3513", 24000, "2025-07-10", jenis_angka="rencana", sumber_id="S2", alasan="rencana Pemkab"),
            obs("3513", 30000, "2025-10-01", jenis_angka="target", tahap_anggaran="pak", sumber_id="S1"),
            obs("3513", 90000, "2025-08-01", sumber_dana="apbd", sumber_id="S2"),
            obs("3513", 19000, "2025-11-14", konflik_id="K", diutamakan="false", sumber_id="S2", alasan="angka bulat"),
            obs("3513", 25300, "2025-11-14", konflik_id="K", diutamakan="true", sumber_id="S1"),
            obs("3513", 26325, "2026-01-05", tahun=2026, jenis_angka="target", sumber_id="S2"),
        ],
        anggaran=[
            dict(
                kode="3513",
                tahun_anggaran=2025,
                tanggal_data="2025-03-01",
                komponen="alokasi_dbhcht",
                nilai_rp=100e9,
                sumber_id="S2",
            )
        ],
        denominator=[dict(kode="3513", tahun=2025, metrik="penduduk", nilai=1_200_931, sumber_id="S1")],
    )


def test_profile_lists_every_observation_with_why_it_is_not_used():
    data = profile_data()
    results = [metrics.compute(i, data, 2025, AS_OF) for i in metrics.catalogue()]
    used = profile.used_ids(results, "3513", data["kepesertaan"], 2025, AS_OF)
    found = profile.region_observations(data, "3513", 2025, AS_OF, used).set_index("nilai")["status"]
    assert found[25300] == "dipakai" and found[1_200_931] == "dipakai"
    assert found[30000] == "dipakai"  # the newest target, used by attainment; the older plan is not
    assert found[25215] == "tergantikan" and found[18000] == "rincian"
    assert found[24000] == "rencana" and found[90000] == "dana_lain" and found[19000] == "tidak_diutamakan"
    assert found[26325] == "setelah_tanggal_data"
    assert found[100e9] == "konteks"  # an allocation without a jamsos budget feeds no indicator


def test_profile_sources_include_those_of_figures_not_used():
    data = profile_data()
    observations = profile.region_observations(data, "3513", 2025, AS_OF, {"L-3513-x"})
    sources = profile.region_sources(observations, data["sumber"]).set_index("sumber_id")
    assert set(sources.index) == {"S1", "S2"}
    assert sources.at["S2", "judul"] == "Berita kedua" and sources.at["S2", "url"] == "https://contoh.test/2"
    assert sources.at["S2", "tanggal"] == "2025 (approx)"  # no exact date: the text as given


def test_worker_categories_come_from_the_chosen_report_or_the_latest_month():
    data = profile_data()
    rows, from_chosen = profile.worker_categories(data["kepesertaan"], "3513", 2025, AS_OF)
    # the chosen 25.300 has no breakdown: the 2025 report that has one is used, and said so
    assert not from_chosen and dict(zip(rows["kategori"], rows["peserta"])) == {"petani": 18000, "nelayan": 7215}
    monthly = tables(
        kepesertaan=month_parts("3509", 1, {"ojol": 5}) + month_parts("3509", 2, {"ojol": 6, "nelayan": 4})
    )
    rows, from_chosen = profile.worker_categories(monthly["kepesertaan"], "3509", 2025, AS_OF)
    assert from_chosen and dict(zip(rows["kategori"], rows["peserta"])) == {"ojol": 6, "nelayan": 4}


def test_budget_summary_adds_a_pak_addition_to_murni_and_prefers_pak_allocations():
    data = tables(
        anggaran=[
            dict(
                kode="3501",
                tahun_anggaran=2025,
                tanggal_data="2025-07-30",
                komponen="anggaran_jamsos",
                tahap_anggaran="murni",
                nilai_rp=320e6,
            ),
            dict(
                kode="3501",
                tahun_anggaran=2025,
                tanggal_data="2025-07-30",
                komponen="anggaran_jamsos",
                tahap_anggaran="pak",
                nilai_rp=160e6,
                kualifikasi="tambahan",
            ),
            dict(
                kode="3501",
                tahun_anggaran=2025,
                tanggal_data="2025-02-28",
                komponen="alokasi_dbhcht",
                tahap_anggaran="murni",
                nilai_rp=40e9,
            ),
            dict(
                kode="3501",
                tahun_anggaran=2025,
                tanggal_data="2025-09-30",
                komponen="alokasi_dbhcht",
                tahap_anggaran="pak",
                nilai_rp=42e9,
            ),
        ]
    )
    summary = profile.budget_summary(data["anggaran"], "3501", [2025], AS_OF).set_index("pos")
    assert summary.at["anggaran_jamsos_murni", "nilai_rp"] == 320e6
    assert summary.at["anggaran_jamsos_pak", "nilai_rp"] == 480e6
    assert summary.at["anggaran_jamsos_pak", "catatan"] == "murni + tambahan"
    assert summary.at["alokasi_dbhcht", "nilai_rp"] == 42e9
    early = profile.budget_summary(data["anggaran"], "3501", [2025], dt.date(2025, 3, 31)).set_index("pos")
    assert early.at["alokasi_dbhcht", "nilai_rp"] == 40e9 and "anggaran_jamsos_murni" not in early.index


def test_claims_summary_keeps_the_newest_cumulative_figure_per_programme():
    data = tables(
        klaim=[
            dict(kode="3576", tahun_anggaran=2025, tanggal_data=d, program=p, kasus=k, nilai_rp=v)
            for d, p, k, v in [
                ("2025-06-30", "JKK", 1, 5e6),
                ("2025-12-31", "JKK", 3, 8.4e6),
                ("2025-12-31", "JKM", 9, 378e6),
            ]
        ]
    )
    claims = profile.claims_summary(data["klaim"], "3576", [2025], AS_OF).set_index("program")
    assert claims.at["JKK", "kasus"] == 3 and claims.at["JKM", "nilai_rp"] == 378e6


def test_small_multiples_say_no_data_and_label_the_newest_value():
    indicators = {k: metrics.catalogue()[k] for k in ("peserta_dbhcht", "klaim_kasus")}
    frame = pd.DataFrame(
        {
            "indikator": ["peserta_dbhcht"] * 2,
            "tahun": [2024, 2025],
            "nilai": [10.0, 25215.0],
            "kualifikasi": [None, "lebih dari"],
        }
    )
    fig = series_charts.indicator_multiples(frame, indicators, title="t", subtitle="s", source="src")
    spec = json.loads(fig.to_json())
    assert spec["data"][0]["text"] == ["", "lebih dari 25.215"]
    assert any(a.get("text") == "tidak ada data" for a in spec["layout"]["annotations"])
