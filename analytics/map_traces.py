"""Map traces (pure): the plotly traces of a map figure as plain dicts (see maps.map_figure): the
filled regions, the invisible hover/click points, the highlight outlines, the tile texts, the
region names and numbered kota discs, the inset frames and the trace that carries the colour bar
and what an export needs to lay the map out again.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from analytics import charts, fmt
from analytics.map_colours import BORDER, NO_DATA_FILL, NO_DATA_HATCH, TILE_EDGE, ColorScale, label_color
from analytics.map_labels import (
    KOTA_DISC,
    QUALIFIER_MARKS,
    TEXT_DARK,
    Label,
    _value_short,
    abbreviation,
    kota_numbers,
    text_em,
)
from analytics.map_shapes import Shapes
from analytics.metrics import Indicator


def tile_label(row: pd.Series, indicator: Indicator, lang: str = "id") -> str:
    """Two short lines for a tile: the name (Kab./Kota on its own line) and the value."""
    name = str(row["nama_pendek"])
    for prefix in ("Kab. ", "Kota "):
        if name.startswith(prefix):
            name = prefix.strip() + "<br>" + name[len(prefix) :]
            break
    else:
        name = "<br>" + name  # same number of lines as the twins, so values line up
    if pd.isna(row["nilai"]):
        return f"{name}<br>–"
    mark = QUALIFIER_MARKS.get(row.get("kualifikasi") or "", "")
    return f"{name}<br><b>{mark}{fmt.value(row['nilai'], indicator.satuan, indicator.desimal, lang)}</b>"


def area_trace(kode: str, shapes: Shapes, fill: str | None, lang: str, legend: bool) -> dict:
    x, y = shapes.outlines[kode]
    tiles = shapes.kind == "petak"
    trace = dict(
        type="scatter",
        x=x,
        y=y,
        mode="lines",
        fill="toself",
        hoverinfo="skip",
        showlegend=False,
        name=kode,
        meta=kode,
        fillcolor=fill,
        line=dict(color=TILE_EDGE if tiles else BORDER, width=0.6),
    )
    if fill is None:
        trace.update(
            fillcolor=NO_DATA_FILL,
            legendgroup="no_data",
            showlegend=legend,
            name=fmt.t("no_data", lang),
            fillpattern=dict(shape="/", fgcolor=NO_DATA_HATCH, bgcolor=NO_DATA_FILL, size=7, solidity=0.2),
        )
    return trace


def hit_trace(kode: str, shapes: Shapes, hover: str, color: str) -> dict:
    x, y = shapes.hits[kode]
    return dict(
        type="scatter",
        x=x,
        y=y,
        mode="markers",
        customdata=np.full(len(x), int(kode), dtype="int16"),
        hovertext=hover,
        hoverinfo="text",
        showlegend=False,
        name=kode,
        marker=dict(size=8, color=color, opacity=0),
        selected=dict(marker=dict(opacity=0)),
        unselected=dict(marker=dict(opacity=0)),
        hoverlabel=dict(bgcolor="white", bordercolor=color, font=dict(color=TEXT_DARK, size=13)),
    )


HIGHLIGHT_NAME = "sorot"


def highlight_traces(codes: tuple[str, ...], shapes: Shapes) -> list[dict]:
    """A thick outline around each chosen region: orange on a dark halo, visible on every fill."""
    traces = []
    for kode in codes:
        x, y = shapes.outlines[kode]
        for color, width in ((TEXT_DARK, 4.5), (charts.COLOR_HIGHLIGHT, 2.5)):
            traces.append(
                dict(
                    type="scatter",
                    x=x,
                    y=y,
                    mode="lines",
                    hoverinfo="skip",
                    showlegend=False,
                    name=f"{HIGHLIGHT_NAME}:{kode}",
                    line=dict(color=color, width=width),
                )
            )
    return traces


def tile_label_trace(
    rows: pd.DataFrame, shapes: Shapes, fills: dict, indicator: Indicator, lang: str, compact: bool
) -> dict:
    codes = list(shapes.order)
    colors = [label_color(fills[k]) for k in codes]
    if compact:
        values = {k: _value_short(rows.loc[k], indicator, lang) for k in codes}
        # values only when every one fits a 31 px tile; else the abbreviations alone (value on tap/search)
        fits = max(text_em(v or "") for v in values.values()) * TILE_VALUE_PX <= 29
        text = [tile_label_compact(k, values[k] if fits else None) for k in codes]
    else:
        text = [tile_label(rows.loc[k], indicator, lang) for k in codes]
    return dict(
        type="scatter",
        x=[shapes.anchors[k][0] for k in codes],
        y=[shapes.anchors[k][1] for k in codes],
        mode="text",
        text=text,
        textfont=dict(size=TILE_LABEL_PX[compact], color=colors),
        hoverinfo="skip",
        showlegend=False,
        name="label",
    )


TILE_LABEL_PX = {False: 12, True: 10}
TILE_VALUE_PX = 8.5


def tile_label_compact(kode: str, value: str | None) -> str:
    """A phone tile (31 px): a small 'kota' mark for the nine kota, the bold abbreviation, the value."""
    kota = kode in kota_numbers()
    small = f"<span style='font-size:{TILE_VALUE_PX}px'>"
    head = f"{small}kota</span>" if kota else ""
    tail = f"{small}{html.escape(value)}</span>" if value else ""
    return f"{head}<br><b>{html.escape(abbreviation(kode))}</b><br>{tail}"


def label_traces(labels: list[Label], fills: dict, hover: dict, px: float, highlight: tuple[str, ...]) -> list[dict]:
    """Names inside their regions, outside names with leader lines, and the numbered discs (which
    take the kota's own colour, so a speck's value can be read)."""
    traces = []
    inside = [label for label in labels if label.number is None and label.leader is None]
    outside = [label for label in labels if label.leader is not None]
    numbered = [label for label in labels if label.number is not None]
    if outside:
        xs, ys = [], []
        for label in outside:
            xs += [label.x, label.leader[0], None]
            ys += [label.y, label.leader[1], None]
        traces.append(
            dict(
                type="scatter",
                x=xs,
                y=ys,
                mode="lines",
                line=dict(color=TEXT_DARK, width=0.9),
                hoverinfo="skip",
                showlegend=False,
                name="leader",
            )
        )
        traces.append(
            dict(
                type="scatter",
                x=[label.x for label in outside],
                y=[label.y for label in outside],
                mode="text",
                text=[label.text for label in outside],
                textposition=[label.position for label in outside],
                textfont=dict(size=px, color=TEXT_DARK),
                hoverinfo="skip",
                showlegend=False,
                name="label_outside",
                customdata=[label.kode for label in outside],
            )
        )
    if inside:
        traces.append(
            dict(
                type="scatter",
                x=[label.x for label in inside],
                y=[label.y for label in inside],
                mode="text",
                text=[label.text for label in inside],
                textfont=dict(
                    size=[round(px * label.size, 1) for label in inside],
                    color=[label_color(fills[label.kode]) for label in inside],
                ),
                hoverinfo="skip",
                showlegend=False,
                name="label",
                customdata=[label.kode for label in inside],
            )
        )
    if numbered:
        chosen = [label.kode in highlight for label in numbered]
        traces.append(
            dict(
                type="scatter",
                x=[label.x for label in numbered],
                y=[label.y for label in numbered],
                mode="markers+text",
                text=[f"<b>{label.number}</b>" for label in numbered],
                textfont=dict(size=round(px * 0.85, 1), color=[label_color(fills[label.kode]) for label in numbered]),
                marker=dict(
                    size=round(px * KOTA_DISC, 1),
                    color=[fills[label.kode] or NO_DATA_FILL for label in numbered],
                    line=dict(
                        color=[charts.COLOR_HIGHLIGHT if c else TEXT_DARK for c in chosen],
                        width=[3 if c else 1 for c in chosen],
                    ),
                    opacity=1,
                ),
                customdata=[int(label.kode) for label in numbered],
                hovertext=[hover[label.kode] for label in numbered],
                hoverinfo="text",
                showlegend=False,
                name="kota",
                selected=dict(marker=dict(opacity=1)),
                unselected=dict(marker=dict(opacity=1)),
                hoverlabel=dict(bgcolor="white", font=dict(color=TEXT_DARK, size=13)),
            )
        )
    return traces


def frame_traces(shapes: Shapes) -> list[dict]:
    """A dashed box and a label around each inset, so nobody mistakes its position for the real one."""
    traces = []
    for (x0, y0, x1, y1), label in shapes.frames:
        traces.append(
            dict(
                type="scatter",
                x=[x0, x1, x1, x0, x0],
                y=[y0, y0, y1, y1, y0],
                mode="lines",
                line=dict(color=charts.COLOR_MUTED, width=0.8, dash="dot"),
                hoverinfo="skip",
                showlegend=False,
                name="inset",
            )
        )
        traces.append(
            dict(
                type="scatter",
                x=[x0],
                y=[(y0 + y1) / 2],
                mode="text",
                text=[label],
                textposition="middle left",
                textfont=dict(size=11, color=charts.COLOR_MUTED),
                hoverinfo="skip",
                showlegend=False,
                name="inset",
            )
        )
    return traces


def colorbar_trace(scale: ColorScale, info: dict) -> dict:
    """Carries the colour bar (two unplotted points spanning the scale) and, in `meta`, what an
    export needs to lay the map out again (kind, label sizes, aspect)."""
    return dict(
        type="scatter",
        x=[None, None],
        y=[None, None],
        mode="markers",
        hoverinfo="skip",
        showlegend=False,
        marker=dict(color=[scale.cmin, scale.cmax], coloraxis="coloraxis"),
        name="colorbar",
        meta=info,
    )
