"""A real browser (Debian Chromium via Playwright) against a running `streamlit run app.py`."""
import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

CHART_TICKS = '[data-testid="stPlotlyChart"] .yaxislayer-above .ytick text'


def top_bar_label(page: Page) -> str:
    # The highest bar is the last y tick (plotly draws categories bottom-up).
    ticks = page.locator(CHART_TICKS)
    expect(ticks.first).to_be_visible(timeout=30_000)
    return ticks.last.text_content()


def test_both_pages_show_the_leader_on_top(app_url, page: Page):
    page.goto(f"{app_url}/?tahun=2025&per=2025-07-31")
    expect(page.get_by_role("heading", name="Dasbor Jamsos DBHCHT Jawa Timur")).to_be_visible(timeout=30_000)
    assert top_bar_label(page) == "1. Jember"
    expect(page.get_by_text("Daerah dengan data")).to_be_visible()

    nav = page.locator('[data-testid="stSidebarNav"] a')
    expect(nav).to_have_count(2)
    nav.filter(has_text="Peringkat").click()
    expect(page).to_have_url(re.compile(r"/peringkat"))
    expect(page.get_by_role("heading", name="Peringkat", exact=True)).to_be_visible(timeout=30_000)
    assert top_bar_label(page) == "1. Jember"
    expect(page.locator('[data-testid="stSidebar"]').get_by_text("Data per tanggal")).to_be_visible()
    # the view survived the page switch: year and as-of stay in the link
    assert "per=2025-07-31" in page.url and "tahun=2025" in page.url


def test_shared_link_opens_the_same_view(app_url, page: Page):
    page.goto(f"{app_url}/peringkat?dataset=contoh&tahun=2025&per=2025-12-31&indikator=peserta_per_1000&jenis=kota")
    expect(page.get_by_text("DATA CONTOH").first).to_be_visible(timeout=30_000)
    title = page.locator('[data-testid="stPlotlyChart"] .gtitle').first
    expect(title).to_contain_text("per 1.000 penduduk", timeout=30_000)
    assert top_bar_label(page).split(". ", 1)[1].startswith("Kota ")
