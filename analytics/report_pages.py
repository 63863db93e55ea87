"""The printed reports as A4 HTML and PDF: *Laporan wilayah* (analytics.reports.RegionReport) and
*Laporan provinsi* (ProvinceReport), in Indonesian or English, through analytics.printing (the same
style, running header and footer, page numbers, watermark and print queue as the Lembar Penilaian).

Every figure names its sources by number; the numbered list with links closes the report. Pure: no
Streamlit.
"""

from __future__ import annotations

import pandas as pd

from analytics import captions, fmt, map_shapes, maps, methodology, metrics, printing, profile, series, series_charts
from analytics.export import ExportMeta
from analytics.printing import Markup, References, e
from analytics.reports import PEER_INDICATORS, Context, ProvinceReport, RegionReport

STYLE = """
.lead { font-size: 10.5pt; margin: 3mm 0 }
table.headline td:nth-child(1) { font-weight: bold }
table.ranking td:nth-child(4) { font-size: 7pt }
ul.plain { padding-left: 5mm; margin: 1mm 0 3mm } ul.plain li { margin-bottom: 0.8mm }
"""
FIGURE_SIZE = "1:1"  # the trend grid: square, the width of the A4 text column
MAP_SIZE = "16:9"  # East Java lies wide; the full ranking starts under it


def t(key: str, ctx: Context, **values) -> str:
    return fmt.t(key, ctx.lang, **values)


def _dataset(ctx: Context) -> str:
    return fmt.t("export_synthetic", ctx.lang) if ctx.synthetic else fmt.t(f"dataset_{ctx.dataset}", ctx.lang)


def _document_head(ctx: Context, title: str, subject: str) -> str:
    footer = t(
        "report_footer",
        ctx,
        dataset=_dataset(ctx),
        asof=fmt.date(ctx.as_of, ctx.lang),
        printed=fmt.date(ctx.printed_on, ctx.lang),
    )
    header = f"{title} · {subject} · {t('sidebar_year', ctx)} {ctx.year}"
    return printing.head(f"{title} — {subject}", header, footer, ctx.lang, ctx.synthetic, STYLE)


def _cover(ctx: Context, title: str, subject: str, extra: list[tuple[str, str]] = ()) -> str:
    facts = [
        (t("sidebar_year", ctx), str(ctx.year)),
        (t("export_asof", ctx), fmt.date(ctx.as_of, ctx.lang)),
        ("Dataset", _dataset(ctx)),
        (t("dossier_printed", ctx), fmt.date(ctx.printed_on, ctx.lang)),
        *extra,
    ]
    out = f"<h1>{e(title)}</h1><p class='scheme'>{e(subject)}</p>" + printing.facts(facts)
    if ctx.synthetic:
        out += printing.box(t("dataset_note_contoh", ctx), "synthetic")
    return out


def value_text(value, qualifier, note, indicator: metrics.Indicator, lang: str) -> str:
    """A figure as the pages print it in a table: qualifier ('lebih dari 18.000') and, for part of a
    year, its months; no unit word (the column or the indicator names it)."""
    if pd.isna(value):
        return fmt.t("no_data", lang)
    shown = fmt.qualified(
        fmt.value(value, indicator.satuan, indicator.desimal, lang),
        qualifier if isinstance(qualifier, str) else None,
        lang,
    )
    months = captions.partial_months(note)
    return fmt.partial(shown, months, lang) if months else shown


def _rank_change(row, lang: str) -> str:
    """'▲ 2 (5 daerah)': the change among the regions valued in both years, and how many they are."""
    moved = fmt.rank_change(row["perubahan_peringkat"], row["baru"], lang, same=fmt.t("report_same", lang))
    if row["baru"] or pd.isna(row["perubahan_peringkat"]):
        return moved
    return f"{moved} ({fmt.t('report_of_common', lang, n=int(row['jumlah_sebanding']))})"


def _value_change(row, indicator: metrics.Indicator, lang: str) -> str:
    """'+21.632' and, on a second line, '(+284,0 %)'; percent indicators change by points only."""
    text, percent = fmt.change(row["selisih"], row["persen_perubahan"], indicator.satuan, indicator.desimal, lang)
    return Markup(f"{e(text)}<br>({e(percent)})") if percent else text


