"""Page state in a real browser: each page keeps its own choices, shared ones carry, Back returns
to the view the user left, and a language switch relabels every widget at once."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

CHART = '[data-testid="stPlotlyChart"]'


def nav(page: Page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).click()
    expect(page.locator('[data-testid="stMain"] h1', has_text=title).first).to_be_visible(timeout=30_000)
    settle(page)


def settle(page: Page) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(700)  # the rerun's stale copies go away


def chosen(page: Page, label: str) -> list[str]:
    """The tags shown in a multiselect."""
    box = page.locator('[data-testid="stMultiSelect"]').filter(has_text=label).first
    return [tag.inner_text() for tag in box.locator("[data-tag] span[title]").all()]


def selected(page: Page, label: str) -> str:
    """The option a selectbox shows."""
    return page.get_by_role("combobox", name=label, exact=True).first.input_value()


def pick(page: Page, label: str, option: str) -> None:
    box = page.get_by_role("combobox", name=label).first
    box.click()
    box.fill(option.split()[-1])  # long option lists are virtualised: filter first
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
    settle(page)


def no_exception(page: Page) -> None:
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def param(page: Page, name: str) -> str | None:
    match = re.search(rf"[?&]{name}=([^&]*)", page.url)
    return None if match is None else match.group(1).replace("%2C", ",")


def test_every_page_keeps_its_choices_and_back_returns_to_the_view_left(app_url, page: Page):
    page.goto(f"{app_url}/?dataset=contoh&tahun=2025")
    expect(page.locator(CHART).first).to_be_visible(timeout=30_000)

    nav(page, "Tren")
    pick(page, "Wilayah (maks. 8)", "Kabupaten Lumajang")
    tren = chosen(page, "Wilayah (maks. 8)")
    assert "Kabupaten Lumajang" in tren and param(page, "wilayah").endswith("3508")

    nav(page, "Bandingkan")
    assert param(page, "wilayah"), "Bandingkan's selection is not empty after Tren"
    pick(page, "Wilayah (2–6", "Kota Batu")
    bandingkan = chosen(page, "Wilayah (2–6")
    assert bandingkan[-1] == "Kota Batu" and bandingkan != tren

    nav(page, "Profil wilayah")
    pick(page, "Wilayah", "Kabupaten Ngawi")
    expect(page.get_by_role("heading", name="Kabupaten Ngawi")).to_be_visible(timeout=30_000)
    assert param(page, "wilayah") == "3521"

    nav(page, "Peta")
    pick(page, "Indikator", "Peserta DBHCHT per 1.000 penduduk")
    pick(page, "Jenis peta", "Peta petak (ukuran sama)")
    assert param(page, "indikator") == "peserta_per_1000" and param(page, "wilayah") is None
    peta_url = page.url

    label = page.locator(f"{CHART} text", has_text=re.compile(r"^Jember")).first
    label.scroll_into_view_if_needed()
    box = label.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.wait_for_timeout(800)
    page.mouse.click(x, y)
    expect(page).to_have_url(re.compile(r"/profil\?.*wilayah=3509"), timeout=30_000)
    expect(page.get_by_role("heading", name="Kabupaten Jember")).to_be_visible(timeout=30_000)
    no_exception(page)

    page.go_back()
    expect(page.get_by_role("heading", name="Peta", exact=True)).to_be_visible(timeout=30_000)
    settle(page)
    no_exception(page)
    assert "per 1.000 penduduk" in selected(page, "Indikator")  # the indicator the user left
    assert param(page, "indikator") == "peserta_per_1000" and param(page, "jenis_peta") == "petak"
    assert param(page, "wilayah") is None, page.url  # Profil's region does not linger on Peta
    assert page.url.split("?")[0] == peta_url.split("?")[0]

    nav(page, "Tren")  # the indicator is shared; the regions are Tren's own
    assert chosen(page, "Wilayah (maks. 8)") == tren
    assert "per 1.000 penduduk" in selected(page, "Indikator")
    nav(page, "Bandingkan")
    assert chosen(page, "Wilayah (2–6") == bandingkan
    nav(page, "Profil wilayah")  # the region chosen last on Profil: Jember, from the map click
    expect(page.get_by_role("heading", name="Kabupaten Jember")).to_be_visible(timeout=30_000)
    nav(page, "Peringkat")
    assert "per 1.000 penduduk" in selected(page, "Indikator")
    no_exception(page)


def test_a_language_switch_relabels_every_widget_at_once(app_url, page: Page):
    page.goto(f"{app_url}/peringkat?dataset=publikasi&tahun=2025")
    expect(page.locator(CHART).first).to_be_visible(timeout=30_000)
    assert selected(page, "Indikator") == "Peserta BPJS TK didanai DBHCHT"
    pick(page, "Bahasa / Language", "English")
    expect(page.get_by_role("heading", name="Ranking", exact=True)).to_be_visible(timeout=30_000)
    assert selected(page, "Indicator") == "BPJS TK participants funded by DBHCHT"
    assert selected(page, "Dataset") == "Published (cited public figures)"
    assert selected(page, "Region type") == "All"
    nav(page, "Trends")
    placeholders = [box.get_attribute("placeholder") or "" for box in page.get_by_role("combobox").all()]
    assert set(placeholders) <= {"Choose one", "Choose regions", ""}, placeholders  # never Streamlit's defaults
    pick(page, "Bahasa / Language", "Bahasa Indonesia")
    assert selected(page, "Indikator") == "Peserta BPJS TK didanai DBHCHT"
    assert selected(page, "Dataset") == "Publikasi (angka terbit)"
    no_exception(page)


PAGES = {
    "": "Dasbor Jamsos",
    "peringkat": "Peringkat",
    "peta": "Peta",
    "tren": "Tren",
    "bandingkan": "Bandingkan",
    "profil": "Profil wilayah",
    "metodologi": "Metodologi",
    "kelola": "Kelola Data",
}


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_fits_a_phone(app_url, browser, playwright, path, tmp_path_factory):
    """390 × 844 with a phone's User-Agent: nothing wider than the screen, chart titles as page text
    above the figures, wide tables as cards; a screenshot of each page is kept for looking at."""
    phone = {**playwright.devices["iPhone 13"], "viewport": {"width": 390, "height": 844}, "device_scale_factor": 1}
    context = browser.new_context(**phone)
    page = context.new_page()
    page.goto(f"{app_url}/{path}?dataset=publikasi&tahun=2025")
    expect(page.locator('[data-testid="stMain"] h1', has_text=PAGES[path]).first).to_be_visible(timeout=30_000)
    settle(page)
    page.wait_for_timeout(1500)
    no_exception(page)
    main = page.locator('[data-testid="stMain"]')
    overflow = main.evaluate("m => m.scrollWidth - m.clientWidth")
    assert overflow <= 1, f"/{path} is {overflow} px wider than the phone"
    for chart in page.locator('[data-testid="stPlotlyChart"]').all()[:3]:
        assert chart.evaluate("c => c.getBoundingClientRect().right") <= 391
        assert chart.locator(".gtitle").count() == 0  # titles are page text, never under the toolbar
    if path == "bandingkan":
        expect(page.locator(".st-key-bandingkan_table_cards")).to_be_visible()
    shots = tmp_path_factory.getbasetemp() / "phone"
    shots.mkdir(exist_ok=True)
    page.screenshot(path=str(shots / f"{path or 'ringkasan'}.png"), full_page=True)
    context.close()
