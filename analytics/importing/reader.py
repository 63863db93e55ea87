"""Reading one steward's file into store rows, with row-level problems.

The header is found and mapped (analytics.importing.header), every cell parsed by its field's
parser (fields, kinds), JUMLAH/TOTAL rows checked against the rows above them and dropped,
repeated rows and implausible dates reported. Nothing here touches the store or imports
streamlit; store-aware checks live in analytics.importing.importer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analytics import fmt, plausible
from analytics.importing.cells import ParseError, parse_number
from analytics.importing.fields import is_empty, words_of
from analytics.importing.header import NO_COLUMN, data_start, detect, find_header, map_header
from analytics.importing.kinds import KINDS, Kind
from analytics.importing.problems import Problem, ReadResult, clean_file_name, one_line
from analytics.importing.reading_limits import Unreadable
from analytics.importing.spreadsheet import read_grid
from analytics.importing.xlsx import Sheet
from analytics.schema import FACT_TABLES

# --------------------------------------------------------------------------- reading one file


@dataclass
class _Context:
    file: str
    sheet: str | None
    headers: dict[str, str]  # field -> source header text
    problems: list[Problem] = field(default_factory=list)
    scales: dict[str, float] = field(default_factory=dict)
    memo: dict[tuple, object] = field(default_factory=dict)  # (field, cell) -> parsed text or ParseError

    def parse(self, parse: Callable, column: str, value):
        """parse(value), remembered per column: region names, dates and choices repeat on every row."""
        key = (column, type(value), value)
        found = self.memo.get(key)
        if found is None:
            try:
                found = parse(value)
            except ParseError as exc:
                found = exc
            self.memo[key] = found
        if isinstance(found, ParseError):
            raise found
        return found

    error_rows: set = field(default_factory=set)

    def add(self, level: str, row: int | None, column: str | None, message: str, message_en: str) -> None:
        header = self.headers.get(column, column) if column else None
        self.problems.append(Problem(self.file, self.sheet, row, header, level, message, message_en))
        if level == "error":
            self.error_rows.add(row)


def read_path(
    path: Path | str, sheet: str | None = None, kind: str | None = None, defaults: dict | None = None
) -> ReadResult:
    """Read a file from disk (the command line); see `read_file`."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return failed(path.name, sheet, kind, f"File tidak dapat dibaca: {exc}", f"The file cannot be read: {exc}")
    return read_file(path.name, data, sheet=sheet, kind=kind, defaults=defaults)


def read_file(
    file_name: str, data: bytes, sheet: str | None = None, kind: str | None = None, defaults: dict | None = None
) -> ReadResult:
    """Read one steward file into store rows plus problems; never raises for bad content.

    `file_name` is only shown in messages and stored with the batch (an uploaded file's name is never
    used as a path), cleaned first (`clean_file_name`) so no name can forge a line of output.
    With `kind` None the kind is detected from the header; with `sheet` None the best sheet is used.
    """
    file_name = clean_file_name(file_name)
    try:
        sheets = read_grid(file_name, data)
    except Unreadable as exc:
        return failed(file_name, sheet, kind, exc.message, exc.message_en)
    if sheet is not None and not any(s.name == sheet for s in sheets):
        names = ", ".join(s.name for s in sheets if s.name) or "-"
        return failed(
            file_name,
            sheet,
            kind,
            f'Sheet "{sheet}" tidak ada. Sheet yang ada: {names}.',
            f'There is no sheet "{sheet}". Sheets in the file: {names}.',
        )
    chosen_kind, chosen = detect(sheets, kind, sheet)
    if chosen_kind is None:
        return _undetected(file_name, chosen)
    return _read_sheet(chosen_kind, file_name, data, chosen, {**chosen_kind.defaults, **(defaults or {})})


def failed(file_name: str, sheet, kind, message: str, message_en: str) -> ReadResult:
    """A result with no rows and one error about the whole file (also used by analytics.importing.reader_process)."""
    result = _empty(file_name, sheet, kind)
    result.problems.append(Problem(result.file, sheet, None, None, "error", message, message_en))
    return result


