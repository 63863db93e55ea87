"""Browser timings (Playwright + Debian Chromium): our pages against a minimal one-chart app.

For each app: navigation -> first chart visible (fresh browser context each time), and a
selectbox change -> the chart's title (page text above it) shows the new choice and no element of
the page is stale any more (the rerun is over and the new figure drawn); and a slider moved one
step with the keyboard -> the chart's bars (and axis labels) differ from before and no element is
stale (the minimal app's one chart, Penilaian's contributions chart). Reported as medians and as
the ratio to the minimal app, i.e. our overhead above Streamlit's own floor.

Alone: .venv/bin/python benchmarks/browser.py [--db STORE.duckdb] [--only penilaian] [--repeat 5]
(--only penilaian: only the slider figures; without --db a store is built in a temporary folder).
"""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

PROJECT_DIR = Path(__file__).resolve().parent.parent
LAUNCH = dict(
    executable_path="/usr/bin/chromium",
    args=[
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ],
)
CHART = '[data-testid="stPlotlyChart"] .main-svg'
SLIDER = '[data-testid="stSlider"] input[type="range"]'
NOT_STALE = "() => !document.querySelector('[data-stale=\"true\"]')"
# What a chart draws: its bars' outlines and its axis labels (plotly updates them in place).
DRAWN = """selector => {
    const chart = document.querySelector(selector);
    if (!chart) return null;
    return [...chart.querySelectorAll('.barlayer path, .ytick text')]
        .map(e => e.getAttribute('d') || e.textContent).join('|');
}"""
REDRAWN = f"""([selector, before]) => {{
    if (document.querySelector('[data-stale="true"]')) return false;
    const now = ({DRAWN})(selector);
    return now !== null && now !== before;
}}"""
TITLE = '[data-testid="stMarkdownContainer"] strong'  # chart titles are page text above the figure


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(script: str, env: dict) -> tuple[subprocess.Popen, str]:
    port = _port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            script,
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=PROJECT_DIR,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=1)
            return proc, url
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{script} did not start")


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(10)


def first_chart(browser, url: str) -> float:
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(CHART, timeout=60_000)
    elapsed = time.perf_counter() - start
    context.close()
    return elapsed


def interaction(browser, url: str, selectbox_label: str, options: list[str], title_words: list[str]) -> list[float]:
    """Pick each option in turn; time until the chart title contains the matching words."""
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(url)
    page.wait_for_selector(CHART, timeout=60_000)
    samples = []
    for option, words in zip(options, title_words):
        page.get_by_label(selectbox_label).first.click()
        start = time.perf_counter()
        page.get_by_role("option", name=option, exact=True).click()
        page.locator(TITLE, has_text=words).first.wait_for(timeout=30_000)
        page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=30_000)
        samples.append(time.perf_counter() - start)
    page.close()
    return samples


