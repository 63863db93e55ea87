"""Profil wilayah: everything known about one region — every indicator with its rank and trend,
budgets, worker categories, claims, and every source behind its numbers (used or not, and why)."""
import datetime as dt

import pandas as pd
import streamlit as st

from analytics import compare, fmt, metrics, profile, ranking, regions, series, series_charts
from analytics.export import ExportMeta
from views import _export_ui, _ui
from views._export_ui import export_panel

view: _ui.View = st.session_state["view"]
lang = view.lang
catalogue = metrics.catalogue()
KEY = "profil_wilayah"


def tx(key: str, **kwargs) -> str:
    return fmt.t(key, lang, **kwargs)


def label(prefix: str, key: str) -> str:
    """Label of a code from teks.toml (budget_…, status_…, table_…); the code itself when there is none."""
    name = f"{prefix}{key}"
    text = fmt.t(name, lang)
    return key if text == name else text


@st.cache_data(max_entries=64, show_spinner=False)
def yearly(dataset: str, indicator_id: str, years: tuple[int, ...], as_of: dt.date, stamp: tuple) -> pd.DataFrame:
    return series.yearly_series(series.computer(_ui.tables(dataset)), indicator_id, years, as_of)


def cited(frame: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    return ranking.with_sources(frame, sources)


def value_text(value, unit: str, decimals: int = 0, qualifier=None) -> str:
    unit = {"orang": "orang", "jiwa": "orang", "rp": "rp", "persen": "persen"}.get(unit, unit)
    if unit == "km2":
        return fmt.number(value, 2, lang) + " km²"
    return fmt.qualified(fmt.value(value, unit, decimals, lang), qualifier, lang)


# ---------------------------------------------------------------- indicators

@st.cache_data(max_entries=32, show_spinner=False)
def indicator_model(view_key: tuple, kode: str, jenis: str, years: tuple[int, ...], stamp: tuple):
    """indicator_rows with the trend frame already cited, cached per view and region: building
    them takes ~0.4 s (nine rankings formatted, sources joined row by row)."""
    shown_view = _ui.View(*view_key)
    shown, trends = indicator_rows(shown_view, kode, jenis, years)
    return shown, cited(trends, _ui.tables(shown_view.dataset)["sumber"])


def indicator_rows(view: _ui.View, kode: str, jenis: str, years: tuple[int, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(table shown, long trend frame) for every indicator of the catalogue."""
    rows, trends = [], []
    for indicator_id, indicator in catalogue.items():
        table = _ui.ranking_table(view, indicator_id)
        table = table.assign(peringkat_jenis=compare.rank_within_type(table, indicator))
        row = table.set_index("kode").loc[kode]
        ranked = table.dropna(subset=["nilai"])
        trend = yearly(view.dataset, indicator_id, years, view.as_of, _ui.db_stamp())
        trend = trend.loc[trend["kode"] == kode].assign(indikator=indicator_id)
        trends.append(trend)
        rows.append({
            fmt.t("indicator", lang): indicator.title(lang),
            fmt.t("col_value", lang): tx("no_data") if pd.isna(row["nilai"]) else
            value_text(row["nilai"], indicator.satuan, indicator.desimal, row["kualifikasi"]),
            tx("profil_rank38"): rank_text(row["peringkat"], len(ranked)),
            tx("profil_rank_type", jenis=jenis): rank_text(row["peringkat_jenis"], int((ranked["jenis"] == row["jenis"]).sum())),
            fmt.t("col_date", lang): fmt.date(row["tanggal_data"], lang) if pd.notna(row["tanggal_data"]) else "–",
            fmt.t("col_note", lang): text_or_empty(row["catatan"]),
            fmt.t("col_source", lang): _ui.cite(row["sumber"], view),
        })
    return pd.DataFrame(rows), pd.concat(trends, ignore_index=True)


def text_or_empty(value) -> str:
    return value if isinstance(value, str) else ""


def rank_text(rank, count: int) -> str:
    """'3 dari 20': the rank and how many regions had a value to be ranked."""
    return "–" if pd.isna(rank) else tx("profil_rank_of", rank=int(rank), n=count)


def trend_chart(region: regions.Region, trends: pd.DataFrame, years, connect: bool) -> None:
    title = tx("profil_trend_title", region=region.nama)
    subtitle = tx("tren_subtitle", first=years[0], last=years[-1], asof=fmt.date(view.as_of, lang),
                  dataset=fmt.t("dataset_" + view.dataset, lang))
    data = trends[["indikator", "kode", "tahun", "per", "nilai", "kualifikasi", "tanggal_data", "catatan", "sumber", "url"]]
    source = _ui.source_line(data, view)
    fig = _ui.memo_figure(
        ("profil_trend", title, subtitle, source, lang, view.synthetic, connect, _ui.frame_key(data)),
        lambda: series_charts.indicator_multiples(data, catalogue, title=title, subtitle=subtitle, source=source,
                                                  lang=lang, synthetic=view.synthetic, connect=connect))
    stem = _ui.file_stem(view, "profil", region.kode, "tren")
    key = (lang, view.synthetic, connect, _ui.frame_key(data))
    notes = (tx("profil_trend_note"),)
    _ui.show_grid("profil_trend", key, list(catalogue), lambda ind: series_charts.as_panel(
        series_charts.indicator_multiples(data, {ind: catalogue[ind]}, title="", subtitle="", source="", lang=lang,
                                          synthetic=view.synthetic, connect=connect, columns=1), 230, view.synthetic, lang), stem,
        title=title, subtitle=subtitle, source=source, notes=notes, panel_px=230)
    export_panel(fig, data, ExportMeta(title=title, subtitle=subtitle, source=source, dataset=view.dataset, lang=lang,
                                       synthetic=view.synthetic, year=view.year, as_of=view.as_of, notes=notes,
                                       sources=_export_ui.citations(data), file_stem=stem), key="profil_trend_export",
                 embed="profil_trend")


# ---------------------------------------------------------------- budgets, categories, claims

@st.cache_data(max_entries=32, show_spinner=False)
def budget_summary(dataset: str, kode: str, years: tuple[int, ...], as_of: dt.date, stamp: tuple) -> pd.DataFrame:
    return profile.budget_summary(_ui.tables(dataset)["anggaran"], kode, years, as_of)


def budget_table(kode: str, years) -> pd.DataFrame:
    summary = budget_summary(view.dataset, kode, years, view.as_of, _ui.db_stamp())
    summary["teks"] = [value_text(v, "rp", 0, q) + (" (murni + tambahan)" if c else "")
                       for v, q, c in zip(summary["nilai_rp"], summary["kualifikasi"], summary["catatan"])]
    wide = summary.pivot(index="tahun", columns="pos", values="teks").reindex(columns=profile.BUDGET_ITEMS)
    wide = wide.sort_index(ascending=False).astype(object)
    wide = wide.where(wide.notna(), "–")
    wide.columns = [label("budget_", c) for c in wide.columns]
    out = wide.reset_index().rename(columns={"tahun": tx("col_year")})
    return out.astype({tx("col_year"): str})


def categories_chart(region: regions.Region) -> None:
    data = _ui.tables(view.dataset)
    rows, from_chosen = profile.worker_categories(data["kepesertaan"], region.kode, view.year, view.as_of)
    if rows.empty:
        st.caption(tx("profil_categories_none", year=view.year))
        return
    frame = cited(rows, data["sumber"]).assign(kode=region.kode, tahun=view.year)
    frame = frame[["kode", "tahun", "kategori", "peserta", "tanggal_data", "laporan", "sumber", "url"]]
    title = tx("profil_categories_title", region=region.nama)
    subtitle, source = _ui.subtitle(view), _ui.source_line(frame, view)
    notes = () if from_chosen else (tx("profil_categories_other"),)
    fig = _ui.memo_figure(
        ("profil_categories", title, subtitle, source, lang, view.synthetic, _ui.frame_key(frame)),
        lambda: series_charts.category_bars(frame, title=title, subtitle=subtitle, source=source, lang=lang,
                                            synthetic=view.synthetic))
    stem = _ui.file_stem(view, "profil", region.kode, "kategori")
    _ui.show_chart(fig, "profil_categories_chart", stem, notes=notes[:1])
    export_panel(fig, frame, ExportMeta(title=title, subtitle=subtitle, source=source, dataset=view.dataset, lang=lang,
                                        synthetic=view.synthetic, indicator_id="peserta_dbhcht", year=view.year,
                                        as_of=view.as_of, notes=notes, sources=_export_ui.citations(frame), file_stem=stem),
                 key="profil_categories_export", embed="profil_categories_chart")


def claims_table(kode: str, years) -> pd.DataFrame:
    data = _ui.tables(view.dataset)
    claims = cited(profile.claims_summary(data["klaim"], kode, years, view.as_of), data["sumber"])
    return pd.DataFrame({
        tx("col_year"): claims["tahun"].astype(str), tx("col_program"): claims["program"],
        tx("col_cases"): [fmt.number(v, 0, lang) for v in claims["kasus"]],
        tx("col_amount"): [value_text(v, "rp", 0, q) for v, q in zip(claims["nilai_rp"], claims["kualifikasi"])],
        fmt.t("col_date", lang): [fmt.date(d, lang) for d in claims["tanggal_data"]],
        fmt.t("col_source", lang): [_ui.cite(text, view) for text in claims["sumber"]],
    })


# ---------------------------------------------------------------- sources

@st.cache_data(max_entries=32, show_spinner=False)
def observations_frame(dataset: str, kode: str, year: int, as_of: dt.date, stamp: tuple) -> pd.DataFrame:
    """Every figure about the region with its status and citation (cached: contoh has ~600 per region)."""
    data = _ui.tables(dataset)
    rankings = [_ui.ranking_table(_ui.View(dataset, year, as_of, "id"), i) for i in catalogue]
    used = profile.used_ids(rankings, kode, data["kepesertaan"], year, as_of)
    return cited(profile.region_observations(data, kode, year, as_of, used), data["sumber"])


def sources_table(observations: pd.DataFrame) -> pd.DataFrame:
    found = profile.region_sources(observations, _ui.tables(view.dataset)["sumber"])
    if view.synthetic:  # the generator's own source row: say what it is in the page's language
        found = found.assign(judul=fmt.t("synthetic_citation", lang), penerbit=fmt.t("dataset_contoh", lang), tanggal="")
    return pd.DataFrame({
        tx("col_title"): found["judul"].fillna(""), tx("col_publisher"): found["penerbit"].fillna(""),
        tx("col_published"): [fmt.partial_date(d, lang, missing="–" if view.synthetic else None) for d in found["tanggal"]],
        tx("col_figures"): found["jumlah_angka"],
        tx("col_used"): found["jumlah_dipakai"], fmt.t("col_link", lang): found["url"],
    })


def observations_table(data: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        tx("col_status"): [label("status_", s) for s in data["status"]],
        tx("col_year"): data["tahun"].astype("string").fillna(""),
        fmt.t("col_date", lang): [fmt.date(d, lang) if pd.notna(d) else "–" for d in data["tanggal_data"]],
        tx("col_table"): [label("table_", t) for t in data["tabel"]],
        tx("col_what"): [described(k, n) for k, n in zip(data["keterangan"], data["kasus"])],
        fmt.t("col_value", lang): [value_text(v, u, 2 if u in ("persen",) else 0, q)
                                   for v, u, q in zip(data["nilai"], data["satuan"], data["kualifikasi"])],
        tx("col_reason"): data["alasan" if lang == "id" else "alasan_en"].fillna(""),
        fmt.t("col_source", lang): [_ui.cite(text, view) for text in data["sumber"]],
        fmt.t("col_link", lang): [u.split(" | ")[0] if u else None for u in data["url"]],
        tx("col_quote"): data["kutipan"].fillna(""),
    })


def described(keterangan, cases) -> str:
    """'realisasi · dana DBHCHT · nelayan', 'klaim · JKM · 9 kasus': each code in the page's language
    (worker categories stay as the source wrote them)."""
    parts = [label("kode_", code) for code in str(keterangan or "").split(" · ") if code]
    if pd.notna(cases):
        parts.append(f"{fmt.number(cases, 0, lang)} {tx('cases')}")
    return " · ".join(parts)


# ---------------------------------------------------------------- page

st.title(fmt.t("page_profil", lang))
_ui.dataset_banner(view)
kode = _ui.bound_region(st, fmt.t("region_label", lang), KEY, default="3513")
region = regions.region_by_code(kode)
data = _ui.tables(view.dataset)
jenis = fmt.t("jenis_" + region.jenis, lang)

st.header(region.nama)
pop = compare.population(data["denominator"], view.year)
if kode in pop.index:
    st.caption(f"{jenis} · " + tx("profil_population", n=fmt.number(pop[kode], 0, lang), year=view.year))
years = tuple(series.budget_years(data, view.as_of))
if not series.has_data(data) or not years:
    st.info(_ui.empty_dataset_message(view), icon="ℹ️")
    st.stop()

shown, trends = indicator_model((view.dataset, view.year, view.as_of, view.lang), kode, jenis.lower(), years,
                                _ui.db_stamp())
_export_ui.report_download("wilayah", _ui.report_context(view, *((i, view.year) for i in catalogue),
                                                         trends={(kode, years): trends}), kode, key="profil_report")

st.subheader(tx("profil_indicators", year=view.year))
_ui.wide_table(shown, "profil_indicators", lang)
trend_chart(region, trends, years, connect=series.is_monthly(data["kepesertaan"]))

st.subheader(tx("profil_budget"))
st.caption(tx("profil_budget_caption"))
st.dataframe(budget_table(kode, years), hide_index=True, width="stretch", height="content")

st.subheader(tx("profil_categories"))
categories_chart(region)

st.subheader(tx("profil_claims"))
claims = claims_table(kode, years)
if claims.empty:
    st.caption(tx("profil_claims_none"))
else:
    st.dataframe(claims, hide_index=True, width="stretch", height="content")

st.subheader(tx("profil_sources"))
st.caption(tx("profil_sources_caption"))
observations = observations_frame(view.dataset, kode, view.year, view.as_of, _ui.db_stamp())
st.dataframe(sources_table(observations), hide_index=True, width="stretch", height="content", key="profil_sources",
             column_config=_ui.table_columns(lang))
with st.expander(tx("profil_observations", n=len(observations)), expanded=not view.synthetic):
    st.caption(tx("profil_observations_caption", year=view.year, asof=fmt.date(view.as_of, lang)))
    st.dataframe(observations_table(observations), hide_index=True, width="stretch", height=420,
                 column_config=_ui.table_columns(lang), key="profil_observations")
