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

Labels on the region map are decided in the figure, so exports carry them: a kabupaten's short name
(and its value) goes inside its polygon where a text box of that size fits, measured at a type size
that is a fixed share of the map's width (EM_SHARE); the two names that fit nowhere have a reviewed
place outside with a leader line (data/peta_label.csv); the nine kota are specks, so each gets a
numbered disc in its own colour and a line in the key. export.press_figure hands map figures to
press_layout, which sizes the map, labels and key for each format.
"""
from __future__ import annotations

import copy
import html
import math
import re
import textwrap
from dataclasses import dataclass, field
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
# Plot-area heights (px) for the widths the map is read at: a desktop column of about 1000 px and a
# phone of 390 px (about 340 px of plot). Both kinds are wider than tall, so at these heights the map
# fills the width; what carries text (colour bar, no-data legend, kota key) goes below it.
PLOT_HEIGHT = {("peta", False): 510, ("petak", False): 600, ("peta", True): 172, ("petak", True): 290}
# Tiles on a phone are taller than wide (31 × 43 px): room for an abbreviation and a value.
COMPACT_TILE_STRETCH = 1.4


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
    polygons: dict = field(default_factory=dict)        # each region's largest part (shapely), for label fitting
    cache: dict = field(default_factory=dict, compare=False, repr=False)  # label fits, filled on use

    @property
    def aspect(self) -> float:
        """Width / height of the drawn map on screen."""
        return (self.x_range[1] - self.x_range[0]) / ((self.y_range[1] - self.y_range[0]) * self.y_scale)


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
    y_scale = 1 / math.cos(mid_lat)  # equirectangular: a degree of longitude is shorter than one of latitude
    largest = {k: max(getattr(g, "geoms", [g]), key=lambda p: p.area) for k, g in geometries.items()}
    return Shapes(
        kind="peta",
        outlines={k: _rings(g) for k, g in geometries.items()},
        hits={k: _hit_points(g, HIT_SPACING) for k, g in geometries.items()},
        anchors={k: _pole(p, y_scale) for k, p in largest.items()},
        order=_drawing_order(geometries),
        x_range=(x0 - pad, x1 + pad), y_range=(y0 - pad, y1 + pad),
        y_scale=y_scale,
        frames=frames,
        polygons=largest,
    )


def _pole(polygon, y_scale: float) -> tuple[float, float]:
    """The point inside farthest from the border (pole of inaccessibility), measured as drawn (y
    stretched): a label or a kota's number sits there, clear of the edges. The representative point
    shapely offers is only guaranteed inside, often close to a border."""
    from shapely import affinity
    from shapely.ops import polylabel

    drawn = affinity.scale(polygon, 1, y_scale, origin=(0, 0))
    point = polylabel(drawn, tolerance=0.001)
    return float(point.x), float(point.y / y_scale)


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


# ---------------------------------------------------------------- labels on the region map

# Label type size as a share of the drawn map's width. Which names fit inside their region is decided
# at this size, and exports set their labels to it (0.0135 × a 1016 px map = 13.7 px on a 1080 px
# image); on a desktop screen the labels are 12 px on a map of about 1000 px, so they fit with room.
EM_SHARE = {False: 0.0135, True: 0.03}   # desktop and exports | phone
LABEL_PX = {False: 12, True: 10}         # screen label size (px)
LABEL_SLACK = 0.1   # em a label may overhang its border: the thin border line then runs under a letter's edge
SHRINK = 0.85       # a name that does not fit at full size may be set this much smaller
LINE_EM = 1.3       # plotly's line spacing
INK_EM = 1.05       # height of one line of text, ascenders to descenders
KOTA_DISC = 1.45    # em: diameter of a kota's numbered disc
KEY_GAP_EM = 0.9    # between the key's names and values columns
# Advance widths (em) of Arial / Liberation Sans, ' ' to '~' (Chromium's fallback for the chart font;
# the dashboard's own Source Sans is narrower, so a label measured with these fits there too).
_GLYPH_EM = (
    .278, .278, .355, .556, .556, .889, .667, .191, .333, .333, .389, .584, .278, .333, .278, .278, .556, .556,
    .556, .556, .556, .556, .556, .556, .556, .556, .278, .278, .584, .584, .584, .556, 1.015, .667, .667, .722,
    .722, .667, .611, .778, .722, .278, .5, .667, .556, .833, .722, .778, .667, .778, .722, .667, .611, .722,
    .667, .944, .667, .667, .611, .278, .278, .278, .469, .556, .333, .556, .556, .5, .556, .556, .278, .556,
    .556, .222, .222, .5, .222, .833, .556, .556, .556, .556, .333, .5, .278, .556, .5, .722, .5, .5, .5, .334,
    .26, .334, .584)
_TAG = re.compile(r"<[^>]+>")


def text_em(text: str, bold: bool = False) -> float:
    """Width of one line of plain or plotly-marked-up text, in em."""
    plain = html.unescape(_TAG.sub("", str(text)))
    width = sum(_GLYPH_EM[ord(c) - 32] if 32 <= ord(c) < 127 else 0.6 for c in plain)
    return width * (1.06 if bold else 1.0)


def short_name(nama_pendek: str) -> str:
    """'Kab. Malang' -> 'Malang': on the map a kabupaten takes the plain name; its kota twin is numbered."""
    return nama_pendek[5:] if nama_pendek.startswith("Kab. ") else nama_pendek


def kota_numbers() -> dict[str, int]:
    """The nine kota numbered 1–9 in code order (1 Kota Kediri … 9 Kota Batu): specks on the map,
    each gets a numbered disc there and a line in the key."""
    frame = region_ref.regions_frame()
    return {kode: number for number, kode in enumerate(sorted(frame.loc[frame["jenis"] == "kota", "kode"]), start=1)}


@lru_cache(maxsize=1)
def _label_data() -> dict[str, dict]:
    labels = geo.map_labels()
    return {row["kode"]: row for row in labels.to_dict("records")}


def abbreviation(kode: str) -> str:
    return str(_label_data()[kode]["singkatan"])


@dataclass(frozen=True)
class Label:
    """One region's label: text inside its region, text outside joined by a leader line, or a number."""
    kode: str
    text: str                                    # plotly markup
    x: float
    y: float
    size: float = 1.0                            # in em (1 or SHRINK)
    position: str = "middle center"              # plotly textposition around (x, y)
    leader: tuple[float, float] | None = None    # where the leader line from (x, y) ends, inside the region
    number: int | None = None                    # drawn on a disc at (x, y) and listed in the key


