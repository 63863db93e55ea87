"""Sematkan (embed): one chart of the current view, live, in an iframe on another website.

A Pemda website or a newsroom pastes the snippet; the iframe opens the same page with the same
URL (the whole view state), plus `sematkan=<chart>` and Streamlit's own `embed=true` (no toolbar,
no padding). The page runs as usual, so the embedded chart is exactly the one on the page, built
from the store as it is now; everything but that chart's block (its heading, the figure, its
source line and its text alternative) and a short credit line is hidden by CSS. The credit line
names the dashboard, the dataset and the as-of date and links to the full view.

Why CSS instead of a separate chart-only renderer: the chart is then the page's own, with every
choice the page makes (the phone map, rank changes among comparable regions, notes), and no
second code path can drift from it. The value of `sematkan` only ever reaches CSS and HTML after
it matched CHART_NAME.
"""

from __future__ import annotations

import html
import re
import urllib.parse

import streamlit as st

from analytics import fmt

PARAM = "sematkan"
CHART_NAME = re.compile(r"[a-z0-9_]{1,48}")
_BLOCKS = "_embed_blocks"  # chart name -> its container, for this run
_HEIGHTS = "_embed_heights"  # chart name -> the iframe height its snippet asks for
EXTRA_PX = 190  # heading, source line, credit line and the iframe's own padding


def requested() -> str | None:
    """The chart this run shows alone, or None (not embedded, or a name that is no chart name)."""
    raw = st.query_params.get(PARAM)
    return raw if raw is not None and CHART_NAME.fullmatch(raw) else None


def active() -> bool:
    return PARAM in st.query_params


def begin() -> None:
    """Before the page: forget last run's blocks; when embedded, keep the parameter in the URL
    (a completed run drops parameters no widget wrote) and hide all but the chart."""
    st.session_state[_BLOCKS], st.session_state[_HEIGHTS] = {}, {}
    if not active():
        return
    from views import _state

    _state.own(PARAM)
    name = requested() or "-"
    st.html(f"<style>{_css(name)}</style>")


def _css(name: str) -> str:
    """Everything in the main area hidden except the block `name` (and what holds it) and the
    credit line; the sidebar and its toggle hidden."""
    block, credit = f".st-key-embed__{name}", ".st-key-embed__credit"
    keep = f":not({block}):not(:has({block})):not({credit}):not(:has({credit}))"  # what may not go
    inside = f":not({block} *):not({block}):not({credit} *):not({credit})"  # blocks whose children may go
    return (
        '[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],'
        ' [data-testid="stExpandSidebarButton"] { display: none !important; }\n'
        f'.stMain [data-testid="stVerticalBlock"]{inside} > {keep},\n'
        f'.stMain [data-testid="stHorizontalBlock"]{inside} > {keep} {{ display: none !important; }}\n'
        '.stMain [data-testid="stMainBlockContainer"] { padding: 0.5rem 0.75rem !important; max-width: none; }\n'
    )


def block(name: str, height: int):
    """The container a chart's block is drawn in (`with block(...):`); export_panel adds the text
    alternative to it later. `height`: the figure's own height in px, for the snippet."""
    box = st.container(key=f"embed__{name}")
    st.session_state.setdefault(_BLOCKS, {})[name] = box
    st.session_state.setdefault(_HEIGHTS, {})[name] = int(height) + EXTRA_PX
    return box


def container(name: str | None):
    """The block of chart `name` drawn earlier in this run, or None."""
    return st.session_state.get(_BLOCKS, {}).get(name) if name else None


def view_url(embed: str | None = None) -> str:
    """This page's URL with the view's parameters as they stand now (every widget drawn so far has
    written its choice), with or without the embed parameters."""
    params = {key: st.query_params.get(key) for key in st.query_params if key != PARAM}
    if embed:
        params |= {PARAM: embed, "embed": "true"}
    base = st.context.url or ""
    return f"{base}?{urllib.parse.urlencode(params)}" if params else base


def snippet(name: str, title: str, lang: str) -> str:
    """The iframe HTML for chart `name`, escaped for an attribute (the URL and the chart title are
    the user's and the data's)."""
    height = st.session_state.get(_HEIGHTS, {}).get(name, 600)
    src = html.escape(view_url(name), quote=True)
    label = html.escape(f"{title} · {fmt.t('app_title', lang)}", quote=True)
    return (
        f'<iframe src="{src}" title="{label}" width="100%" height="{height}" '
        f'style="border:0;max-width:100%" loading="lazy"></iframe>'
    )


def popover(name: str, title: str, lang: str) -> None:
    """The 'Sematkan' choice beside the downloads: the snippet to copy and what it does."""
    with st.popover(fmt.t("embed_button", lang), icon=":material/code:", help=fmt.t("embed_help", lang)):
        st.caption(fmt.t("embed_intro", lang))
        st.code(snippet(name, title, lang), language="html", wrap_lines=True)
        st.markdown(f"[{fmt.t('embed_preview', lang)} ↗]({view_url(name)})")
        st.caption(fmt.t("embed_limits", lang))


def credit(view) -> None:
    """After the page, when embedded: where the chart comes from and a link to the whole view; or,
    for a name no chart on this page has, that it is not here."""
    if not active():
        return
    lang = view.lang
    with st.container(key="embed__credit"):
        name = requested()
        if name not in st.session_state.get(_BLOCKS, {}):
            st.warning(fmt.t("embed_missing", lang), icon="ℹ️")
        line = fmt.t(
            "embed_credit", lang, dataset=fmt.t("dataset_" + view.dataset, lang), asof=fmt.date(view.as_of, lang)
        )
        st.caption(f"{line} · [{fmt.t('embed_open', lang)} ↗]({view_url()})")
