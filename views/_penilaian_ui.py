"""Penilaian's cached scoring, its settings widgets (weights, methods, the robustness checks' own
settings, all bound to the URL), its three charts with their export panels and the dossier
downloads. views/penilaian.py lays the page out; analytics.assessment and analytics.score_frames
build what these show."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import pandas as pd
import streamlit as st

from analytics import assessment, dossier, dossier_xlsx, fmt, robustness, score_charts, score_frames, scoring
from analytics.export import ExportMeta
from views import _export_ui, _state, _ui


@st.cache_data(max_entries=32, show_spinner=False)
def criterion_values(dataset: str, year: int, as_of, key: tuple, stamp: tuple, _scheme: scoring.Scheme):
    """The raw values behind a scheme's criteria (about a second): keyed on the criteria alone, so a
    weight or method change only re-aggregates."""
    return scoring.criterion_values(_ui.tables(dataset), _scheme, year, as_of)


@st.cache_data(max_entries=64, show_spinner=False)
def scored(dataset: str, year: int, as_of, scheme: scoring.Scheme, stamp: tuple) -> scoring.ScoreResult:
    values = criterion_values(dataset, year, as_of, scoring.values_key(scheme), stamp, scheme)
    return scoring.score(_ui.tables(dataset), scheme, year, as_of, values=values)


@st.cache_data(max_entries=16, show_spinner=False)
def robust(scheme: scoring.Scheme, raw, settings: robustness.Settings, stamp: tuple) -> dict:
    """Monte Carlo, Sobol indices, drop-one and safe margins for one scoring (about a second)."""
    return assessment.robustness_checks(scheme, raw, settings)


# ---------------------------------------------------------------- settings


# (scheme field, label key, choices, widget key part, URL parameter, option text key prefix)
METHOD_PICKERS = (
    ("normalisation", "score_normalisation", scoring.NORMALISATIONS, "norm", "norm", "score_norm_"),
    ("aggregation", "score_aggregation", scoring.AGGREGATIONS, "agr", "agregasi", "score_agg_"),
    ("missing", "score_missing", scoring.MISSING, "hilang", "hilang", "score_missing_"),
)


def method_pickers(scheme: scoring.Scheme, lang: str) -> scoring.Scheme:
    chosen = {}
    for col, (field, label, choices, key, param, prefix) in zip(st.columns(3), METHOD_PICKERS):
        chosen[field] = _ui.bound_selectbox(
            col,
            fmt.t(label, lang),
            list(choices),
            f"penilaian_{key}_{scheme.name}",
            getattr(scheme, field),
            param=param,
            format_func=lambda k, prefix=prefix: fmt.t(f"{prefix}{k}", lang),
        )
    return scheme.with_choices(**chosen)


def weight_sliders(scheme: scoring.Scheme, lang: str) -> dict[str, float]:
    """A 0–10 slider per criterion with its effective weight; all of them in ?bobot=id:w,id:w."""
    given = score_frames.parse_weights(st.query_params.get("bobot")) if _state.url_is_external() else {}
    remembered = _state.get(f"penilaian_bobot_{scheme.name}", {})
    keys = {
        c.id: _state.widget_key(f"penilaian_bobot_{scheme.name}_{c.id}", per_language=False) for c in scheme.criteria
    }
    for criterion in scheme.criteria:  # every value first, so each slider can show its share of the total
        key = keys[criterion.id]
        if not _state.alive(key):
            st.session_state[key] = score_frames.slider_value(
                given.get(criterion.id, remembered.get(criterion.id, criterion.weight))
            )
        _state.drawn(key)
    total = sum(st.session_state[key] for key in keys.values()) or 1
    weights, cols = {}, st.columns(2)
    for index, criterion in enumerate(scheme.criteria):
        aspect = fmt.t(f"score_aspect_{criterion.aspect}", lang) if criterion.aspect else ""
        column = cols[index % 2]
        weights[criterion.id] = column.slider(
            f"{criterion.title(lang)} · {aspect}",
            0,
            scoring.MAX_WEIGHT,
            key=keys[criterion.id],
            step=1,
            help=fmt.t("score_weight_help", lang),
        )
        column.caption(fmt.t("score_effective", lang, share=fmt.number(weights[criterion.id] / total * 100, 1, lang)))
    _state.keep(f"penilaian_bobot_{scheme.name}", "bobot", weights, text=score_frames.weights_text(weights))
    return weights


def robustness_settings(scheme: scoring.Scheme, lang: str) -> robustness.Settings:
    """The committee's uncertainty: weight perturbation, the methods it hesitates between, the seed."""
    cols = st.columns(2)
    perturbation = _ui.bound_selectbox(
        cols[0],
        fmt.t("score_perturbation", lang),
        [0, 10, 25, 50],
        "penilaian_gangguan",
        25,
        param="gangguan",
        per_language=False,
        format_func=lambda p: f"± {p} %",
    )
    seed = _state.bound_number(
        cols[1],
        fmt.t("score_seed", lang),
        "penilaian_seed",
        robustness.SEED,
        0,
        2**31 - 1,
        param="seed",
        help=fmt.t("score_seed_help", lang),
    )
    cols = st.columns(3)
    pickers = (
        ("norm", scoring.NORMALISATIONS, "score_norm_", "score_normalisation"),
        ("agr", scoring.AGGREGATIONS, "score_agg_", "score_aggregation"),
        ("hilang", scoring.MISSING, "score_missing_", "score_missing"),
    )
    chosen = []
    for column, (short, options, prefix, label) in zip(cols, pickers):
        chosen.append(
            tuple(
                _state.bound_multiselect(
                    column,
                    fmt.t("score_alternatives", lang, what=fmt.t(label, lang).lower()),
                    list(options),
                    f"penilaian_alt_{short}",
                    [],
                    format_func=lambda k, prefix=prefix: fmt.t(prefix + k, lang),
                    param=f"alt_{short}",
                    placeholder=fmt.t("score_alt_none", lang),
                )
            )
        )
    return robustness.Settings(
        seed=seed, perturbation=perturbation / 100, normalisations=chosen[0], aggregations=chosen[1], policies=chosen[2]
    ).resolved(scheme)


