"""Raw grids from the files stewards have: CSV (UTF-8 or Windows-1252, ',' ';' or tab) and XLSX.

A grid is a list of rows of cell values, row i being the spreadsheet's row i + 1, so messages can
name the row a steward sees. Hidden columns read as empty (stewards hide helper columns), merged
cells carry their value into every cell they cover, percent-formatted numbers read as shown, and a
formula whose result was never saved is remembered so it is reported instead of guessed. XLSX is
read in openpyxl's streaming mode: a 1-million-row sheet must not need gigabytes of memory.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
import openpyxl
from openpyxl.utils.cell import column_index_from_string, range_boundaries


@dataclass
class Sheet:
    name: str | None  # None for CSV
    rows: list[list]  # raw cell values; rows[i] is spreadsheet row i + 1
    uncached: set[tuple[int, int]] = field(default_factory=set)  # (row, 0-based col) formulas without a value


class Unreadable(Exception):
    def __init__(self, message: str, message_en: str):
        super().__init__(message)
        self.message, self.message_en = message, message_en


def read_grid(file_name: str, data: bytes) -> list[Sheet]:
    """Every sheet of the file; Unreadable with a steward-facing message when it cannot be read."""
    if not data.strip():
        raise Unreadable("File kosong (0 baris). Pilih file yang berisi tabel data.",
                         "The file is empty. Choose a file that contains the data table.")
    suffix = file_name.lower().rsplit(".", 1)[-1] if "." in file_name else ""
    if suffix in ("xlsx", "xlsm") or data[:2] == b"PK":
        return _read_xlsx(data)
    if suffix == "xls" or data[:4] == b"\xd0\xcf\x11\xe0":  # the old binary (OLE) format
        raise Unreadable("Format .xls lama tidak didukung. Buka di Excel lalu simpan sebagai .xlsx atau .csv.",
                         "The old .xls format is not supported. Open it in Excel and save as .xlsx or .csv.")
    return [Sheet(None, _read_csv_rows(data))]


def sheet_names(file_name: str, data: bytes) -> list[str]:
    """Names of an XLSX file's sheets ([] for CSV or an unreadable file), for a sheet picker.
    Only the workbook index is read, not the cells."""
    if data[:2] != b"PK":
        return []
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True).sheetnames
    except Exception:  # noqa: BLE001 — a damaged file is reported by read_grid with its message
        return []


def _read_xlsx(data: bytes) -> list[Sheet]:
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        archive = zipfile.ZipFile(io.BytesIO(data))
        sheets = []
        for ws in book.worksheets:
            xml = archive.read(ws._worksheet_path.lstrip("/"))
            hidden = _hidden_columns(xml)
            rows = [[None if i in hidden else _shown_value(cell) for i, cell in enumerate(row)] for row in ws.iter_rows()]
            _fill_merged(rows, xml)
            sheets.append(Sheet(ws.title, rows, _uncached_formulas(xml)))
    except Exception as exc:  # noqa: BLE001 — a damaged file fails anywhere inside openpyxl (zip, XML, keys)
        raise Unreadable(
            f"File Excel rusak atau bukan file .xlsx ({type(exc).__name__}). "
            "Buka di Excel dan simpan ulang sebagai .xlsx, atau ekspor ke .csv.",
            f"The Excel file is damaged or not an .xlsx file ({type(exc).__name__}). "
            "Open it in Excel and save it again as .xlsx, or export it to .csv.") from None
    return sheets


def _shown_value(cell):
    """The value as the steward sees it: a number formatted as a percentage (0,2176 shown as
    21,76%) is read as 21.76, because that is what was typed and what the header means."""
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        return round(value * 100, 10)
    return value


# The sheet XML is scanned with byte regexes for what openpyxl's streaming reader does not give:
# hidden columns (<cols>, before the data), merged ranges (<mergeCells>, after the data) and
# formulas saved without a result. Scanning is C-speed even for a million rows.
_COL_RE = re.compile(rb"<col\b[^>]*>")
_ATTR_RE = re.compile(rb'(\w+)="([^"]*)"')
_MERGE_RE = re.compile(rb'<mergeCell\b[^>]*\bref="([A-Z]+\d+:[A-Z]+\d+)"')
_FORMULA_CELL_RE = re.compile(
    rb'<c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*>\s*(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)\s*(<v>[^<]*</v>)?')


def _hidden_columns(xml: bytes) -> set[int]:
    """0-based indices of hidden columns, from the <cols> block that precedes the cell data."""
    head = xml[: xml.find(b"<sheetData")]
    hidden: set[int] = set()
    for tag in _COL_RE.findall(head):
        attrs = dict(_ATTR_RE.findall(tag))
        if attrs.get(b"hidden") in (b"1", b"true"):
            hidden.update(range(int(attrs[b"min"]) - 1, int(attrs[b"max"])))
    return hidden


def _fill_merged(rows: list[list], xml: bytes) -> None:
    """Carry a vertically merged cell's value down its column, as the steward sees it (a date typed
    once in a cell merged over several rows belongs to each of those rows). Horizontal merges are
    left alone: a title or a note spread across columns is one value, not one per column."""
    tail = xml[xml.rfind(b"</sheetData>"):]
    for ref in _MERGE_RE.findall(tail):
        min_col, min_row, _, max_row = range_boundaries(ref.decode())
        if max_row == min_row or min_row > len(rows) or min_col > len(rows[min_row - 1]):
            continue
        value = rows[min_row - 1][min_col - 1]
        for r in range(min_row, min(max_row, len(rows))):
            row = rows[r]
            row.extend([None] * (min_col - len(row)))
            row[min_col - 1] = value


def _uncached_formulas(xml: bytes) -> set[tuple[int, int]]:
    """(row, 0-based column) of formulas whose result was never saved (e.g. a file written by a
    script): their value would read as empty, so they are reported instead."""
    found = set()
    for letters, row, cached in _FORMULA_CELL_RE.findall(xml):
        if not cached or cached == b"<v></v>":
            found.add((int(row), column_index_from_string(letters.decode()) - 1))
    return found


def _read_csv_rows(data: bytes) -> list[list]:
    text = _decode(data)
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))]


def _decode(data: bytes) -> str:
    # Excel on Indonesian Windows saves CSV as Windows-1252; everything else is UTF-8 (BOM optional).
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # cannot fail; odd bytes then show up in messages, not a traceback


def _sniff_delimiter(text: str) -> str:
    """';' (Excel with Indonesian locale), ',' or tab: the one that splits most lines the same way."""
    lines = [line for line in text[:200_000].splitlines()[:40] if line.strip()]

    def score(delim: str) -> tuple[int, int]:
        counts = [line.count(delim) for line in lines]
        modal = max(set(counts), key=counts.count) if counts else 0
        return (counts.count(modal) if modal else 0, modal)

    return max((";", ",", "\t"), key=score)
