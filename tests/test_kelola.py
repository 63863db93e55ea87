"""Kelola Data with AppTest: login gate, upload with a validation report, store, roll back; and
the steward password helpers."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics import passwords, store

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PASSWORD = "kata-sandi-uji"
GOOD = (
    b"Wilayah,Tahun Anggaran,Tanggal Data,Jumlah Peserta,Bulan Cakupan\n"
    b"Kab. Jember,2025,10/07/2025,40.300,9\n"
    b"Kota Probolinggo,2025,07/05/2025,11.023,8\n"
)
BAD = GOOD + b"Probolinggo,2025,10/07/2025,18.000,9\n<b>Kab. Sleman</b>,2025,10/07/2025,-5,9\n"


@pytest.fixture
def steward_db(tmp_path, monkeypatch):
    path = tmp_path / "kelola.duckdb"
    store.build(path)
    monkeypatch.setenv("JAMSOS_DB", str(path))
    monkeypatch.setenv("JAMSOS_KELOLA_PASSWORD_HASH", passwords.make_hash(PASSWORD))
    return path


def open_kelola(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("views/kelola.py").run()
    assert not at.exception, at.exception
    return at


def sign_in(at: AppTest, password: str = PASSWORD) -> AppTest:
    at.text_input[0].input(password)
    at.button[0].click().run()  # the form's submit button
    assert not at.exception, at.exception
    return at


def report(at: AppTest) -> list[str]:
    """The validation report's lines, with Markdown escapes removed (as the browser shows them)."""
    text = next(m.value for m in at.markdown if m.value.startswith("- **"))
    return [line.replace("\\", "") for line in text.splitlines()]


def test_without_a_configured_password_the_page_explains_and_stays_closed(tmp_path, monkeypatch):
    path = tmp_path / "s.duckdb"
    store.build(path)
    monkeypatch.setenv("JAMSOS_DB", str(path))
    monkeypatch.delenv("JAMSOS_KELOLA_PASSWORD_HASH", raising=False)
    at = open_kelola()
    assert any("password-hash" in info.value for info in at.info)
    assert not at.file_uploader and not at.text_input
    assert len(at.get("download_button")) == 10  # templates stay available to everyone
    assert any(m.value == "**Penilaian komite**" for m in at.markdown)  # the committee's template is listed


def test_a_wrong_password_is_refused_with_a_delay(steward_db):
    at = sign_in(open_kelola(), "salah")
    assert any("Kata sandi salah" in e.value for e in at.error)
    assert not at.file_uploader


def test_upload_reject_fix_store_and_roll_back(steward_db):
    at = sign_in(open_kelola())
    assert at.file_uploader, "the upload widget appears after signing in"

    at.file_uploader[0].upload("rekap_kab.csv", BAD, "text/csv").run()
    assert not at.exception, at.exception
    lines = report(at)
    assert any(
        "baris 4" in line and "3513" in line and "3574" in line for line in lines
    )  # ambiguous, with both options
    assert any("baris 5" in line and "Sleman" in line for line in lines)
    assert any("baris 5" in line and "negatif" in line for line in lines)
    assert any("kesalahan" in e.value and "tidak dapat disimpan" in e.value for e in at.error)
    assert not at.get("form_submit_button") or all("Simpan" not in b.label for b in at.button)

    at.file_uploader[0].upload("rekap_kab.csv", GOOD, "text/csv").run()
    assert any("Siap disimpan: 2 baris" in s.value for s in at.success)
    source = next(t for t in at.text_input if "Sumber data" in t.label)
    source.input("Disnaker Jatim, uji")
    next(b for b in at.button if b.label == "Simpan sebagai batch baru").click().run()
    assert not at.exception, at.exception
    assert any("Tersimpan sebagai batch" in s.value for s in at.success)
    batches = next(d.value for d in at.dataframe if "Batch" in d.value.columns)
    newest = batches.iloc[0]
    assert (newest["Status"], newest["Oleh"], newest["Baris"], newest["Berkas"]) == (
        "aktif",
        "petugas (kata sandi)",
        2,
        "rekap_kab.csv",
    )
    new_batch = int(newest["Batch"])

    con = store.connect(steward_db, read_only=True)
    try:
        assert len(store.read_tables(con, "resmi")["kepesertaan"]) == 2
    finally:
        con.close()

    next(c for c in at.checkbox if "batalkan batch ini" in c.label).check()
    next(b for b in at.button if b.label == "Batalkan batch").click().run()
    assert not at.exception, at.exception
    assert any(f"Batch {new_batch} dibatalkan" in s.value for s in at.success)
    con = store.connect(steward_db, read_only=True)
    try:
        assert store.read_tables(con, "resmi")["kepesertaan"].empty
    finally:
        con.close()


