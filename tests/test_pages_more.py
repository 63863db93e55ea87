"""AppTest for Tren, Bandingkan and Profil: every dataset renders, the URL sets the view, the
comparison and the profile show what a committee needs."""

import base64
import json
from pathlib import Path

import numpy as np
import plotly.io as pio
import pytest
from streamlit.testing.v1 import AppTest

from analytics import metrics
from tests import apptest
from tests.apptest import key

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = ("views/tren.py", "views/bandingkan.py", "views/profil.py")


def open_page(page: str, **query) -> AppTest:
    return apptest.open_page(page, **query)


def chart_specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def figures(at: AppTest) -> list:
    """The figures as plotly objects (numeric arrays travel base64-encoded in the spec)."""
    return [pio.from_json(chart.proto.spec) for chart in at.get("plotly_chart")]


def numbers(array) -> list:
    """Plotly sends numeric arrays as {'dtype', 'bdata'} (base64); lists stay lists."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def frame_text(at: AppTest) -> str:
    return " ".join(
        df.value.astype(str).to_string() + " " + " ".join(map(str, df.value.columns)) for df in at.dataframe
    )


@pytest.mark.parametrize("dataset", ["publikasi", "contoh", "resmi"])
@pytest.mark.parametrize("path", PAGES)
def test_every_new_page_renders_on_every_dataset(store_path, path, dataset):
    at = open_page(path, dataset=dataset, tahun="2025", per="2025-12-31")
    assert not at.exception, at.exception
    if dataset == "resmi":
        assert any("belum berisi angka" in info.value for info in at.info)
        assert not at.get("plotly_chart")
    else:
        assert at.get("plotly_chart"), "chart missing"
    if dataset == "contoh":
        assert any("DATA CONTOH" in err.value for err in at.error)
        assert all(any(a.get("name") == "watermark" for a in spec["layout"]["annotations"]) for spec in chart_specs(at))


def test_tren_every_indicator_on_contoh(store_path):
    at = open_page("views/tren.py", dataset="contoh", tahun="2025", per="2025-12-31")
    for indicator_id, indicator in metrics.catalogue().items():
        at.selectbox(key=key(at, "indikator")).set_value(indicator_id).run()
        assert not at.exception, (indicator_id, at.exception)
        title = chart_specs(at)[0]["layout"]["meta"]["title"]
        assert indicator.title("id") in title.replace("<br>", " "), indicator_id


def test_tren_on_contoh_draws_monthly_lines_and_the_province_total(store_path):
    at = open_page("views/tren.py", dataset="contoh", tahun="2025", per="2025-12-31")
    fig = figures(at)[0]
    regions = [t for t in fig.data if t.legend in (None, "legend")]
    assert len(regions) == 3 and all(t.mode == "lines" for t in regions)  # the top 3 by default
    assert len(regions[0].x) >= 40  # month ends 2022–2025
    assert any("jumlah daerah berdata" in t.name for t in fig.data)


def test_tren_on_publikasi_shows_dated_points_and_the_published_province_figure(store_path):
    at = open_page("views/tren.py", dataset="publikasi", tahun="2025", per="2025-12-31", wilayah="3502")
    fig = figures(at)[0]
    ponorogo = next(t for t in fig.data if t.name == "Kabupaten Ponorogo")
    assert "lines" not in ponorogo.mode
    assert "lebih dari 29.250" in " ".join(ponorogo.hovertext)
    star = next(t for t in fig.data if "provinsi terbit" in t.name)
    assert numbers(star.y) == [580449] and star.marker.symbol == "star"


def test_tren_single_region_shows_targets_and_attainment(store_path):
    at = open_page("views/tren.py", dataset="contoh", tahun="2025", per="2025-12-31", wilayah="3513")
    names = {t.name for t in figures(at)[0].data}
    assert {"Target murni", "Target PAK"} <= names
    assert any("Realisasi terhadap target" in h.value for h in at.subheader)
    assert "Capaian" in frame_text(at)


def test_bandingkan_url_regions_are_shown_side_by_side(store_path):
    at = open_page("views/bandingkan.py", dataset="publikasi", tahun="2025", per="2025-12-31", wilayah="3509,3502")
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert {"Kabupaten Jember", "Kabupaten Ponorogo"} <= set(table.columns)
    assert len(table) == len(metrics.catalogue())
    jember = table.set_index("Indikator").at["Peserta BPJS TK didanai DBHCHT", "Kabupaten Jember"]
    assert jember.startswith("40.300") and "#1" in jember
    panels = figures(at)  # one small chart per indicator (stacked on a phone)
    assert len(panels) == len(metrics.catalogue()) and set(panels[0].data[0].y) == {"Jember", "Ponorogo"}


def test_bandingkan_asks_for_two_regions(store_path):
    at = open_page("views/bandingkan.py", dataset="contoh", tahun="2025", per="2025-12-31", wilayah="3513")
    assert not at.exception
    assert any("paling sedikit dua" in info.value for info in at.info)
    assert not at.get("plotly_chart")


def test_bandingkan_peer_button_adds_the_region(store_path):
    at = open_page("views/bandingkan.py", dataset="contoh", tahun="2025", per="2025-12-31", wilayah="3574,3509")
    assert any("Kabupaten Probolinggo" in b.label for b in at.button)  # Kota Probolinggo's neighbour
    at.button(key="peer_3513").click().run()
    assert not at.exception
    assert at.multiselect(key=key(at, "bandingkan_wilayah")).value == ["3574", "3509", "3513"]


def test_profil_shows_the_region_and_every_source_behind_it(store_path):
    at = open_page("views/profil.py", dataset="publikasi", tahun="2025", per="2025-12-31", wilayah="3513")
    assert not at.exception, at.exception
    assert any(h.value == "Kabupaten Probolinggo" for h in at.header)
    text = frame_text(at)
    assert "Lensa Update" in text and "Patroli Hukum" in text
    assert "rincian (tidak dijumlah)" in text and "tergantikan angka lebih baru" in text
    indicators = at.dataframe[0].value.set_index("Indikator")
    assert indicators.at["Peserta BPJS TK didanai DBHCHT", "Nilai"] == "25.215"


def test_profil_on_contoh_has_categories_budgets_and_claims(store_path):
    at = open_page("views/profil.py", dataset="contoh", tahun="2025", per="2025-12-31", wilayah="3574")
    assert not at.exception
    assert any(h.value == "Kota Probolinggo" for h in at.header)
    titles = [(spec["layout"].get("meta") or {}).get("title", "") for spec in chart_specs(at)]
    assert any("kategori pekerja" in t for t in titles)
    text = frame_text(at)
    assert "Alokasi DBHCHT" in text and "miliar" in text and "JKM" in text


def test_profil_labels_every_empty_yearly_panel(store_path):
    """A panel without a single value says 'tidak ada data' instead of staying blank."""
    at = open_page("views/profil.py", dataset="publikasi", tahun="2025", per="2025-12-31", wilayah="3513")
    panels = chart_specs(at)[: len(metrics.catalogue())]
    empty = [spec for spec in panels if not any(trace.get("y") for trace in spec["data"])]
    assert empty, "Kab. Probolinggo has indicators without values"
    for spec in empty:
        texts = [a.get("text") for a in spec["layout"].get("annotations", [])]
        assert "tidak ada data" in texts, texts
