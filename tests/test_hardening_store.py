"""Hardening: a store that cannot be written fails honestly (exit 3, a message, nothing changed);
the import checks hold when two imports race; the sign-in cannot keep a steward waiting behind
guessers.

Tests run as root here, and chmod does not stop root writing, so an unwritable store is made with
failures that hold for root too: a file-size limit (RLIMIT_FSIZE; the store's copy fails with
EFBIG, as on a full disk) and a store path under a regular file (its folder cannot be created).
"""

import contextlib
import hashlib
import resource
import signal
import subprocess
import sys
import threading
import time

import pytest

from analytics import __main__ as cli
from analytics import passwords, store
from analytics.importing import importer, reader
from tests import test_kelola
from tests.test_kelola import APP, open_kelola, report, sign_in, store_click

steward_db = test_kelola.steward_db  # the same fixture, shared with the Kelola Data tests

HEADER = "Wilayah,Tahun Anggaran,Tanggal Data,Jumlah Peserta,Bulan Cakupan\n"
FIRST = (HEADER + "Kab. Jember,2025,10/07/2025,40.300,9\n").encode()
FIVEFOLD = (HEADER + "Kab. Jember,2025,31/07/2025,201.500,9\n").encode()  # 5× the first, three weeks on
SAME_DAY_FIVEFOLD = (HEADER + "Kab. Jember,2025,10/07/2025,201.500,9\n").encode()  # 5× the first, same day
ELSEWHERE = (HEADER + "Kota Malang,2025,10/07/2025,9.000,9\n").encode()
BUDGET = (
    b"Kabupaten/Kota;Tahun Anggaran;Tanggal Data;Realisasi Jamsos (Rp juta)\n"
    b"Kab. Jember;2025;31/07/2025;9.000\n"
)  # with FIRST: Rp24.814 per participant-month


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "keras.duckdb"
    store.build(path)
    return path


def planned(db, data: bytes, name: str = "rekap.csv") -> importer.Plan:
    return importer.plan(db, reader.read_file(name, data), data)


def stored(db, data: bytes, name: str = "rekap.csv") -> store.LoadResult:
    return importer.commit(db, planned(db, data, name), source="Disnaker uji", acknowledged=True)


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def resmi_batches(db) -> list[tuple[int, str]]:
    con = store.connect(db, read_only=True)
    try:
        return list(store.dataset_state(con, "resmi"))
    finally:
        con.close()


def leftovers(db) -> list[str]:
    return sorted(p.name for p in db.parent.iterdir() if ".tmp" in p.name)


# ---------------------------------------------------------------- 5. honest failures


