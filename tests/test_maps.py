"""Maps: tile-grid layout, figure builders (colours, grey no-data, hover text, payload), offline
PNG export, and the Peta page in AppTest."""
import dataclasses
import io
import json
import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from analytics import geo, maps, metrics, regions

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TWINS = {"3571": "3506", "3572": "3505", "3573": "3507", "3574": "3513", "3575": "3514", "3576": "3516",
         "3577": "3519"}  # kota -> kabupaten of the same name
MADURA = ("3526", "3527", "3528", "3529")


def region_table(values: dict[str, float] | None = None, qualifiers: dict[str, str] | None = None) -> pd.DataFrame:
    """A ranking-shaped table for all 38 regions: value 1000 + 100 × position unless given."""
    frame = regions.regions_frame().copy()
    defaults = {kode: 1000.0 + 100 * i for i, kode in enumerate(frame["kode"])}
    frame["nilai"] = [(values or defaults).get(kode, np.nan) for kode in frame["kode"]]
    frame["kualifikasi"] = [(qualifiers or {}).get(kode) for kode in frame["kode"]]
    frame["peringkat"] = frame["nilai"].rank(ascending=False, method="min").astype("Int64")
    frame["catatan"] = [None if pd.notna(v) else "belum ada laporan" for v in frame["nilai"]]
    frame["tanggal_data"] = pd.Timestamp("2025-07-10")
    return frame


def build(kind: str, table: pd.DataFrame, indicator_id: str = "peserta_dbhcht", lang: str = "id",
          indicator: metrics.Indicator | None = None) -> go.Figure:
    indicator = indicator or metrics.catalogue()[indicator_id]
    shapes = maps.boundary_shapes(geo.SHARED_BOUNDARIES) if kind == "peta" else maps.tile_shapes()
    return maps.map_figure(table, indicator, shapes, title=indicator.title(lang), subtitle="2025",
                           source="Sumber: uji", lang=lang)


def areas(fig: go.Figure) -> list:
    return [t for t in fig.data if t.fill == "toself"]


def hits(fig: go.Figure) -> dict[str, go.Scatter]:
    return {t.name: t for t in fig.data if t.mode == "markers" and t.customdata is not None}


def luminance(color: str) -> float:
    return maps._luminance(color)


# ---------------------------------------------------------------- tile grid layout

def test_tile_grid_lists_every_region_once_and_no_two_share_a_cell():
    grid = pd.read_csv(geo.TILE_GRID_FILE, dtype={"kode": str})
    assert list(grid.columns) == ["kode", "row", "col"]
    assert sorted(grid["kode"]) == sorted(r.kode for r in regions.load_regions())
    assert not grid["kode"].duplicated().any()
    assert not grid.duplicated(["row", "col"]).any()
    assert len(geo.tile_grid()) == 38


def test_tile_grid_is_roughly_geographic():
    cell = {k: (r, c) for k, r, c in geo.tile_grid()[["kode", "row", "col"]].itertuples(index=False)}
    for kota, kabupaten in TWINS.items():  # twins share an edge
        (r1, c1), (r2, c2) = cell[kota], cell[kabupaten]
        assert abs(r1 - r2) + abs(c1 - c2) == 1, (kota, kabupaten)
    mainland = [rc for k, rc in cell.items() if k not in MADURA]
    assert all(cell[m][0] < min(r for r, _ in mainland) for m in MADURA)  # Madura above the mainland…
    assert all(cell[m][1] > cell["3578"][1] for m in MADURA)            # …and east of Surabaya
    assert cell["3501"][1] == 0 and cell["3510"][1] == max(c for _, c in mainland)  # Pacitan west, Banyuwangi east


def test_a_bad_tile_grid_is_refused(tmp_path):
    grid = pd.read_csv(geo.TILE_GRID_FILE, dtype={"kode": str})
    shared_cell = grid.copy()
    shared_cell.loc[1, ["row", "col"]] = shared_cell.loc[0, ["row", "col"]].to_numpy()
    shared_cell.to_csv(tmp_path / "a.csv", index=False)
    with pytest.raises(ValueError, match="petak yang sama"):
        geo.tile_grid(tmp_path / "a.csv")
    grid.iloc[1:].to_csv(tmp_path / "b.csv", index=False)
    with pytest.raises(ValueError, match="tepat sekali"):
        geo.tile_grid(tmp_path / "b.csv")


