"""Profil wilayah: everything known about one region — every indicator with its rank and trend,
budgets, worker categories, claims, and every source behind its numbers (used or not, and why).
Cached data and the charts: views/_profil_ui.py; the tables: analytics.profile_tables."""

import streamlit as st

from analytics import fmt, regions
from views import _export_ui, _profil_ui, _tables, _ui

view: _ui.View = st.session_state["view"]
lang = view.lang
KEY = "profil_wilayah"


def tx(key: str, **kwargs) -> str:
    return fmt.t(key, lang, **kwargs)


st.title(fmt.t("page_profil", lang))
_ui.dataset_banner(view)
kode = _ui.bound_region(st, fmt.t("region_label", lang), KEY, default="3513")
region = regions.region_by_code(kode)
jenis = fmt.t("jenis_" + region.jenis, lang)

st.header(region.nama)
years = _ui.budget_years(view)
model = _profil_ui.model(view, kode, jenis.lower(), years) if years else None
population = model.population if model else _profil_ui.population_of(view, kode)
if population is not None:
    st.caption(f"{jenis} · " + tx("profil_population", n=fmt.number(population, 0, lang), year=view.year))
if model is None:
    st.info(_ui.empty_dataset_message(view), icon="ℹ️")
    st.stop()

_export_ui.report_download(
    "wilayah",
    _ui.report_context(view, known=model.known, trends={(kode, years): model.trends}),
    kode,
    key="profil_report",
)

st.subheader(tx("profil_indicators", year=view.year))
_tables.wide_table(model.shown, "profil_indicators", lang)
_profil_ui.trend_chart(view, region, model, years)

st.subheader(tx("profil_budget"))
st.caption(tx("profil_budget_caption"))
st.dataframe(model.budgets, hide_index=True, width="stretch", height="content")

st.subheader(tx("profil_categories"))
_profil_ui.categories_chart(view, region, model)

st.subheader(tx("profil_claims"))
if model.claims.empty:
    st.caption(tx("profil_claims_none"))
else:
    st.dataframe(model.claims, hide_index=True, width="stretch", height="content")

st.subheader(tx("profil_sources"))
st.caption(tx("profil_sources_caption"))
st.dataframe(
    model.sources,
    hide_index=True,
    width="stretch",
    height="content",
    key="profil_sources",
    column_config=_tables.table_columns(lang),
)
with st.expander(tx("profil_observations", n=len(model.observations)), expanded=not view.synthetic):
    st.caption(tx("profil_observations_caption", year=view.year, asof=fmt.date(view.as_of, lang)))
    st.dataframe(
        model.observations,
        hide_index=True,
        width="stretch",
        height=420,
        column_config=_tables.table_columns(lang),
        key="profil_observations",
    )
