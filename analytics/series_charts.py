"""Plotly builders for lines over time, dated points and small multiples, in the one house style
of analytics.charts (title block, source line, watermark, Indonesian separators). Pure: frames in,
figures out. Text taken from data (titles, publishers) is HTML-escaped before Plotly sees it.
"""

from __future__ import annotations

import html
import math
import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analytics import charts, fmt
from analytics.metrics import Indicator

# Distinct, print-safe colours; the first is the house green so a single region looks like every other chart.
# Colour-blind safe (tests/test_palettes.py): every pair at least ΔE 10 (CAM02-UCS) in normal vision and
# simulated deuteranopia and protanopia. The purple and red are darker than they were (#8E3B8E, #B3261E):
# a deutan saw that red as the olive (ΔE 2.8) and a protan that purple as the blue (ΔE 5.4).
PALETTE = ["#0B6E4F", "#E07A1F", "#3A5BA0", "#832B74", "#980616", "#1B998B", "#7A6C00", "#5F6B73"]
GRID = "#E6EAED"
TARGET_STYLE = {  # peran -> (colour, dash)
    "target_murni": (charts.COLOR_MUTED, "dash"),
    "target_pak": (charts.COLOR_HIGHLIGHT, "dash"),
    "target": (charts.COLOR_HIGHLIGHT, "dot"),
    "rencana": (charts.COLOR_MUTED, "dot"),
}


def _style(
    fig: go.Figure,
    title: str,
    subtitle: str,
    source: str,
    lang: str,
    height: int,
    legend: bool = False,
    synthetic: bool = False,
) -> go.Figure:
    """charts.base_layout, keeping subplot titles (base_layout would replace all annotations)."""
    layout = charts.base_layout(title, subtitle, source, lang, height)
    # The subplot titles stay where they are: handing them back to update_layout re-validated every
    # one (~12 ms a figure, Profil builds ten per region); the house layout's own notes are added.
    notes = layout.pop("annotations")
    fig.update_layout(**layout)
    for note in notes:
        fig.add_annotation(note)
    if legend:  # under its panel: inside it, a phone's narrow plot would be half covered
        fig.update_layout(showlegend=True, legend=legend_below(fig, "yaxis"))
    if synthetic:
        charts.watermark(fig, fmt.t("watermark", lang))
    return fig


def legend_box(fig: go.Figure, axis: str) -> dict:
    """A legend inside the top left of the panel of `axis` (exported images, which have the room)."""
    top = (fig.layout[axis].domain or (0, 1))[1]
    return dict(
        x=0.01,
        xanchor="left",
        y=top - 0.01,
        yanchor="top",
        orientation="v",
        font=dict(size=12),
        bgcolor="rgba(255,255,255,0.85)",
        bordercolor="#D5DBDF",
        borderwidth=1,
    )


LEGEND_GAP = 30  # px between a panel's x tick labels and the legend under it


def legend_below(fig: go.Figure, axis: str) -> dict:
    """A horizontal legend under the panel of `axis`, wrapping as the width needs (screens)."""
    bottom = (fig.layout[axis].domain or (0, 1))[0]
    plot_h = fig.layout.height - charts.SCREEN_MARGIN["t"] - charts.SCREEN_MARGIN["b"]
    return dict(
        x=0,
        xanchor="left",
        y=bottom - LEGEND_GAP / max(plot_h, 1),
        yanchor="top",
        orientation="h",
        font=dict(size=12),
        bgcolor="rgba(0,0,0,0)",
        borderwidth=0,
    )


def legends_inside(fig: go.Figure) -> None:
    """Exports: every legend drawn under its panel on screen goes inside its panel's top left."""
    for name, axis in (("legend", "yaxis"), ("legend2", "yaxis2")):
        try:
            legend, has_axis = fig.layout[name], fig.layout[axis] is not None
        except KeyError:  # a figure built without validation (maps) knows only the properties it set
            continue
        if legend is not None and legend.orientation == "h" and has_axis:
            fig.update_layout({name: legend_box(fig, axis)})


def _value_text(value, qualifier, indicator: Indicator, lang: str) -> str:
    return fmt.qualified(fmt.value(value, indicator.satuan, indicator.desimal, lang), qualifier, lang)


def _tickformat(indicator: Indicator) -> str:
    return ",." + str(min(indicator.desimal, 2)) + "~f"


