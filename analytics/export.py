"""Exports: press-ready static images (kaleido + Chromium) and data files of exactly what is shown.

Images go through one persistent headless Chromium (kaleido's sync server), started lazily on the
first export and shared by the whole process. Data files: a plain CSV, the same CSV with its
Frictionless datapackage.json (dataset, indicator, dates, sources, notes, licence, every column) in a
ZIP, and an XLSX with a Keterangan sheet; none lets a spreadsheet run a cell as a formula.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import json
import math
import re
import textwrap
import threading
import time
import zipfile
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analytics import charts, columns, fmt, metrics

SIZES = {"16:9": (1600, 900), "1:1": (1080, 1080), "4:5": (1080, 1350), "9:16": (1080, 1920)}  # 9:16: stories
IMAGE_FORMATS = ("png", "svg", "pdf")
EXPORT_TEMPLATE = "plotly_white"  # never the session default: importing streamlit makes it placeholder colours


@dataclass(frozen=True)
class ExportMeta:
    """Everything an exported chart or data file must carry besides the data itself."""
    title: str
    subtitle: str                 # indicator, year, as-of
    source: str                   # the short source line drawn under the chart
    dataset: str                  # publikasi | contoh | resmi
    lang: str = "id"
    synthetic: bool = False       # True -> "DATA CONTOH" watermark and label
    indicator_id: str | None = None
    year: int | None = None
    as_of: dt.date | None = None
    notes: tuple[str, ...] = ()   # extra lines drawn under the chart and written in file headers
    sources: tuple[str, ...] = field(default_factory=tuple)  # full citations for data-file headers
    file_stem: str = "grafik"
    exported_on: dt.date | None = None  # None -> today; fixed in tests and reproducible exports

    @property
    def export_date(self) -> dt.date:
        return self.exported_on or dt.date.today()


def dataset_name(meta: ExportMeta) -> str:
    """What every export says about its data; synthetic data says so in words, not only a watermark."""
    if meta.synthetic:
        return fmt.t("export_synthetic", meta.lang)
    return fmt.t(f"dataset_{meta.dataset}", meta.lang)


def dataset_label(meta: ExportMeta) -> str:
    """The caption line: 'Dataset: Publikasi (angka terbit)', or the synthetic-data warning."""
    return dataset_name(meta) if meta.synthetic else fmt.t("export_dataset", meta.lang, dataset=dataset_name(meta))


def export_date_line(meta: ExportMeta) -> str:
    return fmt.t("export_date", meta.lang, date=fmt.date(meta.export_date, meta.lang))


# ---------------------------------------------------------------- press figure

@dataclass(frozen=True)
class _Type:
    """Type sizes (px) for print sizes: readable on a slide and on a phone-sized social post."""
    title: int = 28
    subtitle: int = 18
    tick: int = 16
    footer: int = 14
    pad: int = 32           # outer whitespace on every side
    min_tick: int = 9       # below this a label is unreadable even in print


TYPE = _Type()
LINE = 1.3                  # plotly's line height, in font sizes
CHAR_EM = 0.56              # average glyph width of the sans fonts Chromium uses (Liberation/Arial), generous


def _chars(width_px: float, font_px: float) -> int:
    return max(20, int(width_px / (font_px * CHAR_EM)))


def _wrap(line: str, width: int) -> list[str]:
    """Wrap plain text to `width` characters, then escape it: plotly reads <, > and & as its own
    markup, and a citation or note must show as written."""
    lines = textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False) or [""]
    return [html.escape(part, quote=False) for part in lines]


def _title_html(meta: ExportMeta, width_px: int) -> tuple[str, int]:
    """Bold title over a muted subtitle, wrapped to the image width; returns (html, line count)."""
    usable = width_px - 2 * TYPE.pad
    title = _wrap(meta.title, _chars(usable, TYPE.title * 1.08))  # bold glyphs are wider
    subtitle = _wrap(meta.subtitle, _chars(usable, TYPE.subtitle))
    markup = (f"<b>{'<br>'.join(title)}</b><br><span style='font-size:{TYPE.subtitle}px;color:{charts.COLOR_MUTED}'>"
              f"{'<br>'.join(subtitle)}</span>")
    return markup, len(title) + len(subtitle)


def footer_lines(meta: ExportMeta, width_px: int) -> list[str]:
    """Source, notes, dataset label and export date, wrapped to the image width (plotly never wraps)."""
    width = _chars(width_px - 2 * TYPE.pad, TYPE.footer)
    lines = _wrap(meta.source, width)
    for note in meta.notes:
        lines += _wrap(note, width)
    label = html.escape(dataset_label(meta), quote=False)
    if meta.synthetic:  # in the watermark's red, so a cropped image still says what it is
        label = f"<b><span style='color:{charts.COLOR_REFERENCE}'>{label}</span></b>"
    lines.append(f"{label} · {html.escape(export_date_line(meta), quote=False)}")
    return lines


def _is_caption(annotation) -> bool:
    """The old caption block sits under the plot area (paper y < 0); the export rebuilds it."""
    return annotation.yref == "paper" and annotation.y is not None and annotation.y < 0


def _horizontal_bars(fig: go.Figure) -> list:
    return [t for t in fig.data if t.type == "bar" and t.orientation == "h"]


def _values(array) -> tuple:
    """A trace's data as a tuple; plotly keeps numpy arrays, whose truth value is ambiguous."""
    return () if array is None else tuple(array) if not isinstance(array, str) else (array,)


