"""Load test: many simulated users on one server process, speaking Streamlit's own websocket
protocol (benchmarks/st_protocol.py), so hundreds of sessions need no hundreds of browsers.

Each simulated user opens a page of a dataset (a mix over every page and the three datasets), then
every few seconds changes a widget, moves to another page or downloads a CSV, until the level ends.
Per step (open, widget, page, download): p50/p95/p99 of request -> script run finished (download:
request -> file received), the errors, the server's CPU and memory; for each level of concurrent
sessions in turn (default 10, 50, 100, 200), and the point where p95 passes 1 s.

While it runs, a steward's CLI import into `resmi` and its roll-back alternate (`--churn`, default
every 30 s: an import and a roll-back each minute), and a watcher session on `resmi` reruns after
each: it must see the whole batch after an import and none of it after a roll-back (never half a
batch, never the old store). `--browser N`: N Playwright tabs time an indicator change -> chart
redrawn on Peringkat in the middle of each level.

    .venv/bin/python benchmarks/load.py [--levels 10,50,100,200] [--duration 60] [--db STORE]
                                        [--url http://host:port --pid PID ...] [--json OUT.json]

Without --url it starts `streamlit run app.py` on a copy of the store and measures that process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from benchmarks import browser  # noqa: E402
from benchmarks.st_protocol import ProtocolError, Session  # noqa: E402

PAGES = {  # url path -> how often a user lands on it (a press release links the ranking and the map)
    "": 3,
    "peringkat": 4,
    "peta": 3,
    "tren": 2,
    "bandingkan": 2,
    "profil": 2,
    "penilaian": 2,
    "metodologi": 1,
    "kelola": 0.3,
}
DATASETS = {"publikasi": 5, "contoh": 4, "resmi": 1}
ACTIONS = {"widget": 6, "page": 2.5, "download": 1.5}
THINK = (2.0, 5.0)  # seconds between one user's steps
CHURN_FILE = PROJECT_DIR / "tests" / "files" / "01_bersih_kepesertaan.xlsx"
EMPTY_RESMI = "belum berisi angka"  # what a page on an empty `resmi` says (views text)


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), list(weights.values()))[0]


@dataclass
class Step:
    kind: str
    seconds: float
    at: float
    error: str = ""


@dataclass
class Level:
    sessions: int
    steps: list[Step] = field(default_factory=list)
    cpu_percent: float = 0.0  # server processes, mean over the level (100 = one core)
    rss_peak_mb: float = 0.0  # server processes, peak resident memory
    client_cpu_percent: float = 0.0
    churn: list[str] = field(default_factory=list)  # what the watcher saw after each import/roll-back
    browser: list[float] = field(default_factory=list)

    def add(self, kind: str, seconds: float, error: str = "") -> None:
        self.steps.append(Step(kind, seconds, time.monotonic(), error))


# ---------------------------------------------------------------- one simulated user


async def user(base: str, rng: random.Random, deadline: float, level: Level) -> None:
    session = Session(base, timeout=90)
    try:
        run = await session.open(_pick(rng, PAGES), f"dataset={_pick(rng, DATASETS)}")
        level.add("open", run.seconds, _run_error(run))
        while True:
            await asyncio.sleep(rng.uniform(*THINK))
            if time.monotonic() >= deadline:
                break
            await _one_step(session, rng, level)
    except ProtocolError as error:
        level.add("open" if session.ws is None else "widget", 0.0, str(error)[:200])
    finally:
        try:
            await session.close()
        except Exception:  # noqa: BLE001 - closing a broken socket is not a finding
            pass


async def _one_step(session: Session, rng: random.Random, level: Level) -> None:
    action = _pick(rng, ACTIONS)
    csv = [target for label, target in session.downloads if "CSV" in label]
    if action == "download" and csv:
        start = time.perf_counter()
        status, size = await session.download(rng.choice(csv))
        level.add("download", time.perf_counter() - start, "" if status == 200 and size else f"HTTP {status}")
        return
    changeable = [w for w in session.widgets.values() if w.alternatives()]
    if action == "page" or not changeable:
        here = session.page_hash
        target = rng.choice([h for p, h in session.pages.items() if h != here and PAGES.get(p, 0) >= 1])
        run = await session.rerun(page_hash=target)
        level.add("page", run.seconds, _run_error(run))
        return
    widget = rng.choice(changeable)
    run = await session.rerun(change=(widget.id, rng.choice(widget.alternatives())))
    level.add("widget", run.seconds, _run_error(run))


def _run_error(run) -> str:
    if run.ok:
        return ""
    return (run.exceptions[0] if run.exceptions else f"status {run.status}")[:200]


# ---------------------------------------------------------------- the steward's churn


def _churn_regions() -> list[str]:
    """The regions of the churn file by the names the pages show (the file spells them its own way)."""
    import openpyxl

    from analytics import regions

    sheet = openpyxl.load_workbook(CHURN_FILE, read_only=True).active
    found = (regions.resolve(row[1]) for row in sheet.iter_rows(values_only=True) if row and row[1])
    return sorted({regions.region_by_code(r.kode).nama for r in found if r.status == "ok"})


async def _cli(db: Path, *args: str) -> str:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "analytics",
        "--db",
        str(db),
        *args,
        cwd=PROJECT_DIR,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await proc.communicate()
    if proc.returncode:
        raise RuntimeError(f"analytics {' '.join(args)}: {out.decode()[-300:]}")
    return out.decode()


async def churn(base: str, db: Path, every: float, deadline: float, level: Level) -> None:
    """Import, then roll back, one every `every` seconds; after each, a watcher on `resmi` reruns and
    records 'ok' or what it saw wrong (an exception, half the batch, the store before the change)."""
    regions = _churn_regions()
    watcher = Session(base, timeout=90, keep_raw=True)
    await watcher.open("peringkat", "dataset=resmi")
    batch = None
    try:
        while time.monotonic() + every < deadline:
            await asyncio.sleep(every)
            if batch is None:
                out = await _cli(db, "import", str(CHURN_FILE), "--dataset", "resmi", "--source", "uji beban")
                batch = out.rsplit("batch ", 1)[1].split()[0]
            else:
                await _cli(db, "rollback", batch)
                batch = None
            run = await watcher.rerun()
            raw = bytes(run.raw)
            seen = sum(name.encode() in raw for name in regions)
            if not run.ok:
                verdict = f"exception: {_run_error(run)}"
            elif batch is not None and (seen < len(regions) or EMPTY_RESMI.encode() in raw):
                verdict = f"after import: {seen}/{len(regions)} regions of the batch"
            elif batch is None and EMPTY_RESMI.encode() not in raw:
                verdict = "after roll-back: the batch still shows"
            else:
                verdict = "ok"
            level.churn.append(("import " if batch else "rollback ") + verdict)
    finally:
        if batch is not None:
            await _cli(db, "rollback", batch)
        await watcher.close()


# ---------------------------------------------------------------- server CPU and memory


class Monitor(threading.Thread):
    """Samples /proc of the server processes (and their children) once a second."""

    def __init__(self, pids: list[int]):
        super().__init__(daemon=True)
        self.pids, self.stop_event = pids, threading.Event()
        self.rss_peak, self.cpu_seconds, self.started = 0.0, 0.0, time.monotonic()
        self._first = self._cpu()
        self._client = os.times()

    def _tree(self) -> list[int]:
        """The server processes and every descendant (a kaleido Chromium started by a script thread)."""
        parents = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    pass
        found, todo = [], list(self.pids)
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo += [child for child, parent in parents.items() if parent == pid]
        return found

    def _cpu(self) -> float:
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for pid in self._tree():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / ticks
            except (OSError, IndexError):
                pass
        return total

    def _rss_mb(self) -> float:
        total = 0
        for pid in self._tree():
            try:
                line = next(x for x in Path(f"/proc/{pid}/status").read_text().splitlines() if x.startswith("VmRSS"))
                total += int(line.split()[1])
            except (OSError, StopIteration):
                pass
        return total / 1024

    def run(self) -> None:
        while not self.stop_event.wait(1.0):
            self.rss_peak = max(self.rss_peak, self._rss_mb())

    def finish(self, level: Level) -> None:
        self.stop_event.set()
        wall = time.monotonic() - self.started
        level.cpu_percent = 100 * (self._cpu() - self._first) / wall
        level.rss_peak_mb = max(self.rss_peak, self._rss_mb())
        now = os.times()
        level.client_cpu_percent = 100 * ((now.user - self._client.user) + (now.system - self._client.system)) / wall


# ---------------------------------------------------------------- a level, the browser spot check


async def run_level(
    base: str,
    sessions: int,
    duration: float,
    db: Path | None,
    churn_every: float,
    pids: list[int],
    seed: int,
    browser_tabs: int,
) -> Level:
    level = Level(sessions)
    rng = random.Random(seed + sessions)
    ramp = min(20.0, sessions / 10)  # a crowd arriving over seconds, not in the same millisecond
    deadline = time.monotonic() + ramp + duration
    monitor = Monitor(pids)
    monitor.start()

    async def arrive(i: int) -> None:
        await asyncio.sleep(ramp * i / sessions)
        await user(base, random.Random(rng.random()), deadline, level)

    tasks = [asyncio.create_task(arrive(i)) for i in range(sessions)]
    if db is not None and churn_every:
        tasks.append(asyncio.create_task(churn(base, db, churn_every, deadline, level)))
    spot = None
    if browser_tabs:
        spot = asyncio.create_task(_browser_spot(base, browser_tabs, ramp + duration / 2, level))
    done, pending = await asyncio.wait(tasks, timeout=ramp + duration + 120)
    for task in pending:
        task.cancel()
        level.add("widget", 0.0, "still waiting 120 s after the level ended")
    for task in done:
        if task.exception() is not None:
            level.churn.append(f"error: {task.exception()!r}"[:300])
    if spot is not None:
        await spot
    monitor.finish(level)
    return level


async def _browser_spot(base: str, tabs: int, delay: float, level: Level) -> None:
    await asyncio.sleep(delay)
    try:
        level.browser = await asyncio.to_thread(browser_spot, base, tabs)
    except Exception as error:  # noqa: BLE001 - a tab that timed out is a finding, not a crash
        level.add("browser", 0.0, f"browser: {type(error).__name__}: {str(error).splitlines()[0][:150]}")


def browser_spot(base: str, tabs: int) -> list[float]:
    """Indicator change -> Peringkat's chart redrawn, in `tabs` fresh Playwright tabs (seconds)."""
    from playwright.sync_api import sync_playwright

    names = ["Capaian terhadap target peserta", "Peserta BPJS TK didanai DBHCHT"]
    samples: list[float] = []
    with sync_playwright() as p:
        chromium = p.chromium.launch(**browser.LAUNCH)
        for _ in range(tabs):
            url = f"{base}/peringkat?dataset=contoh&tahun=2025&per=2025-12-31"
            samples += browser.interaction(chromium, url, "Indikator", names, names)
        chromium.close()
    return samples


