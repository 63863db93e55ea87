"""Reading stewards' real spreadsheets (CSV, XLSX) into the `kepesertaan` table, with row-level problems.

Real files are not templates: title rows sit above the header, a "No" column and empty columns
appear, a JUMLAH/TOTAL row closes the table, numbers are Indonesian text ("18.000", "Rp 1,2 miliar")
and regions are spelled every way. This module finds the header, maps the columns, parses every
cell and reports what is wrong as `Problem`s naming file, sheet, the spreadsheet's own 1-based
row number and the column, in Indonesian and English. Errors block an import; warnings do not.

Cell text is data, never a formula: XLSX files are read with data_only=True (cached values), and a
formula without a cached value is reported instead of guessed. Nothing here imports streamlit.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd

from analytics import regions
from analytics.store import FACT_TABLES

KIND = "kepesertaan"
COLUMNS = [col for col, _ in FACT_TABLES[KIND]]
REQUIRED = ("kode", "peserta", "tanggal_data")
BUILTIN_DEFAULTS = {"jenis_angka": "realisasi", "sumber_dana": "dbhcht"}
HEADER_SEARCH_ROWS = 30  # title blocks are a few rows; a header further down is not a header
_NO = "_no"  # the running-number column: recognised so it is not mistaken for data


@dataclass(frozen=True)
class Problem:
    file: str
    sheet: str | None
    row: int | None
    column: str | None
    level: str  # 'error' | 'warning'
    message: str  # Indonesian, says what is wrong and how to fix it
    message_en: str

    def where(self) -> str:
        """'file, sheet X, baris 5, kolom "Peserta"' — the location as a steward reads it."""
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"baris {self.row}")
        if self.column:
            parts.append(f'kolom "{self.column}"')
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.where()}: {self.message}"


@dataclass
class ReadResult:
    kind: str
    file: str
    sheet: str | None
    header_row: int | None
    mapping: dict[str, str]  # source header text -> schema column
    rows: pd.DataFrame  # schema columns (all str, '' = empty) plus `baris` (source row number)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.level == "error" for p in self.problems)


class ParseError(ValueError):
    """A ValueError carrying an English message next to the Indonesian one."""

    def __init__(self, message: str, message_en: str):
        super().__init__(message)
        self.message, self.message_en = message, message_en


# --------------------------------------------------------------------------- numbers

_SCALES = {"triliun": 1e12, "t": 1e12, "miliar": 1e9, "milyar": 1e9, "m": 1e9,
           "juta": 1e6, "jt": 1e6, "ribu": 1e3, "rb": 1e3}
_SCALE_RE = re.compile(r"^(.*?\d)\s*(triliun|miliar|milyar|juta|ribu|jt|rb|t|m)\.?$", re.IGNORECASE)
_RP_RE = re.compile(r"^rp\.?\s*", re.IGNORECASE)
_DIGITS_RE = re.compile(r"^\d[\d.,]*$")


def parse_number(value) -> float | None:
    """A number from an Excel cell or Indonesian text; None when empty; ParseError otherwise.

    '.' is the thousands separator and ',' the decimal comma (Indonesian), but English-style
    '1,234,567.5' is read too. A single ',' before exactly three digits ('24,250') could be
    either, so it is refused rather than guessed.
    """
    if isinstance(value, bool):  # bool is an int subclass; TRUE in a count column is a mistake
        raise _not_a_number(value)
    if isinstance(value, (int, float)):
        return None if isinstance(value, float) and math.isnan(value) else value
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    text = _RP_RE.sub("", text).rstrip("%").strip()
    if not text:
        return None
    scale = 1.0
    if match := _SCALE_RE.match(text):
        text, scale = match.group(1), _SCALES[match.group(2).lower()]
    text = "".join(text.split())  # "1 234" and NBSP groupings
    sign = -1.0 if text.startswith("-") else 1.0
    body = text.lstrip("+-")
    if not _DIGITS_RE.match(body) or body[-1] in ".,":
        raise _not_a_number(value)
    return sign * _digits_to_float(body, value) * scale


def _digits_to_float(body: str, original) -> float:
    dots, commas = body.count("."), body.count(",")
    if dots and commas:  # both present: the last one is the decimal mark
        decimal = "." if body.rfind(".") > body.rfind(",") else ","
        whole, frac = body.rsplit(decimal, 1)
        thousands = "," if decimal == "." else "."
        if decimal in whole or thousands in frac:
            raise _not_a_number(original)
        return float(_ungroup(whole, thousands, original) + "." + frac)
    if not (dots or commas):
        return float(body)
    sep = "." if dots else ","
    if body.count(sep) > 1:  # "1.234.567" or "1,234,567": only a thousands separator repeats
        return float(_ungroup(body, sep, original))
    whole, frac = body.split(sep)
    if len(frac) == 3 and whole != "0":
        if sep == ",":
            raise ParseError(
                f'Angka "{original}" ambigu: bisa {whole}{sep}{frac} desimal atau {whole}{frac} ribuan. '
                f'Tulis "{whole}.{frac}" untuk ribuan atau "{whole},{frac.rstrip("0") or "0"}" untuk desimal.',
                f'The number "{original}" is ambiguous: a decimal comma or a thousands separator. '
                f'Write "{whole}.{frac}" for thousands or "{whole},{frac.rstrip("0") or "0"}" for a decimal.')
        return float(whole + frac)  # Indonesian "18.000"
    return float(f"{whole}.{frac}")


def _ungroup(text: str, sep: str, original) -> str:
    groups = text.split(sep)
    if not (1 <= len(groups[0]) <= 3) or any(len(g) != 3 for g in groups[1:]):
        raise _not_a_number(original)
    return "".join(groups)


def _not_a_number(value) -> ParseError:
    return ParseError(
        f'"{value}" bukan angka. Tulis angka saja, mis. "18.000", "1.234,5" atau "Rp 1,2 miliar".',
        f'"{value}" is not a number. Enter a number only, e.g. "18.000", "1.234,5" or "Rp 1,2 miliar".')


# --------------------------------------------------------------------------- dates

_MONTHS = {
    "januari": 1, "februari": 2, "pebruari": 2, "maret": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "agustus": 8, "september": 9, "oktober": 10, "nopember": 11, "november": 11, "desember": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8,
    "october": 10, "december": 12,
    "jan": 1, "feb": 2, "peb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "agu": 8, "agt": 8, "ags": 8,
    "aug": 8, "sep": 9, "sept": 9, "okt": 10, "oct": 10, "nov": 11, "nop": 11, "des": 12, "dec": 12,
}
_DMY_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]*)?$")
_NAMED_RE = re.compile(r"^(\d{1,2})[\s.-]+([a-z]+)\.?[\s.,-]+(\d{4})$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0, accounting for its 1900 leap-year bug


def parse_date(value) -> dt.date:
    """A date from a datetime, an Excel serial number or text (dd/mm/yyyy, '10 Juli 2025', ISO)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_serial(value)
    text = " ".join(str(value or "").split()).lower()
    if match := _DMY_RE.match(text):
        day, month, year = map(int, match.groups())
    elif match := _ISO_RE.match(text):
        year, month, day = map(int, match.groups())
    elif (match := _NAMED_RE.match(text)) and match.group(2) in _MONTHS:
        day, month, year = int(match.group(1)), _MONTHS[match.group(2)], int(match.group(3))
    else:
        raise ParseError(
            f'"{value}" bukan tanggal yang dikenali. Tulis mis. "10/07/2025" (hari/bulan/tahun) atau "10 Juli 2025".',
            f'"{value}" is not a recognised date. Write e.g. "10/07/2025" (day/month/year) or "10 Juli 2025".')
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ParseError(
            f'Tanggal "{value}" tidak ada di kalender (hari {day}, bulan {month}, tahun {year}). '
            "Periksa hari dan bulan; urutannya hari/bulan/tahun.",
            f'The date "{value}" does not exist (day {day}, month {month}, year {year}). '
            "Check day and month; the order is day/month/year.") from None


