"""Exports: press images carry their captions at every size, kaleido renders real files offline,
CSV/XLSX hold exactly the frame shown with a metadata header, and no cell can run as a formula."""
import datetime as dt
import io
import os
import threading
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from analytics import charts, export, metrics, ranking, regions

APP = str(Path(__file__).resolve().parent.parent / "app.py")
EXPORTED = dt.date(2026, 11, 25)
RULE = "Peringkat kompetisi: nilai sama mendapat peringkat sama (1, 2, 2, 4)."
CITATIONS = ("ANTARA Jatim, 2025-11-14: Pemkab Sidoarjo Lindungi Pekerja Rentan",
             "KabarBaik, 2025-11-14: Jember Perkenalkan Program Lingkaran Cinta")


def make_meta(dataset: str = "publikasi", lang: str = "id", **changes) -> export.ExportMeta:
    fields = dict(title="Peserta BPJS TK didanai DBHCHT",
                  subtitle="Tahun anggaran 2025 · data per 31 Desember 2025 · dataset Publikasi (angka terbit)",
                  source="Sumber: ANTARA Jatim, KabarBaik +3 lainnya", dataset=dataset, lang=lang,
                  synthetic=dataset == "contoh", indicator_id="peserta_dbhcht", year=2025, as_of=dt.date(2025, 12, 31),
                  notes=(RULE, "2 daerah tanpa data"), sources=CITATIONS, file_stem="peringkat_peserta_dbhcht",
                  exported_on=EXPORTED)
    return export.ExportMeta(**{**fields, **changes})


def all_regions_frame(count: int = 38) -> pd.DataFrame:
    """A ranking of `count` regions shaped like ranking.ranking's output (what the pages chart)."""
    frame = regions.regions_frame().head(count).copy()
    frame["nilai"] = [50_000 - 1_100 * i for i in range(len(frame))]
    frame["peringkat"] = range(1, len(frame) + 1)
    frame["kualifikasi"] = ""
    return frame


def ranking_figure(meta: export.ExportMeta, count: int = 38) -> go.Figure:
    indicator = metrics.catalogue()["peserta_dbhcht"]
    return charts.ranking_bar(all_regions_frame(count), indicator, title=meta.title, subtitle=meta.subtitle,
                              source=meta.source, lang=meta.lang, synthetic=meta.synthetic)


def caption(fig: go.Figure) -> str:
    return next(a.text for a in fig.layout.annotations if a.name == "caption")


# ---------------------------------------------------------------- press figure (no browser)

@pytest.mark.parametrize("size", list(export.SIZES))
@pytest.mark.parametrize("dataset", ["publikasi", "contoh"])
def test_press_figure_draws_every_caption_inside_the_image(dataset, size):
    meta = make_meta(dataset)
    fig = export.press_figure(ranking_figure(meta), meta, size)
    text = caption(fig)
    assert "Sumber: ANTARA Jatim, KabarBaik +3 lainnya" in text
    assert "Diunduh: 25 November 2026" in text
    assert "2 daerah tanpa data" in text
    assert "Peringkat kompetisi" in text and "(1, 2, 2, 4)" in text
    assert (fig.layout.width, fig.layout.height) == export.SIZES[size]
    # explicit: this process imported streamlit, whose default template has placeholder colours
    assert fig.layout.template.to_plotly_json() == pio.templates["plotly_white"].to_plotly_json()
    assert fig.layout.separators == ",."
    assert meta.title in fig.layout.title.text and "31 Desember 2025" in fig.layout.title.text
    stamps = [a.text for a in fig.layout.annotations if a.name == "watermark"]
    if dataset == "contoh":
        assert "DATA CONTOH — data sintetis, bukan angka resmi" in text
        assert stamps == ["DATA CONTOH"]
    else:
        assert "Dataset: Publikasi (angka terbit)" in text
        assert stamps == []


def test_press_figure_replaces_the_screen_caption_and_leaves_the_chart_alone():
    meta = make_meta()
    original = ranking_figure(meta)
    before = original.to_json()
    fig = export.press_figure(original, meta, "1:1")
    texts = [a.text for a in fig.layout.annotations]
    assert sum(meta.source in t for t in texts) == 1, "the old source line under the chart must not be drawn twice"
    assert original.to_json() == before


def test_english_export_names_the_date_in_english():
    meta = make_meta(lang="en", source="Source: ANTARA Jatim", notes=())
    text = caption(export.press_figure(ranking_figure(meta), meta, "16:9"))
    assert "Exported: November 25, 2026" in text and "Dataset: Published" in text


