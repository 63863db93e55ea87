"""Plotly builders for the Penilaian page (pure): why a region is where it is (contributions per
criterion) and how sure its rank is (median rank with its 5–95 % band, the nominal rank marked).
Same house style as analytics.charts: titles in layout.meta, Indonesian separators, watermark."""

from __future__ import annotations

import html
import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analytics import charts, fmt
from analytics.scoring import ScoreResult

# Okabe–Ito, colour-blind safe; one colour per criterion in scheme order. The ninth is a darker grey
# than Okabe–Ito's #999999, which a deutan sees as the reddish purple (ΔE 6.5; tests/test_palettes.py).
CRITERION_COLOURS = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
    "#6D6F70",
    "#882255",
]
ROW_PX = 24


def _below_axis(rows: int, axis_px: float) -> float:
    """A legend's y (paper units) that starts `axis_px` below the plot whatever its height: a fixed
    fraction would sit on the tick labels of a three-region chart."""
    return -axis_px / max(160, ROW_PX * rows)


def _labels(regions: pd.DataFrame) -> list[str]:
    return [f"{int(r)}. {html.escape(str(n))}" for r, n in zip(regions["peringkat"], regions["nama_pendek"])]


def contribution_bars(
    result: ScoreResult, *, title: str, subtitle: str, source: str, lang: str = "id", synthetic: bool = False
) -> go.Figure:
    """One horizontal stacked bar per scored region (best at the top): each criterion's part of the
    score, so a reader sees what carries a region. Copeland scores have no additive parts: one bar
    of the score alone."""
    scored = result.regions.loc[result.regions["status"] == "dinilai"].iloc[::-1]
    labels = _labels(scored)
    order = scored["kode"].tolist()
    parts_of = result.cells.pivot(index="kode", columns="kriteria", values="kontribusi").reindex(order)
    raw_of = result.cells.pivot(index="kode", columns="kriteria", values="nilai_mentah").reindex(order)
    fig = go.Figure()
    if result.scheme.aggregation == "copeland":
        fig.add_trace(
            go.Bar(
                x=scored["skor"],
                y=labels,
                orientation="h",
                marker_color=charts.COLOR_BAR,
                text=[fmt.number(v, 0, lang) for v in scored["skor"]],
                textposition="outside",
                cliponaxis=False,
                hovertemplate="%{y}: %{x}<extra></extra>",
                name="skor",
            )
        )
    else:
        for colour, criterion in zip(CRITERION_COLOURS * 2, result.scheme.criteria):
            if criterion.weight <= 0:
                continue
            parts, raw = parts_of[criterion.id].to_numpy(), raw_of[criterion.id].to_numpy()
            name, raw_word, no_data = (
                html.escape(criterion.title(lang)),
                fmt.t("score_raw", lang),
                fmt.t("no_data", lang),
            )
            hover = [
                f"{name}: {fmt.number(p, 1, lang)} ({raw_word} {fmt.number(v, criterion.decimals, lang)})"
                if pd.notna(p)
                else f"{name}: {no_data}"
                for p, v in zip(parts, raw)
            ]
            fig.add_trace(
                go.Bar(
                    x=parts,
                    y=labels,
                    orientation="h",
                    name=name,
                    marker_color=colour,
                    hovertext=hover,
                    hovertemplate="%{hovertext}<extra></extra>",
                )
            )
        fig.add_trace(
            go.Scatter(
                x=scored["skor"],
                y=labels,
                mode="text",
                textposition="middle right",
                text=[" " + fmt.number(v, 1, lang) for v in scored["skor"]],
                showlegend=False,
                hoverinfo="skip",
                cliponaxis=False,
                name="skor",
            )
        )
    fig.update_layout(
        **charts.base_layout(title, subtitle, source, lang, charts.screen_height(max(160, ROW_PX * len(scored))))
    )
    fig.layout.meta = dict(fig.layout.meta, press_legend="above")  # every corner of the plot holds bars
    fig.update_layout(
        barmode="stack",
        showlegend=result.scheme.aggregation != "copeland",
        legend=dict(
            orientation="h",
            x=0,
            xanchor="left",
            y=_below_axis(len(scored), 30),
            yanchor="top",
            font=dict(size=11),
            traceorder="normal",
        ),  # the scheme's order, as the bars stack left to right
        margin_r=60,
    )
    fig.update_xaxes(showgrid=True, gridcolor="#E6EAED", zeroline=True, zerolinecolor="#9AA5AD", nticks=6)
    fig.update_yaxes(automargin=True, tickfont=dict(size=12))
    if synthetic:
        charts.watermark(fig, fmt.t("watermark", lang))
    return fig