def _rupiah_ticks(values: pd.Series, lang: str) -> dict:
    """Large rupiah axes read 'Rp1,2 miliar', not 1.200.000.000."""
    known = pd.to_numeric(pd.Series(values), errors="coerce").dropna()
    top = float(known.max()) if len(known) else 0.0
    if top < 10_000_000:
        return {}
    step = 10 ** math.floor(math.log10(top / 4))
    step *= next(m for m in (1, 2, 2.5, 5, 10) if top / (step * m) <= 5)
    ticks = np.arange(0, top + step, step)
    return dict(tickvals=ticks, ticktext=[fmt.rupiah(v, lang) if v else "0" for v in ticks])


def _value_axis(fig: go.Figure, values: pd.Series, indicator: Indicator, lang: str, **where) -> None:
    fig.update_yaxes(
        showgrid=True,
        gridcolor=GRID,
        zeroline=True,
        zerolinecolor="#9AA5AD",
        nticks=6,
        tickformat=_tickformat(indicator),
        automargin=True,
        **where,
    )
    if indicator.satuan == "rp":
        fig.update_yaxes(**_rupiah_ticks(values, lang), **where)


# ---------------------------------------------------------------- hover text


def _not_preferred(flag) -> bool:
    """Only an explicit False marks the losing side of a conflict; None/NaN means 'not applicable'."""
    return flag is not None and not pd.isna(flag) and not bool(flag)


def _hover(row: dict, indicator: Indicator, lang: str) -> str:
    """Series name, value as printed, budget year, date and the citation — all as escaped text."""
    lines = [
        html.escape(str(row["seri"])),
        "<b>" + html.escape(_value_text(row["nilai"], row.get("kualifikasi"), indicator, lang)) + "</b>",
    ]
    when = row.get("tanggal_data")
    year = row.get("tahun")
    meta = []
    if year is not None and not pd.isna(year):
        meta.append(f"{fmt.t('budget_year', lang)} {int(year)}")
    if when is not None and not pd.isna(when):
        meta.append(f"{fmt.t('data_date', lang)} {fmt.date(when, lang)}")
    if meta:
        lines.append(" · ".join(meta))
    for key in ("catatan", "sumber"):
        text = fmt.dates_in_text(row.get(key), lang)
        if isinstance(text, str) and text:
            lines.extend(html.escape(part) for part in textwrap.wrap(text, 80)[:4])
    if _not_preferred(row.get("diutamakan")):
        lines.append("<i>" + fmt.t("not_preferred", lang) + "</i>")
    return "<br>".join(lines)


# ---------------------------------------------------------------- trend: lines or dated points


def trend_chart(
    frame: pd.DataFrame,
    indicator: Indicator,
    *,
    title: str,
    subtitle: str,
    source: str,
    lang: str = "id",
    synthetic: bool = False,
    connect: bool = True,
    x_kind: str = "date",
    province_title: str = "",
) -> go.Figure:
    """Regions (and targets) on top; the province (sum over regions with data, published figure) in a
    panel below, so its scale never flattens the regions. `frame` has series.CHART_COLUMNS (+ sumber).

    connect=False draws markers only: published figures are dated observations, not a series.
    """
    with_province = frame["peran"].str.startswith("provinsi").any()
    rows = 2 if with_province else 1
    fig = make_subplots(
        rows=rows,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.2,
        row_heights=[0.68, 0.32] if rows == 2 else [1.0],
        subplot_titles=["", province_title] if rows == 2 else None,
    )
    fig.update_annotations(font=dict(size=13, color=charts.COLOR_MUTED))
    regions = frame.loc[frame["peran"] == "wilayah"]
    for i, (name, data) in enumerate(regions.groupby("seri", sort=False)):
        fig.add_trace(
            _region_trace(data, name, PALETTE[i % len(PALETTE)], indicator, lang, connect, x_kind), row=1, col=1
        )
    for peran, data in frame.loc[frame["peran"].isin(TARGET_STYLE)].groupby("peran", sort=False):
        fig.add_trace(_target_trace(data, peran, indicator, lang), row=1, col=1)
    for peran, data in frame.loc[frame["peran"].str.startswith("provinsi")].groupby("peran", sort=False):
        trace = _province_trace(data, peran, indicator, lang, connect, monthly=connect and x_kind == "date")
        fig.add_trace(trace.update(legend="legend2"), row=2, col=1)
    _style(
        fig,
        title,
        subtitle,
        source,
        lang,
        charts.screen_height(460 + (240 if rows == 2 else 0)),
        legend=True,
        synthetic=synthetic,
    )
    if rows == 2:
        fig.update_layout(legend2=legend_below(fig, "yaxis2"))
    _trend_value_axes(fig, frame, rows, indicator, lang)
    _time_axis(fig, x_kind, frame)
    return fig


