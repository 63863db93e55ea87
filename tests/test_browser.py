"""A real browser (Debian Chromium via Playwright) against a running `streamlit run app.py`."""

import io
import re

import pandas as pd
import pytest
from PIL import Image
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

CHART = '[data-testid="stPlotlyChart"]'
CHART_TICKS = f"{CHART} .yaxislayer-above .ytick text"
# A chart's title is page text above the figure (it wraps on a phone; the toolbar covers nothing).
HEADING = '[data-testid="stMarkdownContainer"] strong'
PAGE_TITLES = [
    "Ringkasan",
    "Peringkat",
    "Peta",
    "Tren",
    "Bandingkan",
    "Profil wilayah",
    "Penilaian",
    "Metodologi & Sumber",
    "Kelola Data",
]
VIEW = "tahun=2025&per=2025-12-31"


def top_bar_label(page: Page) -> str:
    # The highest bar is the last y tick (plotly draws categories bottom-up).
    ticks = page.locator(CHART_TICKS)
    expect(ticks.first).to_be_visible(timeout=30_000)
    return ticks.last.text_content()


def no_exception(page: Page) -> None:
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def choose(page: Page, label: str, option: str) -> None:
    page.get_by_label(label).first.click()
    page.get_by_role("option", name=option, exact=True).click()


def test_both_pages_show_the_leader_on_top(app_url, page: Page):
    page.goto(f"{app_url}/?tahun=2025&per=2025-07-31")
    expect(page.get_by_role("heading", name="Dasbor Jamsos DBHCHT Jawa Timur")).to_be_visible(timeout=30_000)
    assert top_bar_label(page) == "1. Jember"
    expect(page.get_by_text("Daerah dengan data")).to_be_visible()

    nav = page.locator('[data-testid="stSidebarNav"] a')
    expect(nav).to_have_count(len(PAGE_TITLES))
    nav.filter(has_text="Peringkat").click()
    expect(page).to_have_url(re.compile(r"/peringkat"))
    expect(page.get_by_role("heading", name="Peringkat", exact=True)).to_be_visible(timeout=30_000)
    assert top_bar_label(page) == "1. Jember"
    expect(page.locator('[data-testid="stSidebar"]').get_by_text("Data per tanggal")).to_be_visible()
    # the view survived the page switch: year and as-of stay in the link
    assert "per=2025-07-31" in page.url and "tahun=2025" in page.url


def test_click_through_every_page(app_url, page: Page):
    page.goto(f"{app_url}/?dataset=contoh&{VIEW}")
    expect(page.locator(CHART).first).to_be_visible(timeout=30_000)
    for title in PAGE_TITLES:
        page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).click()
        heading = "Dasbor Jamsos DBHCHT Jawa Timur" if title == "Ringkasan" else title
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible(timeout=30_000)
        page.wait_for_load_state("networkidle")
        no_exception(page)
        assert "dataset=contoh" in page.url, title


def test_a_shared_link_works_as_the_first_request_to_a_fresh_server(fresh_app_url, page: Page):
    page.goto(f"{fresh_app_url}/profil?wilayah=3513&{VIEW}")
    expect(page.get_by_text("Kabupaten Probolinggo").first).to_be_visible(timeout=30_000)
    no_exception(page)
    expect(page.locator('[data-testid="stSidebarNav"] a')).to_have_count(len(PAGE_TITLES))


def test_map_indicator_change_and_a_click_opens_the_profile(app_url, page: Page):
    page.goto(f"{app_url}/peta?dataset=contoh&{VIEW}&jenis_peta=petak")
    expect(page.locator(HEADING, has_text="Peserta BPJS TK didanai DBHCHT").first).to_be_visible(timeout=30_000)
    choose(page, "Indikator", "Peserta DBHCHT per 1.000 penduduk")
    expect(page.locator(HEADING, has_text="per 1.000 penduduk").first).to_be_visible(timeout=30_000)
    assert "indikator=peserta_per_1000" in page.url
    page.wait_for_timeout(500)  # let the rerun's stale copy of the chart go
    label = page.locator(f"{CHART} text", has_text=re.compile(r"^Jember")).first
    label.scroll_into_view_if_needed()
    box = label.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)  # plotly selects the point under the hover, so hover first
    page.wait_for_timeout(800)
    page.mouse.click(x, y)
    expect(page).to_have_url(re.compile(r"/profil\?.*wilayah=3509"), timeout=30_000)
    expect(page.get_by_text("Kabupaten Jember").first).to_be_visible(timeout=30_000)
    assert "dataset=contoh" in page.url
    no_exception(page)


