"""The steward importer refuses what cannot be true, with the row, the column and how to fix it:
numbers that are infinite or beyond a physical bound (A), years and dates outside one rule of
plausibility (B, analytics.plausible), and file names or cells that would forge a line of output
or store a NUL (C)."""

import datetime as dt
import io
import subprocess
import sys
import zipfile

import openpyxl
import pytest

from analytics import plausible, store, synthetic, synthetic_world
from analytics.importing import importer, problems, reader
from analytics.importing.cells import ParseError, parse_number
from analytics.importing.xlsx import Sheet

TODAY = dt.date(2026, 12, 2)
PLACEHOLDER = 987654321  # a number cell whose saved XML text the tests replace


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """ "Today" is the clock of analytics.plausible; fixed so the bounds below do not move."""
    monkeypatch.setattr(plausible, "today", lambda: TODAY)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "impor.duckdb"
    store.build(path)
    return path


def xlsx(rows, saved_as: str | None = None) -> bytes:
    """A workbook of `rows`; the PLACEHOLDER cell saved as `saved_as` (e.g. "1E400", which openpyxl
    cannot write itself: Excel's XML holds it, openpyxl reads it as float inf)."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    if saved_as is None:
        return out.getvalue()
    source, patched = zipfile.ZipFile(io.BytesIO(out.getvalue())), io.BytesIO()
    with zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            part = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert f"<v>{PLACEHOLDER}</v>".encode() in part
                part = part.replace(f"<v>{PLACEHOLDER}</v>".encode(), f"<v>{saved_as}</v>".encode())
            target.writestr(item, part)
    return patched.getvalue()


def csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def accepted_or_date_refused(result, ok: bool) -> None:
    """Either the file reads clean, or its one data row's date is the error."""
    if ok:
        assert result.ok, result.problems
    else:
        error_at(result, 2, "Tanggal Data")


def error_at(result, row: int, column: str):
    """The one error of `result` at (row, column); its messages must be a pair, on one line."""
    found = [p for p in result.problems if p.level == "error" and (p.row, p.column) == (row, column)]
    assert len(found) == 1, result.problems
    problem = found[0]
    assert problem.message and problem.message_en and problem.message != problem.message_en
    assert "\n" not in str(problem) + problem.message_en
    return problem


def stored_text(result) -> str:
    return result.rows.to_csv(index=False)


def cli(db, *args):
    return subprocess.run(
        [sys.executable, "-m", "analytics", "--db", str(db), *args], capture_output=True, text=True, timeout=120
    )


# --------------------------------------------------------------------------- A. impossible numbers

ENROLMENT = ["Wilayah", "Tahun Anggaran", "Tanggal Data", "Jumlah Peserta"]
BUDGET = ["Wilayah", "Tahun Anggaran", "Tanggal Data", "Alokasi DBHCHT (Rp)", "Anggaran Jamsos (Rp)"]
AREA = ["Wilayah", "Tahun", "Jumlah Penduduk", "Luas Wilayah (km2)"]


@pytest.mark.parametrize(
    "header, row, column",
    [
        (BUDGET, ["Kab. Jember", 2025, "10/07/2025", PLACEHOLDER, 5_000_000], "Alokasi DBHCHT (Rp)"),
        (ENROLMENT, ["Kab. Jember", 2025, "10/07/2025", PLACEHOLDER], "Jumlah Peserta"),
        (AREA, ["Kab. Jember", 2025, 2_615_874, PLACEHOLDER], "Luas Wilayah (km2)"),
    ],
)
def test_an_infinite_number_cell_is_an_error_at_its_row_and_column(header, row, column):
    result = reader.read_file("rekap.xlsx", xlsx([header, row], saved_as="1E400"))
    problem = error_at(result, 2, column)
    assert "tak terhingga" in problem.message and "infinite" in problem.message_en
    assert "inf" not in stored_text(result)