def _from_serial(number: float) -> dt.date:
    if not 1 <= number < 2958466:  # Excel's valid range: 1900-01-01 .. 9999-12-31
        raise ParseError(f'Angka {number} bukan tanggal Excel yang sah.', f"{number} is not a valid Excel date.")
    return _EXCEL_EPOCH + dt.timedelta(days=int(number))


# --------------------------------------------------------------------------- reading the grid


@dataclass
class _Sheet:
    name: str | None  # None for CSV
    rows: list[list]  # raw cell values; rows[i] is spreadsheet row i + 1
    uncached: set[tuple[int, int]] = field(default_factory=set)  # (row, col index) formulas without a value


class _Unreadable(Exception):
    def __init__(self, message: str, message_en: str):
        super().__init__(message)
        self.message, self.message_en = message, message_en


def _read_grid(path: Path, data: bytes) -> list[_Sheet]:
    if not data.strip():
        raise _Unreadable("File kosong (0 baris). Pilih file yang berisi tabel data.",
                          "The file is empty. Choose a file that contains the data table.")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm") or data[:2] == b"PK":
        return _read_xlsx(data)
    if suffix == ".xls":
        raise _Unreadable("Format .xls lama tidak didukung. Buka di Excel lalu simpan sebagai .xlsx atau .csv.",
                          "The old .xls format is not supported. Open it in Excel and save as .xlsx or .csv.")
    return [_Sheet(None, _read_csv_rows(data))]


