"""Exports: the map laid out for each format (pure).

export.press_figure hands map figures to press_layout, which sizes the map, labels and key for each
format: it reads what map_figure recorded (map_info). For print (medium="print") it sets labels,
numbers and the key in proportion to the drawn map, at the size their placement was decided for.
For an image read on a phone (export.press_type) every text has a minimum size that is about 3 % of
the map's width, so the map is labelled again at that size (map_labels.press_labels), and the
colour bar and the kota key go beside the map (16:9) or under it (square and tall formats).
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
from analytics.maps import HIGHLIGHT_NAME

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
        _phone_layout(fig, info, shapes, width=width, height=height, top=top, captions=captions, pad=pad, t=type_)
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
    if inset_h > 0 and _add_inset(fig, map_w, map_h, inset_h):
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


def _add_inset(
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


# ---------------------------------------------------------------- read on a phone (export.press_type)
#
# At the phone minimum a label is about 3 % of the map's width: few full names fit, so the map is
# labelled again at that size (map_labels.press_labels), the kota key and the colour bar go beside
# the map (wide format) or under it (square and tall formats), and what is left of a tall format
# shows the kota's surroundings enlarged.

KEY_GAP_PX = 24  # between the map and a column beside it
PHONE_TILE_STRETCH = (0.6, 1.75)  # a story-format grid may stretch its tiles further than TILE_STRETCH


def _phone_layout(
    fig: go.Figure, info: dict, shapes, *, width: int, height: int, top: float, captions: float, pad: float, t
) -> None:
    avail_w, avail_h = width - 2 * pad, height - top - captions - 12
    wide = width / height > 1.2
    if info["map"] == "petak":
        map_w, plot_h, extra_right = _phone_tiles(fig, info, shapes, avail_w, avail_h, t, wide)
    else:
        map_w, plot_h, extra_right = _phone_regions(fig, info, shapes, avail_w, avail_h, t, wide)
    margin_t = top + max(0.0, avail_h - plot_h) / 2
    margin_l = pad + max(0.0, (avail_w - map_w - extra_right) / 2)
    margin_b = height - margin_t - plot_h
    fig.update_layout(
        margin=dict(l=margin_l, r=width - margin_l - map_w, t=margin_t, b=margin_b, autoexpand=False),
        legend_font_size=t.legend,
    )
    fig.update_annotations(selector=dict(name="caption"), x=(pad - margin_l) / map_w, yshift=-(margin_b - captions))


def _bar_band(fig: go.Figure, t) -> float:
    """Height of a horizontal colour bar: its unit above, the bar, its ticks (two lines for a reference)."""
    ticks = fig.layout.coloraxis.colorbar.ticktext or ()
    lines = 2 if any("<br>" in str(text) for text in ticks) else 1
    return 8 + t.legend * LINE_EM + 0.7 * t.legend + lines * t.legend * LINE_EM + 10


def _colour_bar(fig: go.Figure, t, length_px: float, **place) -> None:
    """A horizontal colour bar `length_px` long; every other tick (or fewer) where their labels
    would run into each other at the legend size."""
    bar = fig.layout.coloraxis.colorbar
    values, texts = list(bar.tickvals or ()), list(bar.ticktext or ())
    axis = fig.layout.coloraxis
    if values and len(values) == len(texts) and axis.cmin is not None and axis.cmax is not None:
        shown = [(v, x) for v, x in zip(values, texts) if axis.cmin - 1e-9 <= v <= axis.cmax + 1e-9]
        values, texts = [v for v, _ in shown], [x for _, x in shown]
    if values and len(values) == len(texts):
        widest = max(max(text_em(part) for part in str(text).split("<br>")) for text in texts) + 0.8
        step = max(1, -(-round(len(texts) * widest * t.legend) // max(1, round(length_px))))
        if step > 1:
            keep = list(range(len(values) - 1, -1, -step))[::-1]  # the top of the scale stays
            bar.tickvals, bar.ticktext = [values[i] for i in keep], [texts[i] for i in keep]
    fig.update_coloraxes(
        colorbar=dict(
            orientation="h",
            xanchor="left",
            yanchor="top",
            thickness=round(0.7 * t.legend),
            title_side="top",
            tickfont_size=t.legend,
            title_font_size=t.legend,
            **place,
        )
    )


def _has_missing(fig: go.Figure) -> bool:
    return fig.layout.showlegend is not False and any(trace.showlegend for trace in fig.data)


def _key_texts(info: dict) -> list[str]:
    """'<b>1</b> Kediri · 12.149' for the nine kota, in number order (the heading says they are kota)."""
    texts = info["texts"]
    out = []
    for kode, number in sorted(kota_numbers().items(), key=lambda item: item[1]):
        name, value = texts.get(kode, (kode, None))
        out.append(f"<b>{number}</b> {html.escape(str(name).removeprefix('Kota '))} · {html.escape(value or '–')}")
    return out


def _key_heading(info: dict) -> str:
    return f"<b>{html.escape(fmt.t('map_key_heading', info.get('lang', 'id')))}</b>"


def _flowed(entries: list[str], width: float, px: float) -> list[str]:
    """Entries joined by wide spaces into lines no wider than `width`."""
    lines, line = [], ""
    for entry in entries:
        candidate = f"{line}   {entry}" if line else entry
        if line and text_em(candidate) * px > width * 0.97:
            lines.append(line)
            line = entry
        else:
            line = candidate
    return [*lines, line] if line else lines


def _key_columns(entries: list[str], width: float, px: float) -> int:
    """How many columns of the key fit `width` (0: not even one)."""
    widest = max(text_em(e) for e in entries) * px + px
    return min(len(entries), int(width // widest)) if widest else 0


def _relabel(fig: go.Figure, info: dict, shapes, map_w: float, t) -> None:
    """The map's labels placed again at the phone size: names, abbreviations, kota numbers."""
    from analytics.map_labels import press_labels
    from analytics.maps import NO_DATA_FILL, _label_traces

    px = t.map_label
    em_share = px / map_w
    labels = press_labels(shapes, info["texts"], em_share, tuple(info.get("highlight") or ()))
    fills = {
        trace.meta: (None if trace.fillcolor == NO_DATA_FILL else trace.fillcolor)
        for trace in fig.data
        if trace.fill == "toself" and trace.meta in info["texts"]
    }
    hover = {kode: "" for kode in info["texts"]}
    old = ("label", "label_outside", "leader", "kota")
    kept = [trace for trace in fig.data if trace.name not in old]
    colour_bar = [trace for trace in kept if trace.name == "colorbar"]
    kept = [trace for trace in kept if trace.name != "colorbar"]
    new = [go.Scatter(trace) for trace in _label_traces(labels, fills, hover, px, tuple(info.get("highlight") or ()))]
    for trace in new:
        if trace.name == "kota":  # the number at the label size, on a disc 1.45 label sizes wide
            trace.textfont.size = px
            trace.marker.size = round(px * 1.45, 1)
            trace.hoverinfo = "skip"
    fig.data = ()
    fig.add_traces([*kept, *new, *colour_bar])
    fig.layout.annotations = [a for a in fig.layout.annotations if a.name not in (KEY_NAMES, KEY_VALUES)]


