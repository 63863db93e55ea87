"""Reading a figure's bars, categories and panels, and fitting its panels (subplots) and small-
multiple grids into a press image: which to keep at legible sizes, which to drop and say so."""

from __future__ import annotations

import html
import math
import re

import numpy as np
import plotly.graph_objects as go

from analytics import charts
from analytics.map_labels import text_em
from analytics.press_type import CHAR_EM, LINE, PHONE_WIDTH, ROW_EM, TYPE, PressType, em_width, plain_text, text_lines

MIN_PANEL_CSS = 120  # a panel of a small-multiples grid is at least this wide on the phone (CSS px)


def is_caption(annotation) -> bool:
    """The old caption block sits under the plot area (paper y < 0); the export rebuilds it."""
    return annotation.yref == "paper" and annotation.y is not None and annotation.y < 0


def _horizontal_bars(fig: go.Figure) -> list:
    return [t for t in fig.data if t.type == "bar" and t.orientation == "h"]


def trace_values(array) -> tuple:
    """A trace's data as a tuple; plotly keeps numpy arrays, whose truth value is ambiguous."""
    return () if array is None else tuple(array) if not isinstance(array, str) else (array,)


def bar_categories(fig: go.Figure) -> list:
    """The categories of horizontal bars, bottom to top as plotly draws them (first seen at the bottom)."""
    labels = list(dict.fromkeys(label for trace in _horizontal_bars(fig) for label in trace_values(trace.y)))
    if fig.layout.yaxis.autorange == "reversed":
        labels.reverse()
    return labels


def category_count(fig: go.Figure) -> int:
    return len(bar_categories(fig))


def keep_top(fig: go.Figure, keep: list) -> None:
    """Only the categories `keep` (the top of the chart) in every trace that draws categories: each
    array as long as the trace's y is cut to the same points."""
    wanted, drawn = set(keep), set(bar_categories(fig))
    data = []
    for trace in fig.data:
        ys = trace_values(trace.y)
        if not ys or not drawn.intersection(ys):
            data.append(trace)
            continue
        mask = [y in wanted for y in ys]
        data.append(type(trace)(_masked(trace.to_plotly_json(), mask)))
    fig.data = ()
    fig.add_traces(data)


def _masked(obj: dict, mask: list[bool]) -> dict:
    out = {}
    for key, value in obj.items():
        if isinstance(value, dict):
            out[key] = _masked(value, mask)
        elif isinstance(value, (list, tuple, np.ndarray)) and len(value) == len(mask) and key != "colorscale":
            out[key] = [item for item, keep in zip(value, mask) if keep]
        else:
            out[key] = value
    return out


def label_width(fig: go.Figure, font_px: float, measured: bool = False) -> float:
    """Room for region names left of horizontal bars; automargin still widens it if we guessed short."""
    labels = [str(label) for trace in _horizontal_bars(fig) for label in trace_values(trace.y)]
    if measured:
        return (
            max((max(text_em(line) for line in label.split("<br>")) for label in labels), default=0) * font_px * 1.03
            + 12
        )
    return max((len(label) for label in labels), default=0) * font_px * 0.5 + 10


def above_plot(fig: go.Figure, tick: float = TYPE.tick) -> float:
    """Room for labels drawn above the plot area, e.g. the 'acuan Rp16.800' reference line."""
    labelled_shapes = any(s.label and s.label.text for s in fig.layout.shapes)
    above = any(a.yref in ("paper", "y domain") and a.y is not None and a.y >= 1 for a in fig.layout.annotations)
    return 1.6 * tick if labelled_shapes or above else 0