def _empty(file_name: str, sheet, kind: str | None) -> ReadResult:
    rows = pd.DataFrame(columns=[c for c, _ in FACT_TABLES[kind]] + ["baris"]) if kind else pd.DataFrame()
    # cleaned again here (idempotent) so a ReadResult made by any caller shows and stores clean names
    return ReadResult(kind, clean_file_name(file_name), sheet and one_line(sheet), None, {}, pd.DataFrame(), rows)


def _undetected(file_name: str, sheet: Sheet | None) -> ReadResult:
    labels = "; ".join(f"{k.table} ({k.label})" for k in KINDS.values())
    labels_en = "; ".join(f"{k.table} ({k.label_en})" for k in KINDS.values())
    return failed(
        file_name,
        sheet.name if sheet else None,
        None,
        f"Jenis data tidak dapat ditentukan dari judul kolom. Pilih jenisnya: {labels}; "
        "atau pakai templat yang tersedia.",
        f"The kind of data cannot be told from the column headers. Choose it: {labels_en}; "
        "or use the template provided.",
    )


def _read_sheet(kind: Kind, file: str, data: bytes, sheet: Sheet, defaults: dict) -> ReadResult:
    header = find_header(kind, sheet)
    header_cells, mapping = header.cells, header.mapping
    headers = {col: str(header_cells[i]).strip() for i, col in mapping.items() if col != NO_COLUMN}
    ctx = _Context(file, sheet.name, headers, scales=_scales(kind, headers))
    header_row = None if header.last is None else header.last + 1
    result = _empty(file, sheet.name, kind.table)
    result.header_row, result.mapping, result.problems = header_row, {v: k for k, v in headers.items()}, ctx.problems
    result.scales = ctx.scales
    result.unused = [str(c).strip() for i, c in enumerate(header_cells) if i not in mapping and not is_empty(c)]
    if not _check_required(kind, ctx, mapping, header_cells, header_row, defaults):
        return result
    _warn_repeated_columns(kind, ctx, header_cells, header_row)
    _warn_unused_columns(kind, ctx, result.unused, set(mapping.values()), header_row)
    digest = hashlib.sha256(data).hexdigest()[:10]
    records = _read_records(kind, ctx, sheet, data_start(sheet, header), mapping, defaults)
    _check_duplicates(kind, ctx, records)
    if not records:
        ctx.add(
            "error",
            None,
            None,
            f"Tidak ada baris data di bawah header (baris {header_row}). Isi minimal satu baris wilayah.",
            f"There are no data rows below the header (row {header_row}). Enter at least one region row.",
        )
    result.records = pd.DataFrame(records, columns=kind.fields + ["baris"], dtype=str)
    result.rows = _store_rows(kind, records, digest)
    return result


def _check_required(
    kind: Kind, ctx: _Context, mapping: dict[int, str], header_cells: list, header_row, defaults
) -> bool:
    found = set(mapping.values())
    missing = [col for col in kind.required if col not in found and not defaults.get(col)]
    missing += [
        need
        for value, need in kind.needs.items()  # "Skor" without a "Kriteria" column
        if value in found and need not in found and not defaults.get(need) and need not in missing
    ]
    if not missing and found & set(kind.values):
        return True
    wanted = "; ".join(
        [_wanted(kind, col) for col in missing]
        + ([" atau ".join(_wanted(kind, col) for col in kind.values)] if not found & set(kind.values) else [])
    )
    seen = ", ".join(f'"{c}"' for c in header_cells if not is_empty(c)) or "-"
    recognised = ", ".join(f'"{h}" → {col}' for col, h in ctx.headers.items()) or "-"
    where = f"baris {header_row}" if header_row else "tidak ditemukan"
    ctx.add(
        "error",
        header_row,
        None,
        f"Data {kind.label}: kolom wajib tidak ditemukan: {wanted}. Header ({where}): {seen}. "
        f"Dikenali: {recognised}. Ganti nama kolom header agar sesuai, atau pakai templat.",
        f"{kind.label_en}: required columns not found: {wanted}. Header (row {header_row}): {seen}. "
        f"Recognised: {recognised}. Rename the header cells to match, or use the template.",
    )
    return False


