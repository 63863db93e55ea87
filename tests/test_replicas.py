"""Several processes behind nginx (deploy/replicas.py, README "Beberapa replika"): two read-only
replicas and one writer on a copy of the store, driven through the proxy.

Checked: the websocket upgrade passes through; nginx's affinity cookie spreads browsers over both
replicas and keeps every request of one (page loads, websockets, reruns, an upload) on its replica;
an upload sent to the other replica is refused, which is why affinity is needed; a steward's import
on the writer shows on a read-only replica at its next rerun, without a restart; a read-only
replica's Kelola Data refuses sign-in and names the writer; SIGTERM stops every process.
"""

import base64
import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.testing.v1 import AppTest
from websockets.sync.client import connect

from tests.conftest import PROJECT_DIR, STEWARD_PASSWORD
from tests.test_browser_kelola import ACCEPTED, upload

READERS = 2
PORT_RANGE = range(8600, 8700)  # the ports this test may use
APP = str(PROJECT_DIR / "app.py")
LOG_LINE = re.compile(
    r'port=(?P<port>\d+) "(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) '
    r"affinity=(?P<affinity>\S+) upstream=(?P<upstream>\S+)"
)
RESMI_2025 = "peringkat?dataset=resmi&tahun=2025&per=2025-12-31"


@dataclass
class Cluster:
    proc: subprocess.Popen
    run_dir: Path
    state: dict

    @property
    def reader(self) -> str:
        return self.state["reader_url"]

    @property
    def writer(self) -> str:
        return self.state["writer_url"]

    def replica(self, name: str) -> str:
        return f"127.0.0.1:{self.state['replicas'][name]}"

    @property
    def readers(self) -> set[str]:
        return {self.replica(name) for name in self.state["replicas"] if name != "penulis"}

    def log(self) -> list[dict]:
        text = (self.run_dir / "logs" / "access.log").read_text()
        return [m.groupdict() for m in map(LOG_LINE.search, text.splitlines()) if m]


def _ports_free(base: int, count: int) -> bool:
    """No one listens on these ports (closed connections in TIME_WAIT do not count: nginx and
    uvicorn bind with SO_REUSEADDR, as here)."""
    try:
        with contextlib.ExitStack() as stack:
            for port in range(base, base + count):
                sock = stack.enter_context(socket.socket())
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                sock.bind(("127.0.0.1", port))
                sock.listen()
    except OSError:
        return False
    return True


def _free_block(count: int) -> int:
    """The first `count` consecutive free ports in PORT_RANGE."""
    for base in range(PORT_RANGE.start, PORT_RANGE.stop - count + 1):
        if _ports_free(base, count):
            return base
    raise RuntimeError(f"no {count} free consecutive ports in {PORT_RANGE}")


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with contextlib.suppress(OSError):  # a zombie is dead, only not yet reaped by its parent
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    return False


@pytest.fixture(scope="module")
def cluster(store_path, tmp_path_factory):
    from analytics import passwords

    folder = tmp_path_factory.mktemp("replicas")
    db = folder / "jamsos.duckdb"
    shutil.copyfile(store_path, db)
    run_dir = folder / "run"
    env = {**os.environ, "JAMSOS_KELOLA_PASSWORD_HASH": passwords.make_hash(STEWARD_PASSWORD)}
    env.pop("JAMSOS_COOKIE_SECRET", None)
    with open(folder / "replicas.out", "wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "deploy/replicas.py",
                str(READERS),
                "--port",
                str(_free_block(READERS + 3)),
                "--db",
                str(db),
                "--run-dir",
                str(run_dir),
            ],
            cwd=PROJECT_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    state_file = run_dir / "replicas.json"
    deadline = time.time() + 120
    while not state_file.exists():
        if proc.poll() is not None or time.time() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            logs = "\n".join(f"--- {p.name}\n{p.read_text()[-2000:]}" for p in sorted(run_dir.glob("logs/*.log")))
            raise RuntimeError((folder / "replicas.out").read_text() + logs)
        time.sleep(0.3)
    state = json.loads(state_file.read_text())
    yield Cluster(proc, run_dir, state)
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    for pid in state["pids"].values():  # never left behind, whatever happened above
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)


