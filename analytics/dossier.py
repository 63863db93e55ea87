"""The Lembar Penilaian: one committee assessment as a decision document (A4 PDF, printed by the
Debian Chromium from HTML with the charts as inline SVG, analytics.printing) and as a workbook (XLSX, numbers as
numbers, analytics.dossier_xlsx). Both carry the scheme, the weights, the method and seed, the ranking with its
robustness, the regions not scored and why, and every figure used with its source. Pure: no Streamlit.

This module holds the wording both share, the HTML sections and the PDF. Everything taken from data (region
names, notes, citations, scheme titles) is escaped: html.escape in the HTML, a CSS string escape in the running
header and footer, export.neutralise in the workbook.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics import fmt, metrics, printing, score_charts, scoring
from analytics.assessment import (
    Assessment,
    chart_subtitle,
    criteria_frame,
    note_texts,
    ranking_frame,
    source_line,
    unscored_frame,
)
from analytics.export import ExportMeta
from analytics.printing import Markup, PrintError
from analytics.printing import colgroup as _colgroup
from analytics.printing import e as _e
from analytics.printing import facts as _facts
from analytics.printing import frame_table as _frame_table
from analytics.printing import table as _table
from analytics.printing import text as _text

SIGNATURE_LINES = 5
TALL_CHART = 12  # more scored regions than this: a portrait (4:5) chart, else a square one

DossierError = PrintError  # the name the page and the command line catch


def file_name(a: Assessment, extension: str) -> str:
    """'lembar_penilaian_contoh_paritrana_contoh_2025_2025-12-31.pdf' — safe characters only."""
    stem = f"lembar_penilaian_{a.dataset}_{a.scheme.name}_{a.year}_{a.as_of.isoformat()}"
    return printing.safe_file_name(stem, extension)


# ---------------------------------------------------------------- shared wording


def dataset_text(a: Assessment, lang: str) -> str:
    return fmt.t("export_synthetic", lang) if a.synthetic else fmt.t(f"dataset_{a.dataset}", lang)


def citation(text, a: Assessment, lang: str) -> str:
    """A citation as the dossier prints it: synthetic data says what it is; dates the reader's way."""
    return printing.citation(text, a.synthetic, lang)


def value_text(criterion: scoring.Criterion, value, qualifier, lang: str) -> str:
    """A raw value in its indicator's unit, with its printed qualifier ('lebih dari 18.000')."""
    if criterion.indicator:
        indicator = metrics.catalogue()[criterion.indicator]
        return fmt.qualified(fmt.value(value, indicator.satuan, indicator.desimal, lang), qualifier, lang)
    return fmt.number(value, 1, lang)


def settings_words(a: Assessment, lang: str) -> dict[str, str]:
    s, sens = a.settings, a.sensitivity

    def names(prefix, keys):
        return ", ".join(fmt.t(prefix + k, lang) for k in keys)

    return {
        "draws": fmt.number(s.draws, 0, lang),
        "seed": str(s.seed),
        "perturbation": fmt.number(s.perturbation * 100, 0, lang),
        "norm": names("score_norm_", s.normalisations),
        "agg": names("score_agg_", s.aggregations),
        "missing": names("score_missing_", s.policies),
        "n": fmt.number(sens.n, 0, lang),
        "runs": fmt.number(sens.runs, 0, lang),
    }


def policy_text(scheme: scoring.Scheme, lang: str) -> str:
    policy = fmt.t(f"score_missing_{scheme.missing}", lang)
    if scheme.missing == "bobot_ulang" and scheme.min_coverage:
        return fmt.t("dossier_min_coverage", lang, policy=policy, minimum=fmt.number(scheme.min_coverage, 0, lang))
    return policy


# ---------------------------------------------------------------- the figures used, with numbered sources


def _sources_of(cell: dict, a: Assessment, lang: str) -> list[tuple[str, str]]:
    """(citation, url) pairs of one cell; ' | '-joined lists pair up in order."""
    return printing.sources_of(cell.get("sumber"), cell.get("url"), a.synthetic, lang)


