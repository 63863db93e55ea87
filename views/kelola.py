"""Kelola Data: templates for everyone; for signed-in stewards upload, check, store and roll back.

Everything read from a file (region names, notes, file and sheet names, messages quoting cells)
is shown in tables or as plain text, never as Markdown or HTML.
"""
import hashlib

import pandas as pd
import streamlit as st

from analytics import fmt, store
from analytics.fmt import t
from analytics.importing import importer, reader_process, spreadsheet, templates
from analytics.importing.problems import Problem, ReadResult
from analytics.importing.reading_limits import UPLOAD_CAP, UPLOAD_CAP_MB
from views import _access, _state, _ui

KINDS = list(templates.KINDS)

view: _ui.View = st.session_state["view"]
lang = view.lang
db_path = _ui.db_path()

st.title(t("page_kelola", lang))
st.markdown(t("kelola_intro", lang))


def count(n: int) -> str:
    return fmt.number(n, lang=lang)  # "900.000 baris", not "900000"


def template_downloads() -> None:
    st.subheader(t("kelola_templates", lang))
    st.markdown(t("kelola_templates_help", lang))
    for column, kind in zip(st.columns(len(KINDS)), KINDS):
        column.markdown(f"**{t(f'kelola_kind_{kind}', lang)}**")
        column.download_button("XLSX", templates.build_xlsx(kind), templates.file_name(kind, "xlsx"),
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               key=f"tpl_xlsx_{kind}")
        column.download_button("CSV", templates.build_csv(kind), templates.file_name(kind, "csv"),
                               mime="text/csv", key=f"tpl_csv_{kind}")


def read_upload(name: str, data: bytes, sheet: str | None, kind: str | None) -> ReadResult:
    """Read once per file, sheet and kind in this session. Kept in session state, not st.cache_data,
    which would unpickle a copy of a million-row result on every rerun."""
    return _session_memo("kelola_read", (_digest(data), sheet, kind),
                         lambda: reader_process.read_file(name, data, sheet=sheet, kind=kind))


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    return pd.DataFrame({
        t("kelola_col_level", lang): [t(f"kelola_level_{p.level}", lang) for p in problems],
        t("kelola_col_where", lang): [p.where() for p in problems],
        t("kelola_col_message", lang): [p.message if lang == "id" else p.message_en for p in problems],
    })


SHOWN_PROBLEMS = 100


def problem_list(problems: list[Problem]) -> None:
    """Errors first, each on its own line in full (a table cell would cut the how-to-fix part);
    the whole report as CSV for a steward fixing a long file."""
    ordered = sorted(problems, key=lambda p: (p.level != "error", p.row or 0))
    lines = [f"- **{t(f'kelola_level_{p.level}', lang)}** · {_ui.plain_markdown(p.where())}: "
             f"{_ui.plain_markdown(p.message if lang == 'id' else p.message_en)}" for p in ordered[:SHOWN_PROBLEMS]]
    st.markdown("\n".join(lines))
    if len(ordered) > SHOWN_PROBLEMS:
        st.caption(t("kelola_more_problems", lang, n=count(len(ordered) - SHOWN_PROBLEMS)))
    st.download_button(t("kelola_report_csv", lang), problems_frame(ordered).to_csv(index=False).encode("utf-8-sig"),
                       "laporan_pemeriksaan.csv", mime="text/csv", key="kelola_report_csv")


def mapping_frame(result: ReadResult) -> pd.DataFrame:
    fields = [f"{templates.field_label(result.kind, col)} ({col})"
              + (f" × {result.scales[col]:,.0f}".replace(",", ".") if col in result.scales else "")
              for col in result.mapping.values()]
    return pd.DataFrame({t("kelola_col_source", lang): list(result.mapping) + result.unused,
                         t("kelola_col_field", lang): fields + [t("kelola_unused", lang)] * len(result.unused)})


def show_reading(result: ReadResult, plan: importer.Plan) -> None:
    if result.kind:
        sheet = f" · sheet {result.sheet}" if result.sheet else ""
        st.text(f"{t('kelola_read_as', lang)}: {t(f'kelola_kind_{result.kind}', lang)}{sheet} · "
                f"{t('kelola_header_row', lang)} {result.header_row}")
    if result.mapping or result.unused:
        st.markdown(f"**{t('kelola_mapping', lang)}**")
        st.dataframe(mapping_frame(result), hide_index=True, width="stretch")
    st.markdown(f"**{t('kelola_report', lang)}**")
    if plan.problems:
        problem_list(plan.problems)
    else:
        st.caption(t("kelola_no_problems", lang))
    if len(result.records):
        with st.expander(t("kelola_preview", lang, n=count(len(result.records)))):
            st.dataframe(result.records.head(500), hide_index=True, width="stretch")