def _date(value, lang: str) -> str:
    return fmt.date(pd.Timestamp(value).date(), lang) if pd.notna(value) else "–"


def _note(value, lang: str) -> Markup:
    return (
        Markup(f'<span class="muted">{e(fmt.note(value, lang))}</span>')
        if isinstance(value, str) and value
        else Markup("")
    )


def _chart(
    fig, ctx: Context, title: str, subtitle: str, source: str, notes: tuple[str, ...] = (), size: str = FIGURE_SIZE
) -> str:
    meta = ExportMeta(
        title=title,
        subtitle=subtitle,
        source=source,
        dataset=ctx.dataset,
        lang=ctx.lang,
        synthetic=ctx.synthetic,
        year=ctx.year,
        as_of=ctx.as_of,
        exported_on=ctx.printed_on,
        notes=notes,
    )
    return f"<figure>{printing.chart_svg(fig, meta, size)}</figure>"


def _source_line(ctx: Context, refs: References) -> str:
    """The chart's own source line: the numbered list at the end of the report."""
    return t("report_chart_sources", ctx, n=len(refs.numbers))


# ---------------------------------------------------------------- Laporan wilayah


def region_html(report: RegionReport) -> str:
    ctx, region = report.ctx, report.region
    refs = References(ctx.synthetic, ctx.lang)
    jenis = fmt.t("jenis_" + region.jenis, ctx.lang)
    title = t("report_region_title", ctx)
    extra = [(t("report_population", ctx), fmt.number(report.population, 0, ctx.lang))] if report.population else []
    parts = [
        _document_head(ctx, title, region.nama),
        _cover(ctx, title, f"{region.nama} · {jenis} · {region.kode}", extra),
        f'<p class="lead">{e(region_lead(report))}</p>',
        _headline(report, refs),
        _trends(report, refs),
        _budgets(report, refs),
        _categories(report, refs),
        _claims(report, refs),
        _peers(report),
        refs.html(t("report_sources", ctx)),
    ]
    return "".join(parts) + "</body></html>"


def region_lead(report: RegionReport) -> str:
    """One sentence on the main figure: value, date and rank, or why there is none."""
    ctx = report.ctx
    indicator = metrics.catalogue()["peserta_dbhcht"]
    row = report.headline.set_index("indikator").loc["peserta_dbhcht"]
    if pd.isna(row["nilai"]):
        return t(
            "report_region_lead_none",
            ctx,
            region=report.region.nama,
            year=ctx.year,
            asof=fmt.date(ctx.as_of, ctx.lang),
            reason=fmt.note(row["catatan"], ctx.lang) or "–",
        )
    return t(
        "report_region_lead",
        ctx,
        region=report.region.nama,
        value=value_text(row["nilai"], row["kualifikasi"], row["catatan"], indicator, ctx.lang),
        date=_date(row["tanggal_data"], ctx.lang),
        rank=int(row["peringkat"]),
        n=int(row["jumlah"]),
    )


def _headline(report: RegionReport, refs: References) -> str:
    ctx, catalogue = report.ctx, metrics.catalogue()
    header = [
        t(k, ctx)
        for k in ("indicator", "col_value", "col_rank", "col_rank_change", "col_value_change", "col_date", "col_source")
    ]
    rows = []
    for row in report.headline.to_dict("records"):
        indicator = catalogue[row["indikator"]]
        shown = value_text(row["nilai"], row["kualifikasi"], row["catatan"], indicator, ctx.lang)
        value = Markup(e(shown) + (f"<br>{_note(row['catatan'], ctx.lang)}" if isinstance(row["catatan"], str) else ""))
        rank = (
            "–"
            if pd.isna(row["peringkat"])
            else fmt.t("profil_rank_of", ctx.lang, rank=int(row["peringkat"]), n=row["jumlah"])
        )
        rows.append(
            [
                f"{indicator.title(ctx.lang)} ({indicator.unit(ctx.lang)})",
                value,
                rank,
                _rank_change(row, ctx.lang),
                _value_change(row, indicator, ctx.lang),
                _date(row["tanggal_data"], ctx.lang),
                refs.marks(row["sumber"], row["url"]),
            ]
        )
    return (
        f"<h2>{e(t('report_headline', ctx, year=ctx.year))}</h2>"
        + printing.table(header, rows, css="headline", widths=(25, 24, 10, 12, 13, 9, 7))
        + f'<p class="caption">{e(t("report_headline_caption", ctx, previous=ctx.year - 1))}</p>'
    )


