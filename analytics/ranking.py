"""Rankings over the 38 regions: competition ties, kabupaten/kota filter, rank change vs last year."""

from __future__ import annotations

import re

import pandas as pd

from analytics import columns, metrics
from analytics import regions as region_ref

JENIS = ("kabupaten", "kota")


def competition_rank(
    values: pd.Series, higher_is_better: bool, reference: float | None = None, decimals: int | None = None
) -> pd.Series:
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
    frame["peringkat"] = competition_rank(
        frame["nilai"], indicator.lebih_tinggi_lebih_baik, indicator.nilai_acuan, indicator.desimal
    )
    return frame


def ranking(
    tables: dict[str, pd.DataFrame], indicator_id: str, year: int, as_of, jenis: str | None = None
) -> pd.DataFrame:
    """Ranked table for one indicator and year, with the change since the previous year.

    `peringkat` ranks every region with a value this year. The rank change is computed only among
    the regions that have a value in *both* years (`jumlah_sebanding` of them): both years are
    ranked within that common set (same rule, as-of date and kabupaten/kota filter), and
    `perubahan_peringkat` = last year's rank − this year's rank (> 0: moved up). Comparing a rank
    among 7 with one among 20 would show regions that grew as falling. A region without last
    year's value is `baru`. `nilai_lalu`, `selisih` and `persen_perubahan` give the change of the
    value itself. Regions without a value come last, unranked, with their `catatan`.
    """
    with metrics.shared_inputs():
        return _ranking(tables, indicator_id, year, as_of, jenis)


def rank_all(tables: dict[str, pd.DataFrame], year: int, as_of, jenis: str | None = None) -> dict[str, pd.DataFrame]:
    """`ranking` of every catalogue indicator, sharing the inputs they have in common (Bandingkan,
    Penilaian and the reports rank them all at once)."""
    with metrics.shared_inputs():
        return {
            indicator_id: _ranking(tables, indicator_id, year, as_of, jenis) for indicator_id in metrics.catalogue()
        }


def _ranking(tables, indicator_id: str, year: int, as_of, jenis: str | None) -> pd.DataFrame:
    indicator = metrics.catalogue()[indicator_id]
    now = rank_indicator(metrics.compute(indicator_id, tables, year, as_of), indicator, jenis)
    before = rank_indicator(metrics.compute(indicator_id, tables, year - 1, as_of), indicator, jenis)
    now = _with_change(now, before.set_index("kode")["nilai"], indicator)
    now["_tanpa"] = now["peringkat"].isna()
    now = now.sort_values(["_tanpa", "peringkat", "kode"]).drop(columns="_tanpa")
    return now.reset_index(drop=True)


def _with_change(now: pd.DataFrame, previous: pd.Series, indicator: metrics.Indicator) -> pd.DataFrame:
    """Rank change within the regions valued in both years, and the change of the value."""
    out = now.copy()
    out["nilai_lalu"] = out["kode"].map(previous).astype(float)
    both = out["nilai"].notna() & out["nilai_lalu"].notna()

    def rank(values):
        return competition_rank(
            values.where(both), indicator.lebih_tinggi_lebih_baik, indicator.nilai_acuan, indicator.desimal
        )

    out["peringkat_sebanding"] = rank(out["nilai"])
    out["peringkat_lalu"] = rank(out["nilai_lalu"])
    out["perubahan_peringkat"] = (out["peringkat_lalu"] - out["peringkat_sebanding"]).astype("Int64")
    out["jumlah_sebanding"] = int(both.sum())
    out["baru"] = out["nilai"].notna() & out["nilai_lalu"].isna()
    out["selisih"] = out["nilai"] - out["nilai_lalu"]
    base = out["nilai_lalu"].where(out["nilai_lalu"] != 0)
    out["persen_perubahan"] = out["selisih"] / base.abs() * 100
    return out