def _drawn(shapes: Shapes, geometry):
    """A geometry as it appears on screen: y stretched by the map's aspect correction."""
    from shapely import affinity
    return affinity.scale(geometry, 1, shapes.y_scale, origin=(0, 0))


def _label_area(shapes: Shapes, kode: str, em: float):
    """Where a label may lie: the region (as drawn) with the slack, minus the kota discs near it."""
    key = ("area", kode, em)
    if key not in shapes.cache:
        import shapely
        area = _drawn(shapes, shapes.polygons[kode]).buffer(LABEL_SLACK * em)
        discs = _kota_discs(shapes, em)
        if kode not in kota_numbers() and area.intersects(discs):
            area = area.difference(discs)
        shapely.prepare(area)
        shapes.cache[key] = area
    return shapes.cache[key]


def _kota_discs(shapes: Shapes, em: float):
    key = ("discs", em)
    if key not in shapes.cache:
        import shapely
        from shapely.geometry import Point
        radius = (KOTA_DISC / 2 + 0.25) * em
        shapes.cache[key] = shapely.union_all([Point(x, y * shapes.y_scale).buffer(radius, quad_segs=4)
                                               for k, (x, y) in shapes.anchors.items() if k in kota_numbers()])
    return shapes.cache[key]


def _fit(shapes: Shapes, kode: str, width_em: float, height_em: float, em_share: float) -> tuple[float, float] | None:
    """The centre of a width × height (em) text box lying inside the region, as near its pole of
    inaccessibility as possible, or None when the box fits nowhere."""
    width_em = math.ceil(width_em * 10) / 10  # in steps of 0.1 em (rounded up): texts of about one width share a fit
    key = ("fit", kode, width_em, round(height_em, 2), em_share)
    if key in shapes.cache:
        return shapes.cache[key]
    import shapely
    em = em_share * (shapes.x_range[1] - shapes.x_range[0])
    area = _label_area(shapes, kode, em)
    w, h, step = width_em * em, height_em * em, 0.15 * em
    x0, y0, x1, y1 = area.bounds
    gx, gy = np.meshgrid(np.arange(x0 + w / 2, x1 - w / 2 + 1e-9, step), np.arange(y0 + h / 2, y1 - h / 2 + 1e-9, step))
    gx, gy = gx.ravel(), gy.ravel()
    spot = None
    if len(gx):
        # the box's four corners inside is cheap and nearly sufficient; the exact test then runs on few boxes
        corners = np.ones(len(gx), dtype=bool)
        for dx, dy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
            corners &= shapely.contains_xy(area, gx + dx * w / 2, gy + dy * h / 2)
        gx, gy = gx[corners], gy[corners]
        pole_x, pole_y = shapes.anchors[kode][0], shapes.anchors[kode][1] * shapes.y_scale
        for i in np.argsort((gx - pole_x) ** 2 + (gy - pole_y) ** 2):
            if area.contains(shapely.box(gx[i] - w / 2, gy[i] - h / 2, gx[i] + w / 2, gy[i] + h / 2)):
                spot = (float(gx[i]), float(gy[i] / shapes.y_scale))
                break
    shapes.cache[key] = spot
    return spot


def _value_short(row: pd.Series, indicator: Indicator, lang: str) -> str | None:
    if pd.isna(row["nilai"]):
        return None
    mark = QUALIFIER_MARKS.get(row.get("kualifikasi") or "", "")
    return f"{mark}{fmt.value(row['nilai'], indicator.satuan, indicator.desimal, lang)}"


