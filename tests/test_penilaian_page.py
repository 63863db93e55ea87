"""The Penilaian page in AppTest: it renders on every dataset in both languages, a slider changes the
order, a link with weights and methods reproduces the view, and the regions not scored say why."""

import json

import pytest

from analytics import ranking, scoring
from tests.apptest import open_page

PAGE = "views/penilaian.py"
ONLY = {c.id: 0 for c in scoring.load_scheme(scoring.DEFAULT_SCHEME).criteria}


def slider_key(criterion: str, scheme: str = scoring.DEFAULT_SCHEME) -> str:
    return f"penilaian_bobot_{scheme}_{criterion}__penilaian"  # views/_state.py: name, page (no language)


def weights_param(**weights) -> str:
    return ",".join(f"{cid}:{w}" for cid, w in {**ONLY, **weights}.items())


def order(at) -> list[str]:
    table = next(df.value for df in at.dataframe if "Skor" in df.value.columns or "Score" in df.value.columns)
    return table.iloc[:, 1].tolist()


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("dataset", ["publikasi", "contoh", "resmi"])
def test_the_page_renders_on_every_dataset(store_path, dataset, lang):
    at = open_page(PAGE, dataset=dataset, tahun="2025", bahasa=lang)
    assert not at.exception, at.exception
    assert len(at.slider) == len(ONLY)
    if dataset == "contoh":
        assert any("DATA CONTOH" in e.value or "SAMPLE DATA" in e.value for e in at.error)
    assert any(("bukan bobot resmi" if lang == "id" else "not an official") in w.value for w in at.warning)


def test_a_slider_changes_the_order(store_path, store_tables):
    at = open_page(PAGE, dataset="contoh", tahun="2025", per="2025-12-31", bobot=weights_param(peserta_per_1000=10))
    assert not at.exception
    per_1000 = ranking.split_ranked(ranking.ranking(store_tables["contoh"], "peserta_per_1000", 2025, "2025-12-31"))[0]
    assert order(at)[0] == per_1000["nama"].iloc[0]  # one criterion: its own ranking
    before = order(at)
    at.slider(key=slider_key("capaian_target")).set_value(10).run()
    assert not at.exception
    assert order(at) != before
    assert "capaian_target:10" in str(at.query_params["bobot"])


def test_a_link_with_weights_and_methods_reproduces_the_view(store_path):
    query = dict(
        dataset="contoh",
        tahun="2025",
        per="2025-12-31",
        skema="setara",
        norm="peringkat",
        agregasi="geometrik",
        hilang="imputasi",
        bobot="peserta_per_1000:9,kebijakan:0,wawancara:2",
    )
    first, second = open_page(PAGE, **query), open_page(PAGE, **query)
    assert not first.exception
    assert order(first) == order(second)
    assert first.slider(key=slider_key("peserta_per_1000", "setara")).value == 9
    assert first.slider(key=slider_key("kebijakan", "setara")).value == 0
    assert first.slider(key=slider_key("capaian_target", "setara")).value == 5  # not in the link: the scheme's
    chart = json.loads(first.get("plotly_chart")[0].proto.spec)
    assert "Bobot setara" in chart["layout"]["meta"]["title"]  # the scheme's title, never its file name
    for name, value in query.items():
        assert first.query_params[name] in (value, [value]) or name == "bobot", name


def test_publikasi_says_which_regions_cannot_be_scored_and_why(store_path):
    at = open_page(PAGE, dataset="publikasi", tahun="2025", per="2025-12-31")
    assert not at.exception
    criteria = next(df.value for df in at.dataframe if "Kriteria" in df.value.columns)
    committee = criteria.set_index("Kriteria").loc[scoring.committee_criteria()["kebijakan"]["id"]]
    assert committee["Daerah bernilai"] == "0 / 38"  # published sources hold no committee scores
    assert any("tidak ada daerah yang punya nilai" in c.value for c in at.caption)
    unscored = next(df.value for df in at.dataframe if "Catatan" in df.value.columns)
    assert len(unscored) and unscored["Catatan"].str.startswith("tidak dinilai").all()


def test_the_coverage_scheme_on_publikasi_follows_the_published_enrolment(store_path):
    """--scheme cakupan as of 2025-07-31: Jember, Ponorogo, then Bangkalan (23.953, published in May
    2025) ahead of Kab. Probolinggo's "lebih dari 18.000" — the figures, not the award's press claim."""
    at = open_page(PAGE, dataset="publikasi", tahun="2025", per="2025-07-31", skema="cakupan")
    assert order(at)[:4] == ["Kabupaten Jember", "Kabupaten Ponorogo", "Kabupaten Bangkalan", "Kabupaten Probolinggo"]
