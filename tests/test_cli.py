"""The command line, run as a user would (a subprocess), against the session's built store."""

import csv
import io
import json
import re
import subprocess
import sys

import pytest


def cli(store_path, *args):
    return subprocess.run(
        [sys.executable, "-m", "analytics", "--db", str(store_path), *args], capture_output=True, text=True, timeout=120
    )


def test_ranking_july_2025_publikasi_leads_with_jember_ponorogo_bangkalan_probolinggo(store_path):
    done = cli(
        store_path,
        "ranking",
        "--indicator",
        "peserta_dbhcht",
        "--year",
        "2025",
        "--as-of",
        "2025-07-31",
        "--dataset",
        "publikasi",
        "--format",
        "csv",
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    top = rows[:4]  # Bangkalan's 23.953 (May 2025) puts Kab. Probolinggo's "lebih dari 18.000" fourth
    assert [r["wilayah"] for r in top] == [
        "Kabupaten Jember",
        "Kabupaten Ponorogo",
        "Kabupaten Bangkalan",
        "Kabupaten Probolinggo",
    ]
    assert [r["nilai"] for r in top] == ["40300", "29250", "23953", "18000"]
    assert all(r["sumber"] and r["url"].startswith("http") for r in top)
    assert [r["kualifikasi"] for r in top] == ["", "lebih dari", "", "lebih dari"]
    assert [r["peringkat"] for r in top] == ["1", "2", "3", "4"]
    missing = [r for r in rows if r["status"] == "tidak ada data"]
    assert missing and all(r["peringkat"] == "" and r["catatan"] for r in missing)
    assert len(rows) == 38 and rows.index(missing[0]) == len(rows) - len(missing)


def test_ranking_json_and_table_formats(store_path):
    done = cli(
        store_path,
        "ranking",
        "--indicator",
        "peserta_dbhcht",
        "--year",
        "2025",
        "--as-of",
        "2025-07-31",
        "--format",
        "json",
        "--jenis",
        "kota",
    )
    payload = json.loads(done.stdout)
    assert payload["jenis"] == "kota" and len(payload["peringkat"]) + len(payload["tidak_ada_data"]) == 9
    table = cli(store_path, "ranking", "--indicator", "peserta_dbhcht", "--year", "2025", "--as-of", "2025-07-31")
    assert table.returncode == 0 and "1. Kabupaten Jember" in table.stdout and "40.300" in table.stdout
    assert "Tidak ada data" in table.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (("ranking", "--indicator", "tidak_ada", "--year", "2025"), "indikator tidak dikenal"),
        (("ranking", "--indicator", "peserta_dbhcht", "--year", "2025", "--as-of", "31-07-2025"), "YYYY-MM-DD"),
        (("ranking", "--indicator", "peserta_dbhcht", "--year", "2025", "--dataset", "rahasia"), "invalid choice"),
        (("ranking", "--year", "2025"), "--indicator"),
        (("regions", "resolve", "Probolinggo"), "ambigu"),
        (("regions", "resolve", "Kabupaten Bandung"), "Jawa Timur"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(store_path, args, message):
    done = cli(store_path, *args)
    assert done.returncode == 2
    assert message in done.stderr


def test_regions_resolve_prints_codes(store_path):
    done = cli(store_path, "regions", "resolve", "Kab. Probolinggo", "Probolinggo (Kota)", "35.09")
    assert done.returncode == 0
    assert [line.split("\t")[1] for line in done.stdout.splitlines()] == ["3513", "3574", "3509"]


def test_indicators_lists_the_catalogue(store_path):
    done = cli(store_path, "indicators", "--format", "json")
    ids = [row["id"] for row in json.loads(done.stdout)]
    assert "peserta_dbhcht" in ids and "biaya_per_peserta_bulan" in ids


def test_build_twice_reports_unchanged(store_path):
    done = cli(store_path, "build")
    assert done.returncode == 0 and done.stdout.count("tidak berubah") == 2


def test_rank_change_is_computed_among_regions_valued_in_both_years(store_path):
    """The issue's own command: no --as-of (the newest figure of 2025 is the default, as on the page)."""
    done = cli(
        store_path,
        "ranking",
        "--indicator",
        "peserta_dbhcht",
        "--year",
        "2025",
        "--dataset",
        "publikasi",
        "--format",
        "csv",
    )
    assert done.returncode == 0, done.stderr
    rows = {r["kode"]: r for r in csv.DictReader(io.StringIO(done.stdout))}
    both = [r for r in rows.values() if r["status_perubahan"] == "sebanding"]
    assert both and all(r["jumlah_sebanding"] == str(len(both)) for r in rows.values() if r["peringkat"])
    # within the common set both years' ranks are 1..n, so a region that grew never falls for lack of company
    assert sorted(int(r["peringkat_lalu"]) for r in both) == list(range(1, len(both) + 1))
    assert sorted(int(r["peringkat_sebanding"]) for r in both) == list(range(1, len(both) + 1))
    for r in both:
        assert int(r["perubahan_peringkat"]) == int(r["peringkat_lalu"]) - int(r["peringkat_sebanding"])
        assert int(r["selisih"]) == int(r["nilai"]) - int(r["nilai_lalu"])
    pacitan, blitar = rows["3501"], rows["3505"]  # 450 -> 5.950 and 5.387 -> 6.043: both grew
    assert int(pacitan["perubahan_peringkat"]) >= 0 and int(blitar["perubahan_peringkat"]) >= 0
    assert pacitan["selisih"] == "5500" and pacitan["persen_perubahan"] == "1222.2"
    new = [r for r in rows.values() if r["status_perubahan"] == "baru"]
    assert new and all(r["perubahan_peringkat"] == "" and r["nilai_lalu"] == "" for r in new)


def test_every_importer_kind_has_a_template_and_an_import_choice(tmp_path):
    from analytics import __main__ as cli_module
    from analytics.importing import templates

    assert tuple(templates.KINDS) == cli_module.KINDS
    done = subprocess.run(
        [sys.executable, "-m", "analytics", "template", "penilaian", "-o", str(tmp_path / "p.xlsx")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and (tmp_path / "p.xlsx").stat().st_size > 0


def test_score_command(store_path):
    done = cli(
        store_path,
        "score",
        "--year",
        "2025",
        "--as-of",
        "2025-07-31",
        "--dataset",
        "publikasi",
        "--scheme",
        "cakupan",
        "--format",
        "csv",
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [r["wilayah"] for r in rows[:4]] == [
        "Kabupaten Jember",
        "Kabupaten Ponorogo",
        "Kabupaten Bangkalan",
        "Kabupaten Probolinggo",
    ]
    assert rows[0]["skor"] == "100.0" and rows[0]["peringkat"] == "1"
    unscored = [r for r in rows if r["status"] == "tidak_dinilai"]
    assert unscored and all(r["peringkat"] == "" and r["alasan"].startswith("tidak dinilai") for r in unscored)
    for bad, message in (
        (["--weight", "kemiskinan=3"], "tidak dikenal"),
        (["--weight", "peserta_dbhcht=-1"], "di luar"),
        (["--weight", "peserta_dbhcht=0"], "semua bobot nol"),
        (["--weight", "peserta_dbhcht"], "KRITERIA=BOBOT"),
    ):
        failed = cli(store_path, "score", "--year", "2025", "--scheme", "cakupan", *bad)
        assert failed.returncode == 2 and message in failed.stderr, (bad, failed.stderr)
    table = cli(store_path, "score", "--year", "2025", "--dataset", "contoh")
    assert table.returncode == 0 and "bukan bobot resmi" in table.stdout and " 1. " in table.stdout


ROBUST = ["peringkat_median", "peringkat_p5", "peringkat_p95", "p_peringkat_1", "p_3_besar", "selisih_aman"]
CAKUPAN = ("score", "--year", "2025", "--as-of", "2025-07-31", "--dataset", "publikasi", "--scheme", "cakupan")


def test_score_csv_carries_the_robustness_columns(store_path):
    done = cli(store_path, *CAKUPAN, "--format", "csv", "--draws", "1000", "--seed", "7")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert all(column in rows[0] for column in ROBUST)
    jember = rows[0]
    assert (
        jember["wilayah"] == "Kabupaten Jember"
        and jember["p_peringkat_1"] == "1.0"
        and jember["peringkat_p95"] == "1.0"
    )
    assert all(
        float(r["peringkat_p5"]) <= float(r["peringkat_median"]) <= float(r["peringkat_p95"])
        for r in rows
        if r["status"] == "dinilai"
    )
    assert all(r["selisih_aman"] for r in rows if r["status"] == "dinilai")
    assert all(r["p_3_besar"] == "" for r in rows if r["status"] == "tidak_dinilai")
    plain = cli(store_path, *CAKUPAN, "--format", "csv", "--draws", "0")
    assert plain.returncode == 0 and "p_3_besar" not in plain.stdout.splitlines()[0]


def test_score_json_names_the_robustness_settings(store_path):
    done = cli(store_path, *CAKUPAN, "--format", "json", "--draws", "500", "--seed", "11", "--perturbation", "10")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["ketahanan"]["undian"] == 500 and payload["ketahanan"]["seed"] == 11
    assert payload["ketahanan"]["gangguan_bobot_persen"] == 10
    assert payload["wilayah"][0]["p_3_besar"] == 1.0 and payload["wilayah"][-1]["p_3_besar"] is None
    same = cli(store_path, *CAKUPAN, "--format", "json", "--draws", "500", "--seed", "11", "--perturbation", "10")
    assert same.stdout == done.stdout  # the same seed, the same numbers


@pytest.mark.parametrize(
    "args, message",
    [
        (("--draws", "50"), "--draws 50"),
        (("--draws", "200000"), "100–100000"),
        (("--draws", "banyak"), "invalid int"),
        (("--seed", "-3"), "--seed -3"),
        (("--perturbation", "150"), "0–100"),
        (("--perturbation", "-1"), "0–100"),
        (("--dossier", "lembar.docx"), ".pdf"),
        (("--dossier", "/tidak/ada/lembar.pdf"), "tidak ada"),
        (("--scheme", "/tidak/ada/skema.toml"), "tidak bisa dibaca"),
        (("--scheme", "rahasia"), "skema tidak dikenal"),
    ],
)
def test_score_bad_robustness_arguments_exit_2(store_path, args, message):
    done = cli(store_path, *CAKUPAN, *args)
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert done.stdout == ""


def test_score_writes_the_dossier_pdf_and_workbook(store_path, tmp_path):
    from openpyxl import load_workbook

    pdf, xlsx = tmp_path / "lembar.pdf", tmp_path / "lembar.xlsx"
    done = cli(store_path, *CAKUPAN, "--draws", "1000", "--dossier", str(pdf), "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and str(pdf) in done.stderr
    assert done.stdout.startswith("peringkat,")  # the CSV stays clean: the message goes to stderr
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Lembar Penilaian" in text and "Kabupaten Jember" in text
    done = cli(store_path, *CAKUPAN, "--draws", "1000", "--dossier", str(xlsx), "--lang", "en")
    assert done.returncode == 0, done.stderr
    book = load_workbook(xlsx)
    assert book.sheetnames[:2] == ["summary", "scores"] and book["scores"]["C2"].value == "Kabupaten Jember"


def test_score_scheme_from_a_toml_file(store_path, tmp_path):
    from analytics import scoring

    own = tmp_path / "komite_2025.toml"
    text = (scoring.SCHEME_DIR / "cakupan.toml").read_text(encoding="utf-8")
    own.write_text(re.sub(r'(?m)^judul_id = ".*"$', 'judul_id = "Skema komite 2025"', text), encoding="utf-8")
    done = cli(store_path, "score", "--year", "2025", "--as-of", "2025-07-31", "--scheme", str(own), "--draws", "0")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Skema komite 2025 — 2025") and "1. Kabupaten Jember" in done.stdout
