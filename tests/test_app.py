"""AppTest: every page renders on every dataset, widgets change what is shown, the URL sets the view."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import key, open_page

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = ("views/ringkasan.py", "views/peringkat.py")


def run_app(store_path, page: str | None = None, **query) -> AppTest:
    return open_page(page, **query)


def chart_title(at: AppTest) -> str:
    """The title of the first chart: kept in the figure's layout.meta and written above it as page
    text (on screen a figure draws no title, so it wraps on a phone and the toolbar covers nothing)."""
    layout = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]
    title = layout["meta"]["title"]
    assert "title" not in layout or not layout["title"].get("text"), "a title drawn inside the figure"
    assert any(title in m.value.replace("\\", "") for m in at.markdown), "the title is not on the page"
    return title


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
@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_on_every_dataset(store_path, dataset, path):
    at = run_app(store_path, dataset=dataset)
    at.switch_page(path).run()
    assert not at.exception, at.exception
    if dataset == "resmi":  # empty until a steward imports: the page says so and where to import
        assert any("belum berisi angka" in info.value and "Kelola Data" in info.value for info in at.info)
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
    # Bangkalan's 23.953 (May 2025) is third by 31 July; Kab. Probolinggo's "lebih dari 18.000" fourth
    assert labels_top_down[:4] == ["1. Jember", "2. Ponorogo", "3. Bangkalan", "4. Kab. Probolinggo"]
    assert any(e.label.startswith("Daerah tanpa data") for e in at.expander)


def test_peringkat_switching_indicator_changes_the_table(store_path):
    at = run_app(store_path, dataset="contoh", tahun="2025", per="2025-12-31")
    at.switch_page("views/peringkat.py").run()
    first = table_column(at, 0, "Nilai")
    at.selectbox(key=key(at, "indikator")).set_value("peserta_per_1000").run()
    assert not at.exception
    second = table_column(at, 0, "Nilai")
    assert first != second
    assert "per 1.000 penduduk" in chart_title(at)


def test_peringkat_kota_filter_ranks_only_kota(store_path):
    at = run_app(store_path, dataset="contoh", tahun="2025", per="2025-12-31")
    at.switch_page("views/peringkat.py").run()
    at.selectbox(key=key(at, "peringkat_jenis")).set_value("kota").run()
    regions = table_column(at, 0, "Wilayah")
    assert regions and all(name.startswith("Kota ") for name in regions)


def test_url_reproduces_the_view(store_path):
    at = run_app(
        store_path,
        "views/peringkat.py",
        dataset="contoh",
        tahun="2024",
        per="2024-12-31",
        bahasa="en",
        indikator="capaian_target",
    )
    assert not at.exception
    assert at.selectbox(key=key(at, "dataset")).value == "contoh"
    assert at.selectbox(key=key(at, "tahun")).value == 2024
    assert str(at.date_input(key=key(at, "per")).value) == "2024-12-31"
    assert at.selectbox(key=key(at, "indikator")).value == "capaian_target"
    assert "Attainment of the enrolment target" in chart_title(at)
    for name, value in dict(
        dataset="contoh", tahun="2024", per="2024-12-31", bahasa="en", indikator="capaian_target"
    ).items():
        assert at.query_params[name] in (value, [value]), name


def test_invalid_url_values_fall_back_to_defaults(store_path):
    at = run_app(store_path, dataset="tidak-ada", tahun="abc", per="kemarin", indikator="x")
    assert not at.exception
    assert at.sidebar.selectbox(key=key(at, "dataset")).value == "publikasi"
    at.switch_page("views/peringkat.py").run()
    assert not at.exception and at.selectbox(key=key(at, "indikator")).value == "peserta_dbhcht"


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
        at.selectbox(key=key(at, "indikator")).set_value(indicator_id).run()
        assert not at.exception, indicator_id
        if not at.get("plotly_chart"):  # nothing ranked: the page must say why, not fail
            message = " ".join(i.value for i in at.info)
            assert indicator.title("id") in message and "dihitung dari" in message, indicator_id
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


def test_an_indicator_without_values_says_which_inputs_are_missing_not_that_the_dataset_is_empty(store_path):
    at = run_app(
        store_path,
        "views/peringkat.py",
        dataset="publikasi",
        tahun="2025",
        per="2025-12-31",
        indikator="serapan_anggaran",
    )
    assert not at.exception and not at.get("plotly_chart")
    message = " ".join(i.value for i in at.info)
    assert "Penyerapan" in message or "serapan" in message.lower()
    assert "realisasi pembayaran iuran" in message and "ada untuk 0 daerah" in message
    assert "belum berisi angka" not in message  # the dataset has figures; only this indicator has none
    assert "Kelola Data" in message  # what would fill it
    at = run_app(
        store_path,
        "views/peringkat.py",
        dataset="publikasi",
        tahun="2025",
        per="2025-12-31",
        indikator="serapan_anggaran",
        bahasa="en",
    )
    message = " ".join(i.value for i in at.info)
    assert "has no values for budget year 2025" in message and "available for 0 regions" in message


def test_the_as_of_date_defaults_to_the_newest_figure_of_the_year_and_a_set_date_is_kept(store_path, store_tables):
    import datetime as dt

    from analytics import fmt, series

    newest = {year: series.latest_data_date(store_tables["publikasi"], year) for year in (2024, 2025)}
    assert newest[2025] and newest[2024] and newest[2024] < newest[2025] <= dt.date.today()
    at = run_app(store_path, "views/peringkat.py", dataset="publikasi", tahun="2025")
    assert at.date_input(key=key(at, "per")).value == newest[2025]
    assert fmt.date(newest[2025]) in chart_title(at) or fmt.date(newest[2025]) in " ".join(m.value for m in at.markdown)
    assert "per" not in at.query_params  # the default is not written into a shared link: it follows the data
    at.selectbox(key=key(at, "tahun")).set_value(2024).run()
    assert at.date_input(key=key(at, "per")).value == newest[2024]  # follows the year until the user sets one
    at.date_input(key=key(at, "per")).set_value(dt.date(2024, 7, 31)).run()
    at.selectbox(key=key(at, "tahun")).set_value(2025).run()
    assert at.date_input(key=key(at, "per")).value == dt.date(2024, 7, 31)  # a set date is kept
    assert at.query_params["per"] in ("2024-07-31", ["2024-07-31"])
