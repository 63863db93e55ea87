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

from analytics import geo, map_colours, map_labels, map_shapes, map_traces, maps, metrics, regions
from tests.apptest import key, open_page

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TWINS = {
    "3571": "3506",
    "3572": "3505",
    "3573": "3507",
    "3574": "3513",
    "3575": "3514",
    "3576": "3516",
    "3577": "3519",
}  # kota -> kabupaten of the same name
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


def build(
    kind: str,
    table: pd.DataFrame,
    indicator_id: str = "peserta_dbhcht",
    lang: str = "id",
    indicator: metrics.Indicator | None = None,
) -> go.Figure:
    indicator = indicator or metrics.catalogue()[indicator_id]
    shapes = map_shapes.boundary_shapes(geo.SHARED_BOUNDARIES) if kind == "peta" else map_shapes.tile_shapes()
    return maps.map_figure(
        table, indicator, shapes, title=indicator.title(lang), subtitle="2025", source="Sumber: uji", lang=lang
    )


def areas(fig: go.Figure) -> list:
    return [t for t in fig.data if t.fill == "toself"]


def hits(fig: go.Figure) -> dict[str, go.Scatter]:
    return {t.name: t for t in fig.data if t.mode == "markers" and t.customdata is not None}


def luminance(color: str) -> float:
    return map_colours._luminance(color)


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
    assert all(cell[m][1] > cell["3578"][1] for m in MADURA)  # …and east of Surabaya
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
    assert (
        shapely.get_num_coordinates(light.geometry.values).sum()
        < 0.5 * shapely.get_num_coordinates(full.geometry.values).sum()
    )
    assert light.geometry.is_valid.all() and list(light["kode"]) == list(full["kode"])
    assert shapely.coverage_is_valid(light.geometry.values)


def test_boundary_geometry_is_cached_per_file_version(tmp_path):
    copy = tmp_path / "batas.geojson"
    shutil.copy(geo.SHARED_BOUNDARIES, copy)
    first = map_shapes.boundary_shapes(copy)
    assert map_shapes.boundary_shapes(copy) is first
    os.utime(copy, (copy.stat().st_atime, copy.stat().st_mtime + 5))
    assert map_shapes.boundary_shapes(copy) is not first


def test_bawean_is_drawn_in_a_framed_inset():
    shapes = map_shapes.boundary_shapes(geo.SHARED_BOUNDARIES)
    (x0, y0, x1, y1), label = shapes.frames[0]
    assert label == "P. Bawean" and y1 < -6.2  # moved from about 5.8° S towards the coast
    gresik_y = shapes.outlines["3525"][1]
    assert np.nanmax(gresik_y) <= y1 and shapes.y_range[1] < -6.0


# ---------------------------------------------------------------- figures


@pytest.mark.parametrize("kind", map_shapes.KINDS)
def test_every_region_is_drawn_and_clickable_by_its_code(kind):
    fig = build(kind, region_table())
    assert len(areas(fig)) == 38
    clickable = hits(fig)
    assert sorted(clickable) == sorted(r.kode for r in regions.load_regions())
    for kode, trace in clickable.items():
        assert set(np.asarray(trace.customdata).tolist()) == {int(kode)} and len(trace.x) >= 1


@pytest.mark.parametrize("kind", map_shapes.KINDS)
def test_the_figure_is_valid_plotly_and_needs_no_network(kind):
    fig = build(kind, region_table())
    go.Figure(fig.to_dict())  # full schema validation (the builder skips it for speed)
    assert {t.type for t in fig.data} == {"scatter"}  # no geo/map traces: nothing to fetch (topojson, tiles)
    assert "http" not in fig.to_json()


@pytest.mark.parametrize("kind", map_shapes.KINDS)
def test_missing_values_are_hatched_grey_with_one_legend_entry(kind):
    values = {r.kode: 5000.0 for r in regions.load_regions() if r.kode not in ("3509", "3578")}
    fig = build(kind, region_table(values))
    grey = [t for t in areas(fig) if t.legendgroup == "no_data"]
    assert len(grey) == 2 and all(t.fillcolor == map_colours.NO_DATA_FILL and t.fillpattern.shape == "/" for t in grey)
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
    assert below != above  # two hues either side
    assert abs(luminance(below) - luminance(above)) < 0.15  # same distance, similar strength
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
    assert map_shapes.shapes_for("peta").kind == "petak"


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
    return open_page("views/peta.py", **query)


