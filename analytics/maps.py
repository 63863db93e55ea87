"""Map figures (pure): the 38 kab/kota coloured by one indicator, on real boundaries or on equal tiles.

Why no plotly geo traces: go.Choropleth fetches world_110m.json from a CDN even with an inline
geojson and `visible=False` (TOOLCHAIN §2), so offline the browser draws nothing and kaleido fails.
MapLibre traces (choropleth_map, white-bg style) would work offline but need WebGL and export as
a raster. So the polygons are filled go.Scatter paths in lon/lat on a plain cartesian plot,
`scaleanchor` keeping the aspect: no network, no static files, vector output everywhere.

Clicking a filled path selects nothing in plotly (a fill's hover carries no point number), so every
region also gets an invisible "hit" trace: points on a grid inside its polygon (or tile), with the
region code as customdata and the hover text. Hovering or clicking anywhere in a region lands on
one of them, and Streamlit's selection event returns the code.

The geometry is in map_shapes, the labels and the kota key in map_labels, the export layout per
image format in map_press; this module colours the regions, writes their hover text and builds the
figure and its screen layout.
"""

from __future__ import annotations

import copy
import html
import math
import textwrap
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.colors as pcolors
import plotly.graph_objects as go
import plotly.io as pio

from analytics import charts, fmt, geo, metrics
from analytics import regions as region_ref
from analytics.map_labels import (
    EM_SHARE,
    KEY_NAMES,
    KEY_VALUES,
    KOTA_DISC,
    LABEL_PX,
    LINE_EM,
    QUALIFIER_MARKS,
    TEXT_DARK,
    Label,
    _compact_key_annotations,
    _key_annotations,
    _key_entries,
    _value_short,
    abbreviation,
    kota_numbers,
    place_labels,
    text_em,
)
from analytics.map_shapes import Shapes
from analytics.metrics import Indicator

# ColorBrewer, colour-blind safe. The palest YlGnBu step is dropped: it vanishes on white paper.
SEQUENTIAL = pcolors.sequential.YlGnBu[1:]
DIVERGING = pcolors.diverging.PuOr  # orange below the reference, purple above, pale grey at it
NO_DATA_FILL = "#E4E7EA"
NO_DATA_HATCH = "#A9B2B9"
BORDER = "#8D979E"
TILE_EDGE = "#C9D0D5"  # tiles near the reference colour are almost white: a faint edge keeps them visible
# Plot-area heights (px) for the widths the map is read at: a desktop column of about 1000 px and a
# phone of 390 px (about 340 px of plot). Both kinds are wider than tall, so at these heights the map
# fills the width; what carries text (colour bar, no-data legend, kota key) goes below it.
PLOT_HEIGHT = {("peta", False): 510, ("petak", False): 600, ("peta", True): 172, ("petak", True): 290}
# Tiles on a phone are taller than wide (31 × 43 px): room for an abbreviation and a value.
COMPACT_TILE_STRETCH = 1.4


# ---------------------------------------------------------------- colour scale


@dataclass(frozen=True)
class ColorScale:
    colorscale: list
    cmin: float
    cmax: float
    tickvals: tuple[float, ...]
    ticktext: tuple[str, ...]

    def color(self, value: float) -> str:
        share = (value - self.cmin) / (self.cmax - self.cmin)
        return pcolors.sample_colorscale(self.colorscale, [min(1.0, max(0.0, share))])[0]


def _nice_ticks(lo: float, hi: float, count: int = 5) -> np.ndarray:
    """Round tick values (1, 2, 2.5, 5 × 10^k) inside [lo, hi]."""
    span = hi - lo
    base = 10 ** math.floor(math.log10(span / count))
    step = next(m * base for m in (1, 2, 2.5, 5, 10) if span / (m * base) <= count)
    first = math.ceil(lo / step - 1e-9) * step
    return np.arange(first, hi + step * 1e-9, step)


def _tick_label(value: float, indicator: Indicator, step: float, lang: str) -> str:
    """As many decimals as the tick step needs (2,5 → one), formatted like every other value."""
    decimals = next(d for d in range(4) if d == 3 or abs(round(step, d) - step) < 1e-9)
    return fmt.value(value, indicator.satuan, decimals, lang)


