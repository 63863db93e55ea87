"""Shared Streamlit pieces: view state in the URL, the sidebar, cached data access, labels.

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

from analytics import fmt, metrics, ranking, store

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


# ---------------------------------------------------------------- URL <-> widget state

def url_value(key: str, allowed, default):
    """Seed a widget's session value once from the URL (ignored when not allowed)."""
    if key not in st.session_state:
        raw = st.query_params.get(key)
        st.session_state[key] = _parse(raw, allowed, default)
    return st.session_state[key]


def _parse(raw, allowed, default):
    if raw is None:
        return default
    if isinstance(default, dt.date):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            return default
    if isinstance(default, int) and not isinstance(default, bool):
        try:
            raw = int(raw)
        except ValueError:
            return default
    return raw if allowed is None or raw in allowed else default


def write_url(key: str, value, default) -> None:
    """Keep the URL equal to the view. Stable defaults are left out so links stay short;
    pass default=None for values whose default drifts (today's date, newest year), so a
    shared link still shows the same view next month."""
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    if default is not None and value == default:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != text:
        st.query_params[key] = text


def bound_selectbox(container, label: str, options: list, key: str, default, format_func=str,
                    always_in_url: bool = False, **kwargs):
    url_value(key, options, default)
    if st.session_state[key] not in options:
        st.session_state[key] = default
    value = container.selectbox(label, options, key=key, format_func=format_func, **kwargs)
    write_url(key, value, None if always_in_url else default)
    return value


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
            store.build(path)
    stat = path.stat()
    return (stat.st_mtime_ns, stat.st_ino)


@st.cache_resource(max_entries=6, show_spinner=False)
def _tables(dataset: str, stamp: tuple) -> dict[str, pd.DataFrame]:
    # Shared, never mutated (metrics works on copies): cache_resource avoids unpickling the whole
    # dataset on every rerun, which cache_data would do. A short-lived read-only connection holds
    # no lock between reruns, so `build` can run while the dashboard serves.
    con = store.connect(db_path(), read_only=True)
    try:
        return store.read_tables(con, dataset)
    finally:
        con.close()


@st.cache_data(max_entries=6, show_spinner=False)
def _years(dataset: str, stamp: tuple) -> list[int]:
    return metrics.years_available(_tables(dataset, stamp))


def tables(dataset: str) -> dict[str, pd.DataFrame]:
    return _tables(dataset, db_stamp())


@st.cache_data(max_entries=128, show_spinner=False)
def _ranking(dataset: str, indicator_id: str, year: int, as_of: dt.date, jenis: str | None, stamp: tuple) -> pd.DataFrame:
    data = _tables(dataset, stamp)
    return ranking.with_sources(ranking.ranking(data, indicator_id, year, as_of, jenis), data["sumber"])


def ranking_table(view: View, indicator_id: str, jenis: str | None = None) -> pd.DataFrame:
    table = _ranking(view.dataset, indicator_id, view.year, view.as_of, jenis, db_stamp())
    if view.lang == "id":
        return table
    # analytics writes its notes in Indonesian; every page shows them through this table
    return table.assign(catatan=[fmt.note(text, view.lang) for text in table["catatan"]])


# ---------------------------------------------------------------- sidebar

def sidebar() -> View:
    """Dataset, year, as-of date and language; every choice is mirrored in the URL."""
    side = st.sidebar
    lang = bound_selectbox(side, "Bahasa / Language", list(fmt.LANGUAGES), "bahasa", "id",
                           format_func=lambda code: {"id": "Bahasa Indonesia", "en": "English"}[code])
    dataset = bound_selectbox(side, fmt.t("sidebar_dataset", lang), list(store.DATASETS), "dataset", "publikasi",
                              format_func=lambda name: fmt.t(f"dataset_{name}", lang))
    today = st.session_state.setdefault(TODAY_KEY, dt.date.today())
    as_of = _as_of_input(side, lang, today)
    years = _years(dataset, db_stamp()) or [as_of.year]
    default_year = max([y for y in years if y <= as_of.year] or years)
    year = bound_selectbox(side, fmt.t("sidebar_year", lang), sorted(years, reverse=True), "tahun", default_year,
                           always_in_url=True)
    side.caption(fmt.t(f"dataset_note_{dataset}", lang))
    side.caption(fmt.t("footer_boundaries", lang))
    return View(dataset=dataset, year=int(year), as_of=as_of, lang=lang)


