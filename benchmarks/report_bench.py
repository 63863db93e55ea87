"""Printed-report time (not a test): Laporan wilayah (Kabupaten Jember) and Laporan provinsi of
publikasi 2025 as of 2025-07-31, from the tables to the PDF bytes. "Warm" is what a second click on
the page costs: the rankings and (on Profil) the trend frame the page has cached are reused
(Context.known, Context.trends), the kaleido server is running; the rest of the model, the charts
and the Chromium print are done again. "CLI" is the command line's warm cost: nothing handed over
but the rankings, so the region report computes its trend frame (nine indicators × the budget years).
Goal: < 5 s warm.

Run: .venv/bin/python benchmarks/report_bench.py [--db STORE.duckdb] [--repeat 3]
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from functools import partial
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from analytics import export, report_pages, reports  # noqa: E402
from benchmarks.common import arguments, dataset_tables, store_file  # noqa: E402

AS_OF = dt.date(2025, 7, 31)


def timed(build, page_cache: dict | None = None) -> tuple[float, float, float]:
    """(model, pdf, total) seconds of one report; `page_cache` keeps its trend frame as Profil does."""
    start = time.perf_counter()
    made = build()
    model = time.perf_counter() - start
    report_pages.pdf_bytes(made)
    total = time.perf_counter() - start
    if page_cache is not None and hasattr(made, "trends"):
        page_cache[(made.region.kode, made.years)] = made.trends
    return model, total - model, total


def _build(build, context):
    return build(context())


def main() -> None:
    args = arguments(repeat=3)
    with store_file(args.db) as db:
        tables = dataset_tables(db)
        print(
            "| report | cold total | warm model | warm PDF (charts + print) | warm total (median) |\n"
            "|---|---:|---:|---:|---:|"
        )
        region = lambda ctx: reports.region_report(ctx, "3509")  # noqa: E731
        for name, build, page in (
            ("Laporan wilayah (Jember), from Profil", region, True),
            ("Laporan wilayah (Jember), CLI", region, False),
            ("Laporan provinsi", reports.province_report, False),
        ):
            known: dict = {}  # the page's ranking cache, shared by the repeated clicks
            trends: dict = {}  # Profil's trend frame, filled by the first (cold) report
            context = partial(reports.Context, tables, "publikasi", 2025, AS_OF, known=known, trends=trends)
            runs = [timed(partial(_build, build, context), trends if page else None) for _ in range(args.repeat + 1)]
            warm = runs[1:]
            print(
                f"| {name} | {runs[0][2]:.2f} s | {statistics.median(r[0] for r in warm):.2f} s "
                f"| {statistics.median(r[1] for r in warm):.2f} s | {statistics.median(r[2] for r in warm):.2f} s |",
                flush=True,
            )
    export.stop_image_server()


if __name__ == "__main__":
    main()