def _trend_value_axes(fig: go.Figure, frame: pd.DataFrame, rows: int, indicator: Indicator, lang: str) -> None:
    for row in range(1, rows + 1):
        values = frame.loc[frame["peran"].str.startswith("provinsi") == (row == 2), "nilai"]
        _value_axis(fig, values, indicator, lang, row=row, col=1)
        if (values.dropna() >= 0).all():  # counts and shares from zero: no exaggerated slopes
            fig.update_yaxes(rangemode="tozero", row=row, col=1)


def _time_axis(fig: go.Figure, x_kind: str, frame: pd.DataFrame) -> None:
    if x_kind == "year":
        fig.update_xaxes(tickmode="linear", dtick=1, tickformat="d", showgrid=False)
    else:
        # whole budget years on the axis, so year labels show even when the figures span a few months
        dates = pd.to_datetime(frame["x"].dropna())
        years = pd.to_numeric(frame["tahun"], errors="coerce").dropna()
        first = int(min(years.min(), dates.min().year)) if len(years) else dates.min().year
        last = max(dates.max(), pd.Timestamp(int(years.max()) if len(years) else dates.max().year, 12, 31))
        fig.update_xaxes(
            dtick="M12",
            tickformat="%Y",
            ticklabelmode="period",
            showgrid=True,
            gridcolor=GRID,
            range=[pd.Timestamp(first, 1, 1) - pd.Timedelta(days=10), last + pd.Timedelta(days=10)],
        )
    fig.update_xaxes(showticklabels=True)


def _region_trace(
    data: pd.DataFrame, name: str, colour: str, indicator: Indicator, lang: str, connect: bool, x_kind: str
) -> go.Scatter:
    many = connect and x_kind == "date"  # monthly lines: markers would only add clutter
    symbols = ["circle-open" if _not_preferred(p) else "circle" for p in data["diutamakan"]]
    labels = _other_year_labels(data, lang) if x_kind == "date" and not connect else None
    return go.Scatter(
        x=data["x"],
        y=data["nilai"],
        name=name,
        legendgroup=name,
        text=labels,
        textposition="bottom center",
        textfont=dict(size=11, color=colour),
        cliponaxis=False,
        mode="lines" if many else ("lines+markers" if connect else "markers+text" if labels else "markers"),
        line=dict(color=colour, width=2.4),
        marker=dict(color=colour, size=7 if connect else 11, symbol=symbols, line=dict(width=1.5, color=colour)),
        hovertext=[_hover(r, indicator, lang) for r in data.to_dict("records")],
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _other_year_labels(data: pd.DataFrame, lang: str) -> list[str] | None:
    """'TA 2024' beside a figure dated in another year than its budget year (published late), so a
    static image does not read it as that later year's value. None when there is no such point."""
    dates = pd.to_datetime(data["x"])
    years = pd.to_numeric(data["tahun"], errors="coerce")
    labels = [
        f"{fmt.t('budget_year', lang)} {int(y)}" if pd.notna(y) and pd.notna(d) and int(y) != d.year else ""
        for y, d in zip(years, dates)
    ]
    return labels if any(labels) else None


def _target_trace(data: pd.DataFrame, peran: str, indicator: Indicator, lang: str) -> go.Scatter:
    """Flat dashed steps, one per budget year, broken between years (no line joins two targets)."""
    colour, dash = TARGET_STYLE[peran]
    xs, ys, texts = [], [], []
    for _, year_rows in data.groupby("tahun", sort=True):
        hover = _hover(year_rows.iloc[0].to_dict(), indicator, lang)
        xs += [*year_rows["x"], None]
        ys += [*year_rows["nilai"], None]
        texts += [hover] * len(year_rows) + [None]
    return go.Scatter(
        x=xs,
        y=ys,
        name=str(data["seri"].iloc[0]),
        mode="lines",
        connectgaps=False,
        line=dict(color=colour, width=2, dash=dash, shape="hv"),
        hovertext=texts,
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _province_trace(
    data: pd.DataFrame, peran: str, indicator: Indicator, lang: str, connect: bool, monthly: bool = False
) -> go.Scatter:
    published = peran == "provinsi_terbit"
    colour = charts.COLOR_REFERENCE if published else charts.COLOR_MUTED
    mode = "markers" if published or not connect else ("lines" if monthly else "lines+markers")
    return go.Scatter(
        x=data["x"],
        y=data["nilai"],
        name=str(data["seri"].iloc[0]),
        mode=mode,
        line=dict(color=colour, width=2),
        marker=dict(color=colour, size=14 if published else 8, symbol="star" if published else "diamond"),
        hovertext=[_hover(r, indicator, lang) for r in data.to_dict("records")],
        hovertemplate="%{hovertext}<extra></extra>",
    )


# ---------------------------------------------------------------- small multiples


def _grid(count: int, columns: int) -> tuple[int, int]:
    columns = max(1, min(columns, count))
    return max(1, math.ceil(count / columns)), columns


def _cell(index: int, columns: int) -> tuple[int, int]:
    return index // columns + 1, index % columns + 1


def _axis_name(axis: str, index: int) -> str:
    return f"{axis}{index + 1 if index else ''}"


def comparison_bars(
    frame: pd.DataFrame,
    indicators: dict[str, Indicator],
    *,
    title: str,
    subtitle: str,
    source: str,
    lang: str = "id",
    synthetic: bool = False,
    columns: int = 3,
) -> go.Figure:
    """One small bar panel per indicator, the chosen regions in the order chosen (the first highlighted).

    `frame`: indikator, kode, nama_pendek, nilai, kualifikasi, peringkat (compare.comparison rows).
    """
    ids = [i for i in indicators if i in set(frame["indikator"])]
    rows, cols = _grid(len(ids), columns)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=[_wrap_title(indicators[i].title(lang), 40) for i in ids],
        horizontal_spacing=0.06,
        vertical_spacing=0.5 / rows,
        shared_yaxes=True,
    )
    fig.update_annotations(font_size=12)
    first = frame["kode"].iloc[0] if len(frame) else None
    for index, indicator_id in enumerate(ids):
        data = frame.loc[frame["indikator"] == indicator_id].iloc[::-1]  # first region at the top
        row, col = _cell(index, cols)
        fig.add_trace(_comparison_trace(data, indicators[indicator_id], first, lang), row=row, col=col)
        fig.update_xaxes(_bar_range(data["nilai"]), row=row, col=col)
    per_panel = 60 + 30 * frame["kode"].nunique()
    _style(fig, title, subtitle, source, lang, charts.screen_height(80 + rows * per_panel), synthetic=synthetic)
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=True, zerolinecolor="#9AA5AD")
    fig.update_yaxes(automargin=True, tickfont=dict(size=12))
    return fig


