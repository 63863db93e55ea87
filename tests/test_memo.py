"""views/_memo.py: the one cache of page models and figures that every session shares."""

import plotly.graph_objects as go
import pytest

from views import _memo


@pytest.fixture(autouse=True)
def empty_memo():
    _memo.clear()
    yield
    _memo.clear()


def _figure() -> go.Figure:
    fig = go.Figure(go.Bar(x=[3.5, 1.25, 2.0], y=["Jember", "Ponorogo", "Probolinggo"], orientation="h"))
    fig.update_layout(title_text="Peserta", meta={"title": "Peserta"})
    return fig


def test_a_shared_figure_gives_plotly_the_same_dictionary_every_time():
    expected = _figure().to_dict()
    shared = _memo.shared_figure(_figure())
    first = shared.to_dict()
    assert first == expected
    first["data"][0]["uid"] = "changed by a caller"  # plotly's JSON writer pops uids from what it gets
    first["layout"]["title"] = "changed"
    assert shared.to_dict() == expected
    assert go.Figure(shared).to_dict() == expected  # a copy (exports) is an ordinary figure


def test_memo_builds_once_per_key_and_keeps_the_newest():
    calls = []

    def build(key):
        calls.append(key)
        return {"for": key}

    assert _memo.memo(("a",), lambda: build("a")) == {"for": "a"}
    assert _memo.memo(("a",), lambda: build("a")) == {"for": "a"}
    assert calls == ["a"]
    for n in range(_memo.MEMO_ENTRIES):
        _memo.memo(("n", n), lambda n=n: build(n))
    _memo.memo(("a",), lambda: build("a"))  # evicted by the newer ones: built again
    assert calls.count("a") == 2


def test_a_kept_figure_is_described_once_and_another_figure_each_time():
    kept = _memo.memo(("figure", "x"), lambda: _memo.shared_figure(_figure()))
    described = []

    def describe():
        described.append(1)
        return "Diagram batang: Peserta."

    assert _memo.alt_text(kept, ("meta",), describe) == "Diagram batang: Peserta."
    assert _memo.alt_text(kept, ("meta",), describe) == "Diagram batang: Peserta."
    assert len(described) == 1
    loose = _figure()  # not from the memo: its id may be reused once it is gone, so never kept
    _memo.alt_text(loose, ("meta",), describe)
    _memo.alt_text(loose, ("meta",), describe)
    assert len(described) == 3