def _inside_label(shapes: Shapes, kode: str, name: str, value: str | None, em_share: float) -> Label | None:
    """Name and value on two lines where they fit, else the name alone; full size first, then smaller."""
    tries = []
    for size in (1.0, SHRINK):
        if value:
            tries.append((size, f"{html.escape(name)}<br><b>{html.escape(value)}</b>",
                          max(text_em(name), text_em(value, bold=True)), INK_EM + LINE_EM))
        tries.append((size, html.escape(name), text_em(name), INK_EM))
    for size, text, width, height in tries:
        spot = _fit(shapes, kode, width * size, height * size, em_share)
        if spot:
            return Label(kode, text, *spot, size=size)
    return None


def place_labels(shapes: Shapes, rows: pd.DataFrame, indicator: Indicator, lang: str = "id",
                 compact: bool = False, highlight: tuple[str, ...] = ()) -> list[Label]:
    """Labels for the region map. Every kota gets its number (1–9); a kabupaten its short name (and
    value) inside where it fits, else the reviewed outside place in data/peta_label.csv with a leader
    line, else a number too (10, 11, …). On a phone (`compact`) only abbreviations that fit inside are
    shown, plus any highlighted region."""
    if shapes.kind != "peta":
        return []
    em_share = EM_SHARE[compact]
    numbers = kota_numbers()
    placed = _label_data()
    labels, next_number = [], len(numbers) + 1
    for kode in shapes.order:
        if kode in numbers:
            labels.append(Label(kode, str(numbers[kode]), *shapes.anchors[kode], number=numbers[kode]))
            continue
        row = rows.loc[kode]
        name = abbreviation(kode) if compact else short_name(str(row["nama_pendek"]))
        value = None if compact else _value_short(row, indicator, lang)
        label = _inside_label(shapes, kode, name, value, em_share)
        if label is None and compact:
            label = Label(kode, html.escape(name), *shapes.anchors[kode]) if kode in highlight else None
        elif label is None and pd.notna(placed[kode]["label_x"]):
            text = html.escape(name) + (f"<br><b>{html.escape(value)}</b>" if value else "")
            label = Label(kode, text, float(placed[kode]["label_x"]), float(placed[kode]["label_y"]),
                          position=placed[kode]["posisi"], leader=shapes.anchors[kode])
        elif label is None:
            label = Label(kode, str(next_number), *shapes.anchors[kode], number=next_number)
            next_number += 1
        if label:
            labels.append(label)
    return labels


def text_box(label: Label, px: float, px_per_x: float, y_scale: float) -> tuple[float, float, float, float]:
    """The (x0, y0, x1, y1) plot-coordinate box a label's text covers when its text is `px` high and
    one x unit is `px_per_x` pixels wide."""
    lines = label.text.split("<br>")
    width = max(text_em(line, bold=line.startswith("<b>")) for line in lines) * label.size * px / px_per_x
    height = (INK_EM + LINE_EM * (len(lines) - 1)) * label.size * px / px_per_x / y_scale
    vertical, horizontal = label.position.split()
    x0 = {"left": label.x - width, "center": label.x - width / 2, "right": label.x}[horizontal]
    y0 = {"top": label.y, "middle": label.y - height / 2, "bottom": label.y - height}[vertical]
    return x0, y0, x0 + width, y0 + height


# ---------------------------------------------------------------- traces (plain dicts: see map_figure)

def _area_trace(kode: str, shapes: Shapes, fill: str | None, lang: str, legend: bool) -> dict:
    x, y = shapes.outlines[kode]
    tiles = shapes.kind == "petak"
    trace = dict(type="scatter", x=x, y=y, mode="lines", fill="toself", hoverinfo="skip", showlegend=False,
                 name=kode, meta=kode, fillcolor=fill, line=dict(color=TILE_EDGE if tiles else BORDER, width=0.6))
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


HIGHLIGHT_NAME = "sorot"


def _highlight_traces(codes: tuple[str, ...], shapes: Shapes) -> list[dict]:
    """A thick outline around each chosen region: orange on a dark halo, visible on every fill."""
    traces = []
    for kode in codes:
        x, y = shapes.outlines[kode]
        for color, width in ((TEXT_DARK, 4.5), (charts.COLOR_HIGHLIGHT, 2.5)):
            traces.append(dict(type="scatter", x=x, y=y, mode="lines", hoverinfo="skip", showlegend=False,
                               name=f"{HIGHLIGHT_NAME}:{kode}", line=dict(color=color, width=width)))
    return traces


