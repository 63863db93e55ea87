"""XLSX sheets read in bounded memory, whatever the file claims.

Two things make a small XLSX expensive: a zip part that inflates to gigabytes (a "zip bomb"), and
a sheet whose declared or real extent is huge (one empty styled cell at XFD1048576 makes
openpyxl's reader pad every row to 16,384 columns and produce 1,048,576 rows). So the archive's
parts are checked against size limits before anything is inflated, and the sheet XML is streamed
with openpyxl's own cell parser (shared strings, dates, booleans, inline strings as openpyxl reads
them) but kept sparse: only cells holding a value, or a formula, count; trailing empty rows and
columns never exist; the grid is refused once it would hold more than MAX_CELLS cells.

Formulas saved without a result are found from the parsed cells, so a namespace prefix
(`<x:c><x:f>`) or a cell without an `r` attribute does not hide them.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

import openpyxl
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._reader import COL_TAG, DATA_TAG, FORMULA_TAG, MERGE_TAG, ROW_TAG, WorkSheetParser
from openpyxl.xml.functions import iterparse

from analytics.fmt import number
from analytics.importing.reading_limits import MAX_CELLS, MAX_EXPANDED, MAX_PARTS, MAX_RATIO, RATIO_FLOOR, Unreadable

EXCEL_COLUMNS, EXCEL_ROWS = 16_384, 1_048_576  # a sheet can be no larger in Excel


@dataclass
class Sheet:
    """One sheet's grid, as analytics.importing.spreadsheet gives it for XLSX and CSV alike."""

    name: str | None  # None for CSV
    rows: list[list]  # raw cell values; rows[i] is spreadsheet row i + 1
    uncached: set[tuple[int, int]] = field(default_factory=set)  # (row, 0-based col) formulas without a value


def check_archive(data: bytes) -> zipfile.ZipFile:
    """The archive, once its parts are known to inflate to sizes a real workbook has.

    zipfile stops every part at its declared size (and fails the CRC if more follows), so checking
    the declared sizes bounds what openpyxl will ever inflate."""
    if data.count(b"PK\x01\x02") > MAX_PARTS:  # central-directory entries, counted before zipfile lists them
        raise _too_many_parts()
    archive = zipfile.ZipFile(io.BytesIO(data))
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise _too_many_parts()
    total = 0
    for part in parts:
        total += part.file_size
        ratio = part.file_size / max(part.compress_size, 1)
        if total > MAX_EXPANDED or (part.file_size > RATIO_FLOOR and ratio > MAX_RATIO):
            raise _bomb(part, total)
    return archive


def _bomb(part: zipfile.ZipInfo, total: int) -> Unreadable:
    mb = max(part.file_size, total) / 2**20
    ratio = part.file_size / max(part.compress_size, 1)
    return Unreadable(
        f"File Excel ini mengembang menjadi lebih dari {number(mb)} MB saat dibuka (bagian {part.filename!r}, "
        f"{number(ratio)}× ukurannya di dalam file). Batasnya "
        f"{number(MAX_EXPANDED / 2**20)} MB dan {MAX_RATIO}×: file seperti ini rusak atau sengaja dibuat. "
        "Buka di Excel, salin tabel datanya ke buku kerja baru dan simpan sebagai .xlsx, atau ekspor ke .csv.",
        f"This Excel file expands to more than {mb:,.0f} MB when opened (part {part.filename!r}, "
        f"{ratio:,.0f}× its size in the file). The limits are "
        f"{MAX_EXPANDED / 2**20:,.0f} MB and {MAX_RATIO}×: such a file is damaged or crafted. Open it in "
        "Excel, copy the data table into a new workbook and save it as .xlsx, or export it to .csv.",
    )


def _too_many_parts() -> Unreadable:
    return Unreadable(
        f"File Excel ini berisi lebih dari {number(MAX_PARTS)} bagian; buku kerja biasa berisi puluhan. "
        "Salin tabel datanya ke buku kerja baru, atau ekspor ke .csv.",
        f"This Excel file holds more than {MAX_PARTS:,} parts; a normal workbook holds dozens. "
        "Copy the data table into a new workbook, or export it to .csv.",
    )


INDEX_PART_LIMIT = 10 * 2**20  # the workbook index and package parts, read in the server's own process


def sheet_names(data: bytes) -> list[str]:
    """The sheets' names from the workbook index alone (no cells, no shared strings), in bounded
    memory: it runs in the server, not in the reader process."""
    for part in check_archive(data).infolist():
        read_here = part.filename.endswith((".rels", "workbook.xml", "[Content_Types].xml"))
        if read_here and part.file_size > INDEX_PART_LIMIT:
            raise _bomb(part, part.file_size)
    reader = ExcelReader(io.BytesIO(data), read_only=True, keep_links=False)
    reader.read_manifest()
    reader.read_workbook()
    return [sheet.name for sheet, _ in reader.parser.find_sheets()]


def read_sheets(data: bytes, shown_value) -> list[Sheet]:
    """Every worksheet as a sparse-then-trimmed grid. `shown_value(value, is_percent)` turns a
    parsed value into what the steward sees."""
    check_archive(data)
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    percent = _percent_styles(book)
    budget = [MAX_CELLS]  # shared by all sheets of the file
    return [_read_sheet(book, ws, percent, shown_value, budget) for ws in book.worksheets]