@pytest.mark.parametrize("size", list(export.SIZES))
def test_38_bars_fit_every_size_with_readable_labels(size):
    meta = make_meta("contoh", notes=(RULE * 2, "2 daerah tanpa data"))
    fig = export.press_figure(ranking_figure(meta, 38), meta, size)
    width, height = export.SIZES[size]
    margin = fig.layout.margin
    plot_height = height - margin.t - margin.b
    tick = fig.layout.yaxis.tickfont.size
    assert tick >= 9
    assert plot_height / 38 >= tick, "every region needs its own line"
    assert margin.l + margin.r < width * 0.5
    footer_lines = caption(fig).count("<br>") + 1
    assert margin.b >= footer_lines * export.TYPE.footer * export.LINE, "captions must fit under the axis"


def test_long_titles_and_notes_wrap_to_the_image_width():
    meta = make_meta(title="Sangat panjang " * 12, notes=("catatan " * 60,))
    fig = export.press_figure(ranking_figure(meta, 10), meta, "1:1")
    longest_caption_line = max(len(line) for line in caption(fig).split("<br>") if "<span" not in line)
    assert longest_caption_line <= 130
    assert fig.layout.title.text.count("<br>") >= 3


def test_press_figure_keeps_markup_in_notes_as_text():
    meta = make_meta(notes=("<b>tebal</b> & **md** [tautan](https://x.test)",))
    text = caption(export.press_figure(ranking_figure(meta, 5), meta, "1:1"))
    assert "&lt;b&gt;tebal&lt;/b&gt; &amp; **md** [tautan](https://x.test)" in text


def test_any_figure_can_be_exported_and_contoh_gets_a_watermark():
    line = go.Figure(go.Scatter(x=[2022, 2023, 2024], y=[1, 3, 2]))
    meta = make_meta("contoh")
    fig = export.press_figure(line, meta, "4:5")
    assert [a.text for a in fig.layout.annotations if a.name == "watermark"] == ["DATA CONTOH"]
    assert "Diunduh: 25 November 2026" in caption(fig)


def test_unknown_size_or_format_is_refused():
    meta = make_meta()
    with pytest.raises(ValueError, match="16:9"):
        export.press_figure(ranking_figure(meta, 3), meta, "3:2")
    with pytest.raises(ValueError, match="png"):
        export.image_bytes(go.Figure(), "eps", "1:1")


# ---------------------------------------------------------------- real files through kaleido + Chromium

def _process_table() -> tuple[dict[int, int], dict[int, str]]:
    parents, names = {}, {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            names[int(entry.name)] = stat[stat.index("(") + 1:stat.rindex(")")]
            parents[int(entry.name)] = int(stat[stat.rindex(")") + 2:].split()[1])
    return parents, names


def _descendants(roots: set[int], parents: dict[int, int]) -> set[int]:
    mine, changed = set(roots), True
    while changed:
        grown = mine | {pid for pid, parent in parents.items() if parent in mine}
        changed, mine = grown != mine, grown
    return mine


def chromium_children(besides: set[int] = frozenset()) -> list[int]:
    """Chromium processes started by this test process (directly or by its children), leaving out
    those under `besides`: Playwright's browser, already running, starts and ends renderer
    processes of its own (a spare renderer after a page closes) at any time."""
    parents, names = _process_table()
    others = _descendants(set(besides), parents)
    return [pid for pid in _descendants({os.getpid()}, parents) - others if "chrom" in names.get(pid, "")]


@pytest.fixture(scope="module")
def image_server():
    """One Chromium for this module (started lazily by the first export), closed at the end.

    Other Chromiums of this pytest process (Playwright's browser) were there before and stay.
    """
    before = set(chromium_children())
    yield export.IMAGE_SERVER
    export.stop_image_server()
    deadline = time.monotonic() + 10
    while chromium_children(before) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not chromium_children(before), "Chromium left running after the export server stopped"


@pytest.mark.parametrize("size", list(export.SIZES))
def test_png_has_exactly_the_press_size(image_server, size):
    meta = make_meta("contoh")
    png = export.image_bytes(export.press_figure(ranking_figure(meta), meta, size), "png", size)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == export.SIZES[size]
    assert image_server.running


def test_svg_is_xml_with_the_title_and_captions(image_server):
    meta = make_meta(notes=("<b>tebal</b> & 2 daerah tanpa data",))
    svg = export.image_bytes(export.press_figure(ranking_figure(meta, 10), meta, "1:1"), "svg", "1:1")
    root = ET.fromstring(svg)
    text = " ".join("".join(node.itertext()) for node in root.iter() if node.tag.endswith("text"))
    assert meta.title in text
    assert "Diunduh: 25 November 2026" in text
    assert "<b>tebal</b> & 2 daerah tanpa data" in text  # markup in a note prints as written
    assert "20.000" in text and "20,000" not in text  # the axis keeps the Indonesian separators


def test_pdf_is_a_pdf(image_server):
    meta = make_meta()
    pdf = export.image_bytes(export.press_figure(ranking_figure(meta, 10), meta, "16:9"), "pdf", "16:9")
    assert pdf.startswith(b"%PDF")


def test_concurrent_exports_share_one_browser_safely(image_server):
    meta = make_meta()
    fig = export.press_figure(ranking_figure(meta, 5), meta, "1:1")
    results, errors = [], []

    def work():
        try:
            results.append(export.image_bytes(fig, "png", "1:1"))
        except Exception as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors and len(results) == 3
    assert all(Image.open(io.BytesIO(png)).size == (1080, 1080) for png in results)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_browser_that_cannot_start_fails_fast_and_the_next_export_recovers(image_server, monkeypatch):
    export.stop_image_server()
    monkeypatch.setenv("BROWSER_PATH", "/bin/false")
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="Chromium"):
        export.image_bytes(go.Figure(go.Bar(y=[1, 2])), "png", "1:1")
    assert time.monotonic() - started < 30, "a dead browser must not hang the download"
    monkeypatch.delenv("BROWSER_PATH")
    assert export.image_bytes(go.Figure(go.Bar(y=[1, 2])), "png", "1:1").startswith(b"\x89PNG")