def _tile_label_trace(rows: pd.DataFrame, shapes: Shapes, fills: dict, indicator: Indicator, lang: str,
                      compact: bool) -> dict:
    codes = list(shapes.order)
    colors = [label_color(fills[k]) for k in codes]
    if compact:
        values = {k: _value_short(rows.loc[k], indicator, lang) for k in codes}
        # values only when every one fits a 31 px tile; else the abbreviations alone (value on tap/search)
        fits = max(text_em(v or "") for v in values.values()) * TILE_VALUE_PX <= 29
        text = [tile_label_compact(k, values[k] if fits else None) for k in codes]
    else:
        text = [tile_label(rows.loc[k], indicator, lang) for k in codes]
    return dict(type="scatter", x=[shapes.anchors[k][0] for k in codes], y=[shapes.anchors[k][1] for k in codes],
                mode="text", text=text, textfont=dict(size=TILE_LABEL_PX[compact], color=colors), hoverinfo="skip",
                showlegend=False, name="label")


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
        traces.append(dict(type="scatter", x=xs, y=ys, mode="lines", line=dict(color=TEXT_DARK, width=0.9),
                           hoverinfo="skip", showlegend=False, name="leader"))
        traces.append(dict(type="scatter", x=[label.x for label in outside], y=[label.y for label in outside],
                           mode="text", text=[label.text for label in outside],
                           textposition=[label.position for label in outside],
                           textfont=dict(size=px, color=TEXT_DARK), hoverinfo="skip", showlegend=False,
                           name="label_outside", customdata=[label.kode for label in outside]))
    if inside:
        traces.append(dict(type="scatter", x=[label.x for label in inside], y=[label.y for label in inside],
                           mode="text", text=[label.text for label in inside],
                           textfont=dict(size=[round(px * label.size, 1) for label in inside],
                                         color=[label_color(fills[label.kode]) for label in inside]),
                           hoverinfo="skip", showlegend=False, name="label",
                           customdata=[label.kode for label in inside]))
    if numbered:
        chosen = [label.kode in highlight for label in numbered]
        traces.append(dict(
            type="scatter", x=[label.x for label in numbered], y=[label.y for label in numbered], mode="markers+text",
            text=[f"<b>{label.number}</b>" for label in numbered],
            textfont=dict(size=round(px * 0.85, 1), color=[label_color(fills[label.kode]) for label in numbered]),
            marker=dict(size=round(px * KOTA_DISC, 1), color=[fills[label.kode] or NO_DATA_FILL for label in numbered],
                        line=dict(color=[charts.COLOR_HIGHLIGHT if c else TEXT_DARK for c in chosen],
                                  width=[3 if c else 1 for c in chosen]), opacity=1),
            customdata=[int(label.kode) for label in numbered], hovertext=[hover[label.kode] for label in numbered],
            hoverinfo="text", showlegend=False, name="kota",
            selected=dict(marker=dict(opacity=1)), unselected=dict(marker=dict(opacity=1)),
            hoverlabel=dict(bgcolor="white", font=dict(color=TEXT_DARK, size=13))))
    return traces


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


def _colorbar_trace(scale: ColorScale, info: dict) -> dict:
    """Carries the colour bar (two unplotted points spanning the scale) and, in `meta`, what an
    export needs to lay the map out again (kind, label sizes, aspect)."""
    return dict(type="scatter", x=[None, None], y=[None, None], mode="markers", hoverinfo="skip", showlegend=False,
                marker=dict(color=[scale.cmin, scale.cmax], coloraxis="coloraxis"), name="colorbar", meta=info)


# ---------------------------------------------------------------- the kota key

KEY_NAMES, KEY_VALUES = "key", "key_values"


def _key_entries(labels: list[Label], rows: pd.DataFrame, indicator: Indicator, lang: str,
                 compact: bool) -> list[tuple[int, str, str]]:
    entries = []
    for label in sorted((lb for lb in labels if lb.number is not None), key=lambda lb: lb.number):
        name = str(rows.loc[label.kode, "nama_pendek"])
        if compact:
            name = name.removeprefix("Kota ")
        entries.append((label.number, name, _value_short(rows.loc[label.kode], indicator, lang) or "–"))
    return entries


def _key_annotations(entries, shapes: Shapes, px: float, lang: str) -> list[dict]:
    """Numbers and names in one column, values right-aligned in the next, in the sea at the map's
    bottom right (east of Banyuwangi, south of the Kangean islands): inside the figure, so every
    export carries it."""
    heading = f"<b>{html.escape(fmt.t('map_key_heading', lang))}</b>"
    names = [heading] + [f"<b>{number}</b>  {html.escape(name)}" for number, name, _ in entries]
    values = [""] + [html.escape(value) for _, _, value in entries]
    value_width = max(text_em(v) for v in values) * px
    common = dict(xref="x", yref="y", x=shapes.x_range[1], y=shapes.y_range[0], xanchor="right", yanchor="bottom",
                  showarrow=False, font=dict(size=px, color=TEXT_DARK))
    return [dict(text="<br>".join(names), align="left", xshift=-(value_width + KEY_GAP_EM * px), name=KEY_NAMES,
                 **common),
            dict(text="<br>".join(values), align="right", name=KEY_VALUES, **common)]


