"""The figures of the printed reports: *Laporan wilayah* (one region) and *Laporan provinsi* (the
province overview for a meeting). Pure pandas, no Streamlit, no HTML: analytics.report_pages lays
these out and prints them.

Every figure is computed by the same functions as the pages (metrics, ranking, series), at the same
budget year and as-of date, so a report says exactly what the dashboard said when it was printed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from analytics import compare, geo, metrics, profile, ranking, regions, series
from analytics.printing import safe_file_name

KINDS = ("wilayah", "provinsi")
PROVINCE_INDICATOR = "peserta_dbhcht"
LEADERS = 3  # leaders and laggards named in the province report
PEER_INDICATORS = ("peserta_dbhcht", "peserta_per_1000", "capaian_target", "biaya_per_peserta_bulan")


@dataclass
class Context:
    """What a report is about: the dataset's tables, the budget year, the as-of date, the language.
    `known`: cited ranking tables the caller already has, by (indicator, year) at this as-of date
    (the page passes its cached ones); the others are computed once, on first use. `trends`: cited
    trend frames (trend_frame) the caller already has, by (region code, budget years): the Profil
    page's, which take 36 computations to build."""

    tables: dict[str, pd.DataFrame]
    dataset: str
    year: int
    as_of: dt.date
    lang: str = "id"
    printed_on: dt.date = field(default_factory=dt.date.today)
    known: dict[tuple[str, int], pd.DataFrame] = field(default_factory=dict)
    trends: dict[tuple[str, tuple[int, ...]], pd.DataFrame] = field(default_factory=dict)

    @property
    def synthetic(self) -> bool:
        return self.dataset == "contoh"

    def ranking(self, indicator_id: str, year: int | None = None) -> pd.DataFrame:
        """The cited ranking table; notes stay in Indonesian (the layout translates them)."""
        key = (indicator_id, self.year if year is None else int(year))
        if key not in self.known:
            self.known[key] = ranking.cited_ranking(self.tables, *key, self.as_of)
        return self.known[key]


def file_name(kind: str, ctx: Context, subject: str, extension: str = "pdf") -> str:
    """'laporan_wilayah_publikasi_3509_2025_2025-07-31_id.pdf' — safe characters only."""
    stem = f"laporan_{kind}_{ctx.dataset}_{subject}_{ctx.year}_{ctx.as_of.isoformat()}_{ctx.lang}"
    return safe_file_name(stem, extension)


# ---------------------------------------------------------------- one region


@dataclass
class RegionReport:
    ctx: Context
    region: regions.Region
    population: float | None
    years: tuple[int, ...]
    headline: pd.DataFrame  # one row per indicator: value, rank of n, change
    trends: pd.DataFrame  # long frame for series_charts.indicator_multiples
    budgets: pd.DataFrame  # profile.budget_summary, cited
    cost: pd.DataFrame  # cost per participant-month per year against Rp16.800
    categories: pd.DataFrame  # worker categories of the year, cited
    categories_from_chosen: bool
    claims: pd.DataFrame  # profile.claims_summary, cited
    peers: pd.DataFrame  # suggested peers with their values and ranks


def region_report(ctx: Context, kode: str) -> RegionReport:
    region = regions.region_by_code(kode)
    data = ctx.tables
    years = tuple(series.budget_years(data, ctx.as_of)) or (ctx.year,)
    pop = compare.population(data["denominator"], ctx.year)

    def cite(frame: pd.DataFrame) -> pd.DataFrame:
        return ranking.with_sources(frame, data["sumber"])

    categories, from_chosen = profile.worker_categories(data["kepesertaan"], kode, ctx.year, ctx.as_of)
    trends = ctx.trends.get((kode, years))
    return RegionReport(
        ctx=ctx,
        region=region,
        population=float(pop[kode]) if kode in pop.index else None,
        years=years,
        headline=headline(ctx, kode),
        trends=trends if trends is not None else cite(trend_frame(ctx, kode, years)),
        budgets=cite(profile.budget_summary(data["anggaran"], kode, years, ctx.as_of)),
        cost=cost_frame(ctx, kode, years),
        categories=cite(categories),
        categories_from_chosen=from_chosen,
        claims=cite(profile.claims_summary(data["klaim"], kode, years, ctx.as_of)),
        peers=peer_frame(ctx, kode, pop),
    )


def headline(ctx: Context, kode: str) -> pd.DataFrame:
    """Every catalogue indicator for the region: value, qualifier, rank among the regions with data
    (and how many), rank change among the regions valued in both years, value change, date, note,
    sources."""
    rows = []
    for indicator_id in metrics.catalogue():
        table = ctx.ranking(indicator_id)
        row = table.set_index("kode").loc[kode]
        rows.append(
            {
                "indikator": indicator_id,
                "nilai": row["nilai"],
                "kualifikasi": row["kualifikasi"],
                "peringkat": row["peringkat"],
                "jumlah": int(table["peringkat"].notna().sum()),
                "perubahan_peringkat": row["perubahan_peringkat"],
                "baru": bool(row["baru"]),
                "jumlah_sebanding": int(row["jumlah_sebanding"]),
                "selisih": row["selisih"],
                "persen_perubahan": row["persen_perubahan"],
                "tanggal_data": row["tanggal_data"],
                "catatan": row["catatan"],
                "sumber": row["sumber"],
                "url": row["url"],
            }
        )
    return pd.DataFrame(rows)