# ---------------------------------------------------------------- reporting


def percentiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) < 2:
        value = values[0] if values else float("nan")
        return value, value, value
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return statistics.median(values), cuts[94], cuts[98]


def summary(level: Level) -> dict:
    good = [s for s in level.steps if not s.error]
    out = {
        "sessions": level.sessions,
        "steps": len(level.steps),
        "errors": len(level.steps) - len(good),
        "cpu_percent": round(level.cpu_percent),
        "rss_peak_mb": round(level.rss_peak_mb),
        "client_cpu_percent": round(level.client_cpu_percent),
    }
    for kind in ("all", "open", "widget", "page", "download"):
        values = [s.seconds for s in good if kind in ("all", s.kind)]
        out[kind] = dict(
            zip(("p50", "p95", "p99", "n"), (*map(lambda v: round(v, 3), percentiles(values)), len(values)))
        )
    errors: dict[str, int] = {}
    for s in level.steps:
        if s.error:
            errors[s.error] = errors.get(s.error, 0) + 1
    out["error_kinds"] = dict(sorted(errors.items(), key=lambda kv: -kv[1])[:5])
    out["churn"] = level.churn
    if level.browser:
        out["browser_p50"], out["browser_max"] = (
            round(statistics.median(level.browser), 3),
            round(max(level.browser), 3),
        )
    return out