def _compact_key_annotations(entries, top_px: float, plot_h: float, lang: str,
                             px: float = 11) -> tuple[list[dict], float]:
    """Under the colour bar on a phone: a heading and the entries in columns; returns the
    annotations and the height they take (px)."""
    texts = [f"<b>{number}</b> {html.escape(name)} · {html.escape(value)}" for number, name, value in entries]
    columns = 3 if max(text_em(t) for t in texts) * px <= 112 else 2
    per_column = math.ceil(len(texts) / columns)
    annotations = [dict(text=f"<b>{html.escape(fmt.t('map_key_heading', lang))}</b>", x=0, y=-top_px / plot_h,
                        xref="paper", yref="paper", xanchor="left", yanchor="top", showarrow=False, align="left",
                        font=dict(size=px, color=TEXT_DARK), name=KEY_NAMES)]
    for column in range(columns):
        part = texts[column * per_column:(column + 1) * per_column]
        annotations.append(dict(text="<br>".join(part), x=column / columns, y=-(top_px + px * LINE_EM) / plot_h,
                                xref="paper", yref="paper", xanchor="left", yanchor="top", showarrow=False,
                                align="left", font=dict(size=px, color=TEXT_DARK), name=KEY_VALUES))
    return annotations, px * LINE_EM * (per_column + 1) + 4


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
               source: str, lang: str = "id", synthetic: bool = False, highlight: tuple[str, ...] = (),
               compact: bool = False) -> go.Figure:
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
    info = dict(map=shapes.kind, compact=compact, em_share=EM_SHARE[compact], label_px=px, aspect=shapes.aspect,
                plot_height=plot_h, lang=lang)
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
    return dict(colorscale=scale.colorscale, cmin=scale.cmin, cmax=scale.cmax, colorbar=dict(
        **place, thickness=round(px * 0.85), outlinewidth=0, tickvals=list(scale.tickvals),
        ticktext=list(scale.ticktext), tickfont=dict(size=px - 1),
        title=dict(text=indicator.unit(lang), side=side, font=dict(size=px))))


def _layout(shapes: Shapes, scale: ColorScale, indicator: Indicator, lang: str, has_missing: bool, compact: bool,
            base: dict, entries: list) -> dict:
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
    legend = dict(itemclick=False, itemdoubleclick=False, font=dict(size=px), bgcolor="rgba(255,255,255,0.85)",
                  orientation="h", xanchor="left", yanchor="top", x=0.0)
    if shapes.kind == "petak" and not compact:
        # the grid's empty top-left (row 0 holds only Madura) holds the colour bar; its bottom-left cell the legend
        place = dict(orientation="h", x=0.0, xanchor="left", y=1.0, yanchor="top", len=0.36, lenmode="fraction",
                     side="top")
        legend.update(x=0.0, y=0.0, yanchor="bottom")
    elif compact:
        place = dict(orientation="h", x=0.0, xanchor="left", y=-8 / plot_h, yanchor="top", len=1.0,
                     lenmode="fraction", side="top")
        band = 8 + px * LINE_EM + px + 4 + ticks_px
        if has_missing:
            legend.update(y=-band / plot_h)
            band += px * LINE_EM + 8
    else:
        place = dict(orientation="h", x=0.0, xanchor="left", y=-8 / plot_h, yanchor="top", len=0.42,
                     lenmode="fraction", side="top")  # the unit above the bar: beside it, it would meet a tick
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
        if annotation.get("yref") == "paper" and (annotation.get("y") or 0) < 0 and annotation.get("name") not in (
                KEY_NAMES, KEY_VALUES):
            annotation["yshift"] = (annotation.get("yshift") or 0) - band
    base_margin = base.get("margin", {})
    margin = dict(l=10, r=10, t=base_margin.get("t", 10), b=round(band + base_margin.get("b", 0)))
    y_scale = shapes.y_scale * (COMPACT_TILE_STRETCH if compact and shapes.kind == "petak" else 1.0)
    return dict(
        height=round(plot_h + margin["t"] + margin["b"]),
        margin=margin,
        annotations=annotations,
        hovermode="closest", hoverdistance=24,
        showlegend=has_missing,
        legend=legend,
        coloraxis=_colorbar(scale, indicator, lang, place, px),
        # the map hugs the plot area's bottom left (the colour bar's corner); spare room goes right or up
        xaxis=dict(visible=False, range=list(shapes.x_range), fixedrange=fixed, constrain="domain",
                   constraintoward="left"),
        yaxis=dict(visible=False, range=list(shapes.y_range), fixedrange=fixed, scaleanchor="x",
                   scaleratio=y_scale, constrain="domain", constraintoward="bottom"),
    )


# ---------------------------------------------------------------- exports: the map laid out for each format