# ---------------------------------------------------------------- geometry for the browser

def test_browser_geometry_is_lighter_and_still_a_clean_coverage():
    import shapely
    full = geo.load_boundaries(geo.SHARED_BOUNDARIES)
    light = geo.simplified_boundaries(geo.SHARED_BOUNDARIES)
    assert shapely.get_num_coordinates(light.geometry.values).sum() < 0.5 * shapely.get_num_coordinates(
        full.geometry.values).sum()
    assert light.geometry.is_valid.all() and list(light["kode"]) == list(full["kode"])
    assert shapely.coverage_is_valid(light.geometry.values)


def test_boundary_geometry_is_cached_per_file_version(tmp_path):
    copy = tmp_path / "batas.geojson"
    shutil.copy(geo.SHARED_BOUNDARIES, copy)
    first = maps.boundary_shapes(copy)
    assert maps.boundary_shapes(copy) is first
    os.utime(copy, (copy.stat().st_atime, copy.stat().st_mtime + 5))
    assert maps.boundary_shapes(copy) is not first


def test_bawean_is_drawn_in_a_framed_inset():
    shapes = maps.boundary_shapes(geo.SHARED_BOUNDARIES)
    (x0, y0, x1, y1), label = shapes.frames[0]
    assert label == "P. Bawean" and y1 < -6.2  # moved from about 5.8° S towards the coast
    gresik_y = shapes.outlines["3525"][1]
    assert np.nanmax(gresik_y) <= y1 and shapes.y_range[1] < -6.0


# ---------------------------------------------------------------- figures

@pytest.mark.parametrize("kind", maps.KINDS)
def test_every_region_is_drawn_and_clickable_by_its_code(kind):
    fig = build(kind, region_table())
    assert len(areas(fig)) == 38
    clickable = hits(fig)
    assert sorted(clickable) == sorted(r.kode for r in regions.load_regions())
    for kode, trace in clickable.items():
        assert set(np.asarray(trace.customdata).tolist()) == {int(kode)} and len(trace.x) >= 1


@pytest.mark.parametrize("kind", maps.KINDS)
def test_the_figure_is_valid_plotly_and_needs_no_network(kind):
    fig = build(kind, region_table())
    go.Figure(fig.to_dict())  # full schema validation (the builder skips it for speed)
    assert {t.type for t in fig.data} == {"scatter"}  # no geo/map traces: nothing to fetch (topojson, tiles)
    assert "http" not in fig.to_json()


@pytest.mark.parametrize("kind", maps.KINDS)
def test_missing_values_are_hatched_grey_with_one_legend_entry(kind):
    values = {r.kode: 5000.0 for r in regions.load_regions() if r.kode not in ("3509", "3578")}
    fig = build(kind, region_table(values))
    grey = [t for t in areas(fig) if t.legendgroup == "no_data"]
    assert len(grey) == 2 and all(t.fillcolor == maps.NO_DATA_FILL and t.fillpattern.shape == "/" for t in grey)
    shown = [t for t in fig.data if t.showlegend]
    assert [t.name for t in shown] == ["tidak ada data"] and fig.layout.showlegend
    assert "tidak ada data" in hits(fig)["3509"].hovertext and "belum ada laporan" in hits(fig)["3509"].hovertext


def test_no_legend_when_every_region_has_data():
    fig = build("petak", region_table())
    assert not fig.layout.showlegend and not any(t.legendgroup == "no_data" for t in fig.data)


def fill_of(fig: go.Figure, kode: str) -> str:
    return next(t.fillcolor for t in areas(fig) if t.name == kode)


def test_darker_is_better_and_the_scale_flips_when_lower_is_better():
    table = region_table()
    low, high = table.loc[table["nilai"].idxmin(), "kode"], table.loc[table["nilai"].idxmax(), "kode"]
    fig = build("petak", table)
    assert luminance(fill_of(fig, high)) < luminance(fill_of(fig, low))
    lower_better = dataclasses.replace(metrics.catalogue()["peserta_dbhcht"], lebih_tinggi_lebih_baik=False)
    flipped = build("petak", table, indicator=lower_better)
    assert luminance(fill_of(flipped, low)) < luminance(fill_of(flipped, high))
    assert fig.layout.coloraxis.colorbar.title.text == "orang"