def crossing(rows: list[dict], limit: float = 1.0) -> str:
    """Where p95 (all steps) passes `limit` seconds: between two levels, by linear interpolation."""
    previous = None
    for row in rows:
        if row["all"]["p95"] > limit:
            if previous is None:
                return f"already at {row['sessions']} sessions"
            (n0, p0), (n1, p1) = (previous["sessions"], previous["all"]["p95"]), (row["sessions"], row["all"]["p95"])
            at = n0 + (limit - p0) * (n1 - n0) / (p1 - p0)
            return f"about {at:.0f} sessions (p95 {p0:.2f} s at {n0}, {p1:.2f} s at {n1})"
        previous = row
    return f"not reached up to {rows[-1]['sessions']} sessions" if rows else "no levels"


def table(rows: list[dict]) -> str:
    lines = [
        "| sessions | steps | errors | p50 | p95 | p99 | open p95 | widget p95 | page p95 | CSV p95 "
        "| server CPU | server RSS peak | browser change->chart p50 |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        cells = [
            r["sessions"],
            r["steps"],
            r["errors"],
            *(f"{r['all'][k]:.2f} s" for k in ("p50", "p95", "p99")),
            *(f"{r[k]['p95']:.2f} s" for k in ("open", "widget", "page", "download")),
            f"{r['cpu_percent']} %",
            f"{r['rss_peak_mb']} MB",
            f"{r['browser_p50']:.2f} s" if "browser_p50" in r else "–",
        ]
        lines.append("| " + " | ".join(map(str, cells)) + " |")
    return "\n".join(lines)


# ---------------------------------------------------------------- main


