"""House rules a newcomer relies on: imports go one way (analytics never imports Streamlit; only
store talks to DuckDB), no analytics module is longer than an hour's reading allows, and the caches
every session's thread shares stay sound under many threads."""

import ast
import random
import sys
import threading
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
MAX_MODULE_LINES = 600  # issue 11: "a house a newcomer reads in an hour"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def python_files(*folders: str) -> list[Path]:
    return [p for folder in folders for p in sorted((PROJECT / folder).rglob("*.py"))]


def test_analytics_never_imports_streamlit_or_views():
    offenders = {
        p.relative_to(PROJECT).as_posix()
        for p in python_files("analytics")
        if imported_modules(p) & {"streamlit", "views"}
    }
    assert not offenders, f"analytics/ must stay pure (pages -> analytics only): {sorted(offenders)}"


PAGE_LINES = 150  # a page reads view state, calls analytics and renders (DESIGN.md §5)


def line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_pages_stay_thin():
    """Computation goes to analytics/, reusable rendering to an underscore helper under views/."""
    long = {
        p.name: line_count(p)
        for p in sorted((PROJECT / "views").glob("*.py"))
        if not p.name.startswith("_") and line_count(p) > PAGE_LINES
    }
    assert not long, f"page files over {PAGE_LINES} lines: {long}"


def test_no_views_helper_is_over_600_lines():
    """views/_*.py hold shared Streamlit pieces; past MAX_MODULE_LINES one is split by what it is for."""
    long = {
        p.name: line_count(p) for p in sorted((PROJECT / "views").glob("_*.py")) if line_count(p) > MAX_MODULE_LINES
    }
    assert not long, f"views/ helper modules over {MAX_MODULE_LINES} lines: {long}"


def test_only_the_store_talks_to_duckdb():
    files = python_files("analytics", "views") + [PROJECT / "app.py"]
    offenders = {p.relative_to(PROJECT).as_posix() for p in files if "duckdb" in imported_modules(p)}
    assert offenders == {"analytics/store.py"}, sorted(offenders)


def test_no_analytics_module_is_over_600_lines():
    """A newcomer reads the house in an hour: a module that grows past 600 lines is split by what it
    holds (as store/schema, robustness/sobol/safe_margin and the synthetic_* generators were)."""
    lengths = {p.relative_to(PROJECT).as_posix(): line_count(p) for p in python_files("analytics")}
    too_long = {path: lines for path, lines in sorted(lengths.items()) if lines > MAX_MODULE_LINES}
    assert not too_long, f"over {MAX_MODULE_LINES} lines: " + ", ".join(
        f"{path} ({lines} lines)" for path, lines in too_long.items()
    )


def test_the_figure_memo_holds_under_many_threads(monkeypatch):
    """Sessions share memo_figure's dict: 16 threads asking for more keys than the memo keeps (so
    entries are evicted while others move them to the end) never raise and always get the figure
    built for their own key."""
    from views import _ui

    monkeypatch.setattr(_ui, "db_stamp", lambda: ("fixed",))
    from views import _memo

    _memo.clear()
    errors, wrong = [], []
    start = threading.Barrier(16)

    def work(seed: int) -> None:
        rng = random.Random(seed)
        start.wait()
        try:
            for _ in range(5_000):
                key = rng.randrange(_memo.MEMO_ENTRIES + 40)
                got = _ui.memo_figure(("hammer", key), lambda key=key: {"built_for": key})
                if got["built_for"] != key:
                    wrong.append((key, got))
        except Exception as error:  # noqa: BLE001 - any exception is the failure this test looks for
            errors.append(repr(error))

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(16)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often, so a race between get and move_to_end shows
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        sys.setswitchinterval(interval)
    assert not errors and not wrong, (errors[:3], wrong[:3])
    memo, _ = _memo._memo()
    assert len(memo) <= _memo.MEMO_ENTRIES


def test_the_upload_cap_has_one_value():
    """The 60 MB cap lives in analytics.importing.reading_limits; Streamlit's own cap (config.toml, which
    cannot import it) must say the same, or the page would refuse or accept other files than the CLI."""
    import tomllib

    from analytics.importing.reading_limits import UPLOAD_CAP_MB

    config = tomllib.loads((PROJECT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == UPLOAD_CAP_MB


def test_the_server_neither_watches_sources_nor_collects_after_every_run():
    """Two settings a crowd depends on (benchmarks/RESULTS.md): source watchers per session made a new
    session's opening 0.5 s, and a full gc.collect after every run held the GIL for half the CPU."""
    import tomllib

    config = tomllib.loads((PROJECT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["fileWatcherType"] == "none"
    assert config["runner"]["postScriptGC"] is False


def test_every_module_finds_data_in_one_place():
    """Paths into data/ are built from analytics.paths.DATA_DIR, not from each module's own __file__."""
    offenders = {
        p.relative_to(PROJECT).as_posix()
        for p in python_files("analytics", "views")
        if '/ "data"' in p.read_text(encoding="utf-8") and p.name != "paths.py"
    }
    assert not offenders, sorted(offenders)
