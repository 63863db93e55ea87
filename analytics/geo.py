"""Region boundaries: where they are read from, loading and checking them against data/regions.csv.

The polygons (BPS & OCHA ROAP, Indonesia COD-AB 2020, CC BY 3.0 IGO) are never copied into the
repository: they are read from `JAMSOS_GEO`, else from ../shared/geo/ beside the checkout.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from analytics import paths
from analytics import regions as region_ref

PROJECT_DIR = paths.PROJECT_DIR
SHARED_BOUNDARIES = PROJECT_DIR.parent / "shared" / "geo" / "jatim_kabkota_simplified.geojson"


def boundaries_path() -> Path | None:
    """`JAMSOS_GEO` when set (it must exist), else the shared simplified file when present, else None."""
    configured = os.environ.get("JAMSOS_GEO")
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise FileNotFoundError(f"JAMSOS_GEO menunjuk ke berkas yang tidak ada: {path}")
        return path
    return SHARED_BOUNDARIES if SHARED_BOUNDARIES.is_file() else None


def load_boundaries(path: Path | None = None):
    """The 38 polygons as a GeoDataFrame (kode, nama, jenis, geometry), EPSG:4326, checked against regions.csv."""
    import geopandas as gpd  # heavy import, only where boundaries are used

    path = path or boundaries_path()
    if path is None:
        raise FileNotFoundError("Tidak ada berkas batas wilayah: set JAMSOS_GEO (lihat README).")
    frame = gpd.read_file(path)
    frame["kode"] = frame["kode"].astype(str)
    expected = set(region_ref.regions_frame()["kode"])
    if set(frame["kode"]) != expected or len(frame) != len(expected):
        raise ValueError(f"{path}: kode wilayah tidak cocok dengan data/regions.csv")
    return frame.to_crs(4326)[["kode", "nama", "jenis", "geometry"]]


# ---------------------------------------------------------------- lighter geometry for the browser

BROWSER_TOLERANCE = 0.005  # coverage_simplify: ≈ sqrt of the triangle area removed, in degrees (≈ 550 m)
MIN_ISLAND_KM2 = 25.0  # smaller islands are a pixel or less at dashboard size
KM2_PER_DEG2 = 111.32 * 110.57 * 0.9912  # near 7.5° S (cos 7.5° = 0.9914); good enough to sort islands by size


def _drop_small_parts(geometry, min_deg2: float):
    """Keep parts of at least `min_deg2`, and always the largest part (a region never disappears)."""
    from shapely.geometry import MultiPolygon

    parts = sorted(getattr(geometry, "geoms", [geometry]), key=lambda part: part.area, reverse=True)
    kept = [parts[0]] + [part for part in parts[1:] if part.area >= min_deg2]
    return MultiPolygon(kept)


def simplified_boundaries(
    path: Path | None = None, tolerance: float = BROWSER_TOLERANCE, min_island_km2: float = MIN_ISLAND_KM2
):
    """The 38 polygons lightened for drawing: tiny islands dropped, then simplified as a coverage.

    Coverage simplification moves each shared border once for both neighbours, so no slivers or
    gaps open between regions (a per-polygon simplify would).
    """
    import shapely

    frame = load_boundaries(path)
    min_deg2 = min_island_km2 / KM2_PER_DEG2
    geometries = [_drop_small_parts(geometry, min_deg2) for geometry in frame.geometry]
    frame["geometry"] = shapely.coverage_simplify(geometries, tolerance)
    return frame


# ---------------------------------------------------------------- tile grid (no boundaries needed)

TILE_GRID_FILE = paths.DATA_DIR / "tile_grid.csv"


def tile_grid(path: Path = TILE_GRID_FILE):
    """One equal tile per region (kode, row, col; row 0 at the top), checked: 38 codes once, one per cell."""
    import pandas as pd

    grid = pd.read_csv(path, dtype={"kode": str, "row": int, "col": int})
    expected = set(region_ref.regions_frame()["kode"])
    if set(grid["kode"]) != expected or grid["kode"].duplicated().any():
        raise ValueError(f"{path}: setiap kode wilayah (38) harus muncul tepat sekali")
    if grid.duplicated(["row", "col"]).any():
        raise ValueError(f"{path}: dua wilayah menempati petak yang sama")
    return grid


# ---------------------------------------------------------------- map labels (kept as reviewed data)

MAP_LABEL_FILE = paths.DATA_DIR / "peta_label.csv"
TEXT_POSITIONS = {f"{v} {h}" for v in ("top", "middle", "bottom") for h in ("left", "center", "right")}


def map_labels(path: Path = MAP_LABEL_FILE):
    """Per region (kode): `singkatan`, the 2–3 letter abbreviation for phone-sized maps, and for the
    few regions whose name fits nowhere inside them a placed label outside (`label_x`, `label_y` in
    lon/lat, `posisi` = plotly textposition around that point) that a leader line joins to the region."""
    import pandas as pd

    labels = pd.read_csv(path, dtype={"kode": str, "singkatan": str, "posisi": str})
    expected = set(region_ref.regions_frame()["kode"])
    if set(labels["kode"]) != expected or labels["kode"].duplicated().any():
        raise ValueError(f"{path}: setiap kode wilayah (38) harus muncul tepat sekali")
    if labels["singkatan"].isna().any() or (labels["singkatan"].str.len() > 4).any():
        raise ValueError(f"{path}: setiap wilayah butuh singkatan 1–4 huruf")
    placed = labels["label_x"].notna()
    if (placed != labels["label_y"].notna()).any() or not labels.loc[placed, "posisi"].isin(TEXT_POSITIONS).all():
        raise ValueError(f"{path}: label_x, label_y dan posisi (mis. 'top center') diisi bersama")
    return labels


# ---------------------------------------------------------------- neighbours (Bandingkan's peers)


@lru_cache(maxsize=4)
def neighbours(path: Path | None = None) -> dict[str, tuple[str, ...]]:
    """Regions sharing a boundary line (a point contact is not enough), from the polygons once.

    No boundary file -> {} (the dashboard then suggests peers by type and population only).
    """
    try:
        path = path or boundaries_path()
        if path is None or not Path(path).is_file():
            return {}
        shapes = load_boundaries(path).set_index("kode").geometry
    except (OSError, RuntimeError, ValueError, ImportError):  # unreadable or mismatched file: no neighbours
        return {}
    out = {}
    for kode, shape in shapes.items():
        touching = shapes.index[shapes.intersects(shape) & (shapes.index != kode)]
        out[kode] = tuple(sorted(k for k in touching if shape.intersection(shapes[k]).length > 0))
    return out