def spec(at: AppTest) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def figure_title(figure: dict) -> str:
    """The chart title: in layout.meta once pages draw titles as HTML above the chart, else in-figure."""
    meta = figure["layout"].get("meta")
    if isinstance(meta, dict) and meta.get("title"):
        return meta["title"]
    return figure["layout"]["title"]["text"]


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
    assert any("belum berisi angka" in info.value for info in at.info)
    assert not at.get("plotly_chart")


def test_switching_the_indicator_changes_the_map(store_path):
    at = run_peta(store_path, dataset="contoh", tahun="2025", per="2025-12-31")
    before = spec(at)
    at.selectbox(key=key(at, "indikator")).set_value("peserta_per_1000").run()
    assert not at.exception
    after = spec(at)
    assert "per 1.000 penduduk" in figure_title(after)
    assert after["layout"]["coloraxis"]["colorbar"]["title"]["text"] == "per 1.000 penduduk"
    fills = lambda figure: [t.get("fillcolor") for t in figure["data"] if t.get("fill") == "toself"]  # noqa: E731
    assert fills(before) != fills(after)


def test_url_chooses_the_tile_grid(store_path):
    at = run_peta(store_path, dataset="contoh", tahun="2025", per="2025-12-31", jenis_peta="petak")
    assert not at.exception
    assert at.selectbox(key=key(at, "jenis_peta")).value == "petak"
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
    assert at.selectbox(key=key(at, "jenis_peta")).options[0] == "Region map (real boundaries)"
    hover = next(t["hovertext"] for t in spec(at)["data"] if t.get("name") == "3509" and t.get("hovertext"))
    assert "Rank " in hover and "Data as of" in hover


@pytest.mark.parametrize("kind", map_shapes.KINDS)
def test_every_indicator_maps_on_contoh(store_path, kind):
    at = run_peta(store_path, dataset="contoh", tahun="2025", per="2025-12-31", jenis_peta=kind)
    for indicator_id in metrics.catalogue():
        at.selectbox(key=key(at, "indikator")).set_value(indicator_id).run()
        assert not at.exception, (indicator_id, at.exception)
        assert at.get("plotly_chart"), indicator_id  # contoh is complete: every indicator has values


def test_hover_text_escapes_text_from_data():
    import pandas as pd

    from analytics import maps, metrics

    row = pd.Series(
        {
            "nama": "Kota <b>X</b>",
            "nilai": 5.0,
            "kualifikasi": None,
            "peringkat": 1,
            "tanggal_data": None,
            "catatan": "cakupan 3 bulan (<script>alert(1)</script>)",
        }
    )
    text = maps.hover_text(row, metrics.catalogue()["peserta_dbhcht"], 10)
    assert "<script>" not in text and "&lt;script&gt;" in text and "&lt;b&gt;X&lt;/b&gt;" in text


# ---------------------------------------------------------------- labels, kota key, highlight (issue 7)

KOTA = tuple(f"35{n}" for n in range(71, 80))


def real_shapes() -> map_shapes.Shapes:
    return map_shapes.boundary_shapes(geo.SHARED_BOUNDARIES)


def traces_named(fig: go.Figure, name: str) -> list:
    return [t for t in fig.data if t.name == name]


def labelled_codes(fig: go.Figure) -> dict[str, str]:
    """Code -> how the region is labelled: 'inside', 'outside' (leader line) or 'number'."""
    found = {}
    for name, how in (("label", "inside"), ("label_outside", "outside"), ("kota", "number")):
        for trace in traces_named(fig, name):
            found.update({str(k): how for k in trace.customdata})
    return found