def store_form(result: ReadResult, plan: importer.Plan, user: str, key: tuple) -> None:
    st.success(t("kelola_ready", lang, rows=count(len(result.rows)), kind=t(f"kelola_kind_{result.kind}", lang)))
    if plan.corrections:
        st.info(t("kelola_corrections", lang, n=count(plan.corrections)))
    if new := st.session_state.pop("kelola_plan_changed", None):
        st.warning(t("kelola_plan_changed", lang, n=count(new)))
    with st.form("kelola_store"):
        source = st.text_input(t("kelola_source", lang), max_chars=200)
        # Keyed by the warnings: when they change (a batch stored meanwhile), the tick is asked again.
        ack = st.checkbox(t("kelola_ack", lang, n=count(len(plan.warnings))),
                          key=f"kelola_ack_{_digest(str(plan.warnings).encode())}") if plan.warnings else True
        submitted = st.form_submit_button(t("kelola_store", lang), type="primary")
    if submitted and source.strip() and ack:
        store_batch(result, plan, source, user, key)
    elif submitted:
        st.error(t("kelola_need_source" if not source.strip() else "kelola_need_ack", lang))


def store_batch(result: ReadResult, plan: importer.Plan, source: str, user: str, key: tuple) -> None:
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
        show_unwritable(error)
        return
    st.session_state["kelola_last"] = (load.batch_id, len(result.rows))
    st.rerun()


def show_unwritable(error: store.StoreUnwritable) -> None:
    st.error(t("kelola_unwritable", lang, path=_ui.plain_markdown(str(error.path)),
               reason=_ui.plain_markdown(str(error.reason)), folder=_ui.plain_markdown(str(error.path.parent))))


def upload_section(user: str) -> None:
    st.subheader(t("kelola_upload", lang))
    options = [None, *KINDS]
    kind = st.selectbox(t("kelola_kind", lang), options, key="kelola_kind",
                        format_func=lambda k: t("kelola_kind_auto", lang) if k is None else t(f"kelola_kind_{k}", lang))
    upload = st.file_uploader(t("kelola_file", lang, mb=UPLOAD_CAP_MB), type=["csv", "txt", "xlsx", "xlsm"],
                              max_upload_size=UPLOAD_CAP_MB, key="kelola_file")
    if upload is None:
        return
    data = upload.getvalue()
    if len(data) > UPLOAD_CAP:
        st.error(t("kelola_too_big", lang, mb=len(data) / 2**20, limit=UPLOAD_CAP_MB))
        return
    sheets = spreadsheet.sheet_names(upload.name, data)
    sheet = None
    if len(sheets) > 1:
        sheet = st.selectbox(t("kelola_sheet", lang), [None, *sheets], key=f"kelola_sheet_{_digest(data)}",
                             format_func=lambda s: t("kelola_sheet_auto", lang) if s is None else s)
    with st.spinner(t("kelola_reading", lang, mb=len(data) / 1e6)):  # MB as the upload widget shows it; 50 MB ~ 1 min
        result = read_upload(upload.name, data, sheet, kind)
        key = (_digest(data), sheet, kind)
        plan = cached_plan(result, data, key)
    show_reading(result, plan)
    errors = sum(p.level == "error" for p in plan.problems)
    if errors:
        st.error(t("kelola_errors", lang, n=count(errors)))
    elif plan.existing_batch:
        st.info(t("kelola_already", lang, batch=plan.existing_batch))
    else:
        store_form(result, plan, user, key)


def cached_plan(result: ReadResult, data: bytes, key: tuple) -> importer.Plan:
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


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def last_import() -> None:
    last = st.session_state.get("kelola_last")
    if not last:
        return
    st.success(t("kelola_stored", lang, batch=last[0], rows=count(last[1])))
    st.button(t("kelola_show_map", lang), on_click=_to_resmi)


def _to_resmi() -> None:
    # A callback may set the sidebar's widget state; the page switch happens on the next run.
    _state.set_choice("dataset", "resmi")
    st.session_state.pop("kelola_last", None)
    st.session_state["kelola_goto_map"] = True


def batch_section() -> None:
    st.subheader(t("kelola_batches", lang))
    if st.session_state.get("kelola_rolled_back"):
        st.success(t("kelola_rolled_back", lang, batch=st.session_state.pop("kelola_rolled_back")))
    with store.reading(db_path) as con:
        batches = store.batches(con)
    batches = batches.loc[batches["dataset"] == "resmi"].sort_values("batch_id", ascending=False)
    if batches.empty:
        st.caption(t("kelola_no_batches", lang))
        return
    columns = ["batch_id", "status", "dibuat_pada", "dibuat_oleh", "jenis_data", "jumlah_baris", "nama_file", "keterangan"]
    labels = dict(zip(columns, t("kelola_batch_columns", lang).split("|")))
    st.dataframe(batches[columns].rename(columns=labels), hide_index=True, width="stretch")
    active = batches.loc[batches["status"] == "aktif", "batch_id"].tolist()
    if not active:
        return
    with st.form("kelola_rollback"):
        batch = st.selectbox(t("kelola_rollback_pick", lang), active)
        sure = st.checkbox(t("kelola_rollback_confirm", lang))
        submitted = st.form_submit_button(t("kelola_rollback", lang))
    if submitted and sure:
        try:
            importer.rollback(db_path, int(batch))
        except store.StoreUnwritable as error:
            show_unwritable(error)
            return
        st.session_state["kelola_rolled_back"] = int(batch)
        st.rerun()


if st.session_state.pop("kelola_goto_map", False):
    st.switch_page("views/peta.py")
template_downloads()
steward = _access.require_steward(lang)
last_import()
upload_section(steward)
batch_section()
