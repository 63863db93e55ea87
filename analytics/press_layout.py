"""Press images laid out (pure, no browser): export.press_figure turns a page's figure into an image
of a press size, with its title, caption block and watermark drawn in, every text legible on a phone
(medium="phone") or at print size (medium="print"). kaleido renders the result (image_server)."""

from __future__ import annotations

import html
import re

import numpy as np
import plotly.graph_objects as go

from analytics import charts, fmt
from analytics.export_meta import EXPORT_TEMPLATE, ExportMeta, _size
from analytics.press_panels import (
    above_plot,
    apply_grid,
    apply_panels,
    bar_categories,
    category_count,
    drop_grid_panels,
    drop_panel,
    grid_panels,
    grid_plan,
    is_caption,
    is_category,
    keep_top,
    label_width,
    low_panel,
    merge_stack,
    panel_name,
    panel_plan,
    trace_values,
    value_axis_width,
    value_label_width,
)
from analytics.press_type import (
    LINE,
    PHONE_WIDTH,
    ROW_EM,
    TYPE,
    PressType,
    em_width,
    footer_lines,
    head_lines,
    plain_text,
    press_type,
    text_lines,
)


def press_figure(
    fig: go.Figure,
    meta: ExportMeta,
    size: str,
    legend_font: float | None = None,
    *,
    caption_file: str | None = None,
    medium: str = "phone",
) -> go.Figure:
    """A copy of `fig` laid out for print at `size`: title, subtitle, watermark and the caption block
    (source, notes, dataset, export date) drawn inside the image, nothing clipped.

    medium="phone" (press images): every text at least its phone size (press_type); horizontal bars
    beyond what fits at that size are left out from the bottom of the chart, and the caption block
    says so; notes beyond the block's lines are counted and pointed to: `caption_file` names the
    caption file shipped beside the image (the press kit's keterangan.txt), else the data files.
    medium="print" (the A4 Lembar Penilaian): the print sizes, every bar and note drawn.
    `legend_font`: the legend's size where the figure places it itself (default: the tick size)."""
    from analytics import map_press, series_charts

    width, height = _size(size)
    t = press_type(size, medium)
    out = go.Figure(fig)
    out.layout.annotations = [a for a in out.layout.annotations if not is_caption(a)]
    title_html, subtitle, head_end = head_lines(meta, width, t)
    top = head_end + 0.9 * t.tick + 8 + above_plot(out, t.tick)
    where = fig.layout.meta.get("press_legend") if isinstance(fig.layout.meta, dict) else None
    legend_px = max(legend_font or 0, t.legend) if t.phone else (legend_font or t.tick)
    footer = footer_lines(meta, width, t, caption_file)
    captions = t.pad + len(footer) * t.footer * LINE
    if t.phone:
        tick = t.tick
        footer, captions, left, right, bottom, x_room, top, plan, panels = _phone_room(
            out, meta, t, width, height, top, where, legend_px, caption_file
        )
    else:
        tick = _tick_size(fig, height - top - captions - _x_labels(TYPE.tick))
        x_room = _x_labels(tick)
        bottom = captions + x_room
        left = t.pad + label_width(out, tick)
        right = t.pad + max(value_label_width(out, tick), 8)
        plan = _legend_plan(out, where, legend_px, width - left - right, height - top - bottom, t)
        panels = None
        top += plan["top"]
        right += plan["right"]
    out.update_layout(
        template=EXPORT_TEMPLATE,
        width=width,
        height=height,
        autosize=False,
        separators=fig.layout.separators or charts.SEPARATORS.get(meta.lang, ",."),
        font=dict(family=charts.FONT, size=tick),
        title=dict(
            text=title_html,
            x=t.pad / width,
            xanchor="left",
            xref="container",
            y=1 - _title_y(height, t, title_html.count("<br>") + 1),
            yref="container",
            yanchor="top",
            pad=dict(t=0, b=0, l=0),
            font=dict(size=t.title),
            subtitle=dict(text=subtitle, font=dict(size=t.subtitle, color=charts.COLOR_MUTED)),
        ),
        margin=dict(l=left, r=right, t=top, b=bottom, autoexpand=not t.phone),  # phone: all room measured
        paper_bgcolor="white",
        plot_bgcolor="white",
    )
    out.update_xaxes(tickfont_size=tick)
    out.update_yaxes(tickfont_size=tick, ticklabelstandoff=6)
    out.update_traces(textfont_size=t.value if t.phone else tick, selector=dict(type="bar"))
    if t.phone:  # plotly would shrink a bar's number to the bar's thickness, below the phone size
        out.update_traces(constraintext="none", selector=dict(type="bar"))
    out.update_layout(bargap=_bar_gap(out, height - top - bottom, tick))
    plot_width = width - left - right
    out.add_annotation(
        text="<br>".join(footer),
        x=(t.pad - left) / plot_width,
        xref="paper",
        xanchor="left",
        y=0,
        yref="paper",
        yanchor="top",
        yshift=-x_room,
        showarrow=False,
        align="left",
        font=dict(size=t.footer, color=charts.COLOR_MUTED),
        name="caption",
    )
    map_press.press_layout(out, width=width, height=height, top=top, captions=captions, pad=t.pad, type_=t)
    if t.phone and panels and panels[0].get("kind") == "grid":
        apply_grid(out, panels[0], t, legend_px)
    elif t.phone and panels:
        apply_panels(out, panels, t, legend_px)
    elif t.phone and map_press.map_info(out) is not None:
        pass  # the map's layout placed its legend
    else:
        series_charts.legends_inside(out)  # under a panel they would meet the caption block
    _apply_legend(out, plan, legend_px)
    _stamp(out, meta, width, height)
    if t.phone:
        _phone_axes(out, tick)
        _floor_text(out, t)
        if map_press.map_info(out) is None:
            _phone_marks(out, width)
    return out