def test_every_region_gets_a_label_or_a_key_number():
    fig = build("peta", region_table())
    found = labelled_codes(fig)
    assert sorted(found) == sorted(r.kode for r in regions.load_regions())
    assert {k for k, how in found.items() if how == "number"} == set(KOTA)  # the nine kota, and only them
    inside = [k for k, how in found.items() if how == "inside"]
    assert len(inside) >= 25  # most kabupaten carry their name inside
    texts = dict(zip(traces_named(fig, "label")[0].customdata, traces_named(fig, "label")[0].text))
    assert texts["3509"].startswith("Jember") and "Kab." not in "".join(texts.values())


def test_kota_are_numbered_one_to_nine_on_discs_and_in_the_key():
    values = {r.kode: 1000.0 * (i + 1) for i, r in enumerate(regions.load_regions())}
    values.pop("3577")
    fig = build("peta", region_table(values))
    discs = traces_named(fig, "kota")[0]
    assert [str(k) for k in discs.customdata] == list(KOTA)  # drawing order = code order
    assert list(discs.text) == [f"<b>{n}</b>" for n in range(1, 10)]
    assert discs.hovertext[0].startswith("<b>Kota Kediri</b>")  # a disc hovers and clicks like its kota
    # the disc takes the kota's own fill, so a speck's colour can be read; grey without data
    fills = {t.name: t.fillcolor for t in areas(fig)}
    assert discs.marker.color[0] == fills["3571"] and discs.marker.color[6] == map_colours.NO_DATA_FILL
    key = next(a for a in fig.layout.annotations if a.name == map_labels.KEY_NAMES)
    values_column = next(a for a in fig.layout.annotations if a.name == map_labels.KEY_VALUES)
    lines = key.text.split("<br>")
    assert lines[1] == "<b>1</b>  Kota Kediri" and lines[9] == "<b>9</b>  Kota Batu" and len(lines) == 10
    assert values_column.text.split("<br>")[7] == "–" and values_column.text.split("<br>")[1] == "30.000"
    assert key.xref == "x" and key.yref == "y"  # in the figure (in the sea), so every export carries it


def test_labels_lie_inside_their_region_or_have_a_leader_line():
    import shapely

    shapes = real_shapes()
    rows = maps._rows(region_table(), shapes.order)
    indicator = metrics.catalogue()["peserta_dbhcht"]
    labels = map_labels.place_labels(shapes, rows, indicator)
    map_px = 1016  # a 1080 px export; labels are set to map_labels.EM_SHARE of the map width there
    px = map_labels.EM_SHARE[False] * map_px
    px_per_x = map_px / (shapes.x_range[1] - shapes.x_range[0])
    drawn = {k: map_labels._drawn(shapes, p) for k, p in shapes.polygons.items()}
    land = shapely.union_all(list(drawn.values()))
    for label in labels:
        x0, y0, x1, y1 = map_labels.text_box(label, px, px_per_x, shapes.y_scale)
        box = map_labels._drawn(shapes, shapely.box(x0, y0, x1, y1))
        if label.number is not None:
            assert drawn[label.kode].buffer(1e-3).contains(shapely.Point(label.x, label.y * shapes.y_scale))
        elif label.leader is None:
            em = map_labels.EM_SHARE[False] * (shapes.x_range[1] - shapes.x_range[0])
            assert drawn[label.kode].buffer(map_labels.LABEL_SLACK * em + 1e-6).contains(box), label
        else:  # outside: the text in the sea, the leader line ending in its region
            assert not box.intersects(land), label
            assert drawn[label.kode].contains(shapely.Point(label.leader[0], label.leader[1] * shapes.y_scale))
    leaders = traces_named(build("peta", region_table()), "leader")[0]
    assert len(leaders.x) == 3 * sum(1 for label in labels if label.leader)


def test_placed_labels_cover_every_name_that_fits_nowhere():
    """A boundary or name change that leaves a kabupaten without room must get a reviewed place in
    data/peta_label.csv, not a silent fallback number."""
    shapes = real_shapes()
    rows = maps._rows(region_table({}), shapes.order)  # no values: names alone
    labels = map_labels.place_labels(shapes, rows, metrics.catalogue()["peserta_dbhcht"])
    assert max(label.number or 0 for label in labels) == 9