def _wanted(kind: Kind, col: str) -> str:
    examples = kind.examples.get(col)
    if not examples:
        return col
    quoted = ", ".join(f'"{e}"' for e in examples)
    return f"{col} (mis. {quoted})"


def _warn_unused_columns(kind: Kind, ctx: _Context, unused: list[str], found: set, header_row) -> None:
    if kind.unused_warning is None:
        return
    for header in unused:
        warning = kind.unused_warning(header, found)
        if warning:
            ctx.add("warning", header_row, None, *warning)


def _warn_repeated_columns(kind: Kind, ctx: _Context, header_cells: list, header_row) -> None:
    _, repeats = map_header(kind, header_cells)
    for index, col in repeats.items():
        ctx.add(
            "warning",
            header_row,
            None,
            f'Kolom "{header_cells[index]}" juga cocok dengan {col}, tetapi yang dipakai kolom "{ctx.headers[col]}"; '
            "kolom ini tidak diimpor. Ganti judulnya bila isinya berbeda.",
            f'Column "{header_cells[index]}" also matches {col}, but column "{ctx.headers[col]}" is used; '
            "this column is not imported. Rename it if it holds something else.",
        )


_TOTAL_RE = re.compile(r"^(jumlah|total|grand total|provinsi jawa timur|jawa timur|jatim)\b")


def _total_label(cells: list, mapping: dict[int, str]) -> bool:
    """A JUMLAH/TOTAL row: the label sits in the region column or an unmapped/"No" column."""
    return any(
        isinstance(cell, str) and mapping.get(i) in (None, NO_COLUMN, "kode") and _is_total_text(cell)
        for i, cell in enumerate(cells)
    )


@lru_cache(maxsize=4096)
def _is_total_text(text: str) -> bool:
    return bool(_TOTAL_RE.match(" ".join(words_of(text))))


_HEADER_SCALES = {"ribu": 1e3, "rb": 1e3, "juta": 1e6, "jt": 1e6, "miliar": 1e9, "milyar": 1e9}


def _scales(kind: Kind, headers: dict[str, str]) -> dict[str, float]:
    """Figure columns headed "(Rp juta)", "(ribu jiwa)": their numbers are multiplied back."""
    out = {}
    for col, header in headers.items():
        found = [_HEADER_SCALES[w] for w in words_of(header) if w in _HEADER_SCALES]
        if col in kind.values and found:
            out[col] = found[0]
    return out


def _read_records(
    kind: Kind, ctx: _Context, sheet: Sheet, start: int, mapping: dict[int, str], defaults: dict
) -> list[dict]:
    records: list[dict] = []
    index_of = {col: i for i, col in mapping.items() if col != NO_COLUMN}
    fields = [
        (col, index_of.get(col), parse, defaults.get(col), col in kind.required) for col, parse in kind.parsers.items()
    ]  # worked out once, used on every row
    values = [v for v in kind.values if v in index_of]
    kode_index = index_of.get("kode")
    totals = _Totals()
    notes: list[int] = []
    for index in range(start, len(sheet.rows)):
        cells, row = sheet.rows[index], index + 1
        if all(i >= len(cells) or is_empty(cells[i]) for i in index_of.values()):
            if totals.seen and not all(map(is_empty, cells)):
                notes.append(row)  # a note written in the "No" column or beside the table
            continue  # blank line, or a pre-numbered template row
        if _total_label(cells, mapping):
            _check_totals(kind, ctx, row, cells, mapping, records, totals)
            continue  # subtotals ("Jumlah Kabupaten") may be followed by more regions
        if totals.seen and not any(i < len(cells) and not is_empty(cells[i]) for i in (index_of[v] for v in values)):
            notes.append(row)  # text under the table: a source line, a signature block
            continue
        if kode_index is not None and kode_index < len(cells) and _is_example(cells[kode_index]):
            ctx.add(
                "warning",
                row,
                "kode",
                "Baris contoh dari templat; tidak diimpor.",
                "The template's example row; not imported.",
            )
            continue
        record = _read_record(kind, ctx, sheet, row, cells, fields)
        if not any(record[v] for v in values) and not _row_has_errors(ctx, row):
            ctx.add(
                "warning", row, None, "Baris ini tidak berisi angka; dilewati.", "This row holds no figures; skipped."
            )
            continue
        record["baris"] = str(row)
        records.append(record)
    _warn_notes(ctx, notes)
    return records