def _trends(report: RegionReport, refs: References) -> str:
    ctx = report.ctx
    data = report.trends
    for row in data.itertuples():
        refs.refs(row.sumber, row.url)
    title = t("profil_trend_title", ctx, region=report.region.nama)
    subtitle = t(
        "tren_subtitle",
        ctx,
        first=report.years[0],
        last=report.years[-1],
        asof=fmt.date(ctx.as_of, ctx.lang),
        dataset=_dataset(ctx),
    )
    source = _source_line(ctx, refs)
    fig = series_charts.indicator_multiples(
        data[["indikator", "kode", "tahun", "per", "nilai", "kualifikasi", "tanggal_data", "catatan", "sumber", "url"]],
        metrics.catalogue(),
        title=title,
        subtitle=subtitle,
        source=source,
        lang=ctx.lang,
        synthetic=ctx.synthetic,
        connect=series.is_monthly(ctx.tables["kepesertaan"]),
    )
    return f'<h2 class="pb">{e(t("report_trends", ctx))}</h2>' + _chart(
        fig, ctx, title, subtitle, source, (t("profil_trend_note", ctx),)
    )


def _budgets(report: RegionReport, refs: References) -> str:
    ctx = report.ctx
    out = f'<h2 class="pb">{e(t("profil_budget", ctx))}</h2>'
    if report.budgets.empty:
        out += f"<p>{e(t('report_budget_none', ctx))}</p>"
    else:
        summary = report.budgets.assign(
            teks=[
                Markup(
                    e(
                        fmt.qualified(fmt.rupiah_full(v, ctx.lang), q if isinstance(q, str) else None, ctx.lang)
                        + (" (murni + tambahan)" if isinstance(c, str) else "")
                    )
                    + f" {e(refs.marks(s, u))}"
                )
                for v, q, c, s, u in zip(
                    *(report.budgets[k] for k in ("nilai_rp", "kualifikasi", "catatan", "sumber", "url"))
                )
            ]
        )
        wide = summary.pivot(index="tahun", columns="pos", values="teks").reindex(columns=profile.BUDGET_ITEMS)
        wide = wide.sort_index(ascending=False)
        header = [t("col_year", ctx), *(t(f"budget_{c}", ctx) for c in wide.columns)]
        rows = [
            [str(year), *("–" if not isinstance(v, str) else v for v in values)]
            for year, values in zip(wide.index, wide.to_numpy())
        ]
        out += printing.table(header, rows, numeric=tuple(range(1, len(header))), widths=(8, 18, 19, 19, 18, 18))
        out += f'<p class="caption">{e(t("profil_budget_caption", ctx))}</p>'
    return out + _cost(report, refs)


def _cost(report: RegionReport, refs: References) -> str:
    ctx = report.ctx
    indicator = metrics.catalogue()["biaya_per_peserta_bulan"]
    out = f"<h3>{e(t('report_cost', ctx, reference=fmt.rupiah_full(metrics.REFERENCE_PREMIUM, ctx.lang)))}</h3>"
    if report.cost.empty:
        return out + f"<p>{e(t('report_cost_none', ctx))}</p>"
    header = [
        t("col_year", ctx),
        indicator.title(ctx.lang),
        t("report_cost_vs", ctx),
        t("col_note", ctx),
        t("col_date", ctx),
        t("col_source", ctx),
    ]
    rows = [
        [
            str(row["tahun"]),
            value_text(row["nilai"], row["kualifikasi"], None, indicator, ctx.lang),
            fmt.signed_percent(row["selisih_acuan"], 1, ctx.lang),
            fmt.note(row["catatan"], ctx.lang) or "–",
            _date(row["tanggal_data"], ctx.lang),
            refs.marks(row["sumber"], row["url"]),
        ]
        for row in report.cost.to_dict("records")
    ]
    return (
        out
        + printing.table(header, rows, numeric=(1, 2), widths=(8, 22, 16, 24, 16, 14))
        + f'<p class="caption">{e(t("report_cost_caption", ctx))}</p>'
    )