@pytest.mark.parametrize(
    "data",
    [
        csv(",".join(ENROLMENT), 'Kab. Jember,2025,10/07/2025,"9.999.999.999.999.999.999"'),
        csv(",".join(ENROLMENT), 'Kab. Jember,2025,10/07/2025,"1.000.000.001"'),
        xlsx([ENROLMENT, ["Kab. Jember", 2025, "10/07/2025", PLACEHOLDER]], saved_as="1E19"),
        xlsx([ENROLMENT, ["Kab. Jember", 2025, "10/07/2025", PLACEHOLDER]], saved_as="9" * 400),  # a Python int
    ],
    ids=["text-beyond-64-bit", "one-over-the-bound", "numeric-cell-1E19", "numeric-cell-400-digits"],
)
def test_a_count_beyond_a_billion_is_an_error_that_states_the_bound(data):
    result = reader.read_file("rekap.xlsx" if data[:2] == b"PK" else "rekap.csv", data)
    problem = error_at(result, 2, "Jumlah Peserta")
    assert "melebihi batas 1.000.000.000" in problem.message and "1,000,000,000" in problem.message_en
    assert result.rows.empty or not result.rows["peserta"].str.len().gt(10).any()


def test_the_bounds_themselves_are_accepted():
    result = reader.read_file(
        "rekap.csv", csv(",".join(BUDGET), 'Kab. Jember,2025,10/07/2025,"Rp 1.000 triliun","1.000.000.000"')
    )
    assert result.ok, result.problems
    assert sorted(result.rows["nilai_rp"]) == ["1000000000", str(10**15)]


@pytest.mark.parametrize(
    "header, cell",
    [
        (BUDGET[:4], '"Rp 1.000.001 miliar"'),  # 1,000001 × 10^15
        (["Wilayah", "Tahun Anggaran", "Tanggal Data", "Alokasi DBHCHT (Rp juta)"], '"2.000.000.000"'),  # 2 × 10^15
    ],
)
def test_a_rupiah_amount_beyond_rp_1000_triliun_is_an_error(header, cell):
    result = reader.read_file("anggaran.csv", csv(",".join(header), f"Kab. Jember,2025,10/07/2025,{cell}"))
    problem = error_at(result, 2, header[3])
    assert "melebihi batas 1.000.000.000.000.000" in problem.message
    assert result.rows.empty


def test_parse_number_refuses_infinity_but_leaves_bounds_to_the_importer():
    for value in (float("inf"), float("-inf"), "9" * 400):
        with pytest.raises(ParseError, match="tak terhingga"):
            parse_number(value)
    for text in ("inf", "nan", "1e400", "Infinity"):
        with pytest.raises(ParseError, match="bukan angka"):
            parse_number(text)
    assert parse_number(10**30) == 10**30


def test_an_infinite_total_row_is_reported_as_infinite():  # not as "says ∞ but the rows add up to 100"
    data = xlsx(
        [ENROLMENT, ["Kab. Jember", 2025, "10/07/2025", 100], ["JUMLAH", None, None, PLACEHOLDER]], saved_as="1E400"
    )
    result = reader.read_file("rekap.xlsx", data)
    assert "tak terhingga" in error_at(result, 3, "Jumlah Peserta").message


def test_impossible_numbers_never_reach_the_store(db):
    data = csv(
        ",".join(ENROLMENT),
        'Kab. Jember,2025,10/07/2025,"9.999.999.999.999.999.999"',
        "Kota Malang,2025,10/07/2025,12.000",
    )
    before = db.read_bytes()
    result = reader.read_file("rekap.csv", data)
    assert not result.ok
    plan = importer.plan(db, result, data)  # the store-aware checks do not see the figure either
    with pytest.raises(importer.ImportRefused):
        importer.commit(db, plan, source="uji")
    assert db.read_bytes() == before