MARK_SCALE = 0.8  # markers and lines as on the phone page (its sizes are CSS px), a little finer


def _phone_marks(fig: go.Figure, width: int) -> None:
    """Markers, lines and error bars scaled with the image, so they read as on the phone page."""
    scale = max(1.0, MARK_SCALE * width / PHONE_WIDTH)

    def scaled(value, default):
        if isinstance(value, (list, tuple, np.ndarray)):
            return [round(v * scale, 1) if v is not None else v for v in value]
        return round((value if value is not None else default) * scale, 1)

    for trace in fig.data:
        if trace.type == "scatter":
            mode = trace.mode or "lines+markers"
            if "markers" in mode:
                trace.marker.size = scaled(trace.marker.size, 6)
                if trace.marker.line.width is not None:
                    trace.marker.line.width = scaled(trace.marker.line.width, 0)
            if "lines" in mode:
                trace.line.width = scaled(trace.line.width, 2)
        if trace.type == "bar":
            for bars in (trace.error_x, trace.error_y):
                if bars.visible is not False and (bars.array is not None or bars.value is not None):
                    bars.thickness = scaled(bars.thickness, 2)
                    bars.width = scaled(bars.width, 4)
    for shape in fig.layout.shapes:
        if shape.line.width:
            shape.line.width = scaled(shape.line.width, 1)


def _phone_room(
    out: go.Figure,
    meta: ExportMeta,
    t: PressType,
    width: int,
    height: int,
    top: float,
    where,
    legend_px: float,
    caption_file: str | None,
):
    """The room of a phone layout, leaving out what does not fit at the phone sizes and saying so
    in the caption block: the colours of stacked bars whose legend leaves no room for three rows
    (their totals stay), the categories beyond those that fit (the top ones stay), the lower
    panels of a stack that would be too low to read (the top one stays)."""
    from analytics import map_press  # map_press imports the charts that export uses

    said: list[str] = []  # what the image leaves out, said first among the notes
    tick = t.tick
    x_room = _x_room(out, tick)
    gridded = grid_panels(out) is not None  # small multiples keep room for their numbers in each panel

    def measure():
        footer = footer_lines(meta, width, t, caption_file, shown=tuple(said))
        captions = t.pad + len(footer) * t.footer * LINE
        left = t.pad + max(label_width(out, tick, measured=True), value_axis_width(out, tick))
        right = t.pad + (8 if gridded else max(value_label_width(out, t.value, measured=True), 8))
        return footer, captions, left, right

    footer, captions, left, right = measure()

    def legend():
        return _legend_plan(
            out,
            where,
            legend_px,
            width - left - right,
            height - top - captions - x_room,
            t,
            usable=width - t.pad - right,
            below=x_room,
        )

    plan = legend()
    categories = bar_categories(out)
    if (
        plan["kind"] in ("above", "right")
        and out.layout.barmode == "stack"
        and categories
        and _capacity(height - top - plan["top"] - captions - x_room, tick) < min(3, len(categories))
    ):
        merge_stack(out)
        said.append(fmt.t("export_totals_only", meta.lang))
        footer, captions, left, right = measure()
        plan = dict(kind=None, top=0.0, right=0.0)
    capacity = _capacity(height - top - plan["top"] - captions - x_room, tick)
    if len(categories) > capacity:
        base = list(said)
        for _ in range(4):  # the note takes room too: lay the caption out again with it
            said[:] = [*base, fmt.t("export_top_shown", meta.lang, n=capacity, total=len(categories))]
            footer, captions, left, right = measure()
            fitted = _capacity(height - top - plan["top"] - captions - x_room, tick)
            if fitted == capacity:
                break
            capacity = fitted
        keep_top(out, categories[len(categories) - capacity :])
        footer, captions, left, right = measure()
    right += plan["right"]
    top += plan["top"]
    panels = None
    grid = grid_plan(out, t, width, width - left - right, height - top - captions - x_room)
    base, dropped = list(said), 0
    for _ in range(4):  # the note takes room too: plan again with it
        if not grid or grid["dropped"] == dropped:
            break
        dropped = grid["dropped"]
        said[:] = [*base, fmt.t("export_panels_left_out", meta.lang, n=dropped)] if dropped else base
        footer, captions, left, right = measure()
        right += plan["right"]
        grid = grid_plan(out, t, width, width - left - right, height - top - captions - x_room)
    if grid:
        drop_grid_panels(out, grid)
        panels = [grid]
    elif not where and map_press.map_info(out) is None:
        for _ in range(3):
            plot_h = height - top - captions - x_room
            panels = panel_plan(out, t, legend_px, width - left - right)
            low = low_panel(panels, plot_h, t) if panels else None
            if low is None:
                break
            said.append(fmt.t("export_panel_left_out", meta.lang, panel=panel_name(out, low)))
            drop_panel(out, low)
            footer, captions, left, right = measure()
            right += plan["right"]
        if panels:
            top += panels[-1]["height"]
    return footer, captions, left, right, captions + x_room, x_room, top, plan, panels