def test_label_text_contrasts_with_its_fill():
    fig = build("peta", region_table())
    fills = {t.name: t.fillcolor for t in areas(fig)}
    label = traces_named(fig, "label")[0]
    for kode, color in zip(label.customdata, label.textfont.color):
        assert color == map_colours.label_color(fills[kode])
    darkest = max(fills, key=lambda k: -luminance(fills[k]))
    assert map_colours.label_color(fills[darkest]) == "white"


def test_map_labels_file_lists_every_region_with_an_abbreviation(tmp_path):
    labels = geo.map_labels()
    assert sorted(labels["kode"]) == sorted(r.kode for r in regions.load_regions())
    kabupaten = labels[labels["kode"] < "3571"]
    assert not kabupaten["singkatan"].duplicated().any()  # a twin kota may share its kabupaten's letters
    placed = labels.dropna(subset=["label_x"])
    assert set(placed["kode"]) <= set(kabupaten["kode"]) and placed["posisi"].isin(geo.TEXT_POSITIONS).all()
    broken = labels.copy()
    broken.loc[0, "posisi"] = None
    broken.loc[0, "label_x"] = 111.0
    broken.to_csv(tmp_path / "a.csv", index=False)
    with pytest.raises(ValueError, match="posisi"):
        geo.map_labels(tmp_path / "a.csv")


@pytest.mark.parametrize("kind", map_shapes.KINDS)
def test_highlight_outlines_exactly_the_chosen_regions(kind):
    shapes = real_shapes() if kind == "peta" else map_shapes.tile_shapes()
    indicator = metrics.catalogue()["peserta_dbhcht"]
    fig = maps.map_figure(
        region_table(), indicator, shapes, title="t", subtitle="s", source="src", highlight=("3509", "3573", "9999")
    )
    outlined = [t for t in fig.data if t.name.startswith(map_traces.HIGHLIGHT_NAME + ":")]
    assert {t.name.split(":")[1] for t in outlined} == {"3509", "3573"}  # unknown codes ignored
    for trace in outlined:
        assert trace.fill is None and trace.line.width >= 2.5
        np.testing.assert_array_equal(trace.x, shapes.outlines[trace.name.split(":")[1]][0])
    assert fill_of(fig, "3509") == fill_of(build(kind, region_table()), "3509")  # fills unchanged
    assert not any(t.name.startswith(map_traces.HIGHLIGHT_NAME) for t in build(kind, region_table()).data)
    if kind == "peta":  # a kota's outline is a speck: its numbered disc gets the highlight ring too
        discs = traces_named(fig, "kota")[0]
        rings = dict(zip((str(k) for k in discs.customdata), discs.marker.line.color))
        assert rings["3573"] == maps.charts.COLOR_HIGHLIGHT and rings["3571"] == map_labels.TEXT_DARK
    go.Figure(fig.to_dict())


def test_found_regions_reads_value_and_rank_for_the_search():
    table = region_table({"3509": 40_300.0, "3513": 24_250.0}, qualifiers={"3513": "lebih dari"})
    found = maps.found_regions(table, ["3513", "3578"], metrics.catalogue()["peserta_dbhcht"])
    assert found[0] == dict(
        kode="3513", nama="Kabupaten Probolinggo", nilai="lebih dari 24.250 orang", peringkat="Peringkat 2 dari 2"
    )
    assert found[1]["nama"] == "Kota Surabaya" and found[1]["nilai"] is None and found[1]["peringkat"] is None


# ---------------------------------------------------------------- phone layout


