"""Profil wilayah: everything known about one region — every indicator with its rank and trend,
budgets, worker categories, claims, and every source behind its numbers (used or not, and why).
Cached data and the charts: views/_profil_ui.py; the tables: analytics.profile_tables."""

import streamlit as st

from analytics import compare, fmt, metrics, profile_tables, regions, series
from views import _export_ui, _profil_ui, _tables, _ui

view: _ui.View = st.session_state["view"]
lang = view.lang
catalogue = metrics.catalogue()
KEY = "profil_wilayah"


def tx(key: str, **kwargs) -> str:
    return fmt.t(key, lang, **kwargs)


def cite(text) -> str:
    return _ui.cite(text, view)


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

shown, trends = _profil_ui.indicator_model(
    (view.dataset, view.year, view.as_of, view.lang), kode, jenis.lower(), years, _ui.db_stamp()
)
_export_ui.report_download(
    "wilayah",
    _ui.report_context(view, *((i, view.year) for i in catalogue), trends={(kode, years): trends}),
    kode,
    key="profil_report",
)

st.subheader(tx("profil_indicators", year=view.year))
_tables.wide_table(shown, "profil_indicators", lang)
_profil_ui.trend_chart(view, region, trends, years, connect=series.is_monthly(data["kepesertaan"]))

st.subheader(tx("profil_budget"))
st.caption(tx("profil_budget_caption"))
budgets = _profil_ui.budget_summary(view.dataset, kode, years, view.as_of, _ui.db_stamp())
st.dataframe(profile_tables.budget_table(budgets, lang), hide_index=True, width="stretch", height="content")

st.subheader(tx("profil_categories"))
_profil_ui.categories_chart(view, region)

st.subheader(tx("profil_claims"))
claims = profile_tables.claims_table(data, kode, years, view.as_of, lang, cite)
if claims.empty:
    st.caption(tx("profil_claims_none"))
else:
    st.dataframe(claims, hide_index=True, width="stretch", height="content")

st.subheader(tx("profil_sources"))
st.caption(tx("profil_sources_caption"))
observations = _profil_ui.observations_frame(view.dataset, kode, view.year, view.as_of, _ui.db_stamp())
st.dataframe(
    profile_tables.sources_table(observations, data["sumber"], lang, view.synthetic),
    hide_index=True,
    width="stretch",
    height="content",
    key="profil_sources",
    column_config=_tables.table_columns(lang),
)
with st.expander(tx("profil_observations", n=len(observations)), expanded=not view.synthetic):
    st.caption(tx("profil_observations_caption", year=view.year, asof=fmt.date(view.as_of, lang)))
    st.dataframe(
        profile_tables.observations_table(observations, lang, cite),
        hide_index=True,
        width="stretch",
        height=420,
        column_config=_tables.table_columns(lang),
        key="profil_observations",
    )