def figures_used(a: Assessment, lang: str) -> tuple[list[dict], dict[tuple[str, str], int]]:
    """Per scored region (rank order) and weighted criterion: the value as printed, its date and the
    numbers of its sources; and the sources, numbered in order of first use."""
    cells = {(c["kode"], c["kriteria"]): c for c in a.result.cells.to_dict("records")}
    numbers: dict[tuple[str, str], int] = {}
    rows = []
    for region in a.scored.to_dict("records"):
        for criterion in (c for c in a.scheme.criteria if c.weight > 0):
            cell = cells[(region["kode"], criterion.id)]
            refs = [numbers.setdefault(pair, len(numbers) + 1) for pair in _sources_of(cell, a, lang)]
            rows.append({"region": region, "criterion": criterion, "cell": cell, "refs": refs})
    return rows, numbers


def _value_markup(row: dict, lang: str) -> Markup:
    cell, criterion = row["cell"], row["criterion"]
    shown = _e(value_text(criterion, cell["nilai_mentah"], cell.get("kualifikasi"), lang))
    if cell["diimputasi"]:
        shown += f' <span class="muted">({_e(fmt.t("dossier_imputed", lang))})</span>'
    return Markup(shown)


def _publisher(text: str, longest: int = 48) -> str:
    """'TIMES Indonesia' of 'TIMES Indonesia, 2025-07-30: …'; nothing when there is no short name."""
    name = text.split(",")[0].strip()
    return name if len(name) <= longest and name != text else ""


def _source_markup(row: dict, by_number: dict[int, tuple[str, str]], lang: str) -> Markup:
    parts = [f"{_e(_publisher(by_number[n][0]))} [{n}]".lstrip() for n in row["refs"]]
    if not parts and pd.isna(row["cell"]["nilai_mentah"]) and _text(row["cell"].get("catatan")):
        return Markup(f'<span class="muted">{_e(fmt.note(row["cell"]["catatan"], lang))}</span>')
    if row["criterion"].committee and _text(row["cell"].get("penilai")):
        parts.insert(0, _e(f"{fmt.t('dossier_committee_source', lang)}: {row['cell']['penilai']}"))
    return Markup("; ".join(parts) or "–")


def _head(a: Assessment, lang: str) -> str:
    title = fmt.t("dossier_title", lang)
    footer = fmt.t(
        "dossier_footer" if a.checked else "dossier_footer_plain",
        lang,
        dataset=dataset_text(a, lang),
        asof=fmt.date(a.as_of, lang),
        seed=a.settings.seed if a.checked else "",
    )
    return printing.head(
        f"{title} — {a.scheme.title(lang)}", f"{title} · {a.scheme.title(lang)} · {a.year}", footer, lang, a.synthetic
    )


def _cover(a: Assessment, lang: str, printed_on: dt.date) -> str:
    facts = [
        (fmt.t("dossier_scheme", lang), f"{a.scheme.title(lang)} ({a.scheme.name})"),
        (fmt.t("sidebar_year", lang), str(a.year)),
        (fmt.t("export_asof", lang), fmt.date(a.as_of, lang)),
        ("Dataset", dataset_text(a, lang)),
        (fmt.t("dossier_printed", lang), fmt.date(printed_on, lang)),
    ]
    out = f"<h1>{_e(fmt.t('dossier_title', lang))}</h1><p class='scheme'>{_e(a.scheme.title(lang))}</p>" + _facts(facts)
    if a.synthetic:
        out += f'<div class="box synthetic">{_e(fmt.t("dataset_note_contoh", lang))}</div>'
    if a.scheme.example:
        out += f'<div class="box warn">{_e(fmt.t("score_example_warning", lang))}</div>'
    out += f"<p>{_e(a.scheme.description(lang))}</p>"
    return out + f"<p><b>{_e(outcome(a, lang))}</b></p>"


