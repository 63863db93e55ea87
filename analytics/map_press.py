"""Exports: the map laid out for each format (pure).

export.press_figure hands map figures to press_layout, which sizes the map, labels and key for each
format: it reads what map_figure recorded (map_info). For print (medium="print") it sets labels,
numbers and the key in proportion to the drawn map, at the size their placement was decided for.
For an image read on a phone (export.press_type) every text has a minimum size that is about 3 % of
the map's width, so map_press_phone labels the map again at that size (map_labels.press_labels) and
puts the colour bar and the kota key beside the map (16:9) or under it (square and tall formats).
"""

from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go

from analytics import charts, fmt
from analytics import regions as region_ref
from analytics.map_labels import (
    INK_EM,
    KEY_GAP_EM,
    KEY_NAMES,
    KEY_VALUES,
    LABEL_PX,
    LINE_EM,
    TEXT_DARK,
    kota_numbers,
    text_em,
)
from analytics.map_shapes import TILE_SIZE, by_source
from analytics.map_traces import HIGHLIGHT_NAME

PRESS_LABEL_PX = (13, 18)  # label size range in exports (px)
PRESS_TEXT_PX = 15  # colour bar ticks, legend
COLORBAR_SIDE_PX = 150  # a vertical colour bar beside the map, with its ticks and title
COLORBAR_BAND_PX = 104  # a horizontal colour bar under the map: unit, bar, ticks (two lines for the reference)
TILE_STRETCH = (0.67, 1.5)  # how far an export may stretch tiles to fill its format (height / width)


def map_info(fig: go.Figure) -> dict | None:
    """What map_figure recorded for a later layout (kind, compact, label sizes, aspect), or None
    when `fig` is not a map."""
    for trace in fig.data:
        if trace.name == "colorbar" and isinstance(trace.meta, dict) and "map" in trace.meta:
            return trace.meta
    return None


def press_layout(
    fig: go.Figure, *, width: int, height: int, top: float, captions: float, pad: float, type_=None
) -> None:
    """Lay a map out for an export (in place; export.press_figure calls it on its copy, after the
    title and caption block are placed). A wide format puts the colour bar beside the map, which is
    then as high as the image allows; square and tall formats let the map fill the width and put the
    colour bar under it. Labels, numbers and the key are set in proportion to the drawn map, at the
    size their placement was decided for. Does nothing for a figure that is not a map.

    `type_`: the press type (export.press_type); a phone layout lays the map out again at its sizes."""
    info = map_info(fig)
    if info is None:
        return
    # the invisible hover/click points (thousands of markers) mean nothing on paper and slow the render
    fig.data = [t for t in fig.data if not (t.mode == "markers" and t.marker.opacity == 0)]
    shapes = by_source(info.get("shapes"))
    if type_ is not None and type_.phone and shapes is not None and "texts" in info:
        from analytics.map_press_phone import phone_layout  # here, not on top: it imports add_inset from us

        phone_layout(fig, info, shapes, width=width, height=height, top=top, captions=captions, pad=pad, t=type_)
        return
    avail_w, avail_h = width - 2 * pad, height - top - captions - 12
    if info["map"] == "petak":
        box = _press_tiles(fig, info, avail_w, avail_h)
    else:
        box = _press_regions(fig, info, avail_w, avail_h)
    map_w, map_h, extra_right, extra_below = box
    # the map and what goes with it, centred in the room between the title and the caption block
    spare_h = max(0.0, avail_h - map_h - extra_below)
    margin_t = top + spare_h / 2
    margin_l = pad + max(0.0, (avail_w - map_w - extra_right) / 2)
    margin_b = height - margin_t - map_h
    fig.update_layout(
        margin=dict(l=margin_l, r=width - margin_l - map_w, t=margin_t, b=margin_b, autoexpand=False),
        legend_font_size=PRESS_TEXT_PX,
    )
    fig.update_annotations(selector=dict(name="caption"), x=(pad - margin_l) / map_w, yshift=-(margin_b - captions))
    fig.update_coloraxes(colorbar=dict(tickfont_size=PRESS_TEXT_PX, title_font_size=PRESS_TEXT_PX))


