"""How cost grows with the store: the same measures on `contoh` as shipped (1x) and on synthetic
stores about 10x and 100x its size.

The bigger stores are made from `contoh` itself, so every figure keeps the shape the pages expect:
- more years: the whole dataset copied and shifted back 5 years at a time (10x: 10 copies, 1977-2026;
  100x: 20 copies, 1927-2026), every id suffixed so rows stay distinct;
- more categories: for 100x, each per-category enrolment part split into 10 smaller categories whose
  counts add up to the original part (the report's total is unchanged, so no conflict is invented).
Monthly rows are monthly already.

The national case (514 kab/kota) is measured on the analytics only (`--national`): the boundaries,
the importer's name resolver and the store's checks know East Java's 38, so no page can show 514
regions. In a child process the region reference is swapped for 514 regions (the 38 and 476
invented copies of them, codes 39xx-87xx) and contoh's rows copied to each copy; ranking every
indicator is timed on that.

Measures: loading the dataset into DuckDB, reading it back, ranking every catalogue indicator for
the latest year (ranking.rank_all), and a page's first and warm AppTest run (every page whose cost
can grow with the data) in a child process per size so caches are not shared.

    .venv/bin/python benchmarks/growth_bench.py [--sizes 1,10,100] [--national]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from analytics import ranking, store  # noqa: E402
from views import _pages  # noqa: E402

SHAPES = {1: (1, 1), 10: (10, 1), 100: (20, 10)}  # size -> (year copies, category splits)
YEAR_COLUMNS = ("tahun_anggaran", "tahun")
ID_COLUMNS = ("obs_id", "laporan_id", "anggaran_id", "klaim_id", "denom_id", "penilaian_id")
PAGES = _pages.CHART_PAGES
NATIONAL = 514


def shifted(frame: pd.DataFrame, years: int, tag: str) -> pd.DataFrame:
    out = frame.copy()
    for column in YEAR_COLUMNS:
        if column in out:
            out[column] = out[column] - years
    if "tanggal_data" in out:
        out["tanggal_data"] = out["tanggal_data"] - pd.DateOffset(years=years)
    if "periode_cakupan" in out:
        out["periode_cakupan"] = out["periode_cakupan"].str.replace(
            r"(\d{4})", lambda m: str(int(m.group(1)) - years), regex=True
        )
    for column in ID_COLUMNS:
        if column in out:
            out[column] = out[column].astype("string") + tag
    return out


def split_categories(frame: pd.DataFrame, splits: int) -> pd.DataFrame:
    """Each per-category part ('bagian') as `splits` parts adding up to it; totals unchanged."""
    if splits == 1:
        return frame
    parts = frame[frame["peran"] == "bagian"]
    pieces = [frame[frame["peran"] != "bagian"]]
    for i in range(splits):
        piece = parts.copy()
        counts = piece["peserta"].astype("int64")
        piece["peserta"] = counts // splits + ((counts % splits) > i).astype("int64")
        piece["kategori_pekerja"] = piece["kategori_pekerja"].astype("string") + f" ({i + 1})"
        piece["obs_id"] = piece["obs_id"].astype("string") + f"-k{i}"
        pieces.append(piece)
    return pd.concat(pieces, ignore_index=True)


def scaled(tables: dict[str, pd.DataFrame], size: int) -> dict[str, pd.DataFrame]:
    copies, splits = SHAPES[size]
    out = {}
    for name, frame in tables.items():
        frame = frame.drop(columns=["batch_id"], errors="ignore")
        if name == "sumber":
            out[name] = frame
            continue
        if name == "kepesertaan":
            frame = split_categories(frame, splits)
        out[name] = pd.concat([shifted(frame, 5 * j, f"-t{j}" if j else "") for j in range(copies)], ignore_index=True)
    return out


def build_scaled(path: Path, size: int) -> dict:
    store.build(path)
    with store.reading(path) as con:
        contoh = store.read_tables(con, "contoh")
    tables = scaled(contoh, size)
    rows = sum(len(f) for n, f in tables.items() if n != "sumber")
    start = time.perf_counter()
    with store.writing(path) as con:
        store.load_dataset(con, "contoh", tables, description=f"contoh x{size} (benchmark)")
    load = time.perf_counter() - start
    return {"rows": rows, "years": int(tables["kepesertaan"]["tahun_anggaran"].nunique()), "load into DuckDB": load}


def measure_size(path: Path) -> dict:
    with store.reading(path) as con:
        samples = []
        for _ in range(3):
            start = time.perf_counter()
            tables = store.read_tables(con, "contoh")
            samples.append(time.perf_counter() - start)
    out = {"read tables": statistics.median(samples)}
    samples = []
    for _ in range(3):
        start = time.perf_counter()
        ranking.rank_all(tables, 2025, "2025-12-31")
        samples.append(time.perf_counter() - start)
    out["rank all indicators, 2025"] = statistics.median(samples)
    return out


def measure_pages(path: Path) -> dict:
    """In a child process: each page's first run and its warm rerun (median of 5) on `contoh`."""
    from streamlit.testing.v1 import AppTest

    os.environ["JAMSOS_DB"] = str(path)
    out = {}
    for page in PAGES:
        at = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=600)
        at.query_params["dataset"] = "contoh"
        at.run()
        at.switch_page("views/metodologi.py").run()  # the store read and the sidebar, not the page
        start = time.perf_counter()
        at.switch_page(page).run()
        first = time.perf_counter() - start
        assert not at.exception, at.exception
        warm = []
        for _ in range(5):
            start = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - start)
        name = page.split("/")[1].removesuffix(".py")
        out[f"{name} first run"], out[f"{name} warm rerun"] = first, statistics.median(warm)
    return out


