"""Penilaian: the award committee's composite score — a scheme, its weights and methods (all in the
URL, so a member can send a colleague a weighting), the ranking with what carries each region,
how sure each rank is, and the regions that cannot be scored and why; the Lembar Penilaian (PDF)
and its workbook of exactly that (analytics.assessment builds the tables, analytics.dossier the files)."""
from functools import partial

import streamlit as st

from analytics import assessment, dossier, fmt, robustness, score_charts, scoring
from analytics.export import ExportMeta
from views import _export_ui, _state, _ui

view: _ui.View = st.session_state["view"]
lang = view.lang


def tx(key: str, **kwargs) -> str:
    return fmt.t(key, lang, **kwargs)


@st.cache_data(max_entries=32, show_spinner=False)
def criterion_values(dataset: str, year: int, as_of, key: tuple, stamp: tuple, _scheme: scoring.Scheme):
    """The raw values behind a scheme's criteria (about a second): keyed on the criteria alone, so a
    weight or method change only re-aggregates."""
    return scoring.criterion_values(_ui.tables(dataset), _scheme, year, as_of)


@st.cache_data(max_entries=64, show_spinner=False)
def scored(dataset: str, year: int, as_of, scheme: scoring.Scheme, stamp: tuple) -> scoring.ScoreResult:
    values = criterion_values(dataset, year, as_of, scoring.values_key(scheme), stamp, scheme)
    return scoring.score(_ui.tables(dataset), scheme, year, as_of, values=values)


def method_pickers(scheme: scoring.Scheme) -> scoring.Scheme:
    cols = st.columns(3)
    normalisation = _ui.bound_selectbox(cols[0], tx("score_normalisation"), list(scoring.NORMALISATIONS),
                                        f"penilaian_norm_{scheme.name}", scheme.normalisation, param="norm",
                                        format_func=lambda k: tx(f"score_norm_{k}"))
    aggregation = _ui.bound_selectbox(cols[1], tx("score_aggregation"), list(scoring.AGGREGATIONS),
                                      f"penilaian_agr_{scheme.name}", scheme.aggregation, param="agregasi",
                                      format_func=lambda k: tx(f"score_agg_{k}"))
    missing = _ui.bound_selectbox(cols[2], tx("score_missing"), list(scoring.MISSING),
                                  f"penilaian_hilang_{scheme.name}", scheme.missing, param="hilang",
                                  format_func=lambda k: tx(f"score_missing_{k}"))
    return scheme.with_choices(normalisation=normalisation, aggregation=aggregation, missing=missing)


def weight_sliders(scheme: scoring.Scheme) -> dict[str, float]:
    """A 0–10 slider per criterion with its effective weight; all of them in ?bobot=id:w,id:w."""
    given = _parse_weights(st.query_params.get("bobot")) if _state.url_is_external() else {}
    remembered = _state.get(f"penilaian_bobot_{scheme.name}", {})
    keys = {c.id: _state.widget_key(f"penilaian_bobot_{scheme.name}_{c.id}", per_language=False) for c in scheme.criteria}
    for criterion in scheme.criteria:  # every value first, so each slider can show its share of the total
        key = keys[criterion.id]
        if not _state.alive(key):
            value = given.get(criterion.id, remembered.get(criterion.id, criterion.weight))
            st.session_state[key] = int(min(max(round(value), 0), scoring.MAX_WEIGHT))
        _state.drawn(key)
    total = sum(st.session_state[key] for key in keys.values()) or 1
    weights, cols = {}, st.columns(2)
    for index, criterion in enumerate(scheme.criteria):
        aspect = tx(f"score_aspect_{criterion.aspect}") if criterion.aspect else ""
        column = cols[index % 2]
        weights[criterion.id] = column.slider(f"{criterion.title(lang)} · {aspect}", 0, scoring.MAX_WEIGHT,
                                              key=keys[criterion.id], step=1, help=tx("score_weight_help"))
        column.caption(tx("score_effective", share=fmt.number(weights[criterion.id] / total * 100, 1, lang)))
    text = ",".join(f"{cid}:{int(w)}" for cid, w in weights.items())
    _state.keep(f"penilaian_bobot_{scheme.name}", "bobot", weights, text=text)
    return weights


def _parse_weights(raw: str | None) -> dict[str, float]:
    """'peserta_per_1000:8,kebijakan:4' -> {…}; malformed pairs are ignored (the slider keeps its value)."""
    out = {}
    for pair in (raw or "").split(",")[:50]:
        name, _, value = pair.partition(":")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            continue
    return out


@st.cache_data(max_entries=16, show_spinner=False)
def robust(scheme: scoring.Scheme, raw, settings: robustness.Settings, stamp: tuple) -> dict:
    """Monte Carlo, Sobol indices, drop-one and safe margins for one scoring (about a second)."""
    return assessment.robustness_checks(scheme, raw, settings)


