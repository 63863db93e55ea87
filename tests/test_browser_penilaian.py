"""Penilaian in a real browser: a weight slider moved with the keyboard reorders the contributions
chart and the ranking and rewrites ?bobot=, the copied link reproduces the view in a fresh browser
context, the assessment dossier downloads as a PDF every page of which renders (plus its XLSX
workbook), and on publikasi the regions that cannot be scored are listed with their reasons."""

import re
import subprocess
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from analytics import scoring

pytestmark = pytest.mark.browser

VIEW = "tahun=2025&per=2025-12-31"
CONTRIBUTIONS = ".st-key-penilaian_kontribusi"
TICKS = f"{CONTRIBUTIONS} .yaxislayer-above .ytick text"
SLIDER = '[data-testid="stSlider"] input[type="range"]'
MOVED = "Peserta DBHCHT per 1.000 penduduk"  # paritrana_contoh gives it 8 of 10: Home sets it to 0
DOSSIER_PDF, DOSSIER_XLSX = "Unduh Lembar Penilaian (PDF)", "Unduh buku kerja (XLSX)"


def settle(page: Page) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(700)  # the rerun's stale copies go away


def no_exception(page: Page) -> None:
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def param(page: Page, name: str) -> str | None:
    values = parse_qs(urlsplit(page.url).query, keep_blank_values=True).get(name)
    return values[0] if values else None


def open_penilaian(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator(TICKS).first).to_be_visible(timeout=60_000)
    settle(page)
    no_exception(page)


def chart_order(page: Page) -> list[str]:
    """The contributions chart's regions, best first (plotly draws categories bottom-up)."""
    return page.locator(TICKS).all_text_contents()[::-1]


def table_with(page: Page, column: str):
    """The st.dataframe with that column header (its accessible grid lies inside the canvas, so it
    counts as hidden for get_by_role: match the header cell itself)."""
    header = page.locator('th[role="columnheader"]', has_text=re.compile(rf"^{re.escape(column)}$"))
    return page.locator('[data-testid="stDataFrame"]').filter(has=header)


def ranking_top(page: Page, rows: int = 3) -> list[str]:
    """The first rows' region names of the ranking table (glide renders an accessible grid)."""
    table = table_with(page, "Selisih aman")
    expect(table).to_have_count(1)
    return [table.locator(f'[data-testid="glide-cell-1-{row}"]').text_content() for row in range(rows)]


def slider_values(page: Page) -> dict[str, str]:
    return {box.get_attribute("aria-label"): box.input_value() for box in page.locator(SLIDER).all()}


def weights(page: Page) -> dict[str, int]:
    return {cid: int(w) for cid, _, w in (pair.partition(":") for pair in param(page, "bobot").split(","))}


def test_a_slider_reorders_the_scores_and_the_link_reproduces_the_view(app_url, page: Page, browser):
    open_penilaian(page, f"{app_url}/penilaian?dataset=contoh&{VIEW}")
    before_chart, before_table, before_weights = chart_order(page), ranking_top(page), weights(page)
    assert len(before_chart) > 30 and before_chart[0].startswith("1. ")
    assert before_weights["peserta_per_1000"] == 8, page.url

    thumb = page.locator(f'{SLIDER}[aria-label^="{MOVED}"]')
    thumb.focus()
    page.keyboard.press("Home")
    expect(page).to_have_url(re.compile(r"bobot=peserta_per_1000%3A0%2C"), timeout=30_000)
    page.wait_for_function(
        """([selector, before]) => {
            if (document.querySelector('[data-stale="true"]')) return false;
            const ticks = [...document.querySelectorAll(selector)].map(t => t.textContent).reverse();
            return ticks.length > 0 && ticks.join('|') !== before.join('|');
        }""",
        arg=[TICKS, before_chart],
        timeout=30_000,
    )
    settle(page)
    no_exception(page)
    after_chart, after_table, after_weights = chart_order(page), ranking_top(page), weights(page)
    assert thumb.input_value() == "0"
    assert after_chart != before_chart
    assert after_weights == {**before_weights, "peserta_per_1000": 0}
    for chart, table in ((before_chart, before_table), (after_chart, after_table)):  # both tell the same order
        assert [name.endswith(re.sub(r"^\d+\. ", "", label)) for name, label in zip(table, chart)] == [True] * 3
    shown = slider_values(page)

    context = browser.new_context(viewport={"width": 1440, "height": 1000})  # a colleague opening the link
    try:
        other = context.new_page()
        open_penilaian(other, page.url)
        assert slider_values(other) == shown
        assert chart_order(other) == after_chart
        assert ranking_top(other) == after_table
        assert weights(other) == after_weights
    finally:
        context.close()


def download_button(page: Page, key: str, label: str):
    """The visible button of a keyed st.download_button (Streamlit also draws a hidden twin of it)."""
    button = page.locator(f".st-key-{key}").get_by_role("button", name=label, exact=True)
    expect(button).to_be_visible(timeout=30_000)
    return button


def text_of(pdf) -> str:
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return " ".join(done.stdout.split())


def test_the_dossier_downloads_as_a_pdf_that_renders_and_an_xlsx(app_url, page: Page, tmp_path):
    open_penilaian(page, f"{app_url}/penilaian?dataset=contoh&{VIEW}")
    top = ranking_top(page, 1)[0]
    button = download_button(page, "penilaian_dossier_pdf", DOSSIER_PDF)
    with page.expect_download(timeout=120_000) as info:
        button.click()
    pdf = tmp_path / "dossier.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = text_of(pdf)
    scheme = scoring.load_scheme(scoring.DEFAULT_SCHEME).title("id")
    assert " ".join(scheme.split()) in text, text[:800]
    assert top in text or top.removeprefix("Kabupaten ") in text, (top, text[:800])

    info_out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info_out, re.M).group(1))
    assert pages >= 1
    done = subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "halaman")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    rendered = sorted(tmp_path.glob("halaman*.png"))
    assert len(rendered) == pages and all(p.stat().st_size > 0 for p in rendered)

    button = download_button(page, "penilaian_dossier_xlsx", DOSSIER_XLSX)
    with page.expect_download(timeout=120_000) as info:
        button.click()
    xlsx = tmp_path / "dossier.xlsx"
    info.value.save_as(xlsx)
    book = openpyxl.load_workbook(xlsx, read_only=True)
    assert book.sheetnames
    cells = [str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v]
    assert any(top in v for v in cells), book.sheetnames
    book.close()
    no_exception(page)


def test_publikasi_lists_the_regions_not_scored_with_their_reasons(app_url, page: Page):
    page.goto(f"{app_url}/penilaian?dataset=publikasi&{VIEW}")
    expect(page.get_by_role("heading", name=re.compile(r"^Tidak dinilai \(\d+ daerah\)"))).to_be_visible(timeout=60_000)
    settle(page)
    no_exception(page)
    table = table_with(page, "Catatan")
    expect(table).to_have_count(1)
    first_reason = table.locator('[data-testid="glide-cell-1-0"]')
    expect(first_reason).to_contain_text("tidak dinilai")
    expect(table.locator('[data-testid="glide-cell-0-0"]')).not_to_be_empty()
