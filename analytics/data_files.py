"""Data files of exactly what a chart shows: a plain CSV, the same CSV with its Frictionless
datapackage.json in a ZIP, and an XLSX with a Keterangan sheet; none lets a spreadsheet run a cell
as a formula."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import math
import re
import zipfile

import numpy as np
import pandas as pd

from analytics import columns, fmt, metrics
from analytics.export_meta import ExportMeta, dataset_label, dataset_name

# ---------------------------------------------------------------- data files
#
# CSV: a plain table (one header row, no comment lines) that pandas, R and spreadsheets read as it
# is. ZIP: that CSV beside datapackage.json, a Frictionless Data Package naming the dataset,
# indicator, dates, sources, notes and licence and describing every column (data/kolom.toml).
# XLSX: sheet Data and sheet Keterangan (the metadata rows). English files have English headers
# and values, whatever language the page built its frame in.

# OWASP CSV injection: spreadsheet apps treat these leading characters as a formula (fullwidth forms too).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
PACKAGE_FILE = "datapackage.json"
# UTF-8 with a byte-order mark: Excel needs it to show Indonesian text; pandas, R's readr and
# frictionless skip it. Python's codec name says so, for readers that open the file as declared.
CSV_ENCODING = "utf-8-sig"
CSV_DIALECT = {"delimiter": ",", "lineTerminator": "\n", "quoteChar": '"', "doubleQuote": True, "header": True}
# The dashboard states no licence of its own (the repository has none); each dataset says what its
# figures are and whose terms apply (data/teks.toml export_licence_*). Open Definition id.
LICENCE_ID = "notspecified"


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def neutralise(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers."""
    return "'" + value if is_formula_like(value) else value


def file_table(data: pd.DataFrame, meta: ExportMeta) -> pd.DataFrame:
    """The frame as the files hold it: in English files English headers and coded values."""
    return columns.to_english(data) if meta.lang == "en" else data


def licence_text(meta: ExportMeta) -> str:
    """What the dataset's figures are and whose terms apply; any other dataset is stewards' data."""
    key = f"export_licence_{meta.dataset}"
    text = fmt.t(key, meta.lang)
    return fmt.t("export_licence_resmi", meta.lang) if text == key else text


def metadata_rows(data: pd.DataFrame, meta: ExportMeta) -> list[tuple[str, str | int]]:
    """(label, value) rows naming what the file holds: the XLSX's Keterangan sheet."""
    lang = meta.lang
    rows = [(fmt.t("col_title", lang), meta.title), ("Dataset", f"{dataset_name(meta)} ({meta.dataset})")]
    if meta.indicator_id:
        rows.append((fmt.t("indicator", lang), f"{_indicator_title(meta)} ({meta.indicator_id})"))
    if meta.year is not None:
        rows.append((fmt.t("sidebar_year", lang), int(meta.year)))
    if meta.as_of is not None:
        rows.append((fmt.t("export_asof", lang), meta.as_of.isoformat()))
    rows.append((fmt.t("export_exported", lang), meta.export_date.isoformat()))
    rows.append((fmt.t("export_rows", lang), len(data)))
    rows.append((fmt.t("export_licence", lang), licence_text(meta)))
    rows += [(fmt.t("col_source", lang), source) for source in _citations(meta)]
    rows += [(fmt.t("col_note", lang), note) for note in meta.notes]
    return rows


def _citations(meta: ExportMeta) -> tuple[str, ...]:
    """meta.sources as the file's language writes them (the source column is translated the same way)."""
    return tuple(map(columns.english_citation, meta.sources)) if meta.lang == "en" else meta.sources


def _indicator_title(meta: ExportMeta) -> str:
    indicator = metrics.catalogue().get(meta.indicator_id)
    return indicator.title(meta.lang) if indicator else meta.title


# ---- CSV


def csv_bytes(data: pd.DataFrame, meta: ExportMeta) -> bytes:
    """A plain CSV: BOM, one header row, the rows. Text cells that a spreadsheet would run as a
    formula get an apostrophe; numbers are plain (40300, 15.41), dates ISO, booleans true/false,
    missing values empty; a cell is quoted only when it holds a comma, a quote or a line break."""
    table = file_table(data, meta)
    rows = [_headers(table), *zip(*(_csv_cells(table[name]) for name in table.columns))]
    end = CSV_DIALECT["lineTerminator"]
    return ("\ufeff" + "".join(",".join(map(_quoted, row)) + end for row in rows)).encode("utf-8")


def _quoted(cell: str) -> str:
    """RFC 4180 quoting. Not the csv module: with a '\\n' line end it leaves a lone '\\r' unquoted,
    which every reader takes for a line break."""
    return '"' + cell.replace('"', '""') + '"' if any(ch in cell for ch in ',"\r\n') else cell