def robustness_settings(scheme: scoring.Scheme) -> robustness.Settings:
    """The committee's uncertainty: weight perturbation, the methods it hesitates between, the seed."""
    cols = st.columns(2)
    perturbation = _ui.bound_selectbox(cols[0], tx("score_perturbation"), [0, 10, 25, 50], "penilaian_gangguan", 25,
                                       param="gangguan", per_language=False, format_func=lambda p: f"± {p} %")
    seed = _state.bound_number(cols[1], tx("score_seed"), "penilaian_seed", robustness.SEED, 0, 2**31 - 1,
                               param="seed", help=tx("score_seed_help"))
    cols = st.columns(3)
    pickers = (("norm", scoring.NORMALISATIONS, "score_norm_", "score_normalisation"),
               ("agr", scoring.AGGREGATIONS, "score_agg_", "score_aggregation"),
               ("hilang", scoring.MISSING, "score_missing_", "score_missing"))
    chosen = []
    for column, (short, options, prefix, label) in zip(cols, pickers):
        chosen.append(tuple(_state.bound_multiselect(
            column, tx("score_alternatives", what=tx(label).lower()), list(options), f"penilaian_alt_{short}", [],
            format_func=lambda k, prefix=prefix: tx(prefix + k), param=f"alt_{short}", placeholder=tx("score_alt_none"))))
    return robustness.Settings(seed=seed, perturbation=perturbation / 100, normalisations=chosen[0],
                               aggregations=chosen[1], policies=chosen[2]).resolved(scheme)


def notes(result: scoring.ScoreResult) -> list[str]:
    return assessment.note_texts(result, lang)


def ranking_table(current: assessment.Assessment):
    """The ranking; on a phone each card is headed '1. Kota …' instead of a bare rank."""
    frame = assessment.ranking_frame(current, lang, split_margin=True)
    if not _ui.is_phone():
        return frame
    rank, region = fmt.t("col_rank", lang), fmt.t("col_region", lang)
    heading = [f"{r}. {name}" for r, name in zip(frame[rank], frame[region])]
    return frame.drop(columns=[rank, region]).assign(**{region: heading})[[region, *frame.columns.drop([rank, region])]]


def dossier_downloads(current: assessment.Assessment) -> None:
    """The Lembar Penilaian (PDF) and its workbook, built on click (a few seconds: charts and print)."""
    st.subheader(tx("dossier_title"))
    st.caption(tx("dossier_caption"))
    with st.container(horizontal=True, gap="small", key="penilaian_dossier"):
        st.download_button(tx("dossier_pdf_button"), partial(dossier.pdf_bytes, current, lang),
                           file_name=dossier.file_name(current, "pdf"), mime="application/pdf", on_click="ignore",
                           key="penilaian_dossier_pdf", help=tx("dossier_pdf_help"))
        st.download_button(tx("dossier_xlsx_button"), partial(dossier.xlsx_bytes, current, lang),
                           file_name=dossier.file_name(current, "xlsx"), mime=_export_ui.MIME["xlsx"],
                           on_click="ignore", key="penilaian_dossier_xlsx", help=tx("dossier_xlsx_help"))


# ---------------------------------------------------------------- page

st.title(tx("page_penilaian"))
_ui.dataset_banner(view)
st.caption(tx("score_intro"))

names = scoring.scheme_names()
name = _ui.bound_selectbox(st, tx("score_scheme"), names, "penilaian_skema", scoring.DEFAULT_SCHEME, param="skema",
                           format_func=lambda n: scoring.load_scheme(n).title(lang))
base = scoring.load_scheme(name)
if base.example:
    st.warning(tx("score_example_warning"), icon="⚠️")
st.caption(base.description(lang))
with st.expander(tx("score_settings"), expanded=True):
    weights = weight_sliders(base)
    if not any(weights.values()):
        st.error(tx("score_all_zero"), icon="⚠️")
        st.stop()
    scheme = method_pickers(base.with_choices(weights))

result = scored(view.dataset, view.year, view.as_of, scheme, _ui.db_stamp())
st.subheader(tx("score_criteria_header"))
st.caption(tx("score_criteria_caption"))
_ui.wide_table(assessment.criteria_frame(result, lang), "penilaian_kriteria", lang)
for note in notes(result):
    st.caption(note)

ranked = result.regions.loc[result.regions["status"] == "dinilai"]
if ranked.empty:
    st.info(tx("score_none_scored", missing=tx(f"score_missing_{scheme.missing}")), icon="ℹ️")