def _category_count(fig: go.Figure) -> int:
    labels = {label for trace in _horizontal_bars(fig) for label in _values(trace.y)}
    return len(labels)


def _label_width(fig: go.Figure, font_px: float) -> float:
    """Room for region names left of horizontal bars; automargin still widens it if we guessed short."""
    longest = max((len(str(label)) for trace in _horizontal_bars(fig) for label in _values(trace.y)), default=0)
    return longest * font_px * 0.5 + 10


def _above_plot(fig: go.Figure) -> float:
    """Room for labels drawn above the plot area, e.g. the 'acuan Rp16.800' reference line."""
    labelled_shapes = any(s.label and s.label.text for s in fig.layout.shapes)
    above = any(a.yref in ("paper", "y domain") and a.y is not None and a.y >= 1 for a in fig.layout.annotations)
    return 1.6 * TYPE.tick if labelled_shapes or above else 0


def _value_label_width(fig: go.Figure, font_px: float) -> float:
    texts = [str(v) for trace in _horizontal_bars(fig) if trace.textposition == "outside" for v in _values(trace.text)]
    return max((len(v) for v in texts), default=0) * font_px * CHAR_EM + 16


def press_figure(fig: go.Figure, meta: ExportMeta, size: str, legend_font: float | None = None) -> go.Figure:
    """A copy of `fig` laid out for print at `size`: title, subtitle, watermark and the caption block
    (source, notes, dataset, export date) drawn inside the image, nothing clipped. `legend_font`:
    the legend's size where the figure places it itself (default: the tick size)."""
    width, height = _size(size)
    out = go.Figure(fig)
    out.layout.annotations = [a for a in out.layout.annotations if not _is_caption(a)]
    title_html, title_lines = _title_html(meta, width)
    footer = footer_lines(meta, width)
    # every title line is spaced at the title's line height; the last (subtitle) line is short
    top = TYPE.pad + (title_lines - 1) * TYPE.title * LINE + TYPE.subtitle * 1.2 + 36 + _above_plot(out)
    captions = TYPE.pad + len(footer) * TYPE.footer * LINE
    tick = _tick_size(fig, height - top - captions - _x_labels(TYPE.tick))
    bottom = captions + _x_labels(tick)
    left = TYPE.pad + _label_width(out, tick)
    right = TYPE.pad + max(_value_label_width(out, tick), 8)
    out.update_layout(
        template=EXPORT_TEMPLATE, width=width, height=height, autosize=False,
        separators=fig.layout.separators or charts.SEPARATORS.get(meta.lang, ",."),
        font=dict(family=charts.FONT, size=tick),
        title=dict(text=title_html, x=TYPE.pad / width, xanchor="left", xref="container", y=1 - _title_y(height),
                   yref="container", yanchor="top", pad=dict(t=0, b=0, l=0), font=dict(size=TYPE.title)),
        margin=dict(l=left, r=right, t=top, b=bottom, autoexpand=True),
        paper_bgcolor="white", plot_bgcolor="white")
    out.update_xaxes(tickfont_size=tick)
    out.update_yaxes(tickfont_size=tick, ticklabelstandoff=6)
    out.update_traces(textfont_size=tick, selector=dict(type="bar"))
    out.update_layout(bargap=_bar_gap(out, height - top - bottom, tick))
    plot_width = width - left - right
    out.add_annotation(text="<br>".join(footer), x=(TYPE.pad - left) / plot_width, xref="paper", xanchor="left",
                       y=0, yref="paper", yanchor="top", yshift=-_x_labels(tick), showarrow=False,
                       align="left", font=dict(size=TYPE.footer, color=charts.COLOR_MUTED), name="caption")
    from analytics import map_press, series_charts
    map_press.press_layout(out, width=width, height=height, top=top, captions=captions, pad=TYPE.pad)  # map, key, bar
    series_charts.legends_inside(out)  # under a panel they would meet the caption block
    place_legend(out, fig.layout.meta.get("press_legend") if isinstance(fig.layout.meta, dict) else None, legend_font)
    _stamp(out, meta, width, height)
    return out


