"""The Lembar Penilaian as a committee reads it: the PDF (pdftotext, pdfinfo, pdftoppm) says what was
scored, how, how sure, from which sources, and leaves room to sign; the workbook holds the same
numbers as numbers; text from data never becomes markup or a formula; English reads English."""

import re
import subprocess

import pandas as pd
import pytest
from openpyxl import load_workbook

from analytics import assessment, dossier, dossier_xlsx, export, regions, robustness, scoring
from tests.apptest import open_page

YEAR = 2025
AS_OF = {"contoh": "2025-12-31", "publikasi": "2025-12-31"}
SETTINGS = robustness.Settings(draws=1000)
SHEETS_ID = ["ringkasan", "skor", "nilai", "ketahanan", "sumber", "tidak_dinilai"]
SHEETS_EN = ["summary", "scores", "values", "robustness", "sources", "not_scored"]


def assess(tables, dataset, scheme=scoring.DEFAULT_SCHEME, settings=SETTINGS):
    return assessment.assess(tables[dataset], scoring.load_scheme(scheme), YEAR, AS_OF[dataset], settings, dataset)


def pdf_text(path, first=None) -> str:
    pages = ["-f", str(first), "-l", str(first)] if first else []
    return subprocess.run(["pdftotext", *pages, str(path), "-"], capture_output=True, text=True, check=True).stdout


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def pdf_info(path) -> dict:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


@pytest.fixture(scope="module", autouse=True)
def _image_server():
    yield
    export.stop_image_server()


@pytest.fixture(scope="module")
def assessed(store_tables):
    return {dataset: assess(store_tables, dataset) for dataset in ("contoh", "publikasi")}


@pytest.fixture(scope="module")
def printed(assessed, tmp_path_factory):
    folder = tmp_path_factory.mktemp("lembar")
    out = {}
    for dataset, done in assessed.items():
        path = folder / dossier.file_name(done, "pdf")
        path.write_bytes(dossier.pdf_bytes(done, "id"))
        out[dataset] = path
    return out


@pytest.mark.parametrize("dataset", ["contoh", "publikasi"])
def test_the_pdf_reads_as_a_decision_document(assessed, printed, dataset):
    done, text = assessed[dataset], flat(pdf_text(printed[dataset]))
    leader = done.scored.iloc[0]
    assert "Lembar Penilaian" in text and done.scheme.title("id") in text
    assert leader["nama"] in text and str(done.settings.seed) in text
    assert "Tahun anggaran 2025" in text and "31 Desember 2025" in text
    assert "Bobot kriteria" in text and "1.000 undian Monte Carlo" in text  # weights, draws, seed: the method
    assert "Peringkat akhir" in text and "Selisih aman" in text and "Peluang 3 besar" in text
    assert "Pengesahan komite" in text and "Tempat, tanggal" in text and "Tanda tangan" in text
    assert all(f"{i}." in text for i in range(1, dossier.SIGNATURE_LINES + 1))
    assert "bukan bobot resmi" in text  # the example scheme says so
    pages = int(pdf_info(printed[dataset])["Pages"])
    assert f"Halaman 1 dari {pages}" in text and f"Halaman {pages} dari {pages}" in text


def test_publikasi_cites_the_figures_it_used(assessed, printed):
    done, text = assessed["publikasi"], flat(pdf_text(printed["publikasi"]))
    rows, numbers = dossier.figures_used(done, "id")
    assert numbers and all(not citation.startswith("DATA CONTOH") for citation, _ in numbers)
    for citation, url in list(numbers)[:3]:
        assert flat(citation)[:60] in text
        assert url.startswith("http")
    unscored = done.unscored.iloc[0]
    assert unscored["nama"] in text and "tidak dinilai" in text  # not scored, and why


def test_synthetic_data_is_marked_on_every_page(printed):
    pages = int(pdf_info(printed["contoh"])["Pages"])
    for page in range(1, pages + 1):
        assert "DATA CONTOH" in pdf_text(printed["contoh"], page), page
    assert "DATA CONTOH" not in pdf_text(printed["publikasi"])


@pytest.mark.parametrize("dataset", ["contoh", "publikasi"])
def test_the_pdf_is_a4_and_every_page_renders(printed, dataset, tmp_path):
    info = pdf_info(printed[dataset])
    assert "A4" in info["Page size"] and int(info["Pages"]) >= 2
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(printed[dataset]), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == int(info["Pages"])
    assert all(image.stat().st_size > 2000 for image in images)


