"""Import throughput (not a test): a 1,000,000-row enrolment file, CSV and XLSX, through the
steward importer (read + validate in the reader process, store-aware checks, one batch), next to DuckDB's own
read_csv of the same CSV as the floor. Run: .venv/bin/python benchmarks/import_bench.py [ROWS] [csv|xlsx]
"""

from __future__ import annotations

import datetime as dt
import resource
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

import duckdb  # noqa: E402
import openpyxl  # noqa: E402

from analytics import regions, store  # noqa: E402
from analytics.importing import importer, reader_process  # noqa: E402

HEADER = ["Kabupaten/Kota", "Tahun Anggaran", "Tanggal Data", "Jumlah Peserta", "Bulan Cakupan", "Kategori Pekerja"]


def rows(count: int):
    """Unique (region, date, category) rows: 38 regions × 5 categories per day, from 2010-01-01
    (the first plausible date, analytics.plausible; 1,000,000 rows end in 2024)."""
    names = [r.nama for r in regions.load_regions()]
    start = dt.date(2010, 1, 1)
    for i in range(count):
        day = start + dt.timedelta(days=i // 190)
        yield [
            names[i % 38],
            day.year,
            day.strftime("%d/%m/%Y"),
            f"{1000 + i % 5000:,}".replace(",", "."),
            1 + i % 12,
            f"kategori {(i // 38) % 5}",
        ]


def write_csv(path: Path, count: int) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write(",".join(HEADER) + "\n")
        for row in rows(count):
            out.write(",".join(f'"{c}"' if "." in str(c) else str(c) for c in row) + "\n")


def write_xlsx(path: Path, count: int) -> None:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    sheet.append(HEADER)
    for row in rows(count):
        sheet.append(row)
    book.save(path)


def timed(label: str, func):
    start = time.perf_counter()
    value = func()
    seconds = time.perf_counter() - start
    print(f"| {label} | {seconds:,.1f} s |", flush=True)
    return value, seconds


def import_file(path: Path, db: Path, count: int) -> None:
    data = path.read_bytes()
    result, read_s = timed(
        f"{path.suffix[1:].upper()}: read + validate in the reader process ({path.stat().st_size / 2**20:.0f} MB)",
        lambda: reader_process.read_file(path.name, data),
    )
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20
    print(
        f"| {path.suffix[1:].upper()}: reader process peak memory (max RSS of the children so far) | {children:.2f} GiB |"
    )
    assert result.ok and len(result.rows) == count, result.problems[:3]
    plan, plan_s = timed(
        f"{path.suffix[1:].upper()}: store-aware checks (plan)", lambda: importer.plan(db, result, data)
    )
    _, commit_s = timed(
        f"{path.suffix[1:].upper()}: commit one batch (copy, insert, swap)",
        lambda: importer.commit(db, plan, source="benchmark", acknowledged=True),
    )
    total = read_s + plan_s + commit_s
    print(f"| {path.suffix[1:].upper()}: whole import | {total:,.1f} s ({count / total:,.0f} rows/s) |", flush=True)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    formats = sys.argv[2:] or ["csv", "xlsx"]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        csv_path, xlsx_path = work / "peserta.csv", work / "peserta.xlsx"
        timed(f"write {count:,} rows CSV (generator)", lambda: write_csv(csv_path, count))
        floor = duckdb.connect()
        timed(
            "DuckDB read_csv of the CSV into a table (floor)",
            lambda: floor.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [str(csv_path)]),
        )
        for path in [p for p in (csv_path, xlsx_path) if p.suffix[1:] in formats]:
            if path is xlsx_path:
                timed(f"write {count:,} rows XLSX (openpyxl write-only)", lambda: write_xlsx(xlsx_path, count))
            db = work / f"store_{path.suffix[1:]}.duckdb"
            store.build(db)
            import_file(path, db, count)
    print(
        f"peak memory of this process (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.1f} GiB"
    )


if __name__ == "__main__":
    main()
