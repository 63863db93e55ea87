"""Performance figures (not tests): store build, ranking queries, page reruns, name resolution.

Run with `./dev.sh bench`. Prints a Markdown table and the machine's details; copy them into
benchmarks/RESULTS.md. Each figure is the median of several runs after one warm-up.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))
os.chdir(PROJECT_DIR)

from analytics import metrics, ranking, regions, store  # noqa: E402
from views import _pages  # noqa: E402


def timed(func, repeat: int = 5, warmup: int = 1) -> float:
    """Median seconds of `repeat` calls after `warmup` calls."""
    for _ in range(warmup):
        func()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    import duckdb
    import pandas
    import streamlit

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kb / 2**20, 1),
        "python": platform.python_version(),
        "os": platform.platform(),
        "duckdb": duckdb.__version__,
        "pandas": pandas.__version__,
        "streamlit": streamlit.__version__,
    }


def bench_build(workdir: Path) -> dict:
    counter = iter(range(100))
    fresh = timed(lambda: store.build(workdir / f"fresh{next(counter)}.duckdb"), repeat=3)
    path = workdir / "again.duckdb"
    store.build(path)
    again = timed(lambda: store.build(path), repeat=3)
    return {"store build, fresh file (publikasi + contoh)": fresh, "store build, unchanged (idempotent no-op)": again}


def bench_queries(path: Path) -> dict:
    with store.reading(path) as con:
        out = {
            "read dataset tables from DuckDB, contoh": timed(lambda: store.read_tables(con, "contoh")),
            "read dataset tables from DuckDB, publikasi": timed(lambda: store.read_tables(con, "publikasi")),
        }
        for dataset in ("publikasi", "contoh"):
            data = store.read_tables(con, dataset)
            for indicator in ("peserta_dbhcht", "biaya_per_peserta_bulan"):
                out[f"ranking {indicator}, {dataset} (38 regions + previous year)"] = timed(
                    lambda: ranking.ranking(data, indicator, 2025, "2025-12-31")  # noqa: B023 (called at once)
                )
            out[f"all {len(metrics.COMPUTATIONS)} indicators, {dataset}"] = timed(
                lambda: [ranking.ranking(data, i, 2025, "2025-12-31") for i in metrics.COMPUTATIONS],  # noqa: B023
                repeat=3,
            )
            out[f"rank_all (the same, sharing inputs), {dataset}"] = timed(
                lambda: ranking.rank_all(data, 2025, "2025-12-31"),  # noqa: B023
                repeat=5,
            )
    return out


def bench_pages(path: Path) -> dict:
    from streamlit.testing.v1 import AppTest

    os.environ["JAMSOS_DB"] = str(path)
    out = {}
    for page in _pages.FILES:
        for dataset in ("publikasi", "contoh"):
            at = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=60)
            at.query_params["dataset"] = dataset
            at.run()
            at.switch_page(page).run()
            assert not at.exception, at.exception
            out[f"page rerun (warm), {page.split('/')[1]}, {dataset}"] = timed(lambda: at.run(), repeat=7)  # noqa: B023 (called at once)
    return out


def bench_map_and_export(path: Path) -> dict:
    """Bytes of the map figures sent to the browser, and PNG export time (first, then warm)."""
    from analytics import charts, export, map_shapes, maps

    with store.reading(path) as con:
        data = store.read_tables(con, "contoh")
    indicator = metrics.catalogue()["peserta_dbhcht"]
    table = ranking.ranking(data, "peserta_dbhcht", 2025, "2025-12-31")
    out = {}
    for kind in ("peta", "petak"):
        fig = maps.map_figure(
            table,
            indicator,
            map_shapes.shapes_for(kind),
            title=indicator.title(),
            subtitle="2025",
            source="Sumber: uji",
            lang="id",
            synthetic=True,
        )
        out[f"bytes: map figure JSON sent to the browser, {kind}"] = len(fig.to_json().encode())
    fig = charts.ranking_bar(
        table.dropna(subset=["nilai"]),
        indicator,
        title=indicator.title(),
        subtitle="2025",
        source="Sumber: uji",
        synthetic=True,
    )
    meta = export.ExportMeta(
        title=indicator.title(), subtitle="2025", source="Sumber: uji", dataset="contoh", synthetic=True
    )
    press = export.press_figure(fig, meta, "16:9")
    start = time.perf_counter()
    export.image_bytes(press, "png", "16:9")
    out["PNG export 1600x900, first (starts Chromium)"] = time.perf_counter() - start
    out["PNG export 1600x900, warm"] = timed(lambda: export.image_bytes(press, "png", "16:9"), repeat=5)
    export.stop_image_server()
    return out


def bench_resolver() -> dict:
    names = [r.nama for r in regions.load_regions()] + ["Kab. Probolinggo", "35.13", "Probolinggo", "Kota Batu"]
    distinct = [f"{names[i % len(names)]}{' ' * (i % 3)}" for i in range(10_000)]
    return {"resolve 10,000 names (cached spellings)": timed(lambda: regions.resolve_many(distinct), repeat=3)}


def _print_ratios(results: dict[str, float]) -> None:
    """Our browser timings over the minimal app's: the overhead above Streamlit's own floor."""
    pairs = [
        (
            "navigation -> first chart",
            "browser: navigation -> first chart, minimal app",
            "browser: navigation -> first chart, Peringkat (contoh)",
        ),
        (
            "interaction -> chart (cached)",
            "browser: selectbox -> chart updated, minimal app",
            "browser: indicator change -> chart updated, Peringkat (contoh, second pass, cached)",
        ),
        (
            "slider -> chart, Penilaian (cached)",
            "browser: slider -> chart updated, minimal app",
            "browser: slider -> chart updated, Penilaian (contoh, second pass, cached)",
        ),
        (
            "slider -> chart, Penilaian (5 new weightings)",
            "browser: slider -> chart updated, minimal app",
            "browser: slider -> chart updated, Penilaian (contoh, first pass, 5 new weightings)",
        ),
    ]
    for label, floor, ours in pairs:
        if floor in results and ours in results:
            print(f"ratio {label}: {results[ours] / results[floor]:.2f}x the minimal app")


def main() -> None:
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        results.update(bench_build(workdir))
        built = workdir / "again.duckdb"
        results.update(bench_queries(built))
        results.update(bench_resolver())
        results.update(bench_map_and_export(built))
        # AppTest in a child process so the page timings do not share caches with the above
        child = subprocess.run([sys.executable, __file__, "--pages", str(built)], capture_output=True, text=True)
        if child.returncode != 0:
            raise SystemExit(child.stderr)
        results.update(json.loads(child.stdout.strip().splitlines()[-1]))
        if "--no-browser" not in sys.argv:
            from benchmarks import browser  # needs Chromium; ./dev.sh bench installs it

            results.update(browser.measure(str(built)))
    info = machine()
    print("Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()))
    print("\n| measurement | median |\n|---|---:|")
    for name, value in results.items():
        shown = f"{value / 1024:.0f} KB" if name.startswith("bytes:") else f"{value * 1000:.1f} ms"
        print(f"| {name} | {shown} |")
    _print_ratios(results)
    out = PROJECT_DIR / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps({"machine": info, "seconds": results}, indent=2))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--pages":
        print(json.dumps(bench_pages(Path(sys.argv[2]))))
    else:
        main()
