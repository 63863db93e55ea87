"""Boundary configuration: JAMSOS_GEO first, then ../shared/geo/, and a check against regions.csv."""

import pytest

from analytics import geo, regions


def test_shared_boundaries_load_and_match_the_38_regions(monkeypatch):
    monkeypatch.delenv("JAMSOS_GEO", raising=False)
    assert geo.boundaries_path() == geo.SHARED_BOUNDARIES
    frame = geo.load_boundaries()
    assert len(frame) == 38 and frame.geometry.is_valid.all()
    names = dict(zip(frame["kode"], frame["nama"]))
    assert all(names[r.kode] == r.nama for r in regions.load_regions())


def test_jamsos_geo_overrides_and_must_exist(monkeypatch, tmp_path):
    monkeypatch.setenv("JAMSOS_GEO", str(geo.SHARED_BOUNDARIES))
    assert geo.boundaries_path() == geo.SHARED_BOUNDARIES
    monkeypatch.setenv("JAMSOS_GEO", str(tmp_path / "hilang.geojson"))
    with pytest.raises(FileNotFoundError, match="JAMSOS_GEO"):
        geo.boundaries_path()


def test_a_boundary_file_with_other_regions_is_refused(tmp_path):
    bad = tmp_path / "bad.geojson"
    bad.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
        '{"kode":"3204","nama":"Kabupaten Bandung","jenis":"Kabupaten"},'
        '"geometry":{"type":"Point","coordinates":[107.6,-7.0]}}]}'
    )
    with pytest.raises(ValueError, match="tidak cocok"):
        geo.load_boundaries(bad)