def _capacity(plot_height: float, tick: float) -> int:
    """How many category rows of ROW_EM label heights a plot of `plot_height` px holds."""
    return max(1, int(plot_height // (tick * ROW_EM)))


def _x_room(fig: go.Figure, tick: float) -> float:
    """Height of the bottom x axis's tick labels (and title) under the plot area, plus a gap."""
    layout = fig.layout.to_plotly_json()
    axes = [fig.layout[name] for name in layout if re.fullmatch(r"xaxis\d*", name)] or [fig.layout.xaxis]
    if all(axis.visible is False for axis in axes):
        return 12
    titled = any(axis.title and axis.title.text for axis in axes)
    return tick * LINE + 8 + (tick * LINE + 4 if titled else 0) + 10


def _phone_axes(fig: go.Figure, tick: float) -> None:
    """At phone sizes plotly's automatic ticks (one per 80 px across, 40 px up) would run into each
    other: ask for as many as the labels leave room for. Category axes and set ticks stay."""
    margin = fig.layout.margin
    plot_w = fig.layout.width - margin.l - margin.r
    plot_h = fig.layout.height - margin.t - margin.b
    for name in fig.layout.to_plotly_json():
        match = re.fullmatch(r"([xy])axis\d*", name)
        axis = fig.layout[name] if match else None
        if axis is None or axis.visible is False or axis.dtick is not None or is_category(fig, name):
            continue
        domain = axis.domain or (0, 1)
        length = (domain[1] - domain[0]) * (plot_w if match[1] == "x" else plot_h)
        per_label = tick * (5.0 if match[1] == "x" else 2.4)  # '40.000' across; a line and a gap up
        if axis.tickvals is not None:  # set ticks ('Rp1,5 miliar'): every other one, or fewer, where they crowd
            values, texts = list(axis.tickvals), list(axis.ticktext or axis.tickvals)
            room = max(1, int(length // per_label))
            step = -(-len(values) // room)
            if step > 1 and len(values) == len(texts):
                axis.tickvals, axis.ticktext = values[::step], texts[::step]
            continue
        if axis.tickmode == "array":
            continue
        wanted = max(3, int(length // per_label))
        axis.nticks = min(axis.nticks, wanted) if axis.nticks else wanted


def _legend_plan(
    fig: go.Figure,
    where,
    font_px: float,
    plot_width: float,
    room: float,
    t: PressType,
    usable: float | None = None,
    below: float = 0.0,
) -> dict:
    """Where a legend goes that the figure asks to have placed (layout.meta["press_legend"]), and
    the room it takes: "above" (a horizontal legend between the subtitle and the plot, as many rows
    as its entries need, for charts whose every corner holds data) or a position inside the plot (a
    corner it leaves free). On a phone the legend above spans the image (`usable` px) in as many
    columns as leave it lowest, its names wrapped; where a column right of the plot (as high as the
    plot and the `below` px under it) leaves the plot more room, it goes there instead; and where
    names cut to what precedes a parenthesis leave the plot much more room, they are cut."""
    plan = dict(kind=None, top=0.0, right=0.0)
    if not where:
        return plan
    if where != "above":
        return dict(plan, kind="inside", where=where)
    names = [trace.name for trace in fig.data if trace.showlegend is not False and trace.name]
    if not names or fig.layout.showlegend is False:
        return plan
    if not t.phone:
        entry = 44 + 0.3 * font_px + max(em_width(plain_text(n)) for n in names) * font_px * 0.93
        rows = -(-len(names) // max(1, int(plot_width // entry)))
        return dict(plan, kind="above", top=rows * font_px * 1.6 + 14, entry=entry, names={})
    symbol = 40 + 0.2 * font_px  # plotly starts an entry's text 40 px after the entry's start
    item = font_px * LINE

    def above(texts: dict) -> dict | None:
        best = None
        for cols in range(1, len(names) + 1):
            entry = (usable or plot_width) / cols
            wrapped = {n: text_lines(texts[n], entry - symbol - 10, font_px) for n in names}
            if any(em_width(line) * font_px > entry - symbol - 10 for lines in wrapped.values() for line in lines):
                break  # a word wider than the entry
            rows = [names[i : i + cols] for i in range(0, len(names), cols)]
            height = sum(max(len(wrapped[n]) for n in row) * item + 4 for row in rows) + 10
            if best is None or height < best["top"]:
                best = dict(plan, kind="above", top=height, entry=entry, names=wrapped, x=t.pad)
        return best

    def right(texts: dict) -> dict | None:
        text_w = min(max(em_width(texts[n]) for n in names) * font_px, 0.45 * plot_width - symbol)
        wrapped = {n: text_lines(texts[n], text_w, font_px) for n in names}
        width = symbol + max(em_width(line) for lines in wrapped.values() for line in lines) * font_px + 16
        height = sum(len(lines) * item + 4 for lines in wrapped.values()) + 10
        return dict(plan, kind="right", right=width, names=wrapped) if height <= room + below - 10 else None

    def area(choice: dict | None) -> float:
        return -1.0 if choice is None else max(0.0, plot_width - choice["right"]) * max(0.0, room - choice["top"])

    full = {n: plain_text(n) for n in names}
    cut = {n: re.sub(r"\s*\(.*", "", text) or text for n, text in full.items()}
    best = max((above(full), right(full)), key=area)
    if cut != full:
        shorter = max((above(cut), right(cut)), key=area)
        if area(shorter) > 1.25 * area(best):
            best = shorter
    return best or dict(
        plan, kind="above", top=len(names) * item * 2, entry=usable or plot_width, names={n: [full[n]] for n in names}
    )


LEGEND_STYLE = dict(bgcolor="rgba(255,255,255,0.9)", bordercolor="#D5DBDF", borderwidth=1)


def _apply_legend(press: go.Figure, plan: dict, font_px: float) -> None:
    """The legend as _legend_plan decided (its room is already in the margins)."""
    style = dict(LEGEND_STYLE, font=dict(size=font_px))
    if plan["kind"] == "inside":
        press.update_layout(legend=dict(plan["where"], orientation="v", **style))
        return
    if plan["kind"] is None:
        return
    for trace in press.data:
        if trace.name in plan["names"]:
            trace.name = "<br>".join(html.escape(line, quote=False) for line in plan["names"][trace.name])
    plain = style | dict(borderwidth=0, bgcolor="rgba(0,0,0,0)")
    if plan["kind"] == "right":
        margin = press.layout.margin
        plot_width = press.layout.width - margin.l - margin.r
        press.update_layout(
            legend=dict(orientation="v", x=1 + 12 / plot_width, xanchor="left", y=1, yanchor="top", **plain)
        )
        return
    # from the image's pad: plotly then lets the rows run from there to the plot's right edge
    margin = press.layout.margin
    plot_width = press.layout.width - margin.l - margin.r
    where = dict(x=min(0.0, (plan["x"] - margin.l) / plot_width)) if "x" in plan else dict(x=0)
    # plotly adds its 40 px for the swatch to entrywidth; a hair less keeps the planned columns
    entry = plan["entry"] - (40 + 2 if "x" in plan else 0)
    press.update_layout(
        legend=dict(
            orientation="h",
            xanchor="left",
            y=1,
            yanchor="bottom",
            entrywidth=entry,
            entrywidthmode="pixels",
            **where,
            **plain,
        )
    )


MAP_LABEL_TRACES = ("label", "label_outside", "kota", "inset")
MAP_LABEL_NOTES = ("key", "key_values", "inset_label")


def _floor_text(fig: go.Figure, t: PressType) -> None:
    """Every text at least its role's phone size: what the layout did not size itself (subplot
    titles, legends inside panels, text on points, axis titles, reference-line labels, sizes set
    inside a text's own markup)."""
    base = fig.layout.font.size or 12

    def least(current, minimum):
        return max(current or base, minimum)

    layout = fig.layout.to_plotly_json()
    for name in layout:
        if re.fullmatch(r"[xy]axis\d*", name):
            axis = fig.layout[name]
            axis.tickfont.size = least(axis.tickfont.size, t.tick)
            if axis.title and axis.title.text:
                axis.title.font.size = least(axis.title.font.size, t.tick)
        elif re.fullmatch(r"legend\d*", name):
            fig.layout[name].font.size = least(fig.layout[name].font.size, t.legend)
        elif re.fullmatch(r"coloraxis\d*", name):
            bar = fig.layout[name].colorbar
            bar.tickfont.size = least(bar.tickfont.size, t.legend)
            bar.title.font.size = least(bar.title.font.size, t.legend)
    if fig.layout.title.subtitle.text:
        fig.layout.title.subtitle.font.size = least(fig.layout.title.subtitle.font.size, t.subtitle)
    roles = dict(caption=t.footer, watermark=t.watermark, **{name: t.map_label for name in MAP_LABEL_NOTES})
    for note in fig.layout.annotations:
        minimum = roles.get(note.name, t.legend)
        note.font.size = least(note.font.size, minimum)
        note.text = _least_spans(note.text, minimum)
    for shape in fig.layout.shapes:
        if shape.label and shape.label.text:
            shape.label.font.size = least(shape.label.font.size, t.value)
    for trace in fig.data:
        if "textfont" not in trace or trace.text is None:
            continue
        minimum = t.map_label if trace.name in MAP_LABEL_TRACES else t.value
        size = trace.textfont.size
        if isinstance(size, (list, tuple, np.ndarray)):
            trace.textfont.size = [least(s, minimum) for s in size]
        else:
            trace.textfont.size = least(size, minimum)
        texts = trace_values(trace.text)
        if any("font-size" in str(text) for text in texts):
            trace.text = [_least_spans(text, minimum) for text in texts]


def _least_spans(text, minimum: float):
    """Sizes set inside a text ('font-size:8.5px') raised to at least `minimum`."""
    if not isinstance(text, str) or "font-size" not in text:
        return text
    return re.sub(r"font-size:\s*([\d.]+)px", lambda m: f"font-size:{max(float(m[1]), minimum):g}px", text)


def _title_y(height: int, t: PressType = TYPE, lines: int = 2) -> float:
    """plotly anchors a one-line title at its ink's top but a multi-line one about 0.7 em above it
    (measured): shift it so the ink starts at the pad."""
    return (t.pad + (0.7 * t.title if lines > 1 else 0)) / height


def _x_labels(tick: float) -> float:
    """Height of the x tick labels under the plot area, plus a gap before the captions (print)."""
    return 2.2 * tick + 12


def _tick_size(fig: go.Figure, plot_height: float) -> int:
    """Print: shrink labels so every bar keeps its own readable line (38 regions in 900 px)."""
    bars = category_count(fig)
    if not bars:
        return TYPE.tick
    return int(max(TYPE.min_tick, min(TYPE.tick, plot_height / bars * 0.78)))


def _bar_gap(fig: go.Figure, plot_height: float, tick: float) -> float | None:
    """A handful of regions would make slab-like bars; keep each bar at most about four text lines thick."""
    bars = category_count(fig)
    if not bars:
        return fig.layout.bargap
    return round(min(0.75, max(0.2, 1 - 4 * tick / (plot_height / bars))), 2)


def _stamp(fig: go.Figure, meta: ExportMeta, width: int, height: int) -> None:
    """The DATA CONTOH watermark, scaled to the image; added if the chart did not carry one."""
    if not meta.synthetic:
        return
    if not any(a.name == "watermark" for a in fig.layout.annotations):
        charts.watermark(fig, fmt.t("watermark", meta.lang))
    fig.update_annotations(font_size=round(min(width, height) * 0.1), selector=dict(name="watermark"))
