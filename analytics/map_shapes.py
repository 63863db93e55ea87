"""Map geometry in plot coordinates (pure): per region its filled outline, its invisible hover/click
points and its label anchor, on real boundaries (lon/lat) or on equal tiles (columns/rows).

Plot coordinates, because maps draws the polygons as go.Scatter paths on a plain cartesian plot
rather than as plotly geo traces (why: analytics.maps). The hover/click points are a grid inside each
polygon (or tile) plus one point per part, so a small kota or island gets one too. Far islands are
moved nearer the mainland into a framed inset, as printed maps do; a label or a kota's number sits at
its region's pole of inaccessibility, clear of the edges.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from analytics import geo
from analytics import regions as region_ref

KINDS = ("peta", "petak")  # region map on real boundaries | tile grid
HIT_SPACING = 0.03  # degrees (≈ 3 km): a few pixels apart at any dashboard width, so hover always finds one
TILE_SIZE = 0.92  # of a grid cell; the rest is the white gap between tiles


@dataclass(frozen=True)
class Inset:
    """Far islands drawn nearer the mainland inside a dashed frame, as printed maps do."""

    label: str
    box: tuple[float, float, float, float]  # lon/lat bounds that select the parts to move
    shift: tuple[float, float]  # degrees added to lon, lat


# Bawean (Gresik) lies 120 km off the coast; in place it would leave a third of the map empty sea.
INSETS = (Inset("P. Bawean", (112.3, -6.2, 113.0, -5.5), (0.0, -0.62)),)


@dataclass(frozen=True)
class Shapes:
    """What a map needs per region, in plot coordinates (lon/lat, or tile columns/rows)."""

    kind: str
    outlines: dict[str, tuple[np.ndarray, np.ndarray]]  # filled rings, NaN between rings
    hits: dict[str, tuple[np.ndarray, np.ndarray]]  # invisible hover/click points inside the region
    anchors: dict[str, tuple[float, float]]  # where a label goes
    order: tuple[str, ...]  # drawing order: kota last, on top of the holes they fill
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    y_scale: float  # plotly scaleratio of y to x
    frames: tuple = ()  # inset frames: ((x0, y0, x1, y1), label)
    polygons: dict = field(default_factory=dict)  # each region's largest part (shapely), for label fitting
    cache: dict = field(default_factory=dict, compare=False, repr=False)  # label fits, filled on use
    source: tuple = field(default=(), compare=False)  # how by_source finds these shapes again (exports)

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
    gx, gy = np.meshgrid(
        np.arange(math.ceil(x0 / spacing), math.floor(x1 / spacing) + 1) * spacing,
        np.arange(math.ceil(y0 / spacing), math.floor(y1 / spacing) + 1) * spacing,
    )
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
    frames = tuple(
        ((x0 - pad, y0 - pad, x1 + pad, y1 + pad), label)
        for label, parts in moved.items()
        if parts
        for x0, y0, x1, y1 in [_bounds(parts)]
    )
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
        x_range=(x0 - pad, x1 + pad),
        y_range=(y0 - pad, y1 + pad),
        y_scale=y_scale,
        frames=frames,
        polygons=largest,
        source=("peta", path, mtime),
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
    return Shapes(
        kind="petak",
        outlines=outlines,
        hits=hits,
        anchors=anchors,
        order=_drawing_order(outlines),
        x_range=(-0.55, grid["col"].max() + 0.55),
        y_range=(-grid["row"].max() - 0.55, 0.55),
        y_scale=1.0,
        source=("petak",),
    )


def by_source(source) -> Shapes | None:
    """The shapes a figure was drawn from, by the `source` it recorded (None when unknown): an
    export lays the map's labels out again at its own size."""
    if source and source[0] == "peta" and len(source) == 3:
        return _boundary_shapes(str(source[1]), float(source[2]))
    if source and source[0] == "petak":
        return tile_shapes()
    return None


def shapes_for(kind: str) -> Shapes:
    """The geometry for a map kind; the tile grid whenever no boundary file is configured."""
    if kind == "peta" and geo.boundaries_path() is not None:
        return boundary_shapes()
    return tile_shapes()
