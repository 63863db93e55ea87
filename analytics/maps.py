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
"""
from __future__ import annotations

import html

import copy
import math
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.colors as pcolors
import plotly.graph_objects as go
import plotly.io as pio

from analytics import charts, fmt, geo, metrics
from analytics import regions as region_ref
from analytics.metrics import Indicator

KINDS = ("peta", "petak")  # region map on real boundaries | tile grid
# ColorBrewer, colour-blind safe. The palest YlGnBu step is dropped: it vanishes on white paper.
SEQUENTIAL = pcolors.sequential.YlGnBu[1:]
DIVERGING = pcolors.diverging.PuOr  # orange below the reference, purple above, pale grey at it
NO_DATA_FILL = "#E4E7EA"
NO_DATA_HATCH = "#A9B2B9"
BORDER = "#8D979E"
TILE_EDGE = "#C9D0D5"  # tiles near the reference colour are almost white: a faint edge keeps them visible
HIT_SPACING = 0.03  # degrees (≈ 3 km): a few pixels apart at any dashboard width, so hover always finds one
TILE_SIZE = 0.92    # of a grid cell; the rest is the white gap between tiles
MAP_HEIGHT = {"peta": 650, "petak": 700}  # fits a 1366–1440 px screen without scrolling past the map
# The map's colour bar stands outside the plot, right: inside, it would cover Banyuwangi once a narrow
# screen shrinks the map. The tile grid's sits in its empty top-left (row 0 holds only Madura).
COLORBAR_PLACE = {
    "peta": dict(orientation="v", x=1.01, xanchor="left", y=0.5, yanchor="middle", len=0.7, lenmode="fraction"),
    "petak": dict(orientation="h", x=0.0, xanchor="left", y=1.0, yanchor="top", len=0.36, lenmode="fraction"),
}


@dataclass(frozen=True)
class Inset:
    """Far islands drawn nearer the mainland inside a dashed frame, as printed maps do."""
    label: str
    box: tuple[float, float, float, float]  # lon/lat bounds that select the parts to move
    shift: tuple[float, float]              # degrees added to lon, lat


# Bawean (Gresik) lies 120 km off the coast; in place it would leave a third of the map empty sea.
INSETS = (Inset("P. Bawean", (112.3, -6.2, 113.0, -5.5), (0.0, -0.62)),)

QUALIFIER_MARKS = {"lebih dari": ">", "sekitar": "±", "kurang lebih": "±"}


# ---------------------------------------------------------------- geometry in plot coordinates

@dataclass(frozen=True)
class Shapes:
    """What a map needs per region, in plot coordinates (lon/lat, or tile columns/rows)."""
    kind: str
    outlines: dict[str, tuple[np.ndarray, np.ndarray]]  # filled rings, NaN between rings
    hits: dict[str, tuple[np.ndarray, np.ndarray]]      # invisible hover/click points inside the region
    anchors: dict[str, tuple[float, float]]             # where a label goes
    order: tuple[str, ...]                              # drawing order: kota last, on top of the holes they fill
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    y_scale: float                                      # plotly scaleratio of y to x
    frames: tuple = ()                                  # inset frames: ((x0, y0, x1, y1), label)


def _bounds(geometries) -> tuple[float, float, float, float]:
    bounds = np.array([g.bounds for g in geometries])
    return bounds[:, 0].min(), bounds[:, 1].min(), bounds[:, 2].max(), bounds[:, 3].max()


def _drawing_order(codes) -> tuple[str, ...]:
    jenis = dict(zip(region_ref.regions_frame()["kode"], region_ref.regions_frame()["jenis"]))
    return tuple(sorted(codes, key=lambda kode: (jenis[kode] == "kota", kode)))


def _rings(geometry) -> tuple[np.ndarray, np.ndarray]:
    """Exterior rings only, 4 decimals, float32 (sent as compact binary). Holes are not cut out: the
    kota inside them are drawn later, on top."""
    xs, ys = [], []
    for part in getattr(geometry, "geoms", [geometry]):
        ring = np.round(np.asarray(part.exterior.coords), 4)
        xs += [ring[:, 0], [np.nan]]
        ys += [ring[:, 1], [np.nan]]
    return np.concatenate(xs[:-1]).astype("float32"), np.concatenate(ys[:-1]).astype("float32")


def _hit_points(geometry, spacing: float) -> tuple[np.ndarray, np.ndarray]:
    """Grid points inside the polygon, plus one point per part so small kota and islands get one too."""
    import shapely

    x0, y0, x1, y1 = geometry.bounds
    gx, gy = np.meshgrid(np.arange(math.ceil(x0 / spacing), math.floor(x1 / spacing) + 1) * spacing,
                         np.arange(math.ceil(y0 / spacing), math.floor(y1 / spacing) + 1) * spacing)
    inside = shapely.contains_xy(geometry, gx.ravel(), gy.ravel())
    anchors = [part.representative_point() for part in getattr(geometry, "geoms", [geometry])]
    xs = np.concatenate([gx.ravel()[inside], [p.x for p in anchors]])
    ys = np.concatenate([gy.ravel()[inside], [p.y for p in anchors]])
    return np.round(xs, 3).astype("float32"), np.round(ys, 3).astype("float32")


def boundary_shapes(path: Path | None = None) -> Shapes:
    """Browser-weight boundary geometry, prepared once per file version (path + modification time)."""
    path = Path(path or geo.boundaries_path())
    return _boundary_shapes(str(path.resolve()), path.stat().st_mtime)


def _place_insets(geometries: dict) -> tuple[dict, tuple]:
    """Shift the parts lying in an inset's box; return the geometries and each inset's frame
    ((x0, y0, x1, y1) around the moved parts, label)."""
    from shapely import affinity
    from shapely.geometry import MultiPolygon, box

    moved = {inset.label: [] for inset in INSETS}
    placed = {}
    for kode, geometry in geometries.items():
        parts = []
        for part in getattr(geometry, "geoms", [geometry]):
            inset = next((i for i in INSETS if box(*i.box).contains(part)), None)
            if inset:
                part = affinity.translate(part, *inset.shift)
                moved[inset.label].append(part)
            parts.append(part)
        placed[kode] = MultiPolygon(parts)
    pad = 0.05
    frames = tuple(((x0 - pad, y0 - pad, x1 + pad, y1 + pad), label)
                   for label, parts in moved.items() if parts for x0, y0, x1, y1 in [_bounds(parts)])
    return placed, frames


@lru_cache(maxsize=4)
def _boundary_shapes(path: str, mtime: float) -> Shapes:
    frame = geo.simplified_boundaries(Path(path))
    geometries, frames = _place_insets(dict(zip(frame["kode"], frame.geometry)))
    x0, y0, x1, y1 = _bounds(geometries.values())
    pad = 0.07  # room for the inset frames' dashed lines
    mid_lat = math.radians((y0 + y1) / 2)
    largest = {k: max(getattr(g, "geoms", [g]), key=lambda p: p.area) for k, g in geometries.items()}
    return Shapes(
        kind="peta",
        outlines={k: _rings(g) for k, g in geometries.items()},
        hits={k: _hit_points(g, HIT_SPACING) for k, g in geometries.items()},
        anchors={k: (p.representative_point().x, p.representative_point().y) for k, p in largest.items()},
        order=_drawing_order(geometries),
        x_range=(x0 - pad, x1 + pad), y_range=(y0 - pad, y1 + pad),
        y_scale=1 / math.cos(mid_lat),  # equirectangular: a degree of longitude is shorter than one of latitude
        frames=frames,
    )


@lru_cache(maxsize=1)
def tile_shapes() -> Shapes:
    """One equal square per region at (col, -row) of data/tile_grid.csv; needs no boundary file."""
    grid = geo.tile_grid()
    half = TILE_SIZE / 2
    square = np.array([[-half, -half], [half, -half], [half, half], [-half, half], [-half, -half]])
    offsets = np.array([-0.3, 0.0, 0.3])
    hx, hy = (a.ravel() for a in np.meshgrid(offsets, offsets))
    outlines, hits, anchors = {}, {}, {}
    for kode, row, col in grid[["kode", "row", "col"]].itertuples(index=False):
        x, y = float(col), -float(row)
        outlines[kode] = ((square[:, 0] + x).astype("float32"), (square[:, 1] + y).astype("float32"))
        hits[kode] = ((hx + x).astype("float32"), (hy + y).astype("float32"))
        anchors[kode] = (x, y)
    return Shapes(kind="petak", outlines=outlines, hits=hits, anchors=anchors, order=_drawing_order(outlines),
                  x_range=(-0.55, grid["col"].max() + 0.55), y_range=(-grid["row"].max() - 0.55, 0.55), y_scale=1.0)


def shapes_for(kind: str) -> Shapes:
    """The geometry for a map kind; the tile grid whenever no boundary file is configured."""
    if kind == "peta" and geo.boundaries_path() is not None:
        return boundary_shapes()
    return tile_shapes()


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
    return ColorScale(_as_colorscale(palette), lo, hi, tuple(float(v) for v in ticks),
                      tuple(_tick_label(v, indicator, step, lang) for v in ticks))


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
        lines.append(f"{indicator.title(lang)}: <b>{value_text(row['nilai'], row.get('kualifikasi'), indicator, lang)}</b>")
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
            name = prefix.strip() + "<br>" + name[len(prefix):]
            break
    else:
        name = "<br>" + name  # same number of lines as the twins, so values line up
    if pd.isna(row["nilai"]):
        return f"{name}<br>–"
    mark = QUALIFIER_MARKS.get(row.get("kualifikasi") or "", "")
    return f"{name}<br><b>{mark}{fmt.value(row['nilai'], indicator.satuan, indicator.desimal, lang)}</b>"


TEXT_DARK = "#1F2A30"


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
    return "white" if on_white > on_dark else TEXT_DARK


# ---------------------------------------------------------------- traces (plain dicts: see map_figure)

def _area_trace(kode: str, shapes: Shapes, fill: str | None, lang: str, legend: bool) -> dict:
    x, y = shapes.outlines[kode]
    tiles = shapes.kind == "petak"
    trace = dict(type="scatter", x=x, y=y, mode="lines", fill="toself", hoverinfo="skip", showlegend=False,
                 name=kode, fillcolor=fill, line=dict(color=TILE_EDGE if tiles else BORDER, width=0.6))
    if fill is None:
        trace.update(fillcolor=NO_DATA_FILL, legendgroup="no_data", showlegend=legend, name=fmt.t("no_data", lang),
                     fillpattern=dict(shape="/", fgcolor=NO_DATA_HATCH, bgcolor=NO_DATA_FILL, size=7, solidity=0.2))
    return trace


def _hit_trace(kode: str, shapes: Shapes, hover: str, color: str) -> dict:
    x, y = shapes.hits[kode]
    return dict(type="scatter", x=x, y=y, mode="markers", customdata=np.full(len(x), int(kode), dtype="int16"),
                hovertext=hover, hoverinfo="text", showlegend=False, name=kode,
                marker=dict(size=8, color=color, opacity=0),
                selected=dict(marker=dict(opacity=0)), unselected=dict(marker=dict(opacity=0)),
                hoverlabel=dict(bgcolor="white", bordercolor=color, font=dict(color=TEXT_DARK, size=13)))


def _label_trace(rows: pd.DataFrame, shapes: Shapes, fills: dict, indicator: Indicator, lang: str) -> dict:
    codes = list(shapes.order)
    colors = [label_color(fills[k]) for k in codes]
    return dict(type="scatter", x=[shapes.anchors[k][0] for k in codes], y=[shapes.anchors[k][1] for k in codes],
                mode="text", text=[tile_label(rows.loc[k], indicator, lang) for k in codes],
                textfont=dict(size=11, color=colors), hoverinfo="skip", showlegend=False, name="label")


def _frame_traces(shapes: Shapes) -> list[dict]:
    """A dashed box and a label around each inset, so nobody mistakes its position for the real one."""
    traces = []
    for (x0, y0, x1, y1), label in shapes.frames:
        traces.append(dict(type="scatter", x=[x0, x1, x1, x0, x0], y=[y0, y0, y1, y1, y0], mode="lines",
                           line=dict(color=charts.COLOR_MUTED, width=0.8, dash="dot"), hoverinfo="skip",
                           showlegend=False, name="inset"))
        traces.append(dict(type="scatter", x=[x0], y=[(y0 + y1) / 2], mode="text", text=[label],
                           textposition="middle left", textfont=dict(size=11, color=charts.COLOR_MUTED),
                           hoverinfo="skip", showlegend=False, name="inset"))
    return traces


def _colorbar_trace(scale: ColorScale) -> dict:
    """Carries the colour bar only (two unplotted points spanning the scale)."""
    return dict(type="scatter", x=[None, None], y=[None, None], mode="markers", hoverinfo="skip", showlegend=False,
                marker=dict(color=[scale.cmin, scale.cmax], coloraxis="coloraxis"), name="colorbar")


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


def map_figure(table: pd.DataFrame, indicator: Indicator, shapes: Shapes, *, title: str, subtitle: str,
               source: str, lang: str = "id", synthetic: bool = False) -> go.Figure:
    """The map of one indicator: `table` is a ranking table (kode, nama, nama_pendek, nilai,
    kualifikasi, peringkat, catatan, tanggal_data)."""
    rows = _rows(table, shapes.order)
    scale = color_scale(indicator, rows["nilai"], lang)
    fills = {k: (scale.color(v) if pd.notna(v) else None) for k, v in rows["nilai"].items()}
    ranked_count = int(rows["peringkat"].notna().sum())
    first_missing = next((k for k in shapes.order if fills[k] is None), None)
    traces = [_area_trace(k, shapes, fills[k], lang, k == first_missing) for k in shapes.order]
    if shapes.kind == "petak":
        traces.append(_label_trace(rows, shapes, fills, indicator, lang))
    traces += _frame_traces(shapes)
    traces += [_hit_trace(k, shapes, hover_text(rows.loc[k], indicator, ranked_count, lang), fills[k] or NO_DATA_HATCH)
               for k in shapes.order]
    traces.append(_colorbar_trace(scale))
    layout = charts.base_layout(title, subtitle, _with_attribution(source, shapes, lang), lang, MAP_HEIGHT[shapes.kind])
    layout.update(_layout(shapes, scale, indicator, lang, has_missing=first_missing is not None))
    layout["template"] = _template(layout["template"])  # unvalidated figures don't expand a template name
    # ~80 traces: plotly's per-property validation would take 0.5 s per rerun; tests check the
    # figure against the schema instead (go.Figure(fig.to_dict())).
    fig = go.Figure(data=traces, layout=layout, _validate=False)
    if synthetic:
        charts.watermark(fig, fmt.t("watermark", lang))
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


def _layout(shapes: Shapes, scale: ColorScale, indicator: Indicator, lang: str, has_missing: bool) -> dict:
    fixed = shapes.kind == "petak"  # zooming equal tiles shows nothing new; the real map may be zoomed
    return dict(
        margin=dict(l=10, r=10, t=110, b=100),  # source + two attribution lines
        hovermode="closest", hoverdistance=24,
        showlegend=has_missing,
        legend=dict(x=0.0, y=0.0, xanchor="left", yanchor="bottom", bgcolor="rgba(255,255,255,0.85)",
                    itemclick=False, itemdoubleclick=False, font=dict(size=12)),
        coloraxis=dict(colorscale=scale.colorscale, cmin=scale.cmin, cmax=scale.cmax, colorbar=dict(
            **COLORBAR_PLACE[shapes.kind], thickness=12, outlinewidth=0, tickvals=list(scale.tickvals),
            ticktext=list(scale.ticktext), tickfont=dict(size=11),
            title=dict(text=indicator.unit(lang), side="top", font=dict(size=12)))),
        xaxis=dict(visible=False, range=list(shapes.x_range), fixedrange=fixed),
        yaxis=dict(visible=False, range=list(shapes.y_range), fixedrange=fixed, scaleanchor="x",
                   scaleratio=shapes.y_scale),
    )


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