def outcome(a: Assessment, lang: str) -> str:
    scored, total = len(a.scored), len(a.result.regions)
    text = fmt.t("dossier_summary", lang, scored=scored, total=total, unscored=total - scored)
    if not scored:
        return text
    leader = a.scored.iloc[0]
    score = fmt.number(leader["skor"], scoring.score_decimals(a.scheme.aggregation), lang)
    if not a.checked:
        return text + " " + fmt.t("dossier_leader_plain", lang, region=leader["nama"], score=score)
    stats = a.uncertainty.regions.set_index("kode").loc[leader["kode"]]
    return (
        text
        + " "
        + fmt.t(
            "dossier_leader",
            lang,
            region=leader["nama"],
            score=score,
            first=fmt.percent(stats["p_peringkat_1"] * 100, 0, lang),
            top3=fmt.percent(stats["p_3_besar"] * 100, 0, lang),
            draws=fmt.number(a.settings.draws, 0, lang),
        )
    )


def _method(a: Assessment, lang: str) -> str:
    scheme = a.scheme
    facts = [
        (fmt.t("score_normalisation", lang), fmt.t(f"score_norm_{scheme.normalisation}", lang)),
        (fmt.t("score_aggregation", lang), fmt.t(f"score_agg_{scheme.aggregation}", lang)),
        (fmt.t("score_missing", lang), policy_text(scheme, lang)),
    ]
    notes = "".join(f'<p class="caption">{_e(n)}</p>' for n in note_texts(a.result, lang))
    robust = (
        fmt.t("dossier_robust_text", lang, **settings_words(a, lang))
        if a.checked
        else fmt.t("dossier_robust_none", lang)
    )
    return (
        f"<h2>{_e(fmt.t('dossier_method', lang))}</h2>"
        + _facts(facts)
        + notes
        + f"<h3>{_e(fmt.t('dossier_weights', lang))}</h3>"
        + _frame_table(criteria_frame(a.result, lang), numeric=(2, 3, 5), widths=(36, 12, 9, 10, 18, 15))
        + f"<h3>{_e(fmt.t('dossier_robust_header', lang))}</h3><p>{_e(robust)}</p>"
    )


def _ranking(a: Assessment, lang: str) -> str:
    return (
        f'<h2 class="pb">{_e(fmt.t("dossier_ranking", lang))}</h2>'
        f'<p class="caption">{_e(fmt.t("score_ranking_caption", lang))}</p>'
        + _frame_table(ranking_frame(a, lang), numeric=(0, 2, 3, 4, 6, 7), widths=(8, 19, 7, 10, 8, 30, 9, 9))
    )


# The charts place their own legends in print (layout.meta press_legend), at the dossier's size.
LEGEND_FONT = 15


def _chart_figures(a: Assessment, lang: str, printed_on: dt.date) -> list[tuple]:
    """(figure, meta) of the contribution chart and, when checked, the uncertainty chart."""
    base = dict(subtitle=chart_subtitle(a, lang), source=source_line(a, lang), lang=lang, synthetic=a.synthetic)
    notes = tuple(note_texts(a.result, lang))
    meta = dict(dataset=a.dataset, year=a.year, as_of=a.as_of, exported_on=printed_on, **base)
    title = fmt.t("score_contrib_title", lang, scheme=a.scheme.title(lang))
    out = [
        (
            score_charts.contribution_bars(a.result, title=title, **base),
            ExportMeta(title=title, notes=(fmt.t("score_contrib_note", lang), *notes), **meta),
        )
    ]
    if a.checked:
        stats = a.uncertainty.regions
        ranked = stats.loc[stats["peringkat"].notna()].rename(
            columns={"peringkat": "nominal", "peringkat_median": "median", "peringkat_p5": "p5", "peringkat_p95": "p95"}
        )
        title = fmt.t("score_uncertainty_title", lang, scheme=a.scheme.title(lang))
        words = settings_words(a, lang)
        note = fmt.t(
            "score_uncertainty_note", lang, draws=words["draws"], seed=words["seed"], perturbation=words["perturbation"]
        )
        out.append(
            (
                score_charts.uncertainty_plot(ranked, title=title, **base),
                ExportMeta(title=title, notes=(note, *notes), **meta),
            )
        )
    return out