def _categories(report: RegionReport, refs: References) -> str:
    ctx = report.ctx
    out = f"<h2>{e(t('profil_categories', ctx))}</h2>"
    frame = report.categories
    if frame.empty:
        return out + f"<p>{e(t('profil_categories_none', ctx, year=ctx.year))}</p>"
    total = frame["peserta"].sum()
    header = [
        t("report_category", ctx),
        t("kpi_total", ctx),
        t("report_share", ctx),
        t("col_date", ctx),
        t("col_source", ctx),
    ]
    rows = [
        [
            row["kategori"],
            fmt.number(row["peserta"], 0, ctx.lang),
            fmt.percent(row["peserta"] / total * 100, 1, ctx.lang),
            _date(row["tanggal_data"], ctx.lang),
            refs.marks(row["sumber"], row["url"]),
        ]
        for row in frame.to_dict("records")
    ]
    out += printing.table(header, rows, numeric=(1, 2), widths=(40, 16, 12, 18, 14))
    return out + (
        f'<p class="caption">{e(t("profil_categories_other", ctx))}</p>' if not report.categories_from_chosen else ""
    )


def _claims(report: RegionReport, refs: References) -> str:
    ctx = report.ctx
    out = f"<h2>{e(t('profil_claims', ctx))}</h2>"
    if report.claims.empty:
        return out + f"<p>{e(t('profil_claims_none', ctx))}</p>"
    header = [t(k, ctx) for k in ("col_year", "col_program", "col_cases", "col_amount", "col_date", "col_source")]
    rows = [
        [
            str(row["tahun"]),
            row["program"],
            fmt.number(row["kasus"], 0, ctx.lang),
            fmt.qualified(
                fmt.rupiah_full(row["nilai_rp"], ctx.lang),
                row["kualifikasi"] if isinstance(row["kualifikasi"], str) else None,
                ctx.lang,
            ),
            _date(row["tanggal_data"], ctx.lang),
            refs.marks(row["sumber"], row["url"]),
        ]
        for row in report.claims.to_dict("records")
    ]
    return out + printing.table(header, rows, numeric=(2, 3), widths=(8, 14, 10, 28, 20, 20))


def _peers(report: RegionReport) -> str:
    """The region beside its suggested peers: value (rank) of the peer indicators; sources of these
    figures are those of each region's own report, so only their ranks and values are shown here."""
    ctx, catalogue = report.ctx, metrics.catalogue()
    header = [t("col_region", ctx), t("report_peer_why", ctx), *(catalogue[i].title(ctx.lang) for i in PEER_INDICATORS)]
    rows = []
    for row in report.peers.to_dict("records"):
        cells = []
        for indicator_id in PEER_INDICATORS:
            value = row[f"{indicator_id}__nilai"]
            shown = value_text(value, row[f"{indicator_id}__kualifikasi"], None, catalogue[indicator_id], ctx.lang)
            rank = row[f"{indicator_id}__peringkat"]
            cells.append(shown if pd.isna(rank) else f"{shown} (#{int(rank)})")
        name = Markup(f"<b>{e(row['nama'])}</b>") if row["alasan"] == "wilayah_ini" else row["nama"]
        rows.append([name, t(f"report_peer_{row['alasan']}", ctx), *cells])
    return (
        f"<h2>{e(t('report_peers', ctx))}</h2>"
        + printing.table(header, rows, numeric=(2, 3, 4, 5), widths=(22, 14, 16, 16, 16, 16))
        + f'<p class="caption">{e(t("report_peers_caption", ctx))}</p>'
    )


# ---------------------------------------------------------------- Laporan provinsi


def province_html(report: ProvinceReport) -> str:
    ctx = report.ctx
    refs = References(ctx.synthetic, ctx.lang)
    title = t("report_province_title", ctx)
    subject = f"{t('report_province_subject', ctx)} · {report.indicator.title(ctx.lang)}"
    parts = [
        _document_head(ctx, title, t("report_province_subject", ctx)),
        _cover(ctx, title, subject),
        _kpi(report, refs),
        _leaders(report),
        _overview(report),
        _map(report, refs),
        _full_ranking(report, refs),
        _missing(report),
        _method(report),
        refs.html(t("report_sources", ctx)),
    ]
    return "".join(parts) + "</body></html>"


