"""Kelola Data in a real browser: sign in, a rejected file, a stored file seen on the ranking, a roll-back."""

import re
import subprocess
import sys

import pytest
from playwright.sync_api import Page, expect

from analytics.importing import templates
from tests.conftest import STEWARD_PASSWORD
from tests.hostile import inflated, running, stat

pytestmark = pytest.mark.browser

REJECTED = (
    "No;Kabupaten/Kota;Tanggal Data;Jumlah Peserta\n1;Kab. Jember;10/07/2025;40.300\n2;Probolinggo;10/07/2025;18.000\n"
).encode("cp1252")
ACCEPTED = (
    "REKAP PESERTA BPJS KETENAGAKERJAAN DBHCHT\n\n"
    "No;Kabupaten/Kota;Tanggal Data;Jumlah Peserta;Bulan Cakupan\n"
    "1;Kab. Jember;10/07/2025;40.300;9\n2;KOTA MALANG;10/07/2025;2.500;9\nJUMLAH;;;42.800;\n"
).encode("cp1252")


def upload(page: Page, name: str, data: bytes) -> None:
    page.locator('input[type="file"]').set_input_files({"name": name, "mimeType": "text/csv", "buffer": data})


def sign_in(page: Page, url: str) -> None:
    """Open Kelola Data and sign in as the steward: the upload form shows."""
    page.goto(f"{url}/kelola")
    page.get_by_label("Kata sandi").fill(STEWARD_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_text("Unggah berkas")).to_be_visible(timeout=30_000)


def test_sign_in_reject_store_see_and_roll_back(steward_app, page: Page):
    url, _ = steward_app
    sign_in(page, url)

    upload(page, "rekap_salah.csv", REJECTED)
    expect(page.get_by_text("1 kesalahan: berkas tidak dapat disimpan")).to_be_visible(timeout=30_000)
    expect(page.get_by_text('rekap_salah.csv, baris 3, kolom "Kabupaten/Kota"')).to_be_visible()
    expect(page.get_by_role("button", name="Simpan sebagai batch baru")).to_have_count(0)

    upload(page, "rekap_juli.csv", ACCEPTED)
    expect(page.get_by_text("Siap disimpan: 2 baris")).to_be_visible(timeout=30_000)
    page.get_by_label("Sumber data").fill("Disnaker Jatim, uji browser")
    page.get_by_role("button", name="Simpan sebagai batch baru").click()
    expect(page.get_by_text(re.compile(r"^Tersimpan sebagai batch"))).to_be_visible(timeout=30_000)

    page.get_by_role("button", name="Lihat di Peta").click()
    expect(page.get_by_role("heading", name="Peta", exact=True)).to_be_visible(timeout=30_000)
    expect(page).to_have_url(re.compile(r"/peta\?.*dataset=resmi"))
    page.goto(f"{url}/peringkat?dataset=resmi&tahun=2025&per=2025-12-31")
    table = page.locator('[data-testid="stDataFrame"]').first
    expect(table).to_contain_text("Jember", timeout=30_000)
    expect(table).to_contain_text("40.300")

    page.goto(f"{url}/kelola")
    page.get_by_label("Kata sandi").fill(STEWARD_PASSWORD)  # a new page load is a new session
    page.get_by_role("button", name="Masuk").click()
    page.get_by_text("Ya, batalkan batch ini").click()
    page.get_by_role("button", name="Batalkan batch").click()
    expect(page.get_by_text("dibatalkan. Dataset resmi kembali")).to_be_visible(timeout=30_000)
    page.goto(f"{url}/peringkat?dataset=resmi&tahun=2025&per=2025-12-31")
    expect(page.get_by_text("belum berisi angka").first).to_be_visible(timeout=30_000)


def test_a_command_line_import_shows_without_restarting_the_dashboard(steward_app, page: Page, tmp_path):
    url, store_path = steward_app
    page.goto(f"{url}/peringkat?dataset=resmi&tahun=2025&per=2025-12-31")
    expect(page.get_by_text("belum berisi angka").first).to_be_visible(timeout=30_000)  # cached: empty
    data = tmp_path / "rekap.csv"
    data.write_bytes(ACCEPTED)
    done = subprocess.run(
        [sys.executable, "-m", "analytics", "--db", str(store_path), "import", str(data)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    page.reload()
    table = page.locator('[data-testid="stDataFrame"]').first
    expect(table).to_contain_text("Jember", timeout=30_000)
    expect(table).to_contain_text("40.300")


def _reader_pids(server_pid: int) -> list[str]:
    found = subprocess.run(
        ["pgrep", "-f", "analytics.importing.reader_process"], capture_output=True, text=True
    ).stdout.split()
    return [pid for pid in found if stat(pid)[1:2] == [str(server_pid)]]


def test_a_zip_bomb_is_refused_and_the_server_stops_mid_read(steward_server, page: Page):
    """The bomb gets its message; a big file being read does not keep the server from stopping
    on SIGTERM, and its reader process goes with it."""
    import signal
    import time

    url, path, server = steward_server
    before = path.read_bytes()
    page.goto(f"{url}/kelola")
    page.get_by_label("Kata sandi").fill(STEWARD_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_text("Unggah berkas")).to_be_visible(timeout=30_000)
    bomb = inflated(templates.build_xlsx("kepesertaan"), 200 * 2**20)  # 200 MB of whitespace in the sheet
    page.locator('input[type="file"]').set_input_files(
        {"name": "bom.xlsx", "mimeType": "application/octet-stream", "buffer": bomb}
    )
    expect(page.get_by_text("mengembang menjadi lebih dari").first).to_be_visible(timeout=30_000)

    rows = "".join(f"Kab. Jember;2025;10/07/2025;{1000 + i};9;kelompok {i}\n" for i in range(600_000))
    upload(
        page,
        "besar.csv",
        ("Kabupaten/Kota;Tahun Anggaran;Tanggal Data;Jumlah Peserta;Bulan Cakupan;Kategori Pekerja\n" + rows).encode(),
    )
    deadline = time.time() + 30
    while not _reader_pids(server.pid) and time.time() < deadline:
        time.sleep(0.2)
    readers = _reader_pids(server.pid)
    assert readers, "the big file is being read in a reader process"
    start = time.time()
    server.send_signal(signal.SIGTERM)
    server.wait(15)
    assert time.time() - start < 10
    time.sleep(0.5)
    assert not [pid for pid in readers if running(pid)], "the reader process died with the server"
    assert path.read_bytes() == before
