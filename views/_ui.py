"""Shared Streamlit pieces: the accessible CSS, cached data access, the sidebar (View), chart
subtitles and citations, empty states that say why, shared widgets (indicator and region pickers,
links to other pages), chart headings, charts and grids, and memo_figure. Tables and cards:
views/_tables.py; view state in the URL: views/_state.py.

Pages import this; analytics never imports streamlit.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from analytics import charts, fmt, metrics, ranking, reports, store
from views import _embed, _memo, _state

TODAY_KEY = "_today"


@dataclass(frozen=True)
class View:
    dataset: str
    year: int
    as_of: dt.date
    lang: str

    @property
    def synthetic(self) -> bool:
        return self.dataset == "contoh"


# ---------------------------------------------------------------- accessibility on top of Streamlit's theme

# WCAG 2.1 AA fixes that the theme options cannot make (tests/test_browser_a11y.py runs axe-core and
# a Tab walk over the pages). Selectors are Streamlit's stable data-testid / role attributes.
ACCESSIBLE_CSS = """
/* Captions: Streamlit draws them in the text colour at opacity 0.6 (#828180 on white: 3.9:1, below
   the 4.5:1 small text needs). #676664 at full opacity is 5.7:1 on white, 5.4:1 on the sidebar,
   5.0:1 on widget grey, and still reads as secondary text. */