PRESS_LABEL_PX = (13, 18)   # label size range in exports (px)
PRESS_TEXT_PX = 15          # colour bar ticks, legend
COLORBAR_SIDE_PX = 150      # a vertical colour bar beside the map, with its ticks and title
COLORBAR_BAND_PX = 104      # a horizontal colour bar under the map: unit, bar, ticks (two lines for the reference)
TILE_STRETCH = (0.67, 1.5)  # how far an export may stretch tiles to fill its format (height / width)


def map_info(fig: go.Figure) -> dict | None:
    """What map_figure recorded for a later layout (kind, compact, label sizes, aspect), or None
    when `fig` is not a map."""
    for trace in fig.data:
        if trace.name == "colorbar" and isinstance(trace.meta, dict) and "map" in trace.meta:
            return trace.meta
    return None


def press_layout(fig: go.Figure, *, width: int, height: int, top: float, captions: float, pad: float) -> None:
    """Lay a map out for an export (in place; export.press_figure calls it on its copy, after the
    title and caption block are placed). A wide format puts the colour bar beside the map, which is
    then as high as the image allows; square and tall formats let the map fill the width and put the
    colour bar under it. Labels, numbers and the key are set in proportion to the drawn map, at the
    size their placement was decided for. Does nothing for a figure that is not a map."""
    info = map_info(fig)
    if info is None:
        return
    # the invisible hover/click points (thousands of markers) mean nothing on paper and slow the render
    fig.data = [t for t in fig.data if not (t.mode == "markers" and t.marker.opacity == 0)]
    avail_w, avail_h = width - 2 * pad, height - top - captions - 12
    if info["map"] == "petak":
        box = _press_tiles(fig, info, avail_w, avail_h)
    else:
        box = _press_regions(fig, info, avail_w, avail_h)
    map_w, map_h, extra_right, extra_below = box
    # the map and what goes with it, centred in the room between the title and the caption block
    spare_h = max(0.0, avail_h - map_h - extra_below)
    margin_t = top + spare_h / 2
    margin_l = pad + max(0.0, (avail_w - map_w - extra_right) / 2)
    margin_b = height - margin_t - map_h
    fig.update_layout(margin=dict(l=margin_l, r=width - margin_l - map_w, t=margin_t, b=margin_b, autoexpand=False),
                      legend_font_size=PRESS_TEXT_PX)
    fig.update_annotations(selector=dict(name="caption"), x=(pad - margin_l) / map_w, yshift=-(margin_b - captions))
    fig.update_coloraxes(colorbar=dict(tickfont_size=PRESS_TEXT_PX, title_font_size=PRESS_TEXT_PX))


def _scale_label_traces(fig: go.Figure, factor: float) -> None:
    for trace in fig.data:
        if trace.name in ("label", "label_outside", "kota", "inset") and trace.mode and "text" in trace.mode:
            size = trace.textfont.size
            trace.textfont.size = ([round(s * factor, 1) for s in size] if isinstance(size, (list, tuple))
                                   else round((size or LABEL_PX[False]) * factor, 1))
        if trace.name == "kota":
            trace.marker.size = round(trace.marker.size * factor, 1)
        if trace.name and trace.name.startswith(HIGHLIGHT_NAME):
            trace.line.width = round(trace.line.width * factor ** 0.5, 1)


INSET_MIN_ZOOM = 1.6        # an enlargement of the kota's surroundings is worth its room from this zoom on
INSET_HEAD_PX = 34          # the enlargement's heading and the gap above it


def _press_regions(fig: go.Figure, info: dict, avail_w: float, avail_h: float) -> tuple[float, float, float, float]:
    aspect = info["aspect"]
    below = min(avail_w, (avail_h - COLORBAR_BAND_PX) * aspect)
    beside = min(avail_w - COLORBAR_SIDE_PX, avail_h * aspect)
    wide = beside > below
    map_w = beside if wide else below
    map_h = map_w / aspect
    label_px = min(max(info["em_share"] * map_w, PRESS_LABEL_PX[0]), PRESS_LABEL_PX[1])
    _scale_label_traces(fig, label_px / info["label_px"])
    fig.update_traces(selector=dict(name="inset", mode="text"), textfont_size=max(PRESS_TEXT_PX - 1, label_px * 0.9))
    _resize_key(fig, label_px)
    if wide:
        fig.update_coloraxes(colorbar=dict(orientation="v", x=1 + 16 / map_w, xanchor="left", y=0.55, yanchor="middle",
                                           len=0.6, lenmode="fraction", thickness=16, title_side="top"))
        fig.update_layout(legend=dict(x=1 + 16 / map_w, y=0.0, xanchor="left", yanchor="bottom", orientation="v"))
        return map_w, map_h, COLORBAR_SIDE_PX, 0.0
    # tall: the room left under the map and its colour bar shows the kota's surroundings enlarged
    inset_h = avail_h - map_h - COLORBAR_BAND_PX - INSET_HEAD_PX
    plot_h = map_h
    if inset_h > 0 and _add_inset(fig, map_w, map_h, inset_h):
        plot_h = avail_h
    fig.layout.yaxis.domain = [1 - map_h / plot_h, 1]
    top_of_band = 1 - map_h / plot_h
    fig.update_coloraxes(colorbar=dict(orientation="h", x=0.0, xanchor="left", y=top_of_band - 10 / plot_h,
                                       yanchor="top", len=0.5, lenmode="fraction", thickness=16, title_side="top"))
    fig.update_layout(legend=dict(x=0.66, y=top_of_band - (10 + PRESS_TEXT_PX * LINE_EM) / plot_h, xanchor="left",
                                  yanchor="top", orientation="h"))
    return map_w, plot_h, 0.0, 0.0 if plot_h > map_h else COLORBAR_BAND_PX