def test_html_in_a_file_is_shown_as_text(steward_db):
    at = sign_in(open_kelola())
    at.file_uploader[0].upload("x.csv", BAD, "text/csv").run()
    assert any('"<b>Kab. Sleman</b>"' in line for line in report(at))  # shown literally …
    assert not any("<b>" in m.value for m in at.markdown)  # … because every tag character is escaped


def test_the_page_works_in_english(steward_db):
    at = sign_in(open_kelola(bahasa="en"))
    assert any(s.label == "Kind of data" for s in at.selectbox)


def test_password_hash_round_trip_and_malformed_hashes():
    stored = passwords.make_hash("rahasia")
    assert stored.startswith("scrypt$") and "rahasia" not in stored
    assert passwords.verify("rahasia", stored)
    assert not passwords.verify("Rahasia", stored) and not passwords.verify("", stored)
    assert not passwords.verify("rahasia", "bukan-hash") and not passwords.verify("rahasia", "scrypt$1$2$3$@@$@@")
    assert passwords.make_hash("rahasia") != stored  # salted
    assert [passwords.failure_delay(n) for n in (0, 1, 2, 3, 6, 20)] == [0, 1, 2, 4, 30, 30]


def test_the_login_throttle_is_shared_and_forgets_after_its_window():
    now, slept = [0.0], []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    throttle = passwords.LoginThrottle(window=900, clock=lambda: now[0], sleep=sleep)
    assert throttle.attempt(lambda: False) == (False, 0)
    assert throttle.attempt(lambda: False) == (False, 1)  # another session: same back-off
    assert throttle.remaining() == 2
    assert throttle.attempt(lambda: True) == (True, 2)  # even the right password waits it out
    assert throttle.recent_failures() == 2
    now[0] = 902  # the window after the last failure (t = 1)
    assert throttle.recent_failures() == 0 and throttle.attempt(lambda: True) == (True, 0)
    assert slept == [1, 2]


def test_with_oidc_configured_the_page_offers_the_organisation_login(tmp_path, monkeypatch):
    path = tmp_path / "s.duckdb"
    store.build(path)
    monkeypatch.setenv("JAMSOS_DB", str(path))
    monkeypatch.delenv("JAMSOS_KELOLA_PASSWORD_HASH", raising=False)
    at = AppTest.from_file(APP, default_timeout=90)
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "x" * 32,
        "client_id": "id",
        "client_secret": "s",
        "server_metadata_url": "https://idp.example/.well-known/openid-configuration",
    }
    at.secrets["kelola"] = {"allowed_emails": ["petugas@disnaker.example"]}
    at.run()
    at.switch_page("views/kelola.py").run()
    assert not at.exception, at.exception
    assert any(b.label == "Masuk dengan akun organisasi" for b in at.button)
    assert not at.file_uploader and not at.text_input  # no password form without a hash


def store_click(at: AppTest, source: str | None = None, ack: bool = False) -> AppTest:
    if source is not None:
        next(t for t in at.text_input if "Sumber data" in t.label).input(source)
    if ack:
        next(c for c in at.checkbox if "peringatan di atas" in c.label).check()
    next(b for b in at.button if b.label == "Simpan sebagai batch baru").click().run()
    assert not at.exception, at.exception
    return at