LEGEND_STYLE = dict(bgcolor="rgba(255,255,255,0.9)", bordercolor="#D5DBDF", borderwidth=1)


def place_legend(press: go.Figure, where: dict | str | None, font_px: float | None = None) -> None:
    """A legend where the figure asks for it in print (layout.meta["press_legend"]): "above" (a
    horizontal legend between the subtitle and the plot, as many rows as its entries need, for
    charts whose every corner holds data) or a legend position inside the plot (a corner it leaves
    free). None: the default (legends_inside)."""
    if not where:
        return
    font_px = font_px or press.layout.font.size or TYPE.tick
    style = dict(LEGEND_STYLE, font=dict(size=font_px))
    if where != "above":
        press.update_layout(legend=dict(where, orientation="v", **style))
        return
    names = [t.name for t in press.data if t.showlegend is not False and t.name]
    if not names or press.layout.showlegend is False:
        return
    margin = press.layout.margin
    plot_width = press.layout.width - margin.l - margin.r
    entry = 44 + max(len(n) for n in names) * font_px * 0.52
    rows = -(-len(names) // max(1, int(plot_width // entry)))
    press.update_layout(margin_t=margin.t + rows * font_px * 1.6 + 14, legend=dict(
        orientation="h", x=0, xanchor="left", y=1, yanchor="bottom", entrywidth=entry, entrywidthmode="pixels",
        **(style | dict(borderwidth=0, bgcolor="rgba(0,0,0,0)"))))


def _title_y(height: int) -> float:
    """plotly anchors a multi-line title about 0.7 em above its ink: shift it so the ink starts at the pad."""
    return (TYPE.pad + 0.7 * TYPE.title) / height


def _x_labels(tick: float) -> float:
    """Height of the x tick labels under the plot area, plus a gap before the captions."""
    return 2.2 * tick + 12


def _tick_size(fig: go.Figure, plot_height: float) -> int:
    """Shrink labels so every bar keeps its own readable line (38 regions in 900 px)."""
    bars = _category_count(fig)
    if not bars:
        return TYPE.tick
    return int(max(TYPE.min_tick, min(TYPE.tick, plot_height / bars * 0.78)))


def _bar_gap(fig: go.Figure, plot_height: float, tick: int) -> float | None:
    """A handful of regions would make slab-like bars; keep each bar at most about four text lines thick."""
    bars = _category_count(fig)
    if not bars:
        return fig.layout.bargap
    return round(min(0.75, max(0.2, 1 - 4 * tick / (plot_height / bars))), 2)


def _stamp(fig: go.Figure, meta: ExportMeta, width: int, height: int) -> None:
    """The DATA CONTOH watermark, scaled to the image; added if the chart did not carry one."""
    if not meta.synthetic:
        return
    if not any(a.name == "watermark" for a in fig.layout.annotations):
        charts.watermark(fig, fmt.t("watermark", meta.lang))
    fig.update_annotations(font_size=round(min(width, height) * 0.1), selector=dict(name="watermark"))


def _size(size: str) -> tuple[int, int]:
    if size not in SIZES:
        raise ValueError(f"unknown export size {size!r}; choose one of {', '.join(SIZES)}")
    return SIZES[size]


# ---------------------------------------------------------------- kaleido: one Chromium per process

class _ImageServer:
    """kaleido's sync server behind a lock.

    kaleido's server has one shared task queue and is not safe for concurrent callers, and its
    calls block forever if Chromium dies (e.g. fails to start): so every call runs in a helper
    thread that we abandon with an error when the browser thread is gone or the call times out.
    """

    FIRST_TIMEOUT = 90.0   # browser start on a busy 2-core machine
    TIMEOUT = 30.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._started = False

    def render(self, fig: go.Figure, image_format: str, width: int, height: int) -> bytes:
        with self._lock:
            timeout = self.TIMEOUT if self._started else self.FIRST_TIMEOUT
            self._start()
            return self._call(lambda: fig.to_image(format=image_format, width=width, height=height, scale=1), timeout)

    def stop(self) -> None:
        import kaleido
        with self._lock:
            if self._started:
                kaleido.stop_sync_server(silence_warnings=True)
                self._started = False

    @property
    def running(self) -> bool:
        return self._started

    def _start(self) -> None:
        if self._started:
            return
        import kaleido
        import plotly.io as pio
        pio.defaults.headers = None  # else every server call warns "The kopts argument is ignored"
        kaleido.start_sync_server(mathjax=False, silence_warnings=True)  # mathjax=False: no CDN request
        self._started = True

    def _call(self, work, timeout: float) -> bytes:
        result: dict = {}

        def run() -> None:
            try:
                result["value"] = work()
            except BaseException as error:  # handed to the caller below
                result["error"] = error

        worker = threading.Thread(target=run, name="image-export", daemon=True)
        worker.start()
        deadline = time.monotonic() + timeout
        while worker.is_alive():
            worker.join(0.05)
            if worker.is_alive() and (not self._browser_alive() or time.monotonic() > deadline):
                self._abandon()
                raise RuntimeError("Ekspor gambar gagal / image export failed: Chromium is not running or not "
                                   "responding (is it installed? apt-get install chromium).")
        if "error" in result:
            raise result["error"]
        return result["value"]

    @staticmethod
    def _browser_alive() -> bool:
        import kaleido
        thread = getattr(getattr(kaleido, "_global_server", None), "_thread", None)
        return thread is None or thread.is_alive()  # unknown kaleido internals: rely on the timeout

    def _abandon(self) -> None:
        """Forget a dead or hung server so the next export starts a fresh browser."""
        import kaleido
        if self._browser_alive():
            return  # closing a hung-but-alive server would block on its queue; leave it to atexit
        kaleido.stop_sync_server(silence_warnings=True)
        self._started = False


IMAGE_SERVER = _ImageServer()


def image_bytes(fig: go.Figure, fmt: str, size: str) -> bytes:
    """PNG/SVG/PDF bytes of `fig` (normally a press_figure) at the pixel size `size`."""
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"unknown image format {fmt!r}; choose one of {', '.join(IMAGE_FORMATS)}")
    width, height = _size(size)
    return IMAGE_SERVER.render(fig, fmt, width, height)