def _kota_box(fig: go.Figure) -> tuple[float, float, float, float]:
    """Lon/lat bounds around the nine kota's outlines, with a little room."""
    numbers = kota_numbers()
    parts = [t for t in fig.data if t.fill == "toself" and t.meta in numbers]
    xs = np.concatenate([np.asarray(t.x, dtype=float) for t in parts])
    ys = np.concatenate([np.asarray(t.y, dtype=float) for t in parts])
    return np.nanmin(xs) - 0.08, np.nanmin(ys) - 0.06, np.nanmax(xs) + 0.08, np.nanmax(ys) + 0.06


def _add_inset(fig: go.Figure, map_w: float, map_h: float, inset_h: float) -> bool:
    """An enlargement of the area around the nine kota, in the room under the map (tall exports):
    their shapes and colours become visible. False (nothing added) when it would enlarge too little."""
    if not any(t.name == "kota" for t in fig.data):
        return False
    x_range, y_range = fig.layout.xaxis.range, fig.layout.yaxis.range
    y_scale = fig.layout.yaxis.scaleratio
    main_px = map_w / (x_range[1] - x_range[0])  # px per degree of longitude on the map
    x0, y0, x1, y1 = _kota_box(fig)
    zoom_px = min(map_w / (x1 - x0), inset_h / ((y1 - y0) * y_scale))
    if zoom_px < INSET_MIN_ZOOM * main_px:
        return False
    # widen the box to the room's shape, so the enlargement fills it
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_w, half_h = map_w / zoom_px / 2, inset_h / zoom_px / y_scale / 2
    box = (cx - half_w, cy - half_h, cx + half_w, cy + half_h)
    plot_h = map_h + COLORBAR_BAND_PX + INSET_HEAD_PX + inset_h
    numbers = kota_numbers()
    copies = [t for t in fig.data if t.fill == "toself" or (t.name or "").startswith(HIGHLIGHT_NAME)]
    for trace in copies:
        copy_ = go.Scatter(trace).update(xaxis="x2", yaxis="y2", showlegend=False, hoverinfo="skip")
        if trace.meta in numbers:  # the kota are what the enlargement is for: a dark edge sets them off
            copy_.update(line=dict(color=TEXT_DARK, width=1.4))
        fig.add_trace(copy_)
    fig.update_layout(
        xaxis2=dict(visible=False, range=[box[0], box[2]], domain=[0, 1], anchor="y2", fixedrange=True),
        yaxis2=dict(visible=False, range=[box[1], box[3]], domain=[0, inset_h / plot_h], anchor="x2",
                    scaleanchor="x2", scaleratio=y_scale, fixedrange=True))
    _inset_kota_labels(fig, box, zoom_px, y_scale, map_w, inset_h)
    frame = dict(type="rect", line=dict(color=charts.COLOR_MUTED, width=1, dash="dot"), fillcolor="rgba(0,0,0,0)",
                 layer="above")
    fig.add_shape(xref="x2 domain", yref="y2 domain", x0=0, y0=0, x1=1, y1=1, **frame)
    fig.add_shape(xref="x", yref="y", x0=box[0], y0=box[1], x1=box[2], y1=box[3], **frame)
    info = map_info(fig)
    fig.add_annotation(text=f"<b>{html.escape(fmt.t('map_inset', info.get('lang', 'id')))}</b>",
                       xref="x2 domain", yref="y2 domain", x=0, y=1, xanchor="left", yanchor="bottom", yshift=4,
                       showarrow=False, font=dict(size=PRESS_TEXT_PX, color=TEXT_DARK), name="inset_heading")
    return True