# ---------------------------------------------------------------- data files

def shown_frame() -> pd.DataFrame:
    """Text with commas, quotes, '#', newlines and Indonesian characters; ints, floats, negatives, gaps."""
    return pd.DataFrame({
        "peringkat": [1, 2, 3],
        "wilayah": ["Kabupaten Probolinggo", "Kota \"Batu\", Jawa Timur", "Kab. Pasuruan #2\nbaris kedua"],
        "nilai": [24250, 9038, -5],
        "rasio": [12.5, None, 0.125],
        "catatan": ["lebih dari 18.000", None, "Rp16.800 · Desember"],
        "url": ["https://x.test/a#b", "", "https://x.test/ç"],
    })


def test_csv_round_trips_exactly_with_a_metadata_header():
    data = shown_frame()
    raw = export.csv_bytes(data, make_meta())
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM so Excel shows Indonesian text"
    back = pd.read_csv(io.BytesIO(raw), comment="#")
    expected = data.assign(url=data["url"].mask(data["url"] == ""))  # an empty cell reads back as missing
    pd.testing.assert_frame_equal(back, expected, check_dtype=False)
    header = [line for line in raw.decode("utf-8-sig").splitlines() if line.startswith("# ")]
    assert "# Dataset: Publikasi (angka terbit) (publikasi)" in header
    assert "# Indikator: Peserta BPJS TK didanai DBHCHT (peserta_dbhcht)" in header
    assert "# Tahun anggaran: 2025" in header
    assert "# Data per: 2025-12-31" in header
    assert "# Diunduh: 2026-11-25" in header
    assert [f"# Sumber: {c}" for c in CITATIONS] == [line for line in header if line.startswith("# Sumber:")]
    assert f"# Catatan: {RULE}" in header


def test_csv_header_says_synthetic_data_is_synthetic():
    raw = export.csv_bytes(shown_frame(), make_meta("contoh")).decode("utf-8-sig")
    assert "# Dataset: DATA CONTOH — data sintetis, bukan angka resmi (contoh)" in raw


def test_the_real_ranking_export_round_trips(store_tables):
    tables = store_tables["publikasi"]
    indicator = metrics.catalogue()["peserta_dbhcht"]
    table = ranking.with_sources(ranking.ranking(tables, "peserta_dbhcht", 2025, dt.date(2025, 12, 31)), tables["sumber"])
    data = ranking.export_frame(table, indicator)
    back = pd.read_csv(io.BytesIO(export.csv_bytes(data, make_meta())), comment="#", dtype={"kode": str},
                       keep_default_na=False, na_values=[""])
    assert len(back) == 38 and list(back.columns) == list(data.columns)
    assert back["kode"].tolist() == data["kode"].tolist()
    assert back["nilai"].tolist()[:5] == data["nilai"].tolist()[:5]
    assert back["sumber"].fillna("").tolist() == data["sumber"].fillna("").tolist()


def read_xlsx(raw: bytes):
    return openpyxl.load_workbook(io.BytesIO(raw))