def slider_interaction(browser, url: str, slider_label: str, chart: str, presses: list[str]) -> list[float]:
    """Focus the slider's thumb, press each key in turn; time until the chart is redrawn differently
    and the rerun is over (no stale element left)."""
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(url)
    page.wait_for_selector(f"{chart} .main-svg", timeout=60_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_function(NOT_STALE, timeout=60_000)
    page.wait_for_timeout(500)
    thumb = page.locator(f'{SLIDER}[aria-label^="{slider_label}"]')
    samples = []
    for key in presses:
        before = page.evaluate(DRAWN, chart)
        thumb.focus()
        start = time.perf_counter()
        page.keyboard.press(key)
        page.wait_for_function(REDRAWN, arg=[chart, before], timeout=60_000)
        samples.append(time.perf_counter() - start)
        page.wait_for_timeout(300)  # nothing of this rerun left in flight before the next press
    page.close()
    return samples


PENILAIAN_QUERY = "/penilaian?dataset=contoh&tahun=2025&per=2025-12-31"
PENILAIAN_SLIDER = "Peserta DBHCHT per 1.000 penduduk"  # weight 8 in paritrana_contoh
LEFT5 = ["ArrowLeft"] * 5  # 8 -> 7, 6, 5, 4, 3: five new weightings on a first pass


def measure_sliders(browser, minimal_url: str, our_url: str) -> dict[str, float]:
    """Slider -> chart updated: the minimal app (no cache to warm), then Penilaian twice; the first
    pass scores five weightings nobody asked for yet (scoring + Monte Carlo + Sobol + drop-one +
    safe margins), the second pass (a new session) meets them in st.cache_data."""
    minimal = slider_interaction(browser, minimal_url, "Bobot", ".st-key-chart", LEFT5)
    minimal += slider_interaction(browser, minimal_url, "Bobot", ".st-key-chart", LEFT5)
    page_url = our_url + PENILAIAN_QUERY
    chart = ".st-key-penilaian_kontribusi"
    first = slider_interaction(browser, page_url, PENILAIAN_SLIDER, chart, LEFT5)
    second = slider_interaction(browser, page_url, PENILAIAN_SLIDER, chart, LEFT5)
    name = "browser: slider -> chart updated, "
    return {
        name + "minimal app": statistics.median(minimal),
        name + "Penilaian (contoh, first pass, 5 new weightings)": statistics.median(first),
        name + "Penilaian (contoh, second pass, cached)": statistics.median(second),
    }


def measure(store_path: str, repeat: int = 5, only: str | None = None) -> dict[str, float]:
    env = {"JAMSOS_DB": store_path}
    minimal, minimal_url = serve("benchmarks/minimal_app.py", env)
    ours, our_url = serve("app.py", env)
    results = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(**LAUNCH)
            first_chart(browser, minimal_url), first_chart(browser, our_url)  # warm both servers
            if only == "penilaian":
                first_chart(browser, our_url + PENILAIAN_QUERY)  # the page's modules and default scoring
                results.update(measure_sliders(browser, minimal_url, our_url))
                browser.close()
                return results
            results["browser: navigation -> first chart, minimal app"] = statistics.median(
                first_chart(browser, minimal_url) for _ in range(repeat)
            )
            page_url = f"{our_url}/peringkat?dataset=contoh&tahun=2025&per=2025-12-31"
            results["browser: navigation -> first chart, Peringkat (contoh)"] = statistics.median(
                first_chart(browser, page_url) for _ in range(repeat)
            )
            results["browser: selectbox -> chart updated, minimal app"] = statistics.median(
                interaction(
                    browser,
                    minimal_url,
                    "Seri",
                    ["B", "C", "A", "B", "C"],
                    ["Seri B", "Seri C", "Seri A", "Seri B", "Seri C"],
                )
            )
            names = [
                "Peserta DBHCHT per 1.000 penduduk",
                "Capaian terhadap target peserta",
                "Peserta BPJS TK didanai DBHCHT",
                "Peserta DBHCHT per 1.000 penduduk",
                "Capaian terhadap target peserta",
            ]
            results["browser: indicator change -> chart updated, Peringkat (contoh, first pass, 2 of 5 uncached)"] = (
                statistics.median(interaction(browser, page_url, "Indikator", names, names))
            )
            results["browser: indicator change -> chart updated, Peringkat (contoh, second pass, cached)"] = (
                statistics.median(interaction(browser, page_url, "Indikator", names, names))
            )
            first_chart(browser, our_url + PENILAIAN_QUERY)  # the page's modules and default scoring
            results.update(measure_sliders(browser, minimal_url, our_url))
            browser.close()
    finally:
        stop(minimal)
        stop(ours)
    return results


def main() -> None:
    import argparse
    import tempfile

    sys.path.insert(0, str(PROJECT_DIR))
    from benchmarks.run import _print_ratios, machine

    parser = argparse.ArgumentParser(description="browser timings only (see benchmarks/run.py for all)")
    parser.add_argument("--db", type=Path, help="a built store (default: build one in a temporary folder)")
    parser.add_argument("--only", choices=["penilaian"], help="only the slider figures (minimal app, Penilaian)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.db
        if path is None:
            from analytics import store

            path = Path(folder) / "jamsos.duckdb"
            store.build(path)
        results = measure(str(path), args.repeat, args.only)
    print("Machine: " + ", ".join(f"{k} {v}" for k, v in machine().items()))
    print("\n| measurement | median |\n|---|---:|")
    for name, value in results.items():
        print(f"| {name} | {value * 1000:.1f} ms |")
    _print_ratios(results)


if __name__ == "__main__":
    main()