def value_label_width(fig: go.Figure, font_px: float, measured: bool = False) -> float:
    """Room right of the plot for numbers drawn past the end of horizontal bars."""
    texts = [
        str(v) for trace in _horizontal_bars(fig) if trace.textposition == "outside" for v in trace_values(trace.text)
    ]
    if not measured:
        return max((len(v) for v in texts), default=0) * font_px * CHAR_EM + 16
    texts += [
        str(v)
        for trace in fig.data
        if trace.type == "scatter"
        and trace.mode
        and "text" in trace.mode
        and "right" in str(trace.textposition or "")
        and trace_values(trace.y)
        for v in trace_values(trace.text)
    ]
    return max((text_em(v) for v in texts), default=0) * font_px * 1.03 + 16


def value_axis_width(fig: go.Figure, tick: float, names=None) -> float:
    """Room for the tick labels of value axes left of the plot ('600.000', 'Rp1,2 miliar'), so the
    plot and the text aligned with it do not move when plotly makes room for them itself. `names`:
    only these y axes."""
    widest = 0.0
    for name in fig.layout.to_plotly_json():
        if not re.fullmatch(r"yaxis\d*", name) or is_category(fig, name) or (names is not None and name not in names):
            continue
        axis = fig.layout[name]
        if axis.visible is False or axis.showticklabels is False or axis.side == "right":
            continue
        if axis.ticktext is not None:
            texts = [str(text) for text in axis.ticktext]
        else:
            ref = "y" + name[5:]
            values = [
                abs(float(v))
                for trace in fig.data
                if (trace.yaxis or "y") == ref
                for v in trace_values(getattr(trace, "y", None))
                if isinstance(v, (int, float, np.number)) and math.isfinite(float(v))
            ]
            top = max(values, default=0.0)
            texts = [f"{top * 1.25:,.0f}" if top >= 10 else f"{top:.1f}"]
        widest = max(widest, max((text_em(text) for text in texts), default=0.0))
    return widest * tick * 1.03 + 14 if widest else 0.0


def panel_plan(fig: go.Figure, t: PressType, font_px: float, plot_width: float) -> list[dict] | None:
    """Phone: what goes above each panel of a one-column stack (series charts): its title (a
    subplot title) and its legend, which on screen sits under the panel and inside it would cover
    data at these sizes. Bottom panel first; None for any other layout."""
    names = [
        n for n in fig.layout.to_plotly_json() if re.fullmatch(r"yaxis\d*", n) and fig.layout[n].visible is not False
    ]
    panels = sorted(((tuple(fig.layout[n].domain or (0, 1)), n) for n in names), key=lambda p: p[0]) or [
        ((0.0, 1.0), "yaxis")
    ]
    if any(a[1] > b[0] + 1e-6 for (a, _), (b, _) in zip(panels, panels[1:])):
        return None
    notes = [
        a for a in fig.layout.annotations if a.yref == "paper" and a.yanchor == "bottom" and a.text and a.name is None
    ]
    item = font_px * LINE
    plan = []
    for domain, axis in panels:
        legend_name = "legend" + axis[5:]
        try:
            legend = fig.layout[legend_name]
        except KeyError:
            legend = None
        entries = []
        if legend is not None and legend.orientation == "h" and fig.layout.showlegend is not False:
            entries = [
                trace.name
                for trace in fig.data
                if (trace.legend or "legend") == legend_name and trace.showlegend is not False and trace.name
            ]
        rows, row = [], 0.0
        for name in entries:
            width = 40 + em_width(plain_text(name)) * font_px + 0.8 * font_px
            if row and row + width > plot_width:
                rows.append(row)
                row = 0.0
            row += width
        if row:
            rows.append(row)
        title = next((a for a in notes if abs(a.y - domain[1]) < 0.02), None)
        title_w = em_width(plain_text(title.text)) * font_px if title else 0.0
        same_line = bool(title and len(rows) == 1 and title_w + rows[0] + font_px <= plot_width)
        legend_h = len(rows) * (item + 4) + (4 if rows else 0)
        height = max(item, legend_h) + 4 if same_line else legend_h + (item + 4 if title else 0)
        ticks = True
        try:
            x_axis = fig.layout["xaxis" + axis[5:]]
            ticks = x_axis is not None and x_axis.showticklabels is not False and x_axis.visible is not False
        except KeyError:
            pass
        plan.append(
            dict(
                axis=axis,
                domain=domain,
                legend=legend_name if entries else None,
                title=title.text if title else None,
                same_line=same_line,
                legend_h=legend_h,
                height=height,
                ticks=ticks,
            )
        )
    return plan