def test_storing_needs_a_source_and_acknowledged_warnings(steward_db):
    at = sign_in(open_kelola())
    at.file_uploader[0].upload("rekap.csv", GOOD, "text/csv").run()
    assert any("Isi sumber data dulu" in e.value for e in store_click(at).error)
    assert any("Tersimpan sebagai batch" in s.value for s in store_click(at, "Disnaker uji").success)

    tenfold = GOOD.replace(b"40.300", b"403.000").replace(b"10/07/2025", b"31/07/2025")
    at.file_uploader[0].upload("koreksi.csv", tenfold, "text/csv").run()
    assert any("Kabupaten Jember" in line and "10.0×" in line for line in report(at))
    assert any("Centang konfirmasi" in e.value for e in store_click(at, "Disnaker uji 2").error)
    assert any("Tersimpan sebagai batch" in s.value for s in store_click(at, "Disnaker uji 2", ack=True).success)
    con = store.connect(steward_db, read_only=True)
    try:
        kep = store.read_tables(con, "resmi")["kepesertaan"]
    finally:
        con.close()
    assert sorted(kep.loc[kep.kode == "3509", "peserta"]) == [40300, 403000]  # 10 and 31 July


SCORES = (
    b"Kabupaten/Kota,Tanggal Penilaian,Penilai,Kebijakan,Penerapan,Inovasi,Wawancara\n"
    b'Kab. Jember,04/07/2025,Penilai A,"87,5",80,75,90\n'
    b"Kab. Bondowoso,04/07/2025,Penilai A,60,58,55,\n"
)


def test_committee_scores_upload_and_store(steward_db):
    at = sign_in(open_kelola())
    at.file_uploader[0].upload("rekap_juri.csv", SCORES, "text/csv").run()
    assert not at.exception, at.exception
    assert any(t.value.startswith("Dibaca sebagai: Penilaian komite") for t in at.text)
    assert any("Siap disimpan: 7 baris Penilaian komite" in s.value for s in at.success)
    mapping = next(d.value for d in at.dataframe if "Kebijakan" in d.value.iloc[:, 0].tolist())
    assert "Skor Kebijakan daerah (kebijakan)" in mapping.iloc[:, 1].tolist()
    assert any("Tersimpan sebagai batch" in s.value for s in store_click(at, "Komite penghargaan, rekap juri").success)
    con = store.connect(steward_db, read_only=True)
    try:
        scores = store.read_tables(con, "resmi")["penilaian"]
    finally:
        con.close()
    assert sorted(zip(scores.kode, scores.kriteria, scores.skor)) == [
        ("3509", "inovasi", 75),
        ("3509", "kebijakan", 87.5),
        ("3509", "penerapan", 80),
        ("3509", "wawancara", 90),
        ("3511", "inovasi", 55),
        ("3511", "kebijakan", 60),
        ("3511", "penerapan", 58),
    ]


def test_hostile_files_through_the_page_are_refused_with_their_message(steward_db):
    """A zip bomb and a grid padded to XFD1048576 are read in the reader process and refused or
    trimmed there; the page shows the message, the store is unchanged."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    from tests.hostile import inflated

    before = steward_db.read_bytes()
    book = Workbook()
    book.active.append(["Wilayah", "Tahun Anggaran", "Tanggal Data", "Jumlah Peserta", "Bulan Cakupan"])
    book.active.append(["Kab. Jember", 2025, "10/07/2025", 40300, 9])
    book.active["XFD1048576"].fill = PatternFill("solid", fgColor="FFFF00")
    padded = io.BytesIO()
    book.save(padded)
    bomb = inflated(padded.getvalue(), 2**27)

    at = sign_in(open_kelola())
    at.file_uploader[0].upload("bom\nDisimpan sebagai batch 999.xlsx", bomb, "application/zip").run()
    assert not at.exception, at.exception
    lines = report(at)
    assert any("mengembang" in line and "bom Disimpan sebagai batch 999.xlsx" in line for line in lines), lines
    at.file_uploader[0].upload("padded.xlsx", padded.getvalue(), "application/zip").run()
    assert not at.exception, at.exception
    assert not any("kesalahan" in e.value for e in at.error), [e.value for e in at.error]  # 1 row, read and checked
    assert steward_db.read_bytes() == before
