"""Sematkan (embed): the snippet carries the whole view, and the embedded page shows that one chart
with its credit line, never downloads; a malformed chart name never reaches the page's CSS."""

import html
import re

import pytest

from tests.apptest import open_page
from views import _embed


def snippet_src(at) -> str:
    """The iframe address in the page's 'Sematkan' snippet (the first chart's)."""
    codes = [c.value for c in at.code if c.value.startswith("<iframe")]
    assert codes, "no iframe snippet on the page"
    return html.unescape(re.search(r'src="([^"]+)"', codes[0])[1])


def credit_line(at) -> str:
    lines = [c.value for c in at.main.caption if "Buka di dasbor" in c.value]
    assert len(lines) == 1, "no credit line"
    return lines[0]


def test_the_snippet_carries_the_view_and_names_the_chart():
    at = open_page(
        "views/peringkat.py", dataset="contoh", tahun="2024", bahasa="en", indikator="capaian_target", jenis="kota"
    )
    assert not at.exception
    src = snippet_src(at)
    query = dict(part.split("=", 1) for part in src.split("?", 1)[1].split("&"))
    assert query["sematkan"] == "ranking_chart" and query["embed"] == "true"
    for name, value in dict(
        dataset="contoh", tahun="2024", bahasa="en", indikator="capaian_target", jenis="kota"
    ).items():
        assert query[name] == value, name
    assert 'title="Attainment of the enrolment target' in [c.value for c in at.code if c.value.startswith("<iframe")][0]


def test_every_chart_of_a_page_gets_its_own_snippet():
    at = open_page("views/penilaian.py", dataset="contoh", tahun="2025")
    assert not at.exception
    names = {re.search(r"sematkan=(\w+)", c.value)[1] for c in at.code if c.value.startswith("<iframe")}
    assert names == {"penilaian_kontribusi", "penilaian_ketidakpastian", "penilaian_sensitivitas"}


@pytest.mark.parametrize(
    "path, chart, query",
    [
        ("views/peringkat.py", "ranking_chart", dict(dataset="publikasi", tahun="2025", per="2025-07-31")),
        ("views/peta.py", "map_chart", dict(dataset="publikasi", tahun="2025")),
        ("views/ringkasan.py", "top10", dict(dataset="contoh")),
        ("views/tren.py", "tren_chart", dict(dataset="contoh")),
        ("views/bandingkan.py", "bandingkan", dict(dataset="contoh")),
        ("views/profil.py", "profil_trend", dict(dataset="contoh", wilayah="3509")),
    ],
)
def test_the_embedded_page_shows_its_chart_and_credit_without_downloads(path, chart, query):
    at = open_page(path, sematkan=chart, **query)
    assert not at.exception, at.exception
    assert chart in at.session_state["_embed_blocks"], "the chart's block was not drawn"
    assert at.get("plotly_chart")
    assert not at.get("download_button") and not at.code, "downloads or snippets in an embedded chart"
    assert not at.warning
    credit = credit_line(at)
    assert credit.startswith("Dasbor Jamsos DBHCHT Jawa Timur · ") and "Buka di dasbor" in credit
    link = re.search(r"\]\(([^)]*)\)", credit)[1]
    assert "sematkan" not in link and "embed" not in link and f"dataset={query['dataset']}" in link
    assert at.query_params["sematkan"] in (chart, [chart]), "the run dropped the embed parameter"


def test_the_alt_text_goes_with_the_embedded_chart():
    at = open_page("views/peringkat.py", dataset="publikasi", tahun="2025", sematkan="ranking_chart")
    texts = [h.proto.body for h in at.get("html") if "jamsos-alt-text" in h.proto.body]
    assert len(texts) == 1 and "Jember" in texts[0]


def test_an_unknown_chart_says_so_and_hides_the_page():
    at = open_page("views/peta.py", dataset="publikasi", sematkan="grafik_lain")
    assert not at.exception
    assert at.warning and "tidak ada di halaman ini" in at.warning[0].value
    assert credit_line(at)


@pytest.mark.parametrize("hostile", ["x}body{display:none", '"><script>alert(1)</script>', "a" * 49, "Peta", ""])
def test_a_malformed_chart_name_never_reaches_the_css(hostile):
    at = open_page("views/peringkat.py", dataset="publikasi", sematkan=hostile)
    assert not at.exception
    styles = [h.proto.body for h in at.get("html") if "st-key-embed__" in h.proto.body]
    assert len(styles) == 1 and ".st-key-embed__- " in styles[0] + " "
    assert hostile == "" or hostile not in styles[0]
    assert at.warning, "a malformed name is a chart that is not there"


def test_the_css_keeps_only_the_block_and_the_credit():
    css = _embed._css("ranking_chart")
    assert '[data-testid="stSidebar"]' in css and "display: none" in css
    assert ":not(.st-key-embed__ranking_chart):not(:has(.st-key-embed__ranking_chart))" in css
    assert ":not(.st-key-embed__credit):not(:has(.st-key-embed__credit))" in css
    assert _embed.CHART_NAME.fullmatch("penilaian_ketidakpastian") and not _embed.CHART_NAME.fullmatch("a-b")
