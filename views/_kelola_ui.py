"""Kelola Data's pieces: the template downloads, reading an upload and planning its import once per
file (kept in session state), the report of what reading found, and the form that stores a batch.
views/kelola.py lays the page out; analytics.importing does the work, importing.review words it.

Everything read from a file (region names, notes, file and sheet names, messages quoting cells)
is shown in tables or as plain text, never as Markdown or HTML.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import streamlit as st

from analytics import fmt, store
from analytics.fmt import t
from analytics.importing import importer, reader_process, review, templates
from analytics.importing.problems import Problem, ReadResult
from views import _ui

KINDS = list(templates.KINDS)
SHOWN_PROBLEMS = 100


def count(n: int, lang: str) -> str:
    return fmt.number(n, lang=lang)  # "900.000 baris", not "900000"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def template_downloads(lang: str) -> None:
    st.subheader(t("kelola_templates", lang))
    st.markdown(t("kelola_templates_help", lang))
    for column, kind in zip(st.columns(len(KINDS)), KINDS):
        column.markdown(f"**{t(f'kelola_kind_{kind}', lang)}**")
        column.download_button(
            "XLSX",
            templates.build_xlsx(kind),
            templates.file_name(kind, "xlsx"),
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"tpl_xlsx_{kind}",
        )
        column.download_button(
            "CSV", templates.build_csv(kind), templates.file_name(kind, "csv"), mime="text/csv", key=f"tpl_csv_{kind}"
        )


# ---------------------------------------------------------------- reading and planning, once per file


def read_upload(name: str, data: bytes, sheet: str | None, kind: str | None) -> ReadResult:
    """Read once per file, sheet and kind in this session. Kept in session state, not st.cache_data,
    which would unpickle a copy of a million-row result on every rerun."""
    return _session_memo(
        "kelola_read", (digest(data), sheet, kind), lambda: reader_process.read_file(name, data, sheet=sheet, kind=kind)
    )


def cached_plan(db_path: Path, result: ReadResult, data: bytes, key: tuple) -> importer.Plan:
    """The plan for this file, sheet and kind (`key`) and store version: a widget click must not
    re-check a big file, but a new batch (by anyone) must."""
    return _session_memo("kelola_plan", (*key, _ui.db_stamp()), lambda: importer.plan(db_path, result, data))


def remember_plan(key: tuple, fresh: importer.Plan) -> None:
    """Keep a plan made elsewhere (by commit, against the current store) as cached_plan's."""
    st.session_state["kelola_plan"] = ((*key, _ui.db_stamp()), fresh)


def _session_memo(name: str, key: tuple, compute):
    memo = st.session_state.get(name)
    if memo is None or memo[0] != key:
        memo = (key, compute())
        st.session_state[name] = memo
    return memo[1]


# ---------------------------------------------------------------- what reading found


def problem_list(problems: list[Problem], lang: str) -> None:
    """Errors first, each on its own line in full (a table cell would cut the how-to-fix part);
    the whole report as CSV for a steward fixing a long file."""
    ordered = review.ordered(problems)
    lines = [
        f"- **{t(f'kelola_level_{p.level}', lang)}** · {_ui.plain_markdown(p.where())}: "
        f"{_ui.plain_markdown(review.message(p, lang))}"
        for p in ordered[:SHOWN_PROBLEMS]
    ]
    st.markdown("\n".join(lines))
    if len(ordered) > SHOWN_PROBLEMS:
        st.caption(t("kelola_more_problems", lang, n=count(len(ordered) - SHOWN_PROBLEMS, lang)))
    st.download_button(
        t("kelola_report_csv", lang),
        review.report_csv(ordered, lang),
        "laporan_pemeriksaan.csv",
        mime="text/csv",
        key="kelola_report_csv",
    )


def show_reading(result: ReadResult, plan: importer.Plan, lang: str) -> None:
    if result.kind:
        sheet = f" · sheet {result.sheet}" if result.sheet else ""
        st.text(
            f"{t('kelola_read_as', lang)}: {t(f'kelola_kind_{result.kind}', lang)}{sheet} · "
            f"{t('kelola_header_row', lang)} {result.header_row}"
        )
    if result.mapping or result.unused:
        st.markdown(f"**{t('kelola_mapping', lang)}**")
        st.dataframe(review.mapping_frame(result, lang), hide_index=True, width="stretch")
    st.markdown(f"**{t('kelola_report', lang)}**")
    if plan.problems:
        problem_list(plan.problems, lang)
    else:
        st.caption(t("kelola_no_problems", lang))
    if len(result.records):
        with st.expander(t("kelola_preview", lang, n=count(len(result.records), lang))):
            st.dataframe(result.records.head(500), hide_index=True, width="stretch")


# ---------------------------------------------------------------- storing a batch


def store_form(db_path: Path, result: ReadResult, plan: importer.Plan, user: str, key: tuple, lang: str) -> None:
    st.success(t("kelola_ready", lang, rows=count(len(result.rows), lang), kind=t(f"kelola_kind_{result.kind}", lang)))
    if plan.corrections:
        st.info(t("kelola_corrections", lang, n=count(plan.corrections, lang)))
    if new := st.session_state.pop("kelola_plan_changed", None):
        st.warning(t("kelola_plan_changed", lang, n=count(new, lang)))
    with st.form("kelola_store"):
        source = st.text_input(t("kelola_source", lang), max_chars=200)
        # Keyed by the warnings: when they change (a batch stored meanwhile), the tick is asked again.
        ack = (
            st.checkbox(
                t("kelola_ack", lang, n=count(len(plan.warnings), lang)),
                key=f"kelola_ack_{digest(str(plan.warnings).encode())}",
            )
            if plan.warnings
            else True
        )
        submitted = st.form_submit_button(t("kelola_store", lang), type="primary")
    if submitted and source.strip() and ack:
        store_batch(db_path, result, plan, source, user, key, lang)
    elif submitted:
        st.error(t("kelola_need_source" if not source.strip() else "kelola_need_ack", lang))


def store_batch(
    db_path: Path, result: ReadResult, plan: importer.Plan, source: str, user: str, key: tuple, lang: str
) -> None:
    try:
        with st.spinner(t("kelola_storing", lang)):
            load = importer.commit(db_path, plan, source=source, user=user, acknowledged=True)
    except importer.PlanChanged as changed:
        # Another batch landed first and the checks now warn anew: show the fresh report and ask
        # again. Its plan is kept, so the rerun does not check a big file once more.
        remember_plan(key, changed.plan)
        st.session_state["kelola_plan_changed"] = len(changed.new)
        st.rerun()
    except store.StoreUnwritable as error:
        show_unwritable(error, lang)
        return
    st.session_state["kelola_last"] = (load.batch_id, len(result.rows))
    st.rerun()


def show_unwritable(error: store.StoreUnwritable, lang: str) -> None:
    st.error(
        t(
            "kelola_unwritable",
            lang,
            path=_ui.plain_markdown(str(error.path)),
            reason=_ui.plain_markdown(str(error.reason)),
            folder=_ui.plain_markdown(str(error.path.parent)),
        )
    )