def _kpi(report: ProvinceReport, refs: References) -> str:
    ctx, s = report.ctx, report.summary
    change = (
        t(
            "report_kpi_change_value",
            ctx,
            change=fmt.signed_percent(s["change_pct"], 1, ctx.lang),
            previous=ctx.year - 1,
            n=s["common"],
        )
        if pd.notna(s["change_pct"])
        else "–"
    )
    published = t("kpi_province_none", ctx)
    if len(report.reported):
        row = report.reported.iloc[0]
        published = (
            f"{fmt.number(row['peserta'], 0, ctx.lang)} ({_date(row['tanggal_data'], ctx.lang)}) "
            f"{refs.marks(row['sumber'], row['url'])}"
        )
    pairs = [
        (t("kpi_total", ctx), fmt.number(s["total"], 0, ctx.lang)),
        (t("kpi_regions", ctx), f"{s['regions']} / 38"),
        (t("report_kpi_change", ctx), change),
        (t("kpi_per1000", ctx), fmt.number(s["per_1000"], 2, ctx.lang)),
        (t("kpi_province", ctx), published),
    ]
    return (
        f"<h2>{e(t('report_kpi', ctx))}</h2>"
        + printing.facts(pairs)
        + f'<p class="caption">{e(t("kpi_total_help", ctx))} {e(t("kpi_per1000_help", ctx))}</p>'
    )


def _names(frame: pd.DataFrame, indicator: metrics.Indicator, lang: str) -> str:
    return "; ".join(
        f"{int(r['peringkat'])}. {r['nama']} {value_text(r['nilai'], r['kualifikasi'], r['catatan'], indicator, lang)}"
        for r in frame.to_dict("records")
    )


def _leaders(report: ProvinceReport) -> str:
    ctx, indicator = report.ctx, report.indicator
    if report.leaders.empty:
        return (
            f'<p class="lead">{e(t("report_no_ranking", ctx, year=ctx.year, asof=fmt.date(ctx.as_of, ctx.lang)))}</p>'
        )
    items = [t("report_leaders", ctx, names=_names(report.leaders, indicator, ctx.lang))]
    if len(report.laggards):
        items.append(t("report_laggards", ctx, names=_names(report.laggards, indicator, ctx.lang)))
    for frame, key in ((report.risers, "report_risers"), (report.fallers, "report_fallers")):
        if len(frame):
            moved = "; ".join(
                f"{r['nama']} ({'▲' if r['perubahan_peringkat'] > 0 else '▼'} {abs(int(r['perubahan_peringkat']))})"
                for r in frame.to_dict("records")
            )
            items.append(t(key, ctx, names=moved, n=int(frame["jumlah_sebanding"].iloc[0]), previous=ctx.year - 1))
    lead = t(
        "report_province_lead",
        ctx,
        n=int(report.table["peringkat"].notna().sum()),
        indicator=indicator.title(ctx.lang),
        asof=fmt.date(ctx.as_of, ctx.lang),
    )
    return (
        f'<h2>{e(t("report_leaders_title", ctx))}</h2><p class="lead">{e(lead)}</p><ul class="plain">'
        + "".join(f"<li>{e(item)}</li>" for item in items)
        + "</ul>"
    )


def _map(report: ProvinceReport, refs: References) -> str:
    ctx, indicator = report.ctx, report.indicator
    ranked = report.table.loc[report.table["peringkat"].notna()]
    if ranked.empty:
        return ""
    for row in report.table.itertuples():
        refs.refs(row.sumber, row.url)
    try:
        shapes = map_shapes.shapes_for("peta")
    except (OSError, ValueError):  # no usable boundaries: the tile grid, as on the page
        shapes = map_shapes.tile_shapes()
    subtitle = t("report_map_subtitle", ctx, year=ctx.year, asof=fmt.date(ctx.as_of, ctx.lang), dataset=_dataset(ctx))
    source = _source_line(ctx, refs)
    table = report.table.assign(catatan=[fmt.note(n, ctx.lang) for n in report.table["catatan"]])
    fig = maps.map_figure(
        table,
        indicator,
        shapes,
        title=indicator.title(ctx.lang),
        subtitle=subtitle,
        source=source,
        lang=ctx.lang,
        synthetic=ctx.synthetic,
    )
    notes = (
        (indicator.definition(ctx.lang), t("footer_boundaries", ctx))
        if shapes.kind == "peta"
        else (indicator.definition(ctx.lang),)
    )
    return f'<h2 class="pb">{e(t("page_peta", ctx))}</h2>' + _chart(
        fig, ctx, indicator.title(ctx.lang), subtitle, source, notes, MAP_SIZE
    )