def _percent_styles(book) -> set[int]:
    """Style ids whose number format shows a percentage (0,2176 shown as 21,76%)."""
    found = set()
    for style_id, style in enumerate(book._cell_styles):
        number_id = style.numFmtId
        code = (
            BUILTIN_FORMATS.get(number_id, "General")
            if number_id < BUILTIN_FORMATS_MAX_SIZE
            else book._number_formats[number_id - BUILTIN_FORMATS_MAX_SIZE]
        )
        if "%" in code:
            found.add(style_id)
    return found


class _SparseParser(WorkSheetParser):
    """openpyxl's cell parser, driven row by row with finished rows dropped from the XML tree,
    remembering hidden columns, vertical merges and formulas without a saved result."""

    def __init__(self, source, book, shared_strings):
        super().__init__(
            source,
            shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        self.hidden: set[int] = set()  # 1-based columns
        self.merges: list[str] = []
        self.formulas: list[int] = []  # 1-based columns of this row's formulas without a saved result

    def parse_row(self, row):
        self.formulas = []
        return super().parse_row(row)

    def parse_cell(self, element):
        cell = super().parse_cell(element)
        if cell["value"] is None and element.find(FORMULA_TAG) is not None:
            self.formulas.append(cell["column"])
        return cell

    def rows(self) -> Iterator[tuple[int, list[dict]]]:
        data = None
        for event, element in iterparse(self.source, events=("start", "end")):
            if event == "start":
                data = element if element.tag == DATA_TAG else data
            elif element.tag == ROW_TAG:
                yield self.parse_row(element)
                if data is not None:
                    data.clear()  # the finished rows, or a million empty elements stay in memory
            elif element.tag == COL_TAG:
                self._column(element)
            elif element.tag == MERGE_TAG:
                self.merges = [m.get("ref") for m in element if m.get("ref")]
                element.clear()

    def _column(self, element) -> None:
        if element.get("hidden") in ("1", "true"):
            low = max(1, int(element.get("min", 1)))
            high = min(EXCEL_COLUMNS, int(element.get("max", low)))
            self.hidden.update(range(low, high + 1))


def _read_sheet(book, ws, percent: set[int], shown_value, budget: list[int]) -> Sheet:
    with book._archive.open(ws._worksheet_path.lstrip("/")) as source:
        parser = _SparseParser(source, book, ws._shared_strings)
        rows: list[list] = []
        uncached: set[tuple[int, int]] = set()
        for row_number, cells in parser.rows():
            kept = {
                c["column"]: shown_value(c["value"], c["style_id"] in percent)
                for c in cells
                if c["column"] not in parser.hidden and c["value"] not in (None, "")
            }
            for col in parser.formulas:  # an uncached formula keeps its cell, to be reported
                if col not in parser.hidden:
                    kept.setdefault(col, None)
                    uncached.add((row_number, col - 1))
            if kept:
                _place(rows, row_number, kept, budget, ws.title)
    _fill_merged(rows, parser.merges, budget, ws.title)
    return Sheet(ws.title, rows, uncached)


def _place(rows: list[list], number: int, cells: dict[int, object], budget: list[int], title: str) -> None:
    """Put one row's cells at row `number` (1-based), padding only up to its last used column."""
    width = max(cells)
    if number > EXCEL_ROWS or width > EXCEL_COLUMNS:
        raise too_big(title)
    missing = number - len(rows)
    _spend(budget, max(missing - 1, 0) + width, title)
    rows.extend([] for _ in range(max(missing, 0)))
    row = rows[number - 1]  # a row repeated in the XML is merged into the first one
    if len(row) < width:
        row.extend([None] * (width - len(row)))
    for col, value in cells.items():
        row[col - 1] = value


def _fill_merged(rows: list[list], refs: list[str], budget: list[int], title: str) -> None:
    """Carry a vertically merged cell's value down its column, as the steward sees it (a date typed
    once in a cell merged over several rows belongs to each of those rows). Horizontal merges are
    left alone: a title or a note spread across columns is one value, not one per column."""
    for ref in refs:
        try:
            min_col, min_row, _, max_row = range_boundaries(ref)
        except (TypeError, ValueError):
            continue
        if max_row == min_row or min_row > len(rows) or min_col > len(rows[min_row - 1]):
            continue
        value = rows[min_row - 1][min_col - 1]
        last = min(max_row, len(rows))
        _spend(budget, last - min_row, title)
        for r in range(min_row, last):
            row = rows[r]
            row.extend([None] * (min_col - len(row)))
            row[min_col - 1] = value


def _spend(budget: list[int], cells: int, title: str) -> None:
    budget[0] -= cells
    if budget[0] < 0:
        raise too_big(title)


def too_big(title: str | None) -> Unreadable:
    """A grid past MAX_CELLS (or Excel's limits): the sheet's, or for a CSV (no title) the file's."""
    sheet = title is not None
    what, what_en = (f"Sheet {title!r}", f"Sheet {title!r}") if sheet else ("File", "The file")
    excel, excel_en = (" atau di luar batas Excel", " or beyond Excel's limits") if sheet else ("", "")
    return Unreadable(
        f"{what} terlalu besar untuk dibaca: lebih dari {number(MAX_CELLS)} sel terisi (baris × kolom terpakai)"
        f"{excel}. Pecah data menjadi beberapa file, atau hapus baris dan kolom yang tidak dipakai.",
        f"{what_en} is too large to read: more than {MAX_CELLS:,} used cells (rows × used columns)"
        f"{excel_en}. Split the data into several files, or delete unused rows and columns.",
    )