def test_download_png_and_csv_of_the_ranking(app_url, page: Page):
    page.goto(f"{app_url}/peringkat?{VIEW}")
    expect(page.locator(CHART).first).to_be_visible(timeout=30_000)
    with page.expect_download(timeout=60_000) as png:
        page.get_by_role("button", name="PNG", exact=True).click()
    image = Image.open(io.BytesIO(png.value.path().read_bytes()))
    assert image.format == "PNG" and image.size == (1600, 900)
    assert png.value.suggested_filename.endswith("_16x9.png")
    with page.expect_download(timeout=30_000) as csv:
        page.get_by_role("button", name="CSV", exact=True).click()
    assert csv.value.suggested_filename.endswith(".csv")
    table = pd.read_csv(csv.value.path(), encoding="utf-8-sig")  # a plain table: one header row, no comments
    assert len(table) == 38 and table.columns[0] == "peringkat"
    ranked = table.dropna(subset=["peringkat"])
    assert ranked.iloc[0]["wilayah"] == "Kabupaten Jember" and ranked.iloc[0]["nilai"] == 40300
    import json
    import zipfile

    with page.expect_download(timeout=30_000) as package:
        page.get_by_role("button", name="ZIP", exact=True).click()
    with zipfile.ZipFile(package.value.path()) as archive:  # the same CSV beside its datapackage.json
        assert sorted(archive.namelist()) == sorted([csv.value.suggested_filename, "datapackage.json"])
        assert archive.read(csv.value.suggested_filename) == csv.value.path().read_bytes()
        assert json.loads(archive.read("datapackage.json"))["resources"][0]["path"] == csv.value.suggested_filename
    assert top_bar_label(page) == "1. Jember"  # the downloads did not reset the page


def test_a_shared_url_reopens_the_same_view(app_url, page: Page, browser):
    page.goto(f"{app_url}/peringkat?dataset=contoh&{VIEW}")
    expect(page.locator(CHART).first).to_be_visible(timeout=30_000)
    choose(page, "Indikator", "Capaian terhadap target peserta")
    expect(page.locator(HEADING, has_text="Capaian").first).to_be_visible(timeout=30_000)
    choose(page, "Jenis daerah", "Kota")
    page.wait_for_url(re.compile(r"jenis=kota"), timeout=30_000)
    shared = page.url
    other = browser.new_context().new_page()
    other.goto(shared)
    expect(other.locator(HEADING, has_text="Capaian").first).to_be_visible(timeout=30_000)
    assert top_bar_label(other).split(". ", 1)[1].startswith("Kota ")
    expect(other.get_by_text("DATA CONTOH").first).to_be_visible()
    other.context.close()


def test_download_the_press_kit_of_the_map(app_url, page: Page):
    """The map's press kit: every size, the data, a caption with the boundary attribution."""
    import zipfile

    page.goto(f"{app_url}/peta?{VIEW}")
    expect(page.locator(CHART).first).to_be_visible(timeout=30_000)
    with page.expect_download(timeout=120_000) as kit:
        page.get_by_role("button", name="Paket pers").click()
    assert kit.value.suggested_filename.endswith("_paket_pers.zip")
    with zipfile.ZipFile(kit.value.path()) as archive:
        names = archive.namelist()
        assert [n.rsplit("_", 1)[-1] for n in names if n.endswith(".png")] == [
            "16x9.png",
            "1x1.png",
            "4x5.png",
            "9x16.png",
        ]
        story = Image.open(io.BytesIO(archive.read(next(n for n in names if n.endswith("9x16.png")))))
        assert story.size == (1080, 1920)
        caption = archive.read("keterangan.txt").decode()
        assert caption.startswith("Kabupaten Jember mencatat") and "40.300 orang" in caption
        assert "Batas wilayah: BPS" in caption and "https://" in caption
        assert {"datapackage.json", "alt-text.txt"} <= set(names)


def test_every_chart_has_a_text_alternative_for_screen_readers(app_url, page: Page):
    page.goto(f"{app_url}/peta?{VIEW}")
    expect(page.locator(CHART).first).to_be_visible(timeout=30_000)
    alt = page.locator(".jamsos-alt-text").first
    expect(alt).to_contain_text("Peta: Peserta BPJS TK didanai DBHCHT.")
    expect(alt).to_contain_text("Kabupaten Jember mencatat")
    assert alt.evaluate("e => e.getBoundingClientRect().width") <= 1  # read aloud, not drawn


def test_download_the_province_and_region_reports(app_url, page: Page):
    """An official prints the province report from Ringkasan and a region report from Profil."""
    import subprocess

    page.goto(f"{app_url}/?{VIEW}")
    expect(page.locator(CHART).first).to_be_visible(timeout=30_000)
    with page.expect_download(timeout=120_000) as province:
        page.get_by_role("button", name="Laporan provinsi (PDF)").click()
    assert re.fullmatch(
        r"laporan_provinsi_publikasi_peserta_dbhcht_2025_\d{4}-\d\d-\d\d_id\.pdf", province.value.suggested_filename
    )
    text = subprocess.run(["pdftotext", str(province.value.path()), "-"], capture_output=True, text=True).stdout
    assert "Laporan Provinsi" in text and "Kabupaten Jember" in text and "Peringkat lengkap" in text

    page.goto(f"{app_url}/profil?{VIEW}&wilayah=3509")
    expect(page.get_by_role("heading", name="Kabupaten Jember").first).to_be_visible(timeout=30_000)
    with page.expect_download(timeout=120_000) as region:
        page.get_by_role("button", name="Laporan wilayah (PDF)").click()
    assert region.value.suggested_filename.startswith("laporan_wilayah_publikasi_3509_2025_")
    text = subprocess.run(["pdftotext", str(region.value.path()), "-"], capture_output=True, text=True).stdout
    assert "Laporan Wilayah" in text and "Kabupaten Jember" in text and "40.300" in text
