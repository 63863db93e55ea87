"""AppTest: every page renders on every dataset, widgets change what is shown, the URL sets the view."""
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = ("views/ringkasan.py", "views/peringkat.py")


def run_app(store_path, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def chart_title(at: AppTest) -> str:
    return json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["title"]["text"]


def plotly_array(data) -> list:
    """Plotly 7 sends numeric arrays as {'dtype': 'f8', 'bdata': base64}; plain lists otherwise."""
    if isinstance(data, dict) and "bdata" in data:
        import base64

        import numpy as np
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return list(data)


def table_column(at: AppTest, index: int, column: str) -> list:
    return at.dataframe[index].value[column].tolist()


@pytest.mark.parametrize("dataset", ["publikasi", "contoh", "resmi"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_every_dataset(store_path, dataset, page):
    at = run_app(store_path, dataset=dataset)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    if dataset == "resmi":
        assert any("belum berisi data" in info.value for info in at.info)
    else:
        assert at.get("plotly_chart"), "chart missing"
    if dataset == "contoh":
        assert any("DATA CONTOH" in err.value for err in at.error)


def test_ringkasan_shows_kpis_top10_and_gaps(store_path):
    at = run_app(store_path, tahun="2025", per="2025-07-31")
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert "Peserta DBHCHT" in labels and "Daerah dengan data" in labels
    title = chart_title(at)
    assert "10 daerah teratas" in title
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    labels_top_down = list(reversed(spec["data"][0]["y"]))
    assert labels_top_down[:3] == ["1. Jember", "2. Ponorogo", "3. Kab. Probolinggo"]
    assert any(e.label.startswith("Daerah tanpa data") for e in at.expander)


def test_peringkat_switching_indicator_changes_the_table(store_path):
    at = run_app(store_path, dataset="contoh", tahun="2025", per="2025-12-31")
    at.switch_page("views/peringkat.py").run()
    first = table_column(at, 0, "Nilai")
    at.selectbox(key="indikator").set_value("peserta_per_1000").run()
    assert not at.exception
    second = table_column(at, 0, "Nilai")
    assert first != second
    assert "per 1.000 penduduk" in chart_title(at)


def test_peringkat_kota_filter_ranks_only_kota(store_path):
    at = run_app(store_path, dataset="contoh", tahun="2025", per="2025-12-31")
    at.switch_page("views/peringkat.py").run()
    at.selectbox(key="jenis").set_value("kota").run()
    regions = table_column(at, 0, "Wilayah")
    assert regions and all(name.startswith("Kota ") for name in regions)


def test_url_reproduces_the_view(store_path):
    at = run_app(store_path, dataset="contoh", tahun="2024", per="2024-12-31", bahasa="en", indikator="capaian_target")
    # AppTest keeps the sidebar in its element tree only for the entry page, so check it there
    assert at.sidebar.selectbox(key="dataset").value == "contoh"
    assert at.sidebar.selectbox(key="tahun").value == 2024
    assert str(at.sidebar.date_input(key="per").value) == "2024-12-31"
    at.switch_page("views/peringkat.py").run()
    assert not at.exception
    assert at.selectbox(key="indikator").value == "capaian_target"
    assert "Attainment of the enrolment target" in chart_title(at)
    assert at.query_params["indikator"] == ["capaian_target"] or at.query_params["indikator"] == "capaian_target"


def test_invalid_url_values_fall_back_to_defaults(store_path):
    at = run_app(store_path, dataset="tidak-ada", tahun="abc", per="kemarin", indikator="x")
    assert not at.exception
    assert at.sidebar.selectbox(key="dataset").value == "publikasi"
    at.switch_page("views/peringkat.py").run()
    assert not at.exception and at.selectbox(key="indikator").value == "peserta_dbhcht"


def test_english_switch_translates_the_page(store_path):
    at = run_app(store_path, bahasa="en", tahun="2025", per="2025-07-31")
    assert not at.exception
    assert at.title[0].value == "East Java DBHCHT Social Security Dashboard"
    assert "Top 10 regions" in chart_title(at)


@pytest.mark.parametrize("dataset", ["publikasi", "contoh"])
def test_peringkat_every_indicator_renders_with_sensible_values(store_path, dataset):
    from analytics import metrics

    at = run_app(store_path, dataset=dataset, tahun="2025", per="2025-12-31")
    at.switch_page("views/peringkat.py").run()
    for indicator_id, indicator in metrics.catalogue().items():
        at.selectbox(key="indikator").set_value(indicator_id).run()
        assert not at.exception, indicator_id
        if not at.get("plotly_chart"):  # nothing ranked: the page must say so, not fail
            assert any("belum berisi data" in i.value for i in at.info) or at.dataframe, indicator_id
            continue
        assert indicator.title("id") in chart_title(at)
        values = plotly_array(json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]["x"])
        assert values, indicator_id
        if indicator_id == "pertumbuhan_peserta":
            assert min(values) >= -100, indicator_id  # a region cannot lose more than all its participants
        else:
            assert min(values) >= 0, indicator_id  # no negative counts, shares or costs
        if indicator.satuan == "persen" and indicator_id != "pertumbuhan_peserta":
            assert max(values) < 1000, indicator_id
        ranks = table_column(at, 0, "Peringkat")
        assert ranks == sorted(ranks) and ranks[0] == 1, indicator_id