def split_ranked(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(ranked rows, regions with no data) of a ranking table."""
    has_rank = table["peringkat"].notna()
    return table.loc[has_rank], table.loc[~has_rank]


def top(table: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    ranked, _ = split_ranked(table)
    return ranked.loc[ranked["peringkat"] <= n] if len(ranked) else ranked


_KNOWN_PART = re.compile(r"^\d{4}(-\d{2})?\b")


def _citation(source: pd.Series) -> str:
    """'Publisher, 2025-07-10: Title' (ISO, for data files; pages write the date the reader's way).
    Without an exact date, the part of it that is known ('2025-02'), never the curators' notes."""
    date = source["tanggal_terbit"]
    known = _KNOWN_PART.match(str(source.get("tanggal_terbit_teks") or ""))
    when = str(date)[:10] if pd.notna(date) else known.group(0) if known else "tanggal tidak diketahui"
    return f"{source['penerbit'] or '?'}, {when}: {source['judul'] or ''}".strip()


def with_sources(table: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Add `sumber` (publisher, date: title) and `url` for the sources each row's value used
    (`sumber_id`: ';'-joined ids; a missing one gives no source)."""
    by_id = sources.set_index("sumber_id")
    citations, urls = [], []
    for ids in table["sumber_id"]:
        ids = "" if ids is None or (not isinstance(ids, str) and pd.isna(ids)) else str(ids)
        known = [i for i in ids.split(";") if i in by_id.index]
        citations.append(" | ".join(_citation(by_id.loc[i]) for i in known))
        urls.append(" | ".join(str(by_id.at[i, "url"]) for i in known if pd.notna(by_id.at[i, "url"])))
    return table.assign(sumber=citations, url=urls)


def cited_ranking(
    tables: dict[str, pd.DataFrame], indicator_id: str, year: int, as_of, jenis: str | None = None
) -> pd.DataFrame:
    """`ranking` with each value's sources: the table every page, report and command prints."""
    return with_sources(ranking(tables, indicator_id, year, as_of, jenis), tables["sumber"])


EVIDENCE_TABLES = (
    ("kepesertaan", "obs_id"),
    ("anggaran", "anggaran_id"),
    ("klaim", "klaim_id"),
    ("denominator", "denom_id"),
)


def evidence(tables: dict[str, pd.DataFrame], obs_ids) -> pd.DataFrame:
    """The stored rows behind one value, with their quotes and citations (tabel, id, kutipan, sumber, url).

    `obs_ids` as in a metrics result: ';'-joined ids, where a report's laporan_id stands for its
    summed parts; a monthly series ('12 laporan bulanan') names no single row and gives nothing."""
    ids = {i for i in str(obs_ids or "").split(";") if i}
    frames = []
    for name, column in EVIDENCE_TABLES:
        frame = tables[name]
        hit = frame[column].isin(ids)
        if name == "kepesertaan":
            hit |= frame["laporan_id"].isin(ids) & (frame["peran"] != "rincian")
        rows = frame.loc[hit]
        frames.append(
            pd.DataFrame(
                {
                    "tabel": name,
                    "id": rows[column].astype(str),
                    "kutipan": rows["kutipan"],
                    "sumber_id": rows["sumber_id"].astype(str),
                }
            )
        )
    found = pd.concat(frames, ignore_index=True)
    return with_sources(found, tables["sumber"]) if len(found) else found.assign(sumber=[], url=[])


EXPORT_COLUMNS = [
    "peringkat",
    "kode",
    "wilayah",
    "jenis",
    "nilai",
    "kualifikasi",
    "satuan",
    "status",
    "tanggal_data",
    "nilai_lalu",
    "selisih",
    "persen_perubahan",
    "status_perubahan",
    "peringkat_sebanding",
    "peringkat_lalu",
    "perubahan_peringkat",
    "jumlah_sebanding",
    "pembilang",
    "penyebut",
    "catatan",
    "sumber",
    "url",
    "obs_id",
]
# English data files: the same columns under English names, with values translated, both from the
# column dictionary data/kolom.toml (analytics/columns.py), which every exported frame shares.
EXPORT_COLUMNS_EN = {name: columns.dictionary()[name].name_en for name in EXPORT_COLUMNS}
EXPORT_VALUES_EN = {
    name: columns.english_values(columns.dictionary()[name]) for name in ("jenis", "status", "status_perubahan")
}


def export_frame(table: pd.DataFrame, indicator: metrics.Indicator, lang: str = "id") -> pd.DataFrame:
    """The ranking as plain columns for CSV/XLSX/JSON: ranked rows first, then 'tidak ada data'.

    Numbers are rounded to what the page shows; in English the headers and the coded values
    (type, status, qualifier, unit, notes) are English too."""
    out = table.rename(columns={"nama": "wilayah"}).copy()
    for column in ("nilai", "nilai_lalu", "selisih"):
        out[column] = out[column].round(indicator.desimal)
        if indicator.desimal == 0:  # counts and rupiah print as whole numbers: 40300, not 40300.0
            out[column] = out[column].astype("Int64")
    out["persen_perubahan"] = out["persen_perubahan"].round(1)
    out["satuan"] = indicator.unit(lang)
    out["status"] = out["peringkat"].notna().map({True: "berperingkat", False: "tidak ada data"})
    out["status_perubahan"] = [
        "baru" if new else "sebanding" if pd.notna(rank) else ""
        for new, rank in zip(out["baru"], out["perubahan_peringkat"])
    ]
    out["tanggal_data"] = pd.to_datetime(out["tanggal_data"]).dt.strftime("%Y-%m-%d")
    out = out[EXPORT_COLUMNS]
    return out if lang == "id" else columns.to_english(out)
