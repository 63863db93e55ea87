"""The data behind Profil wilayah (and the Laporan wilayah): one region's worker categories,
budgets, claims, and every observation about it with its status and source. Pure pandas, no
Streamlit. Selection rules are those of analytics.metrics."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from analytics import metrics, series

# ---------------------------------------------------------------- one region's profile


def worker_categories(kep: pd.DataFrame, kode: str, year: int, as_of) -> tuple[pd.DataFrame, bool]:
    """Participants by worker category behind the region's value: the chosen report's parts or
    breakdown (for monthly data: the latest month). When the chosen report has none, the newest
    usable report of the year that has one. Returns (rows, from_chosen_report)."""
    reports = metrics.enrolment_reports(kep, year, as_of)
    reports = reports.loc[reports["kode"] == kode].sort_values(["tanggal_data", "diutamakan"], ascending=False)
    if reports.empty:
        return _categories(kep.iloc[0:0]), True
    chosen = metrics.latest_per_region(reports).at[kode, "obs_id"]
    for laporan in [chosen, *[r for r in reports["obs_id"] if r != chosen]]:
        rows = _report_breakdown(kep, kode, year, laporan)
        if len(rows):
            return _categories(rows), laporan == chosen
    return _categories(kep.iloc[0:0]), True


def _report_breakdown(kep: pd.DataFrame, kode: str, year: int, laporan: str) -> pd.DataFrame:
    """The DBHCHT realised rows of one report that name a category (parts, breakdown, or the total itself)."""
    in_report = (kep["laporan_id"] == laporan).fillna(False) | (kep["obs_id"] == laporan).fillna(False)
    rows = kep.loc[
        (kep["kode"] == kode)
        & (kep["tahun_anggaran"] == year)
        & (kep["jenis_angka"] == "realisasi")
        & (kep["sumber_dana"] == "dbhcht")
        & in_report
    ]
    named = rows["kategori_pekerja"].notna() & (rows["kategori_pekerja"].astype(str) != "")
    parts = rows.loc[rows["peran"] != "total"]
    if len(parts):  # parts with no category at all are no breakdown by category
        return parts if named[parts.index].any() else parts.iloc[0:0]
    return rows.loc[named]


def _categories(rows: pd.DataFrame) -> pd.DataFrame:
    named = rows.assign(kategori=rows["kategori_pekerja"].fillna("").astype(str).replace("", "(tidak disebut)"))
    out = (
        named.groupby("kategori", sort=False)
        .agg(
            peserta=("peserta", "sum"),
            tanggal_data=("tanggal_data", "max"),
            sumber_id=("sumber_id", "first"),
            laporan=("laporan_id", "first"),
        )
        .reset_index()
    )
    return out.sort_values("peserta", ascending=False).reset_index(drop=True)


BUDGET_ITEMS = [
    "alokasi_dbhcht",
    "anggaran_jamsos_murni",
    "anggaran_jamsos_pak",
    "realisasi_jamsos",
    "realisasi_dbhcht",
]


def budget_summary(ang: pd.DataFrame, kode: str, years: Iterable[int], as_of) -> pd.DataFrame:
    """Per budget year the newest DBHCHT figure of each item known by the as-of date (long format).

    Only DBHCHT-funded rows count (an APBD-paid contribution budget is listed among the region's
    observations, not here). Allocation: PAK beats murni. Jamsos budget: murni and PAK apart; an
    amount marked 'tambahan' (added in the revision) is added to the murni figure when no PAK total
    was printed.
    """
    rows = []
    for year in years:
        scoped = _budget_scope(ang, kode, int(year), as_of)
        for item in BUDGET_ITEMS:
            found = _budget_item(scoped, item)
            if found is not None:
                rows.append(dict(tahun=int(year), pos=item, **found))
    return pd.DataFrame(
        rows, columns=["tahun", "pos", "nilai_rp", "kualifikasi", "tanggal_data", "sumber_id", "obs_id", "catatan"]
    )


def _budget_scope(ang: pd.DataFrame, kode: str, year: int, as_of) -> pd.DataFrame:
    dates = pd.to_datetime(ang["tanggal_data"])
    keep = (
        (ang["kode"] == kode)
        & (ang["tahun_anggaran"] == year)
        & (dates <= pd.Timestamp(series.as_date(as_of)))
        & ang["sumber_dana"].isin(["dbhcht"])
    )
    scoped = ang.loc[keep].assign(tanggal_data=dates[keep]).rename(columns={"anggaran_id": "obs_id"})
    return scoped.assign(
        tahap=scoped["tahap_anggaran"].fillna("").astype(str),
        tambahan=scoped["kualifikasi"].fillna("").astype(str).eq("tambahan"),
    )


def _newest(rows: pd.DataFrame) -> dict | None:
    if rows.empty:
        return None
    rows = metrics.resolve_conflicts(rows).assign(pak=lambda f: f["tahap"].eq("pak").astype(int))
    row = rows.sort_values(["tanggal_data", "pak", "diutamakan", "obs_id"], ascending=[False, False, False, True]).iloc[
        0
    ]
    return dict(
        nilai_rp=float(row["nilai_rp"]),
        kualifikasi=row["kualifikasi"],
        tanggal_data=row["tanggal_data"],
        sumber_id=row["sumber_id"],
        obs_id=row["obs_id"],
        catatan=None,
    )


def _budget_item(scoped: pd.DataFrame, item: str) -> dict | None:
    base = scoped.loc[~scoped["tambahan"]]
    if item in ("alokasi_dbhcht", "realisasi_jamsos", "realisasi_dbhcht"):
        return _newest(base.loc[base["komponen"] == item])
    jamsos = base.loc[base["komponen"] == "anggaran_jamsos"]
    murni = _newest(jamsos.loc[jamsos["tahap"] != "pak"])
    if item == "anggaran_jamsos_murni":
        return murni
    pak = _newest(jamsos.loc[jamsos["tahap"] == "pak"])
    added = scoped.loc[scoped["tambahan"] & (scoped["komponen"] == "anggaran_jamsos")]
    if pak is None and murni is not None and len(added):
        return {
            **murni,
            "nilai_rp": murni["nilai_rp"] + float(added["nilai_rp"].sum()),
            "obs_id": ";".join([murni["obs_id"], *added["obs_id"]]),
            "catatan": "murni + tambahan",
            "tanggal_data": max(murni["tanggal_data"], added["tanggal_data"].max()),
        }
    return pak


def claims_summary(klaim: pd.DataFrame, kode: str, years: Iterable[int], as_of) -> pd.DataFrame:
    """Per budget year and programme the newest cumulative claims figure of DBHCHT-funded participants
    known by the as-of date (claims of APBD or mixed schemes are listed among the observations only)."""
    dates = pd.to_datetime(klaim["tanggal_data"])
    keep = (
        (klaim["kode"] == kode)
        & klaim["tahun_anggaran"].isin(list(years))
        & (dates <= pd.Timestamp(series.as_date(as_of)))
        & klaim["sumber_dana"].isin(["dbhcht"])
    )
    rows = klaim.loc[keep].assign(tanggal_data=dates[keep]).sort_values("tanggal_data")
    latest = rows.drop_duplicates(["tahun_anggaran", "program"], keep="last")
    out = latest.rename(columns={"tahun_anggaran": "tahun"})[
        ["tahun", "program", "kasus", "nilai_rp", "kualifikasi", "tanggal_data", "sumber_id", "klaim_id"]
    ]
    return out.sort_values(["tahun", "program"], ascending=[False, True]).reset_index(drop=True)


# ---------------------------------------------------------------- every observation about a region

MONTHLY_REPORTS = re.compile(r"^\d+ laporan bulanan$")


def used_ids(results: Iterable[pd.DataFrame], kode: str, kep: pd.DataFrame, year: int, as_of) -> set[str]:
    """Observation ids behind the region's values in these metrics results (one per indicator).

    A cost computed from a monthly series names no ids ('12 laporan bulanan'): all that year's
    realised reports of the region are then in use.
    """
    used: set[str] = set()
    for result in results:
        row = result.loc[result["kode"] == kode]
        for ids in row["obs_id"].dropna():
            if MONTHLY_REPORTS.match(str(ids)):
                reports = metrics.enrolment_reports(kep, year, as_of)
                used |= set(reports.loc[reports["kode"] == kode, "obs_id"].astype(str))
            else:
                used |= {i for i in str(ids).split(";") if i}
    return used


# `keterangan`: what the figure is, as codes joined by ' · ' (jenis angka, tahap, sumber dana, komponen,
# metrik; worker categories as written), which pages label in their language; `kasus`: claim cases.
OBSERVATION_COLUMNS = [
    "tabel",
    "id",
    "tahun",
    "tanggal_data",
    "keterangan",
    "kasus",
    "nilai",
    "satuan",
    "kualifikasi",
    "status",
    "alasan",
    "alasan_en",
    "sumber_id",
    "kutipan",
]


def region_observations(tables: dict[str, pd.DataFrame], kode: str, year: int, as_of, used: set[str]) -> pd.DataFrame:
    """Every stored figure about the region, with `status`: 'dipakai' or why it was not used.

    `alasan` is the curation note in Indonesian, `alasan_en` the same note in English (a
    denominator's `catatan` / `catatan_en`), so a page shows the one of its language.
    Status codes: dipakai, setelah_tanggal_data, tahun_lain, rincian, rencana, target, dana_lain,
    tidak_diutamakan, tergantikan (a newer figure is used), konteks (shown, used by no indicator).
    """
    frames = [
        _kepesertaan_obs(tables["kepesertaan"], kode),
        _anggaran_obs(tables["anggaran"], kode),
        _klaim_obs(tables["klaim"], kode),
        _denominator_obs(tables["denominator"], kode),
    ]
    out = pd.concat(
        [f for f in frames if len(f)] or [pd.DataFrame(columns=OBSERVATION_COLUMNS + ["_laporan"])], ignore_index=True
    )
    if "kasus" not in out:
        out["kasus"] = np.nan
    out["status"] = [_status(row, used, year, series.as_date(as_of)) for row in out.to_dict("records")]
    out["status"] = _unpaired_as_context(out)
    out = out.sort_values(["tahun", "tanggal_data", "id"], ascending=[False, False, True], na_position="last")
    return out[OBSERVATION_COLUMNS].reset_index(drop=True)


def _base_obs(
    frame: pd.DataFrame, kode: str, table: str, id_col: str, year_col: str = "tahun_anggaran"
) -> pd.DataFrame:
    rows = frame.loc[frame["kode"] == kode]
    dates = pd.to_datetime(rows["tanggal_data"]) if "tanggal_data" in rows else pd.Series(pd.NaT, index=rows.index)
    return pd.DataFrame(
        {
            "tabel": table,
            "id": rows[id_col].astype(str),
            "tahun": rows[year_col].astype("Int64"),
            "tanggal_data": dates,
            "kualifikasi": rows.get("kualifikasi"),
            "alasan": _column(rows, "alasan", "catatan"),
            "alasan_en": _column(rows, "alasan_en", "catatan_en"),
            "sumber_id": rows["sumber_id"],
            "kutipan": rows.get("kutipan"),
        },
        index=rows.index,
    )


def _column(rows: pd.DataFrame, *names: str) -> pd.Series | None:
    """The first of these columns the table has (a note is `alasan` in most tables, `catatan` in one)."""
    return next((rows[name] for name in names if name in rows.columns), None)


def _kepesertaan_obs(kep: pd.DataFrame, kode: str) -> pd.DataFrame:
    rows = kep.loc[kep["kode"] == kode]
    out = _base_obs(kep, kode, "kepesertaan", "obs_id")
    described = [
        " · ".join(str(p) for p in parts if isinstance(p, str) and p)
        for parts in zip(rows["jenis_angka"], rows["tahap_anggaran"], rows["sumber_dana"], rows["kategori_pekerja"])
    ]
    return out.assign(
        keterangan=described,
        nilai=rows["peserta"].astype(float),
        satuan="orang",
        _jenis=rows["jenis_angka"],
        _dana=rows["sumber_dana"],
        _peran=rows["peran"],
        _utama=rows["diutamakan"],
        _laporan=rows["laporan_id"].fillna(rows["obs_id"]).astype(str),
    )


def _anggaran_obs(ang: pd.DataFrame, kode: str) -> pd.DataFrame:
    rows = ang.loc[ang["kode"] == kode]
    described = [
        " · ".join(str(p) for p in parts if isinstance(p, str) and p)
        for parts in zip(rows["komponen"], rows["tahap_anggaran"])
    ]
    return _base_obs(ang, kode, "anggaran", "anggaran_id").assign(
        keterangan=described,
        nilai=rows["nilai_rp"].astype(float),
        satuan="rp",
        _utama=rows["diutamakan"],
        _komponen=rows["komponen"],
        _dana=rows["sumber_dana"],
    )


def _klaim_obs(klaim: pd.DataFrame, kode: str) -> pd.DataFrame:
    rows = klaim.loc[klaim["kode"] == kode]
    return _base_obs(klaim, kode, "klaim", "klaim_id").assign(
        keterangan=[f"klaim · {p}" for p in rows["program"]],
        kasus=rows["kasus"].astype("Float64"),
        nilai=rows["nilai_rp"].astype(float),
        satuan="rp",
        _dana=rows["sumber_dana"],
    )


def _denominator_obs(den: pd.DataFrame, kode: str) -> pd.DataFrame:
    rows = den.loc[den["kode"] == kode]
    return _base_obs(den, kode, "denominator", "denom_id", year_col="tahun").assign(
        keterangan=rows["metrik"], nilai=rows["nilai"].astype(float), satuan=rows["satuan"], _metrik=rows["metrik"]
    )


def _unpaired_as_context(out: pd.DataFrame) -> pd.Series:
    """A budget or claims figure is 'superseded' only if a sibling of its kind and year is in use;
    otherwise no indicator could use it (e.g. an allocation without a jamsos budget): context."""
    kind = out["keterangan"].astype(str).str.split(" · ").str[0].where(out["tabel"] != "klaim", out["tabel"])
    group = out["tabel"] + "|" + kind + "|" + out["tahun"].astype(str)
    in_use = set(group[out["status"] == "dipakai"])
    lonely = (out["status"] == "tergantikan") & ~group.isin(in_use)
    return out["status"].mask(lonely, "konteks")


def _status(row: dict, used: set[str], year: int, as_of: dt.date) -> str:
    if row.get("_peran") == "rincian":
        return "rincian"
    if row["id"] in used or row.get("_laporan") in used:  # a summed report is used under its laporan_id
        return "dipakai"
    if pd.notna(row["tanggal_data"]) and row["tanggal_data"].date() > as_of:
        return "setelah_tanggal_data"
    if row["tabel"] == "denominator" or row.get("_komponen") == "realisasi_dbhcht":
        return "konteks"  # used by no indicator (area, poverty, DBHCHT transfers): context only
    if pd.notna(row["tahun"]) and int(row["tahun"]) != year:
        return "tahun_lain"
    if row.get("_jenis") in ("rencana", "target"):
        return row["_jenis"]
    if isinstance(row.get("_dana"), str) and row["_dana"] != "dbhcht":
        return "dana_lain"
    if _is_false(row.get("_utama")):
        return "tidak_diutamakan"
    return "tergantikan"


def _is_false(value) -> bool:
    return value is not None and not pd.isna(value) and not bool(value)


def region_sources(observations: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The distinct sources behind a region's figures: title, publisher, date, link, how many figures
    each gives and how many of them are in use. Sources of figures in use come first."""
    if observations.empty:
        return pd.DataFrame(
            columns=["sumber_id", "judul", "penerbit", "tanggal", "url", "jumlah_angka", "jumlah_dipakai"]
        )
    counts = observations.groupby("sumber_id").agg(
        jumlah_angka=("id", "size"), jumlah_dipakai=("status", lambda s: int((s == "dipakai").sum()))
    )
    known = sources.set_index("sumber_id")
    out = counts.join(
        known[["judul", "penerbit", "tanggal_terbit", "tanggal_terbit_teks", "url"]], how="left"
    ).reset_index()
    out["tanggal"] = [
        str(d)[:10] if pd.notna(d) else (t if isinstance(t, str) else None)
        for d, t in zip(out["tanggal_terbit"], out["tanggal_terbit_teks"])
    ]
    out = out.sort_values(["jumlah_dipakai", "tanggal"], ascending=[False, False], na_position="last")
    return out[["sumber_id", "judul", "penerbit", "tanggal", "url", "jumlah_angka", "jumlah_dipakai"]].reset_index(
        drop=True
    )