def test_the_command_line_reports_an_infinite_budget_without_a_traceback(db, tmp_path):
    path = tmp_path / "anggaran.xlsx"
    path.write_bytes(xlsx([BUDGET, ["Kab. Jember", 2025, "10/07/2025", PLACEHOLDER, 5_000_000]], saved_as="1E400"))
    before = cli(db, "batches").stdout
    done = cli(db, "import", str(path))
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stdout + done.stderr
    assert any(
        line.startswith("KESALAHAN") and 'baris 2, kolom "Alokasi DBHCHT (Rp)"' in line
        for line in done.stdout.splitlines()
    ), done.stdout
    assert cli(db, "batches").stdout == before


# --------------------------------------------------------------------------- B. plausible years and dates


def test_the_rule_states_its_range_with_an_injectable_today():
    assert plausible.year_range() == (2010, 2028)
    assert plausible.year_range(dt.date(2030, 1, 1)) == (2010, 2032)
    with pytest.raises(ParseError) as info:
        plausible.check_date(dt.date(2999, 1, 1), 2999)
    assert "Tanggal 01/01/2999 di luar rentang yang diterima (01/01/2010 – 02/12/2026)." in info.value.message
    assert "(01/01/2010 – 02/12/2026)" in info.value.message_en
    plausible.check_date(TODAY, 2026)
    plausible.check_date(dt.date(2027, 12, 31), 2026, planned=True)  # a plan may be dated ahead
    with pytest.raises(ParseError, match="31/12/2027"):
        plausible.check_date(dt.date(2028, 1, 1), 2026, planned=True)
    with pytest.raises(ParseError, match="2010–2028"):
        plausible.check_year(2009)
    assert plausible.is_budget_year(2028) and not plausible.is_budget_year(2029)
    assert plausible.is_data_date(TODAY) and not plausible.is_data_date(TODAY + dt.timedelta(days=1))


DATED = ["Wilayah", "Tanggal Data", "Jumlah Peserta"]


@pytest.mark.parametrize(
    "date, shown",
    [
        ("01/01/1900", "01/01/1900"),  # no year column: the year 1900 was derived and stored
        ("01/01/2999", "01/01/2999"),
        ("31/12/2009", "31/12/2009"),
        ("03/12/2026", "03/12/2026"),  # tomorrow
        (2958465, "31/12/9999"),  # Excel's last serial
    ],
)
def test_a_data_date_outside_2010_to_today_is_an_error(date, shown):
    result = reader.read_file("rekap.xlsx", xlsx([DATED, ["Kab. Jember", date, 1200]]))
    problem = error_at(result, 2, "Tanggal Data")
    assert f"Tanggal {shown} di luar rentang yang diterima (01/01/2010 – 02/12/2026)" in problem.message
    assert not result.ok  # so the importer stores none of the file


@pytest.mark.parametrize("year, ok", [(2009, False), (2010, True), (2028, True), (2029, False)])
def test_a_budget_year_from_2010_to_two_years_ahead(year, ok):
    result = reader.read_file("rekap.csv", csv(",".join(ENROLMENT), f"Kab. Jember,{year},10/07/2025,1200"))
    if ok:
        assert result.ok and list(result.rows["tahun_anggaran"]) == [str(year)]
    else:
        assert "2010–2028" in error_at(result, 2, "Tahun Anggaran").message


def test_a_year_cell_of_400_digits_is_an_error_not_a_crash():
    result = reader.read_file(
        "rekap.xlsx", xlsx([ENROLMENT, ["Kab. Jember", PLACEHOLDER, "10/07/2025", 1200]], saved_as="9" * 400)
    )
    assert "2010–2028" in error_at(result, 2, "Tahun Anggaran").message


def test_a_denominator_year_obeys_the_same_rule():
    result = reader.read_file("penduduk.csv", csv("Wilayah,Tahun,Jumlah Penduduk", "Kab. Jember,1999,2615874"))
    assert "2010–2028" in error_at(result, 2, "Tahun").message


PLANS = ["Wilayah", "Tahun Anggaran", "Tanggal Data", "Jenis Angka", "Jumlah Peserta"]


