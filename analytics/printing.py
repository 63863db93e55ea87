"""Printed documents (the Lembar Penilaian, the region and province reports): A4 HTML with the charts
as inline SVG, printed to PDF by the Debian Chromium. One style sheet, one set of escaping helpers,
one running header and footer, one numbered source list and one print queue for all of them. Pure:
no Streamlit.

Everything taken from data (region names, notes, citations, titles) is escaped: html.escape in the
HTML, a CSS string escape in the running header and footer (page margin boxes).
"""

from __future__ import annotations

import html as _html
import os
import re
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

import pandas as pd

from analytics import columns, export, fmt
from analytics.export import ExportMeta

CHROMIUM = os.environ.get("BROWSER_PATH", "/usr/bin/chromium")
PRINT_TIMEOUT = 90.0  # seconds; a cold Chromium on a busy 2-core machine takes 2–4

# Each print is a whole Chromium (~200 MB, a core for 1–2 s): at most two at once per server, so a
# committee or a meeting's worth of officials clicking together waits its turn instead of
# exhausting the machine for every user.
_PRINTS = threading.BoundedSemaphore(2)


class PrintError(RuntimeError):
    """The PDF could not be printed (Chromium missing, failed or too slow)."""


class Markup(str):
    """Text that is HTML already (built here from escaped parts)."""


def text(value) -> str:
    """A text cell of a frame ('' for None/NaN)."""
    return value if isinstance(value, str) else ""


def e(value) -> str:
    return value if isinstance(value, Markup) else _html.escape("" if value is None else str(value))


