"""The Lembar Penilaian's workbook (XLSX, numbers as numbers): ringkasan (method and weights), skor, nilai,
ketahanan, sumber, tidak_dinilai. The same assessment as the PDF (analytics.dossier, whose wording it
shares); text taken from data is passed through export.neutralise, so no cell starts a formula.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd

from analytics import columns, dossier, export, fmt
from analytics.assessment import Assessment, drop_one_frame, note_texts, robustness_columns, unscored_frame


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
        ("Dataset", f"{dossier.dataset_text(a, lang)} ({a.dataset})"),
        (fmt.t("dossier_printed", lang), printed_on),
        (fmt.t("score_normalisation", lang), fmt.t(f"score_norm_{scheme.normalisation}", lang)),
        (fmt.t("score_aggregation", lang), fmt.t(f"score_agg_{scheme.aggregation}", lang)),
        (fmt.t("score_missing", lang), dossier.policy_text(scheme, lang)),
    ]
    if a.checked:
        words = dossier.settings_words(a, lang)
        rows += [
            (fmt.t("dossier_draws", lang), a.settings.draws),
            (fmt.t("score_seed", lang), a.settings.seed),
            (fmt.t("score_perturbation", lang) + " (%)", a.settings.perturbation * 100),
            (fmt.t("dossier_tested", lang), f"{words['norm']}; {words['agg']}; {words['missing']}"),
            (fmt.t("dossier_sobol_runs", lang), f"N = {a.sensitivity.n}, {a.sensitivity.runs}"),
        ]
    else:
        rows.append((fmt.t("dossier_robust_header", lang), fmt.t("dossier_robust_none", lang)))
    rows.append(("", dossier.outcome(a, lang)))
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
    labels = [dossier.input_label(m, a, lang) for m in frame["masukan"]]
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
