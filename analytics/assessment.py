"""One committee assessment: a scoring, the four checks of how robust it is, and the tables a reader
sees of it. The Penilaian page, the Lembar Penilaian (analytics.dossier) and the `score` command
all build their tables here, so the three say the same thing. Pure: no Streamlit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from analytics import charts, fmt, robustness, safe_margin, scoring

CHECKS = ("uncertainty", "sensitivity", "drop_one", "margins")


@dataclass(frozen=True)
class Assessment:
    """Everything a Lembar Penilaian states. `settings` is resolved, None when no robustness check was
    asked for (`score --draws 0`); the four checks are None when none was run (also when no region
    is scored)."""

    scheme: scoring.Scheme
    year: int
    as_of: dt.date
    dataset: str
    synthetic: bool
    settings: robustness.Settings | None
    result: scoring.ScoreResult
    uncertainty: robustness.UncertaintyResult | None = None
    sensitivity: robustness.SensitivityResult | None = None
    drop_one: pd.DataFrame | None = None
    margins: pd.DataFrame | None = None

    @property
    def scored(self) -> pd.DataFrame:
        """The scored regions in rank order."""
        regions = self.result.regions
        return regions.loc[regions["status"] == "dinilai"]

    @property
    def unscored(self) -> pd.DataFrame:
        regions = self.result.regions
        return regions.loc[regions["status"] != "dinilai"]

    @property
    def checked(self) -> bool:
        return self.uncertainty is not None


def robustness_checks(scheme: scoring.Scheme, raw, settings: robustness.Settings) -> dict:
    """Monte Carlo, Sobol indices, drop-one and safe margins for one scoring (about a second at
    10.000 draws), keyed by the Assessment's field names."""
    return {
        "uncertainty": robustness.uncertainty(scheme, raw, None, settings),
        "sensitivity": robustness.sensitivity(scheme, raw, None, settings),
        "drop_one": robustness.drop_one(scheme, raw, None),
        "margins": safe_margin.safe_margins(scheme, raw, None),
    }


def assemble(
    result: scoring.ScoreResult, dataset: str, settings: robustness.Settings | None, checks: dict | None = None
) -> Assessment:
    """An Assessment of a scoring already made; the checks are run unless given (a page's cache),
    and not at all when no region is scored (as on the page: there is no ranking to test)."""
    if settings is not None:
        settings = settings.resolved(result.scheme)
        anyone = bool((result.regions["status"] == "dinilai").any())
        if checks is None and anyone:
            checks = robustness_checks(result.scheme, result.raw, settings)
    return Assessment(
        result.scheme,
        result.year,
        result.as_of,
        dataset,
        dataset == "contoh",
        settings,
        result,
        **{name: (checks or {}).get(name) for name in CHECKS},
    )


def assess(
    tables: dict[str, pd.DataFrame],
    scheme: scoring.Scheme,
    year: int,
    as_of,
    settings: robustness.Settings | None,
    dataset: str,
) -> Assessment:
    """Score `scheme` on the dataset's tables and check how robust the ranking is."""
    return assemble(scoring.score(tables, scheme, year, as_of), dataset, settings)


# ---------------------------------------------------------------- what the reader sees


def margin_parts(margins: pd.DataFrame, kode: str, scheme: scoring.Scheme, lang: str = "id") -> tuple[str, str]:
    """('+1,3 (bobot efektif +2,1 poin)', 'Kebijakan daerah …'): the smallest single-weight change
    that would put the next region ahead of this one, and whose weight; words and '' when no change
    within 0–10 does, or the two are tied."""
    if kode not in margins.index:
        return "–", ""
    row = margins.loc[kode]
    if row["status"] == "seri":
        return fmt.t("score_margin_tie", lang), ""
    if row["status"] != "tertukar":
        return fmt.t("score_margin_safe", lang), ""
    title = next(c.title(lang) for c in scheme.criteria if c.id == row["kriteria"])
    change, effective = row["perubahan_bobot"], row["perubahan_bobot_efektif"]
    digits = 2 if abs(change) < 0.1 else 1  # a close call must not read '+0,0'
    return fmt.t(
        "score_margin_change",
        lang,
        change=fmt.signed(change, "angka", digits, lang),
        effective=fmt.signed(effective, "angka", digits, lang),
    ), title


def margin_text(margins: pd.DataFrame, kode: str, scheme: scoring.Scheme, lang: str = "id") -> str:
    """'Kebijakan daerah … +1,3 (bobot efektif +2,1 poin)', or the words when nothing swaps them."""
    change, criterion = margin_parts(margins, kode, scheme, lang)
    return f"{criterion} {change}" if criterion else change


def _rank_stats(a: Assessment, codes: pd.Series) -> pd.DataFrame:
    columns = ["peringkat_median", "peringkat_p5", "peringkat_p95", "p_peringkat_1", "p_3_besar"]
    if not a.checked:
        return pd.DataFrame(index=codes, columns=columns, dtype=float)
    return a.uncertainty.regions.set_index("kode").reindex(codes)[columns]


def _margins(a: Assessment) -> pd.DataFrame:
    frame = a.margins if a.margins is not None else pd.DataFrame(columns=safe_margin.MARGIN_COLUMNS)
    return frame.set_index("kode_atas")


