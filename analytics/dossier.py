"""The Lembar Penilaian: one committee assessment as a decision document (A4 PDF, printed by the
Debian Chromium from HTML with the charts as inline SVG, analytics.printing) and as a workbook (XLSX, numbers as
numbers). Both carry the scheme, the weights, the method and seed, the ranking with its robustness,
the regions not scored and why, and every figure used with its source. Pure: no Streamlit.

Everything taken from data (region names, notes, citations, scheme titles) is escaped: html.escape
in the HTML, a CSS string escape in the running header and footer, export.neutralise in the workbook.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd

from analytics import columns, export, fmt, metrics, printing, score_charts, scoring
from analytics.assessment import (
    Assessment,
    chart_subtitle,
    criteria_frame,
    drop_one_frame,
    note_texts,
    ranking_frame,
    robustness_columns,
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


def _dataset_text(a: Assessment, lang: str) -> str:
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


def _settings_words(a: Assessment, lang: str) -> dict[str, str]:
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


def _policy_text(scheme: scoring.Scheme, lang: str) -> str:
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
        dataset=_dataset_text(a, lang),
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
        ("Dataset", _dataset_text(a, lang)),
        (fmt.t("dossier_printed", lang), fmt.date(printed_on, lang)),
    ]
    out = f"<h1>{_e(fmt.t('dossier_title', lang))}</h1><p class='scheme'>{_e(a.scheme.title(lang))}</p>" + _facts(facts)
    if a.synthetic:
        out += f'<div class="box synthetic">{_e(fmt.t("dataset_note_contoh", lang))}</div>'
    if a.scheme.example:
        out += f'<div class="box warn">{_e(fmt.t("score_example_warning", lang))}</div>'
    out += f"<p>{_e(a.scheme.description(lang))}</p>"
    return out + f"<p><b>{_e(_outcome(a, lang))}</b></p>"


def _outcome(a: Assessment, lang: str) -> str:
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
        (fmt.t("score_missing", lang), _policy_text(scheme, lang)),
    ]
    notes = "".join(f'<p class="caption">{_e(n)}</p>' for n in note_texts(a.result, lang))
    robust = (
        fmt.t("dossier_robust_text", lang, **_settings_words(a, lang))
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
        words = _settings_words(a, lang)
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


def _input_label(name: str, a: Assessment, lang: str) -> str:
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
        [_input_label(r["masukan"], a, lang), band(r, "S1"), band(r, "ST")]
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
                _input_label(cid, a, lang),
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


# ---------------------------------------------------------------- XLSX


def _xl(value):
    """A cell value as the exports write it (numbers as numbers, missing as empty), a midnight
    timestamp as a date, text with a formula's start neutralised."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return value.date()
    value = export.plain_value(value)
    return export.neutralise(ILLEGAL_CHARACTERS_RE.sub("", value)) if isinstance(value, str) else value


def _block(sheet, frame: pd.DataFrame, start: int, title: str | None = None, percent: tuple[str, ...] = ()) -> int:
    """Write `frame` (optional bold title row, bold header) from row `start`; the next free row + 1."""
    from openpyxl.styles import Font

    row = start
    if title:
        sheet.cell(row=row, column=1, value=_xl(title)).font = Font(bold=True, size=12)
        row += 1
    for col, name in enumerate(frame.columns, start=1):
        sheet.cell(row=row, column=col, value=_xl(str(name))).font = Font(bold=True)
    for values in frame.itertuples(index=False, name=None):
        row += 1
        for col, (name, value) in enumerate(zip(frame.columns, values), start=1):
            cell = sheet.cell(row=row, column=col, value=_xl(value))
            if name in percent:
                cell.number_format = "0%"
    return row + 2


def _widths(sheet) -> None:
    from openpyxl.utils import get_column_letter

    for index, cells in enumerate(sheet.iter_cols(), start=1):
        longest = max((len(str(c.value)) for c in cells if c.value is not None), default=8)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 8), 60)


def _t(lang: str, *keys: str) -> list[str]:
    return [fmt.t(k, lang) for k in keys]