def apply_panels(fig: go.Figure, plan: list[dict], t: PressType, font_px: float) -> None:
    """Domains with gaps for each panel's x tick labels and the header of the panel under it; each
    header (title left, legend right, or the legend under the title) just above its panel."""
    margin = fig.layout.margin
    plot_h = fig.layout.height - margin.t - margin.b
    gaps = [(t.tick * LINE + 12 if upper["ticks"] else 8) + lower["height"] + 6 for lower, upper in zip(plan, plan[1:])]
    shares = [p["domain"][1] - p["domain"][0] for p in plan]
    room = plot_h - sum(gaps)
    if room <= 0:
        return
    y = 0.0
    for index, (panel, share) in enumerate(zip(plan, shares)):
        height = room * share / sum(shares)
        domain = (min(1.0, y / plot_h), min(1.0, (y + height) / plot_h))
        if len(plan) > 1:
            fig.layout[panel["axis"]].domain = domain
        top = domain[1]
        style = dict(
            font=dict(size=font_px), bgcolor="rgba(0,0,0,0)", borderwidth=0, orientation="h", y=top, yanchor="bottom"
        )
        if panel["legend"]:
            where = dict(x=1, xanchor="right") if panel["same_line"] else dict(x=0, xanchor="left")
            fig.update_layout({panel["legend"]: dict(style, **where, yref="paper", entrywidth=None)})
        if panel["title"] is not None:
            lift = 0 if panel["same_line"] or not panel["legend"] else panel["legend_h"]
            old_top = panel["domain"][1]
            for note in fig.layout.annotations:
                if note.text == panel["title"] and note.y is not None and abs(note.y - old_top) < 0.02:
                    note.update(
                        x=0,
                        xanchor="left",
                        align="left",
                        y=top,
                        yshift=lift + 2,
                        font=dict(size=max(note.font.size or 0, font_px)),
                    )
        y += height + (gaps[index] if index < len(gaps) else 0)


MIN_PANEL_EM = 4  # a panel of a stack lower than this many tick sizes is left out on a phone


def grid_panels(fig: go.Figure) -> list[dict] | None:
    """The panels of a small-multiples grid (subplots in more than one column), top left first, each
    with its axes, domains and title; None for any other figure."""
    layout = fig.layout.to_plotly_json()
    panels = []
    for name in layout:
        if not re.fullmatch(r"xaxis\d*", name):
            continue
        axis = fig.layout[name]
        if not axis.anchor or not axis.anchor.startswith("y") or axis.domain is None:
            continue
        y_name = "yaxis" + axis.anchor[1:]
        if y_name not in layout or fig.layout[y_name].domain is None:
            continue
        panels.append(dict(x=name, y=y_name, xd=tuple(axis.domain), yd=tuple(fig.layout[y_name].domain)))
    if len({round(p["xd"][0], 3) for p in panels}) < 2:
        return None
    panels.sort(key=lambda p: (-round(p["yd"][1], 3), p["xd"][0]))
    notes = [
        a for a in fig.layout.annotations if a.name is None and a.yref == "paper" and a.yanchor == "bottom" and a.text
    ]
    for panel in panels:
        centre = sum(panel["xd"]) / 2
        panel["title"] = next(
            (a.text for a in notes if abs(a.y - panel["yd"][1]) < 0.03 and abs(a.x - centre) < 0.03), None
        )
    return panels


