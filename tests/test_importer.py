"""Importing into the store: one batch, corrections kept as history, warnings acknowledged,
templates that round-trip, readers never blocked or shown half a batch, a killed import harmless."""

import hashlib
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from analytics import schema, store
from analytics.importing import importer, kinds, reader, templates

ENROLMENT = (
    b"Wilayah,Tahun Anggaran,Tanggal Data,Jumlah Peserta,Bulan Cakupan\n"
    b"Kab. Jember,2025,10/07/2025,40.300,9\n"
    b"Kota Probolinggo,2025,07/05/2025,11.023,8\n"
)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "impor.duckdb"
    store.build(path)
    return path


def load(db, data: bytes, name="rekap.csv", acknowledged=False, **read):
    result = reader.read_file(name, data, **read)
    plan = importer.plan(db, result, data)
    return plan, importer.commit(db, plan, source="Disnaker uji", acknowledged=acknowledged)


def resmi(db) -> dict[str, pd.DataFrame]:
    con = store.connect(db, read_only=True)
    try:
        return store.read_tables(con, "resmi")
    finally:
        con.close()


def batch_rows(db) -> pd.DataFrame:
    con = store.connect(db, read_only=True)
    try:
        return store.batches(con).set_index("batch_id")
    finally:
        con.close()


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_import_is_one_batch_with_its_file_and_source(db):
    plan, done = load(db, ENROLMENT)
    assert plan.ok and not plan.problems and plan.corrections == 0 and not done.skipped
    batch = batch_rows(db).loc[done.batch_id]
    assert (batch.dataset, batch.status, batch.nama_file, batch.jumlah_baris) == ("resmi", "aktif", "rekap.csv", 2)
    assert batch.sha256 == hashlib.sha256(ENROLMENT).hexdigest() and batch.keterangan == "Disnaker uji"
    kep = resmi(db)["kepesertaan"]
    assert sorted(zip(kep.kode, kep.peserta)) == [("3509", 40300), ("3574", 11023)]
    assert (kep.sumber_id == f"RESMI-{batch.sha256[:10]}").all()
    assert resmi(db)["sumber"].judul.tolist() == ["Disnaker uji"]


def test_the_same_file_again_is_recognised(db):
    _, first = load(db, ENROLMENT)
    again = importer.plan(db, reader.read_file("lagi.csv", ENROLMENT), ENROLMENT)
    assert again.existing_batch == first.batch_id
    assert importer.commit(db, again).skipped
    assert len(batch_rows(db).query("dataset == 'resmi'")) == 1


def test_a_correction_shows_the_newest_keeps_history_and_rolls_back(db):
    _, first = load(db, ENROLMENT)
    corrected = ENROLMENT.replace(b"40.300", b"40.350")
    plan, second = load(db, corrected, name="koreksi.csv")
    assert plan.corrections == 1  # Jember changes; Probolinggo is restated unchanged
    kep = resmi(db)["kepesertaan"].set_index("kode")
    assert kep.loc["3509", "peserta"] == 40350 and kep.loc["3509", "batch_id"] == second.batch_id
    con = store.connect(db, read_only=True)
    try:  # nothing overwritten in place: both figures are stored
        stored = con.execute(
            "SELECT peserta FROM kepesertaan WHERE dataset = 'resmi' AND kode = '3509' ORDER BY batch_id"
        ).fetchall()
    finally:
        con.close()
    assert stored == [(40300,), (40350,)]
    importer.rollback(db, second.batch_id)
    assert resmi(db)["kepesertaan"].set_index("kode").loc["3509", "peserta"] == 40300
    assert batch_rows(db).loc[second.batch_id, "status"] == "dibatalkan"


def test_rollback_restores_exactly_the_previous_state(db):
    before = {name: frame.to_csv() for name, frame in resmi(db).items()}
    _, done = load(db, ENROLMENT)
    importer.rollback(db, done.batch_id)
    assert {name: frame.to_csv() for name, frame in resmi(db).items()} == before


def test_a_wild_change_is_a_warning_that_must_be_acknowledged(db):
    load(db, ENROLMENT)
    tenfold = ENROLMENT.replace(b"40.300", b"403.000").replace(b"10/07/2025", b"31/07/2025")
    result = reader.read_file("tenfold.csv", tenfold)
    plan = importer.plan(db, result, tenfold)
    (warning,) = plan.warnings
    assert (warning.row, warning.column) == (2, "Jumlah Peserta")
    assert "Kabupaten Jember" in warning.message and "10.0×" in warning.message and "40.300" in warning.message
    before = sha(db)
    with pytest.raises(importer.ImportRefused):
        importer.commit(db, plan)
    assert sha(db) == before
    assert not importer.commit(db, plan, acknowledged=True).skipped