@dataclass
class _Totals:
    seen: bool = False
    segment_start: int = 0  # index into records where the rows of the next subtotal begin


def _is_example(value) -> bool:
    return isinstance(value, str) and value.strip().casefold().startswith("contoh")


def _row_has_errors(ctx: _Context, row: int) -> bool:
    return row in ctx.error_rows


def _read_record(kind: Kind, ctx: _Context, sheet: Sheet, row: int, cells: list, fields: list[tuple]) -> dict:
    record = dict.fromkeys(kind.parsers, "")
    width = len(cells)
    first_problem = len(ctx.problems)
    for column, index, parse, default, required in fields:
        if index is not None and sheet.uncached and (row, index) in sheet.uncached:
            ctx.add(
                "error",
                row,
                column,
                "Sel berisi rumus tanpa nilai tersimpan. Buka file di Excel, simpan ulang, "
                "atau ganti rumus dengan nilainya.",
                "The cell holds a formula with no saved value. Open the "
                "file in Excel and save it again, or replace the formula with its value.",
            )
            continue
        value = cells[index] if index is not None and index < width else None
        if is_empty(value):
            if is_empty(default) and not required:
                continue  # optional, or a figure column left empty in this row
            value = default
        elif column in ctx.scales:
            value = _scaled(value, ctx.scales[column])
        try:
            record[column] = ctx.parse(parse, column, value)
        except ParseError as exc:
            ctx.add("error", row, column, exc.message, exc.message_en)
    if kind.derive_year and record.get("tanggal_data"):
        _check_date(kind, ctx, row, record)
    for value, need in kind.needs.items():
        failed = {p.column for p in ctx.problems[first_problem:]}  # this row's problems so far
        if record[value] and not record[need] and ctx.headers.get(need, need) not in failed:
            need_id, value_id, need_en, value_en = (
                _label(ctx, need),
                _label(ctx, value),
                _label(ctx, need, "column"),
                _label(ctx, value, "column"),
            )
            ctx.add(
                "error",
                row,
                need,
                f"{need_id[:1].upper()}{need_id[1:]} kosong, padahal {value_id} terisi. Isi {need_id}, "
                "atau kosongkan baris ini.",
                f"{need_en[:1].upper()}{need_en[1:]} is empty although {value_en} is filled. Fill in {need_en}, "
                "or empty this row.",
            )
    return record


def _check_date(kind: Kind, ctx: _Context, row: int, record: dict) -> None:
    """The row's date and budget year against analytics.plausible; checked per row, not by the cell
    parser, because whether a date may lie ahead depends on the row's other cells. With no year
    given, the year is the one the date falls in, and must be plausible too."""
    given = record[kind.derive_year]
    if not given:
        record[kind.derive_year] = record["tanggal_data"][:4]
    when = (record["tanggal_data"], int(record[kind.derive_year]), kind.planned(record), not given)
    try:
        ctx.parse(_plausible_date, _WHEN, when)  # remembered: rows repeat their date and year
    except ParseError as exc:
        ctx.add("error", row, "tanggal_data", exc.message, exc.message_en)


_WHEN = "_when"  # _Context.parse memo key of the date-and-year check


def _plausible_date(when: tuple[str, int, bool, bool]) -> bool:
    date, year, planned, derived = when
    plausible.check_date(dt.date.fromisoformat(date), year, planned)
    if derived:
        try:
            plausible.check_year(year)
        except ParseError as exc:
            raise ParseError(
                f"Tahun anggaran diambil dari tanggal data. {exc.message}",
                f"The budget year is taken from the data date. {exc.message_en}",
            ) from None
    return True  # not None: _Context.parse remembers a result only when it is not None


def _label(ctx: _Context, column: str, word: str = "kolom") -> str:
    return f'{word} "{ctx.headers[column]}"' if column in ctx.headers else column