async def warm_up(base: str) -> None:
    """Every page on every dataset once, so the first level does not pay for the first imports."""
    for dataset in DATASETS:
        session = Session(base, timeout=180)
        await session.open("", f"dataset={dataset}")
        for path, page_hash in session.pages.items():
            if path and PAGES.get(path, 0) >= 1:
                await session.rerun(page_hash=page_hash)
        await session.close()


async def measure(
    base: str,
    levels: list[int],
    duration: float,
    db: Path | None,
    churn_every: float,
    pids: list[int],
    seed: int,
    browser_tabs: int,
) -> list[dict]:
    await warm_up(base)
    rows = []
    for n in levels:
        level = await run_level(base, n, duration, db, churn_every, pids, seed, browser_tabs)
        rows.append(summary(level))
        print(f"{n} sessions: {json.dumps(rows[-1], ensure_ascii=False)}", flush=True)
        await asyncio.sleep(5)  # sessions closed; let the server drop them before the next level
    return rows


def serve_replicas(replicas: int, db: Path, folder: Path):
    """deploy/replicas.py: `replicas` read-only replicas and a writer behind nginx, on `db`; returns
    (process, readers' URL, the reader replicas' and nginx's pids)."""
    import signal
    import subprocess

    run_dir = folder / f"replicas{replicas}"
    port = browser._port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "deploy/replicas.py",
            str(replicas),
            "--port",
            str(port),
            "--db",
            str(db),
            "--run-dir",
            str(run_dir),
        ],
        cwd=PROJECT_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    state_file = run_dir / "replicas.json"
    for _ in range(600):
        if state_file.exists():
            break
        if proc.poll() is not None:
            raise RuntimeError(f"deploy/replicas.py exited {proc.returncode}; see {run_dir / 'logs'}")
        time.sleep(0.2)
    state = json.loads(state_file.read_text())
    pids = [pid for name, pid in state["pids"].items() if "writer" not in name and "penulis" not in name]

    def stop() -> None:
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)

    return stop, state["reader_url"], pids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", default="10,50,100,200")
    parser.add_argument("--duration", type=float, default=60, help="seconds each level runs after its ramp")
    parser.add_argument("--db", type=Path, help="a built store to copy (default: build one)")
    parser.add_argument("--url", help="measure a running server or proxy instead of starting one")
    parser.add_argument("--pid", type=int, action="append", default=[], help="server processes to monitor (--url)")
    parser.add_argument("--store", type=Path, help="the store file the --url server reads (for the churn)")
    parser.add_argument(
        "--replicas",
        default="0",
        help="0: one plain process; N[,M]: N read-only replicas "
        "behind nginx (deploy/replicas.py), then M, in the same run",
    )
    parser.add_argument("--churn", type=float, default=30, help="seconds between import and roll-back (0: none)")
    parser.add_argument("--browser", type=int, default=2, help="Playwright tabs per level (0: none)")
    parser.add_argument("--seed", type=int, default=20251204)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for replicas in (int(x) for x in args.replicas.split(",")):
            if args.url:
                base, pids, db, stop = args.url, args.pid, args.store, None
            else:
                db = Path(folder) / f"jamsos{replicas}.duckdb"
                if args.db:
                    shutil.copy(args.db, db)
                else:
                    from analytics import store

                    store.build(db)
                if replicas:
                    stop, base, pids = serve_replicas(replicas, db, Path(folder))
                else:
                    proc, base = browser.serve("app.py", {"JAMSOS_DB": str(db)})
                    stop, pids = (lambda proc=proc: browser.stop(proc)), [proc.pid]
            label = f"{replicas} replicas behind nginx" if replicas else "one process"
            print(f"== {label}: {base}, monitoring {pids}", flush=True)
            try:
                results[label] = asyncio.run(
                    measure(base, levels, args.duration, db, args.churn, pids, args.seed, args.browser)
                )
            finally:
                if stop is not None:
                    stop()
    from benchmarks.run import machine

    print("\nMachine: " + ", ".join(f"{k} {v}" for k, v in machine().items()))
    print(
        f"Load: {args.duration:.0f} s per level after the ramp, think time {THINK[0]:.0f}-{THINK[1]:.0f} s, "
        f"churn every {args.churn:.0f} s, client and server on the same machine"
    )
    for label, rows in results.items():
        print(f"\n### {label}\n\n{table(rows)}\n\np95 passes 1 s: {crossing(rows)}")
        for r in rows:
            print(f"{r['sessions']} sessions: churn {r['churn']}; errors {r['error_kinds']}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {"results": results, "args": {k: str(v) for k, v in vars(args).items()}}, indent=1, ensure_ascii=False
            )
        )


if __name__ == "__main__":
    main()
