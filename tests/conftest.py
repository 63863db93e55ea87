"""Session fixtures: one built store for the whole run, and a real streamlit server for browser tests."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from analytics import store

PROJECT_DIR = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def store_path(tmp_path_factory) -> Path:
    """A store built from data/ once; JAMSOS_DB points at it so the app and CLI use it."""
    path = tmp_path_factory.mktemp("store") / "jamsos.duckdb"
    store.build(path)
    os.environ["JAMSOS_DB"] = str(path)
    return path


@pytest.fixture(scope="session")
def store_tables(store_path):
    con = store.connect(store_path, read_only=True)
    try:
        yield {name: store.read_tables(con, name) for name in store.DATASETS}
    finally:
        con.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def _streamlit_server(store_path: Path, extra_env: dict | None = None):
    """`streamlit run app.py` on a free port, stopped (whole process group) afterwards."""
    with _streamlit_process(store_path, extra_env) as (url, _):
        yield url


@contextlib.contextmanager
def _streamlit_process(store_path: Path, extra_env: dict | None = None):
    """The server's URL and process (for a test that stops it itself)."""
    port = _free_port()
    env = {**os.environ, "JAMSOS_DB": str(store_path), **(extra_env or {})}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        yield url, proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def app_url(store_path):
    """One server for the browser tests of the session."""
    with _streamlit_server(store_path) as url:
        yield url


@pytest.fixture
def fresh_app_url(store_path):
    """A server nobody has visited yet (for what a first visitor with a shared link sees)."""
    with _streamlit_server(store_path) as url:
        yield url


STEWARD_PASSWORD = "uji-petugas-data"


@pytest.fixture
def steward_app(tmp_path):
    """A server on its own store with a steward password, so imports leave the shared store alone."""
    from analytics import passwords

    path = tmp_path / "petugas.duckdb"
    store.build(path)
    env = {"JAMSOS_KELOLA_PASSWORD_HASH": passwords.make_hash(STEWARD_PASSWORD)}
    with _streamlit_server(path, env) as url:
        yield url, path


@pytest.fixture
def steward_server(tmp_path):
    """As steward_app, with the server's process: (url, store path, process)."""
    from analytics import passwords

    path = tmp_path / "petugas.duckdb"
    store.build(path)
    env = {"JAMSOS_KELOLA_PASSWORD_HASH": passwords.make_hash(STEWARD_PASSWORD)}
    with _streamlit_process(path, env) as (url, proc):
        yield url, path, proc


def _wait_healthy(url: str, proc, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("streamlit exited:\n" + proc.stdout.read().decode(errors="replace"))
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("streamlit did not become healthy in time")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, not a Playwright download (none can be fetched here)."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }
