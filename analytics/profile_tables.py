"""Profil wilayah's frames and tables as the page shows them, in the reader's language: every
indicator with its two ranks, the trend, the worker categories, budgets, claims, sources and every
observation. analytics.profile finds the region's data; this module words it. Pure pandas, no
Streamlit: the page passes its cached rankings and series, and `cite`, the citation as a page
shows it (views/_ui.cite)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd

from analytics import compare, fmt, metrics, profile, ranking

Cite = Callable[[object], str]
UNITS = {"orang": "orang", "jiwa": "orang", "rp": "rp", "persen": "persen"}
TREND_COLUMNS = [
    "indikator",
    "kode",
    "tahun",
    "per",
    "nilai",
    "kualifikasi",
    "tanggal_data",
    "catatan",
    "sumber",
    "url",
]
CATEGORY_COLUMNS = ["kode", "tahun", "kategori", "peserta", "tanggal_data", "laporan", "sumber", "url"]


def label(prefix: str, key: str, lang: str) -> str:
    """Label of a code from teks.toml (budget_…, status_…, table_…); the code itself when there is none."""
    name = f"{prefix}{key}"
    text = fmt.t(name, lang)
    return key if text == name else text


def value_text(value, unit: str, lang: str, decimals: int = 0, qualifier=None) -> str:
    unit = UNITS.get(unit, unit)
    if unit == "km2":
        return fmt.number(value, 2, lang) + " km²"
    return fmt.qualified(fmt.value(value, unit, decimals, lang), qualifier, lang)


def rank_text(rank, count: int, lang: str) -> str:
    """'3 dari 20': the rank and how many regions had a value to be ranked."""
    return "–" if pd.isna(rank) else fmt.t("profil_rank_of", lang, rank=int(rank), n=count)


def _text_or_empty(value) -> str:
    return value if isinstance(value, str) else ""


# ---------------------------------------------------------------- indicators


def indicator_rows(
    catalogue: dict[str, metrics.Indicator],
    rankings: dict[str, pd.DataFrame],
    yearly: dict[str, pd.DataFrame],
    kode: str,
    jenis: str,
    lang: str,
    cite: Cite,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(table shown, long trend frame) for every indicator of the catalogue, given each one's cited
    ranking of the view and its yearly series; `jenis`: the region's kind as the heading says it."""
    rows, trends = [], []
    for indicator_id, indicator in catalogue.items():
        table = rankings[indicator_id]
        table = table.assign(peringkat_jenis=compare.rank_within_type(table, indicator))
        row = table.set_index("kode").loc[kode]
        ranked = table.dropna(subset=["nilai"])
        trend = yearly[indicator_id]
        trends.append(trend.loc[trend["kode"] == kode].assign(indikator=indicator_id))
        rows.append(
            {
                fmt.t("indicator", lang): indicator.title(lang),
                fmt.t("col_value", lang): fmt.t("no_data", lang)
                if pd.isna(row["nilai"])
                else value_text(row["nilai"], indicator.satuan, lang, indicator.desimal, row["kualifikasi"]),
                fmt.t("profil_rank38", lang): rank_text(row["peringkat"], len(ranked), lang),
                fmt.t("profil_rank_type", lang, jenis=jenis): rank_text(
                    row["peringkat_jenis"], int((ranked["jenis"] == row["jenis"]).sum()), lang
                ),
                fmt.t("col_date", lang): fmt.date(row["tanggal_data"], lang) if pd.notna(row["tanggal_data"]) else "–",
                fmt.t("col_note", lang): _text_or_empty(row["catatan"]),
                fmt.t("col_source", lang): cite(row["sumber"]),
            }
        )
    return pd.DataFrame(rows), pd.concat(trends, ignore_index=True)


def trend_frame(trends: pd.DataFrame) -> pd.DataFrame:
    """The columns the small multiples show and export."""
    return trends[TREND_COLUMNS]


# ---------------------------------------------------------------- budgets, categories, claims


def budget_table(summary: pd.DataFrame, lang: str) -> pd.DataFrame:
    """profile.budget_summary as one row per budget year (newest first), one column per item."""
    texts = [
        value_text(v, "rp", lang, 0, q) + (" (murni + tambahan)" if c else "")
        for v, q, c in zip(summary["nilai_rp"], summary["kualifikasi"], summary["catatan"])
    ]
    wide = summary.assign(teks=texts).pivot(index="tahun", columns="pos", values="teks")
    wide = wide.reindex(columns=profile.BUDGET_ITEMS).sort_index(ascending=False).astype(object)
    wide = wide.where(wide.notna(), "–")
    wide.columns = [label("budget_", c, lang) for c in wide.columns]
    out = wide.reset_index().rename(columns={"tahun": fmt.t("col_year", lang)})
    return out.astype({fmt.t("col_year", lang): str})