# ---------------------------------------------------------------- without servers


def test_nginx_lets_through_exactly_the_upload_cap():
    """nginx's body limit is Streamlit's: a bigger one would let the replica refuse what nginx
    passed, a smaller one would refuse files the page says it takes."""
    from analytics.importing.reading_limits import UPLOAD_CAP_MB

    template = (PROJECT_DIR / "deploy" / "nginx.conf.template").read_text()
    assert re.findall(r"^\s*client_max_body_size (\S+);", template, re.M) == [f"{UPLOAD_CAP_MB}m"]


def test_a_read_only_replica_names_the_writer_instead_of_signing_in(store_path, monkeypatch):
    from analytics import passwords

    monkeypatch.setenv("JAMSOS_DB", str(store_path))
    monkeypatch.setenv("JAMSOS_KELOLA_PASSWORD_HASH", passwords.make_hash(STEWARD_PASSWORD))
    monkeypatch.setenv("JAMSOS_READ_ONLY", "1")
    monkeypatch.setenv("JAMSOS_WRITER_URL", "https://penulis.example/kelola")
    for lang, words in (("id", "Replika ini hanya-baca"), ("en", "This replica is read-only")):
        at = AppTest.from_file(APP, default_timeout=90)
        at.query_params["bahasa"] = lang
        at.run()
        at.switch_page("views/kelola.py").run()
        assert not at.exception, at.exception
        shown = [w.value for w in at.warning]
        assert any(words in text and "https://penulis.example/kelola" in text for text in shown), shown
        assert not at.text_input and not at.file_uploader and not at.button  # no sign-in at all
    monkeypatch.delenv("JAMSOS_WRITER_URL")
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.switch_page("views/kelola.py").run()
    assert any("pengelola dasbor" in w.value for w in at.warning)


# ---------------------------------------------------------------- through the proxy, without a browser


def _get(url: str, cookie: str = "") -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.headers, response.read()


def _replica_of(cluster: Cluster, affinity: str) -> str:
    _, headers, _ = _get(cluster.reader + "/_stcore/health", f"jamsos_replica={affinity}")
    return headers["X-Replica"]


@pytest.mark.browser
def test_the_websocket_upgrade_passes_through_the_proxy(cluster):
    host = cluster.reader.removeprefix("http://")
    key = base64.b64encode(os.urandom(16)).decode()
    with socket.create_connection(("127.0.0.1", _port(cluster.reader)), timeout=30) as sock:
        sock.sendall(
            (
                f"GET /_stcore/stream HTTP/1.1\r\nHost: {host}\r\nOrigin: {cluster.reader}\r\n"
                f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: streamlit\r\n\r\n"
            ).encode()
        )
        head = b""
        while b"\r\n\r\n" not in head:
            head += sock.recv(4096)
    status, *lines = head.split(b"\r\n\r\n")[0].decode().split("\r\n")
    fields = [line.split(": ", 1) for line in lines]
    headers = {name.lower(): value for name, value in fields}
    assert status.startswith("HTTP/1.1 101"), status
    assert headers["upgrade"].lower() == "websocket"
    accept = base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()).decode()
    assert headers["sec-websocket-accept"] == accept
    assert headers["sec-websocket-protocol"] == "streamlit"
    assert headers["x-replica"] in cluster.readers
    assert [v for name, v in fields if name.lower() == "set-cookie" and v.startswith("jamsos_replica=")]

    # and a whole script run over it: the session starts and the page finishes
    with connect(
        cluster.reader.replace("http", "ws", 1) + "/_stcore/stream",
        subprotocols=["streamlit"],
        origin=cluster.reader,
        max_size=None,
        open_timeout=30,
    ) as ws:
        kinds, session_id = _run_page(ws)
    assert "new_session" in kinds and session_id


