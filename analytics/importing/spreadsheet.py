"""Raw grids from the files stewards have: CSV (UTF-8, Windows-1252 or Excel's UTF-16 "Unicode
Text"; ',' ';' or tab) and XLSX.

A grid is a list of rows of cell values, row i being the spreadsheet's row i + 1, so messages can
name the row a steward sees. Hidden columns read as empty (stewards hide helper columns), merged
cells carry their value into every cell they cover, percent-formatted numbers read as shown, and a
formula whose result was never saved is remembered so it is reported instead of guessed. Reading
is bounded whatever the file (reading_limits.py; XLSX in xlsx.py): a file
that would exceed a bound is refused with a message that says which and what to do.
"""

from __future__ import annotations

import csv
import io
import itertools

from openpyxl.utils.cell import get_column_letter

from analytics.fmt import number
from analytics.importing import xlsx
from analytics.importing.reading_limits import MAX_CELLS, MAX_FIELD, UPLOAD_CAP, Unreadable
from analytics.importing.xlsx import Sheet

__all__ = ["Sheet", "Unreadable", "read_grid", "sheet_names"]

_OLE = b"\xd0\xcf\x11\xe0"  # the compound-file container of .xls and of password-protected .xlsx
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # the stream name Office encryption writes

csv.field_size_limit(UPLOAD_CAP + 1)  # no field can be longer than the file; MAX_FIELD is checked after


def read_grid(file_name: str, data: bytes) -> list[Sheet]:
    """Every sheet of the file; Unreadable with a steward-facing message when it cannot be read."""
    if not data.strip():
        raise Unreadable(
            "File kosong (0 baris). Pilih file yang berisi tabel data.",
            "The file is empty. Choose a file that contains the data table.",
        )
    suffix = file_name.lower().rsplit(".", 1)[-1] if "." in file_name else ""
    if data[:4] == _OLE and _ENCRYPTED in data:
        raise Unreadable(
            "File Excel ini dilindungi kata sandi, jadi isinya tidak dapat dibaca. Buka di Excel, pilih "
            "File > Info > Protect Workbook > Encrypt with Password, kosongkan kata sandinya, lalu simpan "
            "sebagai .xlsx (atau Simpan Sebagai .csv).",
            "This Excel file is password-protected, so its contents cannot be read. Open it in Excel, choose "
            "File > Info > Protect Workbook > Encrypt with Password, clear the password and save it as .xlsx "
            "(or Save As .csv).",
        )
    if suffix in ("xlsx", "xlsm") or data[:2] == b"PK":
        return _read_xlsx(data)
    if suffix == "xls" or data[:4] == _OLE:  # the old binary (OLE) format
        raise Unreadable(
            "Format .xls lama tidak didukung. Buka di Excel lalu simpan sebagai .xlsx atau .csv.",
            "The old .xls format is not supported. Open it in Excel and save as .xlsx or .csv.",
        )
    return [Sheet(None, _read_csv_rows(data))]


def sheet_names(file_name: str, data: bytes) -> list[str]:
    """Names of an XLSX file's sheets ([] for CSV or an unreadable file), for a sheet picker.
    Only the workbook index is read, not the cells."""
    if data[:2] != b"PK":
        return []
    try:
        return xlsx.sheet_names(data)
    except Exception:  # noqa: BLE001 — a damaged or refused file is reported by read_grid with its message
        return []


def _read_xlsx(data: bytes) -> list[Sheet]:
    try:
        sheets = xlsx.read_sheets(data, _shown_value)
    except (Unreadable, MemoryError):  # the reader process reports the memory limit itself
        raise
    except Exception as exc:  # noqa: BLE001 — a damaged file fails anywhere inside openpyxl (zip, XML, keys)
        raise Unreadable(
            f"File Excel rusak atau bukan file .xlsx ({type(exc).__name__}). "
            "Buka di Excel dan simpan ulang sebagai .xlsx, atau ekspor ke .csv.",
            f"The Excel file is damaged or not an .xlsx file ({type(exc).__name__}). "
            "Open it in Excel and save it again as .xlsx, or export it to .csv.",
        ) from None
    for sheet in sheets:
        _check_fields(sheet)
    return sheets


def _shown_value(value, is_percent: bool):
    """The value as the steward sees it: a number formatted as a percentage (0,2176 shown as
    21,76%) is read as 21.76, because that is what was typed and what the header means."""
    if is_percent and isinstance(value, (int, float)) and not isinstance(value, bool):
        return round(value * 100, 10)
    return value


