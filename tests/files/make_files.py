"""Writes the messy steward files beside this script: `python tests/files/make_files.py`.

Each file imitates what a kabupaten's Disnaker, the BPJS Ketenagakerjaan branch or the DBHCHT
secretariat really sends: Indonesian titles above the header, merged title cells, a "No" column,
a JUMLAH row, numbers typed as Indonesian text, regions spelled every way, signature blocks,
hidden helper columns, CSV exported by Excel with Indonesian settings. tests/test_messy_files.py
says what the reader must make of each one.

Deterministic: the same bytes on every run (fixed zip timestamps and document properties, no
randomness), so re-running it leaves `git status` clean. The ~50 MB file is not written here: the
test builds it at runtime (it must never be committed).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
OUT = HERE  # where the files are written; main(out) changes it (the test regenerates into a temp dir)
FIXED_TIME = (2025, 7, 15, 9, 30, 0)  # zip entry timestamps
FIXED_STAMP = "2025-07-15T02:30:00Z"  # docProps created/modified
D = dt.datetime  # Excel dates are written as datetimes, as Excel stores them


@dataclass(frozen=True)
class Text:
    """A string cell that must stay text even though it starts with "=" (typed with a leading ')."""

    value: str


@dataclass(frozen=True)
class Formula:
    """A formula with the value Excel saved with it (None: never calculated, e.g. written by a script)."""

    formula: str
    cached: float | int | None


@dataclass
class SheetSpec:
    title: str
    rows: list[list]
    merges: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)  # column letters
    widths: dict[str, float] = field(default_factory=dict)
    formats: dict[str, str] = field(default_factory=dict)  # cell -> number format
    bold_rows: list[int] = field(default_factory=list)


# --------------------------------------------------------------------------- writers


def write_xlsx(name: str, sheets: list[SheetSpec], creator: str = "Operator Disnaker") -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    cached: dict[int, dict[str, float | int]] = {}
    for number, spec in enumerate(sheets, start=1):
        ws = wb.create_sheet(spec.title)
        for r, row in enumerate(spec.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(r, c)
                if isinstance(value, Text):
                    cell.value = value.value
                    cell.data_type = "s"
                elif isinstance(value, Formula):
                    cell.value = value.formula
                    if value.cached is not None:
                        cached.setdefault(number, {})[cell.coordinate] = value.cached
                else:
                    cell.value = value
                if isinstance(value, dt.datetime):
                    cell.number_format = "DD/MM/YYYY"
                elif isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) >= 1000:
                    cell.number_format = "#,##0"
                if r in spec.bold_rows:
                    cell.font = Font(bold=True)
        for ref in spec.merges:
            ws.merge_cells(ref)
            ws[ref.split(":")[0]].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for letter in spec.hidden:
            ws.column_dimensions[letter].hidden = True
        for letter, width in spec.widths.items():
            ws.column_dimensions[letter].width = width
        for ref, number_format in spec.formats.items():
            ws[ref].number_format = number_format
    wb.properties.creator = creator
    wb.properties.lastModifiedBy = creator
    buffer = io.BytesIO()
    wb.save(buffer)
    path = OUT / name
    path.write_bytes(_normalise_xlsx(buffer.getvalue(), cached))
    return path


def _normalise_xlsx(data: bytes, cached: dict[int, dict[str, float | int]]) -> bytes:
    """Fixed timestamps (deterministic bytes) and the cached formula results Excel would have saved."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", FIXED_STAMP.encode(), body)
            match = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", info.filename)
            if match and int(match.group(1)) in cached:
                text = body.decode()
                for ref, value in cached[int(match.group(1))].items():
                    pattern = rf'(<c r="{ref}"[^>]*><f>[^<]*</f>)<v ?/>'
                    text, count = re.subn(pattern, rf"\g<1><v>{value}</v>", text)
                    assert count == 1, (info.filename, ref)
                body = text.encode()
            target.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def write_csv(name: str, rows: list[list], sep: str = ";", encoding: str = "utf-8", bom: bool = False) -> Path:
    text = io.StringIO()
    csv.writer(text, delimiter=sep, lineterminator="\r\n").writerows(rows)  # Excel writes CRLF
    path = OUT / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.getvalue().encode(encoding))
    return path


def padded(rows: list[list], width: int) -> list[list]:
    """Excel pads every CSV line to the table's width ("JUDUL;;;;;")."""
    return [list(row) + [""] * (width - len(row)) for row in rows]


def signature(place_date: str, office: str, name: str, nip: str, column: int) -> list[list]:
    """The signature block under a table (Mengetahui / Kepala Dinas / name / NIP)."""
    pad = [None] * column
    return [[], pad + [place_date], pad + ["Kepala " + office], [], [], pad + [name], pad + [nip]]


# --------------------------------------------------------------------------- the files

ENROL_HEADER = [
    "No",
    "Kabupaten/Kota",
    "Tanggal Data",
    "Jumlah Peserta",
    "Bulan Cakupan",
    "Sumber Dana",
    "Kategori Pekerja",
    "Keterangan",
]
TITLE_1 = "REKAPITULASI KEPESERTAAN BPJS KETENAGAKERJAAN PEKERJA RENTAN"
TITLE_2 = "YANG DIBIAYAI DANA BAGI HASIL CUKAI HASIL TEMBAKAU (DBHCHT) TAHUN ANGGARAN 2025"


