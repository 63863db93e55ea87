"""Hostile files (not a test): time and peak memory to read or refuse each, and how much a read
slows the server's other work. Each case runs in a fresh process so its peak memory is its own.

Run: .venv/bin/python benchmarks/hostile_bench.py            (all cases, a Markdown table)
     .venv/bin/python benchmarks/hostile_bench.py CASE       (one case)
"""

from __future__ import annotations

import io
import resource
import statistics
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

import openpyxl  # noqa: E402
from openpyxl.styles import PatternFill  # noqa: E402

from analytics.importing import reader, reader_process  # noqa: E402
from analytics.importing.reading_limits import MAX_CELLS  # noqa: E402

HEADER = ["Kabupaten/Kota", "Tahun Anggaran", "Tanggal Data", "Jumlah Peserta", "Bulan Cakupan"]


def small_book() -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for i in range(40):
        sheet.append(["Kabupaten Jember", 2025, f"{1 + i % 28:02d}/{7 + i // 28:02d}/2025", 1000 + i, 6])
    return book


def saved(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def padded() -> bytes:
    """40 real rows and one empty styled cell at XFD1048576 (3.5 GB and rising with openpyxl's reader)."""
    book = small_book()
    book.active["XFD1048576"].fill = PatternFill("solid", fgColor="FFFF00")
    return saved(book)


def bomb(expanded: int) -> bytes:
    """The small book with its sheet XML padded by whitespace to `expanded` bytes."""
    source, out = zipfile.ZipFile(io.BytesIO(saved(small_book()))), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info.filename, source.read(info.filename))
                continue
            xml = source.read(info.filename)
            cut = xml.index(b"<sheetData>") + len(b"<sheetData>")
            with target.open(info.filename, "w", force_zip64=True) as part:
                part.write(xml[:cut])
                chunk = b" " * 2**24
                for _ in range((expanded - len(xml)) // len(chunk)):
                    part.write(chunk)
                part.write(xml[cut:])
    return out.getvalue()


def ones_csv(cells: int, width: int = 64) -> bytes:
    """A CSV of one-character cells: the most cells a file of its size can hold."""
    row = ",".join(["1"] * width) + "\n"
    return (row * (cells // width)).encode()


CASES = {
    "padded XFD1048576 (40 rows)": ("berkas.xlsx", padded),
    "zip bomb 1.25 GB": ("berkas.xlsx", lambda: bomb(1_250 * 2**20)),
    "zip bomb 8 GB": ("berkas.xlsx", lambda: bomb(8 * 2**30)),
    "CSV at the cell limit (2^24 cells)": ("berkas.csv", lambda: ones_csv(MAX_CELLS)),
    "CSV past the cell limit (2^24 + 64 cells)": ("berkas.csv", lambda: ones_csv(MAX_CELLS + 64)),
}


def run_case(name: str) -> None:
    file_name, make = CASES[name]
    data = make()
    start = time.perf_counter()
    result = reader.read_file(file_name, data)
    seconds = time.perf_counter() - start
    outcome = f"{len(result.rows)} rows" if result.ok else result.problems[0].message_en[:70] + "…"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"| {name} | {len(data) / 2**20:.2f} MB | {seconds:.2f} s | {peak:.0f} MB | {outcome} |")


def other_work_during(read) -> float:
    """Share of the idle rate a pure-Python loop in the main thread (another session's page) keeps
    for as long as `read` runs in a thread (the steward's session): the same 0.25 s counting loop
    idle and busy, so only the contention differs."""

    def bucket(seconds: float = 0.25) -> float:
        count, end = 0, time.perf_counter() + seconds
        while time.perf_counter() < end:
            count += 1
        return count / seconds

    idle = statistics.median(bucket() for _ in range(8))
    worker = threading.Thread(target=read)
    worker.start()
    busy = []
    while worker.is_alive():
        busy.append(bucket())
    return statistics.median(busy) / idle


def sessions() -> None:
    rows = 200_000
    data = (
        "\n".join(
            [",".join(HEADER + ["Kategori Pekerja"])]
            + [f"Kabupaten Jember,2025,{1 + i % 28:02d}/07/2025,{i},6,kelompok {i}" for i in range(rows)]
        )
        + "\n"
    ).encode()
    inline = other_work_during(lambda: reader.read_file("b.csv", data))
    child = other_work_during(lambda: reader_process.read_file("b.csv", data))
    print(f"| other work during a {rows:,}-row CSV read in a server thread | {inline:.0%} of idle |")
    print(f"| other work during the same read in the reader process | {child:.0%} of idle |")


def main() -> None:
    if len(sys.argv) > 1:
        return sessions() if sys.argv[1] == "sessions" else run_case(sys.argv[1])
    print("| file | size | read or refuse | peak RSS | outcome |\n|---|---:|---:|---:|---|", flush=True)
    for name in CASES:
        subprocess.run([sys.executable, __file__, name], check=True)
    print("\n| measurement | value |\n|---|---:|", flush=True)
    subprocess.run([sys.executable, __file__, "sessions"], check=True)


if __name__ == "__main__":
    main()