def _as_colorscale(palette: list[str]) -> list:
    return [[i / (len(palette) - 1), color] for i, color in enumerate(palette)]


def _truncated(colorscale: list, start: float) -> list:
    """The part of `colorscale` from `start` (0–1) to its end, as a colorscale of its own; the
    original stops are kept, so the reference stays exactly the palette's pale middle."""
    first = pcolors.sample_colorscale(colorscale, [start])[0]
    stops = [[0.0, first]] + [[(pos - start) / (1 - start), color] for pos, color in colorscale if pos > start]
    return stops


def color_scale(indicator: Indicator, values: pd.Series, lang: str = "id") -> ColorScale:
    """Sequential, darker = better (reversed when lower is better); diverging around the reference
    value when the indicator has one (Rp16.800)."""
    values = pd.to_numeric(values, errors="coerce").dropna()
    if indicator.nilai_acuan is not None:
        return _diverging(indicator, values, lang)
    lo, hi = (float(values.min()), float(values.max())) if len(values) else (0.0, 1.0)
    if hi - lo < 1e-9:  # one value (or all equal): give it a visible middle colour
        lo, hi = lo - max(abs(lo) * 0.1, 1.0), hi + max(abs(hi) * 0.1, 1.0)
    palette = SEQUENTIAL if indicator.lebih_tinggi_lebih_baik else SEQUENTIAL[::-1]
    ticks = _nice_ticks(lo, hi)
    step = float(ticks[1] - ticks[0]) if len(ticks) > 1 else 0.0
    return ColorScale(
        _as_colorscale(palette),
        lo,
        hi,
        tuple(float(v) for v in ticks),
        tuple(_tick_label(v, indicator, step, lang) for v in ticks),
    )


def _diverging(indicator: Indicator, values: pd.Series, lang: str) -> ColorScale:
    """Pale at the reference, equally intense for equal deviations either side. The spread is at
    least the flag tolerance, so a tiny deviation is not painted as an extreme one; the scale is
    cut at zero (no negative costs), keeping the colour per rupiah of deviation unchanged."""
    reference = float(indicator.nilai_acuan)
    deviation = float((values - reference).abs().max()) if len(values) else 0.0
    spread = max(deviation, reference * metrics.PREMIUM_TOLERANCE)
    lo, hi = max(0.0, reference - spread), reference + spread
    colorscale = _as_colorscale(DIVERGING)
    if lo > reference - spread:
        colorscale = _truncated(colorscale, (lo - (reference - spread)) / (2 * spread))
    ticks = _nice_ticks(lo, hi)
    step = float(ticks[1] - ticks[0]) if len(ticks) > 1 else 0.0
    ticks = [float(v) for v in ticks if abs(v - reference) > step * 0.75]  # keep clear of the reference label
    labels = [_tick_label(v, indicator, step, lang) for v in ticks]
    reference_label = f"{fmt.value(reference, indicator.satuan, 0, lang)}<br>({fmt.t('map_reference', lang)})"
    return ColorScale(colorscale, lo, hi, tuple(ticks + [reference]), tuple(labels + [reference_label]))


# ---------------------------------------------------------------- text


def value_text(value, qualifier, indicator: Indicator, lang: str = "id") -> str:
    """'lebih dari 18.000 orang', '12,3 %', 'Rp16.800' — the figure as the hover reads it."""
    shown = fmt.value(value, indicator.satuan, indicator.desimal, lang)
    if indicator.satuan not in ("persen", "rp"):
        shown = f"{shown} {indicator.unit(lang)}"
    return fmt.qualified(shown, qualifier, lang)


def _wrapped(note, width: int = 48) -> str:
    return "<br>".join(textwrap.wrap(str(note), width)) if isinstance(note, str) and note else ""


def hover_text(row: pd.Series, indicator: Indicator, ranked_count: int, lang: str = "id") -> str:
    # names and notes may carry text from data files: escape before plotly reads its own tags
    lines = [f"<b>{html.escape(str(row['nama']))}</b>"]
    if pd.isna(row["nilai"]):
        lines.append(fmt.t("no_data", lang))
    else:
        lines.append(
            f"{indicator.title(lang)}: <b>{value_text(row['nilai'], row.get('kualifikasi'), indicator, lang)}</b>"
        )
        lines.append(fmt.t("map_rank", lang, rank=int(row["peringkat"]), n=ranked_count))
        if pd.notna(row.get("tanggal_data")):
            lines.append(fmt.t("map_data_date", lang, date=fmt.date(row["tanggal_data"], lang)))
    note = _wrapped(row.get("catatan"))
    return "<br>".join(lines + ([f"<i>{html.escape(note)}</i>"] if note else []))


