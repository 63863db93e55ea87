"""Raw grids from the files stewards have: CSV (UTF-8 or Windows-1252, ',' ';' or tab) and XLSX.

A grid is a list of rows of cell values, row i being the spreadsheet's row i + 1, so messages can
name the row a steward sees. Hidden columns read as empty (stewards hide helper columns), and a
formula whose result was never saved is remembered so it is reported instead of guessed. XLSX is
read in openpyxl's streaming mode: a 1-million-row sheet must not need gigabytes of memory.
"""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

import openpyxl


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
    """Names of an XLSX file's sheets ([] for CSV or an unreadable file), for a sheet picker."""
    try:
        return [s.name for s in read_grid(file_name, data) if s.name]
    except Unreadable:
        return []


def _read_xlsx(data: bytes) -> list[Sheet]:
    try:
        values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        archive = zipfile.ZipFile(io.BytesIO(data))
        sheets = []
        for ws in values.worksheets:
            hidden = _hidden_columns(archive, ws._worksheet_path)
            rows = [[None if i in hidden else v for i, v in enumerate(row)] for row in ws.iter_rows(values_only=True)]
            sheets.append(Sheet(ws.title, rows, _uncached_formulas(formulas[ws.title], rows)))
    except Exception as exc:  # noqa: BLE001 — a damaged file fails anywhere inside openpyxl (zip, XML, keys)
        raise Unreadable(
            f"File Excel rusak atau bukan file .xlsx ({type(exc).__name__}). "
            "Buka di Excel dan simpan ulang sebagai .xlsx, atau ekspor ke .csv.",
            f"The Excel file is damaged or not an .xlsx file ({type(exc).__name__}). "
            "Open it in Excel and save it again as .xlsx, or export it to .csv.") from None
    return sheets


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _hidden_columns(archive: zipfile.ZipFile, sheet_path: str) -> set[int]:
    """0-based indices of hidden columns, from the sheet's <cols> block (before the cell data)."""
    hidden: set[int] = set()
    with archive.open(sheet_path.lstrip("/")) as stream:
        for _, element in ElementTree.iterparse(stream, events=("start",)):
            if element.tag == f"{_MAIN_NS}sheetData":
                break  # <cols> always precedes the data; stop before reading a million rows
            if element.tag == f"{_MAIN_NS}col" and element.get("hidden") in ("1", "true"):
                hidden.update(range(int(element.get("min")) - 1, int(element.get("max"))))
    return hidden


def _uncached_formulas(ws, rows: list[list]) -> set[tuple[int, int]]:
    """Cells holding a formula whose result was never saved (e.g. a file written by a script)."""
    found = set()
    for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
        for c, value in enumerate(row):
            if isinstance(value, str) and value.startswith("="):
                cached = rows[r - 1][c] if r <= len(rows) and c < len(rows[r - 1]) else None
                if cached is None:
                    found.add((r, c))
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