def test_xlsx_holds_the_frame_and_the_metadata():
    data = shown_frame()
    book = read_xlsx(export.xlsx_bytes(data, make_meta()))
    assert book.sheetnames == ["Data", "Keterangan"]
    sheet = book["Data"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(data.columns)
    expected = [[None if pd.isna(v) else v for v in row] for row in data.itertuples(index=False)]
    assert [list(row) for row in rows[1:]] == [[None if v == "" else v for v in row] for row in expected]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert sheet["C4"].value == -5 and sheet["C4"].data_type == "n"
    assert sheet["D2"].value == 12.5
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width
    about = dict((label, value) for label, value in book["Keterangan"].iter_rows(values_only=True) if label != "Sumber")
    assert about["Dataset"] == "Publikasi (angka terbit) (publikasi)"
    assert about["Indikator"] == "Peserta BPJS TK didanai DBHCHT (peserta_dbhcht)"
    assert about["Data per"] == "2025-12-31" and about["Diunduh"] == "2026-11-25" and about["Tahun anggaran"] == 2025
    sources = [value for label, value in book["Keterangan"].iter_rows(values_only=True) if label == "Sumber"]
    assert sources == list(CITATIONS)


def test_xlsx_in_english_names_its_sheets_in_english():
    assert read_xlsx(export.xlsx_bytes(shown_frame(), make_meta(lang="en"))).sheetnames == ["Data", "About"]


DANGEROUS = ["=1+1", "+62812", "-cmd", "@SUM(A1)", "\t=x"]
HARMLESS = ["<b>tebal</b>", "**md** [tautan](https://x.test)", "<script>alert(1)</script>"]


def injection_frame() -> pd.DataFrame:
    texts = DANGEROUS + HARMLESS
    return pd.DataFrame({"teks": texts, "angka": [-5] + list(range(len(texts) - 1))})


def test_csv_neutralises_formulas_and_keeps_numbers_numeric():
    raw = export.csv_bytes(injection_frame(), make_meta())
    back = pd.read_csv(io.BytesIO(raw), comment="#")
    assert back["teks"].tolist() == ["'" + text for text in DANGEROUS] + HARMLESS
    assert back["angka"].tolist()[0] == -5 and pd.api.types.is_integer_dtype(back["angka"])
    assert "\n\"'=1+1\",-5\n" in raw.decode("utf-8-sig"), "negative numbers are written as numbers"


def test_xlsx_writes_formula_like_text_as_plain_strings():
    raw = export.xlsx_bytes(injection_frame(), make_meta(notes=("=HYPERLINK(\"http://x.test\")",)))
    book = read_xlsx(raw)
    sheet = book["Data"]
    texts = [sheet.cell(row=r, column=1) for r in range(2, 2 + len(DANGEROUS) + len(HARMLESS))]
    assert [c.value for c in texts] == DANGEROUS + HARMLESS  # kept exactly, as text
    assert all(c.data_type == "s" for c in texts)
    assert all(c.quotePrefix for c in texts[:len(DANGEROUS)])
    assert sheet["B2"].value == -5 and sheet["B2"].data_type == "n"
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        xml = "".join(archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/worksheets/"))
    assert "<f>" not in xml and "<f " not in xml, "no cell may be stored as a formula"


def test_file_names_carry_the_size():
    from views import _export_ui
    meta = make_meta()
    assert _export_ui.file_name(meta, "png", "16:9") == "peringkat_peserta_dbhcht_16x9.png"
    assert _export_ui.file_name(meta, "xlsx") == "peringkat_peserta_dbhcht.xlsx"


def test_citations_are_the_distinct_full_sources_of_the_rows():
    from views import _export_ui
    frame = pd.DataFrame({"sumber": [" | ".join(CITATIONS), CITATIONS[1], "", None]})
    assert _export_ui.citations(frame) == CITATIONS


# ---------------------------------------------------------------- the panel in the app

EXPORT_LABELS = ["PNG", "SVG", "PDF", "CSV", "XLSX"]


@pytest.mark.parametrize("page, key", [("views/ringkasan.py", "top10"), ("views/peringkat.py", "ranking")])
@pytest.mark.parametrize("dataset", ["publikasi", "contoh"])
def test_pages_show_the_export_panel_under_the_chart(store_path, page, key, dataset):
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in dict(dataset=dataset, tahun="2025", per="2025-12-31").items():
        at.query_params[name] = value
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    buttons = {b.key: b for b in at.download_button}
    assert [buttons[f"{key}_{ext.lower()}"].label for ext in EXPORT_LABELS] == EXPORT_LABELS
    assert buttons[f"{key}_png"].proto.deferred_file_id, "images are made on click, not on every rerun"
    assert "Unduh CSV tabel ini" not in [b.label for b in at.download_button]


def test_bar_labels_given_as_numpy_arrays_are_measured_too():
    import numpy as np
    import plotly.graph_objects as go

    fig = go.Figure(go.Bar(x=np.array([3, 1]), y=np.array(["Kabupaten Probolinggo", "Kota Batu"]), orientation="h",
                           text=np.array(["3", "1"]), textposition="outside"))
    meta = export.ExportMeta(title="Uji", subtitle="2025", source="Sumber: uji", dataset="publikasi")
    press = export.press_figure(fig, meta, "1:1")
    assert press.layout.width == 1080 and press.layout.height == 1080
