"""Kelola Data: templates for everyone; for signed-in stewards upload, check, store and roll back.

Everything read from a file (region names, notes, file and sheet names, messages quoting cells)
is shown in tables or as plain text, never as Markdown or HTML. Reading, the report and storing:
views/_kelola_ui.py; the sign-in: views/_access.py.
"""

import streamlit as st

from analytics import store
from analytics.fmt import t
from analytics.importing import importer, review, spreadsheet
from analytics.importing.reading_limits import UPLOAD_CAP, UPLOAD_CAP_MB
from views import _access, _kelola_ui, _state, _ui
from views._kelola_ui import count, digest

view: _ui.View = st.session_state["view"]
lang = view.lang
db_path = _ui.db_path()

st.title(t("page_kelola", lang))
st.markdown(t("kelola_intro", lang))


def upload_section(user: str) -> None:
    st.subheader(t("kelola_upload", lang))
    options = [None, *_kelola_ui.KINDS]
    kind = st.selectbox(
        t("kelola_kind", lang),
        options,
        key="kelola_kind",
        format_func=lambda k: t("kelola_kind_auto", lang) if k is None else t(f"kelola_kind_{k}", lang),
    )
    upload = st.file_uploader(
        t("kelola_file", lang, mb=UPLOAD_CAP_MB),
        type=["csv", "txt", "xlsx", "xlsm"],
        max_upload_size=UPLOAD_CAP_MB,
        key="kelola_file",
    )
    if upload is None:
        return
    data = upload.getvalue()
    if len(data) > UPLOAD_CAP:
        st.error(t("kelola_too_big", lang, mb=len(data) / 2**20, limit=UPLOAD_CAP_MB))
        return
    sheets = spreadsheet.sheet_names(upload.name, data)
    sheet = None
    if len(sheets) > 1:
        sheet = st.selectbox(
            t("kelola_sheet", lang),
            [None, *sheets],
            key=f"kelola_sheet_{digest(data)}",
            format_func=lambda s: t("kelola_sheet_auto", lang) if s is None else s,
        )
    with st.spinner(t("kelola_reading", lang, mb=len(data) / 1e6)):  # MB as the upload widget shows it; 50 MB ~ 1 min
        result = _kelola_ui.read_upload(upload.name, data, sheet, kind)
        key = (digest(data), sheet, kind)
        plan = _kelola_ui.cached_plan(db_path, result, data, key)
    _kelola_ui.show_reading(result, plan, lang)
    errors = review.error_count(plan.problems)
    if errors:
        st.error(t("kelola_errors", lang, n=count(errors, lang)))
    elif plan.existing_batch:
        st.info(t("kelola_already", lang, batch=plan.existing_batch))
    else:
        _kelola_ui.store_form(db_path, result, plan, user, key, lang)


def last_import() -> None:
    last = st.session_state.get("kelola_last")
    if not last:
        return
    st.success(t("kelola_stored", lang, batch=last[0], rows=count(last[1], lang)))
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
        batches = review.resmi_batches(store.batches(con))
    if batches.empty:
        st.caption(t("kelola_no_batches", lang))
        return
    st.dataframe(review.batch_table(batches, lang), hide_index=True, width="stretch")
    active = review.active_batches(batches)
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
            _kelola_ui.show_unwritable(error, lang)
            return
        st.session_state["kelola_rolled_back"] = int(batch)
        st.rerun()


if st.session_state.pop("kelola_goto_map", False):
    st.switch_page("views/peta.py")
_kelola_ui.template_downloads(lang)
steward = _access.require_steward(lang)
last_import()
upload_section(steward)
batch_section()
