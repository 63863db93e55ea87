"""What a steward reads on Kelola Data before and after storing: the checks' problems as a table
(and its CSV), errors first; how the file's columns were mapped; the stored batches of `resmi`.
Pure pandas, no Streamlit; every text in the steward's language."""

from __future__ import annotations

import pandas as pd

from analytics.fmt import t
from analytics.importing import templates
from analytics.importing.problems import Problem, ReadResult

BATCH_COLUMNS = [
    "batch_id",
    "status",
    "dibuat_pada",
    "dibuat_oleh",
    "jenis_data",
    "jumlah_baris",
    "nama_file",
    "keterangan",
]


def message(problem: Problem, lang: str) -> str:
    return problem.message if lang == "id" else problem.message_en


def ordered(problems: list[Problem]) -> list[Problem]:
    """Errors first, then warnings, each in row order."""
    return sorted(problems, key=lambda p: (p.level != "error", p.row or 0))


def error_count(problems: list[Problem]) -> int:
    return sum(p.level == "error" for p in problems)


def problems_frame(problems: list[Problem], lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("kelola_col_level", lang): [t(f"kelola_level_{p.level}", lang) for p in problems],
            t("kelola_col_where", lang): [p.where() for p in problems],
            t("kelola_col_message", lang): [message(p, lang) for p in problems],
        }
    )


def report_csv(problems: list[Problem], lang: str) -> bytes:
    """The whole report (problems in the order given) as CSV that Excel opens in UTF-8."""
    return problems_frame(problems, lang).to_csv(index=False).encode("utf-8-sig")


def mapping_frame(result: ReadResult, lang: str) -> pd.DataFrame:
    """Each column of the file and the field it was read as (with its scale), or 'not used'."""
    fields = [
        f"{templates.field_label(result.kind, col)} ({col})"
        + (f" × {result.scales[col]:,.0f}".replace(",", ".") if col in result.scales else "")
        for col in result.mapping.values()
    ]
    return pd.DataFrame(
        {
            t("kelola_col_source", lang): list(result.mapping) + result.unused,
            t("kelola_col_field", lang): fields + [t("kelola_unused", lang)] * len(result.unused),
        }
    )


def resmi_batches(batches: pd.DataFrame) -> pd.DataFrame:
    """The batches of the steward's dataset (store.batches), newest first."""
    return batches.loc[batches["dataset"] == "resmi"].sort_values("batch_id", ascending=False)


def batch_table(batches: pd.DataFrame, lang: str) -> pd.DataFrame:
    labels = dict(zip(BATCH_COLUMNS, t("kelola_batch_columns", lang).split("|")))
    return batches[BATCH_COLUMNS].rename(columns=labels)


def active_batches(batches: pd.DataFrame) -> list:
    """The batch ids a steward may roll back."""
    return batches.loc[batches["status"] == "aktif", "batch_id"].tolist()