def titled(rows: list[list], width_letter: str, titles: list[str]) -> tuple[list[list], list[str]]:
    """Title rows above a table (each merged across the table), then one empty row."""
    head = [[t] for t in titles] + [[]]
    merges = [f"A{i}:{width_letter}{i}" for i in range(1, len(titles) + 1)]
    return head + rows, merges


def f01_bersih() -> None:
    data = [
        [1, "Kab. Probolinggo", D(2025, 7, 10), 18000, 6, "DBHCHT", "Petani tembakau", None],
        [2, "KOTA MALANG", D(2025, 7, 10), 2500, 6, "DBHCHT", "Buruh pabrik rokok", None],
        [3, "Kab Blitar", D(2025, 7, 10), 7250, 6, "DBHCHT", "Buruh tani tembakau", None],
        [4, "35.09", D(2025, 6, 30), 40300, 9, "DBHCHT", None, "Data BPJS Cabang Jember"],
        [5, "Kabupaten Pasuruan", D(2025, 7, 10), 12480, 6, "Campuran", None, "DBHCHT + APBD"],
        [6, "Kota Surabaya", D(2025, 7, 10), 3100, 12, "APBD", None, None],
        [7, "KAB. LUMAJANG", D(2025, 7, 10), 5625, 6, "DBHCHT", "Pekerja rentan", None],
        [8, "Kab. Bondowoso", D(2025, 7, 1), 9870, 6, "DBHCHT", "Petani tembakau", "Tahap I"],
    ]
    total = sum(r[3] for r in data)
    rows, merges = titled(
        [ENROL_HEADER] + data + [[None, "JUMLAH", None, Formula("=SUM(D6:D13)", total)]],
        "H",
        [TITLE_1, TITLE_2, "Posisi data: Juli 2025"],
    )
    write_xlsx(
        "01_bersih_kepesertaan.xlsx",
        [
            SheetSpec(
                "Rekap Juli 2025",
                rows,
                merges + ["B14:C14"],
                bold_rows=[1, 2, 5, 14],
                widths={"B": 24, "C": 14, "D": 16, "G": 22, "H": 28},
            )
        ],
        creator="Disnakertrans Prov. Jatim",
    )


def f02_judul_header_gabung() -> None:
    header = [
        "No",
        "Kabupaten/Kota",
        "Tanggal Data",
        "Laki-laki",
        "Perempuan",
        "Jumlah Peserta",
        "Bulan Cakupan",
        "Kategori Pekerja",
        "Keterangan",
        None,
    ]
    people = [
        ("Petani tembakau", 3120, 1480),
        ("Buruh tani tembakau", 2210, 1935),
        ("Buruh pabrik rokok", 640, 2875),
        ("Pedagang tembakau", 415, 120),
    ]
    data = []
    for i, (category, men, women) in enumerate(people, start=1):
        r = 6 + i  # header on rows 5-6 (merged), data from row 7
        data.append(
            [
                i,
                "Kab. Pamekasan",
                D(2025, 7, 10),
                men,
                women,
                Formula(f"=D{r}+E{r}", men + women),
                6,
                category,
                "Tahap I" if i < 3 else None,
            ]
        )
    total = sum(m + w for _, m, w in people)
    rows = (
        [[TITLE_1], ["KABUPATEN PAMEKASAN"], [TITLE_2], [], header, [None] * 10]
        + data
        + [
            [
                "JUMLAH",
                None,
                None,
                Formula("=SUM(D7:D10)", sum(m for _, m, _ in people)),
                Formula("=SUM(E7:E10)", sum(w for _, _, w in people)),
                Formula("=SUM(F7:F10)", total),
            ]
        ]
        + signature(
            "Pamekasan, 14 Juli 2025",
            "Dinas Tenaga Kerja dan Transmigrasi",
            "Ir. BUDI SANTOSO, M.M.",
            "NIP. 19700101 199503 1 001",
            7,
        )
    )
    merges = (
        ["A1:J1", "A2:J2", "A3:J3"]
        + [f"{c}5:{c}6" for c in "ABCDEFGH"]
        + ["I5:J6", "A11:C11"]
        + [f"I{r}:J{r}" for r in range(7, 11)]
    )
    write_xlsx(
        "02_judul_header_gabung.xlsx",
        [SheetSpec("Pamekasan", rows, merges, bold_rows=[1, 2, 3, 5, 11], widths={"B": 20, "H": 22})],
        creator="Disnakertrans Kab. Pamekasan",
    )


def f03_jumlah_tidak_cocok() -> None:
    data = [
        [1, "Kab. Jember", D(2025, 7, 10), 40300, 9],
        [2, "Kab. Bojonegoro", D(2025, 7, 10), 8450, 6],
        [3, "Kab. Tuban", D(2025, 7, 10), 3200, 6],
        [4, "Kab. Lamongan", D(2025, 7, 10), 4100, 6],
        [5, "Kab. Sumenep", D(2025, 7, 10), 5100, 6],
    ]  # adds up to 61.150; the total says 61.250
    rows, merges = titled(
        [ENROL_HEADER[:5]] + data + [[None, "JUMLAH", None, 61250, None]],
        "E",
        ["DATA PESERTA BPJS KETENAGAKERJAAN DBHCHT", "Posisi 10 Juli 2025"],
    )
    write_xlsx(
        "03_jumlah_tidak_cocok.xlsx",
        [SheetSpec("Data", rows, merges, bold_rows=[1, 4, 10])],
        creator="BPJS Ketenagakerjaan Kanwil Jatim",
    )