def summary_frame(a: Assessment, lang: str, printed_on: dt.date) -> pd.DataFrame:
    scheme = a.scheme
    rows = [
        (fmt.t("col_title", lang), fmt.t("dossier_title", lang)),
        (fmt.t("dossier_scheme", lang), f"{scheme.title(lang)} ({scheme.name})"),
        (fmt.t("sidebar_year", lang), a.year),
        (fmt.t("export_asof", lang), a.as_of),
        ("Dataset", f"{_dataset_text(a, lang)} ({a.dataset})"),
        (fmt.t("dossier_printed", lang), printed_on),
        (fmt.t("score_normalisation", lang), fmt.t(f"score_norm_{scheme.normalisation}", lang)),
        (fmt.t("score_aggregation", lang), fmt.t(f"score_agg_{scheme.aggregation}", lang)),
        (fmt.t("score_missing", lang), _policy_text(scheme, lang)),
    ]
    if a.checked:
        words = _settings_words(a, lang)
        rows += [
            (fmt.t("dossier_draws", lang), a.settings.draws),
            (fmt.t("score_seed", lang), a.settings.seed),
            (fmt.t("score_perturbation", lang) + " (%)", a.settings.perturbation * 100),
            (fmt.t("dossier_tested", lang), f"{words['norm']}; {words['agg']}; {words['missing']}"),
            (fmt.t("dossier_sobol_runs", lang), f"N = {a.sensitivity.n}, {a.sensitivity.runs}"),
        ]
    else:
        rows.append((fmt.t("dossier_robust_header", lang), fmt.t("dossier_robust_none", lang)))
    rows.append(("", _outcome(a, lang)))
    warnings = (
        ([fmt.t("dataset_note_contoh", lang)] if a.synthetic else [])
        + ([fmt.t("score_example_warning", lang)] if scheme.example else [])
        + note_texts(a.result, lang)
    )
    rows += [(fmt.t("col_note", lang), text) for text in warnings]
    return pd.DataFrame(rows, columns=["", " "])


def weights_frame(a: Assessment, lang: str) -> pd.DataFrame:
    frame = a.result.criteria
    return pd.DataFrame(
        {
            fmt.t("dossier_col_criterion_id", lang): frame["kriteria"],
            fmt.t("score_col_criterion", lang): [c.title(lang) for c in a.scheme.criteria],
            fmt.t("score_col_aspect", lang): [fmt.t(f"score_aspect_{x}", lang) if x else "" for x in frame["aspek"]],
            fmt.t("score_col_weight", lang): frame["bobot"],
            fmt.t("score_col_effective", lang) + " (%)": frame["bobot_efektif"],
            fmt.t("dossier_col_direction", lang): [fmt.t(f"dossier_direction_{d}", lang) for d in frame["arah"]],
            fmt.t("dossier_col_target", lang): frame["target"],
            fmt.t("score_col_normalisation", lang): [fmt.t(f"score_norm_{n}", lang) for n in frame["normalisasi"]],
            fmt.t("score_col_regions", lang): frame["jumlah_daerah"],
        }
    )


def _labelled(columns: tuple, lang: str) -> pd.DataFrame:
    """A frame from (teks.toml key, values) pairs, headed in `lang`."""
    return pd.DataFrame({fmt.t(key, lang): pd.Series(values).to_numpy() for key, values in columns})


def scores_frame(a: Assessment, lang: str) -> pd.DataFrame:
    regions, extra = a.scored, robustness_columns(a, lang)
    return _labelled(
        (
            ("col_rank", regions["peringkat"].astype(int)),
            ("dossier_col_code", regions["kode"]),
            ("col_region", regions["nama"]),
            ("score_col_score", regions["skor"]),
            ("dossier_col_median", extra["peringkat_median"]),
            ("dossier_col_p5", extra["peringkat_p5"]),
            ("dossier_col_p95", extra["peringkat_p95"]),
            ("dossier_col_first", extra["p_peringkat_1"]),
            ("score_col_top3", extra["p_3_besar"]),
            ("score_col_margin", extra["selisih_aman"]),
            ("dossier_col_coverage", regions["cakupan_bobot"]),
            ("score_col_imputed", regions["jumlah_imputasi"].astype(int)),
        ),
        lang,
    )


def _with_names(a: Assessment, frame: pd.DataFrame) -> pd.DataFrame:
    names = a.result.regions.set_index("kode")["nama"]
    titles = {c.id: c for c in a.scheme.criteria}
    return frame.assign(_nama=frame["kode"].map(names), _judul=frame["kriteria"].map(titles))


def values_frame(a: Assessment, lang: str) -> pd.DataFrame:
    cells = _with_names(a, a.result.cells)
    return pd.DataFrame(
        {
            fmt.t("dossier_col_code", lang): cells["kode"],
            fmt.t("col_region", lang): cells["_nama"],
            fmt.t("dossier_col_criterion_id", lang): cells["kriteria"],
            fmt.t("score_col_criterion", lang): [c.title(lang) for c in cells["_judul"]],
            fmt.t("dossier_col_raw", lang): cells["nilai_mentah"],
            fmt.t("dossier_col_qualifier", lang): [
                fmt.qualified("", q, lang).strip() or None for q in cells["kualifikasi"]
            ],
            fmt.t("dossier_col_imputed_flag", lang): cells["diimputasi"].astype(bool),
            fmt.t("dossier_col_normalised", lang): cells["ternormalisasi"],
            fmt.t("dossier_col_contribution", lang): cells["kontribusi"],
        }
    )


def sources_frame(a: Assessment, lang: str) -> pd.DataFrame:
    cells = _with_names(a, a.result.cells)
    cells = cells.loc[cells["tersedia"]]
    return pd.DataFrame(
        {
            fmt.t("dossier_col_code", lang): cells["kode"],
            fmt.t("col_region", lang): cells["_nama"],
            fmt.t("dossier_col_criterion_id", lang): cells["kriteria"],
            fmt.t("dossier_col_obs", lang): cells["obs_id"],
            fmt.t("col_date", lang): cells["tanggal_data"],
            fmt.t("col_source", lang): [columns.english_citation(s) if lang == "en" else s for s in cells["sumber"]],
            fmt.t("col_link", lang): cells["url"],
            fmt.t("dossier_col_assessors", lang): cells["penilai"],
            fmt.t("col_note", lang): [fmt.note(n, lang) for n in cells["catatan"]],
        }
    )