def _read_xlsx(data: bytes) -> list[_Sheet]:
    try:
        values = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # noqa: BLE001 — a damaged file fails anywhere inside openpyxl (zip, XML, keys)
        raise _Unreadable(
            f"File Excel rusak atau bukan file .xlsx ({type(exc).__name__}). "
            "Buka di Excel dan simpan ulang sebagai .xlsx, atau ekspor ke .csv.",
            f"The Excel file is damaged or not an .xlsx file ({type(exc).__name__}). "
            "Open it in Excel and save it again as .xlsx, or export it to .csv.") from None
    sheets = []
    for ws in values.worksheets:
        hidden = _hidden_columns(ws)
        rows = [[None if i in hidden else v for i, v in enumerate(row)] for row in ws.iter_rows(values_only=True)]
        sheets.append(_Sheet(ws.title, rows, _uncached_formulas(formulas[ws.title], rows)))
    return sheets


def _hidden_columns(ws) -> set[int]:
    """0-based indices of hidden columns: stewards hide helper columns that are not data."""
    hidden = set()
    for dim in ws.column_dimensions.values():
        if dim.hidden and dim.min and dim.max:
            hidden.update(range(dim.min - 1, dim.max))
    return hidden


def _uncached_formulas(ws, rows: list[list]) -> set[tuple[int, int]]:
    """Cells holding a formula whose result was never saved (e.g. a file written by a script)."""
    found = set()
    for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
        for c, value in enumerate(row):
            cached = rows[r - 1][c] if r <= len(rows) and c < len(rows[r - 1]) else None
            if isinstance(value, str) and value.startswith("=") and cached is None:
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
    lines = [line for line in text.splitlines()[:40] if line.strip()]

    def score(delim: str) -> tuple[int, int]:
        counts = [line.count(delim) for line in lines]
        modal = max(set(counts), key=counts.count) if counts else 0
        return (counts.count(modal) if modal else 0, modal)

    return max((";", ",", "\t"), key=score)


# --------------------------------------------------------------------------- header and columns

_HEADER_EXAMPLES = {
    "kode": ('"Kabupaten/Kota"', '"Wilayah"', '"Kab/Kota"', '"Kode"'),
    "peserta": ('"Jumlah Peserta"', '"Peserta"', '"Jml. Pekerja Rentan"'),
    "tanggal_data": ('"Tanggal Data"', '"Tanggal"', '"Tgl"'),
}


