"""What Penilaian's page adds to analytics.assessment's tables: the weights as ?bobot= carries them,
the ranking headed for a phone, the frames its three charts show and export (contributions with
region names, the scored regions' rank statistics, the Sobol indices with their inputs' titles) and
the notes under those charts. Pure pandas, no Streamlit."""

from __future__ import annotations

import pandas as pd

from analytics import fmt, robustness, scoring

# ---------------------------------------------------------------- the weights in the URL


def parse_weights(raw: str | None) -> dict[str, float]:
    """'peserta_per_1000:8,kebijakan:4' -> {…}; malformed pairs are ignored (the slider keeps its value)."""
    out = {}
    for pair in (raw or "").split(",")[:50]:
        name, _, value = pair.partition(":")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            continue
    return out


def weights_text(weights: dict[str, float]) -> str:
    return ",".join(f"{cid}:{int(w)}" for cid, w in weights.items())


def slider_value(value: float) -> int:
    """A weight as its 0–MAX_WEIGHT slider holds it."""
    return int(min(max(round(value), 0), scoring.MAX_WEIGHT))


# ---------------------------------------------------------------- tables and chart frames


def card_ranking(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """assessment.ranking_frame for phone cards: each headed '1. Kota …' instead of a bare rank."""
    rank, region = fmt.t("col_rank", lang), fmt.t("col_region", lang)
    heading = [f"{r}. {name}" for r, name in zip(frame[rank], frame[region])]
    return frame.drop(columns=[rank, region]).assign(**{region: heading})[[region, *frame.columns.drop([rank, region])]]


def contribution_cells(result: scoring.ScoreResult) -> pd.DataFrame:
    """The contribution chart's export: every region × criterion cell, with the region's name."""
    cells = result.cells.merge(result.regions[["kode", "nama"]], on="kode", how="left")
    return cells[["kode", "nama", *[c for c in result.cells.columns if c != "kode"]]]


def scored_rank_stats(stats: pd.DataFrame) -> pd.DataFrame:
    """The Monte Carlo rank statistics of the scored regions, named as the uncertainty plot reads them."""
    return stats.loc[stats["peringkat"].notna()].rename(
        columns={"peringkat": "nominal", "peringkat_median": "median", "peringkat_p5": "p5", "peringkat_p95": "p95"}
    )


def sensitivity_labels(scheme: scoring.Scheme, lang: str) -> dict[str, str]:
    """The title of every input a Sobol index can belong to: each criterion and the three methods."""
    return {c.id: c.title(lang) for c in scheme.criteria} | {
        "normalisasi": fmt.t("score_normalisation", lang),
        "agregasi": fmt.t("score_aggregation", lang),
        "data_hilang": fmt.t("score_missing", lang),
    }


def sensitivity_frame(indices: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """The Sobol chart's export: lower-case columns and each input's title beside its id."""
    out = indices.rename(columns=lambda c: "jenis_masukan" if c == "jenis" else c.lower())
    out.insert(1, "judul_masukan", [labels.get(name, name) for name in out["masukan"]])
    return out


def has_sensitivity(sensitivity: robustness.SensitivityResult) -> bool:
    """False when nothing varied (no weight perturbation, no alternative method) or no index came out."""
    return not (sensitivity.note == "tanpa_ragam" or sensitivity.indices.empty)


# ---------------------------------------------------------------- notes under the charts


def uncertainty_note(settings: robustness.Settings, lang: str) -> str:
    return fmt.t(
        "score_uncertainty_note",
        lang,
        draws=fmt.number(settings.draws, 0, lang),
        seed=settings.seed,
        perturbation=fmt.number(settings.perturbation * 100, 0, lang),
    )


def sensitivity_note(sensitivity: robustness.SensitivityResult, lang: str) -> str:
    return fmt.t(
        "score_sensitivity_note", lang, n=fmt.number(sensitivity.n, 0, lang), runs=fmt.number(sensitivity.runs, 0, lang)
    )
