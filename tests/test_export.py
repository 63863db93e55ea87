"""Exports: press images carry their captions at every size, kaleido renders real files offline,
the data files (plain CSV, ZIP with datapackage.json, XLSX) hold exactly the frame shown with its
metadata and a description of every column, and no cell can run as a formula."""

import csv
import dataclasses
import datetime as dt
import io
import json
import os
import re
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

from analytics import charts, columns, export, metrics, ranking, regions
from tests import factories
from views import _pages

APP = str(Path(__file__).resolve().parent.parent / "app.py")
EXPORTED = dt.date(2026, 11, 25)
RULE = "Peringkat kompetisi: nilai sama mendapat peringkat sama (1, 2, 2, 4)."
CITATIONS = (
    "ANTARA Jatim, 2025-11-14: Pemkab Sidoarjo Lindungi Pekerja Rentan",
    "KabarBaik, 2025-11-14: Jember Perkenalkan Program Lingkaran Cinta",
)


def make_meta(dataset: str = "publikasi", lang: str = "id", **changes) -> export.ExportMeta:
    fields = dict(
        title="Peserta BPJS TK didanai DBHCHT",
        subtitle="Tahun anggaran 2025 · data per 31 Desember 2025 · dataset Publikasi (angka terbit)",
        source="Sumber: ANTARA Jatim, KabarBaik +3 lainnya",
        dataset=dataset,
        lang=lang,
        synthetic=dataset == "contoh",
        indicator_id="peserta_dbhcht",
        year=2025,
        as_of=dt.date(2025, 12, 31),
        notes=(RULE, "2 daerah tanpa data"),
        sources=CITATIONS,
        file_stem="peringkat_peserta_dbhcht",
        exported_on=EXPORTED,
    )
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
    return charts.ranking_bar(
        all_regions_frame(count),
        indicator,
        title=meta.title,
        subtitle=meta.subtitle,
        source=meta.source,
        lang=meta.lang,
        synthetic=meta.synthetic,
    )


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
    assert meta.title in fig.layout.title.text and "31 Desember 2025" in fig.layout.title.subtitle.text
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
    assert export.phone_px(tick, size) >= export.PHONE_MIN_PX["tick"], "legible on a phone"
    shown = len(fig.data[0].y)
    assert plot_height / shown >= tick * export.ROW_EM, "every region shown needs its own line"
    assert list(fig.data[0].y)[-1].startswith("1. "), "the top of the ranking stays"
    if shown < 38:
        assert f"{shown} teratas dari 38 ditampilkan" in caption(fig), "the image says it shows only the top"
    assert shown >= {"16:9": 5, "1:1": 12, "4:5": 18, "9:16": 30}[size]
    assert margin.l + margin.r < width * 0.5
    footer_lines = caption(fig).count("<br>") + 1
    assert footer_lines <= export.PHONE_FOOTER_LINES[size]
    assert margin.b >= footer_lines * export.press_type(size).footer * export.LINE, "captions must fit under the axis"


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
            names[int(entry.name)] = stat[stat.index("(") + 1 : stat.rindex(")")]
            parents[int(entry.name)] = int(stat[stat.rindex(")") + 2 :].split()[1])
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
    # and it is the chart, not a blank page: bars in the house green, dark title text in the top band
    pixels = image.convert("RGB")
    width, height = image.size
    green = sum(
        1 for x in range(0, width, 4) for y in range(0, height, 4) if pixels.getpixel((x, y)) == (0x0B, 0x6E, 0x4F)
    )
    assert green > 0.02 * (width // 4) * (height // 4), "no bars drawn"
    top = pixels.crop((0, 0, width, height // 12))
    assert min(sum(top.getpixel((x, y))) for x in range(0, width, 2) for y in range(0, height // 12, 2)) < 150


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
    return pd.DataFrame(
        {
            "peringkat": [1, 2, 3],
            "wilayah": ["Kabupaten Probolinggo", 'Kota "Batu", Jawa Timur', "Kab. Pasuruan #2\nbaris kedua"],
            "nilai": [24250, 9038, -5],
            "rasio": [12.5, None, 0.125],
            "catatan": ["lebih dari 18.000", None, "Rp16.800 · Desember"],
            "url": ["https://x.test/a#b", "", "https://x.test/ç"],
        }
    )


def read_plain_csv(raw: bytes, **options) -> pd.DataFrame:
    """What any user does: no skiprows, no comment character, only the encoding."""
    return pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", **options)


def test_csv_is_one_header_row_and_the_rows():
    data = shown_frame()
    raw = export.csv_bytes(data, make_meta())
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM so Excel shows Indonesian text"
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == "peringkat,wilayah,nilai,rasio,catatan,url"
    assert "#" not in text.split("\n", 1)[0] and not text.startswith("#")
    back = read_plain_csv(raw)
    expected = data.assign(url=data["url"].mask(data["url"] == ""))  # an empty cell reads back as missing
    pd.testing.assert_frame_equal(back, expected, check_dtype=False)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(data.columns) and len(rows) == 1 + len(data)
    assert rows[2][1] == 'Kota "Batu", Jawa Timur' and rows[3][1] == "Kab. Pasuruan #2\nbaris kedua"


def test_csv_writes_plain_numbers_iso_dates_and_booleans():
    data = pd.DataFrame(
        {
            "nilai": [40300.0, 15.41, None],
            "peserta": pd.array([40300, None, 7], dtype="Int64"),
            "kecil": [0.00001, 1234567.5, -2.0],
            "tanggal_data": pd.to_datetime(["2025-07-10", None, "2024-12-31"]),
            "x": [pd.Timestamp("2025-01-01"), 2025, None],
            "diutamakan": [True, None, False],
            "status": ["berperingkat", "", None],
        }
    )
    lines = export.csv_bytes(data, make_meta()).decode("utf-8-sig").splitlines()
    assert lines[1:] == [
        "40300,40300,0.00001,2025-07-10,2025-01-01,true,berperingkat",
        "15.41,,1234567.5,,2025,,",
        ",7,-2,2024-12-31,,false,",
    ]


def test_csv_neutralises_formulas_and_keeps_numbers_numeric():
    raw = export.csv_bytes(injection_frame(), make_meta())
    back = read_plain_csv(raw)
    assert back["teks"].tolist() == ["'" + text for text in DANGEROUS] + HARMLESS
    assert back["angka"].tolist()[0] == -5 and pd.api.types.is_integer_dtype(back["angka"])
    assert "\n'=1+1,-5\n" in raw.decode("utf-8-sig"), "negative numbers are written as numbers"
    header = export.csv_bytes(pd.DataFrame({"=x": ["a"]}), make_meta()).decode("utf-8-sig").splitlines()[0]
    assert header == "'=x"


def test_csv_neutralises_fullwidth_formula_starts():
    texts = ["\uff1d1+1", "\uff0b1", "\uff0d1", "\uff20x", "\rx"]
    back = read_plain_csv(export.csv_bytes(pd.DataFrame({"teks": texts}), make_meta()))
    assert back["teks"].tolist() == ["'" + text for text in texts]


def test_the_real_ranking_export_round_trips(store_tables):
    tables = store_tables["publikasi"]
    indicator = metrics.catalogue()["peserta_dbhcht"]
    table = ranking.with_sources(
        ranking.ranking(tables, "peserta_dbhcht", 2025, dt.date(2025, 12, 31)), tables["sumber"]
    )
    data = ranking.export_frame(table, indicator)
    back = read_plain_csv(
        export.csv_bytes(data, make_meta()), dtype={"kode": str}, keep_default_na=False, na_values=[""]
    )
    assert len(back) == 38 and list(back.columns) == list(data.columns)
    assert back["kode"].tolist() == data["kode"].tolist()
    assert back["nilai"].tolist()[:5] == data["nilai"].tolist()[:5]
    assert back["sumber"].fillna("").tolist() == data["sumber"].fillna("").tolist()


# ---- golden files: one fixed ranking, exported in both languages

GOLDEN = Path(__file__).resolve().parent / "golden"
GOLDEN_STEM = "peringkat_peserta_dbhcht_2025_publikasi_per_2025-12-31"
GOLDEN_SOURCES = [
    *factories.SOURCES,
    dict(
        sumber_id="S3",
        judul='Jember "Kota Santri", lindungi 1.000 nelayan',
        url="https://contoh.test/3",
        penerbit="@infojember",
        tanggal_terbit="2025-08-01",
        tanggal_terbit_teks="2025-08-01",
        catatan="",
    ),
]


def golden_ranking() -> pd.DataFrame:
    """Nine regions with figures: a qualifier, a tie, partial months, rank changes, a region new this
    year, a source without an exact date and one whose citation starts like a formula; 29 without."""
    obs = factories.obs
    rows = [
        obs("3509", 40300, "2025-07-10", kualifikasi="lebih dari"),
        obs("3509", 30000, "2024-12-31", tahun=2024),
        obs("3513", 24250, "2025-06-30", sumber_id="S2"),
        obs("3513", 26000, "2024-12-31", tahun=2024),
        obs("3573", 9038, "2025-05-31", bulan_cakupan="3"),
        obs("3574", 9038, "2025-10-31", sumber_id="S3"),
        obs("3510", 18000, "2025-09-30", kualifikasi="sekitar", sumber_id="S3"),
        obs("3510", 15500, "2024-12-31", tahun=2024),
        obs("3579", 1200, "2025-11-30"),
        obs("3525", 5400, "2025-12-01", sumber_id="S2"),
        obs("3529", 7000, "2025-08-15"),
        obs("3577", 650, "2025-12-20", sumber_id="S3"),
    ]
    tables = factories.tables(kepesertaan=rows, sumber=GOLDEN_SOURCES)
    table = ranking.ranking(tables, "peserta_dbhcht", 2025, dt.date(2025, 12, 31))
    return ranking.with_sources(table, tables["sumber"])


def golden_meta(lang: str, table: pd.DataFrame) -> export.ExportMeta:
    from analytics import fmt
    from views import _export_ui

    indicator = metrics.catalogue()["peserta_dbhcht"]
    ranked, missing = ranking.split_ranked(table)
    return export.ExportMeta(
        title=indicator.title(lang),
        subtitle=fmt.t(
            "chart_subtitle",
            lang,
            year=2025,
            asof=fmt.date(dt.date(2025, 12, 31), lang),
            dataset=fmt.t("dataset_publikasi", lang),
        ),
        source="Sumber: Uji, @infojember, Dua",
        dataset="publikasi",
        lang=lang,
        indicator_id="peserta_dbhcht",
        year=2025,
        as_of=dt.date(2025, 12, 31),
        sources=_export_ui.citations(table),
        file_stem=GOLDEN_STEM,
        notes=(indicator.definition(lang), fmt.t("no_data_table", lang, n=len(missing)), fmt.t("ranking_rule", lang)),
        exported_on=dt.date(2025, 12, 31),
    )


def golden_files(lang: str) -> dict[str, bytes]:
    table = golden_ranking()
    data = ranking.export_frame(table, metrics.catalogue()["peserta_dbhcht"])  # Indonesian, as Peta passes it
    meta = golden_meta(lang, table)
    return {
        f"peringkat_{lang}.csv": export.csv_bytes(data, meta),
        f"peringkat_{lang}.datapackage.json": export.datapackage_bytes(data, meta),
    }


@pytest.mark.parametrize("lang", ["id", "en"])
def test_exported_csv_and_datapackage_match_the_golden_files(lang):
    """The files exactly as a user downloads them, byte for byte.

    After an intended change (a column, a text in data/teks.toml or data/kolom.toml, the format)
    write them again and review the diff:
        REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_export.py -k golden -p no:cacheprovider
    """
    for name, content in golden_files(lang).items():
        path = GOLDEN / name
        if os.environ.get("REGENERATE_GOLDEN") == "1":
            GOLDEN.mkdir(exist_ok=True)
            path.write_bytes(content)
        assert path.exists(), f"{path} missing: run the command in this test's docstring"
        assert content.decode("utf-8") == path.read_bytes().decode("utf-8"), (
            f"{name} differs from {path}; if the change is intended, see this test's docstring"
        )


def test_golden_csv_reads_with_pandas_and_the_csv_module():
    raw = golden_files("id")["peringkat_id.csv"]
    back = read_plain_csv(raw)
    assert list(back.columns) == ranking.EXPORT_COLUMNS and len(back) == 38
    jember = back.loc[back["kode"] == 3509].iloc[0]
    assert (jember["peringkat"], jember["nilai"], jember["kualifikasi"]) == (1, 40300, "lebih dari")
    assert jember["tanggal_data"] == "2025-07-10" and jember["persen_perubahan"] == 34.3
    assert back.loc[back["kode"].isin([3573, 3574]), "peringkat"].tolist() == [4, 4]  # the tie
    assert back["sumber"].str.startswith("'@infojember").any(), "a citation starting with @ is neutralised"
    assert (back["status"] == "tidak ada data").sum() == 29
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ranking.EXPORT_COLUMNS and len(rows) == 39 and all(len(r) == len(rows[0]) for r in rows)
    english = read_plain_csv(golden_files("en")["peringkat_en.csv"])
    assert list(english.columns) == [ranking.EXPORT_COLUMNS_EN[c] for c in ranking.EXPORT_COLUMNS]
    assert set(english["type"]) == {"regency", "city"} and set(english["status"]) == {"ranked", "no data"}
    assert "more than" in set(english["qualifier"]) and set(english["unit"]) == {"persons"}


def test_an_indonesian_frame_exports_in_english_as_the_english_frame_does():
    """Peringkat passes ranking.export_frame(..., 'en'), Peta the Indonesian frame: same English files."""
    table = golden_ranking()
    indicator = metrics.catalogue()["peserta_dbhcht"]
    meta = golden_meta("en", table)
    indonesian, english = ranking.export_frame(table, indicator), ranking.export_frame(table, indicator, "en")
    assert export.csv_bytes(indonesian, meta) == export.csv_bytes(english, meta)
    assert export.datapackage_bytes(indonesian, meta) == export.datapackage_bytes(english, meta)
    pd.testing.assert_frame_equal(columns.to_english(english), english)


def test_datapackage_names_what_the_data_are():
    table = golden_ranking()
    data = ranking.export_frame(table, metrics.catalogue()["peserta_dbhcht"])
    package = json.loads(export.datapackage_bytes(data, golden_meta("id", table)))
    assert package["name"] == GOLDEN_STEM and package["created"] == "2025-12-31T00:00:00Z"
    assert package["jamsos:dataset"] == "publikasi" and package["jamsos:synthetic"] is False
    assert package["jamsos:indicator_id"] == "peserta_dbhcht" and package["jamsos:budget_year"] == 2025
    assert package["jamsos:as_of"] == "2025-12-31"
    assert package["licenses"][0]["name"] == "notspecified"
    assert {s["title"]: s.get("path") for s in package["sources"]} == {
        "Uji, 2025-07-10: Berita uji": "https://contoh.test/1",
        "Dua, 2025: Berita kedua": "https://contoh.test/2",
        '@infojember, 2025-08-01: Jember "Kota Santri", lindungi 1.000 nelayan': "https://contoh.test/3",
    }
    (resource,) = package["resources"]
    assert resource["path"] == f"{GOLDEN_STEM}.csv" and resource["encoding"] == "utf-8-sig"
    assert resource["format"] == "csv" and resource["mediatype"] == "text/csv"
    fields = resource["schema"]["fields"]
    assert [f["name"] for f in fields] == ranking.EXPORT_COLUMNS
    assert all(f["title"] and f["description"] for f in fields)
    types = {f["name"]: f["type"] for f in fields}
    assert types["peringkat"] == "integer" and types["nilai"] == "number" and types["tanggal_data"] == "date"
    assert types["kode"] == "string"


def test_synthetic_data_says_so_in_its_datapackage():
    package = json.loads(export.datapackage_bytes(shown_frame(), make_meta("contoh", lang="en")))
    assert package["jamsos:synthetic"] is True and package["jamsos:dataset"] == "contoh"
    assert "SAMPLE DATA — synthetic figures, not official" in package["description"]
    assert "Synthetic" in package["licenses"][0]["title"]
    assert package["jamsos:dataset_title"] == "SAMPLE DATA — synthetic figures, not official"


def test_english_files_write_the_dashboards_own_words_in_citations_in_english():
    citation = "Generator data contoh (sintetis), tanggal tidak diketahui: DATA CONTOH"
    frame = pd.DataFrame({"sumber": [citation], "url": [""]})
    meta = make_meta("contoh", lang="en", sources=(citation,))
    english = "Generator data contoh (sintetis), date unknown: DATA CONTOH"
    assert read_plain_csv(export.csv_bytes(frame, meta))["source"].tolist() == [english]
    assert json.loads(export.datapackage_bytes(frame, meta))["sources"] == [{"title": english}]
    about = list(read_xlsx(export.xlsx_bytes(frame, meta))["About"].iter_rows(values_only=True))
    assert ("Source", english) in about
    assert read_plain_csv(export.csv_bytes(frame, make_meta("contoh")))["sumber"].tolist() == [citation]


def test_sources_get_an_address_only_when_the_rows_pair_them():
    frame = pd.DataFrame(
        {
            "sumber": ["A, 2025: a | B, 2025: b", "C, 2025: c | B, 2025: b", "D, 2025: d", "D, 2025: d"],
            "url": ["https://a.test | https://b.test", "https://b2.test", "https://d.test", "https://d2.test"],
        }
    )
    meta = make_meta(sources=("A, 2025: a", "B, 2025: b", "C, 2025: c", "D, 2025: d"))
    sources = json.loads(export.datapackage_bytes(frame, meta))["sources"]
    # row 2 lacks one address, so it pairs nothing; D was given two different addresses
    assert sources == [
        {"title": "A, 2025: a", "path": "https://a.test"},
        {"title": "B, 2025: b", "path": "https://b.test"},
        {"title": "C, 2025: c"},
        {"title": "D, 2025: d"},
    ]


# ---- ZIP: the CSV and its datapackage.json


def test_zip_holds_exactly_the_csv_and_its_datapackage():
    from views import _export_ui

    data, meta = shown_frame(), make_meta()
    raw = export.zip_bytes(data, meta)
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        assert sorted(archive.namelist()) == sorted([_export_ui.file_name(meta, "csv"), "datapackage.json"])
        package = json.loads(archive.read("datapackage.json"))
        assert package["resources"][0]["path"] == _export_ui.file_name(meta, "csv")
        assert archive.read(_export_ui.file_name(meta, "csv")) == export.csv_bytes(data, meta)
        assert archive.read("datapackage.json") == export.datapackage_bytes(data, meta)
        assert {info.date_time for info in archive.infolist()} == {(2026, 11, 25, 0, 0, 0)}
    assert export.zip_bytes(data, meta) == raw, "the same export gives the same bytes"


def validate_zip(raw: bytes, folder: Path):
    """Frictionless's own validator on the unpacked ZIP: the descriptor and every cell against its schema."""
    import frictionless

    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        archive.extractall(folder)
    return frictionless.validate(str(folder / "datapackage.json"))


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("dataset", ["publikasi", "contoh"])
def test_the_zip_is_a_valid_frictionless_data_package(tmp_path, lang, dataset):
    table = golden_ranking()
    data = ranking.export_frame(table, metrics.catalogue()["peserta_dbhcht"])
    meta = dataclasses.replace(golden_meta(lang, table), dataset=dataset, synthetic=dataset == "contoh")
    report = validate_zip(export.zip_bytes(data, meta), tmp_path)
    assert report.valid, report.flatten(["type", "message"])


def test_frictionless_notices_a_cell_that_does_not_fit_its_column(tmp_path):
    """The validation above is not a formality: a rank of 1.5 or a changed file fails it."""
    data = ranking.export_frame(golden_ranking(), metrics.catalogue()["peserta_dbhcht"]).astype({"peringkat": object})
    data.loc[0, "peringkat"] = 1.5
    report = validate_zip(export.zip_bytes(data, make_meta()), tmp_path)
    assert not report.valid and "type-error" in [error[0] for error in report.flatten(["type"])]


# ---- XLSX


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
    assert about["Lisensi"].startswith("Tanpa lisensi yang dinyatakan")
    sources = [value for label, value in book["Keterangan"].iter_rows(values_only=True) if label == "Sumber"]
    assert sources == list(CITATIONS)


def test_xlsx_in_english_is_english():
    data = ranking.export_frame(golden_ranking(), metrics.catalogue()["peserta_dbhcht"])
    book = read_xlsx(export.xlsx_bytes(data, make_meta(lang="en")))
    assert book.sheetnames == ["Data", "About"]
    rows = list(book["Data"].iter_rows(values_only=True))
    assert list(rows[0]) == [ranking.EXPORT_COLUMNS_EN[c] for c in ranking.EXPORT_COLUMNS]
    assert rows[1][:5] == (1, "3509", "Kabupaten Jember", "regency", 40300) and rows[1][5] == "more than"
    about = dict(book["About"].iter_rows(values_only=True))
    assert about["Data as of"] == "2025-12-31" and about["Licence"].startswith("No licence stated")


DANGEROUS = ["=1+1", "+62812", "-cmd", "@SUM(A1)", "\t=x"]
HARMLESS = ["<b>tebal</b>", "**md** [tautan](https://x.test)", "<script>alert(1)</script>"]


def injection_frame() -> pd.DataFrame:
    texts = DANGEROUS + HARMLESS
    return pd.DataFrame({"teks": texts, "angka": [-5] + list(range(len(texts) - 1))})


def test_xlsx_writes_formula_like_text_as_plain_strings():
    raw = export.xlsx_bytes(injection_frame(), make_meta(notes=('=HYPERLINK("http://x.test")',)))
    book = read_xlsx(raw)
    sheet = book["Data"]
    texts = [sheet.cell(row=r, column=1) for r in range(2, 2 + len(DANGEROUS) + len(HARMLESS))]
    assert [c.value for c in texts] == DANGEROUS + HARMLESS  # kept exactly, as text
    assert all(c.data_type == "s" for c in texts)
    assert all(c.quotePrefix for c in texts[: len(DANGEROUS)])
    assert sheet["B2"].value == -5 and sheet["B2"].data_type == "n"
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        xml = "".join(archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/worksheets/"))
    assert "<f>" not in xml and "<f " not in xml, "no cell may be stored as a formula"


def test_file_names_carry_the_size():
    from views import _export_ui

    meta = make_meta()
    assert _export_ui.file_name(meta, "png", "16:9") == "peringkat_peserta_dbhcht_16x9.png"
    assert _export_ui.file_name(meta, "xlsx") == "peringkat_peserta_dbhcht.xlsx"
    assert _export_ui.file_name(meta, "zip") == "peringkat_peserta_dbhcht.zip"


def test_citations_are_the_distinct_full_sources_of_the_rows():
    from views import _export_ui

    frame = pd.DataFrame({"sumber": [" | ".join(CITATIONS), CITATIONS[1], "", None]})
    assert _export_ui.citations(frame) == CITATIONS


# ---- the column dictionary (data/kolom.toml)


def test_the_column_dictionary_is_complete_and_consistent():
    from analytics import fmt

    entries = columns.dictionary()
    indonesian = set(entries)
    for name, column in entries.items():
        assert column.type in columns.TYPES, name
        assert re.fullmatch(r"[a-z][a-z0-9_]*", column.name_en), f"{name}: English names are snake_case"
        assert all(column.titles[lang] and column.descriptions[lang] for lang in ("id", "en")), name
        # an English name that is also an Indonesian one must be the same column (status, url, x)
        assert column.name_en not in indonesian or column.name_en == name, name
        if column.values and not column.values.startswith("@"):
            assert column.values in columns.value_maps(), f"{name}: no [nilai.{column.values}]"
        assert column.values is None or not column.values.startswith("@") or column.values in columns.SPECIAL_VALUES
    assert columns.value_maps()["kualifikasi"] == fmt.QUALIFIERS_EN


def _recording_panel(monkeypatch) -> list[tuple[str, pd.DataFrame, export.ExportMeta]]:
    from views import _export_ui

    seen, original = [], _export_ui.export_panel

    def record(fig, data, meta, key, **kwargs):
        seen.append((key, data.copy(), meta))
        return original(fig, data, meta, key, **kwargs)

    monkeypatch.setattr(_export_ui, "export_panel", record)
    return seen


PAGES = _pages.CHART_PAGES


@pytest.mark.parametrize("dataset", ["publikasi", "contoh"])
def test_every_column_any_page_exports_is_in_the_dictionary(store_path, monkeypatch, tmp_path, dataset):
    """Each page run as a user opens it; every frame it hands the export panel is checked, and its ZIP
    (in the page's language and in English) is validated by frictionless."""
    from tests.apptest import open_page

    seen = _recording_panel(monkeypatch)
    for page in PAGES:
        at = open_page(page, dataset=dataset, tahun="2025", per="2025-12-31")
        assert not at.exception, (page, at.exception)
    keys = [key for key, _, _ in seen]
    assert {"top10", "ranking", "map", "tren_export", "bandingkan_export", "profil_trend_export"} <= set(keys), keys
    for key, data, meta in seen:
        for lang in ("id", "en"):
            unknown = [c for c in data.columns if columns.lookup(str(c), lang) is None]
            assert not unknown, f"{key}: columns missing from data/kolom.toml: {unknown}"
        for lang in ("id", "en"):
            shown = dataclasses.replace(meta, lang=lang)
            english = export.file_table(data, shown)
            assert english.columns.is_unique, (key, list(english.columns))
            report = validate_zip(export.zip_bytes(data, shown), tmp_path / f"{key}_{lang}")
            assert report.valid, (key, lang, report.flatten(["type", "message"]))


# ---------------------------------------------------------------- the panel in the app

EXPORT_LABELS = ["PNG", "SVG", "PDF", "CSV", "ZIP", "XLSX"]


@pytest.mark.parametrize("path, key", [("views/ringkasan.py", "top10"), ("views/peringkat.py", "ranking")])
@pytest.mark.parametrize("dataset", ["publikasi", "contoh"])
def test_pages_show_the_export_panel_under_the_chart(store_path, path, key, dataset):
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in dict(dataset=dataset, tahun="2025", per="2025-12-31").items():
        at.query_params[name] = value
    at.run()
    at.switch_page(path).run()
    assert not at.exception, at.exception
    buttons = {b.key: b for b in at.download_button}
    assert [buttons[f"{key}_{ext.lower()}"].label for ext in EXPORT_LABELS] == EXPORT_LABELS
    assert buttons[f"{key}_png"].proto.deferred_file_id, "images are made on click, not on every rerun"
    assert "Unduh CSV tabel ini" not in [b.label for b in at.download_button]


def test_bar_labels_given_as_numpy_arrays_are_measured_too():
    import numpy as np
    import plotly.graph_objects as go

    fig = go.Figure(
        go.Bar(
            x=np.array([3, 1]),
            y=np.array(["Kabupaten Probolinggo", "Kota Batu"]),
            orientation="h",
            text=np.array(["3", "1"]),
            textposition="outside",
        )
    )
    meta = export.ExportMeta(title="Uji", subtitle="2025", source="Sumber: uji", dataset="publikasi")
    press = export.press_figure(fig, meta, "1:1")
    assert press.layout.width == 1080 and press.layout.height == 1080