def _words(value) -> list[str]:
    text = unicodedata.normalize("NFKD", str(value or "")).casefold()
    return re.findall(r"[a-z0-9]+", text)


def _column_for(header) -> str | None:
    """The schema column a header names, or None. Order matters: specific words before general ones."""
    w = _words(header)
    s = set(w)
    if not w or len(w) > 8:  # long cells are titles or notes, not headers
        return None
    if s <= {"no", "nomor", "urut", "nmr"}:
        return _NO
    rules = [
        ("kategori_pekerja", bool(s & {"kategori", "sektor", "kelompok"}) or {"jenis", "pekerja"} <= s),
        ("bulan_cakupan", "bulan" in s),
        ("sumber_dana", bool(s & {"sumber", "dana", "pendanaan"})),
        ("jenis_angka", "jenis" in s),
        ("tanggal_data", bool(s & {"tanggal", "tgl", "date"})),
        ("tahun_anggaran", bool(s & {"tahun", "thn", "ta", "year"})),
        ("alasan", bool(s & {"keterangan", "ket", "catatan", "alasan", "note", "notes"})),
        ("peserta", bool(s & {"peserta", "pekerja", "participants"}) or w in (["jumlah"], ["jml"])),
        ("kode", bool(s & {"wilayah", "kabupaten", "kota", "kab", "kode", "daerah", "region", "kabkota"})),
    ]
    return next((col for col, hit in rules if hit), None)


def _map_header(cells: list) -> dict[int, str]:
    """column index -> schema column; the first column naming a field wins, later ones are ignored."""
    mapping: dict[int, str] = {}
    for index, cell in enumerate(cells):
        col = _column_for(cell) if isinstance(cell, str) else None
        if col and (col not in mapping.values() or col == _NO):
            mapping[index] = col
    return mapping


def _header_score(mapping: dict[int, str]) -> tuple[int, int]:
    fields = set(mapping.values()) - {_NO}
    return (len(fields & set(REQUIRED)), len(fields))


def _find_header(sheet: _Sheet) -> tuple[int | None, dict[int, str], tuple[int, int]]:
    """(0-based header row, mapping, score) of the best-matching row among the first rows."""
    best: tuple[int | None, dict[int, str], tuple[int, int]] = (None, {}, (0, 0))
    for index, cells in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        mapping = _map_header(cells)
        if _header_score(mapping) > best[2]:  # strict: the earliest of equal rows wins
            best = (index, mapping, _header_score(mapping))
    return best


# --------------------------------------------------------------------------- field parsers


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""


def _text(value) -> str:
    return "" if _is_empty(value) else " ".join(str(value).split())


def _parse_kode(value) -> str:
    res = regions.resolve(value)
    if res.status != "ok":
        raise ParseError(res.message, res.message_en)
    return res.kode


def _parse_count(value, what: str, what_en: str) -> int:
    number = parse_number(value)
    if number is None:
        raise ParseError(f"{what} kosong.", f"{what_en} is empty.")
    if number < 0:
        raise ParseError(f'{what} negatif ("{value}"). Isi jumlah 0 atau lebih.',
                         f'{what_en} is negative ("{value}"). Enter 0 or more.')
    if not float(number).is_integer():
        raise ParseError(f'{what} harus bilangan bulat, bukan "{value}".',
                         f'{what_en} must be a whole number, not "{value}".')
    return int(number)


def _parse_peserta(value) -> str:
    return str(_parse_count(value, "Jumlah peserta", "The number of participants"))


def _parse_bulan(value) -> str:
    months = _parse_count(value, "Bulan cakupan", "Months covered")
    if not 1 <= months <= 12:
        raise ParseError(f"Bulan cakupan {months} di luar 1–12. Isi jumlah bulan iuran dalam satu tahun anggaran (1–12).",
                         f"Months covered {months} is outside 1–12. Enter the months of contributions in one budget year (1–12).")
    return str(months)