@pytest.mark.parametrize("dataset", ["contoh", "publikasi"])
def test_the_workbook_holds_the_numbers(assessed, dataset, tmp_path):
    done = assessed[dataset]
    path = tmp_path / "lembar.xlsx"
    path.write_bytes(dossier_xlsx.xlsx_bytes(done, "id"))
    book = load_workbook(path)
    assert book.sheetnames == SHEETS_ID
    scores = pd.DataFrame(book["skor"].values)
    scores = scores.rename(columns=scores.iloc[0]).iloc[1:]
    assert scores["Wilayah"].iloc[0] == done.scored.iloc[0]["nama"] and scores["Peringkat"].iloc[0] == 1
    assert len(scores) == len(done.scored)
    assert all(isinstance(v, (int, float)) for v in scores["Skor"]) and all(
        0 <= v <= 1 for v in scores["Peluang 3 besar"]
    )
    assert scores["Selisih aman"].notna().all()
    values = list(book["nilai"].values)
    assert len(values) == 1 + 38 * len(done.scheme.criteria)
    unscored = list(book["tidak_dinilai"].values)[1:]
    assert [row[1] for row in unscored] == done.unscored["nama"].tolist()
    sources = pd.DataFrame(book["sumber"].values)
    assert sources.iloc[1:, 3].notna().any()  # observation ids: every figure traceable to its rows
    summary = [row for row in book["ringkasan"].values]
    assert any(row[1] == done.settings.seed for row in summary)


def _region_names(monkeypatch, names: dict[str, str]) -> None:
    original = regions.regions_frame

    def renamed():
        frame = original()
        for kode, name in names.items():
            frame.loc[frame["kode"] == kode, ["nama", "nama_pendek"]] = name
        return frame

    monkeypatch.setattr(regions, "regions_frame", renamed)


EVIL = "<script>alert(1)</script> Pacitan"
FORMULA = '=HYPERLINK("http://x.test") Ponorogo'


def test_text_from_data_is_escaped_in_the_pdf_and_never_a_formula(store_tables, monkeypatch, tmp_path):
    _region_names(monkeypatch, {"3501": EVIL, "3502": FORMULA})
    done = assess(store_tables, "contoh")
    assert EVIL in done.scored["nama"].tolist()
    page = dossier.html(done, "id")
    assert "<script" not in page.lower() and "&lt;script&gt;alert(1)&lt;/script&gt; Pacitan" in page
    path = tmp_path / "lembar.pdf"
    path.write_bytes(dossier.pdf_bytes(done, "id"))
    assert EVIL in flat(pdf_text(path))  # shown as written, not run
    (tmp_path / "lembar.xlsx").write_bytes(dossier_xlsx.xlsx_bytes(done, "id"))
    cells = [c for row in load_workbook(tmp_path / "lembar.xlsx")["skor"].iter_rows() for c in row]
    ponorogo = next(c for c in cells if isinstance(c.value, str) and "Ponorogo" in c.value)
    assert ponorogo.value == "'" + FORMULA and ponorogo.data_type == "s"


def test_the_english_dossier_speaks_english(assessed, tmp_path):
    done = assessed["contoh"]
    path = tmp_path / "dossier.pdf"
    path.write_bytes(dossier.pdf_bytes(done, "en"))
    text = flat(pdf_text(path))
    for heading in (
        "Assessment dossier",
        "Method",
        "Criterion weights",
        "Final ranking",
        "Committee approval",
        "Place, date",
        "Signature",
        "Appendix: the figures used and their sources",
        "SAMPLE DATA",
        done.scheme.title("en"),
        "December 31, 2025",
    ):
        assert heading in text, heading
    assert "Page 1 of" in text and "Halaman" not in text and "Lembar Penilaian" not in text
    (tmp_path / "dossier.xlsx").write_bytes(dossier_xlsx.xlsx_bytes(done, "en"))
    assert load_workbook(tmp_path / "dossier.xlsx").sheetnames == SHEETS_EN


def test_no_region_scored_is_still_a_document_saying_so(store_tables, tmp_path):
    scheme = scoring.load_scheme(scoring.DEFAULT_SCHEME).with_choices(missing="kecualikan")  # no committee scores
    done = assessment.assess(store_tables["publikasi"], scheme, YEAR, AS_OF["publikasi"], SETTINGS, "publikasi")
    assert done.scored.empty and not done.checked
    path = tmp_path / "kosong.pdf"
    path.write_bytes(dossier.pdf_bytes(done, "id"))
    text = flat(pdf_text(path))
    assert "0 dari 38 daerah dinilai" in text and "Belum ada daerah yang bisa dinilai" in text
    assert "Pengesahan komite" in text and int(pdf_info(path)["Pages"]) >= 1
    (tmp_path / "kosong.xlsx").write_bytes(dossier_xlsx.xlsx_bytes(done, "id"))
    book = load_workbook(tmp_path / "kosong.xlsx")
    assert book.sheetnames == SHEETS_ID and len(list(book["tidak_dinilai"].values)) == 39


def test_file_names_carry_dataset_scheme_year_and_date(assessed):
    assert (
        dossier.file_name(assessed["contoh"], "pdf") == "lembar_penilaian_contoh_paritrana_contoh_2025_2025-12-31.pdf"
    )


def test_the_page_offers_the_dossier_and_its_workbook(store_path):
    at = open_page("views/penilaian.py", dataset="contoh", tahun="2025", per="2025-12-31")
    assert not at.exception
    buttons = {b.proto.label: b.proto.id for b in at.get("download_button")}
    assert buttons["Unduh Lembar Penilaian (PDF)"].endswith("penilaian_dossier_pdf")
    assert buttons["Unduh buku kerja (XLSX)"].endswith("penilaian_dossier_xlsx")
    assert any(h.value == "Lembar Penilaian" for h in at.subheader)