def trend_frame(ctx: Context, kode: str, years: tuple[int, ...]) -> pd.DataFrame:
    """The Profil page's trend frame: every indicator per budget year at the report's as-of date."""
    compute = series.computer(ctx.tables)
    frames = []
    for indicator_id in metrics.catalogue():
        trend = series.yearly_series(compute, indicator_id, years, ctx.as_of)
        frames.append(trend.loc[trend["kode"] == kode].assign(indikator=indicator_id))
    return pd.concat(frames, ignore_index=True)


def cost_frame(ctx: Context, kode: str, years: tuple[int, ...]) -> pd.DataFrame:
    """Cost per participant-month per budget year with its distance from Rp16.800 (in %)."""
    rows = []
    for year in years:
        row = ctx.ranking("biaya_per_peserta_bulan", year).set_index("kode").loc[kode]
        if pd.notna(row["nilai"]):
            rows.append(
                {
                    "tahun": year,
                    "nilai": row["nilai"],
                    "kualifikasi": row["kualifikasi"],
                    "selisih_acuan": (row["nilai"] / metrics.REFERENCE_PREMIUM - 1) * 100,
                    "catatan": metrics.premium_flag(row["nilai"]),
                    "tanggal_data": row["tanggal_data"],
                    "sumber": row["sumber"],
                    "url": row["url"],
                }
            )
    return pd.DataFrame(
        rows, columns=["tahun", "nilai", "kualifikasi", "selisih_acuan", "catatan", "tanggal_data", "sumber", "url"]
    )


def peer_frame(ctx: Context, kode: str, pop: pd.Series) -> pd.DataFrame:
    """The region and its suggested peers (map neighbours, then the closest population of the same
    jenis, as on Bandingkan) with the value and rank of the peer indicators."""
    peers = compare.suggest_peers(kode, pop, geo.neighbours())
    codes = [kode, *peers["kode"]]
    out = pd.DataFrame({"kode": codes, "alasan": ["wilayah_ini", *peers["alasan"]]})
    out["nama"] = [regions.region_by_code(k).nama for k in codes]
    for indicator_id in PEER_INDICATORS:
        table = ctx.ranking(indicator_id).set_index("kode")
        out[f"{indicator_id}__nilai"] = out["kode"].map(table["nilai"])
        out[f"{indicator_id}__kualifikasi"] = out["kode"].map(table["kualifikasi"])
        out[f"{indicator_id}__peringkat"] = out["kode"].map(table["peringkat"])
    return out


# ---------------------------------------------------------------- the province


@dataclass
class ProvinceReport:
    ctx: Context
    indicator: metrics.Indicator
    table: pd.DataFrame  # the full ranking of the chosen indicator, cited
    summary: dict  # metrics.province_summary
    reported: pd.DataFrame  # the published province figure, if any (metrics.province_reported)
    overview: pd.DataFrame  # every indicator: regions with data, leader, median
    leaders: pd.DataFrame
    laggards: pd.DataFrame
    risers: pd.DataFrame  # largest rank gains among the regions valued in both years
    fallers: pd.DataFrame


def province_report(ctx: Context, indicator_id: str = PROVINCE_INDICATOR) -> ProvinceReport:
    indicator = metrics.catalogue()[indicator_id]
    table = ctx.ranking(indicator_id)
    ranked, _ = ranking.split_ranked(table)
    summary = metrics.province_summary(
        ctx.ranking(PROVINCE_INDICATOR), ctx.ranking(PROVINCE_INDICATOR, ctx.year - 1), ctx.ranking("peserta_per_1000")
    )
    reported = metrics.province_reported(ctx.tables, ctx.year, ctx.as_of)
    if len(reported):
        reported = ranking.with_sources(reported, ctx.tables["sumber"])
    movers = ranked.dropna(subset=["perubahan_peringkat"])
    movers = movers.assign(_gerak=movers["perubahan_peringkat"].astype(float))
    return ProvinceReport(
        ctx=ctx,
        indicator=indicator,
        table=table,
        summary=summary,
        reported=reported,
        overview=overview(ctx),
        leaders=ranked.loc[ranked["peringkat"] <= LEADERS],
        laggards=_laggards(ranked),
        risers=movers.loc[movers["_gerak"] > 0]
        .sort_values(["_gerak", "peringkat"], ascending=[False, True])
        .head(LEADERS),
        fallers=movers.loc[movers["_gerak"] < 0].sort_values(["_gerak", "peringkat"]).head(LEADERS),
    )


def _laggards(ranked: pd.DataFrame) -> pd.DataFrame:
    """The last LEADERS ranks (every region tied on them), when more regions are ranked than named as
    leaders; otherwise nobody (with three regions ranked, the 'last three' are the leaders)."""
    if len(ranked) <= 2 * LEADERS:
        return ranked.iloc[0:0]
    cut = ranked["peringkat"].sort_values().iloc[-LEADERS]
    return ranked.loc[ranked["peringkat"] >= cut].sort_values(["peringkat", "kode"], ascending=[False, True])


def overview(ctx: Context) -> pd.DataFrame:
    """Per catalogue indicator: how many regions have a value, who leads (ties joined) and the median."""
    rows = []
    for indicator_id in metrics.catalogue():
        ranked, _ = ranking.split_ranked(ctx.ranking(indicator_id))
        first = ranked.loc[ranked["peringkat"] == 1] if len(ranked) else ranked
        rows.append(
            {
                "indikator": indicator_id,
                "jumlah": len(ranked),
                "teratas": ", ".join(first["nama"]),
                "nilai_teratas": first["nilai"].iloc[0] if len(first) else None,
                "kualifikasi_teratas": first["kualifikasi"].iloc[0] if len(first) else None,
                "median": ranked["nilai"].median() if len(ranked) else None,
            }
        )
    return pd.DataFrame(rows)