def ranking_frame(a: Assessment, lang: str = "id", split_margin: bool = False) -> pd.DataFrame:
    """The ranking as the page and the PDF print it: rank, region, score, 5–95 % rank range, chance
    of the top 3, safe margin, weight covered by data, imputed values (all formatted). The page
    puts the margin's weight in a column of its own (`split_margin`), where one long cell would be
    cut off; the PDF wraps it."""
    regions = a.scored
    decimals = scoring.score_decimals(a.scheme.aggregation)
    stats, margins = _rank_stats(a, regions["kode"]), _margins(a)
    parts = [margin_parts(margins, kode, a.scheme, lang) for kode in regions["kode"]]
    margin = (
        {
            fmt.t("score_col_margin", lang): [change for change, _ in parts],
            fmt.t("score_col_margin_weight", lang): [criterion or "–" for _, criterion in parts],
        }
        if split_margin
        else {
            fmt.t("score_col_margin", lang): [
                f"{criterion} {change}" if criterion else change for change, criterion in parts
            ]
        }
    )
    return pd.DataFrame(
        {
            fmt.t("col_rank", lang): regions["peringkat"].astype(int).to_numpy(),
            fmt.t("col_region", lang): regions["nama"].to_numpy(),
            fmt.t("score_col_score", lang): [fmt.number(v, decimals, lang) for v in regions["skor"]],
            fmt.t("score_col_interval", lang): [
                f"{fmt.number(lo, 0, lang)}–{fmt.number(hi, 0, lang)}" if pd.notna(lo) else "–"
                for lo, hi in zip(stats["peringkat_p5"], stats["peringkat_p95"])
            ],
            fmt.t("score_col_top3", lang): [fmt.percent(p * 100, 0, lang) for p in stats["p_3_besar"]],
            **margin,
            fmt.t("score_col_coverage", lang): [fmt.percent(v, 0, lang) for v in regions["cakupan_bobot"]],
            fmt.t("score_col_imputed", lang): [str(int(n)) if n else "–" for n in regions["jumlah_imputasi"]],
        }
    )


def robustness_columns(a: Assessment, lang: str = "id") -> pd.DataFrame:
    """Per scored region (index kode), numbers as numbers: median rank, 5th and 95th percentile,
    P(rank 1), P(top 3), and the safe margin as words (the `score` command, the workbook)."""
    regions = a.scored
    stats, margins = _rank_stats(a, regions["kode"]), _margins(a)
    return stats.assign(
        selisih_aman=[margin_text(margins, kode, a.scheme, lang) if a.checked else None for kode in regions["kode"]]
    )


def criteria_frame(result: scoring.ScoreResult, lang: str = "id") -> pd.DataFrame:
    """Which criteria the dataset can fill, for how many regions: the honest part of the page."""
    frame = result.criteria
    return pd.DataFrame(
        {
            fmt.t("score_col_criterion", lang): [c.title(lang) for c in result.scheme.criteria],
            fmt.t("score_col_aspect", lang): [fmt.t(f"score_aspect_{a}", lang) if a else "" for a in frame["aspek"]],
            fmt.t("score_col_weight", lang): [fmt.number(w, 0, lang) for w in frame["bobot"]],
            fmt.t("score_col_effective", lang): [fmt.percent(w, 1, lang) for w in frame["bobot_efektif"]],
            fmt.t("score_col_normalisation", lang): [fmt.t(f"score_norm_{n}", lang) for n in frame["normalisasi"]],
            fmt.t("score_col_regions", lang): [f"{int(n)} / 38" for n in frame["jumlah_daerah"]],
        }
    )


def note_texts(result: scoring.ScoreResult, lang: str = "id") -> list[str]:
    """The scoring's notes (fallback normalisation, geometric mean, Copeland, empty criteria) in words."""
    out = []
    for code in result.notes:
        kind, _, criterion = code.partition(":")
        title = next((c.title(lang) for c in result.scheme.criteria if c.id == criterion), criterion)
        out.append(fmt.t(f"score_note_{kind}", lang, criterion=title))
    return out


def drop_one_frame(frame: pd.DataFrame, scheme: scoring.Scheme, lang: str = "id") -> pd.DataFrame:
    """One row per region (nominal order), its rank with each criterion dropped."""
    wide = robustness.drop_one_table(frame)
    titles = {c.id: fmt.t("score_without", lang, criterion=c.title(lang)) for c in scheme.criteria}
    region, rank = fmt.t("col_region", lang), fmt.t("col_rank", lang)
    shown = wide.drop(columns=["kode"]).rename(columns={"nama": region, "peringkat": rank} | titles)
    return shown.astype({col: "Int64" for col in shown.columns if col != region})


def unscored_frame(result: scoring.ScoreResult, lang: str = "id") -> pd.DataFrame:
    """The regions not scored and why (never ranked last)."""
    unscored = result.regions.loc[result.regions["status"] != "dinilai"]
    reasons = [scoring.reason_text(code, result.scheme, lang) for code in unscored["alasan"]]
    return pd.DataFrame({fmt.t("col_region", lang): unscored["nama"].to_numpy(), fmt.t("col_note", lang): reasons})


def chart_subtitle(a: Assessment, lang: str = "id") -> str:
    return charts.subtitle_text(a.year, a.as_of, a.dataset, lang)


def source_line(a: Assessment, lang: str = "id", limit: int = 3) -> str:
    """A chart's short source line (plotly text, escaped), as the page draws it."""
    return charts.source_text(a.result.cells, lang, a.synthetic, limit)