def test_cost_far_from_the_reference_premium_is_a_warning(db):
    load(db, ENROLMENT)
    budget = (
        b"Kabupaten/Kota;Tahun Anggaran;Tanggal Data;Realisasi Jamsos (Rp juta)\nKab. Jember;2025;31/07/2025;9.000\n"
    )
    plan = importer.plan(db, reader.read_file("anggaran.csv", budget), budget)
    (warning,) = plan.warnings  # 9e9 / (40.300 × 9) = Rp24.814, +48 %
    assert warning.row == 2 and "Rp24.814" in warning.message and "+48%" in warning.message
    fine = budget.replace(b"9.000", b"6.093")  # Rp16.799 per participant-month
    assert not importer.plan(db, reader.read_file("anggaran.csv", fine), fine).warnings


def test_an_enrolment_file_is_checked_against_stored_contribution_budgets(db):
    budget = (
        b"Kabupaten/Kota;Tahun Anggaran;Tanggal Data;Realisasi Jamsos (Rp)\n"
        b"Kab. Jember;2025;31/07/2025;Rp 6.093.360.000\n"
    )  # = 40.300 × 9 × 16.800
    load(db, budget, name="anggaran.csv")
    assert not importer.plan(db, reader.read_file("a.csv", ENROLMENT), ENROLMENT).warnings
    fewer = ENROLMENT.replace(b"40.300", b"20.150")  # half the workers for the same money: Rp33.600
    (warning,) = importer.plan(db, reader.read_file("b.csv", fewer), fewer).warnings
    assert "Rp33.600" in warning.message and "+100%" in warning.message


def test_errors_are_refused_and_change_nothing(db):
    bad = ENROLMENT + b"Probolinggo,2025,10/07/2025,18.000,9\n"
    plan = importer.plan(db, reader.read_file("ambigu.csv", bad), bad)
    assert not plan.ok
    before = sha(db)
    with pytest.raises(importer.ImportRefused):
        importer.commit(db, plan, acknowledged=True)
    assert sha(db) == before


@pytest.mark.parametrize(
    "kind, expected",
    [
        ("kepesertaan", {"kepesertaan": [("3509", 40300)]}),
        ("anggaran", {"anggaran": [("3509", "alokasi_dbhcht", 120e9), ("3509", "anggaran_jamsos", 6e9)]}),
        ("klaim", {"klaim": [("3509", "JKM", 9, 378e6)]}),
        (
            "denominator",
            {
                "denominator": [
                    ("3509", "luas_km2", 3092.34),
                    ("3509", "penduduk", 2.6e6),
                    ("3509", "persen_miskin", 9.5),
                ]
            },
        ),
        ("penilaian", {"penilaian": [("3509", "kebijakan", 87.5, "Penilai A")]}),
    ],
)
@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_a_filled_template_imports(db, tmp_path, kind, expected, extension):
    blank = (templates.build_xlsx if extension == "xlsx" else templates.build_csv)(kind)
    assert reader.read_file(f"t.{extension}", blank).rows.empty  # the example row alone stores nothing
    filled = _fill_template(blank, extension, tmp_path)
    plan, done = load(db, filled, name=f"isi.{extension}", acknowledged=True)
    assert plan.ok and plan.result.kind == kind and not done.skipped, plan.problems
    frame = resmi(db)[kind]
    columns = {
        "kepesertaan": ["kode", "peserta"],
        "anggaran": ["kode", "komponen", "nilai_rp"],
        "klaim": ["kode", "program", "kasus", "nilai_rp"],
        "denominator": ["kode", "metrik", "nilai"],
        "penilaian": ["kode", "kriteria", "skor", "penilai"],
    }[kind]
    got = sorted(tuple(row) for row in frame[columns].itertuples(index=False))
    assert got == expected[kind]  # parsed from Indonesian text exactly as float("3092.34") would be


def _fill_template(blank: bytes, extension: str, tmp_path) -> bytes:
    """A steward's edit: keep the example row's values but name the region for real."""
    if extension == "csv":
        return blank.replace(b"Contoh: ", b"")
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(blank))
    sheet = book["Data"]
    sheet["A2"] = sheet["A2"].value.removeprefix("Contoh: ")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_reader_is_never_blocked_and_never_sees_half_a_batch(db):
    reader = store.connect(db, read_only=True)  # the dashboard, mid-request
    try:
        _, done = load(db, ENROLMENT)  # succeeds although a reader holds the file open
        assert reader.execute("SELECT count(*) FROM batch_impor WHERE batch_id = ?", [done.batch_id]).fetchone()[0] == 0
    finally:
        reader.close()
    assert len(resmi(db)["kepesertaan"]) == 2  # a new reader sees the whole batch