def _headers(table: pd.DataFrame) -> list[str]:
    return [neutralise(str(name)) for name in table.columns]


def _csv_cells(values: pd.Series) -> list[str]:
    if (
        pd.api.types.is_bool_dtype(values)
        or pd.api.types.is_numeric_dtype(values)
        or pd.api.types.is_datetime64_any_dtype(values)
    ):
        return [_csv_value(v) for v in values.tolist()]
    return [_csv_value(v, text=True) for v in values.tolist()]


def _csv_value(value, text: bool = False) -> str:
    value = plain_value(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return np.format_float_positional(value, trim="-")  # shortest exact form, never 1e-05 or 1.234,5
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() and value.tzinfo is None else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutralise(value) if text else value


# ---- datapackage.json


def datapackage(data: pd.DataFrame, meta: ExportMeta, csv_file: bytes | None = None) -> dict:
    """A Frictionless Data Package descriptor (specs.frictionlessdata.io, v1) for the CSV of `data`."""
    csv_file = csv_bytes(data, meta) if csv_file is None else csv_file
    lang, table = meta.lang, file_table(data, meta)
    name = _slug(meta.file_stem)
    package = {
        "profile": "tabular-data-package",
        "name": name,
        "title": meta.title,
        "description": _description(meta),
        # the export records its day only (as the images' "Diunduh" line); the time is 00:00 UTC
        "created": f"{meta.export_date.isoformat()}T00:00:00Z",
        "licenses": [{"name": LICENCE_ID, "title": licence_text(meta)}],
        "sources": sources(data, meta),
        "keywords": fmt.t("export_keywords", lang).split("|"),
        "jamsos:dataset": meta.dataset,
        "jamsos:dataset_title": dataset_name(meta),
        "jamsos:synthetic": bool(meta.synthetic),
    }
    if meta.indicator_id:
        package["jamsos:indicator_id"] = meta.indicator_id
        package["jamsos:indicator_title"] = _indicator_title(meta)
    if meta.year is not None:
        package["jamsos:budget_year"] = int(meta.year)
    if meta.as_of is not None:
        package["jamsos:as_of"] = meta.as_of.isoformat()
    package["resources"] = [
        {
            "name": name,
            "path": f"{meta.file_stem}.csv",
            "profile": "tabular-data-resource",
            "title": meta.title,
            "description": fmt.t("export_csv_note", lang),
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": CSV_ENCODING,
            "bytes": len(csv_file),
            "hash": "sha256:" + hashlib.sha256(csv_file).hexdigest(),
            "dialect": dict(CSV_DIALECT),
            "schema": {
                "fields": [
                    _field(header, table[source], lang) for header, source in zip(_headers(table), table.columns)
                ],
                "missingValues": [""],
            },
        }
    ]
    return package


def _description(meta: ExportMeta) -> str:
    """Subtitle, the dataset (unless the subtitle names it already; synthetic data always says so)
    and the notes, one paragraph each (the field is Markdown)."""
    dataset = None if dataset_name(meta) in meta.subtitle else dataset_label(meta)
    return "\n\n".join(part for part in (meta.subtitle, dataset, *meta.notes) if part)


def datapackage_bytes(data: pd.DataFrame, meta: ExportMeta, csv_file: bytes | None = None) -> bytes:
    """datapackage.json as written into the ZIP: UTF-8, indented, keys in a fixed order."""
    return (json.dumps(datapackage(data, meta, csv_file), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _slug(stem: str) -> str:
    """A package name as the spec wants it: lower case letters, digits, '.', '_' and '-'."""
    return re.sub(r"[^a-z0-9._-]+", "-", stem.lower()).strip("-") or "data"


def _field(header: str, values: pd.Series, lang: str) -> dict:
    column = columns.lookup(str(values.name), lang)
    declared = column.type if column else "auto"
    field = {"name": header, "type": _inferred_type(values) if declared == "auto" else declared}
    if column:
        field |= {"title": column.title(lang), "description": column.description(lang)}
    return field


def _inferred_type(values: pd.Series) -> str:
    """The Table Schema type of the values as csv_bytes writes them."""
    if pd.api.types.is_bool_dtype(values):
        return "boolean"
    if pd.api.types.is_datetime64_any_dtype(values):
        return "date" if (values.dropna().dt.normalize() == values.dropna()).all() else "datetime"
    if pd.api.types.is_integer_dtype(values):
        return "integer"
    if pd.api.types.is_numeric_dtype(values):
        return "number"
    known = [v for v in map(plain_value, values.tolist()) if v is not None]
    if known and all(isinstance(v, bool) for v in known):
        return "boolean"
    if known and all(isinstance(v, int) and not isinstance(v, bool) for v in known):
        return "integer"
    if known and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in known):
        return "number"
    if known and all(isinstance(v, dt.date) for v in known):
        stamps = [v for v in known if isinstance(v, dt.datetime)]
        return "datetime" if any(v.time() != dt.time() for v in stamps) else "date"
    return "string"


def sources(data: pd.DataFrame, meta: ExportMeta) -> list[dict]:
    """One entry per citation in meta.sources, with the source's address when the frame pairs them
    (the data package's sources; the press kit's caption lists the same)."""
    links = _source_links(file_table(data, meta), meta.lang)
    return [
        {"title": citation, **({"path": links[citation]} if citation in links else {})} for citation in _citations(meta)
    ]


def _source_links(data: pd.DataFrame, lang: str) -> dict[str, str]:
    """citation -> URL from the rows' `sumber` and `url` cells (' | '-joined, same order). A row whose
    lists differ in length (a source without an address) pairs nothing; a citation given two
    different addresses gets none."""
    names = {getattr(columns.lookup(str(name), lang), "name", None): name for name in data.columns}
    if "sumber" not in names or "url" not in names:
        return {}
    links: dict[str, str] = {}
    unsure: set[str] = set()
    for cited, addresses in zip(data[names["sumber"]].tolist(), data[names["url"]].tolist()):
        cited_parts = [p.strip() for p in str(cited).split(" | ")] if isinstance(cited, str) and cited else []
        address_parts = [p.strip() for p in str(addresses).split(" | ")] if isinstance(addresses, str) else []
        if len(cited_parts) != len(address_parts):
            continue
        for citation, address in zip(cited_parts, address_parts):
            if citation and address.startswith(("https://", "http://")):
                if links.setdefault(citation, address) != address:
                    unsure.add(citation)
    return {citation: address for citation, address in links.items() if citation not in unsure}


# ---- ZIP


def zip_bytes(data: pd.DataFrame, meta: ExportMeta) -> bytes:
    """<stem>.csv and datapackage.json, nothing else."""
    csv_file = csv_bytes(data, meta)
    return zip_archive(
        ((f"{meta.file_stem}.csv", csv_file), (PACKAGE_FILE, datapackage_bytes(data, meta, csv_file))), meta.export_date
    )


def zip_archive(entries, day: dt.date) -> bytes:
    """A ZIP of (name, bytes) entries, each dated `day` (the export date), so the same export is
    the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries:
            info = zipfile.ZipInfo(name, date_time=(max(day.year, 1980), day.month, day.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, wherever the server runs
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()


# ---- XLSX


def xlsx_bytes(data: pd.DataFrame, meta: ExportMeta) -> bytes:
    """Sheet 'Data' (the table, numbers as numbers, header bold and frozen) and 'Keterangan' (metadata)."""
    from openpyxl import Workbook

    table = file_table(data, meta)
    book = Workbook()
    sheet = book.active
    sheet.title = fmt.t("col_table", meta.lang)
    _write_table(sheet, [str(c) for c in table.columns], table.itertuples(index=False, name=None))
    sheet.freeze_panes = "A2"
    if len(table):
        sheet.auto_filter.ref = sheet.dimensions
    about = book.create_sheet(fmt.t("export_sheet_about", meta.lang))
    _write_table(about, ["", ""], metadata_rows(table, meta), header_row=False)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_table(sheet, header: list[str], rows, header_row: bool = True) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    widths = [len(h) for h in header]
    if header_row:
        for col, name in enumerate(header, start=1):
            _put(sheet, 1, col, name).font = Font(bold=True)
    first = 2 if header_row else 1
    for row_index, row in enumerate(rows, start=first):
        for col, value in enumerate(row, start=1):
            cell = _put(sheet, row_index, col, value)
            widths[col - 1] = max(widths[col - 1], len(str(cell.value or "")))
            if not header_row:  # the About sheet: bold labels, long citations wrapped in their cell
                cell.font = Font(bold=col == 1)
                cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 8), 60)


def _put(sheet, row: int, col: int, value):
    """One cell: numbers as numbers, missing as empty, text always as a string (never a formula)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell = sheet.cell(row=row, column=col)
    value = plain_value(value)
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"  # openpyxl would otherwise store '=…' as a formula
        if is_formula_like(value):
            cell.quotePrefix = True  # Excel keeps it text even when the cell is edited
    else:
        cell.value = value
    return cell


def plain_value(value):
    """numpy/pandas scalars to what openpyxl writes: int, float, bool, datetime, str or None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy scalar
        if isinstance(value, float) and math.isnan(value):
            return None
    if isinstance(value, (int, float, bool, dt.date, dt.datetime, str)):
        return value
    return str(value)
