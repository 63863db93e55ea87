"""The load test's protocol client (benchmarks/st_protocol.py) against a real server: what it does must
be what a browser tab does, or benchmarks/load.py measures something no user sees. And a small load
with the steward's churn: every session's runs end without an exception, and after each CLI import
or roll-back the watcher sees the whole batch or none of it."""

import asyncio
import concurrent.futures

from benchmarks import load
from benchmarks.st_protocol import Session, http_get


def in_thread(coroutine):
    """The coroutine on its own event loop in a worker thread: Playwright's sync fixtures keep a loop
    running in the test thread when browser tests ran earlier in the session."""
    with concurrent.futures.ThreadPoolExecutor(1) as worker:
        return worker.submit(asyncio.run, coroutine).result()


PAGES = ["", "peringkat", "peta", "tren", "bandingkan", "profil", "penilaian", "metodologi", "kelola"]


async def _walk(url: str, dataset: str) -> list[str]:
    """Every page of one dataset in one tab; returns what went wrong (empty: nothing)."""
    problems = []
    session = Session(url, timeout=120)
    run = await session.open("", f"dataset={dataset}")
    if not run.ok:
        problems.append(f"open: {run.status} {run.exceptions}")
    assert set(PAGES) <= set(session.pages), session.pages
    assert f"dataset={dataset}" in session.query_string  # the address bar the app wrote back
    for path in PAGES[1:]:
        run = await session.rerun(page_hash=session.pages[path])
        if not run.ok or run.page != path:
            problems.append(f"{path}: {run.status} {run.page} {run.exceptions}")
    await session.close()
    return problems


def test_a_protocol_session_runs_every_page_on_every_dataset(app_url):
    for dataset in ("publikasi", "contoh", "resmi"):
        assert in_thread(_walk(app_url, dataset)) == [], dataset


async def _change_and_download(url: str):
    session = Session(url, timeout=120, keep_raw=True)
    await session.open("peringkat", "dataset=contoh&tahun=2025")
    indicator = next(w for w in session.widgets.values() if w.label == "Indikator")
    before = indicator.state
    choice = indicator.alternatives()[0]
    run = await session.rerun(change=(indicator.id, choice))
    after = session.widgets[indicator.id].state
    csv = next(target for label, target in session.downloads if "CSV" in label)
    status, size = await session.download(csv)
    await session.close()
    return run, before, choice, after, status, size


def test_a_widget_change_reruns_with_the_new_value_and_a_csv_downloads(app_url):
    run, before, choice, after, status, size = in_thread(_change_and_download(app_url))
    assert run.ok, run.exceptions
    assert before != choice and after == choice  # the server kept the value the "user" gave
    assert choice["string_value"].encode() in bytes(run.raw)  # the page (its chart title) shows it
    assert status == 200 and size > 1000


def test_a_small_load_with_imports_and_roll_backs_sees_no_exception_and_no_half_batch(steward_app):
    url, path = steward_app
    level = in_thread(
        load.run_level(url, sessions=4, duration=25, db=path, churn_every=3, pids=[], seed=7, browser_tabs=0)
    )
    errors = [s.error for s in level.steps if s.error]
    assert errors == []
    assert len(level.steps) >= 8  # the users did step, not only open
    assert len(level.churn) >= 2 and all(entry.endswith(" ok") for entry in level.churn), level.churn
    assert {entry.split()[0] for entry in level.churn} == {"import", "rollback"}


async def _download_while_others_run(url: str):
    clicker, others = Session(url, timeout=120), Session(url, timeout=120)
    await clicker.open("peringkat", "dataset=contoh&tahun=2025")
    await others.open("peringkat", "dataset=publikasi&tahun=2025")
    csv = next(target for label, target in clicker.downloads if "CSV" in label)
    file_url = await clicker.generate(csv)
    for _ in range(3):  # other sessions' runs end (each ends with Streamlit's sweep of unused files)
        await others.rerun()
    status, body = await http_get(url, file_url, clicker.cookies)
    await clicker.close()
    await others.close()
    return status, body


def test_a_download_is_still_there_when_other_sessions_ran_before_the_browser_fetched_it(app_url):
    # Streamlit 1.67 alone deletes a generated file at the second sweep after it was made: under load
    # a press officer's click could 404 (views/_downloads.py)
    status, body = in_thread(_download_while_others_run(app_url))
    assert status == 200 and body.count(b"\n") > 10