def uncertainty_frame(a: Assessment, lang: str) -> pd.DataFrame:
    stats = a.uncertainty.regions
    return pd.DataFrame(
        {
            fmt.t("dossier_col_code", lang): stats["kode"],
            fmt.t("col_region", lang): stats["nama"],
            fmt.t("col_rank", lang): stats["peringkat"],
            fmt.t("dossier_col_median", lang): stats["peringkat_median"],
            fmt.t("dossier_col_p5", lang): stats["peringkat_p5"],
            fmt.t("dossier_col_p95", lang): stats["peringkat_p95"],
            fmt.t("dossier_col_mean_rank", lang): stats["peringkat_rata_rata"],
            fmt.t("dossier_col_first", lang): stats["p_peringkat_1"],
            fmt.t("score_col_top3", lang): stats["p_3_besar"],
            fmt.t("dossier_col_share_scored", lang): stats["porsi_dinilai"],
        }
    )


def sobol_frame(a: Assessment, lang: str) -> pd.DataFrame:
    frame = a.sensitivity.indices
    labels = [_input_label(m, a, lang) for m in frame["masukan"]]
    shown = frame.drop(columns=["jenis"]).assign(masukan=labels)
    return shown.rename(columns={"masukan": fmt.t("dossier_col_input", lang)})


def margins_frame(a: Assessment, lang: str) -> pd.DataFrame:
    m = a.margins
    titles = {c.id: c.title(lang) for c in a.scheme.criteria}
    return pd.DataFrame(
        {
            fmt.t("dossier_col_upper", lang): m["nama_atas"],
            fmt.t("dossier_col_lower", lang): m["nama_bawah"],
            fmt.t("score_col_margin", lang): [_margin_status(s, lang) for s in m["status"]],
            fmt.t("score_col_criterion", lang): [titles.get(k) for k in m["kriteria"]],
            fmt.t("dossier_col_new_weight", lang): m["bobot_baru"],
            fmt.t("dossier_col_weight_change", lang): m["perubahan_bobot"],
            fmt.t("dossier_col_effective_change", lang): m["perubahan_bobot_efektif"],
        }
    )


def _margin_status(status: str, lang: str) -> str:
    return {"seri": fmt.t("score_margin_tie", lang), "tidak_tertukar": fmt.t("score_margin_safe", lang)}.get(status, "")


def xlsx_bytes(a: Assessment, lang: str = "id", printed_on: dt.date | None = None) -> bytes:
    """The workbook: ringkasan (method and weights), skor, nilai, ketahanan, sumber, tidak_dinilai."""
    from openpyxl import Workbook

    printed_on = printed_on or dt.date.today()
    book = Workbook()
    book.remove(book.active)
    sheets = {
        key: book.create_sheet(fmt.t(f"dossier_sheet_{key}", lang))
        for key in ("summary", "scores", "values", "robustness", "sources", "unscored")
    }
    row = _block(sheets["summary"], summary_frame(a, lang, printed_on), 1)
    _block(sheets["summary"], weights_frame(a, lang), row, fmt.t("dossier_weights", lang))
    top3, first = fmt.t("score_col_top3", lang), fmt.t("dossier_col_first", lang)
    _block(sheets["scores"], scores_frame(a, lang), 1, percent=(top3, first))
    _block(sheets["values"], values_frame(a, lang), 1)
    _robustness_sheet(sheets["robustness"], a, lang)
    _block(sheets["sources"], sources_frame(a, lang), 1)
    unscored = unscored_frame(a.result, lang)
    unscored.insert(0, fmt.t("dossier_col_code", lang), a.unscored["kode"].to_numpy())
    _block(sheets["unscored"], unscored, 1)
    for sheet in book.worksheets:
        _widths(sheet)
    for key in ("scores", "values", "sources", "unscored"):
        sheets[key].freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _robustness_sheet(sheet, a: Assessment, lang: str) -> None:
    if not a.checked:
        sheet.cell(row=1, column=1, value=fmt.t("dossier_robust_none", lang))
        return
    top3, first = fmt.t("score_col_top3", lang), fmt.t("dossier_col_first", lang)
    row = _block(sheet, uncertainty_frame(a, lang), 1, fmt.t("dossier_block_uncertainty", lang), percent=(top3, first))
    row = _block(sheet, drop_one_frame(a.drop_one, a.scheme, lang), row, fmt.t("score_drop_header", lang))
    row = _block(sheet, sobol_frame(a, lang), row, fmt.t("score_sensitivity_title", lang))
    _block(sheet, margins_frame(a, lang), row, fmt.t("dossier_block_margins", lang))