def _scaled(value, scale: float):
    try:
        number = parse_number(value)
    except ParseError:
        return value  # the parser reports it with the original text
    # Decimal, not float: "17.150,9" (Rp juta) must become 17150900000, not 17150900000.000002
    return value if number is None else float(Decimal(repr(number)) * Decimal(int(scale)))


def _check_totals(
    kind: Kind, ctx: _Context, row: int, cells: list, mapping: dict[int, str], records: list[dict], totals: _Totals
) -> None:
    """A total row must equal either the rows since the previous total (a subtotal such as
    "Jumlah Kota") or all rows so far (the grand total); it is never imported as a region."""
    index_of = {col: i for i, col in mapping.items()}
    segment = records[totals.segment_start :]
    totals.seen, totals.segment_start = True, len(records)
    comparable = not any(_row_has_errors(ctx, int(r["baris"])) for r in records)
    for column in kind.summable:
        if column not in index_of or index_of[column] >= len(cells):
            continue
        try:
            total = parse_number(_scaled(cells[index_of[column]], ctx.scales.get(column, 1)))
        except ParseError as exc:
            ctx.add("error", row, column, exc.message, exc.message_en)
            continue
        if total is None or not comparable:
            continue  # a label without a number, or rows already in error
        part, whole = _sum(segment, column), _sum(records, column)
        if not (math.isclose(total, part, abs_tol=0.5) or math.isclose(total, whole, abs_tol=0.5)):
            ctx.add(
                "error",
                row,
                column,
                f"Baris JUMLAH (baris {row}) berisi {fmt.number(total)}, tetapi jumlah baris data {fmt.number(whole)} "
                f"(selisih {fmt.number(total - whole)}). Periksa angka per wilayah atau angka jumlahnya.",
                f"The total row (row {row}) says {fmt.number(total)} but the data rows add up to {fmt.number(whole)} "
                f"(difference {fmt.number(total - whole)}). Check the regional figures or the total.",
            )


def _sum(records: list[dict], column: str) -> float:
    return sum(float(r[column]) for r in records if r[column])


def _warn_notes(ctx: _Context, notes: list[int]) -> None:
    if notes:
        ctx.add(
            "warning",
            notes[0],
            None,
            f"Baris {notes[0]}–{notes[-1]} di bawah baris JUMLAH tidak diimpor (dianggap catatan).",
            f"Rows {notes[0]}–{notes[-1]} below the total row are not imported (treated as notes).",
        )


def _check_duplicates(kind: Kind, ctx: _Context, records: list[dict]) -> None:
    """The same key twice in one file is one figure entered twice."""
    seen: dict[tuple, str] = {}
    for record in records:
        if _row_has_errors(ctx, int(record["baris"])):
            continue  # already reported; a key with holes would flag false duplicates
        figures = kind.expand({k: v for k, v in record.items() if k != "baris"}, "-") if kind.key_on_rows else [record]
        reported = set()
        for figure in figures:
            key = tuple(figure[col].casefold() for col in kind.key)
            if key not in seen:
                seen[key] = record["baris"]
            elif seen[key] not in reported:  # one message per pair of rows, however many criteria repeat
                reported.add(seen[key])
                described = ", ".join(f"{col} {figure[col] or '-'}" for col in kind.key)
                ctx.add(
                    "error",
                    int(record["baris"]),
                    None,
                    f"Baris ganda: sama dengan baris {seen[key]} ({described}). Hapus salah satu, atau bedakan isinya.",
                    f"Duplicate row: same as row {seen[key]} ({described}). Delete one, or tell them apart.",
                )


def _store_rows(kind: Kind, records: list[dict], digest: str) -> pd.DataFrame:
    rows = []
    for record in records:
        for row in kind.expand({k: v for k, v in record.items() if k != "baris"}, f"R-{digest}-{record['baris']}"):
            rows.append({**row, "baris": record["baris"]})
    columns = [c for c, _ in FACT_TABLES[kind.table]] + ["baris"]
    return pd.DataFrame(rows, columns=columns, dtype=str).fillna("")