def _read_csv_rows(data: bytes) -> list[list]:
    text = _decode(data)
    _refuse_nul(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    rows, cells, lines_before, long_field = [], 0, 0, False
    for row in reader:
        cells += max(len(row), 1)
        if cells > MAX_CELLS:
            raise xlsx.too_big(None)
        rows.append(row)
        last_start, lines_before = lines_before + 1, reader.line_num
        if row and max(map(len, row)) > MAX_FIELD:  # C-speed per row; the cell is named below
            long_field = True
    if rows and reader.line_num > last_start:  # the last record spans lines: perhaps an unclosed quote
        _check_last_record(text, rows, last_start, reader)
    if long_field:
        _check_fields(Sheet(None, rows))
    return rows


def _decode(data: bytes) -> str:
    # Excel on Indonesian Windows saves CSV as Windows-1252 and "Unicode Text" as UTF-16 with a BOM;
    # everything else is UTF-8 (BOM optional).
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass  # not UTF-16 after all: the NUL check names the first odd byte
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # cannot fail; odd bytes then show up in messages, not a traceback


def _refuse_nul(text: str) -> None:
    """A NUL character is never data: a binary file, or UTF-16 saved without its BOM."""
    at = text.find("\x00")
    if at < 0:
        return
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    raise Unreadable(
        f"File berisi karakter NUL (byte 0) di baris {number(line)}, karakter ke-{number(column)}: ini bukan "
        "file teks CSV biasa (mungkin file biner, atau teks UTF-16 tanpa penanda). Buka di Excel lalu simpan "
        "sebagai CSV UTF-8 atau .xlsx.",
        f"The file contains a NUL character (byte 0) at line {line:,}, character {column:,}: it is not a "
        "plain CSV text file (perhaps a binary file, or UTF-16 text without its marker). Open it in Excel "
        "and save it as CSV UTF-8 or .xlsx.",
    )


def _check_last_record(text: str, rows: list[list], start_line: int, reader) -> None:
    """Python's lenient reader returns everything after an unclosed quote as one field of the last
    record; a strict reading of that record's lines tells this apart from a note that spans lines."""
    tail = itertools.islice(io.StringIO(text, newline=""), start_line - 1, None)  # lines as the reader counts them
    try:
        for _ in csv.reader(tail, delimiter=reader.dialect.delimiter, strict=True):
            pass
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise _unclosed(rows, start_line, reader.line_num) from None


def _unclosed(rows: list[list], start_line: int, end_line: int) -> Unreadable:
    row = rows[-1]
    column = next((i for i, value in enumerate(row) if "\n" in value), len(row) - 1) + 1
    letter = get_column_letter(column)
    return Unreadable(
        f'Tanda kutip (") yang dibuka di baris {number(start_line)}, kolom {letter} tidak pernah ditutup: '
        f"baris {number(start_line)} sampai {number(end_line)} (akhir file) terbaca sebagai satu sel. "
        "Tambahkan tanda kutip penutup atau hapus tanda kutip pembukanya, lalu unggah lagi.",
        f'The quote (") opened at line {start_line:,}, column {letter} is never closed: lines '
        f"{start_line:,} to {end_line:,} (the end of the file) read as one cell. Add the closing quote or "
        "remove the opening one, then upload again.",
    )


def _check_fields(sheet: Sheet) -> None:
    """No cell longer than Excel allows (32,767 characters): a longer one is a pasted document or
    a broken file, and would be stored and shown whole."""
    for r, row in enumerate(sheet.rows, start=1):
        for c, value in enumerate(row, start=1):
            if isinstance(value, str) and len(value) > MAX_FIELD:
                where = (
                    f"sheet {sheet.name!r}, " if sheet.name else ""
                ) + f"baris {number(r)}, kolom {get_column_letter(c)}"
                where_en = (
                    f"sheet {sheet.name!r}, " if sheet.name else ""
                ) + f"row {r:,}, column {get_column_letter(c)}"
                raise Unreadable(
                    f"Sel di {where} berisi {number(len(value))} karakter; batasnya {number(MAX_FIELD)} "
                    "(batas sel Excel). Persingkat isinya atau pindahkan ke dokumen terpisah.",
                    f"The cell at {where_en} holds {len(value):,} characters; the limit is {MAX_FIELD:,} "
                    "(Excel's cell limit). Shorten it or move it to a separate document.",
                )


def _sniff_delimiter(text: str) -> str:
    """';' (Excel with Indonesian locale), ',' or tab: the one that splits most lines the same way."""
    lines = [line for line in text[:200_000].splitlines()[:40] if line.strip()]

    def score(delim: str) -> tuple[int, int]:
        counts = [line.count(delim) for line in lines]
        modal = max(set(counts), key=counts.count) if counts else 0
        return (counts.count(modal) if modal else 0, modal)

    return max((";", ",", "\t"), key=score)
