"""`python -m analytics import / batches / rollback` as a steward would use them, on a separate store."""

import subprocess
import sys

import pytest

from analytics import store

CLEAN = (
    "Wilayah,Tahun Anggaran,Tanggal Data,Jumlah Peserta,Bulan Cakupan\n"
    "Kab. Jember,2025,10/07/2025,40.300,9\n"
    "Kota Probolinggo,2025,07/05/2025,11.023,8\n"
)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "impor.duckdb"
    store.build(path)
    return path


def cli(db, *args):
    return subprocess.run(
        [sys.executable, "-m", "analytics", "--db", str(db), *args], capture_output=True, text=True, timeout=120
    )


def test_import_then_rank_then_roll_back(db, tmp_path):
    data = tmp_path / "rekap_juli.csv"
    data.write_text(CLEAN, encoding="utf-8")
    dry = cli(db, "import", str(data), "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "peserta" in dry.stdout and "tidak disimpan" in dry.stdout
    assert "Belum ada batch" not in cli(db, "batches").stdout

    done = cli(db, "import", str(data), "--source", "Disnaker uji")
    assert done.returncode == 0, done.stdout + done.stderr
    batch = int(done.stdout.split("batch ")[1].split()[0])
    again = cli(db, "import", str(data))
    assert again.returncode == 0 and f"sudah diimpor sebagai batch {batch}" in again.stdout

    ranked = cli(
        db,
        "ranking",
        "--indicator",
        "peserta_dbhcht",
        "--year",
        "2025",
        "--dataset",
        "resmi",
        "--as-of",
        "2025-12-31",
        "--format",
        "csv",
    )
    lines = ranked.stdout.splitlines()
    assert lines[1].startswith("1,3509,Kabupaten Jember,kabupaten,40300")
    assert "Disnaker uji" in lines[1]

    rolled = cli(db, "rollback", str(batch))
    assert rolled.returncode == 0, rolled.stderr
    after = cli(
        db,
        "ranking",
        "--indicator",
        "peserta_dbhcht",
        "--year",
        "2025",
        "--dataset",
        "resmi",
        "--as-of",
        "2025-12-31",
        "--format",
        "csv",
    )
    assert "berperingkat" not in after.stdout
    assert "dibatalkan" in cli(db, "batches").stdout


def test_a_file_with_errors_stores_nothing_and_exits_1(db, tmp_path):
    bad = tmp_path / "ambigu.csv"
    bad.write_text(CLEAN + "Probolinggo,2025,10/07/2025,18.000,9\n", encoding="utf-8")
    before = cli(db, "batches").stdout
    done = cli(db, "import", str(bad))
    assert done.returncode == 1
    assert "3513" in done.stdout and "3574" in done.stdout and "baris 4" in done.stdout  # the file's row 4
    assert cli(db, "batches").stdout == before


@pytest.mark.parametrize(
    "args, message",
    [
        (("import", "/tidak/ada.csv"), "tidak ditemukan"),
        (("rollback", "1"), "bawaan"),
        (("rollback", "999"), "tidak ada"),
    ],
)
def test_usage_errors_exit_2(db, args, message):
    done = cli(db, *args)
    assert done.returncode == 2 and message in done.stderr