def _parse_tahun(value) -> str:
    year = parse_number(value)
    if year is None or not float(year).is_integer() or not 2000 <= year <= 2100:
        raise ParseError(f'Tahun anggaran "{value}" tidak sah. Tulis tahun empat angka, mis. 2025.',
                         f'Budget year "{value}" is not valid. Write a four-digit year, e.g. 2025.')
    return str(int(year))


def _choice(options: dict[str, str], label: str, label_en: str):
    def parse(value) -> str:
        key = "".join(_words(value))
        if key in options:
            return options[key]
        allowed = ", ".join(sorted(set(options.values())))
        raise ParseError(f'{label} "{value}" tidak dikenali. Pilih salah satu: {allowed}.',
                         f'{label_en} "{value}" is not recognised. Choose one of: {allowed}.')
    return parse


_parse_jenis = _choice({"realisasi": "realisasi", "target": "target", "rencana": "rencana"},
                       "Jenis angka", "Figure type")
_parse_sumber = _choice({"dbhcht": "dbhcht", "apbd": "apbd", "campuran": "campuran",
                         "tidakdisebut": "tidak_disebut"}, "Sumber dana", "Funding source")


def _parse_tanggal(value) -> str:
    if _is_empty(value):
        raise ParseError("Tanggal data kosong. Isi tanggal angka ini, mis. 10/07/2025.",
                         "The data date is empty. Enter the date of this figure, e.g. 10/07/2025.")
    return parse_date(value).isoformat()


_PARSERS = {
    "kode": _parse_kode, "peserta": _parse_peserta, "tanggal_data": _parse_tanggal,
    "tahun_anggaran": _parse_tahun, "bulan_cakupan": _parse_bulan, "jenis_angka": _parse_jenis,
    "sumber_dana": _parse_sumber, "kategori_pekerja": _text, "alasan": _text,
}
_OPTIONAL_EMPTY_OK = {"bulan_cakupan", "kategori_pekerja", "alasan", "tahun_anggaran"}


# --------------------------------------------------------------------------- reading one file


@dataclass
class _Context:
    file: str
    sheet: str | None
    headers: dict[str, str]  # schema column -> source header text
    problems: list[Problem] = field(default_factory=list)

    def add(self, level: str, row: int | None, column: str | None, message: str, message_en: str) -> None:
        header = self.headers.get(column, column) if column else None
        self.problems.append(Problem(self.file, self.sheet, row, header, level, message, message_en))


def read_enrolment(path: Path, sheet: str | None = None, defaults: dict | None = None) -> ReadResult:
    """Read one steward file into `kepesertaan` rows plus problems; never raises for bad content."""
    path = Path(path)
    empty = ReadResult(KIND, path.name, sheet, None, {}, _frame([]), [])
    try:
        data = path.read_bytes()
        sheets = _read_grid(path, data)
    except (_Unreadable, OSError) as exc:
        message = getattr(exc, "message", f"File tidak dapat dibaca: {exc}")
        message_en = getattr(exc, "message_en", f"The file cannot be read: {exc}")
        empty.problems.append(Problem(path.name, sheet, None, None, "error", message, message_en))
        return empty
    chosen = _choose_sheet(sheets, sheet)
    if chosen is None:
        names = ", ".join(s.name for s in sheets if s.name)
        empty.problems.append(Problem(path.name, sheet, None, None, "error",
                                      f'Sheet "{sheet}" tidak ada. Sheet yang ada: {names}.',
                                      f'There is no sheet "{sheet}". Sheets in the file: {names}.'))
        return empty
    return _read_sheet(path.name, data, chosen, {**BUILTIN_DEFAULTS, **(defaults or {})})


def _choose_sheet(sheets: list[_Sheet], name: str | None) -> _Sheet | None:
    if name is not None:
        return next((s for s in sheets if s.name == name), None)
    # The sheet whose header matches best; on a tie the first (stewards put the data first).
    return max(sheets, key=lambda s: _find_header(s)[2])