def stop_image_server() -> None:
    """Close the shared Chromium (tests, shutdown); the next export starts it again."""
    IMAGE_SERVER.stop()


# ---------------------------------------------------------------- data files
#
# CSV: a plain table (one header row, no comment lines) that pandas, R and spreadsheets read as it
# is. ZIP: that CSV beside datapackage.json, a Frictionless Data Package naming the dataset,
# indicator, dates, sources, notes and licence and describing every column (data/kolom.toml).
# XLSX: sheet Data and sheet Keterangan (the metadata rows). English files have English headers
# and values, whatever language the page built its frame in.

# OWASP CSV injection: spreadsheet apps treat these leading characters as a formula (fullwidth forms too).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
PACKAGE_FILE = "datapackage.json"
# UTF-8 with a byte-order mark: Excel needs it to show Indonesian text; pandas, R's readr and
# frictionless skip it. Python's codec name says so, for readers that open the file as declared.
CSV_ENCODING = "utf-8-sig"
CSV_DIALECT = {"delimiter": ",", "lineTerminator": "\n", "quoteChar": "\"", "doubleQuote": True, "header": True}
# The dashboard states no licence of its own (the repository has none); each dataset says what its
# figures are and whose terms apply (data/teks.toml export_licence_*). Open Definition id.
LICENCE_ID = "notspecified"


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def neutralise(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers."""
    return "'" + value if is_formula_like(value) else value


def file_table(data: pd.DataFrame, meta: ExportMeta) -> pd.DataFrame:
    """The frame as the files hold it: in English files English headers and coded values."""
    return columns.to_english(data) if meta.lang == "en" else data


def licence_text(meta: ExportMeta) -> str:
    """What the dataset's figures are and whose terms apply; any other dataset is stewards' data."""
    key = f"export_licence_{meta.dataset}"
    text = fmt.t(key, meta.lang)
    return fmt.t("export_licence_resmi", meta.lang) if text == key else text


def metadata_rows(data: pd.DataFrame, meta: ExportMeta) -> list[tuple[str, str | int]]:
    """(label, value) rows naming what the file holds: the XLSX's Keterangan sheet."""
    lang = meta.lang
    rows = [(fmt.t("col_title", lang), meta.title), ("Dataset", f"{dataset_name(meta)} ({meta.dataset})")]
    if meta.indicator_id:
        rows.append((fmt.t("indicator", lang), f"{_indicator_title(meta)} ({meta.indicator_id})"))
    if meta.year is not None:
        rows.append((fmt.t("sidebar_year", lang), int(meta.year)))
    if meta.as_of is not None:
        rows.append((fmt.t("export_asof", lang), meta.as_of.isoformat()))
    rows.append((fmt.t("export_exported", lang), meta.export_date.isoformat()))
    rows.append((fmt.t("export_rows", lang), len(data)))
    rows.append((fmt.t("export_licence", lang), licence_text(meta)))
    rows += [(fmt.t("col_source", lang), source) for source in _citations(meta)]
    rows += [(fmt.t("col_note", lang), note) for note in meta.notes]
    return rows


def _citations(meta: ExportMeta) -> tuple[str, ...]:
    """meta.sources as the file's language writes them (the source column is translated the same way)."""
    return tuple(map(columns.english_citation, meta.sources)) if meta.lang == "en" else meta.sources


def _indicator_title(meta: ExportMeta) -> str:
    indicator = metrics.catalogue().get(meta.indicator_id)
    return indicator.title(meta.lang) if indicator else meta.title


# ---- CSV

def csv_bytes(data: pd.DataFrame, meta: ExportMeta) -> bytes:
    """A plain CSV: BOM, one header row, the rows. Text cells that a spreadsheet would run as a
    formula get an apostrophe; numbers are plain (40300, 15.41), dates ISO, booleans true/false,
    missing values empty; a cell is quoted only when it holds a comma, a quote or a line break."""
    table = file_table(data, meta)
    rows = [_headers(table), *zip(*(_csv_cells(table[name]) for name in table.columns))]
    end = CSV_DIALECT["lineTerminator"]
    return ("\ufeff" + "".join(",".join(map(_quoted, row)) + end for row in rows)).encode("utf-8")


def _quoted(cell: str) -> str:
    """RFC 4180 quoting. Not the csv module: with a '\\n' line end it leaves a lone '\\r' unquoted,
    which every reader takes for a line break."""
    return '"' + cell.replace('"', '""') + '"' if any(ch in cell for ch in ',"\r\n') else cell


def _headers(table: pd.DataFrame) -> list[str]:
    return [neutralise(str(name)) for name in table.columns]


def _csv_cells(values: pd.Series) -> list[str]:
    if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values) \
            or pd.api.types.is_datetime64_any_dtype(values):
        return [_csv_value(v) for v in values.tolist()]
    return [_csv_value(v, text=True) for v in values.tolist()]