def f04_banyak_sheet() -> None:
    pivot = [
        ["REKAP PESERTA PER KABUPATEN (PIVOT)"],
        [],
        ["Kabupaten/Kota", "Sum of Jumlah Peserta"],
        ["Kab. Jember", 40300],
        ["Kab. Pamekasan", 12795],
        ["Kab. Sumenep", 5100],
        ["Grand Total", 58195],
    ]
    data = [
        [1, "Kab. Jember", "10/07/2025", 40300, 9, "DBHCHT"],
        [2, "Kab. Pamekasan", "10/07/2025", 12795, 6, "DBHCHT"],
        [3, "Kab. Sumenep", "10/07/2025", 5100, 6, "APBD"],
    ]
    body, merges = titled(
        [ENROL_HEADER[:6]] + data + [[None, "JUMLAH", None, 58195]],
        "F",
        ["DATA KEPESERTAAN PEKERJA RENTAN", "Madura dan Tapal Kuda, posisi 10 Juli 2025"],
    )
    notes = [
        ["PETUNJUK PENGISIAN"],
        ["1. Isi satu baris per kabupaten/kota."],
        ["2. Jumlah peserta ditulis tanpa titik desimal."],
        ["3. Sheet Rekap dibuat otomatis (pivot)."],
    ]
    write_xlsx(
        "04_banyak_sheet.xlsx",
        [
            SheetSpec("Rekap", pivot, bold_rows=[1, 3, 7]),
            SheetSpec("Data Peserta", body, merges, bold_rows=[1, 4]),
            SheetSpec("Petunjuk", notes, bold_rows=[1]),
        ],
        creator="Sekretariat DBHCHT",
    )


BUDGET_HEADER = [
    "No",
    "Kabupaten/Kota",
    "Tahun Anggaran",
    "Tanggal Data",
    "Tahap Anggaran",
    "Alokasi DBHCHT (Rp)",
    "Anggaran Jamsos (Rp)",
    "Realisasi Jamsos (Rp)",
    "Bulan Cakupan",
    "Keterangan",
]


def f05_angka_teks() -> None:
    data = [
        [1, "Kab. Jember", 2025, D(2025, 7, 31), "Murni", 245813420000, "Rp 12,5 miliar", "Rp 6.250.000.000", 12, None],
        [
            2,
            "Kab. Bojonegoro",
            2025,
            "31/07/2025",
            "murni",
            "Rp 98,75 miliar",
            "Rp 4.800.000.000,00",
            "Rp 2,4 M",
            "12",
            "angka sementara",
        ],
        [
            3,
            "Kab. Pamekasan",
            2025,
            "31/07/2025",
            "Murni",
            "Rp. 85.340.117.000",
            4200000000.0,
            "1.050.000.000",
            9,
            None,
        ],
        [
            4,
            "Kota Batu",
            "2025",
            "31 Juli 2025",
            "MURNI",
            "Rp 10.456.789.000",
            "Rp 1,2 miliar",
            "Rp 600 juta",
            "6",
            None,
        ],
        [5, "Kab. Tuban", 2025, "31/07/2025", "Murni", "12.345.678.900", "Rp 850 juta", "Rp 425 jt", 6, None],
    ]
    rows, merges = titled(
        [BUDGET_HEADER] + data,
        "J",
        ["ANGGARAN DBHCHT BIDANG JAMINAN SOSIAL KETENAGAKERJAAN", "TAHUN ANGGARAN 2025 (MURNI)"],
    )
    write_xlsx(
        "05_angka_teks_campur.xlsx",
        [SheetSpec("Anggaran", rows, merges, bold_rows=[1, 4])],
        creator="Biro Perekonomian Setdaprov Jatim",
    )


def f06_format_tanggal() -> None:
    data = [
        [1, "Kab. Nganjuk", "10/07/2025", 2150],
        [2, "Kab. Magetan", "10 Juli 2025", 1875],
        [3, "Kab. Ngawi", D(2025, 7, 10), 2430],
        [4, "35.13", "1 Agustus 2025", 18350],
        [5, "Kab. Madiun", "2025-07-31", 1960],
        [6, "Kota Madiun", 45848, 640],
        [7, "Kab. Ponorogo", "31 Des 2025", 3300],
        [8, "Kab. Pacitan", "05-08-2025", 980],
    ]
    rows, merges = titled(
        [["No", "Kabupaten/Kota", "Tanggal Data", "Jumlah Peserta"]] + data,
        "D",
        ["PESERTA JAMSOSTEK PEKERJA RENTAN WILAYAH MATARAMAN"],
    )
    write_xlsx("06_format_tanggal.xlsx", [SheetSpec("Peserta", rows, merges, formats={"C9": "General"})])


def f07_wilayah_salah() -> None:
    data = [
        [1, "Kab. Jember", "10/07/2025", 40300],
        [2, "Kab. Sleman", "10/07/2025", 1200],
        [3, "Probolinggo", "10/07/2025", 18000],
        [4, "Kab. Bondowsoo", "10/07/2025", 9870],
        [5, "Kabupaten Surabaya", "10/07/2025", 3100],
        [6, "Kota Batu", "10/07/2025", 450],
    ]
    rows, merges = titled(
        [ENROL_HEADER[:4]] + data + [[None, "JUMLAH", None, sum(r[3] for r in data)]],
        "D",
        ["DATA PESERTA PEKERJA RENTAN (GABUNGAN DARI WA GRUP)"],
    )
    write_xlsx("07_wilayah_salah.xlsx", [SheetSpec("Sheet1", rows, merges)])