@pytest.mark.parametrize(
    "jenis, date, ok",
    [
        ("target", "31/12/2027", True),
        ("rencana", "30/06/2027", True),
        ("target", "01/01/2028", False),
        ("realisasi", "31/12/2026", False),
    ],
)
def test_a_target_or_plan_may_be_dated_until_the_end_of_the_following_year(jenis, date, ok):
    result = reader.read_file("target.csv", csv(",".join(PLANS), f"Kab. Jember,2026,{date},{jenis},5000"))
    accepted_or_date_refused(result, ok)


def test_a_planned_date_without_a_year_column_still_needs_a_plausible_year():
    result = reader.read_file(
        "target.csv", csv("Wilayah,Tanggal Data,Jenis Angka,Jumlah Peserta", "Kab. Jember,30/06/2035,target,5000")
    )
    problem = error_at(result, 2, "Tanggal Data")
    assert "dari tanggal data" in problem.message and "2010–2028" in problem.message


@pytest.mark.parametrize("header, ok", [(BUDGET, True), (BUDGET[:3] + ["Realisasi Jamsos (Rp)"], False)])
def test_a_budget_row_of_allocations_only_is_a_plan(header, ok):
    result = reader.read_file("anggaran.csv", csv(",".join(header), "Kab. Jember,2027,31/01/2027,5.000.000"))
    accepted_or_date_refused(result, ok)


def test_an_assessment_date_obeys_the_rule():
    result = reader.read_file(
        "penilaian.csv", csv("Wilayah,Tanggal Penilaian,Kriteria,Skor", "Kab. Jember,15/07/2999,kebijakan,80")
    )
    assert "01/01/2010 – 02/12/2026" in error_at(result, 2, "Tanggal Penilaian").message


def test_the_synthetic_data_obeys_the_rule_as_of_its_own_today():
    tables = synthetic.generate()  # generate() checks itself; as of synthetic_world.AS_OF, the end of its last year
    synthetic.check_plausible(tables)
    assert max(tables["kepesertaan"]["tanggal_data"]) <= synthetic_world.AS_OF.isoformat()
    broken = {"klaim": tables["klaim"].head(1).assign(tanggal_data="2999-01-01")}
    with pytest.raises(ValueError, match="01/01/2999"):
        synthetic.check_plausible(broken)
    with pytest.raises(ValueError, match="2009"):
        synthetic.check_plausible({"denominator": tables["denominator"].head(1).assign(tahun=2009)})


def test_url_years_and_dates_outside_the_rule_are_ignored_like_garbage():
    from views import _state

    as_of = dt.date(2025, 7, 31)
    assert _state.parse("2025-12-31", None, as_of) == dt.date(2025, 12, 31)
    for raw in ("2999-01-01", "2009-12-31", "2026-12-03", "kemarin"):
        assert _state.parse(raw, None, as_of) is None, raw
    assert _state.parse("2028", [2028], 2025, "tahun") == 2028
    for raw in ("2029", "1900", "abc"):
        assert _state.parse(raw, [2029, 1900, 2025], 2025, "tahun") is None, raw
    assert _state.parse("1900", None, 0, "penilaian_seed") == 1900  # only years obey the year rule


def test_a_link_with_an_impossible_as_of_date_opens_the_default_view(store_path, monkeypatch):
    from tests.apptest import key, open_page

    monkeypatch.undo()  # the app's own clock: its date widget allows no date after the real today
    plain = open_page(None, tahun="2025")
    linked = open_page(None, tahun="2025", per="2999-01-01")
    assert not linked.exception
    shown = [at.sidebar.date_input(key=key(at, "per")).value for at in (plain, linked)]
    assert shown[0] == shown[1]
    assert "per" not in linked.query_params  # not kept, as with ?per=kemarin


# --------------------------------------------------------------------------- C. file names and text

FORGED = "data\nDisimpan sebagai batch 999.csv"
CLEAN_CSV = csv(",".join(ENROLMENT), "Kab. Jember,2025,10/07/2025,40.300", "Kota Malang,2025,10/07/2025,12.000")


