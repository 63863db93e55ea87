"""Accessibility in a real browser: axe-core (4.12.1, the npm build shipped inside the PyPI package
axe-playwright-python, injected into the page) finds nothing serious or critical on any page, for
every dataset and in both languages, with every expander open; and the keyboard alone reaches
every control of the pages with the most controls, with the focus always drawn.

No rule is switched off and no element is excluded: every serious or critical finding was fixed
(views/_ui.py ACCESSIBLE_CSS). Moderate and minor findings are printed (pytest -s), not failed on.
"""

import re
from pathlib import Path

import axe_playwright_python
import pytest
from playwright.sync_api import Page, expect

from tests.test_browser_kelola import sign_in
from views import _pages

pytestmark = pytest.mark.browser

AXE_JS = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
AXE_VERSION = "4.12.1"
FAILING = ("critical", "serious")
VIEW = "tahun=2025&per=2025-12-31"
PAGES = ["", *(url for _file, _text, url in _pages.PAGES[1:])]  # menu order; the first is the default page at /
NAV = '[data-testid="stSidebarNav"] a'

# The page has finished: the script is not running, no element is a stale copy of the last run,
# no lazily loaded element (Plotly, tables) still shows its loading skeleton, every chart has drawn its SVG.
RENDERED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-stale="true"], [data-testid="stSkeleton"], [data-testid="stSkeletonElement"], '
                             + '[data-testid="stAppSkeleton"]')) return false;
  return [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(c => c.querySelector('.main-svg'));
}"""


def rendered(page: Page) -> None:
    expect(page.locator('[data-testid="stMain"] h1').first).to_be_visible(timeout=60_000)
    page.wait_for_function(RENDERED, timeout=60_000, polling=100)
    page.wait_for_timeout(250)  # a rerun that starts right after (a URL sync) shows up by now
    page.wait_for_function(RENDERED, timeout=60_000, polling=100)


def open_expanders(page: Page) -> None:
    """Open every closed expander: axe skips hidden content."""
    closed = page.locator('[data-testid="stExpander"] summary[aria-expanded="false"]')
    for _ in range(closed.count()):
        closed.first.click()
    page.wait_for_function(RENDERED, timeout=60_000, polling=100)


def run_axe(page: Page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_JS)
    assert page.evaluate("() => axe.version") == AXE_VERSION
    return page.evaluate("() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)")


def describe(where: str, violation: dict) -> str:
    targets = ", ".join(" ".join(node["target"])[-90:] for node in violation["nodes"][:3])
    more = f" (+{len(violation['nodes']) - 3} more)" if len(violation["nodes"]) > 3 else ""
    return f"{where}: {violation['id']} [{violation['impact']}] {violation['help']} — {targets}{more}"


def counts(violations: list[dict]) -> dict[str, int]:
    out = dict.fromkeys(("critical", "serious", "moderate", "minor"), 0)
    for violation in violations:
        out[violation["impact"]] += len(violation["nodes"])
    return out


def visit_all(page: Page, url: str, query: str, paths: list[str]) -> list[str]:
    """Open the first page by URL and the others through the sidebar (one session, as a reader
    moves); axe on each. Returns the serious and critical findings, described."""
    failures = []
    for index, path in enumerate(paths):
        if index == 0:
            page.goto(f"{url}/{path}?{query}")
        else:
            page.locator(NAV).nth(PAGES.index(path)).click()
            expect(page).to_have_url(re.compile(rf"/{path}\?"), timeout=30_000)
        rendered(page)
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
        open_expanders(page)
        where = f"/{path} ({query})"
        assert re.search(r"dataset=", page.url) or "dataset=publikasi" in query, where  # the view came along
        violations = run_axe(page)
        print(where, counts(violations), [v["id"] for v in violations])
        failures += [describe(where, v) for v in violations if v["impact"] in FAILING]
    return failures


@pytest.mark.parametrize(
    "query, paths",
    [
        pytest.param(f"dataset=publikasi&{VIEW}", PAGES, id="publikasi-id"),
        pytest.param(f"dataset=contoh&{VIEW}", PAGES, id="contoh-id"),
        pytest.param(f"dataset=resmi&{VIEW}", PAGES, id="resmi-empty-id"),
        pytest.param(f"dataset=publikasi&bahasa=en&{VIEW}", ["", "peringkat", "penilaian"], id="publikasi-en"),
    ],
)
def test_axe_finds_nothing_serious_or_critical(app_url, page: Page, query, paths):
    failures = visit_all(page, app_url, query, paths)
    assert not failures, "axe-core found:\n" + "\n".join(failures)


def test_axe_finds_nothing_serious_on_the_stewards_kelola_page(steward_app, page: Page):
    """Signed in: the upload form, the template downloads and the batch list."""
    url, _ = steward_app
    sign_in(page, url)
    rendered(page)
    open_expanders(page)
    violations = run_axe(page)
    print("/kelola (signed in)", counts(violations), [v["id"] for v in violations])
    failures = [describe("/kelola (signed in)", v) for v in violations if v["impact"] in FAILING]
    assert not failures, "axe-core found:\n" + "\n".join(failures)


# ---------------------------------------------------------------- keyboard

# Every control a reader may need: the skip link, navigation links, inputs (select boxes, sliders,
# date fields, toggles), buttons (download buttons, help icons), tables; what is hidden, disabled
# or taken out of the tab order on purpose (tabindex -1: a select box's own arrow button, which the
# box's input already opens) is not required.
KEYBOARD_JS = r"""
(() => {
  const style = document.createElement('style');  // computed focus styles at once, not mid-transition
  style.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }';
  document.head.appendChild(style);
  const CONTROLS = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, [role="slider"], '
    + '[role="spinbutton"], [role="combobox"], [role="tab"], [role="checkbox"], [role="switch"], [role="radio"], '
    + 'canvas[tabindex]';
  const describe = e => {
    const widget = e.closest('[data-testid^="st"]');
    const name = (e.getAttribute('aria-label') || e.innerText || e.value || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return `${e.tagName.toLowerCase()}${e.getAttribute('role') ? '[role=' + e.getAttribute('role') + ']' : ''} "${name}"`
      + ` in ${widget ? widget.getAttribute('data-testid') : 'page'}`;
  };
  const rings = e => {  // outline and box-shadow of the element and its near ancestors (a widget's frame)
    const out = [];
    for (let n = e, i = 0; n && i < 8; n = n.parentElement, i++) {
      const s = getComputedStyle(n);
      const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 ? `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` : '';
      out.push(outline + '|' + (s.boxShadow === 'none' ? '' : s.boxShadow));
    }
    return out;
  };
  window.a11yMark = () => {
    let n = 0;
    for (const e of document.querySelectorAll(CONTROLS)) {
      if (e.disabled || e.tabIndex < 0 || e.closest('[inert], [aria-hidden="true"]')) continue;
      if (!e.checkVisibility({visibilityProperty: true})) continue;
      e.setAttribute('data-a11y-id', n++);
      e.a11yUnfocused = rings(e);
    }
    return n;
  };
  // The focused control: which one, and whether focusing it drew an outline or a shadow it did not
  // have before anything was focused (an element found only now, e.g. a chart's toolbar button,
  // counts as drawn when it shows any).
  window.a11yFocused = () => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const focused = rings(e);
    const before = e.a11yUnfocused || focused.map(() => '|');
    const id = e.getAttribute('data-a11y-id');
    const group = e.getAttribute('role') === 'radio' ? e.closest('[role="radiogroup"]') : null;
    return {id: id === null ? null : +id, what: describe(e), tag: e.tagName, testid: (e.closest('[data-testid^="st"]') || e).getAttribute('data-testid'),
            visible: focused.some((ring, i) => ring !== '|' && ring !== before[i]),
            group: group ? [...group.querySelectorAll('[data-a11y-id]')].map(r => +r.getAttribute('data-a11y-id')) : []};
  };
  window.a11yDescribe = ids => ids.map(i => describe(document.querySelector(`[data-a11y-id="${i}"]`)));
})();
"""


def tab_walk(page: Page, limit: int = 400) -> tuple[int, dict[int, dict], list[dict]]:
    """Tab from the top until the focus comes back round to the skip link: (controls, reached by
    id, every stop)."""
    page.evaluate(KEYBOARD_JS)
    total = page.evaluate("a11yMark()")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")  # from the top of the document
    reached, stops = {}, []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate("a11yFocused()")
        if stop is None:
            continue
        if stop["id"] == 0 and reached:
            break  # round once, back at the skip link
        if stops and stop["id"] is not None and stop["id"] == stops[-1]["id"]:
            continue  # Tab inside a table moves between its cells, then leaves it
        stops.append(stop)
        if stop["id"] is not None:
            reached[stop["id"]] = stop
    return total, reached, stops


@pytest.mark.parametrize("path", ["penilaian", "peringkat"])
def test_the_keyboard_reaches_every_control_and_shows_where_it_is(app_url, page: Page, path):
    page.goto(f"{app_url}/{path}?{VIEW}")
    rendered(page)
    total, reached, stops = tab_walk(page)
    assert total > 30 and len(stops) < 400, (total, len(stops))
    # a radio group (the export size) is one tab stop; arrow keys move inside it (WAI-ARIA radio group)
    in_group = {member for stop in reached.values() for member in stop["group"]}
    missing = page.evaluate(
        "ids => a11yDescribe(ids)", [i for i in range(total) if i not in reached and i not in in_group]
    )
    assert not missing, "not reachable with Tab:\n" + "\n".join(missing)
    # 'main' takes focus only as the skip link's target; it is not a control
    unseen = [stop["what"] for stop in stops if not stop["visible"] and stop["tag"] != "MAIN"]
    assert not unseen, "focus not drawn (no outline or box-shadow appears) on:\n" + "\n".join(unseen)
    kinds = [stop["testid"] for stop in stops]
    assert kinds.count("stSidebarNavLink") == len(PAGES)
    assert {"stSelectbox", "stDateInputFieldsScroller", "stBaseButton-secondary", "stDataFrameResizable"} <= set(kinds)
    if path == "penilaian":
        assert kinds.count("stSlider") >= 8  # one weight per criterion
    assert any('"PNG"' in stop["what"] for stop in stops) and any('"CSV"' in stop["what"] for stop in stops)