def as_panel(fig: go.Figure, height: int, synthetic: bool, lang: str) -> go.Figure:
    """A one-indicator figure trimmed for a grid cell on screen: the page shows the title block and
    source once, so each cell keeps only its panel title (and the watermark) with tight margins."""
    kept = [a for a in fig.layout.annotations if a.name != "watermark"]  # panel titles and 'tidak ada data'
    fig.layout.annotations = kept  # assign: update_layout would merge with the old list item by item
    fig.update_layout(title=None, height=height, margin=dict(l=10, r=24, t=48, b=16))
    if synthetic:
        fig.add_annotation(
            text=fmt.t("watermark", lang),
            x=0.5,
            y=0.4,
            xref="paper",
            yref="paper",
            showarrow=False,
            textangle=-12,
            font=dict(size=28, color="rgba(179,38,30,0.16)"),
            name="watermark",
        )
    return fig


def _wrap_title(text: str, width: int) -> str:
    return "<br>".join(textwrap.wrap(text, width)) or text


def _bar_range(values: pd.Series) -> dict:
    """Room beside the bars for the value labels, which are drawn outside."""
    known = values.dropna()
    top = max(float(known.max()), 0.0) if len(known) else 1.0
    bottom = min(float(known.min()), 0.0) if len(known) else 0.0
    span = (top - bottom) or 1.0
    return dict(range=[bottom - (0.9 * span if bottom < 0 else 0), top + 0.9 * span])


def _comparison_trace(data: pd.DataFrame, indicator: Indicator, first, lang: str) -> go.Bar:
    labels = []
    for value, qualifier, rank in zip(data["nilai"], data["kualifikasi"], data["peringkat"]):
        if pd.isna(value):
            labels.append(fmt.t("no_data", lang))
        else:
            labels.append(
                _value_text(value, qualifier, indicator, lang) + (f" (#{int(rank)})" if pd.notna(rank) else "")
            )
    colours = [charts.COLOR_HIGHLIGHT if k == first else charts.COLOR_BAR for k in data["kode"]]
    return go.Bar(
        x=data["nilai"].fillna(0).tolist(),
        y=data["nama_pendek"].tolist(),
        orientation="h",
        marker_color=colours,
        text=labels,
        textposition="outside",
        cliponaxis=False,
        textfont=dict(size=12),
        hovertemplate="%{y}: %{text}<extra></extra>",
    )