# ---------------------------------------------------------------- page models


@dataclass(frozen=True)
class ScoreModel:
    """What Penilaian shows of one scoring, in the view's language."""

    notes: tuple[str, ...]
    criteria: pd.DataFrame
    unscored: pd.DataFrame
    contributions: pd.DataFrame  # the contribution chart's data file
    source: str


def score_model(view: _ui.View, scheme: scoring.Scheme, result: scoring.ScoreResult) -> ScoreModel:
    lang = view.lang
    return _ui.page_model(
        view,
        "penilaian",
        (scheme.key,),
        lambda: ScoreModel(
            notes=tuple(assessment.note_texts(result, lang)),
            criteria=assessment.criteria_frame(result, lang),
            unscored=assessment.unscored_frame(result, lang),
            contributions=score_frames.contribution_cells(result),
            source=_ui.source_line(result.cells, view),
        ),
    )


@dataclass(frozen=True)
class RobustModel:
    """The robustness tables of one scoring and its check settings."""

    ranking: pd.DataFrame  # on a phone each card is headed '1. Kota …' instead of a bare rank
    drop_one: pd.DataFrame


def robust_model(view: _ui.View, current: assessment.Assessment, checks: dict) -> RobustModel:
    lang, phone = view.lang, _ui.is_phone()

    def build() -> RobustModel:
        frame = assessment.ranking_frame(current, lang, split_margin=True)
        return RobustModel(
            ranking=score_frames.card_ranking(frame, lang) if phone else frame,
            drop_one=assessment.drop_one_frame(checks["drop_one"], current.scheme, lang),
        )

    return _ui.page_model(view, "penilaian_uji", (current.scheme.key, current.settings, phone), build)


# ---------------------------------------------------------------- charts


@dataclass(frozen=True)
class Charts:
    """What Penilaian's charts share: the view, the scheme scored, the robustness settings, the
    subtitle, source line and file stem, and the scoring's notes (every export carries them)."""

    view: _ui.View
    scheme: scoring.Scheme
    settings: robustness.Settings
    subtitle: str
    source: str
    stem: str
    notes: tuple[str, ...]

    @property
    def memo_key(self) -> tuple:
        view = self.view
        return ("penilaian", view.dataset, view.year, view.as_of, view.lang, self.scheme.key)

    def meta(self, title: str, suffix: str, note: str, **extra) -> ExportMeta:
        view = self.view
        return ExportMeta(
            title=title,
            subtitle=self.subtitle,
            source=self.source,
            dataset=view.dataset,
            lang=view.lang,
            synthetic=view.synthetic,
            year=view.year,
            as_of=view.as_of,
            file_stem=f"{self.stem}_{suffix}",
            notes=(note, *self.notes),
            **extra,
        )


