"""The Peta page in a real browser: the region search outlines a region and states its value, and
a phone gets the compact map (abbreviations, the kota key under the map)."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

CHART = '[data-testid="stPlotlyChart"]'
HIGHLIGHT_STROKE = "rgb(224, 122, 31)"  # charts.COLOR_HIGHLIGHT
VIEW = "dataset=contoh&tahun=2025&per=2025-12-31"


def test_searching_a_region_outlines_it_and_shows_its_value(app_url, page: Page):
    page.goto(f"{app_url}/peta?{VIEW}")
    expect(page.locator(f"{CHART} text", has_text="Kota (nomor di peta)")).to_be_visible(timeout=30_000)
    outline = page.locator(f'{CHART} path.js-line[style*="{HIGHLIGHT_STROKE}"]')
    expect(outline).to_have_count(0)
    page.get_by_label("Cari wilayah").click()
    page.keyboard.type("Jember")
    page.get_by_role("option", name="Kabupaten Jember").click()
    page.keyboard.press("Escape")
    expect(page.get_by_text(re.compile(r"Kabupaten Jember: [\d.]+ orang · Peringkat \d+ dari \d+"))).to_be_visible(
        timeout=30_000
    )
    expect(outline.first).to_be_visible(timeout=30_000)  # one path per part: Jember has an island
    assert re.search(r"sorot=3509", page.url)


def test_a_phone_gets_the_compact_map(app_url, browser, playwright):
    context = browser.new_context(**playwright.devices["iPhone 13"])
    page = context.new_page()
    try:
        page.goto(f"{app_url}/peta?{VIEW}")
        chart = page.locator(CHART).first
        expect(chart.locator("text", has_text=re.compile(r"^JBR$"))).to_be_visible(timeout=30_000)
        key = chart.locator("text", has_text="Kota (nomor di peta)")
        bar = chart.locator(".colorbar").first
        # the colour bar and the key lie under the map, and the chart fits the phone's width
        assert bar.bounding_box()["y"] > chart.locator(".scatterlayer").first.bounding_box()["y"]
        assert key.bounding_box()["y"] > bar.bounding_box()["y"]
        assert chart.bounding_box()["width"] <= 390
    finally:
        context.close()