def test_cost_uses_a_diverging_scale_centred_on_the_reference():
    values = {r.kode: 16_800.0 for r in regions.load_regions()}
    values.update({"3501": 12_800.0, "3502": 20_800.0, "3503": 36_800.0})
    fig = build("petak", region_table(values), "biaya_per_peserta_bulan")
    at_reference, below, above = fill_of(fig, "3504"), fill_of(fig, "3501"), fill_of(fig, "3502")
    assert luminance(at_reference) > max(luminance(below), luminance(above))  # palest at Rp16.800
    assert below != above                                                      # two hues either side
    assert abs(luminance(below) - luminance(above)) < 0.15                     # same distance, similar strength
    colorbar = fig.layout.coloraxis.colorbar
    assert 16_800 in colorbar.tickvals and any("acuan" in t for t in colorbar.ticktext)
    assert fig.layout.coloraxis.cmin >= 0  # no negative costs on the bar


def test_hover_reads_name_value_and_rank_in_indonesian_and_english():
    values = {"3513": 24_250.0, "3509": 40_300.0}
    table = region_table(values, qualifiers={"3513": "lebih dari"})
    fig = build("peta", table)
    hover = hits(fig)["3513"].hovertext
    assert "Kabupaten Probolinggo" in hover and "lebih dari 24.250 orang" in hover
    assert "Peringkat 2 dari 2" in hover and "10 Juli 2025" in hover
    english = hits(build("petak", table, lang="en"))["3509"].hovertext
    assert "40,300 persons" in english and "Rank 1 of 2" in english


def test_tile_labels_show_short_name_and_value():
    fig = build("petak", region_table({"3574": 5062.0, "3509": 48_388.0}))
    labels = next(t for t in fig.data if t.name == "label").text
    assert "Kota<br>Probolinggo<br><b>5.062</b>" in labels and "<br>Jember<br><b>48.388</b>" in labels
    assert "Kab.<br>Malang<br>–" in labels


def test_map_payload_stays_small():
    size = len(build("peta", region_table()).to_json())
    print(f"choropleth figure JSON: {size / 1024:.0f} KB")
    assert size < 400_000


def test_selected_region_reads_the_code_from_a_selection_event():
    assert maps.selected_region({"selection": {"points": [{"customdata": 3509, "curve_number": 40}]}}) == "3509"
    assert maps.selected_region({"selection": {"points": [{"customdata": [3578]}]}}) == "3578"
    assert maps.selected_region({"selection": {"points": [{"x": 1}]}}) is None
    assert maps.selected_region({"selection": {"points": [{"customdata": 9999}]}}) is None
    assert maps.selected_region(None) is None


def test_tile_grid_is_used_without_boundaries(monkeypatch, tmp_path):
    monkeypatch.delenv("JAMSOS_GEO", raising=False)
    monkeypatch.setattr(geo, "SHARED_BOUNDARIES", tmp_path / "tidak-ada.geojson")
    assert geo.boundaries_path() is None
    assert maps.shapes_for("peta").kind == "petak"


def test_png_export_works_offline_with_kaleido():
    """Scatter paths only: kaleido renders without fetching any topojson (TOOLCHAIN §2)."""
    kaleido = pytest.importorskip("kaleido")
    import plotly.io as pio
    from PIL import Image

    pio.defaults.headers = None
    kaleido.start_sync_server(mathjax=False, silence_warnings=True)
    try:
        fig = build("peta", region_table())
        fig.update_layout(template="plotly_white")  # never streamlit's placeholder template
        png = fig.to_image(format="png", width=900, height=600, scale=1)
    finally:
        kaleido.stop_sync_server(silence_warnings=True)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (900, 600)
    assert len(image.convert("RGB").getcolors(maxcolors=1 << 20)) > 50  # a drawn map, not a blank page


# ---------------------------------------------------------------- the page (AppTest)