def _big_enrolment(path, rows: int) -> None:
    names = ["Kabupaten Jember", "Kabupaten Ponorogo", "Kota Malang", "Kabupaten Probolinggo"]
    lines = ["Kabupaten/Kota,Tanggal Data,Jumlah Peserta,Kategori Pekerja"]
    # unique rows with plausible dates (2010–2025, analytics.plausible): the category tells the 16-year cycles apart
    lines += [
        f"{names[i % 4]},{1 + i // 4 % 28:02d}/{1 + i // 112 % 12:02d}/{2010 + i // 1344 % 16},{1000 + i % 97},"
        f"k{i % 3}-{i // 21504}"
        for i in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_killing_an_import_half_way_leaves_the_store_unchanged(db, tmp_path):
    big = tmp_path / "besar.csv"
    _big_enrolment(big, 120_000)
    before = sha(db)
    proc = subprocess.Popen(
        [sys.executable, "-m", "analytics", "--db", str(db), "import", str(big), "--accept-warnings"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    scratch = db.parent / f".{db.name}.{proc.pid}.tmp"
    deadline = time.time() + 120
    while not scratch.exists() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.01)
    assert scratch.exists(), "the import never started writing"
    wal = scratch.parent / (scratch.name + ".wal")  # DuckDB logs the open transaction's writes here
    while not wal.exists() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.005)
    assert wal.exists() and proc.poll() is None, "killed before the import's transaction wrote anything"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert sha(db) == before and not (db.parent / (db.name + ".wal")).exists()
    assert scratch.exists()  # left behind by the killed writer …
    _, done = load(db, ENROLMENT)
    assert not done.skipped and not scratch.exists()  # … and cleared by the next one


def test_an_uploaded_file_name_is_only_a_label(db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = reader.read_file("../../etc/cron.d/rekap.csv", ENROLMENT)
    assert result.file == "rekap.csv" and result.ok
    assert reader.read_file("..\\..\\rekap.csv", ENROLMENT).file == "rekap.csv"
    importer.commit(db, importer.plan(db, result, ENROLMENT))
    assert batch_rows(db).query("dataset == 'resmi'").nama_file.tolist() == ["rekap.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["impor.duckdb", "impor.duckdb.lock"]  # nothing else written


def test_a_store_left_with_a_write_ahead_log_keeps_its_content(tmp_path):
    path = tmp_path / "lama.duckdb"
    store.build(path)
    crash = (
        "import duckdb, os, sys; con = duckdb.connect(sys.argv[1]); "
        "con.execute(\"SET checkpoint_threshold = '1GB'\"); "
        "con.execute(\"UPDATE batch_impor SET keterangan = 'dari log' WHERE batch_id = 1\"); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", crash, str(path)], check=True, timeout=60)  # an in-place writer dies
    wal = path.with_name(path.name + ".wal")
    assert wal.exists()  # the change lives only in the log
    _, done = load(path, ENROLMENT)
    assert not done.skipped and not wal.exists()
    assert batch_rows(path).loc[1, "keterangan"] == "dari log"


# ---------------------------------------------------------------- committee scores (penilaian)

SCORES = (
    "Kabupaten/Kota;Tahun Anggaran;Tanggal Penilaian;Kriteria;Skor (0–100);Penilai;Catatan\n"
    "Kab. Jember;2025;04/07/2025;Kebijakan;87,5;Penilai A;Perbup No. 12/2024\n"
    "Kab. Jember;2025;04/07/2025;Penerapan;80;Penilai A;\n"
    "Kab. Jember;2025;04/07/2025;Kebijakan;85;Penilai B;\n"
    "Kab. Ponorogo;2025;18/07/2025;Wawancara;90;Penilai A;\n"
).encode()
WIDE_SCORES = (
    b"Kabupaten/Kota,Tanggal Penilaian,Penilai,Kebijakan,Penerapan,Inovasi,Wawancara\n"
    b"Kab. Bondowoso,04/07/2025,Penilai A,60,58,55,\n"
)


def test_committee_scores_are_one_batch_read_back_and_rolled_back(db):
    before = resmi(db)
    assert before["penilaian"].empty
    plan, done = load(db, SCORES, name="skor_komite.csv")
    assert plan.ok and not plan.problems and plan.result.kind == "penilaian" and not done.skipped
    batch = batch_rows(db).loc[done.batch_id]
    assert (batch.jenis_data, batch.jumlah_baris, batch.status) == ("penilaian+sumber", 4, "aktif")
    scores = resmi(db)["penilaian"]
    assert sorted(zip(scores.kode, scores.kriteria, scores.skor, scores.penilai)) == [
        ("3502", "wawancara", 90.0, "Penilai A"),
        ("3509", "kebijakan", 85.0, "Penilai B"),
        ("3509", "kebijakan", 87.5, "Penilai A"),
        ("3509", "penerapan", 80.0, "Penilai A"),
    ]
    assert (scores.sumber_id == f"RESMI-{batch.sha256[:10]}").all() and (scores.tahun == 2025).all()
    assert resmi(db)["sumber"].judul.tolist() == ["Disnaker uji"]  # the citation the Penilaian page shows

    _, wide = load(db, WIDE_SCORES, name="rekap_juri.csv")  # a second batch, wide layout
    assert sorted(resmi(db)["penilaian"].query("kode == '3511'").kriteria) == ["inovasi", "kebijakan", "penerapan"]
    assert importer.plan(db, reader.read_file("lagi.csv", SCORES), SCORES).existing_batch == done.batch_id

    importer.rollback(db, wide.batch_id)
    importer.rollback(db, done.batch_id)
    after = resmi(db)
    assert after["penilaian"].empty and after["sumber"].empty
    assert batch_rows(db).loc[[done.batch_id, wide.batch_id], "status"].tolist() == ["dibatalkan", "dibatalkan"]


def test_a_committee_score_correction_keeps_history_and_is_counted(db):
    _, first = load(db, SCORES)
    corrected = SCORES.replace(b"Kebijakan;87,5", b"Kebijakan;88")
    plan, second = load(db, corrected, name="koreksi.csv")
    assert plan.corrections == 1  # one assessor's one score changes; the rest is restated
    scores = resmi(db)["penilaian"].set_index(["kriteria", "penilai"])
    assert scores.loc[("kebijakan", "Penilai A"), "skor"] == 88 and len(scores) == 4
    importer.rollback(db, second.batch_id)
    assert resmi(db)["penilaian"].set_index(["kriteria", "penilai"]).loc[("kebijakan", "Penilai A"), "skor"] == 87.5


def test_a_score_far_from_the_stored_one_is_a_warning(db):
    load(db, SCORES)
    typo = SCORES.replace(b"Penerapan;80", b"Penerapan;8").replace(b"04/07/2025", b"10/07/2025")
    plan = importer.plan(db, reader.read_file("ketik.csv", typo), typo)
    (warning,) = plan.warnings
    assert warning.row == 3 and warning.column == "Skor (0–100)" and "turun 10.0×" in warning.message
    with pytest.raises(importer.ImportRefused):
        importer.commit(db, plan)


def test_committee_scores_with_errors_are_refused(db):
    bad = SCORES + b"Kab. Jember;2025;04/07/2025;Kemitraan;120;Penilai A;\n"
    before = sha(db)
    plan = importer.plan(db, reader.read_file("salah.csv", bad), bad)
    assert not plan.ok and [p.column for p in plan.problems if p.level == "error"] == ["Kriteria", "Skor (0–100)"]
    with pytest.raises(importer.ImportRefused):
        importer.commit(db, plan, acknowledged=True)
    assert sha(db) == before


def test_the_committee_template_has_instructions_regions_and_a_criterion_drop_down():
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(templates.build_xlsx("penilaian")))
    assert book.sheetnames == ["Data", "Petunjuk", "Wilayah"]
    data = book["Data"]
    header = [c.value for c in data[1]]
    assert header == [
        "Kabupaten/Kota",
        "Tahun Anggaran",
        "Tanggal Penilaian",
        "Kriteria",
        "Skor (0–100)",
        "Penilai",
        "Catatan",
    ]
    lists = {str(v.sqref): v.formula1 for v in data.data_validations.dataValidation}
    assert lists["D3:D1000"] == '"' + ",".join(schema.committee_criteria()) + '"'  # komite.toml's keys, in order
    assert lists["A3:A200"] == "=Wilayah!$B$2:$B$39"
    petunjuk = [row[0] for row in book["Petunjuk"].iter_rows(values_only=True) if row and row[0]]
    assert petunjuk[0].startswith("Templat penilaian komite") and any("Bentuk lebar" in str(line) for line in petunjuk)
    assert book["Wilayah"].max_row == 39
    assert templates.build_csv("penilaian").decode("utf-8-sig").splitlines()[0] == ";".join(header)
    assert "penilaian" in templates.KINDS and "penilaian" in kinds.KINDS