def chart_svg(fig, meta: ExportMeta, size: str) -> str:
    return printing.chart_svg(fig, meta, size, legend_font=LEGEND_FONT)


def _charts(a: Assessment, lang: str, printed_on: dt.date) -> str:
    size = "4:5" if len(a.scored) > TALL_CHART else "1:1"
    return "".join(
        f'<figure class="pb">{chart_svg(fig, meta, size)}</figure>' for fig, meta in _chart_figures(a, lang, printed_on)
    )


def _robustness(a: Assessment, lang: str) -> str:
    if not a.checked:
        return ""
    out = f'<h2 class="pb">{_e(fmt.t("dossier_robust_results", lang))}</h2>'
    out += f"<h3>{_e(fmt.t('score_sensitivity_header', lang))}</h3>" + _sobol_table(a, lang)
    return out + f"<h3>{_e(fmt.t('score_drop_header', lang))}</h3>" + _drop_table(a, lang)


def input_label(name: str, a: Assessment, lang: str) -> str:
    labels = {c.id: c.title(lang) for c in a.scheme.criteria} | {
        "normalisasi": fmt.t("score_normalisation", lang),
        "agregasi": fmt.t("score_aggregation", lang),
        "data_hilang": fmt.t("score_missing", lang),
    }
    return labels.get(name, name)


def _sobol_table(a: Assessment, lang: str) -> str:
    sens = a.sensitivity
    if sens.note == "tanpa_ragam" or sens.indices.empty or sens.indices["ST"].isna().all():
        return f"<p>{_e(fmt.t('score_sensitivity_none', lang))}</p>"

    def band(row, key):
        low, high = fmt.number(row[key + "_p5"], 2, lang), fmt.number(row[key + "_p95"], 2, lang)
        return f"{fmt.number(row[key], 2, lang)} ({low}–{high})"

    rows = [
        [input_label(r["masukan"], a, lang), band(r, "S1"), band(r, "ST")]
        for r in sens.indices.sort_values("ST", ascending=False).to_dict("records")
    ]
    note = fmt.t("score_sensitivity_note", lang, n=fmt.number(sens.n, 0, lang), runs=fmt.number(sens.runs, 0, lang))
    header = [fmt.t("dossier_col_input", lang), fmt.t("dossier_col_s1", lang), fmt.t("dossier_col_st", lang)]
    return _table(header, rows, numeric=(1, 2), widths=(50, 25, 25)) + f'<p class="caption">{_e(note)}</p>'


def _drop_table(a: Assessment, lang: str) -> str:
    frame = a.drop_one
    rows = []
    for cid, part in frame.groupby("kriteria", sort=False):
        moved = int(part["perubahan"].fillna(0).ne(0).sum())
        leaders = part.loc[part["peringkat_tanpa"] == 1, "nama"].tolist()
        rows.append(
            [
                input_label(cid, a, lang),
                fmt.number(part["perubahan_rata_rata"].iloc[0], 1, lang),
                str(moved),
                ", ".join(leaders) or "–",
            ]
        )
    header = [
        fmt.t("dossier_col_dropped", lang),
        fmt.t("dossier_col_mean_change", lang),
        fmt.t("dossier_col_moved", lang),
        fmt.t("dossier_col_new_leader", lang),
    ]
    return (
        _table(header, rows, numeric=(1, 2), widths=(38, 18, 16, 28))
        + f'<p class="caption">{_e(fmt.t("score_drop_caption", lang))}</p>'
    )


def _unscored(a: Assessment, lang: str) -> str:
    n = len(a.unscored)
    out = f"<h2>{_e(fmt.t('score_unscored_header', lang, n=n))}</h2>"
    if not n:
        return out + f"<p>{_e(fmt.t('dossier_unscored_none', lang))}</p>"
    return out + _frame_table(unscored_frame(a.result, lang), widths=(30, 70))


