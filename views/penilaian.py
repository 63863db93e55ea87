"""Penilaian: the award committee's composite score — a scheme, its weights and methods (all in the
URL, so a member can send a colleague a weighting), the ranking with what carries each region,
how sure each rank is, and the regions that cannot be scored and why."""
import streamlit as st

import pandas as pd

from analytics import fmt, robustness, scoring, score_charts
from analytics.export import ExportMeta
from views import _export_ui, _state, _ui

view: _ui.View = st.session_state["view"]
lang = view.lang


def tx(key: str, **kwargs) -> str:
    return fmt.t(key, lang, **kwargs)


@st.cache_data(max_entries=64, show_spinner=False)
def scored(dataset: str, year: int, as_of, scheme: scoring.Scheme, stamp: tuple) -> scoring.ScoreResult:
    return scoring.score(_ui.tables(dataset), scheme, year, as_of)


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
    return {"uncertainty": robustness.uncertainty(scheme, raw, None, settings),
            "sensitivity": robustness.sensitivity(scheme, raw, None, settings),
            "drop_one": robustness.drop_one(scheme, raw, None),
            "margins": robustness.safe_margins(scheme, raw, None)}


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


def ranking_frame(result: scoring.ScoreResult, robust_result: dict) -> pd.DataFrame:
    regions = result.regions.loc[result.regions["status"] == "dinilai"]
    decimals = scoring.score_decimals(result.scheme.aggregation)
    stats = robust_result["uncertainty"].regions.set_index("kode").reindex(regions["kode"])
    margins = robust_result["margins"].set_index("kode_atas")
    return pd.DataFrame({
        fmt.t("col_rank", lang): regions["peringkat"].astype(int).to_numpy(),
        fmt.t("col_region", lang): regions["nama"].to_numpy(),
        tx("score_col_score"): [fmt.number(v, decimals, lang) for v in regions["skor"]],
        tx("score_col_interval"): [f"{fmt.number(a, 0, lang)}–{fmt.number(b, 0, lang)}"
                                   for a, b in zip(stats["peringkat_p5"], stats["peringkat_p95"])],
        tx("score_col_top3"): [fmt.percent(p * 100, 0, lang) for p in stats["p_3_besar"]],
        tx("score_col_margin"): [margin_text(margins, kode, result.scheme) for kode in regions["kode"]],
        tx("score_col_coverage"): [fmt.percent(v, 0, lang) for v in regions["cakupan_bobot"]],
        tx("score_col_imputed"): [str(int(n)) if n else "–" for n in regions["jumlah_imputasi"]],
    })


def margin_text(margins: pd.DataFrame, kode: str, scheme: scoring.Scheme) -> str:
    """'kebijakan +1,3 (+2,1 poin efektif)': the smallest single-weight change that would put the
    next region ahead of this one; 'tidak tertukar' when no change within 0–10 does."""
    if kode not in margins.index:
        return "–"
    row = margins.loc[kode]
    if row["status"] == "seri":
        return tx("score_margin_tie")
    if row["status"] != "tertukar":
        return tx("score_margin_safe")
    title = next(c.title(lang) for c in scheme.criteria if c.id == row["kriteria"])
    change, effective = row["perubahan_bobot"], row["perubahan_bobot_efektif"]
    digits = 2 if abs(change) < 0.1 else 1  # a close call must not read '+0,0'
    return tx("score_margin", criterion=title, change=fmt.signed(change, "angka", digits, lang),
              effective=fmt.signed(effective, "angka", digits, lang))


def criteria_frame(result: scoring.ScoreResult) -> pd.DataFrame:
    """Which criteria the dataset can fill, for how many regions: the honest part of the page."""
    frame = result.criteria
    return pd.DataFrame({
        tx("score_col_criterion"): [c.title(lang) for c in result.scheme.criteria],
        tx("score_col_aspect"): [tx(f"score_aspect_{a}") if a else "" for a in frame["aspek"]],
        tx("score_col_weight"): [fmt.number(w, 0, lang) for w in frame["bobot"]],
        tx("score_col_effective"): [fmt.percent(w, 1, lang) for w in frame["bobot_efektif"]],
        tx("score_col_normalisation"): [tx(f"score_norm_{n}") for n in frame["normalisasi"]],
        tx("score_col_regions"): [f"{int(n)} / 38" for n in frame["jumlah_daerah"]],
    })


def notes(result: scoring.ScoreResult) -> list[str]:
    out = []
    for code in result.notes:
        kind, _, criterion = code.partition(":")
        title = next((c.title(lang) for c in result.scheme.criteria if c.id == criterion), criterion)
        out.append(tx(f"score_note_{kind}", criterion=title))
    return out