else:
    with st.expander(tx("score_robust_settings"), expanded=False):
        settings = robustness_settings(scheme)
        st.caption(tx("score_robust_caption", draws=fmt.number(settings.draws, 0, lang), seed=settings.seed))
    with st.spinner(tx("score_running")):
        checks = robust(scheme, result.raw, settings, _ui.db_stamp())
    current = assessment.assemble(result, view.dataset, settings, checks)
    subtitle, source, stem = _ui.subtitle(view), _ui.source_line(result.cells, view), _ui.file_stem(view, "penilaian", scheme.name)
    base_notes = tuple(notes(result))

    st.subheader(tx("score_ranking_header"))
    st.caption(tx("score_ranking_caption"))
    _ui.wide_table(ranking_table(current), "penilaian_peringkat", lang)

    title = tx("score_contrib_title", scheme=scheme.title(lang))
    view_key = ("penilaian", view.dataset, view.year, view.as_of, lang, scheme.key)
    fig = _ui.memo_figure((*view_key, "kontribusi"), partial(
        score_charts.contribution_bars, result, title=title, subtitle=subtitle, source=source, lang=lang,
        synthetic=view.synthetic))
    _ui.show_chart(fig, "penilaian_kontribusi", stem, notes=(tx("score_contrib_note"),))
    meta = ExportMeta(title=title, subtitle=subtitle, source=source, dataset=view.dataset, lang=lang,
                      synthetic=view.synthetic, year=view.year, as_of=view.as_of, file_stem=stem + "_kontribusi",
                      notes=(tx("score_contrib_note"), *base_notes), sources=_export_ui.citations(result.cells))
    cells = result.cells.merge(result.regions[["kode", "nama"]], on="kode", how="left")
    cells = cells[["kode", "nama", *[c for c in result.cells.columns if c != "kode"]]]
    _export_ui.export_panel(fig, cells, meta, "penilaian_kontribusi", embed="penilaian_kontribusi")

    stats = checks["uncertainty"].regions
    scored_stats = stats.loc[stats["peringkat"].notna()].rename(columns={
        "peringkat": "nominal", "peringkat_median": "median", "peringkat_p5": "p5", "peringkat_p95": "p95"})
    title = tx("score_uncertainty_title", scheme=scheme.title(lang))
    note = tx("score_uncertainty_note", draws=fmt.number(settings.draws, 0, lang), seed=settings.seed,
              perturbation=fmt.number(settings.perturbation * 100, 0, lang))
    fig = _ui.memo_figure((*view_key, settings, "ketidakpastian"), partial(
        score_charts.uncertainty_plot, scored_stats, title=title, subtitle=subtitle, source=source, lang=lang,
        synthetic=view.synthetic))
    _ui.show_chart(fig, "penilaian_ketidakpastian", stem, notes=(note,))
    meta = ExportMeta(title=title, subtitle=subtitle, source=source, dataset=view.dataset, lang=lang,
                      synthetic=view.synthetic, year=view.year, as_of=view.as_of, file_stem=stem + "_ketidakpastian",
                      notes=(note, *base_notes))
    _export_ui.export_panel(fig, stats, meta, "penilaian_ketidakpastian", embed="penilaian_ketidakpastian")

    sensitivity = checks["sensitivity"]
    st.subheader(tx("score_sensitivity_header"))
    if sensitivity.note == "tanpa_ragam" or sensitivity.indices.empty:
        st.caption(tx("score_sensitivity_none"))
    else:
        labels = {c.id: c.title(lang) for c in scheme.criteria} | {
            "normalisasi": tx("score_normalisation"), "agregasi": tx("score_aggregation"), "data_hilang": tx("score_missing")}
        title = tx("score_sensitivity_title")
        note = tx("score_sensitivity_note", n=fmt.number(sensitivity.n, 0, lang), runs=fmt.number(sensitivity.runs, 0, lang))
        fig = _ui.memo_figure((*view_key, settings, "sensitivitas"), partial(
            score_charts.sensitivity_bars, sensitivity.indices, labels, title=title, subtitle=subtitle, source=source,
            lang=lang, synthetic=view.synthetic))
        _ui.show_chart(fig, "penilaian_sensitivitas", stem, notes=(note,))
        meta = ExportMeta(title=title, subtitle=subtitle, source=source, dataset=view.dataset, lang=lang,
                          synthetic=view.synthetic, year=view.year, as_of=view.as_of, file_stem=stem + "_sensitivitas",
                          notes=(note, *base_notes))
        indices = sensitivity.indices.rename(columns=lambda c: "jenis_masukan" if c == "jenis" else c.lower())
        indices.insert(1, "judul_masukan", [labels.get(name, name) for name in indices["masukan"]])
        _export_ui.export_panel(fig, indices, meta, "penilaian_sensitivitas", embed="penilaian_sensitivitas")

    st.subheader(tx("score_drop_header"))
    st.caption(tx("score_drop_caption"))
    _ui.wide_table(assessment.drop_one_frame(checks["drop_one"], scheme, lang), "penilaian_tanpa_satu", lang)
    dossier_downloads(current)

unscored = result.regions.loc[result.regions["status"] != "dinilai"]
if len(unscored):
    st.subheader(tx("score_unscored_header", n=len(unscored)))
    st.dataframe(assessment.unscored_frame(result, lang), hide_index=True, width="stretch", height="content")
