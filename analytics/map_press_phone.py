"""Exports read on a phone (export.press_type): the map laid out again at the phone text sizes (pure).

At the phone minimum a label is about 3 % of the map's width: few full names fit, so the map is
labelled again at that size (map_labels.press_labels), the kota key and the colour bar go beside
the map (wide format) or under it (square and tall formats), and what is left of a tall format
shows the kota's surroundings enlarged (map_press.add_inset). map_press.press_layout calls
phone_layout for a phone press type.
"""

from __future__ import annotations

import html

import plotly.graph_objects as go

from analytics import fmt
from analytics.map_colours import NO_DATA_FILL
from analytics.map_labels import (
    KEY_NAMES,
    KEY_VALUES,
    LINE_EM,
    TEXT_DARK,
    abbreviation,
    kota_numbers,
    press_labels,
    text_em,
)
from analytics.map_press import add_inset
from analytics.map_shapes import TILE_SIZE
from analytics.map_traces import label_traces

KEY_GAP_PX = 24  # between the map and a column beside it
PHONE_TILE_STRETCH = (0.6, 1.75)  # a story-format grid may stretch its tiles further than map_press.TILE_STRETCH


def phone_layout(
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
    new = [go.Scatter(trace) for trace in label_traces(labels, fills, hover, px, tuple(info.get("highlight") or ()))]
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
    if inset_h > 0.2 * map_h and add_inset(fig, map_w, map_h, inset_h, between=band + key_h, px=label, head_px=legend):
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