def _podium(a: Assessment, lang: str) -> str:
    """The top three (ties included) with their scores, restated where the committee signs."""
    top = a.scored.loc[a.scored["peringkat"] <= 3]
    decimals = scoring.score_decimals(a.scheme.aggregation)
    items = "".join(
        f"<li>{int(r['peringkat'])}. {_e(r['nama'])} — {_e(fmt.number(r['skor'], decimals, lang))}</li>"
        for r in top.to_dict("records")
    )
    return f'<ul class="podium">{items}</ul>' if items else ""


def _signatures(a: Assessment, lang: str) -> str:
    header = [
        fmt.t(k, lang) for k in ("dossier_col_no", "dossier_col_name", "dossier_col_role", "dossier_col_signature")
    ]
    rows = [[f"{i}.", "", "", ""] for i in range(1, SIGNATURE_LINES + 1)]
    return (
        f'<div class="signblock"><h2>{_e(fmt.t("dossier_signatures", lang))}</h2>'
        f"<p>{_e(fmt.t('dossier_statement', lang))}</p>{_podium(a, lang)}"
        f'<p class="place">{_e(fmt.t("dossier_place_date", lang))}: <span>&nbsp;</span></p>'
        + _table(header, rows, css="signatures", widths=(8, 35, 22, 35))
        + "</div>"
    )


def _figures(a: Assessment, lang: str) -> str:
    out = f'<h2 class="pb">{_e(fmt.t("dossier_figures", lang))}</h2>'
    rows, numbers = figures_used(a, lang)
    if not rows:
        return out + f"<p>{_e(fmt.t('dossier_no_figures', lang))}</p>"
    out += f'<p class="caption">{_e(fmt.t("dossier_figures_caption", lang))}</p>'
    header = [fmt.t(k, lang) for k in ("score_col_criterion", "dossier_col_raw", "col_date", "col_source")]
    body, current, by_number = [], None, {n: pair for pair, n in numbers.items()}
    for row in rows:
        region = row["region"]
        if region["kode"] != current:
            current = region["kode"]
            body.append(f'<tr class="group"><td colspan="4">{int(region["peringkat"])}. {_e(region["nama"])}</td></tr>')
        cells = [
            row["criterion"].title(lang),
            _value_markup(row, lang),
            fmt.date(row["cell"]["tanggal_data"], lang),
            _source_markup(row, by_number, lang),
        ]
        body.append("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    out += (
        f'<table class="figures">{_colgroup((39, 14, 16, 31))}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )
    return out + _references(numbers, lang)


def _references(numbers: dict[tuple[str, str], int], lang: str) -> str:
    return printing.references(numbers, lang)


def html(a: Assessment, lang: str = "id", printed_on: dt.date | None = None) -> str:
    """The Lembar Penilaian as one self-contained HTML page (print CSS, inline SVG, no script)."""
    printed_on = printed_on or dt.date.today()
    parts = [_head(a, lang), _cover(a, lang, printed_on), _method(a, lang)]
    if len(a.scored):
        parts += [_ranking(a, lang), _charts(a, lang, printed_on), _robustness(a, lang)]
    else:
        none = fmt.t("score_none_scored", lang, missing=fmt.t(f"score_missing_{a.scheme.missing}", lang))
        parts.append(f'<div class="box warn">{_e(none)}</div>')
    parts += [_unscored(a, lang), _signatures(a, lang), _figures(a, lang)]
    return "".join(parts) + "</body></html>"


# ---------------------------------------------------------------- PDF


def pdf_bytes(
    a: Assessment, lang: str = "id", printed_on: dt.date | None = None, timeout: float = printing.PRINT_TIMEOUT
) -> bytes:
    """The Lembar Penilaian as an A4 PDF, printed by headless Chromium (analytics.printing)."""
    return printing.pdf_bytes(html(a, lang, printed_on), lang, timeout)
