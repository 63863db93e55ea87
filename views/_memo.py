"""The one cache every page's model and figures live in, shared by all sessions' threads.

A page reruns on every click. What it shows for a view (dataset, year, as-of date, language, the
page's own choices) and one store version never changes, so each page builds it once as a *page
model* (the frames, texts and figures it renders, built by analytics functions) and keeps it here;
a warm rerun only hands the model to Streamlit. The key always carries the store's stamp, so an
import or roll-back gives new models on the next rerun, and old ones age out.

Everything kept here is shared and must never be changed by a page: exports and panels work on
copies (analytics.press_layout copies a figure before laying it out).
"""

from __future__ import annotations

import collections
import threading

import plotly.graph_objects as go
import streamlit as st

MEMO_ENTRIES = 512  # page models and figures kept (a grid's every panel is one)


@st.cache_resource(show_spinner=False)
def _memo() -> tuple:
    return collections.OrderedDict(), threading.Lock()


def memo(key: tuple, build):
    """`build()` once per key, shared by every session; the MEMO_ENTRIES most recent are kept.

    The lock guards the dict only: a value is built outside it, so two sessions may both build
    one (the second result is dropped) but no session waits for another's build."""
    entries, lock = _memo()
    with lock:
        if key in entries:
            entries.move_to_end(key)
            return entries[key]
    value = build()
    with lock:
        value = entries.setdefault(key, value)
        entries.move_to_end(key)
        while len(entries) > MEMO_ENTRIES:
            entries.popitem(last=False)
    return value


def clear() -> None:
    entries, lock = _memo()
    with lock:
        entries.clear()


def shared_figure(fig):
    """A kept figure that gives Streamlit its dictionary without rebuilding it on every rerun.

    st.plotly_chart asks the figure for `to_dict()` each run: a deep copy of every trace, and
    base64 packing of every array (a map: ~20 ms). A kept figure is never changed, so its
    dictionary is made once; each caller gets fresh trace and layout dicts on top, because
    plotly's JSON writer removes trace uids from the dict it is given."""
    if not isinstance(fig, go.Figure):
        return fig
    whole = fig.to_dict()

    def to_dict() -> dict:
        out = {"data": [dict(trace) for trace in whole["data"]], "layout": dict(whole["layout"])}
        if "frames" in whole:
            out["frames"] = whole["frames"]
        return out

    fig.to_dict = to_dict  # an instance attribute: BaseFigure lets known names through
    return fig


def alt_text(fig, meta, describe) -> str:
    """`describe()` (a chart's text alternative, which words the data the figure was drawn from)
    once per kept figure and export metadata. The entry holds the figure, so its id is not
    reused by another figure while the entry lives; a figure not from the memo is described anew."""
    if not _kept(fig):
        return describe()
    return memo(("alt", id(fig), meta), lambda: (fig, describe()))[1]


def _kept(fig) -> bool:
    entries, lock = _memo()
    with lock:
        return any(value is fig for value in entries.values())