def national_copies(tables: dict[str, pd.DataFrame], count: int) -> tuple[pd.DataFrame, dict]:
    """`count` regions (the 38, then copies of them with codes 39xx, 43xx, ...) and contoh's rows
    for every one of them (the province's own rows once)."""
    from analytics import regions

    base = regions.regions_frame()
    copies = -(-count // len(base))
    frames = []
    for j in range(copies):
        frame = base.copy()
        if j:
            frame["kode"] = [f"{35 + 4 * j}{k[2:]}" for k in frame["kode"]]
            frame["nama"] = frame["nama"] + f" ({j})"
            frame["nama_pendek"] = frame["nama_pendek"] + f" ({j})"
        frames.append(frame)
    reference = pd.concat(frames, ignore_index=True).head(count)
    out = {}
    for name, frame in tables.items():
        if "kode" not in frame or name == "sumber":
            out[name] = frame
            continue
        parts = [frame]
        for j in range(1, copies):
            part = frame.loc[frame["kode"] != regions.PROVINCE_CODE].copy()
            part["kode"] = part["kode"].str.slice(2).radd(str(35 + 4 * j))
            for column in ID_COLUMNS:
                if column in part:
                    part[column] = part[column].astype("string") + f"-n{j}"
            parts.append(part.loc[part["kode"].isin(reference["kode"])])
        out[name] = pd.concat(parts, ignore_index=True)
    return reference, out


def measure_national(path: Path) -> dict:
    """In a child process: analytics on 514 regions (the region reference swapped for this process)."""
    from analytics import metrics, regions

    with store.reading(path) as con:
        tables = store.read_tables(con, "contoh")
    reference, tables = national_copies(tables, NATIONAL)
    csv = path.with_name("regions514.csv")
    reference.to_csv(csv, index=False)
    regions.REGIONS_FILE = csv
    regions.load_regions.cache_clear()
    regions._regions_by_code.cache_clear()
    metrics._empty_template.cache_clear()
    assert len(regions.regions_frame()) == NATIONAL
    rows = sum(len(f) for n, f in tables.items() if n != "sumber")
    samples = []
    for _ in range(3):
        start = time.perf_counter()
        ranked = ranking.rank_all(tables, 2025, "2025-12-31")
        samples.append(time.perf_counter() - start)
    assert len(ranked["peserta_dbhcht"]) == NATIONAL
    return {"rows": rows, "rank all indicators, 2025": statistics.median(samples)}


def main() -> None:
    parser = argparse.ArgumentParser(description="cost of the same measures on contoh x1, x10, x100")
    parser.add_argument("--sizes", default="1,10,100")
    parser.add_argument("--national", action="store_true", help="also rank everything for 514 regions")
    args = parser.parse_args()
    results: dict[int, dict] = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            path = Path(folder) / f"x{size}.duckdb"
            row = build_scaled(path, size)
            row.update(measure_size(path))
            child = subprocess.run([sys.executable, __file__, "--pages", str(path)], capture_output=True, text=True)
            if child.returncode:
                raise SystemExit(child.stderr[-3000:])
            row.update(json.loads(child.stdout.strip().splitlines()[-1]))
            results[size] = row
            print(f"x{size}: {json.dumps(row)}", flush=True)
        if args.national:
            path = Path(folder) / "national.duckdb"
            store.build(path)
            child = subprocess.run(
                [sys.executable, __file__, "--national-child", str(path)], capture_output=True, text=True
            )
            if child.returncode:
                raise SystemExit(child.stderr[-3000:])
            national = json.loads(child.stdout.strip().splitlines()[-1])
            print(
                f"national, {NATIONAL} regions ({national['rows']:,} rows): rank all indicators, 2025 "
                f"{national['rank all indicators, 2025'] * 1000:,.0f} ms",
                flush=True,
            )
    names = [k for k in results[next(iter(results))] if k not in ("rows", "years")]
    print(
        "\n| measure | "
        + " | ".join(f"contoh x{s} ({r['rows']:,} rows, {r['years']} years)" for s, r in results.items())
        + " |"
    )
    print("|---|" + "---:|" * len(results))
    for name in names:
        print(f"| {name} | " + " | ".join(f"{r[name] * 1000:,.0f} ms" for r in results.values()) + " |")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--pages":
        print(json.dumps(measure_pages(Path(sys.argv[2]))))
    elif len(sys.argv) == 3 and sys.argv[1] == "--national-child":
        print(json.dumps(measure_national(Path(sys.argv[2]))))
    else:
        main()