def _phone_regions(fig: go.Figure, info: dict, shapes, avail_w: float, avail_h: float, t, wide: bool):
    aspect = info["aspect"]
    label, legend = t.map_label, t.legend
    entries = _key_texts(info)
    line = label * LINE_EM
    band = _bar_band(fig, t)
    missing = _has_missing(fig)
    if wide:  # the colour bar, the no-data legend and the key in a column right of the map
        legend_h = legend * LINE_EM + 10 if missing else 0.0
        room = avail_h - band - legend_h - line - 4  # under the colour bar, legend and key heading
        # the narrowest column whose key fits the height: one entry a line, else flowed, else names only
        names_only = [e.rsplit(" · ", 1)[0] for e in entries]
        lines, column = None, 0.0
        for keys in (entries, names_only):
            for share in (0.26, 0.3, 0.35, 0.4, 0.45):
                column = max(share * avail_w, max(text_em(e) for e in keys) * label + label)
                lines = keys if len(keys) * line <= room else _flowed(keys, column, label)
                if len(lines) * line <= room:
                    break
            if len(lines) * line <= room:
                break
        # the numbers stay explained: the heading line goes first when the key is one line too long
        heading = [_key_heading(info)] if len(lines) * line <= room else []
        map_w = min(avail_w - column - KEY_GAP_PX, avail_h * aspect)
        column = max(column, min(0.45 * avail_w, avail_w - map_w - KEY_GAP_PX))
        map_h = map_w / aspect
        column_h = band + legend_h + (len(lines) + len(heading)) * line + 4
        plot_h = min(avail_h, max(map_h, column_h))
        _relabel(fig, info, shapes, map_w, t)
        fig.layout.yaxis.domain = [1 - map_h / plot_h, 1]
        x = 1 + KEY_GAP_PX / map_w
        bar = column - 2 * legend  # the end ticks' labels stand out half their width
        _colour_bar(fig, t, bar, x=x + legend / map_w, y=1, len=bar, lenmode="pixels")
        fig.update_layout(legend=dict(x=x, y=1 - band / plot_h, xanchor="left", yanchor="top", orientation="h"))
        fig.add_annotation(
            text="<br>".join([*heading, *lines]),
            x=x,
            y=1 - (band + legend_h) / plot_h,
            xref="paper",
            yref="paper",
            xanchor="left",
            yanchor="top",
            align="left",
            showarrow=False,
            font=dict(size=label, color=TEXT_DARK),
            name=KEY_NAMES,
        )
        return map_w, plot_h, KEY_GAP_PX + column
    # square and tall: the map as wide as the image; under it the colour bar (the no-data legend
    # beside it), the key in columns, then the kota's surroundings enlarged where there is room
    map_w = avail_w
    for _ in range(3):  # a narrower map has narrower key columns: more lines
        columns = _key_columns(entries, map_w, label)
        key_lines = -(-len(entries) // columns) if columns else len(_flowed(entries, map_w, label))
        key_h = (key_lines + 1) * line + 8
        if map_w / aspect + band + key_h <= avail_h + 0.5:
            break
        map_w = max(0.5 * avail_w, (avail_h - band - key_h) * aspect)
    map_h = map_w / aspect
    _relabel(fig, info, shapes, map_w, t)
    plot_h = map_h + band + key_h
    head = legend * LINE_EM + 12
    inset_h = avail_h - plot_h - head
    if inset_h > 0.2 * map_h and _add_inset(fig, map_w, map_h, inset_h, between=band + key_h, px=label, head_px=legend):
        plot_h = avail_h
    fig.layout.yaxis.domain = [1 - map_h / plot_h, 1]
    under = 1 - map_h / plot_h
    _colour_bar(fig, t, 0.6 * map_w, x=0.0, y=under - 8 / plot_h, len=0.6, lenmode="fraction")
    key_top = under - band / plot_h
    # the no-data legend at the right end of the key's heading line
    fig.update_layout(legend=dict(x=1, y=key_top, xanchor="right", yanchor="top", orientation="h"))
    common = dict(
        xref="paper",
        yref="paper",
        xanchor="left",
        yanchor="top",
        align="left",
        showarrow=False,
        font=dict(size=label, color=TEXT_DARK),
    )
    fig.add_annotation(text=_key_heading(info), x=0, y=key_top, name=KEY_NAMES, **common)
    body_top = key_top - line / plot_h
    if columns:
        per = -(-len(entries) // columns)
        for column in range(columns):
            part = entries[column * per : (column + 1) * per]
            if part:
                fig.add_annotation(text="<br>".join(part), x=column / columns, y=body_top, name=KEY_VALUES, **common)
    else:
        fig.add_annotation(text="<br>".join(_flowed(entries, map_w, label)), x=0, y=body_top, name=KEY_VALUES, **common)
    return map_w, plot_h, 0.0


def _phone_tiles(fig: go.Figure, info: dict, shapes, avail_w: float, avail_h: float, t, wide: bool):
    """Tiles stretched (within TILE_STRETCH) to fill the room beside or above the colour bar, each
    with the fullest text that fits every tile at the phone size: the name and value, the
    abbreviation and value, or the abbreviation alone; kota tiles then get a dark edge, which the
    legend explains."""
    from analytics.map_labels import abbreviation

    aspect = info["aspect"]  # of square tiles
    label, legend = t.map_label, t.legend
    band = _bar_band(fig, t)
    x_units = fig.layout.xaxis.range[1] - fig.layout.xaxis.range[0]
    y_units = fig.layout.yaxis.range[1] - fig.layout.yaxis.range[0]
    if wide:
        column = 0.3 * avail_w
        room_w, room_h = avail_w - column - KEY_GAP_PX, avail_h
    else:
        column = 0.0
        room_w, room_h = avail_w, avail_h - band - (legend * LINE_EM + 8)
    stretch = min(max(room_h / room_w * aspect, PHONE_TILE_STRETCH[0]), PHONE_TILE_STRETCH[1])
    map_w = min(room_w, room_h * aspect / stretch)
    map_h = map_w / aspect * stretch
    tile_w, tile_h = map_w / x_units * TILE_SIZE, map_h / y_units * TILE_SIZE
    codes = list(shapes.order)
    texts = info["texts"]
    kota = set(kota_numbers())

    def full(kode):
        name, value = texts[kode]
        for prefix in ("Kab. ", "Kota "):
            if name.startswith(prefix):
                return f"{prefix.strip()}<br>{html.escape(name[len(prefix) :])}<br><b>{html.escape(value or '–')}</b>"
        return f"<br>{html.escape(name)}<br><b>{html.escape(value or '–')}</b>"

    def short(kode, with_value):
        value = texts[kode][1]
        text = f"<b>{html.escape(abbreviation(kode))}</b>"
        return f"{text}<br>{html.escape(value or '–')}" if with_value else text

    def fits(text: str) -> bool:
        lines = text.split("<br>")
        width = max(text_em(part, bold=part.startswith("<b>")) for part in lines) * label
        return width <= tile_w - 6 and len(lines) * label * LINE_EM <= tile_h - 2

    chosen, marked = None, False
    for form, mark in ((full, False), (lambda k: short(k, True), True), (lambda k: short(k, False), True)):
        candidate = [form(k) for k in codes]
        if all(fits(text) for text in candidate):
            chosen, marked = candidate, mark
            break
    if chosen is None:
        chosen, marked = [short(k, False) for k in codes], True
    fig.update_yaxes(scaleratio=stretch)
    fig.update_traces(selector=dict(name="label"), text=chosen, textfont_size=label)
    if marked:  # the nine kota share their abbreviation with a kabupaten: a dark edge tells them apart
        edge = max(2.0, 0.12 * label)
        for trace in fig.data:
            if trace.fill == "toself" and trace.meta in kota:
                trace.line.update(color=TEXT_DARK, width=edge)
        name = fmt.t("map_tile_kota", info.get("lang", "id"))
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=name,
                marker=dict(symbol="square-open", size=legend, color=TEXT_DARK, line=dict(width=edge, color=TEXT_DARK)),
                showlegend=True,
                hoverinfo="skip",
            )
        )
        fig.update_layout(showlegend=True)
    if wide:
        plot_h = max(map_h, band + 2 * (legend * LINE_EM + 8))
        fig.layout.yaxis.domain = [1 - map_h / plot_h, 1]
        x = 1 + KEY_GAP_PX / map_w
        bar = column - 2 * legend  # the end ticks' labels stand out half their width
        _colour_bar(fig, t, bar, x=x + legend / map_w, y=1, len=bar, lenmode="pixels")
        fig.update_layout(legend=dict(x=x, y=1 - band / plot_h, xanchor="left", yanchor="top", orientation="v"))
        return map_w, plot_h, KEY_GAP_PX + column
    plot_h = map_h + band + legend * LINE_EM + 8
    fig.layout.yaxis.domain = [1 - map_h / plot_h, 1]
    under = 1 - map_h / plot_h
    _colour_bar(fig, t, 0.5 * map_w, x=0.0, y=under - 8 / plot_h, len=0.5, lenmode="fraction")
    fig.update_layout(
        legend=dict(x=0.55, y=under - (8 + legend * LINE_EM) / plot_h, xanchor="left", yanchor="top", orientation="h")
    )
    return map_w, plot_h, 0.0
