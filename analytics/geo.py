"""Region boundaries: where they are read from, loading and checking them against data/regions.csv.

The polygons (BPS & OCHA ROAP, Indonesia COD-AB 2020, CC BY 3.0 IGO) are never copied into the
repository: they are read from `JAMSOS_GEO`, else from ../shared/geo/ beside the checkout.
"""
from __future__ import annotations

import os
from pathlib import Path

from analytics import regions as region_ref

PROJECT_DIR = Path(__file__).resolve().parent.parent
SHARED_BOUNDARIES = PROJECT_DIR.parent / "shared" / "geo" / "jatim_kabkota_simplified.geojson"
ATTRIBUTION = ("Batas wilayah: BPS – Statistics Indonesia & OCHA ROAP, Indonesia COD-AB 2020 (HDX cod-ab-idn), "
               "CC BY 3.0 IGO. Poligon kab/kota digabung dari poligon desa dan disederhanakan (diubah).")


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