def _as_of_input(side, lang: str, today: dt.date) -> dt.date:
    url_value("per", None, today)
    value = side.date_input(fmt.t("sidebar_asof", lang), key="per", min_value=dt.date(2020, 1, 1),
                            max_value=dt.date(2030, 12, 31), format="DD/MM/YYYY", help=fmt.t("sidebar_asof_help", lang))
    write_url("per", value, None)
    return value


def dataset_banner(view: View) -> None:
    """Synthetic data is labelled on every page, prominently."""
    if view.synthetic:
        st.error(fmt.t("dataset_note_contoh", view.lang), icon="⚠️")
    else:
        st.caption(f"**{fmt.t('dataset_' + view.dataset, view.lang)}** · {fmt.t('dataset_note_' + view.dataset, view.lang)}")


def subtitle(view: View) -> str:
    return fmt.t("chart_subtitle", view.lang, year=view.year, asof=fmt.date(view.as_of, view.lang),
                 dataset=fmt.t("dataset_" + view.dataset, view.lang))


def source_line(table: pd.DataFrame, view: View, limit: int = 3) -> str:
    """A short source line for a chart: the most-cited publishers, then '+N lainnya'."""
    if view.synthetic:
        return fmt.t("source_line", view.lang, sources=fmt.t("dataset_contoh", view.lang) + " — seed tetap")
    # publisher names come from data files; plotly reads tags in annotation text, so escape them
    publishers = [html.escape(p.split(",")[0]) for cell in table["sumber"].fillna("") for p in cell.split(" | ") if p]
    counts = pd.Series(publishers).value_counts() if publishers else pd.Series(dtype=int)
    shown = ", ".join(counts.index[:limit])
    more = len(counts) - limit
    suffix = (f" +{more} lainnya" if view.lang == "id" else f" +{more} more") if more > 0 else ""
    return fmt.t("source_line", view.lang, sources=(shown or "–") + suffix)


def indicator_title(indicator_id: str, lang: str) -> str:
    return metrics.catalogue()[indicator_id].title(lang)


# ---------------------------------------------------------------- page helpers

def province_summary(view: View, table: pd.DataFrame) -> dict:
    """KPI figures: sum over regions with data, change on the regions present both years, per 1.000."""
    ranked = table.dropna(subset=["nilai"])
    before = ranking_table(View(view.dataset, view.year - 1, view.as_of, view.lang), "peserta_dbhcht").dropna(subset=["nilai"])
    common = ranked.merge(before[["kode", "nilai"]], on="kode", suffixes=("", "_lalu"))
    delta_text = None
    if len(common) and common["nilai_lalu"].sum() > 0:
        change = (common["nilai"].sum() / common["nilai_lalu"].sum() - 1) * 100
        delta_text = (f"{fmt.percent(change, 1, view.lang)} vs {view.year - 1} "
                      f"({len(common)} {'daerah' if view.lang == 'id' else 'regions'})")
    per_1000 = ranking_table(view, "peserta_per_1000").dropna(subset=["nilai"])
    rate = per_1000["pembilang"].sum() / per_1000["penyebut"].sum() * 1000 if len(per_1000) else float("nan")
    province_value, province_source = _province_figure(view)
    return {"total": ranked["nilai"].sum(), "delta_text": delta_text, "per_1000": rate,
            "province_value": province_value, "province_source": province_source}