def category_frame(tables: dict[str, pd.DataFrame], kode: str, year: int, as_of) -> tuple[pd.DataFrame, bool]:
    """The worker categories behind the region's value, cited (profile.worker_categories), and
    whether they come from the chosen report; empty when no report names a category."""
    rows, from_chosen = profile.worker_categories(tables["kepesertaan"], kode, year, as_of)
    if rows.empty:
        return rows, from_chosen
    frame = ranking.with_sources(rows, tables["sumber"]).assign(kode=kode, tahun=year)
    return frame[CATEGORY_COLUMNS], from_chosen


def claims_table(
    tables: dict[str, pd.DataFrame], kode: str, years: Iterable[int], as_of, lang: str, cite: Cite
) -> pd.DataFrame:
    claims = ranking.with_sources(profile.claims_summary(tables["klaim"], kode, years, as_of), tables["sumber"])
    return pd.DataFrame(
        {
            fmt.t("col_year", lang): claims["tahun"].astype(str),
            fmt.t("col_program", lang): claims["program"],
            fmt.t("col_cases", lang): [fmt.number(v, 0, lang) for v in claims["kasus"]],
            fmt.t("col_amount", lang): [
                value_text(v, "rp", lang, 0, q) for v, q in zip(claims["nilai_rp"], claims["kualifikasi"])
            ],
            fmt.t("col_date", lang): [fmt.date(d, lang) for d in claims["tanggal_data"]],
            fmt.t("col_source", lang): [cite(text) for text in claims["sumber"]],
        }
    )


# ---------------------------------------------------------------- sources


def observations(
    tables: dict[str, pd.DataFrame], rankings: list[pd.DataFrame], kode: str, year: int, as_of
) -> pd.DataFrame:
    """Every figure about the region with its status (used or not, and why) and citation, given
    every indicator's ranking of the year (in Indonesian: their notes are not shown here)."""
    used = profile.used_ids(rankings, kode, tables["kepesertaan"], year, as_of)
    return ranking.with_sources(profile.region_observations(tables, kode, year, as_of, used), tables["sumber"])


def sources_table(observed: pd.DataFrame, sources: pd.DataFrame, lang: str, synthetic: bool) -> pd.DataFrame:
    found = profile.region_sources(observed, sources)
    if synthetic:  # the generator's own source row: say what it is in the page's language
        found = found.assign(
            judul=fmt.t("synthetic_citation", lang), penerbit=fmt.t("dataset_contoh", lang), tanggal=""
        )
    return pd.DataFrame(
        {
            fmt.t("col_title", lang): found["judul"].fillna(""),
            fmt.t("col_publisher", lang): found["penerbit"].fillna(""),
            fmt.t("col_published", lang): [
                fmt.partial_date(d, lang, missing="–" if synthetic else None) for d in found["tanggal"]
            ],
            fmt.t("col_figures", lang): found["jumlah_angka"],
            fmt.t("col_used", lang): found["jumlah_dipakai"],
            fmt.t("col_link", lang): found["url"],
        }
    )


def observations_table(data: pd.DataFrame, lang: str, cite: Cite) -> pd.DataFrame:
    return pd.DataFrame(
        {
            fmt.t("col_status", lang): [label("status_", s, lang) for s in data["status"]],
            fmt.t("col_year", lang): data["tahun"].astype("string").fillna(""),
            fmt.t("col_date", lang): [fmt.date(d, lang) if pd.notna(d) else "–" for d in data["tanggal_data"]],
            fmt.t("col_table", lang): [label("table_", t, lang) for t in data["tabel"]],
            fmt.t("col_what", lang): [described(k, n, lang) for k, n in zip(data["keterangan"], data["kasus"])],
            fmt.t("col_value", lang): [
                value_text(v, u, lang, 2 if u in ("persen",) else 0, q)
                for v, u, q in zip(data["nilai"], data["satuan"], data["kualifikasi"])
            ],
            fmt.t("col_reason", lang): data["alasan" if lang == "id" else "alasan_en"].fillna(""),
            fmt.t("col_source", lang): [cite(text) for text in data["sumber"]],
            fmt.t("col_link", lang): [u.split(" | ")[0] if u else None for u in data["url"]],
            fmt.t("col_quote", lang): data["kutipan"].fillna(""),
        }
    )


def described(keterangan, cases, lang: str) -> str:
    """'realisasi · dana DBHCHT · nelayan', 'klaim · JKM · 9 kasus': each code in the page's language
    (worker categories stay as the source wrote them)."""
    parts = [label("kode_", code, lang) for code in str(keterangan or "").split(" · ") if code]
    if pd.notna(cases):
        parts.append(f"{fmt.number(cases, 0, lang)} {fmt.t('cases', lang)}")
    return " · ".join(parts)
