"""Tables and cards as the pages show them: the ranking as the reader reads it (values, rank and
value changes, sources), regions without a value, link and pinned columns, a wide table (one card
per row on a phone), the KPI cards' province figures and the store's dataset status (Metodologi).
Shared Streamlit pieces they build on (caching, plain_markdown, cite, is_phone): views/_ui.py."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import fmt, metrics, ranking, store
from views import _ui
from views._ui import View

# ---------------------------------------------------------------- KPI cards


def province_summary(view: View, table: pd.DataFrame) -> dict:
    """KPI figures (metrics.province_summary) with the change said as the cards show it."""
    before = _ui.ranking_table(View(view.dataset, view.year - 1, view.as_of, view.lang), "peserta_dbhcht")
    summary = metrics.province_summary(table, before, _ui.ranking_table(view, "peserta_per_1000"))
    delta_text = None
    if pd.notna(summary["change_pct"]):
        delta_text = (
            f"{fmt.percent(summary['change_pct'], 1, view.lang)} vs {view.year - 1} "
            f"({summary['common']} {'daerah' if view.lang == 'id' else 'regions'})"
        )
    province_value, province_source = _province_figure(view)
    return {
        "total": summary["total"],
        "delta_text": delta_text,
        "per_1000": summary["per_1000"],
        "province_value": province_value,
        "province_source": province_source,
    }


def _province_figure(view: View) -> tuple[str, str | None]:
    data = _ui.tables(view.dataset)
    reported = metrics.province_reported(data, view.year, view.as_of)
    if reported.empty:
        return fmt.t("kpi_province_none", view.lang), None
    row = reported.iloc[0]
    cited = ranking.with_sources(pd.DataFrame({"sumber_id": [row["sumber_id"]]}), data["sumber"])
    citation = fmt.dates_in_text(cited["sumber"].iloc[0], view.lang)
    return fmt.number(row["peserta"], 0, view.lang), f"{citation} ({fmt.date(row['tanggal_data'], view.lang)})"


# ---------------------------------------------------------------- tables


def rank_change_label(change, new: bool, lang: str) -> str:
    """'▲ 2', '▼ 1', '–' (same rank), 'baru' (no value last year)."""
    return fmt.rank_change(change, new, lang)


def value_change_label(row, indicator: metrics.Indicator, lang: str) -> str:
    """'+5.500 (+1.222,2 %)'; percent indicators change by points only."""
    text, percent = fmt.change(row["selisih"], row["persen_perubahan"], indicator.satuan, indicator.desimal, lang)
    return f"{text} ({percent})" if percent else text


def figure_text(row, indicator: metrics.Indicator, lang: str) -> str:
    """A region's value as every table prints it: qualifier ('lebih dari') and part-year mark ('(3 bln)')."""
    text = fmt.qualified(
        fmt.value(row["nilai"], indicator.satuan, indicator.desimal, lang), row.get("kualifikasi"), lang
    )
    return fmt.partial(text, row.get("bulan_cakupan"), lang)


def ranked_frame(ranked: pd.DataFrame, indicator: metrics.Indicator, view: View) -> pd.DataFrame:
    """The ranking as the user reads it: formatted in the chosen language, one source per row."""
    lang = view.lang
    rows = ranked.to_dict("records")
    return pd.DataFrame(
        {
            fmt.t("col_rank", lang): ranked["peringkat"].astype(int).to_numpy(),
            fmt.t("col_region", lang): ranked["nama"].to_numpy(),
            fmt.t("col_value", lang): [figure_text(row, indicator, lang) for row in rows],
            fmt.t("col_rank_change", lang): [
                rank_change_label(r["perubahan_peringkat"], r["baru"], lang) for r in rows
            ],
            fmt.t("col_value_change", lang): [value_change_label(row, indicator, lang) for row in rows],
            fmt.t("col_date", lang): [fmt.date(d, lang) for d in ranked["tanggal_data"]],
            fmt.t("col_note", lang): ranked["catatan"].fillna("").to_numpy(),
            fmt.t("col_source", lang): [_ui.cite(text, view) for text in ranked["sumber"]],
            fmt.t("col_link", lang): [u.split(" | ")[0] if u else None for u in ranked["url"]],
        }
    )


def missing_frame(missing: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            fmt.t("col_region", lang): missing["nama"].to_numpy(),
            fmt.t("col_note", lang): missing["catatan"].fillna("").to_numpy(),
        }
    )


def table_columns(lang: str, pinned: tuple[str, ...] = ()) -> dict:
    """Link columns as '↗'; `pinned` columns stay in view while a wide table scrolls sideways (phones)."""
    config = {fmt.t("col_link", lang): st.column_config.LinkColumn(fmt.t("col_link", lang), display_text="↗")}
    return config | {name: st.column_config.Column(pinned=True) for name in pinned}


def wide_table(frame: pd.DataFrame, key: str, lang: str, **kwargs) -> None:
    """A table with many columns: on a phone one card per row (first column as its heading, then
    'column: value' lines), elsewhere a table whose first column stays put while it scrolls."""
    if not _ui.is_phone():
        first = str(frame.columns[0])
        config = table_columns(lang) | {first: st.column_config.Column(pinned=True)}
        kwargs.setdefault("placeholder", "–")  # a gap reads as a gap, not as Python's "None"
        st.dataframe(frame, hide_index=True, width="stretch", height="content", key=key, column_config=config, **kwargs)
        return
    with st.container(key=f"{key}_cards"):
        for row in frame.astype(str).to_dict("records"):
            with st.container(border=True):
                items = list(row.items())
                lines = [f"**{_ui.plain_markdown(items[0][1])}**"]
                lines += [
                    f"{_ui.plain_markdown(name)}: {_ui.plain_markdown(value)}"
                    for name, value in items[1:]
                    if value not in ("", "nan", "None", "<NA>", "–")
                ]
                st.markdown("  \n".join(lines))


def flagged_regions(ranked: pd.DataFrame, indicator: metrics.Indicator) -> tuple[str, ...]:
    """Regions whose value is flagged against the indicator's reference (e.g. off Rp16.800)."""
    if indicator.nilai_acuan is None:
        return ()
    return tuple(ranked.loc[ranked["catatan"].notna(), "kode"])


# ---------------------------------------------------------------- dataset status (Metodologi)


@st.cache_data(max_entries=4, show_spinner=False)
def _dataset_status(stamp: tuple) -> pd.DataFrame:
    with store.reading(_ui.db_path()) as con:
        return store.dataset_status(con)


def dataset_status_frame(lang: str) -> pd.DataFrame:
    """Per dataset: label, active batch, loaded when, rows — 'kosong' for a dataset not loaded yet."""
    status = _dataset_status(_ui.db_stamp())
    empty = "kosong" if lang == "id" else "empty"
    return pd.DataFrame(
        {
            "Dataset": [fmt.t(f"dataset_{name}", lang) for name in status["dataset"]],
            "Batch": [empty if pd.isna(b) else str(int(b)) for b in status["batch_id"]],
            fmt.t("col_date", lang): [fmt.date(d, lang) if pd.notna(d) else "–" for d in status["dibuat_pada"]],
            ("Baris" if lang == "id" else "Rows"): [
                fmt.number(r, 0, lang) if pd.notna(r) else "0" for r in status["baris"]
            ],
        }
    )