@pytest.mark.parametrize(
    "name, clean",
    [
        (FORGED, "data Disimpan sebagai batch 999.csv"),
        ("a\r\nb\tc\x00d.xlsx", "a b c d.xlsx"),
        ("laporan\u202egpj.exe.csv", "laporan gpj.exe.csv"),  # a right-to-left override would show "…csv.exe.jpg"
        ("iso\u2066kiri\u2069.csv", "iso kiri .csv"),
        ("C:\\Users\\petugas\\rekap.csv", "rekap.csv"),
        ("\n\t", "berkas"),
    ],
)
def test_file_names_are_cleaned_once_at_the_entry(name, clean):
    result = reader.read_file(name, CLEAN_CSV)
    assert result.file == clean and all(p.file == clean for p in result.problems)
    assert problems.clean_file_name(name) == clean


def test_a_long_file_name_is_capped_and_keeps_its_extension():
    result = reader.read_file("y" * 5000 + ".csv", CLEAN_CSV)
    assert result.ok and len(result.file) == 200 and result.file.endswith("….csv")  # still read as CSV
    assert problems.clean_file_name("x" * 5000 + ".xlsx") == "x" * 194 + "….xlsx"


def test_the_stored_batch_and_source_note_carry_the_clean_name(db):
    result = reader.read_file(FORGED, CLEAN_CSV)
    done = importer.commit(db, importer.plan(db, result, CLEAN_CSV), source="uji")
    con = store.connect(db, read_only=True)
    try:
        batch = store.batches(con).set_index("batch_id").loc[done.batch_id]
        sources = store.read_tables(con, "resmi")["sumber"]
    finally:
        con.close()
    assert batch.nama_file == "data Disimpan sebagai batch 999.csv"
    assert not sources["catatan"].str.contains("\n").any() and sources["catatan"].str.contains("data Disimpan").any()


def test_the_command_line_prints_no_forged_line(db, tmp_path):
    path = tmp_path / FORGED
    path.write_bytes(CLEAN_CSV)
    done = cli(db, "import", str(path))
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert not any(line.startswith("Disimpan sebagai batch 999") for line in lines), done.stdout
    assert lines[0].startswith("Berkas data Disimpan sebagai batch 999.csv, jenis kepesertaan")
    assert "data Disimpan sebagai batch 999.csv" in cli(db, "batches").stdout


def test_a_nul_in_a_text_cell_is_refused_at_its_row_and_column(monkeypatch):
    rows = [
        ["Wilayah", "Tanggal Data", "Jumlah Peserta", "Keterangan"],
        ["Kab. Jember", "10/07/2025", "1200", "data\x00sementara"],
        ["Kota Malang", "10/07/2025", "900", "lengkap"],
    ]
    monkeypatch.setattr(reader, "read_grid", lambda name, data: [Sheet("Data\nDisimpan sebagai batch 9", rows)])
    result = reader.read_file("rekap.xlsx", b"")
    assert "NUL" in error_at(result, 2, "Keterangan").message
    assert "\x00" not in stored_text(result)
    assert result.sheet == "Data Disimpan sebagai batch 9"  # a sheet name is shown and stored on one line too


def test_a_cell_value_cannot_forge_a_line_of_a_message():
    result = reader.read_file(
        "rekap.csv", csv(",".join(ENROLMENT), 'Kab. Jember,2025,10/07/2025,"abc\nDisimpan sebagai batch 999"')
    )
    assert "Disimpan sebagai batch 999" in error_at(result, 2, "Jumlah Peserta").message


def test_text_cells_are_stored_on_one_line_without_bidi_overrides():
    result = reader.read_file(
        "rekap.csv",
        csv(",".join(ENROLMENT + ["Keterangan"]), 'Kab. Jember,2025,10/07/2025,1200,"baris\u202esatu\x1b[31m"'),
    )
    assert result.ok and list(result.rows["alasan"]) == ["baris satu [31m"]