def contribution_chart(charts: Charts, result: scoring.ScoreResult, data: pd.DataFrame) -> None:
    """Each scored region's score split into what each criterion carries."""
    view, lang = charts.view, charts.view.lang
    title = fmt.t("score_contrib_title", lang, scheme=charts.scheme.title(lang))
    fig = _ui.memo_figure(
        (*charts.memo_key, "kontribusi"),
        partial(
            score_charts.contribution_bars,
            result,
            title=title,
            subtitle=charts.subtitle,
            source=charts.source,
            lang=lang,
            synthetic=view.synthetic,
        ),
    )
    note = fmt.t("score_contrib_note", lang)
    _ui.show_chart(fig, "penilaian_kontribusi", charts.stem, notes=(note,))
    meta = charts.meta(title, "kontribusi", note, sources=_export_ui.citations(result.cells))
    _export_ui.export_panel(fig, data, meta, "penilaian_kontribusi", embed="penilaian_kontribusi")


def uncertainty_chart(charts: Charts, stats) -> None:
    """Each scored region's rank over the Monte Carlo draws (`stats`: the uncertainty's regions)."""
    view, lang = charts.view, charts.view.lang
    title = fmt.t("score_uncertainty_title", lang, scheme=charts.scheme.title(lang))
    note = score_frames.uncertainty_note(charts.settings, lang)
    fig = _ui.memo_figure(
        (*charts.memo_key, charts.settings, "ketidakpastian"),
        partial(
            score_charts.uncertainty_plot,
            score_frames.scored_rank_stats(stats),
            title=title,
            subtitle=charts.subtitle,
            source=charts.source,
            lang=lang,
            synthetic=view.synthetic,
        ),
    )
    _ui.show_chart(fig, "penilaian_ketidakpastian", charts.stem, notes=(note,))
    _export_ui.export_panel(
        fig,
        stats,
        charts.meta(title, "ketidakpastian", note),
        "penilaian_ketidakpastian",
        embed="penilaian_ketidakpastian",
    )


def sensitivity_chart(charts: Charts, sensitivity: robustness.SensitivityResult) -> None:
    """The Sobol indices of every weight and method, or a caption when nothing varied."""
    view, lang = charts.view, charts.view.lang
    if not score_frames.has_sensitivity(sensitivity):
        st.caption(fmt.t("score_sensitivity_none", lang))
        return
    labels = score_frames.sensitivity_labels(charts.scheme, lang)
    title = fmt.t("score_sensitivity_title", lang)
    note = score_frames.sensitivity_note(sensitivity, lang)
    fig = _ui.memo_figure(
        (*charts.memo_key, charts.settings, "sensitivitas"),
        partial(
            score_charts.sensitivity_bars,
            sensitivity.indices,
            labels,
            title=title,
            subtitle=charts.subtitle,
            source=charts.source,
            lang=lang,
            synthetic=view.synthetic,
        ),
    )
    _ui.show_chart(fig, "penilaian_sensitivitas", charts.stem, notes=(note,))
    _export_ui.export_panel(
        fig,
        score_frames.sensitivity_frame(sensitivity.indices, labels),
        charts.meta(title, "sensitivitas", note),
        "penilaian_sensitivitas",
        embed="penilaian_sensitivitas",
    )


def dossier_downloads(current: assessment.Assessment, lang: str) -> None:
    """The Lembar Penilaian (PDF) and its workbook, built on click (a few seconds: charts and print)."""
    st.subheader(fmt.t("dossier_title", lang))
    st.caption(fmt.t("dossier_caption", lang))
    with st.container(horizontal=True, gap="small", key="penilaian_dossier"):
        st.download_button(
            fmt.t("dossier_pdf_button", lang),
            partial(dossier.pdf_bytes, current, lang),
            file_name=dossier.file_name(current, "pdf"),
            mime="application/pdf",
            on_click="ignore",
            key="penilaian_dossier_pdf",
            help=fmt.t("dossier_pdf_help", lang),
        )
        st.download_button(
            fmt.t("dossier_xlsx_button", lang),
            partial(dossier_xlsx.xlsx_bytes, current, lang),
            file_name=dossier.file_name(current, "xlsx"),
            mime=_export_ui.MIME["xlsx"],
            on_click="ignore",
            key="penilaian_dossier_xlsx",
            help=fmt.t("dossier_xlsx_help", lang),
        )