def tile_label(row: pd.Series, indicator: Indicator, lang: str = "id") -> str:
    """Two short lines for a tile: the name (Kab./Kota on its own line) and the value."""
    name = str(row["nama_pendek"])
    for prefix in ("Kab. ", "Kota "):
        if name.startswith(prefix):
            name = prefix.strip() + "<br>" + name[len(prefix) :]
            break
    else:
        name = "<br>" + name  # same number of lines as the twins, so values line up
    if pd.isna(row["nilai"]):
        return f"{name}<br>–"
    mark = QUALIFIER_MARKS.get(row.get("kualifikasi") or "", "")
    return f"{name}<br><b>{mark}{fmt.value(row['nilai'], indicator.satuan, indicator.desimal, lang)}</b>"


def _luminance(color: str) -> float:
    """WCAG relative luminance of an 'rgb(r, g, b)' or '#rrggbb' colour."""
    rgb = pcolors.hex_to_rgb(color) if color.startswith("#") else pcolors.unlabel_rgb(color)
    linear = [(c / 255) / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def label_color(fill: str | None) -> str:
    """White or dark text, whichever contrasts more with the tile (WCAG contrast ratio)."""
    if fill is None:
        return TEXT_DARK
    lum = _luminance(fill)
    on_white = 1.05 / (lum + 0.05)
    on_dark = (lum + 0.05) / (_luminance(TEXT_DARK) + 0.05)
    if max(on_white, on_dark) < 4.5:  # mid-tones: only black reaches the 4.5:1 small text needs (WCAG AA)
        return "black"
    return "white" if on_white > on_dark else TEXT_DARK


# ---------------------------------------------------------------- traces (plain dicts: see map_figure)


def _area_trace(kode: str, shapes: Shapes, fill: str | None, lang: str, legend: bool) -> dict:
    x, y = shapes.outlines[kode]
    tiles = shapes.kind == "petak"
    trace = dict(
        type="scatter",
        x=x,
        y=y,
        mode="lines",
        fill="toself",
        hoverinfo="skip",
        showlegend=False,
        name=kode,
        meta=kode,
        fillcolor=fill,
        line=dict(color=TILE_EDGE if tiles else BORDER, width=0.6),
    )
    if fill is None:
        trace.update(
            fillcolor=NO_DATA_FILL,
            legendgroup="no_data",
            showlegend=legend,
            name=fmt.t("no_data", lang),
            fillpattern=dict(shape="/", fgcolor=NO_DATA_HATCH, bgcolor=NO_DATA_FILL, size=7, solidity=0.2),
        )
    return trace


def _hit_trace(kode: str, shapes: Shapes, hover: str, color: str) -> dict:
    x, y = shapes.hits[kode]
    return dict(
        type="scatter",
        x=x,
        y=y,
        mode="markers",
        customdata=np.full(len(x), int(kode), dtype="int16"),
        hovertext=hover,
        hoverinfo="text",
        showlegend=False,
        name=kode,
        marker=dict(size=8, color=color, opacity=0),
        selected=dict(marker=dict(opacity=0)),
        unselected=dict(marker=dict(opacity=0)),
        hoverlabel=dict(bgcolor="white", bordercolor=color, font=dict(color=TEXT_DARK, size=13)),
    )


HIGHLIGHT_NAME = "sorot"


def _highlight_traces(codes: tuple[str, ...], shapes: Shapes) -> list[dict]:
    """A thick outline around each chosen region: orange on a dark halo, visible on every fill."""
    traces = []
    for kode in codes:
        x, y = shapes.outlines[kode]
        for color, width in ((TEXT_DARK, 4.5), (charts.COLOR_HIGHLIGHT, 2.5)):
            traces.append(
                dict(
                    type="scatter",
                    x=x,
                    y=y,
                    mode="lines",
                    hoverinfo="skip",
                    showlegend=False,
                    name=f"{HIGHLIGHT_NAME}:{kode}",
                    line=dict(color=color, width=width),
                )
            )
    return traces


def _tile_label_trace(
    rows: pd.DataFrame, shapes: Shapes, fills: dict, indicator: Indicator, lang: str, compact: bool
) -> dict:
    codes = list(shapes.order)
    colors = [label_color(fills[k]) for k in codes]
    if compact:
        values = {k: _value_short(rows.loc[k], indicator, lang) for k in codes}
        # values only when every one fits a 31 px tile; else the abbreviations alone (value on tap/search)
        fits = max(text_em(v or "") for v in values.values()) * TILE_VALUE_PX <= 29
        text = [tile_label_compact(k, values[k] if fits else None) for k in codes]
    else:
        text = [tile_label(rows.loc[k], indicator, lang) for k in codes]
    return dict(
        type="scatter",
        x=[shapes.anchors[k][0] for k in codes],
        y=[shapes.anchors[k][1] for k in codes],
        mode="text",
        text=text,
        textfont=dict(size=TILE_LABEL_PX[compact], color=colors),
        hoverinfo="skip",
        showlegend=False,
        name="label",
    )


TILE_LABEL_PX = {False: 12, True: 10}
TILE_VALUE_PX = 8.5


def tile_label_compact(kode: str, value: str | None) -> str:
    """A phone tile (31 px): a small 'kota' mark for the nine kota, the bold abbreviation, the value."""
    kota = kode in kota_numbers()
    small = f"<span style='font-size:{TILE_VALUE_PX}px'>"
    head = f"{small}kota</span>" if kota else ""
    tail = f"{small}{html.escape(value)}</span>" if value else ""
    return f"{head}<br><b>{html.escape(abbreviation(kode))}</b><br>{tail}"


def _label_traces(labels: list[Label], fills: dict, hover: dict, px: float, highlight: tuple[str, ...]) -> list[dict]:
    """Names inside their regions, outside names with leader lines, and the numbered discs (which
    take the kota's own colour, so a speck's value can be read)."""
    traces = []
    inside = [label for label in labels if label.number is None and label.leader is None]
    outside = [label for label in labels if label.leader is not None]
    numbered = [label for label in labels if label.number is not None]
    if outside:
        xs, ys = [], []
        for label in outside:
            xs += [label.x, label.leader[0], None]
            ys += [label.y, label.leader[1], None]
        traces.append(
            dict(
                type="scatter",
                x=xs,
                y=ys,
                mode="lines",
                line=dict(color=TEXT_DARK, width=0.9),
                hoverinfo="skip",
                showlegend=False,
                name="leader",
            )
        )
        traces.append(
            dict(
                type="scatter",
                x=[label.x for label in outside],
                y=[label.y for label in outside],
                mode="text",
                text=[label.text for label in outside],
                textposition=[label.position for label in outside],
                textfont=dict(size=px, color=TEXT_DARK),
                hoverinfo="skip",
                showlegend=False,
                name="label_outside",
                customdata=[label.kode for label in outside],
            )
        )
    if inside:
        traces.append(
            dict(
                type="scatter",
                x=[label.x for label in inside],
                y=[label.y for label in inside],
                mode="text",
                text=[label.text for label in inside],
                textfont=dict(
                    size=[round(px * label.size, 1) for label in inside],
                    color=[label_color(fills[label.kode]) for label in inside],
                ),
                hoverinfo="skip",
                showlegend=False,
                name="label",
                customdata=[label.kode for label in inside],
            )
        )
    if numbered:
        chosen = [label.kode in highlight for label in numbered]
        traces.append(
            dict(
                type="scatter",
                x=[label.x for label in numbered],
                y=[label.y for label in numbered],
                mode="markers+text",
                text=[f"<b>{label.number}</b>" for label in numbered],
                textfont=dict(size=round(px * 0.85, 1), color=[label_color(fills[label.kode]) for label in numbered]),
                marker=dict(
                    size=round(px * KOTA_DISC, 1),
                    color=[fills[label.kode] or NO_DATA_FILL for label in numbered],
                    line=dict(
                        color=[charts.COLOR_HIGHLIGHT if c else TEXT_DARK for c in chosen],
                        width=[3 if c else 1 for c in chosen],
                    ),
                    opacity=1,
                ),
                customdata=[int(label.kode) for label in numbered],
                hovertext=[hover[label.kode] for label in numbered],
                hoverinfo="text",
                showlegend=False,
                name="kota",
                selected=dict(marker=dict(opacity=1)),
                unselected=dict(marker=dict(opacity=1)),
                hoverlabel=dict(bgcolor="white", font=dict(color=TEXT_DARK, size=13)),
            )
        )
    return traces


def _frame_traces(shapes: Shapes) -> list[dict]:
    """A dashed box and a label around each inset, so nobody mistakes its position for the real one."""
    traces = []
    for (x0, y0, x1, y1), label in shapes.frames:
        traces.append(
            dict(
                type="scatter",
                x=[x0, x1, x1, x0, x0],
                y=[y0, y0, y1, y1, y0],
                mode="lines",
                line=dict(color=charts.COLOR_MUTED, width=0.8, dash="dot"),
                hoverinfo="skip",
                showlegend=False,
                name="inset",
            )
        )
        traces.append(
            dict(
                type="scatter",
                x=[x0],
                y=[(y0 + y1) / 2],
                mode="text",
                text=[label],
                textposition="middle left",
                textfont=dict(size=11, color=charts.COLOR_MUTED),
                hoverinfo="skip",
                showlegend=False,
                name="inset",
            )
        )
    return traces


def _colorbar_trace(scale: ColorScale, info: dict) -> dict:
    """Carries the colour bar (two unplotted points spanning the scale) and, in `meta`, what an
    export needs to lay the map out again (kind, label sizes, aspect)."""
    return dict(
        type="scatter",
        x=[None, None],
        y=[None, None],
        mode="markers",
        hoverinfo="skip",
        showlegend=False,
        marker=dict(color=[scale.cmin, scale.cmax], coloraxis="coloraxis"),
        name="colorbar",
        meta=info,
    )


# ---------------------------------------------------------------- the figure


def _rows(table: pd.DataFrame, order: tuple[str, ...]) -> pd.DataFrame:
    """One row per region in drawing order; regions absent from `table` count as no data."""
    reference = region_ref.regions_frame().set_index("kode")[["nama", "nama_pendek"]]
    rows = table.set_index("kode").reindex(list(order))
    for column in ("nama", "nama_pendek"):
        rows[column] = rows[column].fillna(reference[column]) if column in rows else reference[column]
    for column in ("kualifikasi", "catatan", "tanggal_data", "peringkat"):
        if column not in rows:
            rows[column] = None
    return rows


def map_figure(
    table: pd.DataFrame,
    indicator: Indicator,
    shapes: Shapes,
    *,
    title: str,
    subtitle: str,
    source: str,
    lang: str = "id",
    synthetic: bool = False,
    highlight: tuple[str, ...] = (),
    compact: bool = False,
) -> go.Figure:
    """The map of one indicator: `table` is a ranking table (kode, nama, nama_pendek, nilai,
    kualifikasi, peringkat, catatan, tanggal_data). `highlight`: region codes outlined (the page's
    region search). `compact`: the phone layout (about 340 px of plot width): abbreviations, the
    colour bar and the kota key under the map, a lower figure."""
    rows = _rows(table, shapes.order)
    highlight = tuple(k for k in dict.fromkeys(highlight) if k in shapes.outlines)
    scale = color_scale(indicator, rows["nilai"], lang)
    fills = {k: (scale.color(v) if pd.notna(v) else None) for k, v in rows["nilai"].items()}
    ranked_count = int(rows["peringkat"].notna().sum())
    hover = {k: hover_text(rows.loc[k], indicator, ranked_count, lang) for k in shapes.order}
    first_missing = next((k for k in shapes.order if fills[k] is None), None)
    px = LABEL_PX[compact]
    traces = [_area_trace(k, shapes, fills[k], lang, k == first_missing) for k in shapes.order]
    traces += _highlight_traces(highlight, shapes)
    traces += _frame_traces(shapes)
    labels = place_labels(shapes, rows, indicator, lang, compact, highlight)
    if shapes.kind == "petak":
        traces.append(_tile_label_trace(rows, shapes, fills, indicator, lang, compact))
    traces += [_hit_trace(k, shapes, hover[k], fills[k] or NO_DATA_HATCH) for k in shapes.order]
    traces += _label_traces(labels, fills, hover, px, highlight)  # above the hit points: a disc is clickable
    plot_h = PLOT_HEIGHT[(shapes.kind, compact)]
    info = dict(
        map=shapes.kind,
        compact=compact,
        em_share=EM_SHARE[compact],
        label_px=px,
        aspect=shapes.aspect,
        plot_height=plot_h,
        lang=lang,
        shapes=list(shapes.source),
        highlight=list(highlight),
        # what an export needs to label the map again at its own size: short name and value
        texts={k: [str(rows.loc[k, "nama_pendek"]), _value_short(rows.loc[k], indicator, lang)] for k in shapes.order},
    )
    traces.append(_colorbar_trace(scale, info))
    layout = charts.base_layout(title, subtitle, _with_attribution(source, shapes, lang), lang, plot_h)
    entries = _key_entries(labels, rows, indicator, lang, compact)
    layout.update(_layout(shapes, scale, indicator, lang, first_missing is not None, compact, layout, entries))
    layout["template"] = _template(layout["template"])  # unvalidated figures don't expand a template name
    # ~80 traces: plotly's per-property validation would take 0.5 s per rerun; tests check the
    # figure against the schema instead (go.Figure(fig.to_dict())).
    fig = go.Figure(data=traces, layout=layout, _validate=False)
    if synthetic:
        charts.watermark(fig, fmt.t("watermark", lang))
        if compact:  # sized for a phone's 340 px, not a desktop's 1000
            fig.update_annotations(selector=dict(name="watermark"), font_size=30)
    return fig


@lru_cache(maxsize=4)
def _template_json(name: str) -> dict:
    return pio.templates[name].to_plotly_json()


def _template(name: str) -> dict:
    return copy.deepcopy(_template_json(name))


def _with_attribution(source: str, shapes: Shapes, lang: str) -> str:
    """Exported maps must credit the boundaries (CC BY 3.0 IGO); the tile grid uses none."""
    if shapes.kind != "peta":
        return source
    return f"{source}<br>{fmt.t('map_attribution', lang, km2=fmt.number(geo.MIN_ISLAND_KM2, 0, lang))}"


def _colorbar(scale: ColorScale, indicator: Indicator, lang: str, place: dict, px: float) -> dict:
    place = dict(place)
    side = place.pop("side", "top")
    return dict(
        colorscale=scale.colorscale,
        cmin=scale.cmin,
        cmax=scale.cmax,
        colorbar=dict(
            **place,
            thickness=round(px * 0.85),
            outlinewidth=0,
            tickvals=list(scale.tickvals),
            ticktext=list(scale.ticktext),
            tickfont=dict(size=px - 1),
            title=dict(text=indicator.unit(lang), side=side, font=dict(size=px)),
        ),
    )


def _layout(
    shapes: Shapes,
    scale: ColorScale,
    indicator: Indicator,
    lang: str,
    has_missing: bool,
    compact: bool,
    base: dict,
    entries: list,
) -> dict:
    """Plot area = the map, sized to fill a desktop column or a phone's width. Under it, in the
    bottom margin: the colour bar, the no-data legend and (phone) the kota key. Whatever the page
    draws above and below the figure (title, source) is not part of it; a caption the base layout
    still puts under the plot moves below our band."""
    fixed = shapes.kind == "petak" or compact  # zooming equal tiles shows nothing new; a phone pans the page instead
    plot_h = PLOT_HEIGHT[(shapes.kind, compact)]
    px = 11 if compact else 12
    band = 0.0  # px under the plot area taken by the colour bar, legend and key
    ticks_px = px * LINE_EM * (2 if any("<br>" in t for t in scale.ticktext) else 1)
    annotations = list(base.get("annotations", []))
    legend = dict(
        itemclick=False,
        itemdoubleclick=False,
        font=dict(size=px),
        bgcolor="rgba(255,255,255,0.85)",
        orientation="h",
        xanchor="left",
        yanchor="top",
        x=0.0,
    )
    if shapes.kind == "petak" and not compact:
        # the grid's empty top-left (row 0 holds only Madura) holds the colour bar; its bottom-left cell the legend
        place = dict(
            orientation="h", x=0.0, xanchor="left", y=1.0, yanchor="top", len=0.36, lenmode="fraction", side="top"
        )
        legend.update(x=0.0, y=0.0, yanchor="bottom")
    elif compact:
        place = dict(
            orientation="h",
            x=0.0,
            xanchor="left",
            y=-8 / plot_h,
            yanchor="top",
            len=1.0,
            lenmode="fraction",
            side="top",
        )
        band = 8 + px * LINE_EM + px + 4 + ticks_px
        if has_missing:
            legend.update(y=-band / plot_h)
            band += px * LINE_EM + 8
    else:
        place = dict(
            orientation="h",
            x=0.0,
            xanchor="left",
            y=-8 / plot_h,
            yanchor="top",
            len=0.42,
            lenmode="fraction",
            side="top",
        )  # the unit above the bar: beside it, it would meet a tick
        legend.update(x=0.62, y=-(8 + px * LINE_EM) / plot_h)
        band = 8 + px * LINE_EM + px + 4 + ticks_px + 6
    if shapes.kind == "peta" and entries:
        if compact:
            key, height = _compact_key_annotations(entries, band + 4, plot_h, lang, px)
            annotations += key
            band += height + 8
        else:
            annotations += _key_annotations(entries, shapes, px, lang)
    for annotation in annotations:  # a caption under the plot (the base layout's source line) goes below the band
        if (
            annotation.get("yref") == "paper"
            and (annotation.get("y") or 0) < 0
            and annotation.get("name") not in (KEY_NAMES, KEY_VALUES)
        ):
            annotation["yshift"] = (annotation.get("yshift") or 0) - band
    base_margin = base.get("margin", {})
    margin = dict(l=10, r=10, t=base_margin.get("t", 10), b=round(band + base_margin.get("b", 0)))
    y_scale = shapes.y_scale * (COMPACT_TILE_STRETCH if compact and shapes.kind == "petak" else 1.0)
    return dict(
        height=round(plot_h + margin["t"] + margin["b"]),
        margin=margin,
        annotations=annotations,
        hovermode="closest",
        hoverdistance=24,
        showlegend=has_missing,
        legend=legend,
        coloraxis=_colorbar(scale, indicator, lang, place, px),
        # the map hugs the plot area's bottom left (the colour bar's corner); spare room goes right or up
        xaxis=dict(
            visible=False, range=list(shapes.x_range), fixedrange=fixed, constrain="domain", constraintoward="left"
        ),
        yaxis=dict(
            visible=False,
            range=list(shapes.y_range),
            fixedrange=fixed,
            scaleanchor="x",
            scaleratio=y_scale,
            constrain="domain",
            constraintoward="bottom",
        ),
    )


# ---------------------------------------------------------------- the page's region search


def found_regions(table: pd.DataFrame, codes, indicator: Indicator, lang: str = "id") -> list[dict]:
    """For the page's region search: per chosen code (in the order chosen) the name, the value as
    the hover reads it (None without data) and the rank ('Peringkat 3 dari 36')."""
    rows = _rows(table, tuple(region_ref.regions_frame()["kode"]))
    ranked_count = int(rows["peringkat"].notna().sum())
    found = []
    for kode in codes:
        if kode not in rows.index:
            continue
        row = rows.loc[kode]
        has_value = pd.notna(row["nilai"])
        found.append(
            dict(
                kode=kode,
                nama=str(row["nama"]),
                nilai=value_text(row["nilai"], row.get("kualifikasi"), indicator, lang) if has_value else None,
                peringkat=fmt.t("map_rank", lang, rank=int(row["peringkat"]), n=ranked_count)
                if has_value and pd.notna(row["peringkat"])
                else None,
            )
        )
    return found


def selected_region(event) -> str | None:
    """The region code of the first point chosen on a map (Streamlit's selection event), or None."""
    try:
        points = event["selection"]["points"]
    except (KeyError, TypeError):
        return None
    known = {r.kode for r in region_ref.load_regions()}
    for point in points or ():
        code = point.get("customdata") if hasattr(point, "get") else None
        if isinstance(code, (list, tuple)):
            code = code[0] if code else None
        if code is None:
            continue
        try:
            code = str(int(float(code)))
        except (TypeError, ValueError):
            code = str(code)
        if code in known:
            return code
    return None