def _scale_label_traces(fig: go.Figure, factor: float) -> None:
    for trace in fig.data:
        if trace.name in ("label", "label_outside", "kota", "inset") and trace.mode and "text" in trace.mode:
            size = trace.textfont.size
            trace.textfont.size = (
                [round(s * factor, 1) for s in size]
                if isinstance(size, (list, tuple))
                else round((size or LABEL_PX[False]) * factor, 1)
            )
        if trace.name == "kota":
            trace.marker.size = round(trace.marker.size * factor, 1)
        if trace.name and trace.name.startswith(HIGHLIGHT_NAME):
            trace.line.width = round(trace.line.width * factor**0.5, 1)


INSET_MIN_ZOOM = 1.6  # an enlargement of the kota's surroundings is worth its room from this zoom on
INSET_HEAD_PX = 34  # the enlargement's heading and the gap above it


def _press_regions(fig: go.Figure, info: dict, avail_w: float, avail_h: float) -> tuple[float, float, float, float]:
    aspect = info["aspect"]
    below = min(avail_w, (avail_h - COLORBAR_BAND_PX) * aspect)
    beside = min(avail_w - COLORBAR_SIDE_PX, avail_h * aspect)
    wide = beside > below
    map_w = beside if wide else below
    map_h = map_w / aspect
    label_px = min(max(info["em_share"] * map_w, PRESS_LABEL_PX[0]), PRESS_LABEL_PX[1])
    _scale_label_traces(fig, label_px / info["label_px"])
    fig.update_traces(selector=dict(name="inset", mode="text"), textfont_size=max(PRESS_TEXT_PX - 1, label_px * 0.9))
    _resize_key(fig, label_px)
    if wide:
        fig.update_coloraxes(
            colorbar=dict(
                orientation="v",
                x=1 + 16 / map_w,
                xanchor="left",
                y=0.55,
                yanchor="middle",
                len=0.6,
                lenmode="fraction",
                thickness=16,
                title_side="top",
            )
        )
        fig.update_layout(legend=dict(x=1 + 16 / map_w, y=0.0, xanchor="left", yanchor="bottom", orientation="v"))
        return map_w, map_h, COLORBAR_SIDE_PX, 0.0
    # tall: the room left under the map and its colour bar shows the kota's surroundings enlarged
    inset_h = avail_h - map_h - COLORBAR_BAND_PX - INSET_HEAD_PX
    plot_h = map_h
    if inset_h > 0 and add_inset(fig, map_w, map_h, inset_h):
        plot_h = avail_h
    fig.layout.yaxis.domain = [1 - map_h / plot_h, 1]
    top_of_band = 1 - map_h / plot_h
    fig.update_coloraxes(
        colorbar=dict(
            orientation="h",
            x=0.0,
            xanchor="left",
            y=top_of_band - 10 / plot_h,
            yanchor="top",
            len=0.5,
            lenmode="fraction",
            thickness=16,
            title_side="top",
        )
    )
    fig.update_layout(
        legend=dict(
            x=0.66,
            y=top_of_band - (10 + PRESS_TEXT_PX * LINE_EM) / plot_h,
            xanchor="left",
            yanchor="top",
            orientation="h",
        )
    )
    return map_w, plot_h, 0.0, 0.0 if plot_h > map_h else COLORBAR_BAND_PX


def _kota_box(fig: go.Figure) -> tuple[float, float, float, float]:
    """Lon/lat bounds around the nine kota's outlines, with a little room."""
    numbers = kota_numbers()
    parts = [t for t in fig.data if t.fill == "toself" and t.meta in numbers]
    xs = np.concatenate([np.asarray(t.x, dtype=float) for t in parts])
    ys = np.concatenate([np.asarray(t.y, dtype=float) for t in parts])
    return np.nanmin(xs) - 0.08, np.nanmin(ys) - 0.06, np.nanmax(xs) + 0.08, np.nanmax(ys) + 0.06


