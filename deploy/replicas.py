"""N read-only replicas of the dashboard and one writer behind a local nginx (README: "Beberapa
replika"). `./dev.sh serve-replicas N` runs it after building the store; tests/test_replicas.py runs
it on a temporary store and ports.

    python deploy/replicas.py N [--port 8501] [--listen 127.0.0.1] [--db PATH] [--run-dir var/replicas]

Ports, consecutive from --port: PORT nginx for the readers (the public address), PORT+1 nginx for the
writer (Kelola Data: imports and roll-backs), PORT+2 … PORT+1+N the read-only replicas and PORT+2+N
the writer replica; the replicas listen on 127.0.0.1 only, nginx on --listen.

Every replica opens the same store file read-only per read; the writer (or the command line,
`python -m analytics import`) publishes a new file by atomic rename (analytics/store.py), which the
readers see on their next rerun. Every replica gets the same Streamlit cookie secret (from
JAMSOS_COOKIE_SECRET, else generated once into <run dir>/cookie_secret), passed in the environment
(STREAMLIT_SERVER_COOKIE_SECRET) so it does not show in `ps`.

Stops everything on Ctrl-C, SIGTERM or SIGHUP; exits 1 when a replica or nginx dies on its own. Logs:
<run dir>/logs/ (one per replica, nginx's access.log says which replica answered each request).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
SECRET_ENV = "JAMSOS_COOKIE_SECRET"


@dataclass(frozen=True)
class Layout:
    """Where everything listens, from one base port."""

    base: int
    readers: int
    listen: str = "127.0.0.1"

    @property
    def writer_proxy(self) -> int:
        return self.base + 1

    @property
    def reader_ports(self) -> list[int]:
        return [self.base + 2 + i for i in range(self.readers)]

    @property
    def writer_port(self) -> int:
        return self.base + 2 + self.readers

    def public(self, port: int) -> str:
        host = "127.0.0.1" if self.listen in ("0.0.0.0", "::", "[::]", "") else self.listen
        return f"http://{host}:{port}"

    @property
    def reader_url(self) -> str:
        return self.public(self.base)

    @property
    def writer_url(self) -> str:
        return self.public(self.writer_proxy)


def cookie_secret(run_dir: Path) -> str:
    """JAMSOS_COOKIE_SECRET, else the secret stored in the run dir (made on the first start)."""
    if os.environ.get(SECRET_ENV):
        return os.environ[SECRET_ENV]
    path = run_dir / "cookie_secret"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32) + "\n")
    return path.read_text().strip()


def render_nginx(layout: Layout, run_dir: Path) -> Path:
    """<run dir>/nginx.conf from the template, with its log and temporary folders."""
    for folder in ("logs", "tmp"):
        (run_dir / folder).mkdir(parents=True, exist_ok=True)
    servers = "\n".join(f"        server 127.0.0.1:{port};" for port in layout.reader_ports)
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in {
        "RUN_DIR": str(run_dir),
        "READER_SERVERS": servers,
        "WRITER_PORT": layout.writer_port,
        "LISTEN": layout.listen,
        "PORT": layout.base,
        "WRITER_PROXY_PORT": layout.writer_proxy,
    }.items():
        text = text.replace(f"@{name}@", str(value))
    path = run_dir / "nginx.conf"
    path.write_text(text, encoding="utf-8")
    return path


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when this script dies, even by SIGKILL (Linux prctl)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Replicas:
    """The processes: started in order, stopped together."""

    def __init__(self, layout: Layout, db: Path, run_dir: Path, nginx: str):
        self.layout, self.db, self.run_dir, self.nginx = layout, db, run_dir, nginx
        self.procs: list[tuple[str, subprocess.Popen]] = []

    def _spawn(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen:
        with open(self.run_dir / "logs" / f"{name}.log", "ab") as log:  # the child keeps its own copy
            proc = subprocess.Popen(
                args,
                cwd=PROJECT_DIR,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        self.procs.append((name, proc))
        return proc

    def start(self) -> None:
        secret = cookie_secret(self.run_dir)
        base_env = {**os.environ, "JAMSOS_DB": str(self.db), "STREAMLIT_SERVER_COOKIE_SECRET": secret}
        base_env.pop(SECRET_ENV, None)
        writer_env = {**base_env, "JAMSOS_READ_ONLY": "0"}
        reader_env = {
            **base_env,
            "JAMSOS_READ_ONLY": "1",
            "JAMSOS_WRITER_URL": os.environ.get("JAMSOS_WRITER_URL") or f"{self.layout.writer_url}/kelola",
        }
        names = [(f"pembaca-{i + 1}", port, reader_env) for i, port in enumerate(self.layout.reader_ports)]
        names.append(("penulis", self.layout.writer_port, writer_env))
        for name, port, env in names:
            self._spawn(
                name,
                [
                    sys.executable,
                    "-m",
                    "streamlit",
                    "run",
                    "app.py",
                    "--server.port",
                    str(port),
                    "--server.address",
                    "127.0.0.1",
                    "--server.headless",
                    "true",
                    "--browser.gatherUsageStats",
                    "false",
                ],
                env,
            )
        for (name, proc), (_, port, _) in zip(self.procs, names):
            self._wait_healthy(f"http://127.0.0.1:{port}", name, proc)
        conf = render_nginx(self.layout, self.run_dir)
        proc = self._spawn(
            "nginx",
            [self.nginx, "-p", str(self.run_dir), "-c", str(conf), "-e", str(self.run_dir / "logs" / "error.log")],
            dict(os.environ),
        )
        for url in (self.layout.reader_url, self.layout.writer_url):
            self._wait_healthy(url, "nginx", proc)
        state = {
            "reader_url": self.layout.reader_url,
            "writer_url": self.layout.writer_url,
            "db": str(self.db),
            "replicas": {name: port for name, port, _ in names},
            "pids": {name: p.pid for name, p in self.procs},
        }
        (self.run_dir / "replicas.json").write_text(json.dumps(state, indent=2), encoding="utf-8")

    def _wait_healthy(self, url: str, name: str, proc: subprocess.Popen, timeout: float = 90) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} berhenti (kode {proc.returncode}); lihat {self.run_dir / 'logs'}")
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{name} tidak siap dalam {timeout:.0f} detik ({url}); lihat {self.run_dir / 'logs'}")

    def wait(self) -> str:
        """Block until one process exits; its name."""
        while True:
            for name, proc in self.procs:
                if proc.poll() is not None:
                    return name
            time.sleep(0.5)

    def stop(self) -> None:
        """nginx first (no new requests), then the replicas: SIGTERM to each process group, then SIGKILL."""
        for _, proc in reversed(self.procs):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.time() + 15
        for _, proc in self.procs:
            try:
                proc.wait(max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _stop_on_signal(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("replicas", type=int, help="jumlah replika hanya-baca (N ≥ 1)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8501))
    parser.add_argument(
        "--listen",
        default=os.environ.get("JAMSOS_LISTEN") or "127.0.0.1",
        help="alamat nginx (0.0.0.0: semua antarmuka)",
    )
    parser.add_argument("--db", type=Path, default=None, help="store (default: JAMSOS_DB atau var/jamsos.duckdb)")
    parser.add_argument("--run-dir", type=Path, default=PROJECT_DIR / "var" / "replicas")
    args = parser.parse_args(argv)
    if args.replicas < 1:
        parser.error("N harus ≥ 1")
    db = (args.db or Path(os.environ.get("JAMSOS_DB") or PROJECT_DIR / "var" / "jamsos.duckdb")).resolve()
    if not db.exists():
        parser.error(f"store {db} belum ada: bangun dulu (python -m analytics build)")
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        parser.error("nginx tidak ditemukan: apt-get install nginx")
    run_dir = args.run_dir.resolve()
    (run_dir / "logs").mkdir(parents=True, exist_ok=True)

    layout = Layout(args.port, args.replicas, args.listen)
    cluster = Replicas(layout, db, run_dir, nginx)
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):  # SIGINT too when started ignoring it (`&`)
        signal.signal(signum, _stop_on_signal)
    try:
        cluster.start()
        print(f"{args.replicas} replika hanya-baca + 1 penulis, store {db}", flush=True)
        print(f"  pembaca / readers: {layout.reader_url}", flush=True)
        print(f"  penulis / writer:  {layout.writer_url}  (Kelola Data: impor dan roll-back)", flush=True)
        print(f"  log: {run_dir / 'logs'}   Ctrl-C menghentikan semuanya.", flush=True)
        died = cluster.wait()
        print(f"{died} berhenti sendiri; semua dihentikan. Lihat {run_dir / 'logs'}", file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        return 0
    except RuntimeError as error:
        print(error, file=sys.stderr, flush=True)
        return 1
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):  # a second Ctrl-C must not cut the stop short
            signal.signal(signum, signal.SIG_IGN)
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