def _full_ranking(report: ProvinceReport, refs: References) -> str:
    ctx, indicator = report.ctx, report.indicator
    ranked = report.table.loc[report.table["peringkat"].notna()]
    header = [
        t(k, ctx)
        for k in (
            "col_rank",
            "col_region",
            "col_value",
            "col_note",
            "col_rank_change",
            "col_value_change",
            "col_date",
            "col_source",
        )
    ]
    rows = [
        [
            str(int(r["peringkat"])),
            r["nama"],
            value_text(r["nilai"], r["kualifikasi"], r["catatan"], indicator, ctx.lang),
            _note(r["catatan"], ctx.lang),
            _rank_change(r, ctx.lang),
            _value_change(r, indicator, ctx.lang),
            _date(r["tanggal_data"], ctx.lang),
            refs.marks(r["sumber"], r["url"]),
        ]
        for r in ranked.to_dict("records")
    ]
    return (
        f"<h2>{e(t('report_full_ranking', ctx, indicator=indicator.title(ctx.lang)))}</h2>"
        + printing.table(header, rows, numeric=(0, 2), css="ranking", widths=(7, 19, 14, 20, 10, 11, 11, 8))
        + f'<p class="caption">{e(t("report_headline_caption", ctx, previous=ctx.year - 1))}</p>'
    )


def _missing(report: ProvinceReport) -> str:
    ctx = report.ctx
    missing = report.table.loc[report.table["peringkat"].isna()]
    out = f"<h2>{e(t('gaps_title', ctx, n=len(missing)))}</h2>"
    if missing.empty:
        return out + f"<p>{e(t('report_no_gaps', ctx))}</p>"
    rows = [[r["nama"], fmt.note(r["catatan"], ctx.lang) or "–"] for r in missing.to_dict("records")]
    return out + printing.table([t("col_region", ctx), t("report_reason", ctx)], rows, widths=(30, 70))


def _overview(report: ProvinceReport) -> str:
    ctx, catalogue = report.ctx, metrics.catalogue()
    header = [t("indicator", ctx), t("kpi_regions", ctx), t("report_top", ctx), t("report_median", ctx)]
    rows = []
    for row in report.overview.to_dict("records"):
        indicator = catalogue[row["indikator"]]
        top = (
            f"{row['teratas']}: {value_text(row['nilai_teratas'], row['kualifikasi_teratas'], None, indicator, ctx.lang)}"
            if row["jumlah"]
            else "–"
        )
        median = (
            "–" if pd.isna(row["median"]) else fmt.value(row["median"], indicator.satuan, indicator.desimal, ctx.lang)
        )
        rows.append([f"{indicator.title(ctx.lang)} ({indicator.unit(ctx.lang)})", f"{row['jumlah']} / 38", top, median])
    return f"<h2>{e(t('report_overview', ctx, year=ctx.year))}</h2>" + printing.table(
        header, rows, numeric=(1, 3), widths=(32, 12, 40, 16)
    )


def _method(report: ProvinceReport) -> str:
    ctx, indicator = report.ctx, report.indicator
    text = methodology.texts()
    facts = methodology.indicator_facts(indicator, ctx.lang, text)
    items = [
        indicator.definition(ctx.lang),
        *facts,
        t("report_method_asof", ctx),
        t("report_method_rank", ctx),
        t("kpi_total_help", ctx),
        t("footer_boundaries", ctx),
    ]
    return (
        f'<h2 class="pb">{e(t("report_method", ctx))}</h2><ul class="plain">'
        + "".join(f"<li>{e(item)}</li>" for item in items)
        + "</ul>"
    )


# ---------------------------------------------------------------- PDF


def pdf_bytes(report: RegionReport | ProvinceReport, timeout: float = printing.PRINT_TIMEOUT) -> bytes:
    document = region_html(report) if isinstance(report, RegionReport) else province_html(report)
    return printing.pdf_bytes(document, report.ctx.lang, timeout, failed="report_print_failed")