@contextlib.contextmanager
def file_size_limit(limit: int):
    """No file this process writes may grow past `limit` bytes, root included."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, handler)


# `python -m analytics ARGS` with the file-size limit LIMIT: python -c LIMITED LIMIT ARGS
LIMITED = (
    "import resource, runpy, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
    "resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv.pop(1)),) * 2); "
    "runpy.run_module('analytics', run_name='__main__', alter_sys=True)"
)
SMALL = 2**20  # a built store is ~7 MB: its copy cannot be made


def run_cli(db, *args, limit: int | None = None) -> subprocess.CompletedProcess:
    head = [sys.executable, "-c", LIMITED, str(limit)] if limit else [sys.executable, "-m", "analytics"]
    return subprocess.run([*head, "--db", str(db), *args], capture_output=True, text=True, timeout=120)


def says_what_to_check(message: str, db) -> bool:
    return all(part in message for part in (str(db), "tidak dapat ditulis", "izin", "disk", "hanya-baca"))


def test_a_store_that_cannot_be_copied_is_a_store_error_and_stays_untouched(db):
    plan = planned(db, FIRST)
    before = sha(db)
    with file_size_limit(SMALL), pytest.raises(store.StoreUnwritable) as failed:
        importer.commit(db, plan, source="uji")
    assert isinstance(failed.value.reason, OSError) and says_what_to_check(str(failed.value), db)
    assert sha(db) == before and not leftovers(db)  # the half copy is gone too
    assert not importer.commit(db, plan, source="uji").skipped  # and the store still takes the batch


def test_a_write_that_fails_inside_the_copy_is_a_store_error(db):
    before = sha(db)
    with file_size_limit(db.stat().st_size + 2**18), pytest.raises(store.StoreUnwritable) as failed:
        with store.writing(db) as con:  # the copy fits, its growth does not: a disk filling up
            con.execute("CREATE TABLE besar AS SELECT md5(range::VARCHAR) AS teks FROM range(400000)")
    assert "Could not write" in str(failed.value.reason)  # DuckDB's words, shown with the store's path
    assert sha(db) == before and not leftovers(db)


@pytest.mark.parametrize(
    "error",
    [
        FileNotFoundError("data/publikasi/sumber.csv"),  # build's data/ files
        "INSERT INTO wilayah VALUES ('3509', 'x', 'x', 'desa')",
    ],
)  # a CHECK
def test_other_errors_of_a_write_pass_through_unchanged(db, error):
    before = sha(db)
    with pytest.raises(type(error) if isinstance(error, OSError) else store.duckdb.ConstraintException):
        with store.writing(db) as con:  # not the store's fault: no "check the disk" message
            if isinstance(error, OSError):
                raise error
            con.execute(error)
    assert sha(db) == before and not leftovers(db)


def test_a_store_whose_folder_is_a_file_is_a_store_error(tmp_path):
    (tmp_path / "berkas").write_text("bukan folder")
    with pytest.raises(store.StoreUnwritable) as failed:
        store.build(tmp_path / "berkas" / "jamsos.duckdb")
    assert str(tmp_path / "berkas") in str(failed.value)


def test_import_into_an_unwritable_store_exits_3_with_a_message(db, tmp_path):
    data = tmp_path / "rekap.csv"
    data.write_bytes(FIRST)
    before = sha(db)
    done = run_cli(db, "import", str(data), "--source", "uji", limit=SMALL)
    assert done.returncode == 3, done.stdout + done.stderr
    assert says_what_to_check(done.stderr, db) and "Traceback" not in done.stderr
    assert sha(db) == before and not leftovers(db)
    refused = run_cli(db, "import", str(data), "--dry-run", limit=SMALL)  # checking writes nothing
    assert refused.returncode == 0, refused.stderr


def test_rollback_of_an_unwritable_store_exits_3_with_a_message(db, tmp_path):
    batch = stored(db, FIRST).batch_id
    before = sha(db)
    done = run_cli(db, "rollback", str(batch), limit=SMALL)
    assert done.returncode == 3 and says_what_to_check(done.stderr, db), done.stderr
    assert sha(db) == before and resmi_batches(db) == [(batch, "aktif")]


def test_a_store_under_a_file_exits_3_for_import_and_rollback(tmp_path):
    (tmp_path / "berkas").write_text("bukan folder")
    data = tmp_path / "rekap.csv"
    data.write_bytes(FIRST)
    target = tmp_path / "berkas" / "jamsos.duckdb"
    for args in (("import", str(data)), ("rollback", "1")):
        done = run_cli(target, *args)
        assert done.returncode == 3 and "tidak dapat ditulis" in done.stderr, done.stderr


def test_the_page_shows_an_unwritable_store_as_an_error(steward_db):
    at = sign_in(open_kelola())
    at.file_uploader[0].upload("rekap.csv", FIRST, "text/csv").run()
    before = sha(steward_db)
    with file_size_limit(SMALL):
        at = store_click(at, "Disnaker uji")  # asserts: no exception box
    assert any("tidak dapat ditulis" in e.value and "hanya-baca" in e.value for e in at.error)
    assert sha(steward_db) == before


def test_the_page_shows_an_unwritable_store_on_roll_back(steward_db):
    batch = stored(steward_db, FIRST).batch_id
    at = sign_in(open_kelola())
    next(c for c in at.checkbox if "batalkan batch ini" in c.label).check()
    with file_size_limit(SMALL):
        next(b for b in at.button if b.label == "Batalkan batch").click().run()
    assert not at.exception, at.exception
    assert any("tidak dapat ditulis" in e.value for e in at.error)
    assert resmi_batches(steward_db) == [(batch, "aktif")]


def test_a_first_visit_whose_store_cannot_be_built_shows_an_error_not_an_exception(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    blocker = tmp_path / "berkas"
    blocker.write_text("bukan folder")
    monkeypatch.setenv("JAMSOS_DB", str(blocker / "jamsos.duckdb"))  # its folder is a file: nothing can create it
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception, at.exception
    (error,) = at.error
    assert "tidak dapat ditulis" in error.value and "cannot be written" in error.value


# ---------------------------------------------------------------- 6. checks that hold under concurrency


def test_a_plan_made_before_another_import_is_refused_with_the_fresh_warning(db):
    first, second = planned(db, FIRST), planned(db, FIVEFOLD)  # both checked against the same store
    assert not first.warnings and not second.warnings
    stored_first = importer.commit(db, first, source="Disnaker A")
    before = sha(db)
    with pytest.raises(importer.PlanChanged) as changed:
        importer.commit(db, second, source="Disnaker B", acknowledged=True)  # acknowledged: nothing was shown
    (warning,) = changed.value.new
    assert "Kabupaten Jember" in warning.message and "5.0×" in warning.message and "40.300" in warning.message
    assert changed.value.plan.warnings == [warning]
    assert sha(db) == before and resmi_batches(db) == [(stored_first.batch_id, "aktif")]
    with pytest.raises(importer.ImportRefused):  # the fresh plan's warning still needs acknowledging
        importer.commit(db, changed.value.plan, source="Disnaker B")
    assert not importer.commit(db, changed.value.plan, source="Disnaker B", acknowledged=True).skipped


def test_the_cost_check_is_made_again_against_the_store_being_written(db):
    enrolment = planned(db, FIRST)
    stored(db, BUDGET, "anggaran.csv")  # money stored meanwhile: the cost becomes computable
    with pytest.raises(importer.PlanChanged) as changed:
        importer.commit(db, enrolment, source="uji")
    (warning,) = changed.value.new
    assert "Rp24.814" in warning.message and "+48%" in warning.message
    con = store.connect(db, read_only=True)
    try:
        assert store.read_tables(con, "resmi")["kepesertaan"].empty  # the batch checked in the copy went with it
    finally:
        con.close()


def test_an_unchanged_store_is_not_checked_twice_and_an_unrelated_change_stores(db, monkeypatch):
    quiet, other = planned(db, FIRST), planned(db, ELSEWHERE)
    real_check = importer._check

    def no_second_check(*args):
        raise AssertionError("the store did not change: its checks must not run again")

    monkeypatch.setattr(importer, "_check", no_second_check)
    importer.commit(db, other, source="uji")  # the fast path: a 1-million-row file is not re-checked
    monkeypatch.setattr(importer, "_check", real_check)
    assert not importer.commit(db, quiet, source="uji").skipped  # re-checked: Malang does not touch Jember
    assert len(resmi_batches(db)) == 2


def test_two_commits_racing_in_threads_store_one_and_refuse_the_other(db):
    plans = [planned(db, FIRST), planned(db, SAME_DAY_FIVEFOLD)]  # either order: 5× apart
    start, outcomes = threading.Barrier(2), {}

    def commit(index: int) -> None:
        start.wait()
        try:
            outcomes[index] = importer.commit(db, plans[index], source=f"steward {index}")
        except importer.PlanChanged as changed:
            outcomes[index] = changed

    threads = [threading.Thread(target=commit, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    refused = [o for o in outcomes.values() if isinstance(o, importer.PlanChanged)]
    done = [o for o in outcomes.values() if isinstance(o, store.LoadResult)]
    assert len(refused) == 1 and len(done) == 1, outcomes
    assert "5.0×" in refused[0].new[0].message
    assert resmi_batches(db) == [(done[0].batch_id, "aktif")]


@pytest.mark.parametrize("accept", [False, True])
def test_the_command_line_prints_the_new_warnings(db, tmp_path, monkeypatch, capsys, accept):
    real_plan = importer.plan

    def plan_then_another_import(*args, **kwargs):
        out = real_plan(*args, **kwargs)
        other = real_plan(db, reader.read_file("lain.csv", FIRST), FIRST)
        importer.commit(db, other, source="steward lain")  # stored between this file's checking and storing
        return out

    monkeypatch.setattr(importer, "plan", plan_then_another_import)
    data = tmp_path / "lima_kali.csv"
    data.write_bytes(FIVEFOLD)
    code = cli.main(["--db", str(db), "import", str(data), "--source", "uji"] + ["--accept-warnings"] * accept)
    out = capsys.readouterr().out
    assert "1 peringatan baru" in out and "5.0×" in out
    expected = (0, True, 2) if accept else (1, False, 1)  # exit status, stored, resmi batches
    assert (code, "Disimpan sebagai batch" in out, len(resmi_batches(db))) == expected


def test_the_page_shows_the_new_warnings_and_asks_again(steward_db, monkeypatch):
    real_commit = importer.commit
    raced = []

    def another_import_first(*args, **kwargs):
        if not raced:  # once: another steward's batch lands just before this one
            raced.append(real_commit(steward_db, planned(steward_db, FIRST, "lain.csv"), source="steward lain"))
        return real_commit(*args, **kwargs)

    monkeypatch.setattr(importer, "commit", another_import_first)
    at = sign_in(open_kelola())
    at.file_uploader[0].upload("lima_kali.csv", FIVEFOLD, "text/csv").run()
    assert not any("peringatan di atas" in c.label for c in at.checkbox)  # no warnings yet
    at = store_click(at, "Disnaker uji")
    assert any("batch lain tersimpan" in w.value for w in at.warning)
    assert any("Kabupaten Jember" in line and "5.0×" in line for line in report(at))
    assert not any("Tersimpan sebagai batch" in s.value for s in at.success)
    assert any("Tersimpan sebagai batch" in s.value for s in store_click(at, "Disnaker uji", ack=True).success)
    assert len(resmi_batches(steward_db)) == 2


# ---------------------------------------------------------------- 7. a sign-in that cannot lock the steward out


def test_one_session_guesses_as_slowly_as_before_and_a_steward_who_waits_is_not_delayed():
    now = [0.0]
    throttle = passwords.LoginThrottle(clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s))
    assert [throttle.attempt(lambda: False)[1] for _ in range(8)] == [0, 1, 2, 4, 8, 16, 30, 30]
    assert throttle.remaining() == 30
    now[0] += 30  # the back-off runs out: the next attempt is checked at once, whoever sends it
    assert throttle.attempt(lambda: True) == (True, 0)


def _race(throttle: passwords.LoginThrottle, guess, right, guessers: int, warm_up) -> float:
    """Guessing sessions submit wrong passwords without pause; once `warm_up()` holds, the steward
    sends the right one. Returns the steward's seconds on the throttle's clock."""
    stop = threading.Event()

    def guessing() -> None:
        while not stop.is_set():
            throttle.attempt(guess)

    threads = [threading.Thread(target=guessing, daemon=True) for _ in range(guessers)]
    for thread in threads:
        thread.start()
    try:
        deadline = time.monotonic() + 20
        while not warm_up() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert warm_up(), "the guessers never reached the longest back-off"
        start = throttle.clock()
        ok, waited = throttle.attempt(right)
        assert ok and waited <= max(throttle.delay(n) for n in range(100))
        return throttle.clock() - start
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)


def test_the_real_schedule_keeps_a_correct_password_within_30_seconds():
    """1, 2, 4 … 30 s as in production, on a clock running 50× fast; three sessions guessing, as in
    the report where the correct password waited 119 s."""
    fast, origin = 50.0, time.monotonic()
    throttle = passwords.LoginThrottle(
        clock=lambda: (time.monotonic() - origin) * fast, sleep=lambda s: time.sleep(s / fast)
    )
    spent = _race(
        throttle, lambda: False, lambda: True, guessers=3, warm_up=lambda: throttle.remaining() > 20
    )  # well into the 30 s back-off
    assert spent <= passwords.MAX_DELAY + 5  # 5 s on this clock = 0.1 s of real scheduling delay


def test_concurrent_guessers_do_not_delay_a_correct_password_beyond_the_bound():
    """Real scrypt checks and real threads; the back-off scaled to 1 s at most so the test is short."""
    stored_hash = passwords.make_hash("benar")
    check = sorted(_timed(lambda: passwords.verify("salah", stored_hash)) for _ in range(3))[1]  # median
    throttle = passwords.LoginThrottle(delay=lambda n: passwords.failure_delay(n) / passwords.MAX_DELAY)
    guessers = 4
    started = time.monotonic()
    spent = _race(
        throttle,
        lambda: passwords.verify("salah", stored_hash),
        lambda: passwords.verify("benar", stored_hash),
        guessers,
        warm_up=lambda: throttle.recent_failures() >= 8,
    )  # the back-off is at its 1 s cap
    bound = 1.0 + (guessers + 1) * check * 2 + 0.5  # the cap, the checks due with it (CPU shared), slack
    assert spent <= bound, (spent, bound)
    # … and guessing stays slow: each session about one guess per back-off, however long it runs
    assert throttle.recent_failures() <= guessers * ((time.monotonic() - started) / 1.0 + 4)


def _timed(func) -> float:
    start = time.monotonic()
    func()
    return time.monotonic() - start
