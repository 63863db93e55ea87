"""Downloadable templates for stewards: XLSX (data sheet, instructions, region list, drop-downs)
and CSV (';'-separated UTF-8 with BOM, as Excel with Indonesian settings opens it directly).

The columns, instructions and example rows are data in data/templat.toml. The example row's region
starts with "Contoh:", which the importer skips, so a template returned unchanged stores nothing.
"""

from __future__ import annotations

import csv
import io
import tomllib
from functools import lru_cache

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from analytics import regions
from analytics.paths import DATA_DIR
from analytics.schema import committee_criteria

KINDS = ("kepesertaan", "anggaran", "klaim", "denominator", "penilaian")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_EXAMPLE_FONT = Font(italic=True, color="7F7F7F")


@lru_cache(maxsize=1)
def spec() -> dict:
    with open(DATA_DIR / "templat.toml", "rb") as handle:
        return tomllib.load(handle)


def field_label(kind: str, field: str) -> str:
    """The template's header for a field ("Jumlah Peserta" for peserta); for a committee criterion
    read from a wide sheet, "Skor <its title>"; else the field itself."""
    found = next((c["header"] for c in spec()[kind]["columns"] if c["field"] == field), None)
    if found is None and kind == "penilaian" and field in committee_criteria():
        return "Skor " + committee_criteria()[field]["id"].split("(")[0].strip()
    return found or field


def file_name(kind: str, extension: str) -> str:
    return f"templat_{kind}.{extension}"


def _example_row(kind: str) -> list[str]:
    return [("Contoh: " + c["contoh"]) if c["field"] == "kode" else c["contoh"] for c in spec()[kind]["columns"]]


def build_csv(kind: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([c["header"] for c in spec()[kind]["columns"]])
    writer.writerow(_example_row(kind))
    return out.getvalue().encode("utf-8-sig")


def build_xlsx(kind: str) -> bytes:
    book = openpyxl.Workbook()
    data = book.active
    data.title = "Data"
    _fill_data_sheet(data, kind)
    _fill_instructions(book.create_sheet("Petunjuk"), kind)
    _fill_regions(book.create_sheet("Wilayah"))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fill_data_sheet(ws, kind: str) -> None:
    columns = spec()[kind]["columns"]
    ws.append([c["header"] for c in columns])
    ws.append(_example_row(kind))
    for index, column in enumerate(columns, start=1):
        head = ws.cell(row=1, column=index)
        head.font, head.fill = Font(bold=True, color="FFFFFF"), _HEADER_FILL
        head.alignment = Alignment(wrap_text=True, vertical="center")
        ws.cell(row=2, column=index).font = _EXAMPLE_FONT
        letter = head.column_letter
        ws.column_dimensions[letter].width = max(14, len(column["header"]) + 4)
        ws.cell(row=2, column=index).number_format = "@"  # the example is text, as typed
        _add_choice_list(ws, column, letter)
    ws.freeze_panes = "A2"
    region_list = DataValidation(
        type="list", formula1="=Wilayah!$B$2:$B$39", allow_blank=True, showErrorMessage=False
    )  # a suggestion list: other spellings are allowed
    ws.add_data_validation(region_list)
    region_list.add("A3:A200")


def _add_choice_list(ws, column: dict, letter: str) -> None:
    choices = column.get("pilihan")
    if not choices:
        return
    rule = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        errorTitle="Pilihan tidak dikenal",
        error="Pilih salah satu: " + ", ".join(choices),
    )
    ws.add_data_validation(rule)
    rule.add(f"{letter}3:{letter}1000")


def _fill_instructions(ws, kind: str) -> None:
    section = spec()[kind]
    ws.append([section["judul"]])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    for line in spec()["petunjuk_umum"] + ([section["catatan"]] if section.get("catatan") else []):
        ws.append(["• " + line])
    ws.append([])
    ws.append(["Kolom", "Wajib", "Petunjuk", "Pilihan", "Contoh"])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for c in section["columns"]:
        ws.append(
            [c["header"], "ya" if c["wajib"] else "tidak", c["petunjuk"], ", ".join(c.get("pilihan", [])), c["contoh"]]
        )
    for letter, width in zip("ABCDE", (32, 8, 70, 30, 20)):
        ws.column_dimensions[letter].width = width


def _fill_regions(ws) -> None:
    ws.append(["Kode", "Nama resmi", "Jenis"])
    for region in regions.load_regions():
        ws.append([region.kode, region.nama, region.jenis])
    ws.column_dimensions["B"].width = 28