def _province_figure(view: View) -> tuple[str, str | None]:
    data = tables(view.dataset)
    reported = metrics.province_reported(data, view.year, view.as_of)
    if reported.empty:
        return fmt.t("kpi_province_none", view.lang), None
    row = reported.iloc[0]
    cited = ranking.with_sources(pd.DataFrame({"sumber_id": [row["sumber_id"]]}), data["sumber"])
    return fmt.number(row["peserta"], 0, view.lang), f"{cited['sumber'].iloc[0]} ({fmt.date(row['tanggal_data'], view.lang)})"


def _change_label(change, lang: str) -> str:
    if pd.isna(change):
        return fmt.t("change_new", lang)
    change = int(change)
    return "–" if change == 0 else (f"▲ {change}" if change > 0 else f"▼ {-change}")


def ranked_frame(ranked: pd.DataFrame, indicator: metrics.Indicator, lang: str) -> pd.DataFrame:
    """The ranking as the user reads it: formatted in the chosen language, one source per row."""
    return pd.DataFrame({
        fmt.t("col_rank", lang): ranked["peringkat"].astype(int).to_numpy(),
        fmt.t("col_region", lang): ranked["nama"].to_numpy(),
        fmt.t("col_value", lang): [fmt.qualified(fmt.value(v, indicator.satuan, indicator.desimal, lang), q, lang)
                                   for v, q in zip(ranked["nilai"], ranked["kualifikasi"])],
        fmt.t("col_change", lang): [_change_label(c, lang) for c in ranked["perubahan_peringkat"]],
        fmt.t("col_date", lang): [fmt.date(d, lang) for d in ranked["tanggal_data"]],
        fmt.t("col_note", lang): ranked["catatan"].fillna("").to_numpy(),
        fmt.t("col_source", lang): ranked["sumber"].to_numpy(),
        fmt.t("col_link", lang): [u.split(" | ")[0] if u else None for u in ranked["url"]],
    })


def missing_frame(missing: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({fmt.t("col_region", lang): missing["nama"].to_numpy(),
                         fmt.t("col_note", lang): missing["catatan"].fillna("").to_numpy()})


def table_columns(lang: str) -> dict:
    return {fmt.t("col_link", lang): st.column_config.LinkColumn(fmt.t("col_link", lang), display_text="↗")}


def flagged_regions(ranked: pd.DataFrame, indicator: metrics.Indicator) -> tuple[str, ...]:
    """Regions whose value is flagged against the indicator's reference (e.g. off Rp16.800)."""
    if indicator.nilai_acuan is None:
        return ()
    return tuple(ranked.loc[ranked["catatan"].notna(), "kode"])


# ---------------------------------------------------------------- shared widgets for every page

def indicator_picker(container, lang: str, key: str = "indikator", default: str = "peserta_dbhcht") -> str:
    """The indicator selectbox (catalogue titles), bound to ?indikator=."""
    catalogue = metrics.catalogue()
    return bound_selectbox(container, fmt.t("indicator", lang), list(catalogue), key, default,
                           format_func=lambda ind: catalogue[ind].title(lang))


def region_name(kode: str) -> str:
    from analytics import regions
    return regions.region_by_code(kode).nama


def bound_regions(container, label: str, key: str, default: list[str], max_selections: int | None = None) -> list[str]:
    """A multiselect of region codes bound to ?<key>=3509,3502 (unknown codes in the URL are dropped)."""
    from analytics import regions
    options = [r.kode for r in regions.load_regions()]
    if key not in st.session_state:
        raw = st.query_params.get(key)
        chosen = [c for c in raw.split(",") if c in options] if raw else list(default)
        st.session_state[key] = chosen[:max_selections] if max_selections else chosen
    value = container.multiselect(label, options, key=key, format_func=region_name, max_selections=max_selections)
    text = ",".join(value)
    if value == list(default):
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != text:
        st.query_params[key] = text
    return value


def bound_region(container, label: str, key: str, default: str) -> str:
    """One region (code) bound to ?<key>=3513."""
    from analytics import regions
    options = [r.kode for r in regions.load_regions()]
    return bound_selectbox(container, label, options, key, default, format_func=region_name, always_in_url=True)


def view_params(view: View, **extra) -> dict[str, str]:
    """Query params carrying the whole view, for st.switch_page/st.page_link: switching pages that
    way starts from the URL, so without them the target page opens on the defaults."""
    return {"dataset": view.dataset, "tahun": str(view.year), "per": view.as_of.isoformat(),
            "bahasa": view.lang, **{key: str(value) for key, value in extra.items()}}


def chart_config(file_stem: str) -> dict:
    """Plotly toolbar: its own download uses our file name and the 16:9 press size."""
    return {"displaylogo": False,
            "toImageButtonOptions": {"format": "png", "filename": file_stem, "width": 1600, "height": 900, "scale": 1}}


def show_chart(fig, key: str, file_stem: str, **kwargs):
    """Render a figure exactly as built (theme=None), so the browser and the exports look alike."""
    return st.plotly_chart(fig, key=key, theme=None, config=chart_config(file_stem), **kwargs)


def file_stem(view: View, *parts: str) -> str:
    """'peringkat_peserta_dbhcht_2025_publikasi_per_2025-12-31' — safe characters only."""
    import re
    text = "_".join([*parts, str(view.year), view.dataset, "per", view.as_of.isoformat()])
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text)


