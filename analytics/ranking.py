"""Rankings over the 38 regions: competition ties, kabupaten/kota filter, rank change vs last year."""
from __future__ import annotations

import pandas as pd

from analytics import metrics
from analytics import regions as region_ref

JENIS = ("kabupaten", "kota")


def competition_rank(values: pd.Series, higher_is_better: bool, reference: float | None = None,
                     decimals: int | None = None) -> pd.Series:
    """Standard competition ranking (1, 2, 2, 4); NaN values get no rank.

    Values are first rounded to the decimals the user sees, so two regions shown with the same
    number always share a rank. With a reference value the rank is by distance to it.
    """
    shown = values.round(decimals) if decimals is not None else values
    if reference is not None:
        key = (shown - reference).abs()
    else:
        key = -shown if higher_is_better else shown
    return key.rank(method="min", na_option="keep").astype("Int64")


def rank_indicator(result: pd.DataFrame, indicator: metrics.Indicator, jenis: str | None = None) -> pd.DataFrame:
    """Add region names and `peringkat` to a metrics.compute result, optionally for one jenis only."""
    if jenis is not None and jenis not in JENIS:
        raise ValueError(f"jenis harus salah satu dari {JENIS}, bukan {jenis!r}")
    frame = region_ref.regions_frame().merge(result, on="kode", how="left")
    if jenis is not None:
        frame = frame.loc[frame["jenis"] == jenis].copy()
    frame["peringkat"] = competition_rank(frame["nilai"], indicator.lebih_tinggi_lebih_baik,
                                          indicator.nilai_acuan, indicator.desimal)
    return frame


def ranking(tables: dict[str, pd.DataFrame], indicator_id: str, year: int, as_of,
            jenis: str | None = None) -> pd.DataFrame:
    """Ranked table for one indicator and year, with `peringkat_lalu` and `perubahan_peringkat`.

    perubahan_peringkat > 0 means the region moved up. The previous year's rank uses the same
    rule, the same as-of date and the same kabupaten/kota filter. Regions without a value come
    last, unranked, and keep their `catatan` explaining why.
    """
    indicator = metrics.catalogue()[indicator_id]
    now = rank_indicator(metrics.compute(indicator_id, tables, year, as_of), indicator, jenis)
    before = rank_indicator(metrics.compute(indicator_id, tables, year - 1, as_of), indicator, jenis)
    now = now.merge(before[["kode", "peringkat"]].rename(columns={"peringkat": "peringkat_lalu"}), on="kode", how="left")
    now["perubahan_peringkat"] = (now["peringkat_lalu"] - now["peringkat"]).astype("Int64")
    now["_tanpa"] = now["peringkat"].isna()
    now = now.sort_values(["_tanpa", "peringkat", "kode"]).drop(columns="_tanpa")
    return now.reset_index(drop=True)


def split_ranked(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(ranked rows, regions with no data) of a ranking table."""
    has_rank = table["peringkat"].notna()
    return table.loc[has_rank], table.loc[~has_rank]


def top(table: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    ranked, _ = split_ranked(table)
    return ranked.loc[ranked["peringkat"] <= n] if len(ranked) else ranked



def _citation(source: pd.Series) -> str:
    date = source["tanggal_terbit"]
    when = str(date)[:10] if pd.notna(date) else (source.get("tanggal_terbit_teks") or "tanggal tidak diketahui")
    return f"{source['penerbit'] or '?'}, {when}: {source['judul'] or ''}".strip()


def with_sources(table: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Add `sumber` (publisher, date: title) and `url` for the sources each row's value used."""
    by_id = sources.set_index("sumber_id")
    citations, urls = [], []
    for ids in table["sumber_id"]:
        known = [i for i in (ids or "").split(";") if i in by_id.index]
        citations.append(" | ".join(_citation(by_id.loc[i]) for i in known))
        urls.append(" | ".join(str(by_id.at[i, "url"]) for i in known if pd.notna(by_id.at[i, "url"])))
    return table.assign(sumber=citations, url=urls)


EXPORT_COLUMNS = ["peringkat", "kode", "wilayah", "jenis", "nilai", "kualifikasi", "satuan", "perubahan_peringkat", "status",
                  "tanggal_data", "pembilang", "penyebut", "catatan", "sumber", "url", "obs_id"]


def export_frame(table: pd.DataFrame, indicator: metrics.Indicator) -> pd.DataFrame:
    """The ranking as plain columns for CSV/JSON: ranked rows first, then 'tidak ada data'."""
    out = table.rename(columns={"nama": "wilayah"}).copy()
    out["nilai"] = out["nilai"].round(indicator.desimal)
    if indicator.desimal == 0:  # counts and rupiah print as whole numbers: 40300, not 40300.0
        out["nilai"] = out["nilai"].astype("Int64")
    out["satuan"] = indicator.satuan_id
    out["status"] = out["peringkat"].notna().map({True: "berperingkat", False: "tidak ada data"})
    out["tanggal_data"] = pd.to_datetime(out["tanggal_data"]).dt.strftime("%Y-%m-%d")
    return out[EXPORT_COLUMNS]