def f08_baris_ganda() -> None:
    data = [
        [1, "Kab. Jember", D(2025, 7, 10), 40300, "Petani tembakau"],
        [2, "Kab. Lumajang", D(2025, 7, 10), 5625, "Petani tembakau"],
        [3, "Kota Batu", D(2025, 7, 10), 450, None],
        [4, "Kab. Bondowoso", D(2025, 7, 10), 9870, "Petani tembakau"],
        [5, "KAB. JEMBER", "10/07/2025", 40500, "petani tembakau"],  # the same figure, updated, pasted again
        [6, "Kab. Situbondo", D(2025, 7, 10), 4120, "Petani tembakau"],
        [7, "Kota Batu", D(2025, 7, 10), 450, None],
    ]  # copy-paste twice
    header = ["No", "Kabupaten/Kota", "Tanggal Data", "Jumlah Peserta", "Kategori Pekerja"]
    rows, merges = titled([header] + data + [[None, "JUMLAH", None, sum(r[3] for r in data)]], "E", [TITLE_1])
    write_xlsx("08_baris_ganda.xlsx", [SheetSpec("Data", rows, merges)])


def f09_peserta_tidak_sah() -> None:
    data = [
        [1, "Kab. Jember", "10/07/2025", 40300],
        [2, "Kab. Lumajang", "10/07/2025", -150],
        [3, "Kab. Situbondo", "10/07/2025", "belum ada"],
        [4, "Kab. Bondowoso", "10/07/2025", "1.2OO"],
        [5, "Kab. Banyuwangi", "10/07/2025", "7.800"],
    ]
    rows, merges = titled(
        [ENROL_HEADER[:4]] + data + [[None, "JUMLAH", None, 49750]],
        "D",
        ["PESERTA BPJS TK PEKERJA RENTAN KAB. TAPAL KUDA"],
    )
    write_xlsx("09_peserta_tidak_sah.xlsx", [SheetSpec("Data", rows, merges)])


def f10_tanggal_bulan_salah() -> None:
    data = [
        [1, "Kab. Kediri", "28/02/2025", 6400, 12],
        [2, "Kota Kediri", "31/02/2025", 2100, 12],
        [3, "Kab. Tulungagung", "28/02/2025", 3900, 13],
        [4, "Kab. Trenggalek", "28/02/2025", 1250, 10],
    ]
    rows, merges = titled([ENROL_HEADER[:5]] + data, "E", ["REKAP PESERTA TRIWULAN I 2025"])
    write_xlsx("10_tanggal_bulan_salah.xlsx", [SheetSpec("TW I", rows, merges)])


def f11_kolom_tersembunyi_kosong() -> None:
    # B: hidden helper with region codes, F: hidden stale figures (before the visible count),
    # D and H: empty spacer columns, J: "Catatan Verifikasi" never filled in.
    header = [
        "No",
        "Kode Wil",
        "Kabupaten/Kota",
        None,
        "Tanggal Data",
        "Jumlah Peserta (lama)",
        "Jumlah Peserta",
        None,
        "Bulan Cakupan",
        "Catatan Verifikasi",
        None,
        None,
    ]
    data = [
        [1, 3522, "Kab. Bojonegoro", None, "10/07/2025", 8000, 8450, None, 6],
        [2, 3523, "Kab. Tuban", None, "10/07/2025", 3000, 3200, None, 6],
        [3, 3524, "Kab. Lamongan", None, "10/07/2025", 3900, 4100, None, 6],
    ]
    rows, merges = titled(
        [header] + data + [[None, None, "JUMLAH", None, None, 14900, 15750]],
        "J",
        ["PESERTA PEKERJA RENTAN BAKORWIL BOJONEGORO"],
    )
    write_xlsx("11_kolom_tersembunyi_kosong.xlsx", [SheetSpec("Data", rows, merges, hidden=["B", "F"])])


