"""Real-looking steward files (tests/files/, written by make_files.py) through the reader and the importer.

One row of `CASES` per file says exactly what the reader must make of it: the kind, the sheet and
header row, every problem (level, the spreadsheet's row, the column header, message fragments) and
the store rows, in full for the small files and by a few exact rows for the big ones. Cases with
a `bug` text are realistic layouts the reader got wrong when this folder was made (two-line headers,
"(1) (2) (3)" rows, merged dates, subtotals, percent formats, float scaling); the text says what
went wrong, and the case keeps it from coming back.

Then the importer: a file with errors is refused and leaves a store exactly as it was; every file
that reads clean commits and is read back from the `resmi` dataset. Last, a ~50 MB enrolment CSV
(built at runtime, never committed) is read whole.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from analytics import regions, schema, store
from analytics.importing import importer, problems, reader

FILES = Path(__file__).resolve().parent / "files"
ANY = object()  # not checked
NO_ERRORS = object()  # problems: no errors; warnings are not prescribed


@dataclass(frozen=True)
class Case:
    kind: str | None
    ok: bool
    sheet: str | None | object = ANY
    header_row: int | None | object = ANY
    # Every problem, in the reader's order: (level, row, column header, *fragments of the Indonesian message).
    problems: tuple | object = ()
    rows: int = 0  # store rows (budgets and denominators: one per figure)
    # Exact store rows: (columns, [values per row]) for all rows, in order.
    table: tuple[tuple[str, ...], list[tuple]] | None = None
    # A few store rows: each dict must match exactly one row (strings exact; floats approximately).
    values: tuple[dict, ...] = ()
    mapping: dict[str, str] | None = None
    unused: tuple[str, ...] | None = None
    scales: dict[str, float] | None = None
    bug: str = ""  # what the reader once got wrong here


ENROL = (
    "kode",
    "peserta",
    "tanggal_data",
    "tahun_anggaran",
    "bulan_cakupan",
    "sumber_dana",
    "kategori_pekerja",
    "alasan",
    "baris",
)
BUDGET = ("kode", "komponen", "nilai_rp", "tahap_anggaran", "tahun_anggaran", "tanggal_data", "bulan_cakupan", "baris")
SCORE = ("kode", "tahun", "tanggal_data", "kriteria", "skor", "penilai", "catatan", "baris")
REGION = "Kabupaten/Kota"
COUNT = "Jumlah Peserta"

CASES: dict[str, Case] = {
    # Clean recap from the province: 3 merged title rows, "No", regions spelled 8 ways, Excel dates,
    # a JUMLAH row whose =SUM() carries the value Excel saved. Nothing to report.
    "01_bersih_kepesertaan.xlsx": Case(
        "kepesertaan",
        True,
        "Rekap Juli 2025",
        5,
        rows=8,
        mapping={
            REGION: "kode",
            "Tanggal Data": "tanggal_data",
            COUNT: "peserta",
            "Bulan Cakupan": "bulan_cakupan",
            "Sumber Dana": "sumber_dana",
            "Kategori Pekerja": "kategori_pekerja",
            "Keterangan": "alasan",
        },
        unused=(),
        table=(
            ENROL,
            [
                ("3513", "18000", "2025-07-10", "2025", "6", "dbhcht", "Petani tembakau", "", "6"),  # Kab. Probolinggo
                ("3573", "2500", "2025-07-10", "2025", "6", "dbhcht", "Buruh pabrik rokok", "", "7"),  # KOTA MALANG
                ("3505", "7250", "2025-07-10", "2025", "6", "dbhcht", "Buruh tani tembakau", "", "8"),  # Kab Blitar
                ("3509", "40300", "2025-06-30", "2025", "9", "dbhcht", "", "Data BPJS Cabang Jember", "9"),  # 35.09
                ("3514", "12480", "2025-07-10", "2025", "6", "campuran", "", "DBHCHT + APBD", "10"),
                ("3578", "3100", "2025-07-10", "2025", "12", "apbd", "", "", "11"),
                ("3508", "5625", "2025-07-10", "2025", "6", "dbhcht", "Pekerja rentan", "", "12"),  # KAB. LUMAJANG
                ("3511", "9870", "2025-07-01", "2025", "6", "dbhcht", "Petani tembakau", "Tahap I", "13"),
            ],
        ),
    ),
    # Titles merged across the table, every header cell merged over two rows, Keterangan merged over two
    # columns, Jumlah = Laki-laki + Perempuan as saved formulas, JUMLAH label merged A:C, a signature block.
    "02_judul_header_gabung.xlsx": Case(
        "kepesertaan",
        True,
        "Pamekasan",
        5,
        rows=4,
        problems=(("warning", 13, None, "Baris 13–18 di bawah baris JUMLAH tidak diimpor"),),
        unused=("Laki-laki", "Perempuan"),
        table=(
            ("kode", "peserta", "tanggal_data", "bulan_cakupan", "kategori_pekerja", "alasan", "baris"),
            [
                ("3528", "4600", "2025-07-10", "6", "Petani tembakau", "Tahap I", "7"),
                ("3528", "4145", "2025-07-10", "6", "Buruh tani tembakau", "Tahap I", "8"),
                ("3528", "3515", "2025-07-10", "6", "Buruh pabrik rokok", "", "9"),
                ("3528", "535", "2025-07-10", "6", "Pedagang tembakau", "", "10"),
            ],
        ),
    ),
    "03_jumlah_tidak_cocok.xlsx": Case(
        "kepesertaan",
        False,
        "Data",
        4,
        rows=5,
        problems=(
            ("error", 10, COUNT, "Baris JUMLAH (baris 10) berisi 61.250", "jumlah baris data 61.150", "selisih 100"),
        ),
        values=({"kode": "3509", "peserta": "40300", "baris": "5"}, {"kode": "3529", "peserta": "5100", "baris": "9"}),
    ),
    # A pivot sheet "Rekap" first, the data on the second sheet, instructions on the third.
    "04_banyak_sheet.xlsx": Case(
        "kepesertaan",
        True,
        "Data Peserta",
        4,
        rows=3,
        table=(
            ("kode", "peserta", "tanggal_data", "bulan_cakupan", "sumber_dana", "baris"),
            [
                ("3509", "40300", "2025-07-10", "9", "dbhcht", "5"),
                ("3528", "12795", "2025-07-10", "6", "dbhcht", "6"),
                ("3529", "5100", "2025-07-10", "6", "apbd", "7"),
            ],
        ),
    ),
    # Budgets typed every way: Excel numbers, "Rp 12,5 miliar", "Rp 4.800.000.000,00", "Rp 2,4 M", "Rp 425 jt".
    "05_angka_teks_campur.xlsx": Case(
        "anggaran",
        True,
        "Anggaran",
        4,
        rows=15,
        table=(
            BUDGET,
            [
                ("3509", "alokasi_dbhcht", "245813420000", "murni", "2025", "2025-07-31", "12", "5"),
                ("3509", "anggaran_jamsos", "12500000000", "murni", "2025", "2025-07-31", "12", "5"),
                ("3509", "realisasi_jamsos", "6250000000", "murni", "2025", "2025-07-31", "12", "5"),
                ("3522", "alokasi_dbhcht", "98750000000", "murni", "2025", "2025-07-31", "12", "6"),
                ("3522", "anggaran_jamsos", "4800000000", "murni", "2025", "2025-07-31", "12", "6"),
                ("3522", "realisasi_jamsos", "2400000000", "murni", "2025", "2025-07-31", "12", "6"),
                ("3528", "alokasi_dbhcht", "85340117000", "murni", "2025", "2025-07-31", "9", "7"),
                ("3528", "anggaran_jamsos", "4200000000", "murni", "2025", "2025-07-31", "9", "7"),
                ("3528", "realisasi_jamsos", "1050000000", "murni", "2025", "2025-07-31", "9", "7"),
                ("3579", "alokasi_dbhcht", "10456789000", "murni", "2025", "2025-07-31", "6", "8"),
                ("3579", "anggaran_jamsos", "1200000000", "murni", "2025", "2025-07-31", "6", "8"),
                ("3579", "realisasi_jamsos", "600000000", "murni", "2025", "2025-07-31", "6", "8"),
                ("3523", "alokasi_dbhcht", "12345678900", "murni", "2025", "2025-07-31", "6", "9"),
                ("3523", "anggaran_jamsos", "850000000", "murni", "2025", "2025-07-31", "6", "9"),
                ("3523", "realisasi_jamsos", "425000000", "murni", "2025", "2025-07-31", "6", "9"),
            ],
        ),
    ),
    # "10/07/2025", "10 Juli 2025", an Excel date, "1 Agustus 2025", ISO, a bare serial 45848, "31 Des 2025",
    # "05-08-2025"; the budget year comes from the date.
    "06_format_tanggal.xlsx": Case(
        "kepesertaan",
        True,
        "Peserta",
        3,
        rows=8,
        table=(
            ("kode", "tanggal_data", "tahun_anggaran", "peserta", "baris"),
            [
                ("3518", "2025-07-10", "2025", "2150", "4"),
                ("3520", "2025-07-10", "2025", "1875", "5"),
                ("3521", "2025-07-10", "2025", "2430", "6"),
                ("3513", "2025-08-01", "2025", "18350", "7"),
                ("3519", "2025-07-31", "2025", "1960", "8"),
                ("3577", "2025-07-10", "2025", "640", "9"),
                ("3502", "2025-12-31", "2025", "3300", "10"),
                ("3501", "2025-08-05", "2025", "980", "11"),
            ],
        ),
    ),
    "07_wilayah_salah.xlsx": Case(
        "kepesertaan",
        False,
        "Sheet1",
        3,
        rows=6,
        problems=(
            ("error", 5, REGION, '"Kab. Sleman" tidak dikenali', "bukan kabupaten/kota di Jawa Timur"),
            (
                "error",
                6,
                REGION,
                '"Probolinggo" ambigu',
                "Kabupaten Probolinggo (3513)",
                "Kota Probolinggo (3574)",
                'Tulis "Kab." atau "Kota"',
            ),
            ("error", 7, REGION, '"Kab. Bondowsoo" tidak dikenali', "Mungkin maksud Anda Kabupaten Bondowoso (3511)?"),
            ("error", 8, REGION, "tidak ada Kabupaten Surabaya", "Mungkin maksud Anda Kota Surabaya (3578)?"),
        ),
        values=({"kode": "3509", "baris": "4"}, {"kode": "3579", "baris": "9"}),
    ),
    "08_baris_ganda.xlsx": Case(
        "kepesertaan",
        False,
        "Data",
        3,
        rows=7,
        problems=(
            ("error", 8, None, "Baris ganda: sama dengan baris 4", "kode 3509", "tanggal_data 2025-07-10"),
            ("error", 10, None, "Baris ganda: sama dengan baris 6", "kode 3579"),
        ),
        values=({"kode": "3509", "peserta": "40300", "baris": "4"}, {"kode": "3509", "peserta": "40500", "baris": "8"}),
    ),
    "09_peserta_tidak_sah.xlsx": Case(
        "kepesertaan",
        False,
        "Data",
        3,
        rows=5,
        problems=(
            ("error", 5, COUNT, 'Jumlah peserta negatif ("-150")', "Isi 0 atau lebih"),
            ("error", 6, COUNT, '"belum ada" bukan angka'),
            ("error", 7, COUNT, '"1.2OO" bukan angka'),
        ),
        values=({"kode": "3510", "peserta": "7800", "baris": "8"},),
    ),
    "10_tanggal_bulan_salah.xlsx": Case(
        "kepesertaan",
        False,
        "TW I",
        3,
        rows=4,
        problems=(
            ("error", 5, "Tanggal Data", 'Tanggal "31/02/2025" tidak ada di kalender'),
            ("error", 6, "Bulan Cakupan", "Bulan cakupan 13 di luar 1–12"),
        ),
        values=({"kode": "3506", "tanggal_data": "2025-02-28", "bulan_cakupan": "12", "baris": "4"},),
    ),
    # Hidden helper columns (region codes; stale counts left of the real ones) read as empty, so the
    # stale column is neither imported nor reported; empty spacer columns and an unused note column.
    "11_kolom_tersembunyi_kosong.xlsx": Case(
        "kepesertaan",
        True,
        "Data",
        3,
        rows=3,
        mapping={
            REGION: "kode",
            "Tanggal Data": "tanggal_data",
            COUNT: "peserta",
            "Bulan Cakupan": "bulan_cakupan",
            "Catatan Verifikasi": "alasan",
        },
        unused=(),
        table=(
            ("kode", "peserta", "alasan", "baris"),
            [("3522", "8450", "", "4"), ("3523", "3200", "", "5"), ("3524", "4100", "", "6")],
        ),
    ),
    "12_rusak_terpotong.xlsx": Case(
        None, False, None, None, problems=(("error", None, None, "File Excel rusak", "simpan ulang"),)
    ),
    "13_kosong.xlsx": Case(None, False, None, None, problems=(("error", None, None, "File kosong"),)),
    "14_hanya_header.xlsx": Case(
        "kepesertaan",
        False,
        "Isian",
        4,
        problems=(("error", None, None, "Tidak ada baris data di bawah header (baris 4)"),),
    ),
    # Excel "CSV" with Indonesian settings: Windows-1252, ';', every line padded with ';', en dash, é, «».
    "15_windows1252_titik_koma.csv": Case(
        "kepesertaan",
        True,
        None,
        4,
        rows=3,
        table=(
            ("kode", "peserta", "bulan_cakupan", "kategori_pekerja", "alasan", "baris"),
            [
                ("3509", "1234", "6", "Petani tembakau", "Pekerja rentan – tahap I", "5"),
                ("3509", "2468", "6", "Pekerja café dan warung", "Café & kedai kopi, «tahap II»", "6"),
                ("3509", "512", "6", "Buruh gudang tembakau", "Gudang Ajung — terverifikasi", "7"),
            ],
        ),
    ),
    # "(Rp juta)" columns multiplied by a million; PAK / Perubahan; JUMLAH row checked in millions.
    "16_anggaran_rp_juta_pak.xlsx": Case(
        "anggaran",
        True,
        "PAK 2025",
        5,
        rows=10,
        scales={"alokasi_dbhcht": 1e6, "realisasi_dbhcht": 1e6, "anggaran_jamsos": 1e6, "realisasi_jamsos": 1e6},
        table=(
            BUDGET,
            [
                ("3509", "alokasi_dbhcht", "251430500000", "pak", "2025", "2025-10-15", "12", "6"),
                ("3509", "realisasi_dbhcht", "120345250000", "pak", "2025", "2025-10-15", "12", "6"),
                ("3509", "anggaran_jamsos", "13250000000", "pak", "2025", "2025-10-15", "12", "6"),
                ("3509", "realisasi_jamsos", "6625500000", "pak", "2025", "2025-10-15", "12", "6"),
                ("3513", "alokasi_dbhcht", "98750000000", "pak", "2025", "2025-10-15", "12", "7"),
                ("3513", "realisasi_dbhcht", "45120750000", "pak", "2025", "2025-10-15", "12", "7"),
                ("3513", "anggaran_jamsos", "5400000000", "pak", "2025", "2025-10-15", "12", "7"),
                ("3513", "realisasi_jamsos", "2700000000", "pak", "2025", "2025-10-15", "12", "7"),
                ("3528", "alokasi_dbhcht", "87210400000", "pak", "2025", "2025-10-15", "9", "8"),
                ("3528", "anggaran_jamsos", "4500000000", "pak", "2025", "2025-10-15", "9", "8"),
            ],
        ),
    ),
    # BPJS branch claims: "Jaminan Kematian", "JKK & JKM", "jkm"; a TOTAL row checked for cases and rupiah.
    "17_klaim_jkk_jkm.xlsx": Case(
        "klaim",
        True,
        "Klaim 2025",
        4,
        rows=5,
        unused=("Kantor Cabang",),
        table=(
            ("kode", "program", "kasus", "nilai_rp", "tanggal_data", "tahun_anggaran", "baris"),
            [
                ("3509", "JKK", "14", "182450000", "2025-12-31", "2025", "5"),
                ("3509", "JKM", "9", "378000000", "2025-12-31", "2025", "6"),
                ("3513", "JKM", "5", "210000000", "2025-12-31", "2025", "7"),
                ("3574", "JKK+JKM", "3", "96500000", "2025-12-31", "2025", "8"),
                ("3528", "JKM", "7", "1260000000", "2025-12-31", "2025", "9"),
            ],
        ),
    ),
    # A BPS table of the 38 regions: bare names, "Kab." for twin names, "12,10 %" text and Excel numbers,
    # poor population in thousands, a JAWA TIMUR total row (checked) and the source line under it.
    "18_penyebut_bps.xlsx": Case(
        "denominator",
        True,
        "Tabel 3.1.2",
        3,
        rows=38 * 4,
        problems=(("warning", 44, None, "Baris 44–44 di bawah baris JUMLAH tidak diimpor"),),
        scales={"jumlah_miskin": 1e3},
        values=(
            {"kode": "3501", "tahun": "2024", "metrik": "penduduk", "nilai": "150000", "satuan": "jiwa", "baris": "4"},
            {"kode": "3501", "metrik": "persen_miskin", "nilai": "3.5", "satuan": "persen", "baris": "4"},  # "3,50 %"
            {"kode": "3501", "metrik": "jumlah_miskin", "nilai": "5250", "baris": "4"},  # "5,25" ribu jiwa
            {"kode": "3529", "metrik": "penduduk", "nilai": "1499436", "baris": "32"},  # "1.499.436"
            {"kode": "3529", "metrik": "persen_miskin", "nilai": "12.1", "baris": "32"},  # "12,10 %"
            {"kode": "3571", "metrik": "luas_km2", "nilai": "237.37", "satuan": "km2", "baris": "33"},
            {"kode": "3571", "metrik": "jumlah_miskin", "nilai": "230640", "satuan": "jiwa", "baris": "33"},
            {"kode": "3579", "metrik": "persen_miskin", "nilai": "7.4", "baris": "41"},
        ),
    ),
    # Notes holding HTML, Markdown, a formula and CSV-injection characters are kept as the exact text.
    "19a_html_markdown_keterangan.csv": Case(
        "kepesertaan",
        True,
        None,
        1,
        rows=5,
        table=(
            ("kode", "peserta", "alasan", "baris"),
            [
                ("3509", "40300", "<script>alert(1)</script>", "2"),
                ("3508", "5625", "**Tahap II** – lihat [SK Bupati](http://contoh.go.id/sk)", "3"),
                ("3511", "9870", '=HYPERLINK("http://contoh.invalid/x","klik di sini")', "4"),
                ("3512", "4120", "+62 812-3456-7890 (operator) @admin", "5"),
                ("3579", "450", "<b>tebal</b> & <i>miring</i> | kolom | tabel |", "6"),
            ],
        ),
    ),
    # Formula text typed as text: in a number column it is not a number; in the region column it is no region.
    "19b_rumus_teks_kolom_angka.xlsx": Case(
        "kepesertaan",
        False,
        "Data",
        3,
        rows=4,
        problems=(
            ("error", 5, COUNT, '"=5000+625" bukan angka'),
            ("error", 6, REGION, '"=HYPERLINK("http://contoh.invalid","Kab. Bondowoso")" tidak dikenali'),
            ("error", 7, REGION, '"<b>Kab. Situbondo</b>" tidak dikenali', "Kabupaten Situbondo (3512)"),
        ),
        values=({"kode": "", "alasan": "<script>alert(1)</script>", "baris": "7"},),
    ),
    "20_format_xls_lama.xls": Case(
        None, False, None, None, problems=(("error", None, None, "Format .xls lama tidak didukung", ".xlsx"),)
    ),
    # Written by an application that never calculated: formulas without a saved value are refused.
    "21_rumus_tanpa_nilai.xlsx": Case(
        "kepesertaan",
        False,
        "export",
        3,
        rows=2,
        unused=("Laki-laki", "Perempuan"),
        problems=(
            ("error", 4, COUNT, "rumus tanpa nilai tersimpan"),
            ("error", 5, COUNT, "rumus tanpa nilai tersimpan"),
        ),
        values=({"kode": "3509", "peserta": "", "baris": "4"},),
    ),
    # ---- realistic layouts the reader gets wrong today
    "22_header_dua_tingkat.xlsx": Case(
        "kepesertaan",
        True,
        "Peserta",
        problems=NO_ERRORS,
        rows=2,
        table=(
            ("kode", "peserta", "tanggal_data", "bulan_cakupan", "baris"),
            [("3513", "18000", "2025-07-10", "6", "6"), ("3574", "2350", "2025-07-10", "6", "7")],
        ),
        bug="A two-level header (group cell 'Kepesertaan BPJS Ketenagakerjaan' merged over 'Jumlah Peserta' and "
        "'Bulan Cakupan'): only row 4 is taken as the header, so the group cell's words make it an 'anggaran' "
        "file and row 5 (the sub-headers) is read as data with three errors.",
    ),
    "23_baris_nomor_kolom.xlsx": Case(
        "kepesertaan",
        True,
        "Lampiran",
        3,
        problems=NO_ERRORS,
        rows=2,
        table=(("kode", "peserta", "baris"), [("3517", "2750", "5"), ("3516", "1980", "6")]),
        bug="The column-number row '(1) (2) (3) (4) (5)' under the header of official tables is read as a data "
        "row: four errors on row 4.",
    ),
    "24_sel_tanggal_digabung.xlsx": Case(
        "kepesertaan",
        True,
        "Data",
        3,
        problems=NO_ERRORS,
        rows=3,
        table=(
            ("kode", "tanggal_data", "peserta", "sumber_dana", "baris"),
            [
                ("3525", "2025-07-10", "1650", "dbhcht", "4"),
                ("3515", "2025-07-10", "2240", "dbhcht", "5"),
                ("3578", "2025-07-10", "3100", "dbhcht", "6"),
            ],
        ),
        bug="One date typed once in a cell merged down the rows (C4:C6): rows 5 and 6 get 'Tanggal data kosong'.",
    ),
    "25_rekap_provinsi_subtotal.xlsx": Case(
        "kepesertaan",
        True,
        "Jatim",
        4,
        problems=NO_ERRORS,
        rows=38,
        values=(
            {"kode": "3501", "peserta": "800", "baris": "5"},
            {"kode": "3529", "peserta": "2268", "baris": "33"},
            {"kode": "3571", "peserta": "6499", "baris": "35"},
            {"kode": "3579", "peserta": "1347", "baris": "43"},
        ),
        bug="A province recap with 'Jumlah Kabupaten' after the 29 regencies, then the 9 cities, 'Jumlah Kota' and "
        "'JUMLAH JAWA TIMUR': reading stops at the first subtotal, so the 9 cities are dropped with only a "
        "warning (the file reads ok and would import 29 of 38 regions).",
    ),
    "26_persen_format_excel.xlsx": Case(
        "denominator",
        True,
        "Miskin",
        2,
        rows=3,
        values=(
            {"kode": "3527", "metrik": "persen_miskin", "nilai": 21.76},
            {"kode": "3526", "metrik": "persen_miskin", "nilai": 19.49},
            {"kode": "3579", "metrik": "persen_miskin", "nilai": 3.87},
        ),
        bug="Percentages typed as '21,76%' in Excel are stored by Excel as 0.2176 with a percent format; the "
        "reader takes the raw 0.2176 as 0.2176 percent: silently 100 times too small.",
    ),
    "27_anggaran_rp_juta_desimal.xlsx": Case(
        "anggaran",
        True,
        "Alokasi",
        2,
        rows=2,
        table=(
            ("kode", "komponen", "nilai_rp", "tahap_anggaran", "baris"),
            [
                ("3523", "alokasi_dbhcht", "17150900000", "pak", "3"),
                ("3524", "alokasi_dbhcht", "24180300000", "pak", "4"),
            ],
        ),
        bug="'17.150,9' under '(Rp juta)' becomes nilai_rp '17150900000.000002': the float product is kept "
        "(rounded to 6 decimals, below the float's resolution at 1.7e10) instead of whole rupiah/cents.",
    ),
    # ---- the award committee's scores (kind penilaian)
    # Long layout under two title rows: criteria as keys, whole or short titles, English and capitals
    # ("implementation", "Local policy", "Interview"); "82,5" and Excel numbers; a note in the "No" column.
    "28_penilaian_komite_bersih.xlsx": Case(
        "penilaian",
        True,
        "Penilaian 2025",
        4,
        rows=9,
        mapping={
            REGION: "kode",
            "Tahun Anggaran": "tahun",
            "Tanggal Penilaian": "tanggal_data",
            "Aspek Penilaian": "kriteria",
            "Nilai (0-100)": "skor",
            "Nama Penilai": "penilai",
            "Catatan": "catatan",
        },
        unused=(),
        table=(
            SCORE,
            [
                ("3509", "2025", "2025-07-04", "kebijakan", "87.5", "Penilai 1", "Perbup No. 12 Tahun 2024", "5"),
                ("3509", "2025", "2025-07-04", "penerapan", "82.5", "Penilai 1", "", "6"),
                ("3509", "2025", "2025-07-04", "inovasi", "78", "Penilai 1", "Kartu digital di desa", "7"),
                ("3509", "2025", "2025-07-18", "wawancara", "90", "Penilai 1", "", "8"),
                ("3502", "2025", "2025-07-04", "kebijakan", "85", "Penilai 1", "", "9"),
                ("3502", "2025", "2025-07-04", "penerapan", "80", "Penilai 2", "", "10"),
                ("3513", "2025", "2025-07-04", "kebijakan", "76", "Penilai 2", "Perbup dalam proses", "11"),
                ("3513", "2025", "2025-07-18", "wawancara", "88", "Penilai 2", "", "12"),
                ("3574", "2025", "2025-07-04", "inovasi", "64", "Penilai 2", "", "13"),  # year from the date
            ],
        ),
    ),
    # A criterion komite.toml lacks, a score of 120, a word for a score, the same score twice (assessor in
    # other case), and an interview without a score (skipped with a warning).
    "29_penilaian_kriteria_salah.csv": Case(
        "penilaian",
        False,
        None,
        1,
        rows=3,
        problems=(
            (
                "error",
                3,
                "Kriteria",
                'Kriteria "Kemitraan" tidak dikenali',
                "Pilih salah satu: kebijakan, penerapan, inovasi, wawancara",
                "data/penilaian/komite.toml",
            ),
            ("error", 4, "Skor", 'Skor "120" di luar 0–100'),
            ("error", 5, "Skor", 'Skor "sangat baik" bukan angka'),
            ("warning", 7, None, "Baris ini tidak berisi angka; dilewati."),
            ("error", 6, None, "Baris ganda: sama dengan baris 2", "kriteria kebijakan", "penilai tim a"),
        ),
        values=(
            {"kode": "3509", "kriteria": "kebijakan", "skor": "85", "baris": "2"},
            {"kode": "3509", "kriteria": "", "skor": "70", "baris": "3"},
        ),
    ),
    # Wide layout, one row per region and assessor, one column per criterion, a SUM and a rank column
    # (not imported, no warning); Bondowoso was not interviewed; no year column (year from the date).
    "30_penilaian_lebar.xlsx": Case(
        "penilaian",
        True,
        "Rekap Juri",
        4,
        rows=22,
        mapping={
            REGION: "kode",
            "Tanggal Penilaian": "tanggal_data",
            "Penilai": "penilai",
            "Kebijakan": "kebijakan",
            "Penerapan": "penerapan",
            "Inovasi": "inovasi",
            "Wawancara": "wawancara",
        },
        unused=("Jumlah Skor", "Peringkat"),
        values=(
            {
                "kode": "3509",
                "tahun": "2025",
                "tanggal_data": "2025-07-18",
                "kriteria": "kebijakan",
                "skor": "87.5",
                "penilai": "Penilai 1",
                "baris": "5",
            },
            {"kode": "3509", "kriteria": "inovasi", "skor": "75.5", "penilai": "Penilai 2", "baris": "6"},  # "75,5"
            {"kode": "3502", "kriteria": "wawancara", "skor": "86", "penilai": "Penilai 2", "baris": "8"},
            {"kode": "3511", "kriteria": "inovasi", "skor": "50", "penilai": "Penilai 2", "baris": "10"},
        ),
    ),
}


def read(name: str) -> problems.ReadResult:
    return reader.read_path(FILES / name)


def _fails(name: str) -> str:
    return f"\n{name}: {CASES[name].bug}" if CASES[name].bug else ""


def _matches(row: pd.Series, want: dict) -> bool:
    for column, expected in want.items():
        actual = row[column]
        if isinstance(expected, str):
            if actual != expected:
                return False
        elif actual == "" or float(actual) != pytest.approx(expected, rel=1e-9):
            return False
    return True


# --------------------------------------------------------------------------- the files


def test_every_file_has_a_case_and_the_generator_reproduces_them(tmp_path):
    on_disk = sorted(p.name for p in FILES.iterdir() if p.name[:2].isdigit())
    assert on_disk == sorted(CASES)
    assert len(on_disk) >= 17
    spec = importlib.util.spec_from_file_location("messy_make_files", FILES / "make_files.py")
    make_files = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = make_files  # dataclasses look their module up while the file executes
    spec.loader.exec_module(make_files)
    written = make_files.main(tmp_path)
    assert [p.name for p in written] == on_disk
    changed = [p.name for p in written if p.read_bytes() != (FILES / p.name).read_bytes()]
    assert not changed, f"re-run tests/files/make_files.py: {changed} differ from the generator"


@pytest.mark.parametrize("name", list(CASES))
def test_reading_a_messy_file(name):
    case = CASES[name]
    result = read(name)
    context = _fails(name) + "\n" + "\n".join(f"{p.level} {p.row} {p.column!r}: {p.message}" for p in result.problems)

    assert result.kind == case.kind, context
    assert result.file == name
    if case.sheet is not ANY:
        assert result.sheet == case.sheet, context
    if case.header_row is not ANY:
        assert result.header_row == case.header_row, context
    assert result.ok is case.ok, context

    # Problems: exactly these, located by file, sheet, row and column header, with these words.
    if case.problems is NO_ERRORS:
        assert not [p for p in result.problems if p.level == "error"], context
    else:
        got = [(p.level, p.row, p.column) for p in result.problems]
        assert got == [tuple(p[:3]) for p in case.problems], context
        for problem, (_, _, _, *fragments) in zip(result.problems, case.problems):
            assert (problem.file, problem.sheet) == (name, result.sheet)
            assert problem.message_en, problem
            for fragment in fragments:
                assert fragment in problem.message, f"{fragment!r} not in {problem.message!r}"
            if problem.row is not None:
                assert f"baris {problem.row}" in str(problem)  # where a steward looks

    if case.mapping is not None:
        assert result.mapping == case.mapping
    if case.unused is not None:
        assert result.unused == list(case.unused), result.unused
    if case.scales is not None:
        assert result.scales == case.scales

    rows = result.rows
    assert len(rows) == case.rows, context
    if case.kind:
        assert list(rows.columns) == [c for c, _ in schema.FACT_TABLES[case.kind]] + ["baris"]
    if case.table is not None:
        columns, expected = case.table
        assert [tuple(r) for r in rows[list(columns)].itertuples(index=False)] == expected, context
    for want in case.values:
        hits = [i for i, row in rows.iterrows() if _matches(row, want)]
        assert len(hits) == 1, f"{want} matches rows {hits}" + context


def test_region_spellings_in_the_clean_file_are_what_stewards_write():
    """The clean file really carries the spellings the reader must accept (guards the generator)."""
    import openpyxl

    wb = openpyxl.load_workbook(FILES / "01_bersih_kepesertaan.xlsx", read_only=True)
    names = [row[1] for row in wb["Rekap Juli 2025"].iter_rows(min_row=6, max_row=13, values_only=True)]
    wb.close()
    assert {"Kab. Probolinggo", "KOTA MALANG", "Kab Blitar", "35.09"} <= set(names)
    assert [regions.resolve(n).kode for n in names] == [r[0] for r in CASES["01_bersih_kepesertaan.xlsx"].table[1]]


# --------------------------------------------------------------------------- the importer


@pytest.fixture(scope="module")
def built_store(tmp_path_factory) -> Path:
    """store.build once per module; each test gets a byte copy (a build takes seconds, a copy none)."""
    path = tmp_path_factory.mktemp("messy") / "s.duckdb"
    store.build(path)
    return path


@pytest.fixture
def db(built_store, tmp_path) -> Path:
    path = tmp_path / "s.duckdb"
    shutil.copyfile(built_store, path)
    return path


def _snapshot(path: Path):
    con = store.connect(path, read_only=True)
    try:
        return store.batches(con), store.read_tables(con, "resmi")
    finally:
        con.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if not c.ok])
def test_a_file_with_errors_leaves_the_store_unchanged(name, db):
    data = (FILES / name).read_bytes()
    result = reader.read_file(name, data)
    assert not result.ok
    batches_before, tables_before = _snapshot(db)
    digest_before, files_before = _digest(db), sorted(p.name for p in db.parent.iterdir())

    the_plan = importer.plan(db, result, data)
    assert not the_plan.ok
    for acknowledged in (False, True):  # acknowledging warnings never lets errors through
        with pytest.raises(importer.ImportRefused):
            importer.commit(db, the_plan, source="Uji berkas berantakan", acknowledged=acknowledged)

    assert _digest(db) == digest_before
    assert sorted(p.name for p in db.parent.iterdir()) == files_before  # no stray copy or lock left
    batches_after, tables_after = _snapshot(db)
    pd.testing.assert_frame_equal(batches_after, batches_before)
    assert tables_after.keys() == tables_before.keys()
    for table in tables_before:
        pd.testing.assert_frame_equal(tables_after[table], tables_before[table])


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.ok])
def test_a_clean_file_commits_and_is_read_back(name, db):
    case = CASES[name]
    data = (FILES / name).read_bytes()
    result = reader.read_file(name, data)
    assert result.ok, _fails(name) + "\n" + "\n".join(map(str, result.problems))

    the_plan = importer.plan(db, result, data)
    loaded = importer.commit(db, the_plan, source="Uji berkas berantakan", acknowledged=True)
    assert not loaded.skipped and loaded.batch_id is not None

    batches, tables = _snapshot(db)
    batch = batches.set_index("batch_id").loc[loaded.batch_id]
    assert (batch.dataset, batch.nama_file, batch.status, batch.sha256, batch.jumlah_baris) == (
        "resmi",
        name,
        "aktif",
        hashlib.sha256(data).hexdigest(),
        loaded.rows,
    )
    stored = tables[case.kind]
    id_column = schema.ID_COLUMN[case.kind]
    assert len(stored) == case.rows, _fails(name)
    assert sorted(stored[id_column]) == sorted(result.rows[id_column])
    assert (stored.batch_id == loaded.batch_id).all()
    assert (tables["sumber"].sumber_id == stored.sumber_id.iloc[0]).all()
    if case.kind == "kepesertaan":  # notes are stored as the plain text typed, never interpreted
        by_id = stored.set_index(id_column).alasan.fillna("")
        assert [by_id[i] for i in result.rows[id_column]] == result.rows.alasan.tolist()
    if case.kind == "penilaian":  # scores come back as numbers, every criterion a key of komite.toml
        by_id = stored.set_index(id_column)
        assert [by_id.skor[i] for i in result.rows[id_column]] == [float(v) for v in result.rows.skor]
        assert set(stored.kriteria) <= set(schema.committee_criteria())


def test_html_and_formula_notes_are_stored_verbatim(db):
    name = "19a_html_markdown_keterangan.csv"
    data = (FILES / name).read_bytes()
    result = reader.read_file(name, data)
    importer.commit(db, importer.plan(db, result, data), source="Uji", acknowledged=True)
    _, tables = _snapshot(db)
    notes = dict(zip(tables["kepesertaan"].kode, tables["kepesertaan"].alasan))
    assert notes == {kode: note for kode, _, note, _ in CASES[name].table[1]}


# --------------------------------------------------------------------------- a ~50 MB file

BIG_TARGET_BYTES = 50 * 1024 * 1024
CATEGORIES = ("Petani tembakau", "Buruh tani tembakau", "Buruh pabrik rokok", "Pedagang tembakau", "Pekerja rentan")


def _write_big_csv(path: Path) -> tuple[int, str]:
    """The province's full export: ';' UTF-8, every region x category x day since 2015 (no duplicates).

    Returns the number of data rows and the last line."""
    names = [r.nama.replace("Kabupaten ", "Kab. ") for r in regions.load_regions()]
    header = "No;Kabupaten/Kota;Tanggal Data;Jumlah Peserta;Bulan Cakupan;Kategori Pekerja;Keterangan\n"
    n, day, line = 0, 0, header
    first = dt.date(2015, 1, 1)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(header)
        while out.tell() < BIG_TARGET_BYTES:
            date = f"{first + dt.timedelta(days=day):%d/%m/%Y}"
            chunk = []
            for category in CATEGORIES:
                for name in names:
                    n += 1
                    count = f"{1_000 + (n * 37) % 50_000:,}".replace(",", ".")
                    line = f"{n};{name};{date};{count};{1 + n % 12};{category};Rekap harian Disnaker, data sementara\n"
                    chunk.append(line)
            out.write("".join(chunk))
            day += 1
    return n, line


def test_a_50_mb_enrolment_csv_is_read_whole(tmp_path):
    path = tmp_path / "ekspor_lengkap_jatim.csv"
    expected_rows, last_line = _write_big_csv(path)
    assert path.stat().st_size >= BIG_TARGET_BYTES
    started = time.perf_counter()
    result = reader.read_path(path)
    elapsed = time.perf_counter() - started
    print(f"\n50 MB read: {path.stat().st_size / 1e6:.1f} MB, {expected_rows} rows in {elapsed:.1f} s")
    assert result.kind == "kepesertaan" and result.ok, result.problems[:5]
    assert result.problems == []
    assert len(result.rows) == expected_rows
    first, last = result.rows.iloc[0], result.rows.iloc[-1]
    assert (first.kode, first.tanggal_data, first.peserta, first.bulan_cakupan, first.baris) == (
        "3501",
        "2015-01-01",
        "1037",
        "2",
        "2",
    )
    _, _, date, count, months, category, _ = last_line.rstrip("\n").split(";")
    day, month, year = date.split("/")
    assert (last.kode, last.tanggal_data, last.peserta, last.bulan_cakupan, last.kategori_pekerja, last.baris) == (
        "3579",
        f"{year}-{month}-{day}",
        count.replace(".", ""),
        months,
        category,
        str(expected_rows + 1),
    )
    assert result.rows.obs_id.is_unique
