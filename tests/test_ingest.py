"""The steward importer: Indonesian numbers and dates, real-world CSV/XLSX layouts, row-level problems."""

import datetime as dt
import zipfile

import openpyxl
import pytest

from analytics.importing import kinds, reader
from analytics.importing.cells import parse_date, parse_number
from analytics.schema import FACT_TABLES

COLUMNS = [col for col, _ in FACT_TABLES["kepesertaan"]]


def read_enrolment(path, **kwargs):
    return reader.read_path(path, kind="kepesertaan", **kwargs)


HEADER = ["Kabupaten/Kota", "Jumlah Peserta", "Tanggal Data", "Bulan Cakupan", "Sumber Dana"]


def write_xlsx(path, rows, title="Data"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def write_csv(path, lines, sep=",", encoding="utf-8"):
    path.write_bytes("\n".join(sep.join(cells) for cells in lines).encode(encoding))
    return path


def errors(result):
    return [p for p in result.problems if p.level == "error"]


# --------------------------------------------------------------------------- parse_number


@pytest.mark.parametrize(
    "text, expected",
    [
        ("18.000", 18000),
        ("1.234.567,89", 1234567.89),
        ("Rp 1,2 miliar", 1.2e9),
        ("12 %", 12),
        ("Rp5,5 M", 5.5e9),
        ("2 jt", 2e6),
        ("3 ribu", 3000),
        ("1 triliun", 1e12),
        ("1,5", 1.5),
        ("1,234,567", 1234567),
        ("1\u00a0234", 1234),
        ("-7", -7),
        (18000, 18000),
        (12.5, 12.5),
        ("", None),
        (None, None),
    ],
)
def test_parse_number(text, expected):
    assert parse_number(text) == pytest.approx(expected) if expected is not None else parse_number(text) is None


def test_parse_number_single_comma_thousands_is_ambiguous():
    with pytest.raises(ValueError, match="ambigu") as info:
        parse_number("24,250")
    assert '"24.250"' in str(info.value)  # the message says how to write it unambiguously


@pytest.mark.parametrize("text", ["abc", "1.23.4", "12a", True])
def test_parse_number_rejects_non_numbers(text):
    with pytest.raises(ValueError, match="bukan angka"):
        parse_number(text)


# --------------------------------------------------------------------------- parse_date


@pytest.mark.parametrize(
    "value",
    [
        "10/07/2025",
        "10-07-2025",
        "10 Juli 2025",
        "10 july 2025",
        "10 Jul 2025",
        "2025-07-10",
        45848,
        dt.datetime(2025, 7, 10, 8, 30),
        dt.date(2025, 7, 10),
    ],
)
def test_parse_date(value):
    assert parse_date(value) == dt.date(2025, 7, 10)


def test_parse_date_agustus_and_abbreviations():
    assert parse_date("1 Agustus 2025") == parse_date("1 Agu 2025") == parse_date("1 Aug 2025") == dt.date(2025, 8, 1)
    assert parse_date("31 Des 2025") == dt.date(2025, 12, 31)


@pytest.mark.parametrize(
    "value, fragment",
    [("31/02/2025", "tidak ada di kalender"), ("kemarin", "bukan tanggal"), ("10 Foo 2025", "bukan tanggal")],
)
def test_parse_date_rejects(value, fragment):
    with pytest.raises(ValueError, match=fragment):
        parse_date(value)


# --------------------------------------------------------------------------- read_enrolment: CSV


def test_clean_csv(tmp_path):
    path = write_csv(
        tmp_path / "bersih.csv",
        [HEADER, ["Kab. Ponorogo", "18.000", "10/07/2025", "6", "DBHCHT"], ["3574", "1200", "2025-07-31", "", "APBD"]],
    )
    result = read_enrolment(path)
    assert result.ok, result.problems
    assert result.header_row == 1 and result.sheet is None
    assert result.mapping == {
        "Kabupaten/Kota": "kode",
        "Jumlah Peserta": "peserta",
        "Tanggal Data": "tanggal_data",
        "Bulan Cakupan": "bulan_cakupan",
        "Sumber Dana": "sumber_dana",
    }
    rows = result.rows
    assert list(rows.columns) == COLUMNS + ["baris"]
    assert rows[
        ["kode", "peserta", "tanggal_data", "tahun_anggaran", "bulan_cakupan", "sumber_dana", "baris"]
    ].values.tolist() == [
        ["3502", "18000", "2025-07-10", "2025", "6", "dbhcht", "2"],
        ["3574", "1200", "2025-07-31", "2025", "", "apbd", "3"],
    ]
    assert (rows.jenis_angka == "realisasi").all() and (rows.peran == "total").all()
    assert (rows.diutamakan == "true").all() and (rows.sumber_id == "").all()
    assert rows.obs_id[0].startswith("R-") and rows.obs_id[0].endswith("-2")
    assert (rows.laporan_id == rows.obs_id).all()
    assert read_enrolment(path).rows.obs_id.tolist() == rows.obs_id.tolist()  # stable ids


def test_semicolon_windows1252_csv(tmp_path):
    path = write_csv(
        tmp_path / "probolinggo.csv",
        [
            ["Rekap peserta, Jawa Timur"],
            ["Wilayah", "Jml. Pekerja Rentan", "Tgl", "Keterangan"],
            ["Kab. Probolinggo", "1.234", "1 Agustus 2025", "Pekerja rentan – tahap I"],
        ],
        sep=";",
        encoding="cp1252",
    )
    result = read_enrolment(path, defaults={"tahun_anggaran": "2025"})
    assert result.ok, result.problems
    assert result.header_row == 2
    row = result.rows.iloc[0]
    assert (row.kode, row.peserta, row.tanggal_data, row.alasan, row.baris) == (
        "3513",
        "1234",
        "2025-08-01",
        "Pekerja rentan – tahap I",
        "3",
    )


def test_csv_formula_text_is_data(tmp_path):
    path = write_csv(tmp_path / "rumus.csv", [HEADER[:3], ["Kab. Ponorogo", "=1+2", "10/07/2025"]])
    (problem,) = errors(read_enrolment(path))
    assert (problem.row, problem.column) == (2, "Jumlah Peserta") and "bukan angka" in problem.message


# --------------------------------------------------------------------------- read_enrolment: XLSX layouts


def titled_sheet(total):
    return [
        ["DATA KEPESERTAAN BPJS KETENAGAKERJAAN PEKERJA RENTAN DBHCHT TAHUN 2025"],
        ["Sumber: Disnaker"],
        ["No", "Kab/Kota", None, "Jumlah Peserta", "Tanggal Data"],
        [1, "Kabupaten Jember", None, 18000, dt.datetime(2025, 7, 10)],
        [2, "Kota Malang", None, "2.500", "10 Juli 2025"],
        [None, "JUMLAH", None, total, None],
    ]


def test_xlsx_title_rows_no_column_and_matching_total(tmp_path):
    result = read_enrolment(write_xlsx(tmp_path / "rekap.xlsx", titled_sheet(20500)))
    assert result.ok, result.problems
    assert (result.sheet, result.header_row) == ("Data", 3)
    assert result.rows[["kode", "peserta", "baris"]].values.tolist() == [["3509", "18000", "4"], ["3573", "2500", "5"]]


def test_xlsx_total_that_does_not_add_up(tmp_path):
    result = read_enrolment(write_xlsx(tmp_path / "rekap.xlsx", titled_sheet("21.000")))
    (problem,) = errors(result)
    assert (problem.file, problem.sheet, problem.row, problem.column) == ("rekap.xlsx", "Data", 6, "Jumlah Peserta")
    assert "21.000" in problem.message and "20.500" in problem.message and "baris 6" in problem.message
    assert len(result.rows) == 2  # the total row is never imported as a region


def test_xlsx_picks_best_sheet_or_the_named_one(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Catatan"
    wb.active.append(["Catatan penyusun"])
    data = wb.create_sheet("Rekap")
    for row in titled_sheet(20500):
        data.append(row)
    path = tmp_path / "dua.xlsx"
    wb.save(path)
    assert read_enrolment(path).sheet == "Rekap"
    missing = read_enrolment(path, sheet="Lain")
    assert not missing.ok and "Catatan, Rekap" in missing.problems[0].message


def test_xlsx_hidden_column_is_skipped(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [["Kode", "Peserta", "Peserta lama", "Tanggal"], ["3502", 10, 99, "10/07/2025"]]:
        ws.append(row)
    ws.column_dimensions["B"].hidden = True  # the stale helper column; the visible one is the data
    wb.save(tmp_path / "h.xlsx")
    result = read_enrolment(tmp_path / "h.xlsx")
    assert result.ok and result.rows.peserta.tolist() == ["99"]


def test_xlsx_formula_without_cached_value_is_reported(tmp_path):
    path = write_xlsx(tmp_path / "f.xlsx", [HEADER[:3], ["Kab. Ponorogo", "=10+5", "10/07/2025"]])
    (problem,) = errors(read_enrolment(path))
    assert (problem.row, problem.column) == (2, "Jumlah Peserta") and "rumus" in problem.message


# --------------------------------------------------------------------------- read_enrolment: validation


def one_error(tmp_path, row, name="x.xlsx", **kwargs):
    result = read_enrolment(write_xlsx(tmp_path / name, [HEADER, row]), **kwargs)
    problems = errors(result)
    assert len(problems) == 1, problems
    return problems[0]


def test_ambiguous_region(tmp_path):
    problem = one_error(tmp_path, ["Probolinggo", 10, "10/07/2025"])
    assert (problem.file, problem.sheet, problem.row, problem.column) == ("x.xlsx", "Data", 2, "Kabupaten/Kota")
    assert "3513" in problem.message and "3574" in problem.message and "ambigu" in problem.message
    assert "Data" in str(problem) and "baris 2" in str(problem)


def test_unknown_region_with_suggestion(tmp_path):
    problem = one_error(tmp_path, ["Kab. Ponorogoo", 10, "10/07/2025"])
    assert "Ponorogoo" in problem.message and "3502" in problem.message


def test_negative_count(tmp_path):
    problem = one_error(tmp_path, ["Kab. Ponorogo", -5, "10/07/2025"])
    assert (problem.row, problem.column) == (2, "Jumlah Peserta") and "negatif" in problem.message


def test_months_out_of_range(tmp_path):
    problem = one_error(tmp_path, ["Kab. Ponorogo", 10, "10/07/2025", 13])
    assert (problem.row, problem.column) == (2, "Bulan Cakupan") and "1–12" in problem.message


def test_impossible_date(tmp_path):
    problem = one_error(tmp_path, ["Kab. Ponorogo", 10, "31/02/2025"])
    assert (problem.row, problem.column) == (2, "Tanggal Data") and "31/02/2025" in problem.message


def test_unknown_funding_source(tmp_path):
    problem = one_error(tmp_path, ["Kab. Ponorogo", 10, "10/07/2025", 6, "Hibah"])
    assert problem.column == "Sumber Dana" and "dbhcht" in problem.message


def test_funding_spellings(tmp_path):
    rows = [HEADER] + [[f"350{i}", 1, "10/07/2025", None, s] for i, s in enumerate(["DBH CHT", "Campuran", "APBD"], 1)]
    result = read_enrolment(write_xlsx(tmp_path / "s.xlsx", rows))
    assert result.ok and result.rows.sumber_dana.tolist() == ["dbhcht", "campuran", "apbd"]


def test_duplicate_row(tmp_path):
    rows = [HEADER, ["Kab. Ponorogo", 10, "10/07/2025"], ["Ponorogo", 12, "10 Juli 2025"]]
    (problem,) = errors(read_enrolment(write_xlsx(tmp_path / "d.xlsx", rows)))
    assert problem.row == 3 and "baris 2" in problem.message and "3502" in problem.message


def test_warnings_do_not_block(tmp_path):
    rows = titled_sheet(20500) + [[], ["Catatan: data sementara"]]
    result = read_enrolment(write_xlsx(tmp_path / "w.xlsx", rows))
    assert result.ok and [(p.level, p.row) for p in result.problems] == [("warning", 8)]


# --------------------------------------------------------------------------- read_enrolment: unreadable files


def test_empty_file(tmp_path):
    (tmp_path / "kosong.csv").write_bytes(b"")
    result = read_enrolment(tmp_path / "kosong.csv")
    (problem,) = result.problems
    assert not result.ok and "kosong" in problem.message and result.rows.empty


def test_header_only(tmp_path):
    result = read_enrolment(write_csv(tmp_path / "header.csv", [HEADER]))
    (problem,) = result.problems
    assert problem.level == "error" and "Tidak ada baris data" in problem.message and "baris 1" in problem.message


def test_missing_required_column(tmp_path):
    result = read_enrolment(write_csv(tmp_path / "kurang.csv", [["Wilayah", "Tanggal"], ["3502", "10/07/2025"]]))
    (problem,) = result.problems
    assert "peserta" in problem.message and '"Jumlah Peserta"' in problem.message and '"Wilayah"' in problem.message


@pytest.mark.parametrize("content", ["not a zip", "zip without workbook", "zip with broken XML"])
def test_corrupt_xlsx(tmp_path, content):
    path = tmp_path / "rusak.xlsx"
    if content == "not a zip":
        path.write_bytes(b"this is not a zip file at all")
    else:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("[Content_Types].xml" if "XML" in content else "a.txt", "<broken")
    result = read_enrolment(tmp_path / "rusak.xlsx")
    (problem,) = result.problems
    assert problem.level == "error" and problem.file == "rusak.xlsx" and "rusak" in problem.message


def test_rows_fit_the_store(tmp_path):
    from analytics import store

    result = read_enrolment(write_xlsx(tmp_path / "rekap.xlsx", titled_sheet(20500)))
    rows = result.rows.drop(columns="baris").assign(sumber_id="S001")
    coerced = store.coerce_table("kepesertaan", rows)
    assert coerced.peserta.tolist() == [18000, 2500] and coerced.tanggal_data[0] == dt.date(2025, 7, 10)


def test_budgets_and_claims_are_dbhcht_unless_a_funding_column_says_otherwise(tmp_path):
    from analytics import store

    budget = write_csv(
        tmp_path / "a.csv",
        [
            ["Kabupaten/Kota", "Tanggal Data", "Anggaran Jamsos (Rp)", "Sumber Dana"],
            ["Kota Madiun", "29/12/2025", "Rp 3 miliar", "APBD"],
            ["Kab. Jember", "31/07/2025", "6.000.000.000", ""],
        ],
    )
    result = reader.read_path(budget, kind="anggaran")
    assert result.ok and result.mapping["Sumber Dana"] == "sumber_dana"
    assert result.rows[["kode", "sumber_dana", "alasan_en"]].values.tolist() == [
        ["3577", "apbd", ""],
        ["3509", "dbhcht", ""],
    ]
    claims = write_csv(
        tmp_path / "k.csv",
        [["Kabupaten/Kota", "Tanggal Data", "Program", "Jumlah Kasus"], ["Kab. Jember", "31/12/2025", "JKM", "9"]],
    )
    rows = reader.read_path(claims, kind="klaim").rows
    assert rows["sumber_dana"].tolist() == ["dbhcht"]
    store.coerce_table("klaim", rows.drop(columns="baris").assign(sumber_id="S001"))
    bad = write_csv(
        tmp_path / "b.csv",
        [
            ["Kabupaten/Kota", "Tanggal Data", "Alokasi DBHCHT (Rp)", "Sumber Dana"],
            ["Kab. Jember", "31/07/2025", "Rp 1 miliar", "Hibah"],
        ],
    )
    (problem,) = errors(reader.read_path(bad, kind="anggaran"))
    assert problem.column == "Sumber Dana" and "dbhcht" in problem.message


# --------------------------------------------------------------------------- committee scores (penilaian)

SCORE_HEADER = [
    "Kabupaten/Kota",
    "Tahun Anggaran",
    "Tanggal Penilaian",
    "Kriteria",
    "Skor (0–100)",
    "Penilai",
    "Catatan",
]
SCORE_COLUMNS = ["kode", "tahun", "tanggal_data", "kriteria", "skor", "penilai", "catatan", "baris"]


def test_committee_scores_long_layout(tmp_path):
    path = write_csv(
        tmp_path / "komite.csv",
        [
            SCORE_HEADER,
            ["Kab. Jember", "2025", "04/07/2025", "Kebijakan", "87,5", "Penilai A", "Perbup No. 12/2024"],
            ["Kab. Jember", "2025", "04/07/2025", "implementation", "80", "Penilai A", ""],
            ["Kab. Jember", "", "18 Juli 2025", "Wawancara (presentasi di depan juri)", "90", "Penilai A", ""],
            ["Kota Probolinggo", "2025", "04/07/2025", "INOVASI", "0", "", ""],
            ["Kota Probolinggo", "2025", "04/07/2025", "Local policy", "100", "", ""],
        ],
        sep=";",
    )
    result = reader.read_path(path)
    assert result.kind == "penilaian" and result.ok, result.problems
    assert result.problems == []
    assert result.mapping == dict(
        zip(SCORE_HEADER, ["kode", "tahun", "tanggal_data", "kriteria", "skor", "penilai", "catatan"])
    )
    assert list(result.rows.columns) == [c for c, _ in FACT_TABLES["penilaian"]] + ["baris"]
    assert result.rows[SCORE_COLUMNS].values.tolist() == [
        ["3509", "2025", "2025-07-04", "kebijakan", "87.5", "Penilai A", "Perbup No. 12/2024", "2"],
        ["3509", "2025", "2025-07-04", "penerapan", "80", "Penilai A", "", "3"],
        ["3509", "2025", "2025-07-18", "wawancara", "90", "Penilai A", "", "4"],  # year from the date
        ["3574", "2025", "2025-07-04", "inovasi", "0", "", "", "5"],
        ["3574", "2025", "2025-07-04", "kebijakan", "100", "", "", "6"],
    ]  # 0 and 100 are allowed
    assert result.rows.penilaian_id.is_unique and (result.rows.sumber_id == "").all()
    from analytics import store

    coerced = store.coerce_table("penilaian", result.rows.drop(columns="baris").assign(sumber_id="S1"))
    assert coerced.skor.tolist() == [87.5, 80, 90, 0, 100] and coerced.tanggal_data[2] == dt.date(2025, 7, 18)


def test_committee_scores_wide_layout_one_column_per_criterion(tmp_path):
    rows = [
        ["Penilaian komite 2025"],
        [
            "No",
            "Kabupaten/Kota",
            "Tanggal Penilaian",
            "Penilai",
            "Kebijakan",
            "Penerapan",
            "Inovasi",
            "Wawancara",
            "Total Skor",
        ],
        [1, "Kab. Jember", dt.datetime(2025, 7, 18), "Penilai A", 87.5, 82, "75,5", 90, 335],
        [2, "Kab. Bondowoso", dt.datetime(2025, 7, 18), "Penilai A", 60, 58, 55, None, 173],
    ]
    result = reader.read_path(write_xlsx(tmp_path / "lebar.xlsx", rows))
    assert result.kind == "penilaian" and result.ok and result.problems == [], result.problems
    assert result.unused == ["Total Skor"]  # a total is not a criterion and needs no warning
    assert result.rows[["kode", "tahun", "kriteria", "skor", "penilai", "baris"]].values.tolist() == [
        ["3509", "2025", "kebijakan", "87.5", "Penilai A", "3"],
        ["3509", "2025", "penerapan", "82", "Penilai A", "3"],
        ["3509", "2025", "inovasi", "75.5", "Penilai A", "3"],
        ["3509", "2025", "wawancara", "90", "Penilai A", "3"],
        ["3511", "2025", "kebijakan", "60", "Penilai A", "4"],
        ["3511", "2025", "penerapan", "58", "Penilai A", "4"],
        ["3511", "2025", "inovasi", "55", "Penilai A", "4"],
    ]  # no interview: no row, no error
    assert result.rows.penilaian_id.is_unique


def test_committee_criteria_are_recognised_by_key_and_title_in_both_languages():
    from analytics import schema

    for key, entry in schema.committee_criteria().items():
        for spelling in (key, key.upper(), entry["id"], entry["en"], entry["id"].split("(")[0], entry["en"].lower()):
            assert kinds._parse_kriteria(spelling) == key, spelling


def test_unknown_criterion_is_a_row_error_naming_file_sheet_row_column_and_the_choices(tmp_path):
    rows = [
        SCORE_HEADER,
        ["Kab. Jember", 2025, "04/07/2025", "Kebijakan", 80, "A", None],
        ["Kab. Jember", 2025, "04/07/2025", "Kemitraan", 70, "A", None],
    ]
    result = reader.read_path(write_xlsx(tmp_path / "k.xlsx", rows, title="Skor Juri"))
    (problem,) = errors(result)
    assert (problem.file, problem.sheet, problem.row, problem.column) == ("k.xlsx", "Skor Juri", 3, "Kriteria")
    assert 'Kriteria "Kemitraan" tidak dikenali' in problem.message
    assert "kebijakan, penerapan, inovasi, wawancara" in problem.message and "komite.toml" in problem.message
    assert "kebijakan, penerapan, inovasi, wawancara" in problem.message_en
    assert str(problem).startswith('k.xlsx, sheet Skor Juri, baris 3, kolom "Kriteria": ')


@pytest.mark.parametrize(
    "value, fragment",
    [
        ("120", 'Skor "120" di luar 0–100'),
        ("-5", 'Skor "-5" di luar 0–100'),
        ("100,5", 'Skor "100,5" di luar 0–100'),
        ("sangat baik", 'Skor "sangat baik" bukan angka'),
    ],
)
def test_score_outside_0_to_100_or_not_a_number_is_a_row_error(tmp_path, value, fragment):
    path = write_csv(
        tmp_path / "s.csv", [SCORE_HEADER, ["Kab. Jember", "2025", "04/07/2025", "Inovasi", value, "A", ""]], sep=";"
    )
    (problem,) = errors(reader.read_path(path))
    assert (problem.row, problem.column) == (2, "Skor (0–100)") and fragment in problem.message, problem


def test_wide_scores_out_of_range_name_the_criterion_column(tmp_path):
    path = write_csv(
        tmp_path / "w.csv",
        [["Kabupaten/Kota", "Tanggal Penilaian", "Kebijakan", "Wawancara"], ["Kab. Jember", "04/07/2025", "80", "120"]],
    )
    (problem,) = errors(reader.read_path(path))
    assert (problem.row, problem.column) == (2, "Wawancara") and "di luar 0–100" in problem.message


def test_duplicate_committee_scores(tmp_path):
    path = write_csv(
        tmp_path / "d.csv",
        [
            SCORE_HEADER,
            ["Kab. Jember", "2025", "04/07/2025", "Kebijakan", "80", "Penilai A", ""],
            ["Kab. Jember", "2025", "04/07/2025", "Kebijakan", "80", "Penilai B", ""],  # another assessor: fine
            ["Kab. Jember", "2025", "05/07/2025", "Kebijakan", "82", "Penilai A", ""],  # another date: fine
            ["Kab. Jember", "2025", "04/07/2025", "kebijakan", "85", "penilai a", "koreksi"],
        ],
        sep=";",
    )
    (problem,) = errors(reader.read_path(path))
    assert problem.row == 5 and "Baris ganda: sama dengan baris 2" in problem.message
    assert "kriteria kebijakan" in problem.message and "Duplicate row" in problem.message_en


def test_duplicates_across_long_and_wide_columns_are_found_per_criterion(tmp_path):
    path = write_csv(
        tmp_path / "c.csv",
        [
            ["Kabupaten/Kota", "Tanggal Penilaian", "Penilai", "Kriteria", "Skor", "Kebijakan", "Inovasi"],
            ["Kab. Jember", "04/07/2025", "A", "Penerapan", "70", "80", "60"],
            ["Kab. Jember", "04/07/2025", "A", "Inovasi", "65", "", ""],
        ],
    )
    (problem,) = errors(reader.read_path(path))
    assert problem.row == 3 and "sama dengan baris 2" in problem.message and "kriteria inovasi" in problem.message


def test_a_score_needs_its_criterion(tmp_path):
    no_column = write_csv(
        tmp_path / "n.csv", [["Kabupaten/Kota", "Tanggal Penilaian", "Skor"], ["Kab. Jember", "04/07/2025", "80"]]
    )
    (problem,) = errors(reader.read_path(no_column, kind="penilaian"))
    assert problem.row == 1 and "kolom wajib tidak ditemukan: kriteria" in problem.message
    empty_cell = write_csv(tmp_path / "e.csv", [SCORE_HEADER, ["Kab. Jember", "2025", "04/07/2025", "", "80", "A", ""]])
    (problem,) = errors(reader.read_path(empty_cell))
    assert (problem.row, problem.column) == (2, "Kriteria")
    assert problem.message.startswith('Kolom "Kriteria" kosong, padahal kolom "Skor (0–100)" terisi')


def test_an_unknown_column_among_criterion_columns_is_a_warning(tmp_path):
    path = write_csv(
        tmp_path / "u.csv",
        [
            ["Kabupaten/Kota", "Tanggal Penilaian", "Kebijakan", "Kemitraan", "Peringkat"],
            ["Kab. Jember", "04/07/2025", "80", "75", "1"],
        ],
    )
    result = reader.read_path(path)
    assert result.ok and result.unused == ["Kemitraan", "Peringkat"]
    (warning,) = result.warnings
    assert warning.row == 1 and 'Kolom "Kemitraan" tidak diimpor: bukan kriteria yang dikenal' in warning.message


def test_other_kinds_are_not_read_as_committee_scores(tmp_path):
    claims = write_csv(
        tmp_path / "k.csv",
        [
            ["Kabupaten/Kota", "Tanggal Data", "Program", "Nilai Klaim (Rp)"],
            ["Kab. Jember", "31/12/2025", "JKM", "378.000.000"],
        ],
    )
    assert reader.read_path(claims).kind == "klaim"
    enrolment = write_csv(tmp_path / "p.csv", [HEADER, ["Kab. Ponorogo", "18.000", "10/07/2025", "6", "DBHCHT"]])
    assert reader.read_path(enrolment).kind == "kepesertaan"