def run_peta(store_path, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    return at.switch_page("views/peta.py").run()


def spec(at: AppTest) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def trace_names(at: AppTest) -> set[str]:
    return {t.get("name") for t in spec(at)["data"]}


@pytest.mark.parametrize("dataset", ["publikasi", "contoh"])
def test_peta_page_renders_a_map(store_path, dataset):
    at = run_peta(store_path, dataset=dataset, tahun="2025", per="2025-12-31")
    assert not at.exception, at.exception
    figure = spec(at)
    assert figure["layout"]["yaxis"]["scaleanchor"] == "x" and len(figure["data"]) > 76
    assert any("Profil peringkat 1" in link.proto.label for link in at.get("page_link"))
    if dataset == "contoh":
        assert any("DATA CONTOH" in err.value for err in at.error)
        assert any(a.get("name") == "watermark" for a in figure["layout"]["annotations"])


def test_peta_page_on_an_empty_dataset_explains_instead_of_failing(store_path):
    at = run_peta(store_path, dataset="resmi")
    assert not at.exception
    assert any("belum berisi data" in info.value for info in at.info)
    assert not at.get("plotly_chart")


def test_switching_the_indicator_changes_the_map(store_path):
    at = run_peta(store_path, dataset="contoh", tahun="2025", per="2025-12-31")
    before = spec(at)
    at.selectbox(key="indikator").set_value("peserta_per_1000").run()
    assert not at.exception
    after = spec(at)
    assert "per 1.000 penduduk" in after["layout"]["title"]["text"]
    assert after["layout"]["coloraxis"]["colorbar"]["title"]["text"] == "per 1.000 penduduk"
    fills = lambda figure: [t.get("fillcolor") for t in figure["data"] if t.get("fill") == "toself"]  # noqa: E731
    assert fills(before) != fills(after)


def test_url_chooses_the_tile_grid(store_path):
    at = run_peta(store_path, dataset="contoh", tahun="2025", per="2025-12-31", jenis_peta="petak")
    assert not at.exception
    assert at.selectbox(key="jenis_peta").value == "petak"
    assert "label" in trace_names(at) and spec(at)["layout"]["yaxis"]["scaleratio"] == 1


def test_peta_page_falls_back_to_tiles_without_boundaries(store_path, monkeypatch, tmp_path):
    monkeypatch.delenv("JAMSOS_GEO", raising=False)
    monkeypatch.setattr(geo, "SHARED_BOUNDARIES", tmp_path / "tidak-ada.geojson")
    at = run_peta(store_path, dataset="contoh", tahun="2025", per="2025-12-31")
    assert not at.exception
    assert any("JAMSOS_GEO" in info.value for info in at.info)
    assert "label" in trace_names(at)


def test_peta_page_in_english(store_path):
    at = run_peta(store_path, dataset="contoh", tahun="2025", per="2025-12-31", bahasa="en")
    assert not at.exception
    assert at.selectbox(key="jenis_peta").options[0] == "Region map (real boundaries)"
    hover = next(t["hovertext"] for t in spec(at)["data"] if t.get("name") == "3509" and t.get("hovertext"))
    assert "Rank " in hover and "Data as of" in hover


@pytest.mark.parametrize("kind", maps.KINDS)
def test_every_indicator_maps_on_contoh(store_path, kind):
    at = run_peta(store_path, dataset="contoh", tahun="2025", per="2025-12-31", jenis_peta=kind)
    for indicator_id in metrics.catalogue():
        at.selectbox(key="indikator").set_value(indicator_id).run()
        assert not at.exception, (indicator_id, at.exception)
        assert at.get("plotly_chart"), indicator_id  # contoh is complete: every indicator has values


def test_hover_text_escapes_text_from_data():
    import pandas as pd
    from analytics import maps, metrics

    row = pd.Series({"nama": "Kota <b>X</b>", "nilai": 5.0, "kualifikasi": None, "peringkat": 1,
                     "tanggal_data": None, "catatan": "cakupan 3 bulan (<script>alert(1)</script>)"})
    text = maps.hover_text(row, metrics.catalogue()["peserta_dbhcht"], 10)
    assert "<script>" not in text and "&lt;script&gt;" in text and "&lt;b&gt;X&lt;/b&gt;" in text