def safe_file_name(stem: str, extension: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", stem) + f".{extension}"


# ---------------------------------------------------------------- HTML pieces


def colgroup(widths: tuple[int, ...]) -> str:
    return "<colgroup>" + "".join(f'<col style="width:{w}%">' for w in widths) + "</colgroup>" if widths else ""


def table(
    header: list[str], rows: list[list], numeric: tuple[int, ...] = (), css: str = "", widths: tuple[int, ...] = ()
) -> str:
    head = "".join(f'<th class="{"num" if i in numeric else ""}">{e(h)}</th>' for i, h in enumerate(header))
    body = "".join(
        "<tr>"
        + "".join(f'<td class="{"num" if i in numeric else ""}">{e(v)}</td>' for i, v in enumerate(row))
        + "</tr>"
        for row in rows
    )
    return f'<table class="{css}">{colgroup(widths)}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def frame_table(frame: pd.DataFrame, numeric: tuple[int, ...] = (), css: str = "", widths: tuple[int, ...] = ()) -> str:
    rows = [
        ["–" if not isinstance(v, str) and pd.isna(v) else v for v in row]
        for row in frame.itertuples(index=False, name=None)
    ]
    return table([str(c) for c in frame.columns], rows, numeric, css, widths)


def facts(pairs: list[tuple[str, str]]) -> str:
    return '<table class="facts">' + "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in pairs) + "</table>"


def box(message: str, kind: str) -> str:
    """A framed note: 'synthetic' (red, bold) or 'warn' (orange)."""
    return f'<div class="box {kind}">{e(message)}</div>'


def css_string(value: str) -> str:
    """A CSS string literal of any text: every character but letters, digits and spaces as \\hex."""
    return (
        '"' + "".join(ch if ch.isascii() and (ch.isalnum() or ch == " ") else f"\\{ord(ch):x} " for ch in value) + '"'
    )


def page_counter(lang: str) -> str:
    """'Halaman {page} dari {pages}' as CSS content with the two page counters."""
    parts = re.split(r"(\{page\}|\{pages\})", fmt.t("dossier_page", lang))
    tokens = {"{page}": "counter(page)", "{pages}": "counter(pages)"}
    return " ".join(tokens.get(p) or css_string(p) for p in parts if p)


STYLE = """
@page { size: A4; margin: 18mm;
  @top-left { content: @header@; font: 7.5pt 'Liberation Sans', sans-serif; color: #5F6B73 }
  @top-right { content: @flag@; font: bold 7.5pt 'Liberation Sans', sans-serif; color: #B3261E }
  @bottom-left { content: @footer@; font: 7.5pt 'Liberation Sans', sans-serif; color: #5F6B73 }
  @bottom-right { content: @counter@; font: 7.5pt 'Liberation Sans', sans-serif; color: #1F2A30 } }
html { font: 9pt/1.35 'Liberation Sans', 'DejaVu Sans', sans-serif; color: #1F2A30 }
body { margin: 0 }
h1 { font-size: 22pt; margin: 0 0 1mm; color: #0B6E4F }
h2 { font-size: 13pt; margin: 6mm 0 2mm; padding-bottom: 1mm; border-bottom: 0.6pt solid #0B6E4F; break-after: avoid }
h3 { font-size: 10.5pt; margin: 4mm 0 1.5mm; break-after: avoid }
p { margin: 0 0 2mm }
.scheme { font-size: 13pt; margin-bottom: 4mm }
.muted { color: #5F6B73 }
.caption { color: #5F6B73; font-size: 8pt }
.box { border: 1pt solid; border-radius: 1.5mm; padding: 2mm 3mm; margin: 2mm 0 3mm; break-inside: avoid }
.warn { border-color: #E07A1F; background: #FFF4E8 }
.synthetic { border-color: #B3261E; background: #FDECEA; color: #8C1D18; font-weight: bold }
.pb { break-before: page }
table { width: 100%; border-collapse: collapse; margin: 1mm 0 3mm; font-size: 8pt; table-layout: fixed }
thead { display: table-header-group }
tr { break-inside: avoid }
th, td { text-align: left; vertical-align: top; padding: 0.8mm 1.4mm; border-bottom: 0.4pt solid #D5DCE0 }
th { background: #EEF3F1; font-weight: bold }
.num { text-align: right } td.num { white-space: nowrap }
table.facts { width: auto; font-size: 9pt; table-layout: auto }
table.facts th { background: none; padding-right: 6mm; border: none; white-space: nowrap }
table.facts td { border: none }
table.figures { font-size: 7.5pt; line-height: 1.2 } table.figures td { padding: 0.4mm 1.4mm }
table.figures td:nth-child(3) { white-space: nowrap }
table.figures tr.group { break-after: avoid } table.figures tr.group td { background: #F5F7F8; font-weight: bold }
table.signatures td { height: 11mm; vertical-align: bottom }
.place { margin: 6mm 0 4mm } .place span { display: inline-block; width: 85mm; border-bottom: 0.6pt solid #1F2A30 }
.signblock { break-inside: avoid }
ul.podium { list-style: none; padding: 0; margin: 2mm 0; font-weight: bold; font-size: 10pt }
ol.refs { padding-left: 7mm; font-size: 8pt } ol.refs li { margin-bottom: 1mm; break-inside: avoid }
a { color: #0B6E4F; text-decoration: none; word-break: break-all }
figure { margin: 0; break-inside: avoid } figure svg { display: block; width: 100%; height: auto; max-height: 238mm }
.watermark { position: fixed; top: 42%; left: -20mm; right: -20mm; text-align: center; transform: rotate(-33deg);
  font: bold 70pt 'Liberation Sans', sans-serif; color: rgba(179, 38, 30, 0.12); z-index: 10 }
"""


def head(title: str, header: str, footer: str, lang: str, synthetic: bool, style: str = "") -> str:
    """The document up to <body>: print CSS with the running header, the synthetic flag, the footer
    and 'page N of M' on every page, a policy that allows no script and no request, and the
    watermark across every page of synthetic data."""
    css = STYLE + style
    for name, value in (
        ("header", css_string(header)),
        ("flag", css_string(fmt.t("watermark", lang) if synthetic else "")),
        ("footer", css_string(footer)),
        ("counter", page_counter(lang)),
    ):
        css = css.replace(f"@{name}@", value)
    policy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"  # no script, no request
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        f"<title>{e(title)}</title><style>{css}</style></head><body>"
        + (f'<div class="watermark">{e(fmt.t("watermark", lang))}</div>' if synthetic else "")
    )


# ---------------------------------------------------------------- sources, numbered in order of use


def citation(value, synthetic: bool, lang: str) -> str:
    """A citation as a printed document gives it: synthetic data says what it is; dates the reader's way."""
    if synthetic:
        return fmt.t("synthetic_citation", lang)
    value = columns.english_citation(value) if lang == "en" else value
    return fmt.dates_in_text(value, lang) if isinstance(value, str) else ""


def sources_of(sumber, url, synthetic: bool, lang: str) -> list[tuple[str, str]]:
    """(citation, url) pairs of one figure; ' | '-joined lists pair up in order."""
    cited = [p.strip() for p in text(sumber).split(" | ") if p.strip()]
    links = [p.strip() for p in text(url).split(" | ")]
    links = links if len(links) == len(cited) else [""] * len(cited)
    pairs = [(citation(c, synthetic, lang), "" if synthetic else link) for c, link in zip(cited, links)]
    return list(dict.fromkeys(pairs))


