"""View state that lives where it belongs: in the URL, in the session, and per page.

Three rules a user relies on (issue 7):
- A link reproduces the view: every choice is written to the URL after its widget.
- Each page keeps its own choices (Tren's regions, Bandingkan's regions, Profil's region) while
  the user visits other pages; shared choices (language, dataset, year, as-of, indicator) carry
  across pages. Streamlit deletes a widget's state when a run does not draw it, so every value is
  also kept in a plain session dict (`_MEMORY`) that survives, and restored from there.
- Back returns to the view the user left. After st.switch_page or st.page_link, Streamlit 1.67
  re-runs the previous page on Back with the query string the app last wrote (the other page's),
  not the one in the address bar. So the URL is believed only when it came from outside the app:
  its query string differs from the one the app left at the end of the last run (`_WRITTEN`,
  kept by `end_run()` after every completed run). A nav click clears the query string and a
  shared link or page link carries new values: both differ, both are read; absent parameters keep
  the remembered value. A completed run also drops parameters its page does not own.

Widget keys carry the language and the page (`indikator__en__peta`): Streamlit keeps showing a
selectbox's old formatted label after its format_func changes language, until the widget is
created anew; and a widget key shared by two pages hands one page's stale value to the other.
A widget's own state is trusted only when the previous run drew it (the user may just have
changed it); otherwise the value comes from the URL (from outside) or the memory.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from analytics import plausible

_MEMORY = "_memory"  # name -> value, for every bound choice
_WRITTEN = "_url_written"  # the query string the app left at the end of the previous run
_EXTERNAL = "_url_external"  # this run's verdict: did the query string come from outside?
_OWNED = "_url_owned"  # the parameters this run's widgets wrote
_DRAWN = "_drawn"  # widget keys drawn in this run
_DRAWN_BEFORE = "_drawn_before"  # widget keys drawn in the previous run(s) the user saw
_COMPLETE = "_run_complete"  # did the previous run reach its end?
LANG = "_lang"  # the language of this run, set by the sidebar before other widgets
PAGE = "_page"  # the page of this run (url path), set by app.py before the page runs


# Streamlit's own placeholder is English ("Choose an option") whatever the page's language.
_PLACEHOLDER = {"id": "Pilih salah satu", "en": "Choose one"}


def memory() -> dict:
    return st.session_state.setdefault(_MEMORY, {})


def _query() -> dict[str, str]:
    return {key: st.query_params.get(key) for key in st.query_params}


def begin_run() -> None:
    """Decide once per run whether the URL came from outside (a link, the address bar, a nav click),
    and which widgets the user last saw (an interrupted run adds to the run before it)."""
    state = st.session_state
    state[_EXTERNAL] = _query() != state.get(_WRITTEN)
    drawn = state.get(_DRAWN, set())
    state[_DRAWN_BEFORE] = drawn if state.get(_COMPLETE, True) else drawn | state.get(_DRAWN_BEFORE, set())
    state[_DRAWN], state[_OWNED], state[_COMPLETE] = set(), set(), False


def end_run() -> None:
    """At the end of a completed run: drop parameters no widget of this page wrote (another page's
    `wilayah` must not linger on Peta), and remember the query string as the app left it."""
    owned = st.session_state.get(_OWNED, set())
    for param in [p for p in st.query_params if p not in owned]:
        del st.query_params[param]
    st.session_state[_WRITTEN] = _query()
    st.session_state[_COMPLETE] = True


def own(param: str) -> None:
    """Keep `param` in the URL at the end of this run although no widget writes it."""
    st.session_state.setdefault(_OWNED, set()).add(param)


def url_is_external() -> bool:
    return st.session_state.get(_EXTERNAL, True)


def widget_key(name: str, per_language: bool = True, per_page: bool = True) -> str:
    parts = [name]
    if per_language:
        parts.append(st.session_state.get(LANG, "id"))
    if per_page and PAGE in st.session_state:
        parts.append(st.session_state[PAGE] or "ringkasan")
    return "__".join(parts)


def get(name: str, default=None):
    return memory().get(name, default)


def set_choice(name: str, value) -> None:
    """Change a bound choice from code (a button, another page): every widget of it reseeds."""
    memory()[name] = value
    for key in [k for k in st.session_state if k == name or str(k).startswith(f"{name}__")]:
        del st.session_state[key]


# URL parameters that name a budget year. A year or (as-of) date the importer would refuse
# (analytics.plausible) is garbage in a link too, ignored like ?tahun=abc.
YEAR_PARAMS = frozenset({"tahun"})


def parse(raw: str | None, options, default, param: str | None = None):
    """A URL value as the widget's type, or None when absent or not allowed (`param` tells a budget
    year, which must be plausible, from other whole numbers)."""
    if raw is None:
        return None
    if isinstance(default, bool):
        return {"1": True, "0": False}.get(raw)
    if isinstance(default, dt.date):  # the only date in the URL is the as-of date of data
        try:
            date = dt.date.fromisoformat(raw)
        except ValueError:
            return None
        return date if plausible.is_data_date(date) else None
    if isinstance(default, int) and not isinstance(default, bool):
        try:
            raw = int(raw)
        except ValueError:
            return None
        if param in YEAR_PARAMS and not plausible.is_budget_year(raw):
            return None
    return raw if options is None or raw in options else None


def alive(key: str) -> bool:
    """The widget was on screen in the previous run, so its state is the user's (maybe just changed)."""
    return key in st.session_state and key in st.session_state.get(_DRAWN_BEFORE, ())


