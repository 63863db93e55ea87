"""Penilaian: the award committee's composite score — a scheme, its weights and methods (all in the
URL, so a member can send a colleague a weighting), the ranking with what carries each region,
how sure each rank is, and the regions that cannot be scored and why; the Lembar Penilaian (PDF)
and its workbook of exactly that (analytics.assessment builds the tables, analytics.dossier the files;
the cached scoring, the settings widgets and the charts: views/_penilaian_ui.py)."""

import streamlit as st

from analytics import assessment, fmt, scoring
from views import _penilaian_ui, _tables, _ui

view: _ui.View = st.session_state["view"]
lang = view.lang


def tx(key: str, **kwargs) -> str:
    return fmt.t(key, lang, **kwargs)


st.title(tx("page_penilaian"))
_ui.dataset_banner(view)
st.caption(tx("score_intro"))

names = scoring.scheme_names()
name = _ui.bound_selectbox(
    st,
    tx("score_scheme"),
    names,
    "penilaian_skema",
    scoring.DEFAULT_SCHEME,
    param="skema",
    format_func=lambda n: scoring.load_scheme(n).title(lang),
)
base = scoring.load_scheme(name)
if base.example:
    st.warning(tx("score_example_warning"), icon="⚠️")
st.caption(base.description(lang))
with st.expander(tx("score_settings"), expanded=True):
    weights = _penilaian_ui.weight_sliders(base, lang)
    if not any(weights.values()):
        st.error(tx("score_all_zero"), icon="⚠️")
        st.stop()
    scheme = _penilaian_ui.method_pickers(base.with_choices(weights), lang)

result = _penilaian_ui.scored(view.dataset, view.year, view.as_of, scheme, _ui.db_stamp())
shown = _penilaian_ui.score_model(view, scheme, result)
notes = shown.notes
st.subheader(tx("score_criteria_header"))
st.caption(tx("score_criteria_caption"))
_tables.wide_table(shown.criteria, "penilaian_kriteria", lang)
for note in notes:
    st.caption(note)

ranked = result.regions.loc[result.regions["status"] == "dinilai"]
if ranked.empty:
    st.info(tx("score_none_scored", missing=tx(f"score_missing_{scheme.missing}")), icon="ℹ️")
else:
    with st.expander(tx("score_robust_settings"), expanded=False):
        settings = _penilaian_ui.robustness_settings(scheme, lang)
        st.caption(tx("score_robust_caption", draws=fmt.number(settings.draws, 0, lang), seed=settings.seed))
    with st.spinner(tx("score_running")):
        checks = _penilaian_ui.robust(scheme, result.raw, settings, _ui.db_stamp())
    current = assessment.assemble(result, view.dataset, settings, checks)
    charts = _penilaian_ui.Charts(
        view,
        scheme,
        settings,
        subtitle=_ui.subtitle(view),
        source=shown.source,
        stem=_ui.file_stem(view, "penilaian", scheme.name),
        notes=notes,
    )
    robust = _penilaian_ui.robust_model(view, current, checks)

    st.subheader(tx("score_ranking_header"))
    st.caption(tx("score_ranking_caption"))
    _tables.wide_table(robust.ranking, "penilaian_peringkat", lang)
    _penilaian_ui.contribution_chart(charts, result, shown.contributions)
    _penilaian_ui.uncertainty_chart(charts, checks["uncertainty"].regions)
    st.subheader(tx("score_sensitivity_header"))
    _penilaian_ui.sensitivity_chart(charts, checks["sensitivity"])

    st.subheader(tx("score_drop_header"))
    st.caption(tx("score_drop_caption"))
    _tables.wide_table(robust.drop_one, "penilaian_tanpa_satu", lang)
    _penilaian_ui.dossier_downloads(current, lang)

unscored = result.regions.loc[result.regions["status"] != "dinilai"]
if len(unscored):
    st.subheader(tx("score_unscored_header", n=len(unscored)))
    st.dataframe(shown.unscored, hide_index=True, width="stretch", height="content")