class References:
    """Sources numbered in order of first use; `refs` gives a figure's numbers, `html` the list."""

    def __init__(self, synthetic: bool, lang: str):
        self.synthetic, self.lang = synthetic, lang
        self.numbers: dict[tuple[str, str], int] = {}

    def refs(self, sumber, url) -> list[int]:
        return [
            self.numbers.setdefault(pair, len(self.numbers) + 1)
            for pair in sources_of(sumber, url, self.synthetic, self.lang)
        ]

    def marks(self, sumber, url) -> str:
        """'[1, 3]' for the figure's sources; '' when it has none."""
        numbers = self.refs(sumber, url)
        return f"[{', '.join(map(str, numbers))}]" if numbers else ""

    def html(self, heading: str | None = None) -> str:
        return references(self.numbers, self.lang, heading)


def references(numbers: dict[tuple[str, str], int], lang: str, heading: str | None = None) -> str:
    items = []
    for (cited, url), n in sorted(numbers.items(), key=lambda item: item[1]):
        link = f'<br><a href="{e(url)}">{e(url)}</a>' if url.startswith(("https://", "http://")) else ""
        items.append(f'<li value="{n}">{e(cited)}{link}</li>')
    heading = heading or fmt.t("dossier_references", lang)
    return f'<h3>{e(heading)}</h3><ol class="refs">{"".join(items)}</ol>'


# ---------------------------------------------------------------- charts


def chart_svg(fig, meta: ExportMeta, size: str, legend_font: float | None = None) -> str:
    """The press figure as SVG markup (the shared kaleido server; plotly escapes its text). Its own
    watermark is left out: every printed page carries one, and two would cross."""
    press = export.press_figure(fig, meta, size, legend_font=legend_font, medium="print")  # read on paper
    press.layout.annotations = [x for x in press.layout.annotations if x.name != "watermark"]
    svg = export.image_bytes(press, "svg", size).decode("utf-8")
    return svg[svg.find("<svg") :]


# ---------------------------------------------------------------- PDF


def pdf_bytes(
    document: str, lang: str = "id", timeout: float = PRINT_TIMEOUT, failed: str = "dossier_print_failed"
) -> bytes:
    """An HTML document as an A4 PDF, printed by headless Chromium from a temporary file. `failed`:
    the text key of the message that names the document when it cannot be printed."""
    with tempfile.TemporaryDirectory(prefix="jamsos_cetak_", ignore_cleanup_errors=True) as folder:
        page, target = Path(folder) / "dokumen.html", Path(folder) / "dokumen.pdf"
        page.write_text(document, encoding="utf-8")
        if not _PRINTS.acquire(timeout=timeout):
            raise PrintError(fmt.t(failed, lang, reason=f"> {timeout:.0f} s"))
        try:
            print_pdf(page, target, Path(folder) / "profil", timeout, lang, failed)
        finally:
            _PRINTS.release()
        return target.read_bytes()


def print_pdf(
    page: Path, target: Path, profile: Path, timeout: float, lang: str = "id", failed: str = "dossier_print_failed"
) -> None:
    """Chromium --print-to-pdf in its own process group and profile (parallel prints never share a
    lock); killed with its helpers when it overruns `timeout`."""
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-pdf-header-footer",
        "--no-first-run",
        "--disable-extensions",
        "--disable-sync",
        "--disable-background-networking",
        "--disable-component-update",
        f"--user-data-dir={profile}",
        f"--print-to-pdf={target}",
        page.as_uri(),
    ]
    try:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    except OSError as error:
        reason = f"{CHROMIUM}: {error} (apt-get install chromium)"
        raise PrintError(fmt.t(failed, lang, reason=reason)) from None
    try:
        _, errors = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise PrintError(fmt.t(failed, lang, reason=f"Chromium > {timeout:.0f} s")) from None
    _kill_group(process)  # helpers of a finished print, if any linger
    if process.returncode != 0 or not target.exists() or target.stat().st_size == 0:
        tail = errors.decode(errors="replace").strip().splitlines()[-1:] if errors else []
        raise PrintError(fmt.t(failed, lang, reason=f"Chromium {process.returncode} {' '.join(tail)}"))


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()
