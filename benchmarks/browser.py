"""Browser timings (Playwright + Debian Chromium): our pages against a minimal one-chart app.

For each app: navigation -> first chart visible (fresh browser context each time), and a
selectbox change -> the chart's title (page text above it) shows the new choice and no element of
the page is stale any more (the rerun is over and the new figure drawn). Reported as medians and
as the ratio to the minimal app, i.e. our overhead above Streamlit's own floor.
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
LAUNCH = dict(executable_path="/usr/bin/chromium",
              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run"])
CHART = '[data-testid="stPlotlyChart"] .main-svg'
TITLE = '[data-testid="stMarkdownContainer"] strong'  # chart titles are page text above the figure


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(script: str, env: dict) -> tuple[subprocess.Popen, str]:
    port = _port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
                             "--server.port", str(port), "--browser.gatherUsageStats", "false"],
                            cwd=PROJECT_DIR, env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
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


def measure(store_path: str, repeat: int = 5) -> dict[str, float]:
    env = {"JAMSOS_DB": store_path}
    minimal, minimal_url = serve("benchmarks/minimal_app.py", env)
    ours, our_url = serve("app.py", env)
    results = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(**LAUNCH)
            first_chart(browser, minimal_url), first_chart(browser, our_url)  # warm both servers
            results["browser: navigation -> first chart, minimal app"] = statistics.median(
                first_chart(browser, minimal_url) for _ in range(repeat))
            page_url = f"{our_url}/peringkat?dataset=contoh&tahun=2025&per=2025-12-31"
            results["browser: navigation -> first chart, Peringkat (contoh)"] = statistics.median(
                first_chart(browser, page_url) for _ in range(repeat))
            results["browser: selectbox -> chart updated, minimal app"] = statistics.median(
                interaction(browser, minimal_url, "Seri", ["B", "C", "A", "B", "C"],
                            ["Seri B", "Seri C", "Seri A", "Seri B", "Seri C"]))
            names = ["Peserta DBHCHT per 1.000 penduduk", "Capaian terhadap target peserta",
                     "Peserta BPJS TK didanai DBHCHT", "Peserta DBHCHT per 1.000 penduduk",
                     "Capaian terhadap target peserta"]
            results["browser: indicator change -> chart updated, Peringkat (contoh, first pass, 2 of 5 uncached)"] = statistics.median(
                interaction(browser, page_url, "Indikator", names, names))
            results["browser: indicator change -> chart updated, Peringkat (contoh, second pass, cached)"] = statistics.median(
                interaction(browser, page_url, "Indikator", names, names))
            browser.close()
    finally:
        stop(minimal)
        stop(ours)
    return results