def _read_sheet(file: str, data: bytes, sheet: _Sheet, defaults: dict) -> ReadResult:
    header_index, mapping, _ = _find_header(sheet)
    header_cells = sheet.rows[header_index] if header_index is not None else []
    headers = {col: str(header_cells[i]).strip() for i, col in mapping.items() if col != _NO}
    ctx = _Context(file, sheet.name, headers)
    header_row = None if header_index is None else header_index + 1
    result = ReadResult(KIND, file, sheet.name, header_row, {v: k for k, v in headers.items()}, _frame([]), ctx.problems)
    if not _check_required(ctx, mapping, header_cells, header_row, defaults):
        return result
    records = _read_records(ctx, sheet, header_index, mapping, defaults, hashlib.sha256(data).hexdigest()[:10])
    _check_duplicates(ctx, records)
    if not records:
        ctx.add("error", None, None,
                f"Tidak ada baris data di bawah header (baris {header_row}). Isi minimal satu baris wilayah.",
                f"There are no data rows below the header (row {header_row}). Enter at least one region row.")
    result.rows = _frame(records)
    return result


def _check_required(ctx: _Context, mapping: dict[int, str], header_cells: list, header_row, defaults) -> bool:
    found = set(mapping.values())
    missing = [col for col in REQUIRED if col not in found and not defaults.get(col)]
    if not missing:
        return True
    wanted = "; ".join(f"{col} (mis. {', '.join(_HEADER_EXAMPLES[col])})" for col in missing)
    wanted_en = "; ".join(f"{col} (e.g. {', '.join(_HEADER_EXAMPLES[col])})" for col in missing)
    seen = ", ".join(f'"{c}"' for c in header_cells if not _is_empty(c)) or "-"
    recognised = ", ".join(f'"{h}" → {col}' for col, h in ctx.headers.items()) or "-"
    where = f"baris {header_row}" if header_row else "tidak ditemukan"
    ctx.add("error", header_row, None,
            f"Kolom wajib tidak ditemukan: {wanted}. Header ({where}): {seen}. Dikenali: {recognised}. "
            "Ganti nama kolom header agar sesuai.",
            f"Required columns not found: {wanted_en}. Header (row {header_row}): {seen}. "
            f"Recognised: {recognised}. Rename the header cells to match.")
    return False


_TOTAL_RE = re.compile(r"^(jumlah|total|grand total)\b")


def _total_label(cells: list, mapping: dict[int, str]) -> bool:
    """A JUMLAH/TOTAL row: the label sits in the region column or an unmapped/"No" column."""
    label_columns = [i for i in range(len(cells)) if mapping.get(i) in (None, _NO, "kode")]
    return any(isinstance(cells[i], str) and _TOTAL_RE.match(" ".join(_words(cells[i]))) for i in label_columns)


def _read_records(ctx: _Context, sheet: _Sheet, header_index: int, mapping: dict[int, str],
                  defaults: dict, digest: str) -> list[dict]:
    records: list[dict] = []
    peserta_ok = True
    for index in range(header_index + 1, len(sheet.rows)):
        cells, row = sheet.rows[index], index + 1
        if all(_is_empty(cells[i]) for i, col in mapping.items() if col != _NO and i < len(cells)):
            continue  # blank line, or a pre-numbered template row
        if _total_label(cells, mapping):
            _check_total(ctx, row, _cell(cells, mapping, "peserta"), records, peserta_ok)
            _warn_rows_after(ctx, sheet, index)
            break
        record = _read_record(ctx, sheet, row, cells, mapping, defaults)
        peserta_ok &= record["peserta"] != ""
        record.update(obs_id=f"R-{digest}-{row}", baris=str(row))
        records.append(record)
    return records


def _cell(cells: list, mapping: dict[int, str], column: str):
    index = next((i for i, col in mapping.items() if col == column), None)
    return cells[index] if index is not None and index < len(cells) else None