def _csv_value(value, text: bool = False) -> str:
    value = plain_value(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return np.format_float_positional(value, trim="-")  # shortest exact form, never 1e-05 or 1.234,5
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() and value.tzinfo is None else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutralise(value) if text else value


# ---- datapackage.json

def datapackage(data: pd.DataFrame, meta: ExportMeta, csv_file: bytes | None = None) -> dict:
    """A Frictionless Data Package descriptor (specs.frictionlessdata.io, v1) for the CSV of `data`."""
    csv_file = csv_bytes(data, meta) if csv_file is None else csv_file
    lang, table = meta.lang, file_table(data, meta)
    name = _slug(meta.file_stem)
    package = {
        "profile": "tabular-data-package",
        "name": name,
        "title": meta.title,
        "description": _description(meta),
        # the export records its day only (as the images' "Diunduh" line); the time is 00:00 UTC
        "created": f"{meta.export_date.isoformat()}T00:00:00Z",
        "licenses": [{"name": LICENCE_ID, "title": licence_text(meta)}],
        "sources": sources(data, meta),
        "keywords": fmt.t("export_keywords", lang).split("|"),
        "jamsos:dataset": meta.dataset,
        "jamsos:dataset_title": dataset_name(meta),
        "jamsos:synthetic": bool(meta.synthetic),
    }
    if meta.indicator_id:
        package["jamsos:indicator_id"] = meta.indicator_id
        package["jamsos:indicator_title"] = _indicator_title(meta)
    if meta.year is not None:
        package["jamsos:budget_year"] = int(meta.year)
    if meta.as_of is not None:
        package["jamsos:as_of"] = meta.as_of.isoformat()
    package["resources"] = [{
        "name": name,
        "path": f"{meta.file_stem}.csv",
        "profile": "tabular-data-resource",
        "title": meta.title,
        "description": fmt.t("export_csv_note", lang),
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": CSV_ENCODING,
        "bytes": len(csv_file),
        "hash": "sha256:" + hashlib.sha256(csv_file).hexdigest(),
        "dialect": dict(CSV_DIALECT),
        "schema": {"fields": [_field(header, table[source], lang)
                              for header, source in zip(_headers(table), table.columns)],
                   "missingValues": [""]},
    }]
    return package


def _description(meta: ExportMeta) -> str:
    """Subtitle, the dataset (unless the subtitle names it already; synthetic data always says so)
    and the notes, one paragraph each (the field is Markdown)."""
    dataset = None if dataset_name(meta) in meta.subtitle else dataset_label(meta)
    return "\n\n".join(part for part in (meta.subtitle, dataset, *meta.notes) if part)


def datapackage_bytes(data: pd.DataFrame, meta: ExportMeta, csv_file: bytes | None = None) -> bytes:
    """datapackage.json as written into the ZIP: UTF-8, indented, keys in a fixed order."""
    return (json.dumps(datapackage(data, meta, csv_file), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _slug(stem: str) -> str:
    """A package name as the spec wants it: lower case letters, digits, '.', '_' and '-'."""
    return re.sub(r"[^a-z0-9._-]+", "-", stem.lower()).strip("-") or "data"


def _field(header: str, values: pd.Series, lang: str) -> dict:
    column = columns.lookup(str(values.name), lang)
    declared = column.type if column else "auto"
    field = {"name": header, "type": _inferred_type(values) if declared == "auto" else declared}
    if column:
        field |= {"title": column.title(lang), "description": column.description(lang)}
    return field


def _inferred_type(values: pd.Series) -> str:
    """The Table Schema type of the values as csv_bytes writes them."""
    if pd.api.types.is_bool_dtype(values):
        return "boolean"
    if pd.api.types.is_datetime64_any_dtype(values):
        return "date" if (values.dropna().dt.normalize() == values.dropna()).all() else "datetime"
    if pd.api.types.is_integer_dtype(values):
        return "integer"
    if pd.api.types.is_numeric_dtype(values):
        return "number"
    known = [v for v in map(plain_value, values.tolist()) if v is not None]
    if known and all(isinstance(v, bool) for v in known):
        return "boolean"
    if known and all(isinstance(v, int) and not isinstance(v, bool) for v in known):
        return "integer"
    if known and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in known):
        return "number"
    if known and all(isinstance(v, dt.date) for v in known):
        stamps = [v for v in known if isinstance(v, dt.datetime)]
        return "datetime" if any(v.time() != dt.time() for v in stamps) else "date"
    return "string"


def sources(data: pd.DataFrame, meta: ExportMeta) -> list[dict]:
    """One entry per citation in meta.sources, with the source's address when the frame pairs them
    (the data package's sources; the press kit's caption lists the same)."""
    links = _source_links(file_table(data, meta), meta.lang)
    return [{"title": citation, **({"path": links[citation]} if citation in links else {})}
            for citation in _citations(meta)]


def _source_links(data: pd.DataFrame, lang: str) -> dict[str, str]:
    """citation -> URL from the rows' `sumber` and `url` cells (' | '-joined, same order). A row whose
    lists differ in length (a source without an address) pairs nothing; a citation given two
    different addresses gets none."""
    names = {getattr(columns.lookup(str(name), lang), "name", None): name for name in data.columns}
    if "sumber" not in names or "url" not in names:
        return {}
    links: dict[str, str] = {}
    unsure: set[str] = set()
    for cited, addresses in zip(data[names["sumber"]].tolist(), data[names["url"]].tolist()):
        cited_parts = [p.strip() for p in str(cited).split(" | ")] if isinstance(cited, str) and cited else []
        address_parts = [p.strip() for p in str(addresses).split(" | ")] if isinstance(addresses, str) else []
        if len(cited_parts) != len(address_parts):
            continue
        for citation, address in zip(cited_parts, address_parts):
            if citation and address.startswith(("https://", "http://")):
                if links.setdefault(citation, address) != address:
                    unsure.add(citation)
    return {citation: address for citation, address in links.items() if citation not in unsure}


# ---- ZIP

def zip_bytes(data: pd.DataFrame, meta: ExportMeta) -> bytes:
    """<stem>.csv and datapackage.json, nothing else."""
    csv_file = csv_bytes(data, meta)
    return zip_archive(((f"{meta.file_stem}.csv", csv_file), (PACKAGE_FILE, datapackage_bytes(data, meta, csv_file))),
                       meta.export_date)


def zip_archive(entries, day: dt.date) -> bytes:
    """A ZIP of (name, bytes) entries, each dated `day` (the export date), so the same export is
    the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries:
            info = zipfile.ZipInfo(name, date_time=(max(day.year, 1980), day.month, day.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, wherever the server runs
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()


# ---- XLSX

def xlsx_bytes(data: pd.DataFrame, meta: ExportMeta) -> bytes:
    """Sheet 'Data' (the table, numbers as numbers, header bold and frozen) and 'Keterangan' (metadata)."""
    from openpyxl import Workbook
    table = file_table(data, meta)
    book = Workbook()
    sheet = book.active
    sheet.title = fmt.t("col_table", meta.lang)
    _write_table(sheet, [str(c) for c in table.columns], table.itertuples(index=False, name=None))
    sheet.freeze_panes = "A2"
    if len(table):
        sheet.auto_filter.ref = sheet.dimensions
    about = book.create_sheet(fmt.t("export_sheet_about", meta.lang))
    _write_table(about, ["", ""], metadata_rows(table, meta), header_row=False)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_table(sheet, header: list[str], rows, header_row: bool = True) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    widths = [len(h) for h in header]
    if header_row:
        for col, name in enumerate(header, start=1):
            _put(sheet, 1, col, name).font = Font(bold=True)
    first = 2 if header_row else 1
    for row_index, row in enumerate(rows, start=first):
        for col, value in enumerate(row, start=1):
            cell = _put(sheet, row_index, col, value)
            widths[col - 1] = max(widths[col - 1], len(str(cell.value or "")))
            if not header_row:  # the About sheet: bold labels, long citations wrapped in their cell
                cell.font = Font(bold=col == 1)
                cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 8), 60)


def _put(sheet, row: int, col: int, value):
    """One cell: numbers as numbers, missing as empty, text always as a string (never a formula)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    cell = sheet.cell(row=row, column=col)
    value = plain_value(value)
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"  # openpyxl would otherwise store '=…' as a formula
        if is_formula_like(value):
            cell.quotePrefix = True  # Excel keeps it text even when the cell is edited
    else:
        cell.value = value
    return cell


def plain_value(value):
    """numpy/pandas scalars to what openpyxl writes: int, float, bool, datetime, str or None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy scalar
        if isinstance(value, float) and math.isnan(value):
            return None
    if isinstance(value, (int, float, bool, dt.date, dt.datetime, str)):
        return value
    return str(value)
