"""The data behind Bandingkan: ranks side by side and peer suggestions (population, and the map
neighbours from analytics.geo). Pure pandas, no Streamlit."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analytics import metrics, series
from analytics import ranking as ranking_mod
from analytics import regions as region_ref

# ---------------------------------------------------------------- comparison side by side


def rank_within_type(table: pd.DataFrame, indicator: metrics.Indicator) -> pd.Series:
    """Rank among the region's own type (kabupaten or kota), same rule as ranking.ranking(jenis=...)."""
    ranks = pd.Series(pd.NA, index=table.index, dtype="Int64")
    for _, group in table.groupby("jenis"):
        ranks.loc[group.index] = ranking_mod.competition_rank(
            group["nilai"], indicator.lebih_tinggi_lebih_baik, indicator.nilai_acuan, indicator.desimal
        )
    return ranks


def comparison(tables_by_indicator: dict[str, pd.DataFrame], codes: list[str]) -> pd.DataFrame:
    """One row per indicator and region: value, rank among 38 and within its type, with counts.

    `tables_by_indicator` are ranking tables (ranking.ranking / with_sources) of the same view.
    """
    catalogue = metrics.catalogue()
    frames = []
    for indicator_id, table in tables_by_indicator.items():
        table = table.assign(peringkat_jenis=rank_within_type(table, catalogue[indicator_id]))
        ranked = table.dropna(subset=["nilai"])
        counts = ranked.groupby("jenis")["kode"].size()
        picked = table.set_index("kode").reindex(codes).reset_index()
        frames.append(
            picked.assign(
                indikator=indicator_id,
                jumlah_berperingkat=len(ranked),
                jumlah_jenis=picked["jenis"].map(counts).fillna(0).astype(int),
            )
        )
    columns = [
        "indikator",
        "kode",
        "nama",
        "nama_pendek",
        "jenis",
        "nilai",
        "kualifikasi",
        "bulan_cakupan",
        "peringkat",
        "jumlah_berperingkat",
        "peringkat_jenis",
        "jumlah_jenis",
        "tanggal_data",
        "catatan",
        "sumber_id",
    ]
    extra = [c for c in ("sumber", "url") if frames and c in frames[0].columns]
    return pd.concat(frames, ignore_index=True)[columns + extra] if frames else pd.DataFrame(columns=columns)


# ---------------------------------------------------------------- peers


def population(den: pd.DataFrame, year: int) -> pd.Series:
    """Population per region for the year, else the nearest year (the earlier on a tie)."""
    pop = den.loc[(den["metrik"] == "penduduk") & (den["kode"] != series.PROVINCE)].copy()
    if pop.empty:
        return pd.Series(dtype=float)
    pop["jarak"] = (pop["tahun"].astype(int) - year).abs() * 2 + (pop["tahun"].astype(int) > year)
    chosen = pop.sort_values(["kode", "jarak"]).drop_duplicates("kode")
    return chosen.set_index(chosen["kode"].astype(str))["nilai"].astype(float)


def suggest_peers(
    kode: str, pop: pd.Series, neighbour_map: dict[str, tuple[str, ...]], exclude: Iterable[str] = (), n: int = 3
) -> pd.DataFrame:
    """Peers for one region: its map neighbours, then the same type with the closest population.

    Rows: kode, nama, alasan ('tetangga' | 'penduduk_mirip'), penduduk. Excluded codes are skipped.
    """
    skip = {kode, *exclude}
    regions = region_ref.regions_frame().set_index("kode")
    rows = [(k, "tetangga") for k in neighbour_map.get(kode, ()) if k not in skip]
    skip |= {k for k, _ in rows}  # a neighbour is not suggested twice
    if kode in pop.index:
        same_type = regions.index[(regions["jenis"] == regions.at[kode, "jenis"])]
        candidates = pop.reindex(same_type).dropna().drop(labels=list(skip), errors="ignore")
        closest = (candidates - pop[kode]).abs().sort_values(kind="stable").index[:n]
        rows += [(k, "penduduk_mirip") for k in closest]
    out = pd.DataFrame(rows, columns=["kode", "alasan"])
    out["nama"] = out["kode"].map(regions["nama"])
    out["penduduk"] = out["kode"].map(pop)
    return out[["kode", "nama", "alasan", "penduduk"]]