def indicator_multiples(
    frame: pd.DataFrame,
    indicators: dict[str, Indicator],
    *,
    title: str,
    subtitle: str,
    source: str,
    lang: str = "id",
    synthetic: bool = False,
    connect: bool = True,
    columns: int = 3,
) -> go.Figure:
    """A mini trend per indicator for one region: years across, its value up; the last value labelled.

    `frame`: indikator, tahun, nilai, kualifikasi. connect=False draws markers only (published figures).
    """
    ids = list(indicators)
    rows, cols = _grid(len(ids), columns)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=[_wrap_title(indicators[i].title(lang), 40) for i in ids],
        horizontal_spacing=0.08,
        vertical_spacing=0.55 / rows,
    )
    fig.update_annotations(font_size=12)
    for index, indicator_id in enumerate(ids):
        row, col = _cell(index, cols)
        data = frame.loc[(frame["indikator"] == indicator_id)].dropna(subset=["nilai"]).sort_values("tahun")
        if data.empty:
            _empty_panel(fig, index, lang)
            continue
        fig.add_trace(_mini_trace(data, indicators[indicator_id], lang, connect), row=row, col=col)
        _value_axis(fig, data["nilai"], indicators[indicator_id], lang, row=row, col=col)
        # from zero, so one or two points do not look like a steep change; growth may go below it
        if (data["nilai"] >= 0).all():  # headroom: the newest value is written above its point
            fig.update_yaxes(range=[0, float(data["nilai"].max()) * 1.3 or 1], row=row, col=col)
    years = sorted(frame["tahun"].dropna().unique())
    _style(fig, title, subtitle, source, lang, charts.screen_height(80 + rows * 230), synthetic=synthetic)
    fig.update_xaxes(
        tickmode="linear",
        dtick=1,
        tickformat="d",
        showgrid=False,
        range=[years[0] - 0.5, years[-1] + 0.7] if years else None,
    )
    fig.update_yaxes(nticks=4)
    return fig


def _mini_trace(data: pd.DataFrame, indicator: Indicator, lang: str, connect: bool) -> go.Scatter:
    texts = [_value_text(v, q, indicator, lang) for v, q in zip(data["nilai"], data["kualifikasi"])]
    shown = [""] * (len(texts) - 1) + texts[-1:]  # only the newest value is written on the chart
    return go.Scatter(
        x=data["tahun"],
        y=data["nilai"],
        mode="lines+markers+text" if connect else "markers+text",
        line=dict(color=charts.COLOR_BAR, width=2),
        marker=dict(color=charts.COLOR_BAR, size=8),
        text=shown,
        textposition="top center",
        cliponaxis=False,
        textfont=dict(size=12),
        customdata=texts,
        hovertemplate="%{x}: %{customdata}<extra></extra>",
    )


def _empty_panel(fig: go.Figure, index: int, lang: str) -> None:
    """'no data' in the middle of an empty panel (paper coordinates: a hidden axis drops its annotations)."""
    xaxis, yaxis = fig.layout[_axis_name("xaxis", index)], fig.layout[_axis_name("yaxis", index)]
    fig.add_annotation(
        text=fmt.t("no_data", lang),
        x=sum(xaxis.domain) / 2,
        y=sum(yaxis.domain) / 2,
        xref="paper",
        yref="paper",
        showarrow=False,
        font=dict(color=charts.COLOR_MUTED, size=13),
        name="no_data",
    )
    fig.update_layout(
        {_axis_name("xaxis", index): dict(visible=False), _axis_name("yaxis", index): dict(visible=False)}
    )


def category_bars(
    frame: pd.DataFrame, *, title: str, subtitle: str, source: str, lang: str = "id", synthetic: bool = False
) -> go.Figure:
    """Participants by worker category, largest at the top. `frame`: kategori, peserta."""
    data = frame.sort_values("peserta")
    text = [fmt.number(v, 0, lang) for v in data["peserta"]]
    fig = go.Figure(
        go.Bar(
            x=data["peserta"].tolist(),
            y=[html.escape(str(k)) for k in data["kategori"]],
            orientation="h",
            marker_color=charts.COLOR_BAR,
            text=text,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    _style(fig, title, subtitle, source, lang, charts.screen_height(max(120, 34 * len(data))), synthetic=synthetic)
    fig.update_layout(margin_r=16 + 8 * max((len(t) for t in text), default=0), bargap=0.35 if len(data) > 2 else 0.6)
    fig.update_xaxes(showgrid=True, gridcolor=GRID, tickformat=",.0f", nticks=6)
    fig.update_yaxes(automargin=True, tickfont=dict(size=12))
    return fig