@pytest.mark.parametrize("kind", map_shapes.KINDS)
def test_compact_layout_puts_the_colour_bar_under_a_lower_map(kind):
    shapes = real_shapes() if kind == "peta" else map_shapes.tile_shapes()
    indicator = metrics.catalogue()["peserta_dbhcht"]
    values = {r.kode: 5000.0 + i for i, r in enumerate(regions.load_regions()) if r.kode != "3509"}
    args = dict(title="t", subtitle="s", source="src")
    wide = maps.map_figure(region_table(values), indicator, shapes, **args)
    phone = maps.map_figure(region_table(values), indicator, shapes, compact=True, **args)
    go.Figure(phone.to_dict())
    bar = phone.layout.coloraxis.colorbar
    assert bar.orientation == "h" and bar.y < 0 and bar.yanchor == "top" and bar.len == 1  # under the map, full width
    assert phone.layout.legend.y < bar.y  # the no-data legend under the colour bar
    plot_height = lambda f: f.layout.height - f.layout.margin.t - f.layout.margin.b  # noqa: E731
    assert plot_height(phone) < 0.6 * plot_height(wide) and phone.layout.height < wide.layout.height
    if kind == "peta":
        assert wide.layout.coloraxis.colorbar.orientation == "h" and wide.layout.coloraxis.colorbar.y < 0
        found = labelled_codes(phone)
        assert {k for k, how in found.items() if how == "number"} == set(KOTA)  # the kota key stays
        assert "outside" not in found.values() and len(found) < len(labelled_codes(wide))  # fewer labels
        label = traces_named(phone, "label")[0]
        texts = dict(zip(label.customdata, label.text))
        assert texts["3510"] == "BWI" and max(label.textfont.size) <= map_labels.LABEL_PX[True]
        key = [a for a in phone.layout.annotations if a.name in (map_labels.KEY_NAMES, map_labels.KEY_VALUES)]
        assert key and all(a.yref == "paper" and a.y < bar.y for a in key)  # the key under the colour bar
        assert "<b>1</b> Kediri · 5.029" in " ".join(a.text for a in key)  # 3509 left out: Kota Kediri is 30th
    else:
        texts = traces_named(phone, "label")[0].text
        order = list(shapes.order)
        assert "<b>JBR</b>" in texts[order.index("3509")] and "kota" in texts[order.index("3573")]
        assert phone.layout.yaxis.scaleratio == pytest.approx(maps.COMPACT_TILE_STRETCH)  # tall tiles


# ---------------------------------------------------------------- exports


def map_meta(kind: str = "peta"):
    from analytics import export

    return export.ExportMeta(
        title="Peserta BPJS TK didanai DBHCHT",
        subtitle="Tahun anggaran 2025",
        source="Sumber: uji",
        dataset="contoh",
        synthetic=True,
        notes=("Batas wilayah: BPS & OCHA ROAP",) if kind == "peta" else (),
    )


def plot_box(fig: go.Figure) -> tuple[float, float]:
    """Height and width (px) of the plot area of a laid-out figure."""
    margin = fig.layout.margin
    return fig.layout.height - margin.t - margin.b, fig.layout.width - margin.l - margin.r


@pytest.mark.parametrize("kind", map_shapes.KINDS)
@pytest.mark.parametrize("size", ["4:5", "9:16"])
def test_tall_exports_use_the_height(kind, size):
    """Phone-legible type takes more of the image for the head and caption; the map and what goes
    with it fill most of the rest, the map as wide as the image."""
    from analytics import export

    fig = export.press_figure(build(kind, region_table()), map_meta(kind), size)
    go.Figure(fig.to_dict())
    height, width = plot_box(fig)
    assert height >= {"4:5": 0.55, "9:16": 0.6}[size] * fig.layout.height and width >= 0.9 * fig.layout.width
    assert not any(t.mode == "markers" and t.marker.opacity == 0 for t in fig.data)  # no hover points on paper
    if kind == "peta":  # under the map: the colour bar and the kota key, then (story size) the kota enlarged
        assert fig.layout.yaxis.domain[0] > 0.3
        assert fig.layout.coloraxis.colorbar.orientation == "h" and fig.layout.coloraxis.colorbar.y < 1
        key = " ".join(
            a.text for a in fig.layout.annotations if a.name in (map_labels.KEY_NAMES, map_labels.KEY_VALUES)
        )
        assert "Kota (nomor di peta)" in key and "<b>1</b> Kediri" in key
        if size == "9:16":
            assert fig.layout.yaxis2.domain[1] < fig.layout.yaxis.domain[0]
            insets = [a.text for a in fig.layout.annotations if a.name == "inset_label"]
            assert len(insets) == 9 and "<b>1</b> Kota Kediri" in insets
            assert all(t.xaxis == "x2" for t in fig.data if t.fill == "toself" and t.xaxis not in (None, "x"))
    else:  # tiles stretched to fill the format
        assert fig.layout.yaxis.scaleratio > 1.2


