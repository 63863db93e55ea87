"""Files built to exhaust or fool the reader, and files as stewards really have them: each is read in
bounded memory and time, or refused with a message that says what is wrong and what to do."""

from __future__ import annotations

import io
import re
import struct
import subprocess
import sys
import textwrap
import time
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl.styles import PatternFill

from analytics.importing import reader, reader_process, spreadsheet, templates
from analytics.importing.reading_limits import MAX_CELLS, MAX_FIELD, Unreadable
from tests.hostile import SHEET, inflated, running

PROJECT_DIR = Path(__file__).resolve().parent.parent
HEADER = ["Kabupaten/Kota", "Tahun Anggaran", "Tanggal Data", "Jumlah Peserta", "Bulan Cakupan"]
REGIONS = ["Kabupaten Jember", "Kabupaten Ponorogo", "Kota Malang", "Kabupaten Bangkalan"]


def enrolment_book(rows: int = 40) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append(HEADER)
    for i in range(rows):
        sheet.append([REGIONS[i % 4], 2025, f"{1 + i // 4:02d}/07/2025", 1000 + i, 6])
    return book


def xlsx_bytes(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_sheet_xml(data: bytes, xml: bytes, part: str = SHEET) -> bytes:
    """The same workbook with one part replaced."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, xml if info.filename == part else source.read(info.filename))
    return out.getvalue()


def peak_mb(func) -> tuple[object, float]:
    tracemalloc.start()
    try:
        value = func()
        return value, tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def refused(data: bytes, name: str = "berkas.xlsx") -> Unreadable:
    with pytest.raises(Unreadable) as caught:
        spreadsheet.read_grid(name, data)
    return caught.value


# --------------------------------------------------------------------------- bounded reading


def test_one_styled_cell_at_xfd1048576_does_not_pad_the_grid():
    book = enrolment_book()
    book.active["XFD1048576"].fill = PatternFill("solid", fgColor="FFFF00")  # styled, empty
    data = xlsx_bytes(book)
    assert len(data) < 10_000
    assert b'ref="A1:XFD1048576"' in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    (sheet,), peak = peak_mb(lambda: spreadsheet.read_grid("berkas.xlsx", data))
    assert len(sheet.rows) == 41 and max(len(r) for r in sheet.rows) == 5
    assert peak < 20, f"{peak:.0f} MB for 41 rows"
    result = reader.read_file("berkas.xlsx", data)
    assert result.ok and len(result.rows) == 40


def test_a_value_far_out_counts_only_its_own_row():
    book = enrolment_book()
    book.active["XFD1048576"] = "catatan"
    (sheet,) = spreadsheet.read_grid("berkas.xlsx", xlsx_bytes(book))
    assert len(sheet.rows) == 1_048_576 and len(sheet.rows[-1]) == 16_384
    assert all(row == [] for row in sheet.rows[41:-1])


def test_a_grid_beyond_the_cell_limit_is_refused_before_it_is_built():
    rows = MAX_CELLS // 16_384 + 2  # each row reaches column XFD
    body = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c><c r="XFD%d"><v>1</v></c></row>' % (i, i, i)
        for i in range(1, rows + 1)
    )
    data = with_sheet_xml(xlsx_bytes(enrolment_book()), _worksheet(body))
    error, peak = peak_mb(lambda: refused(data))
    assert "terlalu besar" in error.message and "16.777.216" in error.message
    assert "too large" in error.message_en
    assert peak < 300, f"{peak:.0f} MB"


def _worksheet(body: bytes, prefix: bytes = b"") -> bytes:
    ns = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    if prefix:
        body = re.sub(rb"<(/?)(row|c|v|f|is|t)\b", rb"<\1" + prefix + rb":\2", body)
        return b'<?xml version="1.0"?><%s:worksheet xmlns:%s="%s"><%s:sheetData>%s</%s:sheetData></%s:worksheet>' % (
            prefix,
            prefix,
            ns,
            prefix,
            body,
            prefix,
            prefix,
        )
    return b'<?xml version="1.0"?><worksheet xmlns="%s"><sheetData>%s</sheetData></worksheet>' % (ns, body)


def test_a_zip_bomb_is_refused_from_its_declared_sizes():
    data = inflated(xlsx_bytes(enrolment_book()), 150 * 2**20)  # 150 MB that deflates to ~150 KB
    assert len(data) < 2 * 2**20
    start = time.perf_counter()
    error, peak = peak_mb(lambda: refused(data))
    assert time.perf_counter() - start < 2 and peak < 20
    assert "mengembang" in error.message and "sheet1.xml" in error.message
    assert "expands" in error.message_en
    assert spreadsheet.sheet_names("berkas.xlsx", data) == []  # the sheet picker does not inflate it either


def test_a_zip_that_lies_about_its_sizes_is_stopped_at_the_declared_size():
    data = inflated(xlsx_bytes(enrolment_book()), 50 * 2**20)
    error, peak = peak_mb(lambda: refused(_declare_size(data, SHEET, 1000)))
    assert "rusak" in error.message and peak < 20


def _declare_size(data: bytes, name: str, size: int) -> bytes:
    """The archive with `name`'s uncompressed size rewritten in both headers (a crafted file)."""
    out = bytearray(data)
    encoded = name.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = out.find(signature)
        while at >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if out[name_at : name_at + len(encoded)] == encoded:
                out[at + offset : at + offset + 4] = struct.pack("<I", size)
            at = out.find(signature, at + 4)
    return bytes(out)


# --------------------------------------------------------------------------- files as stewards have them


def test_a_utf16_unicode_text_csv_is_read_like_its_utf8_twin():
    text = (
        "\t".join(HEADER)
        + "\r\n"
        + "".join(f"{REGIONS[i % 4]}\t2025\t10/07/2025\t{18000 + i}\t6\r\n" for i in range(4))
    )
    utf16 = reader.read_file("ekspor.txt", b"\xff\xfe" + text.encode("utf-16-le"))
    utf8 = reader.read_file("ekspor.csv", text.encode("utf-8"))
    assert utf16.ok and utf16.kind == "kepesertaan"
    same = ["kode", "tahun_anggaran", "tanggal_data", "peserta", "bulan_cakupan"]
    assert utf16.rows[same].equals(utf8.rows[same]) and len(utf16.rows) == 4


def test_a_password_protected_xlsx_says_so_and_how_to_remove_it():
    plain, locked = io.BytesIO(templates.build_xlsx("kepesertaan")), io.BytesIO()
    office = OOXMLFile(plain)
    office.encrypt("rahasia", locked)
    result = reader.read_file("terkunci.xlsx", locked.getvalue())
    (problem,) = result.problems
    assert "dilindungi kata sandi" in problem.message and "rusak" not in problem.message
    assert "Encrypt with Password" in problem.message and "password-protected" in problem.message_en


FORMULA_ROWS = (
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>Kabupaten/Kota</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>Tanggal Data</t></is></c>'
    b'<c r="C1" t="inlineStr"><is><t>Jumlah Peserta</t></is></c></row>'
    b'<row r="2"><c r="A2" t="inlineStr"><is><t>Kabupaten Jember</t></is></c>'
    b'<c r="B2" t="inlineStr"><is><t>10/07/2025</t></is></c><c r="C2"><v>40300</v></c></row>'
    b'<row r="3"><c r="A3" t="inlineStr"><is><t>Kota Malang</t></is></c>'
    b'<c r="B3" t="inlineStr"><is><t>10/07/2025</t></is></c><c r="C3"><f>SUM(X1:X9)</f></c></row>'
)


@pytest.mark.parametrize("variant", ["plain", "prefixed", "no r attribute"])
def test_a_formula_without_a_saved_result_is_an_error_however_the_xml_is_written(variant):
    body = FORMULA_ROWS
    if variant == "no r attribute":
        body = re.sub(rb' r="[A-Z]+\d+"', b"", body)
    xml = _worksheet(body, b"x" if variant == "prefixed" else b"")
    result = reader.read_file("rumus.xlsx", with_sheet_xml(xlsx_bytes(enrolment_book()), xml))
    errors = [p for p in result.problems if p.level == "error"]
    assert [(p.row, p.column) for p in errors] == [(3, "Jumlah Peserta")], result.problems
    assert "rumus tanpa nilai tersimpan" in errors[0].message


def test_a_nul_byte_is_named_with_its_line():
    data = (
        "\n".join(
            [",".join(HEADER), "Kabupaten Jember,2025,10/07/2025,18000,6", "Kota Malang,2025,10/07/2025,2\x00350,6"]
        )
        + "\n"
    ).encode()
    error = refused(data, "nul.csv")
    assert "NUL" in error.message and "baris 3" in error.message and "karakter ke-30" in error.message
    assert "line 3" in error.message_en


def test_a_200_kb_note_names_its_cell_and_the_limit():
    rows = [",".join(HEADER + ["Keterangan"]), "Kabupaten Jember,2025,10/07/2025,18000,6," + "x" * 200_000]
    error = refused("\n".join(rows).encode(), "catatan.csv")
    assert "baris 2, kolom F" in error.message and "200.000 karakter" in error.message
    assert f"{MAX_FIELD:,}".replace(",", ".") in error.message and "row 2, column F" in error.message_en


def test_an_unclosed_quote_says_where_it_opened():
    lines = [",".join(HEADER + ["Keterangan"])] + [
        f"{REGIONS[i % 4]},2025,10/07/2025,{18000 + i},6,ok" for i in range(5)
    ]
    lines[3] = lines[3].replace(",ok", ',"tanpa penutup')
    error = refused(("\n".join(lines) + "\n").encode(), "kutip.csv")
    assert "dibuka di baris 4, kolom F" in error.message and "baris 4 sampai 6" in error.message
    assert "opened at line 4, column F" in error.message_en


def test_a_note_spanning_lines_in_the_last_row_is_not_an_unclosed_quote():
    text = ",".join(HEADER + ["Keterangan"]) + '\nKabupaten Jember,2025,10/07/2025,18000,6,"dua\nbaris"\n'
    (sheet,) = spreadsheet.read_grid("catatan.csv", text.encode())
    assert sheet.rows[-1][-1] == "dua\nbaris"


# --------------------------------------------------------------------------- the reader process


def test_the_reader_process_returns_what_ingest_returns():
    data = xlsx_bytes(enrolment_book())
    here, there = reader.read_file("a.xlsx", data), reader_process.read_file("a.xlsx", data)
    assert there.ok and there.rows.equals(here.rows) and there.mapping == here.mapping


def _slow_csv(rows: int = 400_000) -> bytes:
    return (
        "\n".join(
            [",".join(HEADER + ["Kategori Pekerja"])]
            + [f"{REGIONS[i % 4]},2025,10/07/2025,{1000 + i % 9000},6,kelompok {i}" for i in range(rows)]
        )
        + "\n"
    ).encode()


def test_a_read_past_its_time_limit_is_stopped_with_a_message():
    start = time.perf_counter()
    result = reader_process.read_file("besar.csv", _slow_csv(), seconds=1)
    assert time.perf_counter() - start < 5
    (problem,) = result.problems
    assert "lebih dari 1 detik" in problem.message and "1 seconds" in problem.message_en


def test_a_read_past_its_memory_limit_is_stopped_with_a_message():
    result = reader_process.read_file("besar.csv", _slow_csv(), memory=700 * 2**20)
    (problem,) = result.problems
    assert "GB memori" in problem.message and "memory" in problem.message_en


def test_a_read_in_progress_does_not_keep_the_server_process_alive(tmp_path):
    """The server's script threads are daemons; when the server exits mid-read, the reader dies with it."""
    data_file = tmp_path / "besar.csv"
    data_file.write_bytes(_slow_csv())
    script = tmp_path / "server.py"
    script.write_text(
        textwrap.dedent(f"""
        import os, subprocess, sys, threading, time
        sys.path.insert(0, {str(PROJECT_DIR)!r})
        from analytics.importing import reader_process
        data = open({str(data_file)!r}, "rb").read()
        threading.Thread(target=reader_process.read_file, args=("besar.csv", data), daemon=True).start()
        time.sleep(2)
        print(subprocess.run(["pgrep", "-P", str(os.getpid())], capture_output=True, text=True).stdout, flush=True)
    """)
    )
    start = time.perf_counter()
    done = subprocess.run([sys.executable, str(script)], check=True, timeout=30, capture_output=True, text=True)
    assert time.perf_counter() - start < 10
    assert done.stdout.split(), "the reader process had not started"
    time.sleep(0.5)
    left = [pid for pid in done.stdout.split() if running(pid)]
    assert not left, f"reader processes left running: {left}"


def test_a_big_file_reaches_the_reader_whole_even_when_the_first_wait_times_out(monkeypatch):
    monkeypatch.setattr(reader_process, "_POLL", 0.001)  # the first wait ends before 8 MB are written
    data = _slow_csv(200_000)
    result = reader_process.read_file("besar.csv", data, seconds=120)
    assert result.ok and len(result.rows) == 200_000