@st.cache_data(max_entries=4, show_spinner=False)
def _dataset_status(stamp: tuple) -> pd.DataFrame:
    con = store.connect(db_path(), read_only=True)
    try:
        return store.dataset_status(con)
    finally:
        con.close()


def dataset_status_frame(lang: str) -> pd.DataFrame:
    """Per dataset: label, active batch, loaded when, rows — 'kosong' for a dataset not loaded yet."""
    status = _dataset_status(db_stamp())
    empty = "kosong" if lang == "id" else "empty"
    return pd.DataFrame({
        "Dataset": [fmt.t(f"dataset_{name}", lang) for name in status["dataset"]],
        "Batch": [empty if pd.isna(b) else str(int(b)) for b in status["batch_id"]],
        fmt.t("col_date", lang): [fmt.date(d, lang) if pd.notna(d) else "–" for d in status["dibuat_pada"]],
        ("Baris" if lang == "id" else "Rows"): [fmt.number(r, 0, lang) if pd.notna(r) else "0" for r in status["baris"]],
    })


@st.cache_resource(show_spinner=False)
def _figure_memo() -> "collections.OrderedDict":
    import collections
    return collections.OrderedDict()


def frame_key(frame: pd.DataFrame) -> int:
    """A content hash of a frame (a few ms), so a memo key changes whenever the data does."""
    return int(pd.util.hash_pandas_object(frame.astype(str), index=False).sum())


def memo_figure(key: tuple, build):
    """A figure built once per key (page, view, choices) and store version: subplot figures take
    100-300 ms to build, which would otherwise be paid on every rerun. Shared and never mutated
    (exports work on copies); the 64 most recent are kept."""
    memo = _figure_memo()
    key = (*key, db_stamp())
    if key not in memo:
        memo[key] = build()
        while len(memo) > 64:
            memo.popitem(last=False)
    memo.move_to_end(key)
    return memo[key]


def chart_grid(name: str, key: tuple, items: list, build, stem: str, columns: int = 3) -> None:
    """One small chart per item in rows of `columns` (Streamlit stacks a row's columns on a phone,
    so the order survives); each figure memoised under `key`."""
    for start in range(0, len(items), columns):
        cells = st.columns(columns)
        for cell, item in zip(cells, items[start:start + columns]):
            with cell:
                fig = memo_figure((name, item, *key), lambda item=item: build(item))
                show_chart(fig, f"{name}_{item}", f"{stem}_{item}")