def drawn(key: str) -> None:
    st.session_state.setdefault(_DRAWN, set()).add(key)


def seed(name: str, key: str, param: str, options, default) -> None:
    """Before drawing a widget: its own state if the user saw it last run, else the URL's value when
    the URL came from outside, else the remembered value, else the default; never a value outside
    `options`."""
    if not alive(key):
        from_url = parse(st.query_params.get(param), options, default, param) if url_is_external() else None
        st.session_state[key] = from_url if from_url is not None else memory().get(name, default)
    if options is not None and st.session_state[key] not in options:
        st.session_state[key] = default
    drawn(key)


def keep(name: str, param: str, value, text: str | None = None, in_url: bool = True) -> None:
    """After drawing a widget: remember its value and write it to the URL (or take it out)."""
    memory()[name] = value
    if not in_url:
        if param in st.query_params:
            del st.query_params[param]
        return
    st.session_state.setdefault(_OWNED, set()).add(param)
    text = text if text is not None else value.isoformat() if isinstance(value, dt.date) else str(value)
    if st.query_params.get(param) != text:
        st.query_params[param] = text


# ---------------------------------------------------------------- bound widgets


def bound_selectbox(
    container,
    label: str,
    options: list,
    name: str,
    default,
    format_func=str,
    param: str | None = None,
    per_language: bool = True,
    per_page: bool = True,
    **kwargs,
):
    """A selectbox whose value is remembered across pages and written to ?<param>= (param: name).
    per_page=False for the sidebar, which every page draws."""
    param = param or name
    key = widget_key(name, per_language, per_page)
    seed(name, key, param, options, default)
    kwargs.setdefault("placeholder", _PLACEHOLDER[st.session_state.get(LANG, "id")])
    value = container.selectbox(label, options, key=key, format_func=format_func, **kwargs)
    keep(name, param, value)
    return value


def bound_multiselect(
    container,
    label: str,
    options: list,
    name: str,
    default: list,
    format_func=str,
    param: str | None = None,
    max_selections: int | None = None,
    placeholder: str | None = None,
    **kwargs,
) -> list:
    """A multiselect of codes bound to ?<param>=3509,3502 (unknown codes in the URL are dropped)."""
    param = param or name
    key = widget_key(name)
    raw = st.query_params.get(param) if url_is_external() else None
    if not alive(key):
        chosen = raw.split(",") if raw is not None else memory().get(name, default)
        st.session_state[key] = [code for code in dict.fromkeys(chosen) if code in options][:max_selections]
    drawn(key)
    value = container.multiselect(
        label,
        options,
        key=key,
        format_func=format_func,
        max_selections=max_selections,
        placeholder=placeholder,
        select_all=False,
        **kwargs,
    )
    keep(name, param, list(value), text=",".join(value))
    return value


def bound_toggle(container, label: str, name: str, default: bool, param: str | None = None) -> bool:
    """An on/off switch bound to ?<param>=1|0."""
    param = param or name
    key = widget_key(name, per_language=False)  # no formatted label to go stale
    seed(name, key, param, None, default)
    value = container.toggle(label, key=key)
    keep(name, param, value, text="1" if value else "0")
    return value


def bound_number(
    container, label: str, name: str, default: int, minimum: int, maximum: int, param: str | None = None, **kwargs
) -> int:
    """A whole-number input bound to ?<param>=… (outside minimum–maximum in the URL: the default)."""
    param = param or name
    key = widget_key(name, per_language=False)
    if not alive(key):
        from_url = parse(st.query_params.get(param), None, default, param) if url_is_external() else None
        value = from_url if from_url is not None else memory().get(name, default)
        st.session_state[key] = value if minimum <= value <= maximum else default
    drawn(key)
    value = int(container.number_input(label, min_value=minimum, max_value=maximum, step=1, key=key, **kwargs))
    keep(name, param, value)
    return value