def _read_record(ctx: _Context, sheet: _Sheet, row: int, cells: list, mapping: dict[int, str], defaults: dict) -> dict:
    record = {col: "" for col in COLUMNS}
    record.update(peran="total", diutamakan="true")
    index_of = {col: i for i, col in mapping.items()}
    for column, parse in _PARSERS.items():
        index = index_of.get(column)
        if index is not None and (row, index) in sheet.uncached:
            ctx.add("error", row, column, "Sel berisi rumus tanpa nilai tersimpan. Buka file di Excel, simpan ulang, "
                    "atau ganti rumus dengan nilainya.", "The cell holds a formula with no saved value. Open the "
                    "file in Excel and save it again, or replace the formula with its value.")
            continue
        value = cells[index] if index is not None and index < len(cells) else None
        if _is_empty(value):
            value = defaults.get(column)
        if _is_empty(value) and column in _OPTIONAL_EMPTY_OK:
            continue
        try:
            record[column] = parse(value)
        except ParseError as exc:
            ctx.add("error", row, column, exc.message, exc.message_en)
    if not record["tahun_anggaran"] and record["tanggal_data"]:
        record["tahun_anggaran"] = record["tanggal_data"][:4]  # no year given: the year the date falls in
    return record


def _check_total(ctx: _Context, row: int, value, records: list[dict], comparable: bool) -> None:
    try:
        total = parse_number(value)
    except ParseError as exc:
        ctx.add("error", row, "peserta", exc.message, exc.message_en)
        return
    if total is None or not comparable:  # a label without a number, or rows already in error
        return
    summed = sum(int(r["peserta"]) for r in records)
    if total != summed:
        ctx.add("error", row, "peserta",
                f"Baris JUMLAH (baris {row}) berisi {_fmt(total)}, tetapi jumlah baris data {_fmt(summed)} "
                f"(selisih {_fmt(total - summed)}). Periksa angka per wilayah atau angka jumlahnya.",
                f"The total row (row {row}) says {_fmt(total)} but the data rows add up to {_fmt(summed)} "
                f"(difference {_fmt(total - summed)}). Check the regional figures or the total.")


def _warn_rows_after(ctx: _Context, sheet: _Sheet, total_index: int) -> None:
    rest = [i + 1 for i in range(total_index + 1, len(sheet.rows)) if not all(map(_is_empty, sheet.rows[i]))]
    if rest:
        ctx.add("warning", rest[0], None,
                f"Baris {rest[0]}–{rest[-1]} di bawah baris JUMLAH tidak diimpor (dianggap catatan).",
                f"Rows {rest[0]}–{rest[-1]} below the total row are not imported (treated as notes).")


def _fmt(number: float) -> str:
    return f"{number:,.0f}".replace(",", ".")


def _check_duplicates(ctx: _Context, records: list[dict]) -> None:
    """Same region, date, figure type, funding and category twice is one figure entered twice."""
    seen: dict[tuple, str] = {}
    for record in records:
        if not record["kode"] or not record["tanggal_data"]:
            continue  # already reported; a key with holes would flag false duplicates
        key = (record["kode"], record["tanggal_data"], record["jenis_angka"], record["sumber_dana"],
               record["kategori_pekerja"].casefold())
        if key in seen:
            ctx.add("error", int(record["baris"]), None,
                    f"Baris ganda: sama dengan baris {seen[key]} (wilayah {record['kode']}, tanggal "
                    f"{record['tanggal_data']}, jenis, sumber dana dan kategori sama). Hapus salah satu, "
                    "atau bedakan kategori pekerjanya.",
                    f"Duplicate row: same as row {seen[key]} (region {record['kode']}, date {record['tanggal_data']}, "
                    "figure type, funding and category). Delete one, or tell the worker categories apart.")
        else:
            seen[key] = record["baris"]


def _frame(records: list[dict]) -> pd.DataFrame:
    for record in records:
        record["laporan_id"] = record["obs_id"]  # one row = one report in this slice
    return pd.DataFrame(records, columns=COLUMNS + ["baris"], dtype=str).fillna("")