.stApp [data-testid="stCaptionContainer"] { color: #676664; opacity: 1; }
/* Keyboard focus drawn where Streamlit shows none (navigation links, table toolbars, the table
   itself) or only recolours a 1 px border (select boxes, multiselects, date fields). */
.stApp :is([data-testid="stSidebarNavLink"], [data-testid="stPageLink-NavLink"],
           [data-testid="stBaseButton-elementToolbar"], [data-testid="data-grid-canvas"]):focus-visible {
  outline: 2px solid #0B6E4F; outline-offset: -2px; }
.stApp :is([data-testid="stSelectbox"], [data-testid="stMultiSelect"]) [role="group"]:focus-within,
.stApp [data-testid="stDateInputField"]:focus-within { box-shadow: 0 0 0 2px rgba(11, 110, 79, 0.6); }
"""


def accessible_style() -> None:
    """The page-wide CSS above; a style-only st.html goes to the event container and takes no space."""
    st.html(f"<style>{ACCESSIBLE_CSS}</style>")


# ---------------------------------------------------------------- URL and page state (views/_state.py)

bound_selectbox = _state.bound_selectbox
bound_toggle = _state.bound_toggle


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def plain_markdown(text: str) -> str:
    """Text from a file made inert inside st.markdown: every Markdown, HTML, LaTeX ($) and
    directive (:red[…]) character is backslash-escaped, so it shows exactly as typed."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


# ---------------------------------------------------------------- data access (cached)


def db_path() -> Path:
    return store.default_db_path()


def db_stamp() -> tuple[int, int]:
    """Changes whenever a writer swaps in a new store file (build, import, rollback), so cached
    frames refresh: the rename gives a new inode even within one clock tick."""
    path = db_path()
    if not path.exists():
        with st.spinner("Menyiapkan data pertama kali…"):
            try:
                store.build(path)
            except store.StoreUnwritable as error:  # said in both languages: no language is chosen yet
                shown = {
                    "path": plain_markdown(str(error.path)),
                    "reason": plain_markdown(str(error.reason)),
                    "folder": plain_markdown(str(error.path.parent)),
                }
                st.error("\n\n".join(fmt.t("store_unwritable", lang, **shown) for lang in ("id", "en")))
                st.stop()
    stat = path.stat()
    return (stat.st_mtime_ns, stat.st_ino)


@st.cache_resource(max_entries=6, show_spinner=False)
def _tables(dataset: str, stamp: tuple) -> dict[str, pd.DataFrame]:
    # Shared, never mutated (metrics works on copies): cache_resource avoids unpickling the whole
    # dataset on every rerun, which cache_data would do. A short-lived read-only connection holds
    # no lock between reruns, so `build` can run while the dashboard serves.
    with store.reading(db_path()) as con:
        return store.read_tables(con, dataset)


@st.cache_data(max_entries=6, show_spinner=False)
def _years(dataset: str, stamp: tuple) -> list[int]:
    return metrics.years_available(_tables(dataset, stamp))


def tables(dataset: str) -> dict[str, pd.DataFrame]:
    return _tables(dataset, db_stamp())


@st.cache_data(max_entries=32, show_spinner=False)
def _budget_years(dataset: str, as_of: dt.date, stamp: tuple) -> tuple[int, ...]:
    from analytics import series

    data = _tables(dataset, stamp)
    return tuple(series.budget_years(data, as_of)) if series.has_data(data) else ()


def budget_years(view: View) -> tuple[int, ...]:
    """The budget years with figures up to the as-of date; () when the dataset has none at all
    (both scan every table: a large store pays them once per store version, not per rerun)."""
    return _budget_years(view.dataset, view.as_of, db_stamp())


@st.cache_data(max_entries=128, show_spinner=False)
def _ranking(
    dataset: str, indicator_id: str, year: int, as_of: dt.date, jenis: str | None, stamp: tuple
) -> pd.DataFrame:
    data = _tables(dataset, stamp)
    return ranking.cited_ranking(data, indicator_id, year, as_of, jenis)


def ranking_table(view: View, indicator_id: str, jenis: str | None = None) -> pd.DataFrame:
    table = _ranking(view.dataset, indicator_id, view.year, view.as_of, jenis, db_stamp())
    if view.lang == "id":
        return table
    # analytics writes its notes in Indonesian; every page shows them through this table
    return table.assign(catatan=[fmt.note(text, view.lang) for text in table["catatan"]])


# ---------------------------------------------------------------- sidebar


def sidebar() -> View:
    """Language, dataset, budget year and as-of date; every choice is mirrored in the URL."""
    side = st.sidebar
    lang = bound_selectbox(
        side,
        "Bahasa / Language",
        list(fmt.LANGUAGES),
        "bahasa",
        "id",
        per_language=False,
        per_page=False,
        format_func=lambda code: {"id": "Bahasa Indonesia", "en": "English"}[code],
    )
    st.session_state[_state.LANG] = lang  # every later widget key carries it (see views/_state.py)
    dataset = bound_selectbox(
        side,
        fmt.t("sidebar_dataset", lang),
        list(store.DATASETS),
        "dataset",
        "publikasi",
        per_page=False,
        format_func=lambda name: fmt.t(f"dataset_{name}", lang),
    )
    today = st.session_state.setdefault(TODAY_KEY, dt.date.today())
    years = _years(dataset, db_stamp()) or [today.year]
    default_year = max([y for y in years if y <= today.year] or years)
    year = bound_selectbox(
        side, fmt.t("sidebar_year", lang), sorted(years, reverse=True), "tahun", default_year, per_page=False
    )
    as_of = _as_of_input(side, lang, dataset, int(year), today)
    side.caption(fmt.t(f"dataset_note_{dataset}", lang))
    side.caption(fmt.t("footer_boundaries", lang))
    return View(dataset=dataset, year=int(year), as_of=as_of, lang=lang)


AS_OF_SET = "per_dipilih"  # memory flag: the user (or a link) chose the as-of date; keep it
FIRST_DATA_DATE = dt.date(2010, 1, 1)


@st.cache_data(max_entries=16, show_spinner=False)
def _latest_date(dataset: str, year: int, stamp: tuple) -> dt.date | None:
    from analytics import series

    return series.latest_data_date(_tables(dataset, stamp), year)


def latest_data_date(dataset: str, year: int, today: dt.date) -> dt.date:
    """The default as-of date: the newest figure of the budget year in the dataset (never after
    today), or today when the year has none."""
    latest = _latest_date(dataset, year, db_stamp())
    return min(latest, today) if latest else today


def _as_of_input(side, lang: str, dataset: str, year: int, today: dt.date) -> dt.date:
    """The as-of date follows the newest figure of the chosen dataset and year until the user (or
    a link with ?per=) sets one; a set date is kept across datasets, years and pages."""
    key, latest = _state.widget_key("per", per_page=False), latest_data_date(dataset, year, today)
    from_url = _state.parse(st.query_params.get("per"), None, today) if _state.url_is_external() else None
    if not _state.alive(key) and from_url is not None:
        st.session_state[key] = min(max(from_url, FIRST_DATA_DATE), today)
        _state.memory()[AS_OF_SET] = True
    elif not _state.get(AS_OF_SET):
        st.session_state[key] = latest
    elif not _state.alive(key):
        st.session_state[key] = _state.get("per", latest)
    _state.drawn(key)
    value = side.date_input(
        fmt.t("sidebar_asof", lang),
        key=key,
        min_value=FIRST_DATA_DATE,
        max_value=today,
        format="DD/MM/YYYY",
        help=fmt.t("sidebar_asof_help", lang),
        on_change=lambda: _state.memory().__setitem__(AS_OF_SET, True),
    )
    chosen = bool(_state.get(AS_OF_SET))
    _state.keep("per", "per", value, in_url=chosen)
    if chosen:
        side.button(
            fmt.t("asof_latest_button", lang, date=fmt.date(latest, lang)),
            key=_state.widget_key("per_reset", per_page=False),
            on_click=lambda: _state.memory().__setitem__(AS_OF_SET, False),
            type="tertiary",
        )
    else:
        has_figures = _latest_date(dataset, year, db_stamp()) is not None
        side.caption(fmt.t("asof_latest_caption" if has_figures else "asof_today_caption", lang, year=year))
    return value


def dataset_banner(view: View) -> None:
    """Synthetic data is labelled on every page, prominently."""
    if view.synthetic:
        st.error(fmt.t("dataset_note_contoh", view.lang), icon="⚠️")
    else:
        st.caption(
            f"**{fmt.t('dataset_' + view.dataset, view.lang)}** · {fmt.t('dataset_note_' + view.dataset, view.lang)}"
        )


def subtitle(view: View) -> str:
    return charts.subtitle_text(view.year, view.as_of, view.dataset, view.lang)


def source_line(table: pd.DataFrame, view: View, limit: int = 3) -> str:
    """A short source line for a chart: the most-cited publishers, then '+N lainnya'."""
    return charts.source_text(table, view.lang, view.synthetic, limit)


def chart_texts(view: View, title: str, table: pd.DataFrame) -> dict[str, str]:
    """title, subtitle and source line of a chart of `table`, for the figure and its export alike."""
    return {"title": title, "subtitle": subtitle(view), "source": source_line(table, view)}


def cite(text, view: View) -> str:
    """A citation as a page shows it: dates the reader's way; synthetic data says what it is instead
    of naming its generator (whose source row is Indonesian)."""
    if view.synthetic:
        return fmt.t("synthetic_citation", view.lang)
    return fmt.dates_in_text(text, view.lang) if isinstance(text, str) else ""


# ---------------------------------------------------------------- page helpers


def is_phone() -> bool:
    """A phone's browser (every mobile User-Agent says 'Mobi'): pages lay wide content out for it."""
    try:
        return "Mobi" in (st.context.headers.get("User-Agent") or "")
    except Exception:  # no request behind this run (AppTest, bare script)
        return False


# ---------------------------------------------------------------- empty states that say why


@st.cache_data(max_entries=32, show_spinner=False)
def _input_coverage(dataset: str, year: int, as_of: dt.date, stamp: tuple) -> dict[str, int]:
    return metrics.input_coverage(_tables(dataset, stamp), year, as_of)


def dataset_has_year(view: View) -> bool:
    """Does the dataset hold any regional figure for the view's budget year?"""
    from analytics import series

    return view.year in series.budget_years(tables(view.dataset), dt.date(view.year, 12, 31), first=view.year)


def empty_dataset_message(view: View) -> str:
    key = "empty_dataset_resmi" if view.dataset == "resmi" else "empty_dataset"
    return fmt.t(key, view.lang, year=view.year, dataset=fmt.t("dataset_" + view.dataset, view.lang))


def empty_indicator_message(view: View, indicator: metrics.Indicator) -> str:
    """Why an indicator has no value this year: which inputs the dataset has for how many regions,
    and what would fill it (never 'the dataset is empty' when only this indicator is)."""
    lang = view.lang
    if not dataset_has_year(view):
        return empty_dataset_message(view)
    coverage = _input_coverage(view.dataset, view.year, view.as_of, db_stamp())
    labels = [
        fmt.t("empty_input_count", lang, input=label, n=coverage.get(key, 0))
        for key, label in zip(indicator.input, indicator.input_labels(lang))
    ]
    parts = [
        fmt.t(
            "empty_indicator",
            lang,
            indicator=indicator.title(lang),
            year=view.year,
            asof=fmt.date(view.as_of, lang),
            dataset=fmt.t("dataset_" + view.dataset, lang),
        ),
        fmt.t("empty_indicator_inputs", lang, inputs="; ".join(labels)),
    ]
    if all(coverage.get(key, 0) for key in indicator.input):
        parts.append(fmt.t("empty_indicator_no_pair", lang))
    from analytics.importing.kinds import KINDS

    kinds = [KINDS[name] for name in dict.fromkeys(metrics.inputs()[key]["templat"] for key in indicator.input)]
    names = [kind.label if lang == "id" else kind.label_en for kind in kinds]
    parts.append(fmt.t(f"empty_fill_{view.dataset}", lang, templates=", ".join(f"«{name}»" for name in names)))
    return " ".join(parts)


# ---------------------------------------------------------------- shared widgets for every page


def indicator_picker(container, lang: str, key: str = "indikator", default: str = "peserta_dbhcht") -> str:
    """The indicator selectbox (catalogue titles), bound to ?indikator=; shared by the pages that have one."""
    catalogue = metrics.catalogue()
    return bound_selectbox(
        container,
        fmt.t("indicator", lang),
        list(catalogue),
        key,
        default,
        param="indikator",
        format_func=lambda ind: catalogue[ind].title(lang),
    )


def region_name(kode: str) -> str:
    from analytics import regions

    return regions.region_by_code(kode).nama


def region_codes() -> list[str]:
    from analytics import regions

    return [r.kode for r in regions.load_regions()]


def bound_regions(
    container, label: str, key: str, default: list[str], max_selections: int | None = None, param: str = "wilayah"
) -> list[str]:
    """A multiselect of region codes, remembered per page under `key`, bound to ?wilayah=3509,3502."""
    lang = st.session_state.get(_state.LANG, "id")
    return _state.bound_multiselect(
        container,
        label,
        region_codes(),
        key,
        default,
        format_func=region_name,
        param=param,
        max_selections=max_selections,
        placeholder=fmt.t("choose_regions", lang),
    )


def bound_region(container, label: str, key: str, default: str, param: str = "wilayah") -> str:
    """One region (code), remembered per page under `key`, bound to ?wilayah=3513."""
    return bound_selectbox(container, label, region_codes(), key, default, format_func=region_name, param=param)


def open_page(path: str, view: View, **choices) -> None:
    """Go to another page with some of its choices set (e.g. the profile of a clicked region):
    the choices are remembered for that page and carried in its URL."""
    for name, (_param, value) in choices.items():
        _state.set_choice(name, value)
    st.switch_page(path, query_params=view_params(view, **{param: value for param, value in choices.values()}))


def cited_ranking(view: View, indicator_id: str, year: int | None = None) -> pd.DataFrame:
    """The cited ranking as analytics gives it (notes in Indonesian; reports translate them)."""
    return _ranking(view.dataset, indicator_id, year or view.year, view.as_of, None, db_stamp())


def report_context(
    view: View, *cached: tuple[str, int], trends: dict | None = None, known: dict | None = None
) -> reports.Context:
    """A printed report's context for this view, given the cited rankings (indicator, year) the page
    has already computed: they come from the cache (or `known`, a page model's), the report
    computes the rest when clicked. `trends`: the page's cited trend frames (reports.Context.trends).
    The context is the session's own: a report adds what it computes to it."""
    known = dict(known or {}) | {(i, y): cited_ranking(view, i, y) for i, y in cached}
    return reports.Context(
        tables(view.dataset), view.dataset, view.year, view.as_of, view.lang, known=known, trends=dict(trends or {})
    )


def view_params(view: View, **extra) -> dict[str, str]:
    """Query params carrying the shared view, for st.switch_page/st.page_link (a link opened in a
    new tab starts from them); the as-of date only when the user set it."""
    params = {"dataset": view.dataset, "tahun": str(view.year), "bahasa": view.lang}
    if _state.get(AS_OF_SET):
        params["per"] = view.as_of.isoformat()
    return params | {key: str(value) for key, value in extra.items()}


def chart_config(file_stem: str) -> dict:
    """Plotly toolbar without its own image download: an image without title, source and dataset
    label must not leave the dashboard; the export panel under every chart makes press images."""
    return {"displaylogo": False, "modeBarButtonsToRemove": ["toImage", "lasso2d", "select2d"]}


def chart_heading(title: str, subtitle: str = "") -> None:
    """A chart's title and subtitle as page text: wraps at any width, never under the toolbar."""
    text = f"**{plain_markdown(title)}**" if title else ""
    if subtitle:
        text += f"  \n:gray[{plain_markdown(subtitle)}]"
    if text:
        st.markdown(text)


def chart_source(source: str, *notes: str) -> None:
    """The source line (and notes) under a chart; figures keep them as Plotly text (<br>, escaped)."""
    lines = [html.unescape(part) for part in re.split(r"<br\s*/?>", source or "") if part.strip()]
    lines += [note for note in notes if note]
    if lines:
        st.caption("  \n".join(plain_markdown(line) for line in lines))


def show_chart(fig, key: str, file_stem: str, notes: tuple[str, ...] = (), embeddable: bool = True, **kwargs):
    """Title and subtitle above, the figure exactly as built (theme=None, so browser and exports look
    alike), the source line and notes below; all three texts from the figure's layout.meta. The
    three are one block that can be embedded on its own (views/_embed.py, chart name `key`)."""
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    if _embed.active():  # a click on an embedded chart must not take its page elsewhere
        kwargs.pop("on_select", None), kwargs.pop("selection_mode", None)
    with _embed.block(key, fig.layout.height or 450) if embeddable else st.container():
        chart_heading(meta.get("title", ""), meta.get("subtitle", ""))
        event = st.plotly_chart(fig, key=key, theme=None, config=chart_config(file_stem), **kwargs)
        chart_source(meta.get("source", ""), *notes)
    return event


def file_stem(view: View, *parts: str) -> str:
    """'peringkat_peserta_dbhcht_2025_publikasi_per_2025-12-31' — safe characters only."""
    import re

    text = "_".join([*parts, str(view.year), view.dataset, "per", view.as_of.isoformat()])
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text)


def memo_figure(key: tuple, build):
    """A figure built once per key (page, view, choices) and store version, for every session
    (views/_memo.py): subplot figures take 100-300 ms to build, which would otherwise be paid on
    every rerun. Never changed once built (exports work on copies)."""
    return _memo.memo(("figure", *key, db_stamp()), lambda: _memo.shared_figure(build()))


def page_model(view: View, page: str, choices: tuple, build):
    """What a page shows for the view and its own choices (`build()`: a model of frames, texts and
    figures from analytics), built once per store version and kept for every session."""
    return _memo.memo(("model", page, view, choices, db_stamp()), build)


def show_grid(
    name: str,
    key: tuple,
    items: list,
    build,
    stem: str,
    *,
    title: str,
    subtitle: str,
    source: str,
    notes: tuple[str, ...],
    panel_px: int,
    columns: int = 3,
) -> None:
    """Heading, small multiples (chart_grid) and source line: one block that can be embedded on
    its own (views/_embed.py, chart name `name`). `panel_px`: one small chart's height."""
    rows = -(-len(items) // columns)
    with _embed.block(name, rows * (panel_px + 40)):
        chart_heading(title, subtitle)
        chart_grid(name, key, items, build, stem, columns)
        chart_source(source, *notes)


def chart_grid(name: str, key: tuple, items: list, build, stem: str, columns: int = 3) -> None:
    """One small chart per item in rows of `columns` (Streamlit stacks a row's columns on a phone,
    so the order survives); each figure memoised under `key`."""
    for start in range(0, len(items), columns):
        cells = st.columns(columns)
        for cell, item in zip(cells, items[start : start + columns]):
            with cell:
                fig = memo_figure((name, item, *key), lambda item=item: build(item))
                show_chart(fig, f"{name}_{item}", f"{stem}_{item}", embeddable=False)