def f12_rusak() -> None:
    whole = (OUT / "01_bersih_kepesertaan.xlsx").read_bytes()
    (OUT / "12_rusak_terpotong.xlsx").write_bytes(whole[: len(whole) * 6 // 10])  # an interrupted download


def f13_kosong() -> None:
    (OUT / "13_kosong.xlsx").write_bytes(b"")


def f14_hanya_header() -> None:
    blank = [[i, None, None, None, None] for i in range(1, 6)]  # the form came back pre-numbered but unfilled
    rows, merges = titled(
        [ENROL_HEADER[:5]] + blank + [[None, "JUMLAH", None, 0]],
        "E",
        ["FORMAT ISIAN PESERTA PEKERJA RENTAN", "Kabupaten: ........"],
    )
    write_xlsx("14_hanya_header.xlsx", [SheetSpec("Isian", rows, merges)])


def f15_windows1252() -> None:
    rows = padded(
        [
            ["REKAP PESERTA BPJS KETENAGAKERJAAN PEKERJA RENTAN KAB. JEMBER"],
            ["Posisi 10 Juli 2025"],
            [],
            [
                "No",
                "Kabupaten/Kota",
                "Tanggal Data",
                "Jumlah Peserta",
                "Bulan Cakupan",
                "Kategori Pekerja",
                "Keterangan",
            ],
            ["1", "Kab. Jember", "10/07/2025", "1.234", "6", "Petani tembakau", "Pekerja rentan – tahap I"],
            [
                "2",
                "Kab. Jember",
                "10/07/2025",
                "2.468",
                "6",
                "Pekerja café dan warung",
                "Café & kedai kopi, «tahap II»",
            ],
            ["3", "Kab. Jember", "10/07/2025", "512", "6", "Buruh gudang tembakau", "Gudang Ajung — terverifikasi"],
            ["", "JUMLAH", "", "4.214", "", "", ""],
        ],
        7,
    )
    write_csv("15_windows1252_titik_koma.csv", rows, sep=";", encoding="cp1252")


def f16_anggaran_rp_juta() -> None:
    header = [
        "No",
        "Kabupaten/Kota",
        "Tahun Anggaran",
        "Tanggal Data",
        "Tahap Anggaran",
        "Alokasi DBHCHT (Rp juta)",
        "Realisasi DBHCHT (Rp juta)",
        "Anggaran Jamsos (Rp juta)",
        "Realisasi Jamsos (Rp juta)",
        "Bulan Cakupan",
    ]
    data = [
        [1, "Kab. Jember", 2025, D(2025, 10, 15), "PAK", 251430.5, 120345.25, "13.250", "6.625,5", 12],
        [2, "Kab. Probolinggo", 2025, D(2025, 10, 15), "PAK", 98750, 45120.75, 5400, 2700, 12],
        [3, "Kab. Pamekasan", 2025, D(2025, 10, 15), "Perubahan", "87.210,4", None, "4.500", None, 9],
    ]
    sums = [
        sum(float(str(r[c]).replace(".", "").replace(",", ".")) if isinstance(r[c], str) else (r[c] or 0) for r in data)
        for c in (5, 6, 7, 8)
    ]
    rows, merges = titled(
        [header] + data + [[None, "JUMLAH", None, None, None, *sums]],
        "J",
        ["ANGGARAN DBHCHT DAN JAMINAN SOSIAL TK", "PERUBAHAN APBD (PAK) TAHUN ANGGARAN 2025", "(dalam juta rupiah)"],
    )
    write_xlsx(
        "16_anggaran_rp_juta_pak.xlsx",
        [SheetSpec("PAK 2025", rows, merges, bold_rows=[5, 9])],
        creator="Sekretariat DBHCHT Prov. Jatim",
    )


def f17_klaim() -> None:
    header = ["No", "Kantor Cabang", "Kabupaten/Kota", "Program", "Jumlah Kasus", "Nilai Klaim (Rp)", "Tgl Posisi"]
    data = [
        [1, "Jember", "Kab. Jember", "JKK", 14, "Rp 182.450.000", D(2025, 12, 31)],
        [2, "Jember", "Kab. Jember", "JKM", 9, "Rp 378 juta", D(2025, 12, 31)],
        [3, "Probolinggo", "Kab. Probolinggo", "Jaminan Kematian", 5, 210000000, D(2025, 12, 31)],
        [4, "Probolinggo", "Kota Probolinggo", "JKK & JKM", 3, "Rp 96.500.000", D(2025, 12, 31)],
        [5, "Pamekasan", "Kab. Pamekasan", "jkm", 7, "Rp 1,26 miliar", D(2025, 12, 31)],
    ]
    rows, merges = titled(
        [header] + data + [[None, "TOTAL", None, None, 38, 2126950000]],
        "G",
        [
            "DATA KLAIM JKK DAN JKM PEKERJA RENTAN PENERIMA BANTUAN IURAN DBHCHT",
            "BPJS KETENAGAKERJAAN KANTOR WILAYAH JAWA TIMUR",
        ],
    )
    write_xlsx(
        "17_klaim_jkk_jkm.xlsx", [SheetSpec("Klaim 2025", rows, merges)], creator="BPJS Ketenagakerjaan Kanwil Jatim"
    )


def _bps_region_names() -> list[tuple[str, str, str]]:
    """(kode, name as BPS tables write it, jenis): bare names, "Kab." where a city shares the name."""
    from analytics import regions  # only for the list of 38; names below are typed as BPS does

    twins = {"Kediri", "Blitar", "Malang", "Probolinggo", "Pasuruan", "Mojokerto", "Madiun"}
    out = []
    for region in regions.load_regions():
        base = region.nama.split(" ", 1)[1]
        if region.jenis == "kota":
            out.append((region.kode, f"Kota {base}", region.jenis))
        else:
            out.append((region.kode, f"Kab. {base}" if base in twins else base, region.jenis))
    return out


def denominator_figures() -> list[tuple[str, str, int, float, float, float]]:
    """(kode, name, population, area km2, % poor, poor in thousands) for the 38 regions: plausible, invented."""
    out = []
    for i, (kode, name, jenis) in enumerate(_bps_region_names()):
        population = 150_000 + (i * 7919) % 60 * 41_000 + i * 1_337
        area = round((20 + (i * 53) % 330 if jenis == "kota" else 600 + (i * 613) % 3_000) + (i % 7) * 0.37, 2)
        poor_pct = round(3.5 + (i * 37) % 190 / 10, 2)
        poor_thousands = round(population * poor_pct / 100 / 1000, 2)
        out.append((kode, name, population, area, poor_pct, poor_thousands))
    return out


def _id_number(value: float, decimals: int) -> str:
    """How a number looks as Indonesian text: 3.092,34."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def f18_penyebut() -> None:
    header = [
        "Kabupaten/Kota",
        "Tahun",
        "Jumlah Penduduk (jiwa)",
        "Luas Wilayah (km2)",
        "Persentase Penduduk Miskin (%)",
        "Jumlah Penduduk Miskin (ribu jiwa)",
    ]
    data = []
    for i, (_kode, name, population, area, pct, poor) in enumerate(denominator_figures()):
        # Mixed as stewards paste from BPS tables: Excel numbers, Indonesian text, "12 %".
        data.append(
            [
                name,
                2024,
                population if i % 2 else _id_number(population, 0),
                area if i % 3 else _id_number(area, 2),
                f"{_id_number(pct, 2)} %" if i % 4 == 0 else pct,
                poor if i % 2 else _id_number(poor, 2),
            ]
        )
    figures = denominator_figures()
    total = [
        "JAWA TIMUR",
        2024,
        sum(f[2] for f in figures),
        round(sum(f[3] for f in figures), 2),
        9.79,
        round(sum(f[5] for f in figures), 2),
    ]
    rows = (
        [
            [
                "Tabel 3.1.2  Jumlah Penduduk, Luas Wilayah dan Persentase Penduduk Miskin Menurut Kabupaten/Kota "
                "di Provinsi Jawa Timur, 2024"
            ],
            [],
            header,
        ]
        + data
        + [total]
        + [[], ["Sumber: BPS Provinsi Jawa Timur, Jawa Timur Dalam Angka 2025 (diolah)"]]
    )
    write_xlsx(
        "18_penyebut_bps.xlsx",
        [SheetSpec("Tabel 3.1.2", rows, ["A1:F1"], widths={"A": 20})],
        creator="BPS Provinsi Jawa Timur",
    )


def f19a_html_markdown() -> None:
    rows = [
        ["Kabupaten/Kota", "Tanggal Data", "Jumlah Peserta", "Keterangan"],
        ["Kab. Jember", "10/07/2025", "40.300", "<script>alert(1)</script>"],
        ["Kab. Lumajang", "10/07/2025", "5.625", "**Tahap II** – lihat [SK Bupati](http://contoh.go.id/sk)"],
        ["Kab. Bondowoso", "10/07/2025", "9.870", '=HYPERLINK("http://contoh.invalid/x","klik di sini")'],
        ["Kab. Situbondo", "10/07/2025", "4.120", "+62 812-3456-7890 (operator) @admin"],
        ["Kota Batu", "10/07/2025", "450", "<b>tebal</b> & <i>miring</i> | kolom | tabel |"],
    ]
    write_csv("19a_html_markdown_keterangan.csv", rows, sep=",", encoding="utf-8", bom=True)


def f19b_rumus_teks() -> None:
    data = [
        [1, "Kab. Jember", "10/07/2025", 40300, None],
        [2, "Kab. Lumajang", "10/07/2025", Text("=5000+625"), "diketik sebagai teks"],
        [3, Text('=HYPERLINK("http://contoh.invalid","Kab. Bondowoso")'), "10/07/2025", 9870, None],
        [4, "<b>Kab. Situbondo</b>", "10/07/2025", 4120, "<script>alert(1)</script>"],
    ]
    rows, merges = titled([ENROL_HEADER[:4] + ["Keterangan"]] + data, "E", [TITLE_1])
    write_xlsx("19b_rumus_teks_kolom_angka.xlsx", [SheetSpec("Data", rows, merges)])


def f20_xls() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + b"\x3e\x00\x03\x00\xfe\xff\x09\x00\x06\x00"
    (OUT / "20_format_xls_lama.xls").write_bytes(ole + bytes(512 - len(ole)) + b"Workbook" + bytes(504))


def f21_rumus_tanpa_nilai() -> None:
    # Written by an application that never calculated the formulas (no cached values saved).
    data = [
        [1, "Kab. Jember", "10/07/2025", 21000, 19300, Formula("=D4+E4", None)],
        [2, "Kab. Lumajang", "10/07/2025", 3000, 2625, Formula("=D5+E5", None)],
    ]
    rows = (
        [
            ["Ekspor SIPEKA (aplikasi) 15/07/2025"],
            [],
            ["No", "Kabupaten/Kota", "Tanggal Data", "Laki-laki", "Perempuan", "Jumlah Peserta"],
        ]
        + data
        + [[None, "JUMLAH", None, None, None, Formula("=SUM(F4:F5)", None)]]
    )
    write_xlsx("21_rumus_tanpa_nilai.xlsx", [SheetSpec("export", rows)], creator="SIPEKA")


# ---- realistic layouts the reader gets wrong today (see tests/test_messy_files.py)


def f22_header_dua_tingkat() -> None:
    rows = [
        [TITLE_1],
        ["KABUPATEN PROBOLINGGO TAHUN ANGGARAN 2025"],
        [],
        ["No", "Kabupaten/Kota", "Tanggal Data", "Kepesertaan BPJS Ketenagakerjaan", None, "Keterangan"],
        [None, None, None, "Jumlah Peserta", "Bulan Cakupan", None],
        [1, "Kab. Probolinggo", "10/07/2025", 18000, 6, None],
        [2, "Kota Probolinggo", "10/07/2025", 2350, 6, None],
        [None, "JUMLAH", None, 20350, None, None],
    ]
    merges = ["A1:F1", "A2:F2", "A4:A5", "B4:B5", "C4:C5", "D4:E4", "F4:F5"]
    write_xlsx("22_header_dua_tingkat.xlsx", [SheetSpec("Peserta", rows, merges, bold_rows=[1, 2, 4, 5])])


def f23_baris_nomor_kolom() -> None:
    rows = [
        ["REKAPITULASI PESERTA PEKERJA RENTAN"],
        [],
        ["No", "Kabupaten/Kota", "Tanggal Data", "Jumlah Peserta", "Bulan Cakupan"],
        ["(1)", "(2)", "(3)", "(4)", "(5)"],  # the column-number row of official tables
        [1, "Kab. Jombang", "10/07/2025", 2750, 6],
        [2, "Kab. Mojokerto", "10/07/2025", 1980, 6],
        [None, "JUMLAH", None, 4730, None],
    ]
    write_xlsx("23_baris_nomor_kolom.xlsx", [SheetSpec("Lampiran", rows, ["A1:E1"])])


def f24_sel_tanggal_digabung() -> None:
    rows = [
        ["PESERTA PEKERJA RENTAN PER 10 JULI 2025"],
        [],
        ["No", "Kabupaten/Kota", "Tanggal Data", "Jumlah Peserta", "Sumber Dana"],
        [1, "Kab. Gresik", D(2025, 7, 10), 1650, "DBHCHT"],
        [2, "Kab. Sidoarjo", None, 2240, None],
        [3, "Kota Surabaya", None, 3100, None],
        [None, "JUMLAH", None, 6990, None],
    ]
    write_xlsx("24_sel_tanggal_digabung.xlsx", [SheetSpec("Data", rows, ["A1:E1", "C4:C6", "E4:E6"])])


def provincial_recap() -> list[tuple[str, str, int]]:
    """(kode, name, participants) for all 38 regions, as the province's recap lists them."""
    from analytics import regions

    return [
        (r.kode, r.nama.replace("Kabupaten ", "Kab. "), 800 + (i * 4231) % 39_000)
        for i, r in enumerate(regions.load_regions())
    ]


def f25_rekap_provinsi_subtotal() -> None:
    recap = provincial_recap()
    kab = [r for r in recap if r[0] < "3570"]
    kota = [r for r in recap if r[0] > "3570"]
    rows = [
        ["REKAPITULASI PESERTA PEKERJA RENTAN DBHCHT SE-JAWA TIMUR"],
        ["Posisi 10 Juli 2025"],
        [],
        ["No", "Kabupaten/Kota", "Tanggal Data", "Jumlah Peserta"],
    ]
    for n, (_, name, count) in enumerate(kab, start=1):
        rows.append([n, name, "10/07/2025", count])
    rows.append([None, "Jumlah Kabupaten", None, sum(r[2] for r in kab)])
    for n, (_, name, count) in enumerate(kota, start=len(kab) + 1):
        rows.append([n, name, "10/07/2025", count])
    rows.append([None, "Jumlah Kota", None, sum(r[2] for r in kota)])
    rows.append([None, "JUMLAH JAWA TIMUR", None, sum(r[2] for r in recap)])
    write_xlsx(
        "25_rekap_provinsi_subtotal.xlsx",
        [SheetSpec("Jatim", rows, ["A1:D1", "A2:D2"])],
        creator="Disnakertrans Prov. Jatim",
    )


def f26_persen_format_excel() -> None:
    rows = [
        ["Persentase penduduk miskin 2024"],
        ["Kabupaten/Kota", "Tahun", "Persentase Penduduk Miskin (%)"],
        ["Sampang", 2024, 0.2176],
        ["Bangkalan", 2024, 0.1949],
        ["Kota Batu", 2024, 0.0387],
    ]
    # Typed as "21,76%" in Excel: Excel stores 0,2176 and shows it with a percent format.
    write_xlsx(
        "26_persen_format_excel.xlsx",
        [SheetSpec("Miskin", rows, formats={"C3": "0.00%", "C4": "0.00%", "C5": "0.00%"})],
        creator="Bappeda",
    )


def f27_anggaran_rp_juta_desimal() -> None:
    header = ["Kabupaten/Kota", "Tanggal Data", "Tahap Anggaran", "Alokasi DBHCHT (Rp juta)"]
    rows = [
        ["Alokasi DBHCHT 2025 (juta rupiah)"],
        header,
        ["Kab. Tuban", "15/10/2025", "PAK", "17.150,9"],
        ["Kab. Lamongan", "15/10/2025", "PAK", 24180.3],
    ]
    write_xlsx("27_anggaran_rp_juta_desimal.xlsx", [SheetSpec("Alokasi", rows)], creator="BPKAD")


# ---- the award committee's scores (kind penilaian)

PENILAIAN_TITLE = "REKAPITULASI PENILAIAN KOMITE PENGHARGAAN DBHCHT – BPJS KETENAGAKERJAAN"


def f28_penilaian_komite_bersih() -> None:
    # Long layout: one score per row; criteria written as keys, titles (whole or short), in English and
    # in capitals; scores as Excel numbers and Indonesian text; a note in the "No" column under the table.
    header = [
        "No",
        "Kabupaten/Kota",
        "Tahun Anggaran",
        "Tanggal Penilaian",
        "Aspek Penilaian",
        "Nilai (0-100)",
        "Nama Penilai",
        "Catatan",
    ]
    data = [
        [1, "Kab. Jember", 2025, D(2025, 7, 4), "Kebijakan", 87.5, "Penilai 1", "Perbup No. 12 Tahun 2024"],
        [2, "Kab. Jember", 2025, D(2025, 7, 4), "PENERAPAN", "82,5", "Penilai 1", None],
        [3, "Kab. Jember", 2025, D(2025, 7, 4), "Inovasi", 78, "Penilai 1", "Kartu digital di desa"],
        [4, "Kab. Jember", 2025, "18 Juli 2025", "Wawancara (presentasi di depan juri)", 90, "Penilai 1", None],
        [
            5,
            "KAB. PONOROGO",
            2025,
            D(2025, 7, 4),
            "Kebijakan daerah (Perbup/Perda program jamsos pekerja rentan)",
            85,
            "Penilai 1",
            None,
        ],
        [6, "KAB. PONOROGO", 2025, D(2025, 7, 4), "implementation", "80", "Penilai 2", None],
        [7, "Kab. Probolinggo", 2025, "04/07/2025", "Local policy", 76, "Penilai 2", "Perbup dalam proses"],
        [8, "Kab. Probolinggo", 2025, "18/07/2025", "Interview", "88,0", "Penilai 2", None],
        [9, "Kota Probolinggo", None, D(2025, 7, 4), "inovasi", 64, "Penilai 2", None],
    ]
    rows, merges = titled(
        [header] + data + [[], ["Skor 0–100 per penilai; dasbor merata-ratakan skor para penilai."]],
        "H",
        [PENILAIAN_TITLE, "TAHUN ANGGARAN 2025"],
    )
    write_xlsx(
        "28_penilaian_komite_bersih.xlsx",
        [SheetSpec("Penilaian 2025", rows, merges, bold_rows=[1, 2, 4])],
        creator="Sekretariat Komite",
    )


def f29_penilaian_kriteria_salah() -> None:
    # Typed by hand: a criterion the scheme does not know, a score of 120, a word for a score, the same
    # score twice (the assessor's name in other case), and an interview that did not happen (no score).
    rows = [
        ["Kabupaten/Kota", "Tahun", "Tanggal Penilaian", "Kriteria", "Skor", "Penilai", "Keterangan"],
        ["Kab. Jember", "2025", "04/07/2025", "Kebijakan", "85", "Tim A", ""],
        ["Kab. Jember", "2025", "04/07/2025", "Kemitraan", "70", "Tim A", "Kriteria usulan juri"],
        ["Kab. Ponorogo", "2025", "04/07/2025", "Penerapan", "120", "Tim A", ""],
        ["Kab. Ponorogo", "2025", "04/07/2025", "Inovasi", "sangat baik", "Tim A", ""],
        ["Kab. Jember", "2025", "04/07/2025", "kebijakan", "88", "tim a", "diketik ulang"],
        ["Kab. Lumajang", "2025", "18/07/2025", "Wawancara", "", "Tim A", "Tidak hadir"],
    ]
    write_csv("29_penilaian_kriteria_salah.csv", rows, sep=";", bom=True)


def f30_penilaian_lebar() -> None:
    # Wide layout, as committees keep it: one row per region and assessor, one column per criterion, a
    # SUM column and a rank; the regions not shortlisted have no interview score. No year column.
    header = [
        "No",
        "Kabupaten/Kota",
        "Tanggal Penilaian",
        "Penilai",
        "Kebijakan",
        "Penerapan",
        "Inovasi",
        "Wawancara",
        "Jumlah Skor",
        "Peringkat",
    ]
    scores = [
        ("Kab. Jember", "Penilai 1", [87.5, 82, 78, 90], 1),
        ("Kab. Jember", "Penilai 2", [85, 80, "75,5", 92], 1),
        ("Kab. Ponorogo", "Penilai 1", [85, 80, 70, 88], 2),
        ("Kab. Ponorogo", "Penilai 2", [83, 84, 72, 86], 2),
        ("Kab. Bondowoso", "Penilai 1", [60, 58, 55, None], 3),
        ("Kab. Bondowoso", "Penilai 2", [62, 55, 50, None], 3),
    ]
    data = []
    for n, (region, assessor, values, rank) in enumerate(scores, start=1):
        row = n + 4
        total = sum(float(str(v).replace(",", ".")) for v in values if v is not None)
        data.append([n, region, D(2025, 7, 18), assessor, *values, Formula(f"=SUM(E{row}:H{row})", total), rank])
    rows, merges = titled([header] + data, "J", ["PENILAIAN KOMITE – REKAP SKOR PER KRITERIA", "Tahun Anggaran 2025"])
    write_xlsx(
        "30_penilaian_lebar.xlsx",
        [SheetSpec("Rekap Juri", rows, merges, bold_rows=[1, 2, 4])],
        creator="Sekretariat Komite",
    )


WRITERS = [
    f01_bersih,
    f02_judul_header_gabung,
    f03_jumlah_tidak_cocok,
    f04_banyak_sheet,
    f05_angka_teks,
    f06_format_tanggal,
    f07_wilayah_salah,
    f08_baris_ganda,
    f09_peserta_tidak_sah,
    f10_tanggal_bulan_salah,
    f11_kolom_tersembunyi_kosong,
    f12_rusak,
    f13_kosong,
    f14_hanya_header,
    f15_windows1252,
    f16_anggaran_rp_juta,
    f17_klaim,
    f18_penyebut,
    f19a_html_markdown,
    f19b_rumus_teks,
    f20_xls,
    f21_rumus_tanpa_nilai,
    f22_header_dua_tingkat,
    f23_baris_nomor_kolom,
    f24_sel_tanggal_digabung,
    f25_rekap_provinsi_subtotal,
    f26_persen_format_excel,
    f27_anggaran_rp_juta_desimal,
    f28_penilaian_komite_bersih,
    f29_penilaian_kriteria_salah,
    f30_penilaian_lebar,
]


def main(out: Path = HERE) -> list[Path]:
    """Write every file into `out`; returns their paths."""
    global OUT
    OUT = Path(out)
    try:
        for write in WRITERS:  # f12 reads f01's output, so the order matters
            write()
    finally:
        OUT = HERE
    return sorted(p for p in Path(out).iterdir() if p.name[:2].isdigit())


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(HERE.parent.parent))  # `analytics` for the region list
    main()