def drop_one_frame(frame: pd.DataFrame, scheme: scoring.Scheme) -> pd.DataFrame:
    """One row per region (nominal order), its rank with each criterion dropped."""
    wide = robustness.drop_one_table(frame)
    titles = {c.id: tx("score_without", criterion=c.title(lang)) for c in scheme.criteria}
    shown = wide.drop(columns=["kode"]).rename(columns={"nama": fmt.t("col_region", lang),
                                                        "peringkat": fmt.t("col_rank", lang)} | titles)
    return shown.astype({col: "Int64" for col in shown.columns if col != fmt.t("col_region", lang)})


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
_ui.wide_table(criteria_frame(result), "penilaian_kriteria", lang)
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
    subtitle, source, stem = _ui.subtitle(view), _ui.source_line(result.cells, view), _ui.file_stem(view, "penilaian", scheme.name)
    base_notes = tuple(notes(result))

    st.subheader(tx("score_ranking_header"))
    st.caption(tx("score_ranking_caption"))
    _ui.wide_table(ranking_frame(result, checks), "penilaian_peringkat", lang)

    title = tx("score_contrib_title", scheme=scheme.title(lang))
    fig = score_charts.contribution_bars(result, title=title, subtitle=subtitle, source=source, lang=lang,
                                         synthetic=view.synthetic)
    _ui.show_chart(fig, "penilaian_kontribusi", stem, notes=(tx("score_contrib_note"),))
    meta = ExportMeta(title=title, subtitle=subtitle, source=source, dataset=view.dataset, lang=lang,
                      synthetic=view.synthetic, year=view.year, as_of=view.as_of, file_stem=stem + "_kontribusi",
                      notes=(tx("score_contrib_note"), *base_notes), sources=_export_ui.citations(result.cells))
    cells = result.cells.merge(result.regions[["kode", "nama"]], on="kode", how="left")
    cells = cells[["kode", "nama", *[c for c in result.cells.columns if c != "kode"]]]
    _export_ui.export_panel(fig, cells, meta, "penilaian_kontribusi")

    stats = checks["uncertainty"].regions
    scored_stats = stats.loc[stats["peringkat"].notna()].rename(columns={
        "peringkat": "nominal", "peringkat_median": "median", "peringkat_p5": "p5", "peringkat_p95": "p95"})
    title = tx("score_uncertainty_title", scheme=scheme.title(lang))
    note = tx("score_uncertainty_note", draws=fmt.number(settings.draws, 0, lang), seed=settings.seed,
              perturbation=fmt.number(settings.perturbation * 100, 0, lang))
    fig = score_charts.uncertainty_plot(scored_stats, title=title, subtitle=subtitle, source=source, lang=lang,
                                        synthetic=view.synthetic)
    _ui.show_chart(fig, "penilaian_ketidakpastian", stem, notes=(note,))
    meta = ExportMeta(title=title, subtitle=subtitle, source=source, dataset=view.dataset, lang=lang,
                      synthetic=view.synthetic, year=view.year, as_of=view.as_of, file_stem=stem + "_ketidakpastian",
                      notes=(note, *base_notes))
    _export_ui.export_panel(fig, stats, meta, "penilaian_ketidakpastian")

    sensitivity = checks["sensitivity"]
    st.subheader(tx("score_sensitivity_header"))
    if sensitivity.note == "tanpa_ragam" or sensitivity.indices.empty:
        st.caption(tx("score_sensitivity_none"))
    else:
        labels = {c.id: c.title(lang) for c in scheme.criteria} | {
            "normalisasi": tx("score_normalisation"), "agregasi": tx("score_aggregation"), "data_hilang": tx("score_missing")}
        title = tx("score_sensitivity_title")
        note = tx("score_sensitivity_note", n=fmt.number(sensitivity.n, 0, lang), runs=fmt.number(sensitivity.runs, 0, lang))
        fig = score_charts.sensitivity_bars(sensitivity.indices, labels, title=title, subtitle=subtitle, source=source,
                                            lang=lang, synthetic=view.synthetic)
        _ui.show_chart(fig, "penilaian_sensitivitas", stem, notes=(note,))

    st.subheader(tx("score_drop_header"))
    st.caption(tx("score_drop_caption"))
    st.dataframe(drop_one_frame(checks["drop_one"], scheme), hide_index=True, width="stretch", height="content")

unscored = result.regions.loc[result.regions["status"] != "dinilai"]
if len(unscored):
    st.subheader(tx("score_unscored_header", n=len(unscored)))
    st.dataframe(pd.DataFrame({fmt.t("col_region", lang): unscored["nama"].to_numpy(),
                               fmt.t("col_note", lang): [scoring.reason_text(c, scheme, lang) for c in unscored["alasan"]]}),
                 hide_index=True, width="stretch", height="content")