def add_inset(
    fig: go.Figure,
    map_w: float,
    map_h: float,
    inset_h: float,
    between: float = COLORBAR_BAND_PX,
    px: float = PRESS_TEXT_PX,
    head_px: float = PRESS_TEXT_PX,
) -> bool:
    """An enlargement of the area around the nine kota, in the room under the map (tall exports):
    their shapes and colours become visible. False (nothing added) when it would enlarge too little.
    `between`: px between the map and the enlargement's heading (colour bar, key); `px`, `head_px`:
    the sizes of its labels and its heading."""
    if not any(t.name == "kota" for t in fig.data):
        return False
    x_range = fig.layout.xaxis.range
    y_scale = fig.layout.yaxis.scaleratio
    main_px = map_w / (x_range[1] - x_range[0])  # px per degree of longitude on the map
    x0, y0, x1, y1 = _kota_box(fig)
    zoom_px = min(map_w / (x1 - x0), inset_h / ((y1 - y0) * y_scale))
    if zoom_px < INSET_MIN_ZOOM * main_px:
        return False
    # widen the box to the room's shape, so the enlargement fills it
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_w, half_h = map_w / zoom_px / 2, inset_h / zoom_px / y_scale / 2
    box = (cx - half_w, cy - half_h, cx + half_w, cy + half_h)
    plot_h = map_h + between + max(INSET_HEAD_PX, head_px * LINE_EM + 12) + inset_h
    numbers = kota_numbers()
    copies = [t for t in fig.data if t.fill == "toself" or (t.name or "").startswith(HIGHLIGHT_NAME)]
    for trace in copies:
        copy_ = go.Scatter(trace).update(xaxis="x2", yaxis="y2", showlegend=False, hoverinfo="skip")
        if trace.meta in numbers:  # the kota are what the enlargement is for: a dark edge sets them off
            copy_.update(line=dict(color=TEXT_DARK, width=1.4))
        fig.add_trace(copy_)
    fig.update_layout(
        xaxis2=dict(visible=False, range=[box[0], box[2]], domain=[0, 1], anchor="y2", fixedrange=True),
        yaxis2=dict(
            visible=False,
            range=[box[1], box[3]],
            domain=[0, inset_h / plot_h],
            anchor="x2",
            scaleanchor="x2",
            scaleratio=y_scale,
            fixedrange=True,
        ),
    )
    _inset_kota_labels(fig, box, zoom_px, y_scale, map_w, inset_h, px)
    frame = dict(
        type="rect", line=dict(color=charts.COLOR_MUTED, width=1, dash="dot"), fillcolor="rgba(0,0,0,0)", layer="above"
    )
    fig.add_shape(xref="x2 domain", yref="y2 domain", x0=0, y0=0, x1=1, y1=1, **frame)
    fig.add_shape(xref="x", yref="y", x0=box[0], y0=box[1], x1=box[2], y1=box[3], **frame)
    info = map_info(fig)
    fig.add_annotation(
        text=f"<b>{html.escape(fmt.t('map_inset', info.get('lang', 'id')))}</b>",
        xref="x2 domain",
        yref="y2 domain",
        x=0,
        y=1,
        xanchor="left",
        yanchor="bottom",
        yshift=4,
        showarrow=False,
        font=dict(size=head_px, color=TEXT_DARK),
        name="inset_heading",
    )
    return True