def test_wide_export_puts_the_colour_bar_and_key_beside_the_map():
    from analytics import export

    fig = export.press_figure(build("peta", region_table()), map_meta(), "16:9")
    height, width = plot_box(fig)
    assert fig.layout.coloraxis.colorbar.x > 1  # right of the map, with the key under it
    key = next(a for a in fig.layout.annotations if a.name == map_labels.KEY_NAMES)
    assert key.x > 1 and "Kediri" in key.text
    assert height >= 0.45 * fig.layout.height and width >= 0.45 * fig.layout.width


@pytest.mark.parametrize("size", ["16:9", "1:1", "4:5"])
def test_export_text_is_readable_at_print_size(size):
    """Labels, kota numbers and the key scale with the drawn map; at 1080 px wide none below 13 px."""
    from analytics import export

    fig = export.press_figure(build("peta", region_table()), map_meta(), size)
    label_sizes = [s for t in traces_named(fig, "label") for s in t.textfont.size]
    assert min(label_sizes) >= 13 * map_labels.SHRINK - 0.1 and max(label_sizes) >= 13
    assert traces_named(fig, "label_outside")[0].textfont.size >= 13
    assert traces_named(fig, "kota")[0].textfont.size >= 11 and traces_named(fig, "kota")[0].marker.size >= 19
    key = next(a for a in fig.layout.annotations if a.name == map_labels.KEY_NAMES)
    assert key.font.size >= 13
    caption = next(a for a in fig.layout.annotations if a.name == "caption")
    assert "Batas wilayah" in caption.text


@pytest.fixture(scope="module")
def image_server():
    from analytics import export

    yield export
    export.stop_image_server()


@pytest.mark.parametrize("kind", map_shapes.KINDS)
def test_exported_map_images_have_the_press_size(image_server, kind, tmp_path):
    from PIL import Image

    export = image_server
    figure = build(kind, region_table(), indicator=None)
    for size in export.SIZES:
        png = export.image_bytes(export.press_figure(figure, map_meta(kind), size), "png", size)
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG" and image.size == export.SIZES[size]
        assert len(image.convert("RGB").getcolors(maxcolors=1 << 20)) > 50
    svg = export.image_bytes(export.press_figure(figure, map_meta(kind), "4:5"), "svg", "4:5").decode()
    # labels and key are in the file: on the map the key names the kota; tiles read abbreviations
    assert ("Kediri" in svg and "Jember" in svg) if kind == "peta" else (">JBR<" in svg and "Kota" not in svg)


# ---------------------------------------------------------------- the page: region search


def test_region_search_from_the_url_outlines_and_states_the_value(store_path):
    at = run_peta(store_path, dataset="contoh", tahun="2025", per="2025-12-31", sorot="3509,3573")
    assert not at.exception, at.exception
    assert at.multiselect(key=key(at, "peta_sorot")).value == ["3509", "3573"]
    names = trace_names(at)
    assert {"sorot:3509", "sorot:3573"} <= names and not any(
        n.startswith("sorot:35") and n[6:] not in ("3509", "3573") for n in names
    )
    text = " ".join(md.value for md in at.markdown)
    assert "Kabupaten Jember" in text and "Peringkat" in text and "Kota Malang" in text
    at.multiselect(key=key(at, "peta_sorot")).set_value(["3578"]).run()
    assert not at.exception
    assert at.query_params["sorot"] == ["3578"] or at.query_params["sorot"] == "3578"
    assert "sorot:3578" in trace_names(at) and "sorot:3509" not in trace_names(at)
