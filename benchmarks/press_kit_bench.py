"""Press-kit ZIP time (not a test): the ranking bars and the map of publikasi 2025, each kit holding
four PNG sizes, SVG, PDF, the data files, caption and alt text. Goal: < 3 s warm.

Run: .venv/bin/python benchmarks/press_kit_bench.py [--db STORE.duckdb] [--repeat 5]
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from analytics import charts, export, map_shapes, maps, metrics, press_kit, ranking  # noqa: E402
from benchmarks.common import arguments, dataset_tables, store_file  # noqa: E402

AS_OF = dt.date(2025, 7, 31)


def figures(db: Path):
    tables = dataset_tables(db)
    indicator = metrics.catalogue()["peserta_dbhcht"]
    table = ranking.cited_ranking(tables, indicator.id, 2025, AS_OF)
    ranked, _ = ranking.split_ranked(table)
    common = dict(title=indicator.title("id"), subtitle="TA 2025, per 31 Juli 2025", source="Sumber: berita Pemda")
    bars = charts.ranking_bar(ranked, indicator, lang="id", **common)
    the_map = maps.map_figure(table, indicator, map_shapes.shapes_for("peta"), lang="id", **common)
    meta = export.ExportMeta(dataset="publikasi", indicator_id=indicator.id, year=2025, as_of=AS_OF, **common)
    data = ranking.export_frame(table, indicator)
    return [(name, fig, data, meta) for name, fig in (("ranking bars", bars), ("map", the_map))]


def main() -> None:
    args = arguments(repeat=5)
    with store_file(args.db) as db:
        print("| press kit | cold | warm (median) |\n|---|---:|---:|")
        for name, fig, data, meta in figures(db):
            times = []
            for _ in range(args.repeat + 1):
                start = time.perf_counter()
                press_kit.zip_bytes(fig, data, meta)
                times.append(time.perf_counter() - start)
            print(f"| {name} | {times[0]:.2f} s | {statistics.median(times[1:]):.2f} s |", flush=True)
    export.stop_image_server()


if __name__ == "__main__":
    main()