def grid_plan(fig: go.Figure, t: PressType, width: int, plot_w: float, plot_h: float) -> dict | None:
    """Phone: the grid in as many columns as keep each panel MIN_PANEL_CSS wide and as many rows
    as keep each panel readable (its bars a row each, a line chart four tick sizes high); the
    panels that do not fit are left out, the last ones first."""
    panels = grid_panels(fig)
    if not panels:
        return None
    first_cols = len({round(p["xd"][0], 3) for p in panels})
    labelled = [
        p for p in panels if fig.layout[p["y"]].showticklabels is not False and fig.layout[p["y"]].visible is not False
    ]
    shared = len(labelled) < len(panels)  # names only left of the first column (shared category axis)

    def gap_for(shown: list[dict], cols: int) -> float:
        """Between columns: the tick labels of the value axes of the panels right of the first column."""
        later = [p["y"] for i, p in enumerate(shown) if i % cols]
        value_gap = 0.0 if shared or not later else value_axis_width(fig, t.tick, later)
        return max(0.04 * plot_w, value_gap + 0.8 * t.tick)

    narrowest = MIN_PANEL_CSS * width / PHONE_WIDTH
    widest = max(1, min(first_cols, int((plot_w + 0.04 * plot_w) // (narrowest + 0.04 * plot_w))))
    categories = len(bar_categories(fig))
    body = categories * t.tick * ROW_EM if categories else MIN_PANEL_EM * t.tick
    ticks = any(
        fig.layout[p["x"]].showticklabels is not False and fig.layout[p["x"]].visible is not False for p in panels
    )
    best = None
    for cols in range(1, widest + 1):  # the most panels that fit; wrapped titles make narrow ones taller
        gap = gap_for(panels, cols)
        for _ in range(2):  # the gap for the panels that fit
            panel_w = (plot_w - (cols - 1) * gap) / cols
            if panel_w < narrowest and cols > 1:
                break
            titles = {
                p["x"]: text_lines(plain_text(p["title"]), panel_w, t.legend) if p["title"] else [] for p in panels
            }
            title_h = max((len(lines) for lines in titles.values()), default=0) * t.legend * LINE + 6
            head = title_h + (t.tick * LINE + 10 if ticks else 4) + 8
            fit = int((plot_h + head - title_h) // (body + head))
            gap = gap_for(panels[: max(1, fit) * cols], cols)
        if panel_w < narrowest and cols > 1:
            continue
        panel_w = (plot_w - (cols - 1) * gap) / cols
        titles = {p["x"]: text_lines(plain_text(p["title"]), panel_w, t.legend) if p["title"] else [] for p in panels}
        title_h = max((len(lines) for lines in titles.values()), default=0) * t.legend * LINE + 6
        head = title_h + (t.tick * LINE + 10 if ticks else 4) + 8
        fit = int((plot_h + head - title_h) // (body + head))
        shown = min(fit * cols, len(panels))
        if best is None or shown > best[0] or (shown == best[0] and shown > 0):
            best = (shown, cols, titles, title_h, head, max(1, fit), gap)
    _, cols, titles, title_h, head, rows, gap = best
    kept = panels[: rows * cols]
    return dict(
        kind="grid",
        panels=kept,
        dropped=len(panels) - len(kept),
        left_out=panels[len(kept) :],
        columns=cols,
        gap=gap,
        titles=titles,
        title_h=title_h,
        head=head,
        shared=shared,
        height=0.0,
    )


def drop_grid_panels(fig: go.Figure, grid: dict) -> None:
    for panel in grid["left_out"]:
        refs = ("x" + panel["x"][5:], "y" + panel["y"][5:])
        fig.data = [trace for trace in fig.data if (trace.xaxis or "x", trace.yaxis or "y") != refs]
        fig.layout[panel["x"]].visible = False
        fig.layout[panel["y"]].visible = False
        top, centre = panel["yd"][1], sum(panel["xd"]) / 2
        fig.layout.annotations = [
            a
            for a in fig.layout.annotations
            if not (
                a.yref == "paper"
                and a.xref == "paper"
                and a.y is not None
                and a.x is not None
                and (
                    (abs(a.y - top) < 0.03 and abs(a.x - centre) < 0.03)
                    or (
                        a.name == "no_data" and panel["yd"][0] <= a.y <= top and panel["xd"][0] <= a.x <= panel["xd"][1]
                    )
                )
            )
        ]
    grid["left_out"] = []


def apply_grid(fig: go.Figure, grid: dict, t: PressType, font_px: float) -> None:
    """The kept panels on the new grid, each titled at its top left (wrapped to its width)."""
    margin = fig.layout.margin
    plot_w = fig.layout.width - margin.l - margin.r
    plot_h = fig.layout.height - margin.t - margin.b
    cols, gap, head, title_h = grid["columns"], grid["gap"], grid["head"], grid["title_h"]
    rows = -(-len(grid["panels"]) // cols)
    panel_w = (plot_w - (cols - 1) * gap) / cols
    cell = (plot_h - rows * head + (head - title_h)) / rows  # the last row needs no gap under its ticks
    for index, panel in enumerate(grid["panels"]):
        row, column = divmod(index, cols)
        x0 = column * (panel_w + gap) / plot_w
        x1 = min(1.0, x0 + panel_w / plot_w)
        top = 1 - (row * (cell + head) + title_h) / plot_h
        bottom = max(0.0, top - cell / plot_h)
        old_top, old_centre, old = panel["yd"][1], sum(panel["xd"]) / 2, panel
        for note in fig.layout.annotations:
            if note.xref != "paper" or note.yref != "paper" or note.x is None or note.y is None:
                continue
            if (
                note.name is None
                and note.text == old["title"]
                and abs(note.y - old_top) < 0.03
                and abs(note.x - old_centre) < 0.03
            ):
                lines = grid["titles"].get(old["x"]) or [note.text]
                note.update(
                    text="<br>".join(html.escape(line, quote=False) for line in lines),
                    x=x0,
                    xanchor="left",
                    align="left",
                    y=top,
                    yanchor="bottom",
                    yshift=2,
                    font=dict(size=max(note.font.size or 0, font_px)),
                )
            elif (
                note.name == "no_data" and old["yd"][0] <= note.y <= old_top and old["xd"][0] <= note.x <= old["xd"][1]
            ):
                note.update(x=(x0 + x1) / 2, y=(top + bottom) / 2)
        fig.layout[panel["x"]].domain = (x0, x1)
        fig.layout[panel["y"]].domain = (bottom, top)
        fit_value_labels(fig, panel["x"], panel_w, t.value)
        if grid["shared"]:
            fig.layout[panel["y"]].showticklabels = column == 0


# Of a panel's width, the most its numbers may take (bars on one side of zero / on both): wider
# numbers squeeze the bars to what is left, they never hide them.
MAX_LABEL_SHARE = (0.7, 0.45)


def fit_value_labels(fig: go.Figure, axis_name: str, panel_px: float, font_px: float) -> None:
    """Widen the value axis of a panel of horizontal bars so the numbers drawn past the bars' ends
    (and 'no data' at zero) stay inside the panel: the screen's headroom is too short for press
    type in a narrow panel. The axis is only ever widened."""
    ref = "x" + axis_name[5:]
    bars = [b for b in _horizontal_bars(fig) if (b.xaxis or "x") == ref and b.textposition == "outside"]
    axis = fig.layout[axis_name]
    if not bars or axis.range is None or panel_px <= 0:
        return
    values = [float(v) for b in bars for v in trace_values(b.x) if v is not None and math.isfinite(float(v))]
    label = max((text_em(str(v)) for b in bars for v in trace_values(b.text)), default=0) * font_px * 1.03 + 8
    top, bottom = max([*values, 0.0]), min([*values, 0.0])
    share = min(label / panel_px, MAX_LABEL_SHARE[bottom < 0])
    lo, hi = axis.range
    if bottom < 0:  # numbers on both sides of zero
        span = (top - bottom) / (1 - 2 * share)
        lo, hi = min(lo, bottom - share * span), max(hi, top + share * span)
    else:
        hi = max(hi, lo + (top - lo) / (1 - share))
    axis.range = (lo, hi)


def merge_stack(fig: go.Figure) -> None:
    """Stacked horizontal bars as one bar per category, their total, in the house colour."""
    bars = _horizontal_bars(fig)
    totals: dict = {}
    for trace in bars:
        for y, x in zip(trace_values(trace.y), trace_values(trace.x)):
            value = float(x) if x is not None and np.isfinite(float(x)) else 0.0
            totals[y] = totals.get(y, 0.0) + value
    order = bar_categories(fig)
    merged = go.Bar(
        x=[totals[c] for c in order],
        y=order,
        orientation="h",
        marker_color=charts.COLOR_BAR,
        showlegend=False,
        hoverinfo="skip",
        name="total",
    )
    fig.data = [trace for trace in fig.data if trace not in bars]
    fig.add_trace(merged)
    fig.data = (fig.data[-1], *fig.data[:-1])
    fig.update_layout(showlegend=False)


def low_panel(plan: list[dict], plot_h: float, t: PressType) -> dict | None:
    """The lowest panel when a panel of the stack would be lower than MIN_PANEL_EM tick sizes."""
    if len(plan) < 2:
        return None
    gaps = sum(
        (t.tick * LINE + 12 if upper["ticks"] else 8) + lower["height"] + 6 for lower, upper in zip(plan, plan[1:])
    )
    room = plot_h - plan[-1]["height"] - gaps
    shares = [p["domain"][1] - p["domain"][0] for p in plan]
    if min(room * share / sum(shares) for share in shares) >= MIN_PANEL_EM * t.tick:
        return None
    return plan[0]


def panel_name(fig: go.Figure, panel: dict) -> str:
    if panel["title"]:
        return plain_text(panel["title"])
    names = [
        plain_text(trace.name) for trace in fig.data if (trace.yaxis or "y") == "y" + panel["axis"][5:] and trace.name
    ]
    return ", ".join(names) or panel["axis"]


def drop_panel(fig: go.Figure, panel: dict) -> None:
    """A panel of a stack left out: its traces, title, legend and axes."""
    ref = panel["axis"][5:]
    fig.data = [trace for trace in fig.data if (trace.yaxis or "y") != "y" + ref]
    top = panel["domain"][1]
    fig.layout.annotations = [
        a
        for a in fig.layout.annotations
        if not (
            a.name is None and a.yref == "paper" and a.yanchor == "bottom" and a.y is not None and abs(a.y - top) < 0.02
        )
    ]
    fig.layout["yaxis" + ref].visible = False
    try:
        fig.layout["xaxis" + ref].visible = False
    except KeyError:
        pass
    left = [
        n for n in fig.layout.to_plotly_json() if re.fullmatch(r"yaxis\d*", n) and fig.layout[n].visible is not False
    ]
    if len(left) == 1:
        fig.layout[left[0]].domain = (0, 1)


def is_category(fig: go.Figure, axis_name: str) -> bool:
    """Whether an axis shows categories (text values): plotly would skip some of them for nticks."""
    axis = fig.layout[axis_name]
    if axis.type in ("category", "multicategory"):
        return True
    if axis.type in ("linear", "log", "date"):
        return False
    letter, number = axis_name[0], axis_name[5:]
    ref = letter + number
    for trace in fig.data:
        if (getattr(trace, f"{letter}axis", None) or letter) != ref:
            continue
        values = trace_values(getattr(trace, letter, None))
        if values and isinstance(next((v for v in values if v is not None), None), str):
            return True
    return False