def _inset_kota_labels(fig: go.Figure, box, zoom_px: float, y_scale: float, width: float, height: float) -> None:
    """'1 Kota Kediri' in a white box beside each kota of the enlargement, with a short line to it;
    each box takes the first of a few places around its kota where it covers no other box or kota
    and stays inside the frame."""
    kota = next(t for t in fig.data if t.name == "kota")
    codes = [str(k) for k in kota.customdata]
    numbers = dict(zip(codes, kota.text))
    poles = dict(zip(codes, zip(kota.x, kota.y)))
    outlines = {t.meta: t for t in fig.data if t.fill == "toself" and t.xaxis in (None, "x") and t.meta in numbers}
    region = region_ref.regions_frame().set_index("kode")["nama"]
    px = PRESS_TEXT_PX

    def to_px(x, y):
        return (x - box[0]) * zoom_px, (y - box[1]) * zoom_px * y_scale

    extents = {}
    for kode in codes:
        xs, ys = np.asarray(outlines[kode].x, dtype=float), np.asarray(outlines[kode].y, dtype=float)
        (x0, y0), (x1, y1) = to_px(np.nanmin(xs), np.nanmin(ys)), to_px(np.nanmax(xs), np.nanmax(ys))
        extents[kode] = (x0, y0, x1, y1)
    taken = list(extents.values())
    for kode in sorted(codes, key=lambda k: extents[k][3], reverse=True):  # top down
        x0, y0, x1, y1 = extents[kode]
        text = f"{numbers[kode]} {html.escape(region[kode])}"
        w, h = text_em(text) * px + 10, px * INK_EM + 8
        rect = None
        for dx, dy in ((1, 0), (-1, 0), (1, 1), (-1, 1), (1, -1), (-1, -1), (0, 1), (0, -1)):
            cx = (x1 + 14 + w / 2) if dx > 0 else (x0 - 14 - w / 2) if dx < 0 else (x0 + x1) / 2
            cy = (y1 + 10 + h / 2) if dy > 0 else (y0 - 10 - h / 2) if dy < 0 else (y0 + y1) / 2
            candidate = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            inside = candidate[0] > 4 and candidate[1] > 4 and candidate[2] < width - 4 and candidate[3] < height - 4
            if inside and all(_apart(candidate, other, 4) for other in taken):
                rect = candidate
                break
        rect = rect or candidate
        taken.append(rect)
        x, y = poles[kode]
        px_x, px_y = to_px(x, y)
        # the line runs from the pole to the box's nearest point
        near_x, near_y = min(max(px_x, rect[0]), rect[2]), min(max(px_y, rect[1]), rect[3])
        fig.add_annotation(text=text, x=float(x), y=float(y), xref="x2", yref="y2",
                           ax=(rect[0] + rect[2]) / 2 - px_x, ay=-((rect[1] + rect[3]) / 2 - px_y),
                           axref="pixel", ayref="pixel", showarrow=True, arrowhead=0, arrowwidth=1.2,
                           arrowcolor=TEXT_DARK, standoff=0,
                           bgcolor="rgba(255,255,255,0.92)", bordercolor=TEXT_DARK, borderwidth=0.8, borderpad=3,
                           font=dict(size=px, color=TEXT_DARK), name="inset_label")


def _apart(a, b, gap: float) -> bool:
    return a[2] + gap < b[0] or b[2] + gap < a[0] or a[3] + gap < b[1] or b[3] + gap < a[1]


def _resize_key(fig: go.Figure, px: float) -> None:
    values = next((a for a in fig.layout.annotations if a.name == KEY_VALUES and a.xref == "x"), None)
    if values is None:
        return
    width = max(text_em(line) for line in values.text.split("<br>")) * px
    fig.update_annotations(selector=dict(name=KEY_VALUES), font_size=px)
    fig.update_annotations(selector=dict(name=KEY_NAMES), font_size=px, xshift=-(width + KEY_GAP_EM * px))


def _press_tiles(fig: go.Figure, info: dict, avail_w: float, avail_h: float) -> tuple[float, float, float, float]:
    """Tiles are abstract: an export stretches them (within TILE_STRETCH) so the grid fills its format,
    and sets the tile text as large as the longest name and three lines allow."""
    aspect = info["aspect"]  # of square tiles
    stretch = min(max(avail_h / avail_w * aspect, TILE_STRETCH[0]), TILE_STRETCH[1])
    map_w = min(avail_w, avail_h * aspect / stretch)
    map_h = map_w / aspect * stretch
    tile_w = map_w / (fig.layout.xaxis.range[1] - fig.layout.xaxis.range[0]) * TILE_SIZE
    tile_h = map_h / (fig.layout.yaxis.range[1] - fig.layout.yaxis.range[0]) * TILE_SIZE
    label = next(t for t in fig.data if t.name == "label")
    widest = max(text_em(line, bold=line.startswith("<b>")) for text in label.text for line in text.split("<br>"))
    label_px = min((tile_w - 8) / widest, tile_h * 0.85 / (INK_EM + 2 * LINE_EM), 20)
    fig.update_yaxes(scaleratio=stretch)
    fig.update_traces(selector=dict(name="label"), textfont_size=round(max(label_px, 12), 1))
    fig.update_coloraxes(colorbar=dict(len=0.36, thickness=16))
    return map_w, map_h, 0.0, 0.0


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
        found.append(dict(
            kode=kode, nama=str(row["nama"]),
            nilai=value_text(row["nilai"], row.get("kualifikasi"), indicator, lang) if has_value else None,
            peringkat=fmt.t("map_rank", lang, rank=int(row["peringkat"]), n=ranked_count)
            if has_value and pd.notna(row["peringkat"]) else None))
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