def uncertainty_plot(
    ranks: pd.DataFrame, *, title: str, subtitle: str, source: str, lang: str = "id", synthetic: bool = False
) -> go.Figure:
    """Median rank with its 5th–95th percentile band per region, ordered by the nominal rank; the
    nominal rank as an open diamond (COINr's plot_uncertainty). `ranks`: nama_pendek, nominal,
    median, p5, p95 (scored regions)."""
    data = ranks.sort_values("nominal", ascending=False)
    labels = [f"{int(r)}. {html.escape(str(n))}" for r, n in zip(data["nominal"], data["nama_pendek"])]
    band = [
        f"{fmt.t('score_interval', lang)} {fmt.number(a, 0, lang)}–{fmt.number(b, 0, lang)}"
        for a, b in zip(data["p5"], data["p95"])
    ]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=(data["p95"] - data["p5"]).clip(lower=0.15),
            base=data["p5"] - 0.075 * (data["p95"] == data["p5"]),
            y=labels,
            orientation="h",
            marker_color="rgba(11,110,79,0.28)",
            name=fmt.t("score_band", lang),
            hovertext=band,
            hovertemplate="%{y}<br>%{hovertext}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=data["median"],
            y=labels,
            mode="markers",
            name=fmt.t("score_median", lang),
            marker=dict(color=charts.COLOR_BAR, size=9),
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=data["nominal"],
            y=labels,
            mode="markers",
            name=fmt.t("score_nominal", lang),
            marker=dict(color=charts.COLOR_HIGHLIGHT, size=10, symbol="diamond-open", line=dict(width=2)),
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    fig.update_layout(
        **charts.base_layout(title, subtitle, source, lang, charts.screen_height(max(160, ROW_PX * len(data))))
    )
    top = float(np.nanmax(data["p95"])) if len(data) else 1
    fig.update_layout(
        showlegend=True, legend=dict(orientation="h", x=0, xanchor="left", y=_below_axis(len(data), 52), yanchor="top")
    )
    # in print: the top right is free (rank 1 sits top left, the last rank bottom right)
    fig.layout.meta = dict(fig.layout.meta, press_legend=dict(x=0.99, xanchor="right", y=0.99, yanchor="top"))
    fig.update_xaxes(
        range=[0.5, top + 0.5],
        dtick=max(1, round(top / 10)),
        showgrid=True,
        gridcolor="#E6EAED",
        title=dict(text=fmt.t("score_rank_axis", lang), font=dict(size=12)),
    )
    fig.update_yaxes(automargin=True, tickfont=dict(size=12))
    if synthetic:
        charts.watermark(fig, fmt.t("watermark", lang))
    return fig


def sensitivity_bars(
    indices: pd.DataFrame,
    labels: dict[str, str],
    *,
    title: str,
    subtitle: str,
    source: str,
    lang: str = "id",
    synthetic: bool = False,
) -> go.Figure:
    """Per uncertain input its total-effect index (ST, the whole bar) and first-order index (S1,
    inside it), each with its 5–95 % bootstrap interval: which choice moves the ranking most.
    `indices`: masukan, S1, S1_p5, S1_p95, ST, ST_p5, ST_p95 (robustness.SensitivityResult.indices)."""
    data = indices.sort_values("ST")
    # long criterion titles on two or three lines, so the bars keep their width on a phone too
    names = ["<br>".join(textwrap.wrap(html.escape(labels.get(m, m)), 26)) for m in data["masukan"]]
    lines = max((name.count("<br>") + 1 for name in names), default=1)
    plot_px = max(160, (16 * lines + 16) * len(data))  # a row as tall as its label
    fig = go.Figure()
    for column, colour, name, width in (
        ("ST", "rgba(11,110,79,0.35)", fmt.t("score_total_effect", lang), 0.8),
        ("S1", charts.COLOR_BAR, fmt.t("score_first_order", lang), 0.4),
    ):
        values = data[column].clip(lower=0)
        fig.add_trace(
            go.Bar(
                x=values,
                y=names,
                orientation="h",
                name=name,
                marker_color=colour,
                width=width,
                error_x=dict(
                    type="data",
                    symmetric=False,
                    array=(data[f"{column}_p95"] - data[column]).clip(lower=0),
                    arrayminus=(data[column] - data[f"{column}_p5"]).clip(lower=0),
                    color="#5F6B73",
                    thickness=1,
                ),
                hovertemplate="%{y}: %{x:.2f}<extra>" + name + "</extra>",
            )
        )
    fig.update_layout(**charts.base_layout(title, subtitle, source, lang, charts.screen_height(plot_px)))
    fig.update_layout(
        barmode="overlay",
        showlegend=True,
        legend=dict(orientation="h", x=0, xanchor="left", y=-30 / plot_px, yanchor="top"),
    )
    fig.update_xaxes(
        range=[0, max(1.0, float(data["ST_p95"].max()) if len(data) else 1.0)],
        showgrid=True,
        gridcolor="#E6EAED",
        tickformat=".1f",
    )
    fig.update_yaxes(automargin=True, tickfont=dict(size=12))
    if synthetic:
        charts.watermark(fig, fmt.t("watermark", lang))
    return fig
