"""Plotly figure builders (pure): one visual style for every chart."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from analytics import fmt
from analytics.metrics import Indicator

FONT = "Source Sans Pro, Noto Sans, Arial, sans-serif"
COLOR_BAR = "#0B6E4F"
COLOR_HIGHLIGHT = "#E07A1F"
COLOR_MUTED = "#5F6B73"
COLOR_REFERENCE = "#B3261E"
SEPARATORS = {"id": ",.", "en": ".,"}  # plotly: decimal mark first, then thousands


# On screen a figure carries no title, subtitle or source: pages write them as HTML above and below
# (they wrap on a phone, and Plotly's toolbar covers no text). Exports draw them into the image from
# ExportMeta. The texts travel in `layout.meta` so the page reads them from the figure it shows.
SCREEN_MARGIN = dict(l=10, r=30, t=34, b=36)  # top: room for the toolbar over an empty strip


def base_layout(title: str, subtitle: str, source: str, lang: str, height: int) -> dict:
    """The house layout; `height` is the plot area plus SCREEN_MARGIN's top and bottom."""
    return dict(
        meta=dict(title=title, subtitle=subtitle, source=source),
        font=dict(family=FONT, size=13, color="#1F2A30"),
        separators=SEPARATORS[lang],
        height=height,
        margin=dict(SCREEN_MARGIN),
        template="plotly_white",  # explicit: importing streamlit swaps the default for placeholder colours
        plot_bgcolor="white",
        paper_bgcolor="white",
        showlegend=False,
        annotations=[],
    )


def subtitle_text(year: int, as_of, dataset: str, lang: str) -> str:
    """A chart's subtitle: budget year, as-of date, dataset."""
    return fmt.t(
        "chart_subtitle", lang, year=year, asof=fmt.date(as_of, lang), dataset=fmt.t("dataset_" + dataset, lang)
    )


def source_text(table: pd.DataFrame, lang: str, synthetic: bool, limit: int = 3) -> str:
    """A short source line for a chart: the most-cited publishers of `table["sumber"]`, then '+N lainnya'."""
    if synthetic:
        return fmt.t("source_line", lang, sources=fmt.t("dataset_contoh", lang) + " — " + fmt.t("fixed_seed", lang))
    # publisher names come from data files; plotly reads tags in annotation text, so escape them
    publishers = [html.escape(p.split(",")[0]) for cell in table["sumber"].fillna("") for p in cell.split(" | ") if p]
    counts = pd.Series(publishers).value_counts() if publishers else pd.Series(dtype=int)
    shown = ", ".join(counts.index[:limit])
    more = len(counts) - limit
    suffix = (f" +{more} lainnya" if lang == "id" else f" +{more} more") if more > 0 else ""
    return fmt.t("source_line", lang, sources=(shown or "–") + suffix)


def screen_height(plot: float) -> int:
    """Figure height for a plot area of `plot` px on screen."""
    return round(plot + SCREEN_MARGIN["t"] + SCREEN_MARGIN["b"])


def watermark(fig: go.Figure, text: str) -> go.Figure:
    """The synthetic-data stamp across the plot area (kept in every export)."""
    fig.add_annotation(
        text=text,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        textangle=-20,
        font=dict(size=64, color="rgba(179,38,30,0.16)"),
        name="watermark",
    )
    return fig


def ranking_bar(
    frame: pd.DataFrame,
    indicator: Indicator,
    *,
    title: str,
    subtitle: str,
    source: str,
    lang: str = "id",
    synthetic: bool = False,
    highlight: tuple[str, ...] = (),
) -> go.Figure:
    """Horizontal bars, best at the top; `frame` has nama_pendek, nilai, peringkat, kode."""
    data = frame.dropna(subset=["nilai"]).sort_values(["peringkat", "kode"], ascending=[False, False])
    labels = [f"{int(r)}. {n}" for r, n in zip(data["peringkat"], data["nama_pendek"])]
    months = data["bulan_cakupan"] if "bulan_cakupan" in data else [None] * len(data)
    # qualified ('lebih dari 18.000') and part-year ('34.227 (3 bln)') figures say so on the bar itself
    text = [
        fmt.partial(fmt.qualified(fmt.value(v, indicator.satuan, indicator.desimal, lang), q, lang), m, lang)
        for v, q, m in zip(data["nilai"], data["kualifikasi"], months)
    ]
    colors = [COLOR_HIGHLIGHT if k in highlight else COLOR_BAR for k in data["kode"]]
    fig = go.Figure(
        go.Bar(
            x=data["nilai"],
            y=labels,
            orientation="h",
            marker_color=colors,
            text=text,
            textposition="outside",
            cliponaxis=False,
            customdata=data["kode"],
            hovertemplate="%{y}<br>%{text}<extra></extra>",
        )
    )
    height = screen_height(max(180, 26 * len(data)))
    fig.update_layout(**base_layout(title, subtitle, source, lang, height))
    # room for the longest value label outside its bar, so it is never clipped on a narrow screen
    fig.update_layout(margin_r=16 + 8 * max((len(label) for label in text), default=0))
    # no axis title: the unit is in the chart title or on every value label
    fig.update_xaxes(
        showgrid=True,
        gridcolor="#E6EAED",
        zeroline=True,
        zerolinecolor="#9AA5AD",
        nticks=6,
        tickformat=",." + str(min(indicator.desimal, 2)) + "~f",
    )
    fig.update_yaxes(automargin=True, tickfont=dict(size=12))
    if indicator.nilai_acuan is not None:
        fig.add_vline(
            x=indicator.nilai_acuan,
            line_dash="dash",
            line_color=COLOR_REFERENCE,
            annotation_text=fmt.t("reference_line", lang),
            annotation_position="top",
            annotation_font_color=COLOR_REFERENCE,
        )
    if synthetic:
        watermark(fig, fmt.t("watermark", lang))
    return fig
