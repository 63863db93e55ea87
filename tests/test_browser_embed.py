"""Sematkan in a real browser: copy the snippet from the page, paste it into another web page, and
the iframe shows that chart alone, with the page's view, on a desktop and on a phone."""

import html
import re

import pytest
from playwright.sync_api import Page, expect

from tests.test_browser import CHART, choose, no_exception, top_bar_label

pytestmark = pytest.mark.browser


def copy_snippet(page: Page) -> str:
    page.get_by_role("button", name="Sematkan").first.click()
    code = page.locator('[data-testid="stCode"] code').filter(has_text="<iframe").first
    expect(code).to_be_visible(timeout=30_000)
    return code.inner_text().replace("\n", "")


@pytest.mark.parametrize("width", [1440, 390])
def test_the_snippet_embeds_the_chart_alone_with_the_view(app_url, page: Page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{app_url}/peringkat?dataset=contoh&tahun=2025&per=2025-12-31")
    choose(page, "Jenis daerah", "Kota")
    expect(page).to_have_url(re.compile(r"jenis=kota"), timeout=30_000)
    expect(page.locator(f"{CHART} .yaxislayer-above .ytick text").last).to_have_text(
        re.compile(r"^1\. Kota "), timeout=30_000
    )
    leader = top_bar_label(page)
    snippet = copy_snippet(page)
    src = html.unescape(re.search(r'src="([^"]+)"', snippet)[1])
    assert "jenis=kota" in src and "sematkan=ranking_chart" in src and "embed=true" in src

    page.set_content(f"<!doctype html><title>Berita</title><h1>Berita daerah</h1>{snippet}")  # a newsroom's page
    frame = page.frame_locator("iframe")
    expect(frame.locator(CHART)).to_be_visible(timeout=60_000)
    ticks = frame.locator(f"{CHART} .yaxislayer-above .ytick text")
    expect(ticks.last).to_have_text(leader, timeout=30_000)  # the same view: kota only, same leader
    assert all(
        t.startswith(("1", "2", "3", "4", "5", "6", "7", "8", "9")) and "Kota" in t for t in ticks.all_text_contents()
    )
    expect(frame.get_by_text("DATA CONTOH").first).to_be_attached()
    expect(frame.get_by_role("link", name="Buka di dasbor ↗")).to_be_visible()
    expect(frame.locator('[data-testid="stSidebar"]')).to_be_hidden()
    expect(frame.get_by_role("heading", name="Peringkat")).to_be_hidden()
    expect(frame.get_by_role("button", name="PNG")).to_be_hidden()
    expect(frame.locator(".st-key-embed__ranking_chart .jamsos-alt-text")).to_have_count(1)
    expect(frame.locator('[data-testid="stException"]')).to_have_count(0)
    box = page.locator("iframe").bounding_box()
    assert box["width"] <= width  # width="100%": never wider than the page it sits in


def test_the_credit_link_opens_the_whole_view(app_url, page: Page):
    page.goto(f"{app_url}/peta?dataset=publikasi&tahun=2025&sematkan=map_chart&embed=true")
    expect(page.locator(CHART)).to_be_visible(timeout=60_000)
    link = page.get_by_role("link", name="Buka di dasbor ↗")
    href = link.get_attribute("href")
    assert "sematkan" not in href and "dataset=publikasi" in href
    page.goto(href)
    expect(page.get_by_role("heading", name="Peta")).to_be_visible(timeout=30_000)
    no_exception(page)