def _run_page(ws, page: str = "metodologi", timeout: float = 90) -> tuple[list[str], str]:
    """Ask for a script run as a browser's first load does; the messages' kinds and the session id."""
    message = BackMsg()
    message.rerun_script.page_name = page
    ws.send(message.SerializeToString())
    kinds, session_id, deadline = [], "", time.time() + timeout
    while not kinds or kinds[-1] != "script_finished":
        msg = ForwardMsg()
        msg.ParseFromString(ws.recv(timeout=max(0.1, deadline - time.time())))
        kinds.append(msg.WhichOneof("type"))
        if kinds[-1] == "new_session":
            session_id = msg.new_session.initialize.session_id
    return kinds, session_id


def _put_upload(cluster: Cluster, session_id: str, cookie: str, xsrf: str) -> tuple[int, str, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="rekap.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + ACCEPTED
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        f"{cluster.reader}/_stcore/upload_file/{session_id}/{uuid.uuid4()}",
        data=body,
        method="PUT",
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Cookie": cookie,
            "X-Xsrftoken": xsrf,
            "Origin": cluster.reader,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers["X-Replica"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["X-Replica"], error.read().decode()


@pytest.mark.browser
def test_an_upload_reaches_the_replica_of_its_session_and_only_there(cluster):
    """The upload PUT carries the affinity cookie, so it reaches the replica holding the session
    (204); the same PUT placed on the other replica is refused (400): why affinity is needed."""
    by_replica = {}
    for i in range(64):
        by_replica.setdefault(_replica_of(cluster, f"uji{i}"), f"uji{i}")
        if len(by_replica) == READERS:
            break
    assert set(by_replica) == cluster.readers, "the hash spreads browsers over every replica"
    (home, mine), (other, theirs) = sorted(by_replica.items())

    _, headers, _ = _get(cluster.reader + "/_stcore/health", f"jamsos_replica={mine}")  # sets the XSRF cookie
    xsrf = next(
        c.split(";")[0].split("=", 1)[1] for c in headers.get_all("Set-Cookie") if c.startswith("_streamlit_xsrf=")
    )
    cookie = f"jamsos_replica={mine}; _streamlit_xsrf={xsrf}"
    with connect(
        cluster.reader.replace("http", "ws", 1) + "/_stcore/stream",
        subprotocols=["streamlit", xsrf],
        origin=cluster.reader,
        additional_headers={"Cookie": cookie},
        max_size=None,
        open_timeout=30,
    ) as ws:
        _, session_id = _run_page(ws)
        status, replica, _ = _put_upload(cluster, session_id, cookie, xsrf)
        assert (status, replica) == (204, home)
        status, replica, body = _put_upload(
            cluster, session_id, f"jamsos_replica={theirs}; _streamlit_xsrf={xsrf}", xsrf
        )
        assert (status, replica) == (400, other)
        assert "Invalid session_id" in body


# ---------------------------------------------------------------- browsers through the proxy


def _nav(page: Page, title: str) -> None:
    """A page switch in the sidebar: a rerun of the same session over its websocket, no reload."""
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).click()


def _affinity(context) -> str:
    return next(c["value"] for c in context.cookies() if c["name"] == "jamsos_replica")


@pytest.mark.browser
def test_sessions_spread_stay_on_their_replica_and_see_the_writers_import(cluster, browser: Browser):
    first = browser.new_context()
    page_a = first.new_page()
    response = page_a.goto(f"{cluster.reader}/{RESMI_2025}")
    replica_a = response.headers["x-replica"]
    contexts = [first]
    for _ in range(32):  # another browser, until one lands on the other replica (1/2 a try)
        second = browser.new_context()
        contexts.append(second)
        if second.request.get(f"{cluster.reader}/_stcore/health").headers["x-replica"] != replica_a:
            break
    page_b = second.new_page()
    replica_b = page_b.goto(f"{cluster.reader}/{RESMI_2025}").headers["x-replica"]
    assert {replica_a, replica_b} == cluster.readers
    for page in (page_a, page_b):  # resmi is still empty on both
        expect(page.get_by_role("heading", name="Peringkat", exact=True)).to_be_visible(timeout=60_000)
        expect(page.get_by_text("belum berisi angka").first).to_be_visible(timeout=60_000)

    kelola = first.new_page()  # a read-only replica's Kelola Data: no sign-in, the writer named
    kelola.goto(f"{cluster.reader}/kelola")
    expect(kelola.get_by_text("Replika ini hanya-baca")).to_be_visible(timeout=60_000)
    expect(kelola.get_by_role("link", name=f"{cluster.writer}/kelola")).to_be_visible()
    expect(kelola.get_by_label("Kata sandi")).to_have_count(0)
    kelola.close()

    steward = browser.new_context()
    contexts.append(steward)
    page_w = steward.new_page()
    page_w.goto(f"{cluster.writer}/kelola")
    page_w.get_by_label("Kata sandi").fill(STEWARD_PASSWORD)
    page_w.get_by_role("button", name="Masuk").click()
    expect(page_w.get_by_text("Unggah berkas")).to_be_visible(timeout=30_000)
    upload(page_w, "rekap_juli.csv", ACCEPTED)
    expect(page_w.get_by_text("Siap disimpan: 2 baris")).to_be_visible(timeout=30_000)
    page_w.get_by_label("Sumber data").fill("Disnaker Jatim, uji replika")
    page_w.get_by_role("button", name="Simpan sebagai batch baru").click()
    expect(page_w.get_by_text(re.compile(r"^Tersimpan sebagai batch"))).to_be_visible(timeout=30_000)

    for page in (page_b, page_a):  # the next rerun of each tab, on its own replica, no reload
        _nav(page, "Metodologi")
        expect(page.get_by_role("heading", name="Metodologi & Sumber")).to_be_visible(timeout=30_000)
        _nav(page, "Peringkat")
        table = page.locator('[data-testid="stDataFrame"]').first
        expect(table).to_contain_text("Jember", timeout=30_000)
        expect(table).to_contain_text("40.300")
    page_a.reload()  # a new session of the same browser: the same replica, the new store
    expect(page_a.locator('[data-testid="stDataFrame"]').first).to_contain_text("40.300", timeout=30_000)

    mine = {"a": _affinity(first), "b": _affinity(second)}
    for context in contexts:
        context.close()  # a websocket is logged when it closes

    reader_port, writer_port = str(_port(cluster.reader)), str(_port(cluster.writer))
    deadline = time.time() + 10
    while True:
        log = cluster.log()
        streams = {
            name: [e for e in log if e["affinity"] == value and e["path"] == "/_stcore/stream"]
            for name, value in mine.items()
        }
        streams["w"] = [e for e in log if e["port"] == writer_port and e["path"] == "/_stcore/stream"]
        if (len(streams["a"]) >= 3 and streams["b"] and streams["w"]) or time.time() > deadline:
            break
        time.sleep(0.3)
    # browser a: its first tab (reruns over one websocket), Kelola Data, the reload
    assert len(streams["a"]) >= 3 and streams["b"] and streams["w"], streams
    assert all(e["status"] == "101" for lines in streams.values() for e in lines), streams
    for name, replica in (("a", replica_a), ("b", replica_b)):
        lines = [e for e in log if e["affinity"] == mine[name]]
        assert {e["port"] for e in lines} == {reader_port}
        assert {e["upstream"] for e in lines} == {replica}, f"every request of browser {name} on {replica}"
    writer_lines = [e for e in log if e["port"] == writer_port]
    assert {e["upstream"] for e in writer_lines} == {cluster.replica("penulis")}
    uploads = [e for e in writer_lines if e["method"] == "PUT" and e["path"].startswith("/_stcore/upload_file/")]
    assert uploads and all(e["status"] == "204" for e in uploads)


@pytest.mark.browser
def test_every_replica_shares_one_cookie_secret_and_term_stops_them_all(cluster):
    secrets = set()
    for name, pid in cluster.state["pids"].items():
        if name != "nginx":
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            secrets |= {v for v in environ if v.startswith(b"STREAMLIT_SERVER_COOKIE_SECRET=")}
    assert len(secrets) == 1 and len(next(iter(secrets))) > 40
    assert (cluster.run_dir / "cookie_secret").stat().st_mode & 0o077 == 0

    cluster.proc.send_signal(signal.SIGTERM)
    assert cluster.proc.wait(30) == 0
    assert not [name for name, pid in cluster.state["pids"].items() if _alive(pid)]
    assert _ports_free(_port(cluster.reader), READERS + 3)  # nginx's two and the replicas' ports