def _inset_kota_labels(
    fig: go.Figure, box, zoom_px: float, y_scale: float, width: float, height: float, px: float = PRESS_TEXT_PX
) -> None:
    """'1 Kota Kediri' in a white box beside each kota of the enlargement, with a short line to it;
    each box takes the first of a few places around its kota where it covers no other box or kota
    and stays inside the frame."""
    kota = next(t for t in fig.data if t.name == "kota")
    codes = [str(k) for k in kota.customdata]
    numbers = dict(zip(codes, kota.text))
    poles = dict(zip(codes, zip(kota.x, kota.y)))
    outlines = {t.meta: t for t in fig.data if t.fill == "toself" and t.xaxis in (None, "x") and t.meta in numbers}
    region = region_ref.regions_frame().set_index("kode")["nama"]

    def to_px(x, y):
        return (x - box[0]) * zoom_px, (y - box[1]) * zoom_px * y_scale

    extents = {}
    for kode in codes:
        xs, ys = np.asarray(outlines[kode].x, dtype=float), np.asarray(outlines[kode].y, dtype=float)
        (x0, y0), (x1, y1) = to_px(np.nanmin(xs), np.nanmin(ys)), to_px(np.nanmax(xs), np.nanmax(ys))
        extents[kode] = (x0, y0, x1, y1)
    taken = list(extents.values())
    for kode in sorted(codes, key=lambda k: extents[k][3], reverse=True):  # top down
        x0, y0, x1, y1 = extents[kode]
        text = f"{numbers[kode]} {html.escape(region[kode])}"
        w, h = text_em(text) * px * 1.04 + 14, px * INK_EM + 8  # the box's padding and border too
        rect = None
        for dx, dy in ((1, 0), (-1, 0), (1, 1), (-1, 1), (1, -1), (-1, -1), (0, 1), (0, -1)):
            cx = (x1 + 14 + w / 2) if dx > 0 else (x0 - 14 - w / 2) if dx < 0 else (x0 + x1) / 2
            cy = (y1 + 10 + h / 2) if dy > 0 else (y0 - 10 - h / 2) if dy < 0 else (y0 + y1) / 2
            candidate = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            inside = candidate[0] > 4 and candidate[1] > 4 and candidate[2] < width - 4 and candidate[3] < height - 4
            if inside and all(_apart(candidate, other, 4) for other in taken):
                rect = candidate
                break
        if rect is None:  # no free place: the last one tried, kept inside the frame
            dx = max(4 - candidate[0], 0) - max(candidate[2] - (width - 4), 0)
            dy = max(4 - candidate[1], 0) - max(candidate[3] - (height - 4), 0)
            rect = (candidate[0] + dx, candidate[1] + dy, candidate[2] + dx, candidate[3] + dy)
        taken.append(rect)
        x, y = poles[kode]
        px_x, px_y = to_px(x, y)  # the line runs from the pole to the label box's centre
        fig.add_annotation(
            text=text,
            x=float(x),
            y=float(y),
            xref="x2",
            yref="y2",
            ax=(rect[0] + rect[2]) / 2 - px_x,
            ay=-((rect[1] + rect[3]) / 2 - px_y),
            axref="pixel",
            ayref="pixel",
            showarrow=True,
            arrowhead=0,
            arrowwidth=1.2,
            arrowcolor=TEXT_DARK,
            standoff=0,
            bgcolor="rgba(255,255,255,0.92)",
            bordercolor=TEXT_DARK,
            borderwidth=0.8,
            borderpad=3,
            font=dict(size=px, color=TEXT_DARK),
            name="inset_label",
        )


def _apart(a, b, gap: float) -> bool:
    return a[2] + gap < b[0] or b[2] + gap < a[0] or a[3] + gap < b[1] or b[3] + gap < a[1]


def _resize_key(fig: go.Figure, px: float) -> None:
    values = next((a for a in fig.layout.annotations if a.name == KEY_VALUES and a.xref == "x"), None)
    if values is None:
        return
    width = max(text_em(line) for line in values.text.split("<br>")) * px
    fig.update_annotations(selector=dict(name=KEY_VALUES), font_size=px)
    fig.update_annotations(selector=dict(name=KEY_NAMES), font_size=px, xshift=-(width + KEY_GAP_EM * px))


def _press_tiles(fig: go.Figure, info: dict, avail_w: float, avail_h: float) -> tuple[float, float, float, float]:
    """Tiles are abstract: an export stretches them (within TILE_STRETCH) so the grid fills its format,
    and sets the tile text as large as the longest name and three lines allow."""
    aspect = info["aspect"]  # of square tiles
    stretch = min(max(avail_h / avail_w * aspect, TILE_STRETCH[0]), TILE_STRETCH[1])
    map_w = min(avail_w, avail_h * aspect / stretch)
    map_h = map_w / aspect * stretch
    tile_w = map_w / (fig.layout.xaxis.range[1] - fig.layout.xaxis.range[0]) * TILE_SIZE
    tile_h = map_h / (fig.layout.yaxis.range[1] - fig.layout.yaxis.range[0]) * TILE_SIZE
    label = next(t for t in fig.data if t.name == "label")
    widest = max(text_em(line, bold=line.startswith("<b>")) for text in label.text for line in text.split("<br>"))
    label_px = min((tile_w - 8) / widest, tile_h * 0.85 / (INK_EM + 2 * LINE_EM), 20)
    fig.update_yaxes(scaleratio=stretch)
    fig.update_traces(selector=dict(name="label"), textfont_size=round(max(label_px, 12), 1))
    fig.update_coloraxes(colorbar=dict(len=0.36, thickness=16))
    return map_w, map_h, 0.0, 0.0
