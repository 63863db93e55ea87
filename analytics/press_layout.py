"""Press images laid out (pure, no browser): export.press_figure turns a page's figure into an image
of a press size, with its title, caption block and watermark drawn in, every text legible on a phone
(medium="phone") or at print size (medium="print"). kaleido renders the result (image_server)."""
from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from analytics import charts, fmt
from analytics.export_meta import EXPORT_TEMPLATE, ExportMeta, _size, dataset_label, export_date_line
from analytics.map_labels import text_em

# ---------------------------------------------------------------- press figure
#
# Press images are read on phones more than anywhere else, and a phone shows a shared image as wide
# as its screen, about 390 CSS px, whatever the image's own pixel size: a 1600 px image is shrunk
# 4.1 times, a 1080 px one 2.8 times. So every text of a press image has a minimum size *as read on
# that phone*, by its role (PHONE_MIN_PX); an image W px wide sets a role at least
# PHONE_MIN_PX[role] × W / PHONE_WIDTH image px (press_type). What does not fit at those sizes is
# left out of the image, and the image says so: bars beyond the top N (the data file has them all),
# notes and full sources beyond the footer's lines (the press kit's keterangan.txt and the data
# files have them). The Lembar Penilaian prints the same figures on A4 paper (medium="print"),
# where a chart is read at full size: there the print sizes of TYPE apply and nothing is left out.

PHONE_WIDTH = 390   # CSS px: how wide a phone shows a shared image
# The smallest each role of text may read on that phone (CSS px, i.e. after the image is scaled to
# PHONE_WIDTH). 10 px is the smallest size a phone's own interface uses for secondary text and reads
# without zooming; the title stays a step above everything else so it reads as the headline; the
# footnotes (source, notes, dataset, date) are read once and close up, and 8 px keeps enough of them
# on a 16:9 image, where the whole image is only 219 px high on the phone.
PHONE_MIN_PX = {
    "title": 15,       # the headline
    "subtitle": 10,    # indicator, year, as-of date and dataset under the title; subplot titles
    "tick": 10,        # axis tick labels and axis titles, category (region) names beside bars
    "value": 10,       # numbers on bars and points, labels on reference lines
    "legend": 10,      # legend entries, the colour bar's ticks and unit, the map inset's heading
    "map_label": 10,   # names and abbreviations on the map and on tiles, kota numbers, the kota key
    "footnote": 8,     # source, notes, dataset and export date
    "watermark": 8,    # DATA CONTOH (drawn far larger: a tenth of the image's shorter side)
}
PHONE_PAD = 10      # CSS px of white round the image
# Lines of footnote the caption block may take (about a sixth of the image's height); a source list
# takes at most SOURCE_LINES of them. What does not fit is counted and pointed to instead.
PHONE_FOOTER_LINES = {"16:9": 4, "1:1": 6, "4:5": 7, "9:16": 9}
SOURCE_LINES = 2
ROW_EM = 1.3        # a category's row (bar and gap) is at least this many label heights: labels never touch
MEDIA = ("phone", "print")


@dataclass(frozen=True)
class _Type:
    """Type sizes (image px) of one press layout. The defaults are the print sizes (TYPE): readable
    on a slide and on an A4 page."""
    title: float = 28
    subtitle: float = 18
    tick: float = 16
    footer: float = 14
    pad: float = 32                 # outer whitespace on every side
    min_tick: float = 9             # below this a label is unreadable even in print
    value: float = 16
    legend: float = 16
    map_label: float = 13
    watermark: float = 14
    footer_lines: int | None = None  # None: as many lines as the caption needs (print)
    phone: bool = False


TYPE = _Type()
LINE = 1.3                  # plotly's line height, in font sizes
INK = 1.05                  # one line of text, ascenders to descenders, in font sizes
FIT = 0.96                  # share of a width a measured line may fill (the fonts' hinting varies)
CHAR_EM = 0.56              # average glyph width of the sans fonts Chromium uses (Liberation/Arial), generous


def press_type(size: str, medium: str = "phone") -> _Type:
    """The type sizes of a press image of `size`: the phone minima scaled to its width, or TYPE."""
    width, _ = _size(size)
    if medium == "print":
        return TYPE
    if medium != "phone":
        raise ValueError(f"unknown medium {medium!r}; choose one of {', '.join(MEDIA)}")
    px = {role: math.ceil(minimum * width / PHONE_WIDTH) for role, minimum in PHONE_MIN_PX.items()}
    return _Type(title=px["title"], subtitle=px["subtitle"], tick=px["tick"], footer=px["footnote"],
                 pad=round(PHONE_PAD * width / PHONE_WIDTH), min_tick=px["tick"], value=px["value"],
                 legend=px["legend"], map_label=px["map_label"], watermark=px["watermark"],
                 footer_lines=PHONE_FOOTER_LINES[size], phone=True)


def phone_px(image_px: float, size: str) -> float:
    """How large `image_px` reads on a phone that shows the image of `size` PHONE_WIDTH wide."""
    return image_px * PHONE_WIDTH / _size(size)[0]


def _em(text: str, bold: bool = False) -> float:
    """Width of plain text in em, in the metrics of the font Chromium draws the charts in here."""
    return text_em(html.escape(text, quote=False), bold)


def _lines(text: str, width_px: float, font_px: float, bold: bool = False) -> list[str]:
    """Plain text in lines no wider than `width_px` at `font_px` (words are never broken)."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and _em(candidate, bold) * font_px > width_px * FIT:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line]


def _wrap(text: str, width_px: float, font_px: float, bold: bool = False) -> list[str]:
    """Wrap plain text to the width, then escape it: plotly reads <, > and & as its own markup, and
    a citation or note must show as written."""
    return [html.escape(part, quote=False) for part in _lines(text, width_px, font_px, bold)]


def _plain(markup: str) -> str:
    """Plotly text (the chart's source line is built as markup) as plain text."""
    text = re.sub(r"<br\s*/?>", " ", markup or "")
    return " ".join(html.unescape(re.sub(r"</?[a-z]+\b[^>]*>", "", text)).split())


def _head(meta: ExportMeta, width_px: int, t: _Type) -> tuple[str, str, float]:
    """The bold title and the subtitle (markup, wrapped to the image width) and where the head ends
    (px from the image's top). The subtitle is the title's own subtitle: inside the title's text,
    plotly would space its lines at the title's line height."""
    usable = width_px - 2 * t.pad
    title = _wrap(meta.title, usable, t.title, bold=True)
    subtitle = _wrap(meta.subtitle, usable, t.subtitle) if meta.subtitle else []
    # measured in Chromium: the subtitle's first line starts 0.9 title + 0.93 subtitle sizes under the
    # last title line's top, 0.7 subtitle sizes lower still when it is one line (plotly anchors a
    # one-line text at its top, a longer one 0.7 em above); a line's ink is about 0.95 of its size
    end = t.pad + (len(title) - 1) * t.title * LINE
    if subtitle:
        end += 0.9 * t.title + 0.93 * t.subtitle + (0.7 * t.subtitle if len(subtitle) == 1 else 0)
        end += (len(subtitle) - 1) * t.subtitle * LINE + 0.95 * t.subtitle
    else:
        end += 0.95 * t.title
    return f"<b>{'<br>'.join(title)}</b>", "<br>".join(subtitle), end


# Notes a licence requires with the figure (the boundaries' CC BY 3.0 IGO attribution): a phone
# layout that has no room for every note still keeps these, in the image itself.
CREDIT_NOTES = ("footer_boundaries",)


def footer_lines(meta: ExportMeta, width_px: int, t: _Type = TYPE, caption_file: str | None = None,
                 shown: str | tuple[str, ...] | None = None) -> list[str]:
    """The caption block under the chart as markup lines: source, notes, dataset label and export
    date, wrapped to the image width (plotly never wraps). `shown`: notes that only part of the
    chart is drawn, said first among the notes and never left out.

    A phone layout (t.footer_lines) keeps to its lines: the source line to SOURCE_LINES (shortened
    by naming fewer publishers), the notes as many as fit, in their order; the image then says how
    many notes it leaves out and where they are: the caption file beside it (`caption_file`, in
    the press kit, which also lists every source with its address) or the data files."""
    usable = width_px - 2 * t.pad
    source = _plain(meta.source)
    if t.footer_lines and source:
        source = _short_source(source, usable, t.footer, meta.lang)
    credits = {fmt.t(key, meta.lang) for key in CREDIT_NOTES}
    notes = [note for note in meta.notes if note and note not in credits]
    mandatory = [shown] if isinstance(shown, str) else list(shown or ())
    mandatory += [note for note in meta.notes if note in credits]  # the licence asks for them in the image
    label = dataset_label(meta)
    tail = [(label, "synthetic" if meta.synthetic else None, True), (export_date_line(meta), None, True)]

    def lay_out(kept: list[str], dropped: int) -> list[str]:
        head = [(source, None, False)] if source else []
        if caption_file and (dropped or meta.sources):
            pointer = "export_kit_notes" if dropped else "export_kit_sources"
            head.append((fmt.t(pointer, meta.lang, file=caption_file), None, True))
        body = [(note, None, bool(t.footer_lines)) for note in mandatory + kept]
        if dropped and not caption_file:
            body.append((fmt.t("export_more_notes", meta.lang, n=dropped), None, True))
        body[:1] = [(text, style, False) for text, style, _ in body[:1]]  # notes start under the source
        lines = _pack(head, usable, t.footer, pack=bool(t.footer_lines))
        return lines + _pack(body + tail, usable, t.footer, pack=bool(t.footer_lines))

    lines = lay_out(notes, 0)
    if not t.footer_lines or len(lines) <= t.footer_lines:
        return lines
    # the notes that fit, in their order (a long one left out lets a shorter later one in)
    kept: list[str] = []
    for note in notes:
        if len(lay_out([*kept, note], len(notes) - len(kept) - 1 or 1)) <= t.footer_lines:
            kept.append(note)
    return lay_out(kept, len(notes) - len(kept))


def _pack(segments, usable: float, font_px: float, pack: bool) -> list[str]:
    """(plain text, style, may join the line before) segments as markup lines. With `pack`, a
    segment that fits after the previous one joins its line with ' · '; else it starts a line. The
    dataset label and the date always share a line when they fit."""
    lines: list[list[tuple[str, str | None]]] = []
    for index, (text, style, joins) in enumerate(segments):
        parts = _lines(text, usable, font_px, bold=style is not None)
        joins = joins and (pack or index == len(segments) - 1) and index > 0
        if lines and joins and len(parts) == 1:
            joined = " · ".join([*(plain for plain, _ in lines[-1]), text])
            if _em(joined, bold=any(s for _, s in lines[-1]) or style is not None) * font_px <= usable * FIT:
                lines[-1].append((text, style))
                continue
        lines += [[(part, style)] for part in parts]
    return [" · ".join(_styled(plain, style) for plain, style in line) for line in lines]


def _styled(plain: str, style: str | None) -> str:
    text = html.escape(plain, quote=False)
    if style == "synthetic":  # in the watermark's red, so a cropped image still says what it is
        return f"<b><span style='color:{charts.COLOR_REFERENCE}'>{text}</span></b>"
    return text


def _short_source(source: str, usable: float, font_px: float, lang: str) -> str:
    """'Sumber: A, B, C +4 lainnya' naming fewer publishers until it takes SOURCE_LINES lines; the
    count of the rest grows by as many as were left out."""
    def fits(text: str) -> bool:
        return len(_lines(text, usable, font_px)) <= SOURCE_LINES

    if fits(source):
        return source
    match = re.match(r"^(?P<head>[^:]{1,40}:\s*)(?P<body>.*?)(?:\s\+(?P<more>\d+)\s\S+)?$", source)
    if match:
        items, more = match["body"].split(", "), int(match["more"] or 0)
        while len(items) > 1:
            items.pop()
            more += 1
            text = f"{match['head']}{', '.join(items)} {fmt.t('export_more_sources', lang, n=more)}"
            if fits(text):
                return text
    words = source.split()
    while len(words) > 1 and not fits(" ".join(words) + " …"):
        words.pop()
    return " ".join(words) + " …"


def _is_caption(annotation) -> bool:
    """The old caption block sits under the plot area (paper y < 0); the export rebuilds it."""
    return annotation.yref == "paper" and annotation.y is not None and annotation.y < 0


def _horizontal_bars(fig: go.Figure) -> list:
    return [t for t in fig.data if t.type == "bar" and t.orientation == "h"]


def _values(array) -> tuple:
    """A trace's data as a tuple; plotly keeps numpy arrays, whose truth value is ambiguous."""
    return () if array is None else tuple(array) if not isinstance(array, str) else (array,)


def _categories(fig: go.Figure) -> list:
    """The categories of horizontal bars, bottom to top as plotly draws them (first seen at the bottom)."""
    labels = list(dict.fromkeys(label for trace in _horizontal_bars(fig) for label in _values(trace.y)))
    if fig.layout.yaxis.autorange == "reversed":
        labels.reverse()
    return labels


def _category_count(fig: go.Figure) -> int:
    return len(_categories(fig))


def _keep_top(fig: go.Figure, keep: list) -> None:
    """Only the categories `keep` (the top of the chart) in every trace that draws categories: each
    array as long as the trace's y is cut to the same points."""
    wanted, drawn = set(keep), set(_categories(fig))
    data = []
    for trace in fig.data:
        ys = _values(trace.y)
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


def _label_width(fig: go.Figure, font_px: float, measured: bool = False) -> float:
    """Room for region names left of horizontal bars; automargin still widens it if we guessed short."""
    labels = [str(label) for trace in _horizontal_bars(fig) for label in _values(trace.y)]
    if measured:
        return max((max(text_em(line) for line in label.split("<br>")) for label in labels), default=0) \
            * font_px * 1.03 + 12
    return max((len(label) for label in labels), default=0) * font_px * 0.5 + 10


def _above_plot(fig: go.Figure, tick: float = TYPE.tick) -> float:
    """Room for labels drawn above the plot area, e.g. the 'acuan Rp16.800' reference line."""
    labelled_shapes = any(s.label and s.label.text for s in fig.layout.shapes)
    above = any(a.yref in ("paper", "y domain") and a.y is not None and a.y >= 1 for a in fig.layout.annotations)
    return 1.6 * tick if labelled_shapes or above else 0


def _value_label_width(fig: go.Figure, font_px: float, measured: bool = False) -> float:
    """Room right of the plot for numbers drawn past the end of horizontal bars."""
    texts = [str(v) for trace in _horizontal_bars(fig) if trace.textposition == "outside" for v in _values(trace.text)]
    if not measured:
        return max((len(v) for v in texts), default=0) * font_px * CHAR_EM + 16
    texts += [str(v) for trace in fig.data if trace.type == "scatter" and trace.mode and "text" in trace.mode
              and "right" in str(trace.textposition or "") and _values(trace.y) for v in _values(trace.text)]
    return max((text_em(v) for v in texts), default=0) * font_px * 1.03 + 16


def press_figure(fig: go.Figure, meta: ExportMeta, size: str, legend_font: float | None = None, *,
                 caption_file: str | None = None, medium: str = "phone") -> go.Figure:
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
    out.layout.annotations = [a for a in out.layout.annotations if not _is_caption(a)]
    title_html, subtitle, head_end = _head(meta, width, t)
    top = head_end + 0.9 * t.tick + 8 + _above_plot(out, t.tick)
    where = fig.layout.meta.get("press_legend") if isinstance(fig.layout.meta, dict) else None
    legend_px = max(legend_font or 0, t.legend) if t.phone else (legend_font or t.tick)
    footer = footer_lines(meta, width, t, caption_file)
    captions = t.pad + len(footer) * t.footer * LINE
    if t.phone:
        tick = t.tick
        footer, captions, left, right, bottom, x_room, top, plan, panels = _phone_room(
            out, meta, t, width, height, top, where, legend_px, caption_file)
    else:
        tick = _tick_size(fig, height - top - captions - _x_labels(TYPE.tick))
        x_room = _x_labels(tick)
        bottom = captions + x_room
        left = t.pad + _label_width(out, tick)
        right = t.pad + max(_value_label_width(out, tick), 8)
        plan = _legend_plan(out, where, legend_px, width - left - right, height - top - bottom, t)
        panels = None
        top += plan["top"]
        right += plan["right"]
    out.update_layout(
        template=EXPORT_TEMPLATE, width=width, height=height, autosize=False,
        separators=fig.layout.separators or charts.SEPARATORS.get(meta.lang, ",."),
        font=dict(family=charts.FONT, size=tick),
        title=dict(text=title_html, x=t.pad / width, xanchor="left", xref="container",
                   y=1 - _title_y(height, t, title_html.count("<br>") + 1), yref="container", yanchor="top",
                   pad=dict(t=0, b=0, l=0), font=dict(size=t.title),
                   subtitle=dict(text=subtitle, font=dict(size=t.subtitle, color=charts.COLOR_MUTED))),
        margin=dict(l=left, r=right, t=top, b=bottom, autoexpand=not t.phone),  # phone: all room measured
        paper_bgcolor="white", plot_bgcolor="white")
    out.update_xaxes(tickfont_size=tick)
    out.update_yaxes(tickfont_size=tick, ticklabelstandoff=6)
    out.update_traces(textfont_size=t.value if t.phone else tick, selector=dict(type="bar"))
    if t.phone:  # plotly would shrink a bar's number to the bar's thickness, below the phone size
        out.update_traces(constraintext="none", selector=dict(type="bar"))
    out.update_layout(bargap=_bar_gap(out, height - top - bottom, tick))
    plot_width = width - left - right
    out.add_annotation(text="<br>".join(footer), x=(t.pad - left) / plot_width, xref="paper", xanchor="left",
                       y=0, yref="paper", yanchor="top", yshift=-x_room, showarrow=False,
                       align="left", font=dict(size=t.footer, color=charts.COLOR_MUTED), name="caption")
    map_press.press_layout(out, width=width, height=height, top=top, captions=captions, pad=t.pad, type_=t)
    if t.phone and panels and panels[0].get("kind") == "grid":
        _apply_grid(out, panels[0], t, legend_px)
    elif t.phone and panels:
        _apply_panels(out, panels, t, legend_px)
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


def _value_axis_width(fig: go.Figure, tick: float, names=None) -> float:
    """Room for the tick labels of value axes left of the plot ('600.000', 'Rp1,2 miliar'), so the
    plot and the text aligned with it do not move when plotly makes room for them itself. `names`:
    only these y axes."""
    widest = 0.0
    for name in fig.layout.to_plotly_json():
        if not re.fullmatch(r"yaxis\d*", name) or _is_category(fig, name) or (names is not None and name not in names):
            continue
        axis = fig.layout[name]
        if axis.visible is False or axis.showticklabels is False or axis.side == "right":
            continue
        if axis.ticktext is not None:
            texts = [str(text) for text in axis.ticktext]
        else:
            ref = "y" + name[5:]
            values = [abs(float(v)) for trace in fig.data if (trace.yaxis or "y") == ref
                      for v in _values(getattr(trace, "y", None)) if isinstance(v, (int, float, np.number))
                      and math.isfinite(float(v))]
            top = max(values, default=0.0)
            texts = [f"{top * 1.25:,.0f}" if top >= 10 else f"{top:.1f}"]
        widest = max(widest, max((text_em(text) for text in texts), default=0.0))
    return widest * tick * 1.03 + 14 if widest else 0.0


def _panel_plan(fig: go.Figure, t: _Type, font_px: float, plot_width: float) -> list[dict] | None:
    """Phone: what goes above each panel of a one-column stack (series charts): its title (a
    subplot title) and its legend, which on screen sits under the panel and inside it would cover
    data at these sizes. Bottom panel first; None for any other layout."""
    names = [n for n in fig.layout.to_plotly_json() if re.fullmatch(r"yaxis\d*", n)
             and fig.layout[n].visible is not False]
    panels = sorted(((tuple(fig.layout[n].domain or (0, 1)), n) for n in names), key=lambda p: p[0]) \
        or [((0.0, 1.0), "yaxis")]
    if any(a[1] > b[0] + 1e-6 for (a, _), (b, _) in zip(panels, panels[1:])):
        return None
    notes = [a for a in fig.layout.annotations if a.yref == "paper" and a.yanchor == "bottom" and a.text
             and a.name is None]
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
            entries = [trace.name for trace in fig.data if (trace.legend or "legend") == legend_name
                       and trace.showlegend is not False and trace.name]
        rows, row = [], 0.0
        for name in entries:
            width = 40 + _em(_plain(name)) * font_px + 0.8 * font_px
            if row and row + width > plot_width:
                rows.append(row)
                row = 0.0
            row += width
        if row:
            rows.append(row)
        title = next((a for a in notes if abs(a.y - domain[1]) < 0.02), None)
        title_w = _em(_plain(title.text)) * font_px if title else 0.0
        same_line = bool(title and len(rows) == 1 and title_w + rows[0] + font_px <= plot_width)
        legend_h = len(rows) * (item + 4) + (4 if rows else 0)
        height = max(item, legend_h) + 4 if same_line else legend_h + (item + 4 if title else 0)
        ticks = True
        try:
            x_axis = fig.layout["xaxis" + axis[5:]]
            ticks = x_axis is not None and x_axis.showticklabels is not False and x_axis.visible is not False
        except KeyError:
            pass
        plan.append(dict(axis=axis, domain=domain, legend=legend_name if entries else None,
                         title=title.text if title else None,
                         same_line=same_line, legend_h=legend_h, height=height, ticks=ticks))
    return plan


def _apply_panels(fig: go.Figure, plan: list[dict], t: _Type, font_px: float) -> None:
    """Domains with gaps for each panel's x tick labels and the header of the panel under it; each
    header (title left, legend right, or the legend under the title) just above its panel."""
    margin = fig.layout.margin
    plot_h = fig.layout.height - margin.t - margin.b
    gaps = [(t.tick * LINE + 12 if upper["ticks"] else 8) + lower["height"] + 6
            for lower, upper in zip(plan, plan[1:])]
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
        style = dict(font=dict(size=font_px), bgcolor="rgba(0,0,0,0)", borderwidth=0, orientation="h",
                     y=top, yanchor="bottom")
        if panel["legend"]:
            where = dict(x=1, xanchor="right") if panel["same_line"] else dict(x=0, xanchor="left")
            fig.update_layout({panel["legend"]: dict(style, **where, yref="paper", entrywidth=None)})
        if panel["title"] is not None:
            lift = 0 if panel["same_line"] or not panel["legend"] else panel["legend_h"]
            old_top = panel["domain"][1]
            for note in fig.layout.annotations:
                if note.text == panel["title"] and note.y is not None and abs(note.y - old_top) < 0.02:
                    note.update(x=0, xanchor="left", align="left", y=top, yshift=lift + 2,
                                font=dict(size=max(note.font.size or 0, font_px)))
        y += height + (gaps[index] if index < len(gaps) else 0)


MIN_PANEL_EM = 4    # a panel of a stack lower than this many tick sizes is left out on a phone


def _phone_room(out: go.Figure, meta: ExportMeta, t: _Type, width: int, height: int, top: float, where,
                legend_px: float, caption_file: str | None):
    """The room of a phone layout, leaving out what does not fit at the phone sizes and saying so
    in the caption block: the colours of stacked bars whose legend leaves no room for three rows
    (their totals stay), the categories beyond those that fit (the top ones stay), the lower
    panels of a stack that would be too low to read (the top one stays)."""
    said: list[str] = []  # what the image leaves out, said first among the notes
    tick = t.tick
    x_room = _x_room(out, tick)
    gridded = _grid_panels(out) is not None  # small multiples keep room for their numbers in each panel

    def measure():
        footer = footer_lines(meta, width, t, caption_file, shown=tuple(said))
        captions = t.pad + len(footer) * t.footer * LINE
        left = t.pad + max(_label_width(out, tick, measured=True), _value_axis_width(out, tick))
        right = t.pad + (8 if gridded else max(_value_label_width(out, t.value, measured=True), 8))
        return footer, captions, left, right

    footer, captions, left, right = measure()

    def legend():
        return _legend_plan(out, where, legend_px, width - left - right, height - top - captions - x_room, t,
                            usable=width - t.pad - right, below=x_room)

    plan = legend()
    categories = _categories(out)
    if plan["kind"] in ("above", "right") and out.layout.barmode == "stack" and categories \
            and _capacity(height - top - plan["top"] - captions - x_room, tick) < min(3, len(categories)):
        _merge_stack(out)
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
        _keep_top(out, categories[len(categories) - capacity:])
        footer, captions, left, right = measure()
    right += plan["right"]
    top += plan["top"]
    panels = None
    grid = _grid_plan(out, t, width, width - left - right, height - top - captions - x_room)
    base, dropped = list(said), 0
    for _ in range(4):  # the note takes room too: plan again with it
        if not grid or grid["dropped"] == dropped:
            break
        dropped = grid["dropped"]
        said[:] = [*base, fmt.t("export_panels_left_out", meta.lang, n=dropped)] if dropped else base
        footer, captions, left, right = measure()
        right += plan["right"]
        grid = _grid_plan(out, t, width, width - left - right, height - top - captions - x_room)
    if grid:
        _drop_grid_panels(out, grid)
        panels = [grid]
    elif not where and _map_info(out) is None:
        for _ in range(3):
            plot_h = height - top - captions - x_room
            panels = _panel_plan(out, t, legend_px, width - left - right)
            low = _low_panel(panels, plot_h, t) if panels else None
            if low is None:
                break
            said.append(fmt.t("export_panel_left_out", meta.lang, panel=_panel_name(out, low)))
            _drop_panel(out, low)
            footer, captions, left, right = measure()
            right += plan["right"]
        if panels:
            top += panels[-1]["height"]
    return footer, captions, left, right, captions + x_room, x_room, top, plan, panels


MIN_PANEL_CSS = 120  # a panel of a small-multiples grid is at least this wide on the phone (CSS px)


def _grid_panels(fig: go.Figure) -> list[dict] | None:
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
    notes = [a for a in fig.layout.annotations if a.name is None and a.yref == "paper" and a.yanchor == "bottom"
             and a.text]
    for panel in panels:
        centre = sum(panel["xd"]) / 2
        panel["title"] = next((a.text for a in notes if abs(a.y - panel["yd"][1]) < 0.03 and abs(a.x - centre) < 0.03),
                              None)
    return panels


def _grid_plan(fig: go.Figure, t: _Type, width: int, plot_w: float, plot_h: float) -> dict | None:
    """Phone: the grid in as many columns as keep each panel MIN_PANEL_CSS wide and as many rows
    as keep each panel readable (its bars a row each, a line chart four tick sizes high); the
    panels that do not fit are left out, the last ones first."""
    panels = _grid_panels(fig)
    if not panels:
        return None
    first_cols = len({round(p["xd"][0], 3) for p in panels})
    labelled = [p for p in panels if fig.layout[p["y"]].showticklabels is not False
                and fig.layout[p["y"]].visible is not False]
    shared = len(labelled) < len(panels)  # names only left of the first column (shared category axis)

    def gap_for(shown: list[dict], cols: int) -> float:
        """Between columns: the tick labels of the value axes of the panels right of the first column."""
        later = [p["y"] for i, p in enumerate(shown) if i % cols]
        value_gap = 0.0 if shared or not later else _value_axis_width(fig, t.tick, later)
        return max(0.04 * plot_w, value_gap + 0.8 * t.tick)

    narrowest = MIN_PANEL_CSS * width / PHONE_WIDTH
    widest = max(1, min(first_cols, int((plot_w + 0.04 * plot_w) // (narrowest + 0.04 * plot_w))))
    categories = len(_categories(fig))
    body = categories * t.tick * ROW_EM if categories else MIN_PANEL_EM * t.tick
    ticks = any(fig.layout[p["x"]].showticklabels is not False and fig.layout[p["x"]].visible is not False
                for p in panels)
    best = None
    for cols in range(1, widest + 1):  # the most panels that fit; wrapped titles make narrow ones taller
        gap = gap_for(panels, cols)
        for _ in range(2):  # the gap for the panels that fit
            panel_w = (plot_w - (cols - 1) * gap) / cols
            if panel_w < narrowest and cols > 1:
                break
            titles = {p["x"]: _lines(_plain(p["title"]), panel_w, t.legend) if p["title"] else [] for p in panels}
            title_h = max((len(lines) for lines in titles.values()), default=0) * t.legend * LINE + 6
            head = title_h + (t.tick * LINE + 10 if ticks else 4) + 8
            fit = int((plot_h + head - title_h) // (body + head))
            gap = gap_for(panels[:max(1, fit) * cols], cols)
        if panel_w < narrowest and cols > 1:
            continue
        panel_w = (plot_w - (cols - 1) * gap) / cols
        titles = {p["x"]: _lines(_plain(p["title"]), panel_w, t.legend) if p["title"] else [] for p in panels}
        title_h = max((len(lines) for lines in titles.values()), default=0) * t.legend * LINE + 6
        head = title_h + (t.tick * LINE + 10 if ticks else 4) + 8
        fit = int((plot_h + head - title_h) // (body + head))
        shown = min(fit * cols, len(panels))
        if best is None or shown > best[0] or (shown == best[0] and shown > 0):
            best = (shown, cols, titles, title_h, head, max(1, fit), gap)
    _, cols, titles, title_h, head, rows, gap = best
    kept = panels[:rows * cols]
    return dict(kind="grid", panels=kept, dropped=len(panels) - len(kept), left_out=panels[len(kept):],
                columns=cols, gap=gap, titles=titles, title_h=title_h, head=head, shared=shared, height=0.0)


def _drop_grid_panels(fig: go.Figure, grid: dict) -> None:
    for panel in grid["left_out"]:
        refs = ("x" + panel["x"][5:], "y" + panel["y"][5:])
        fig.data = [trace for trace in fig.data if (trace.xaxis or "x", trace.yaxis or "y") != refs]
        fig.layout[panel["x"]].visible = False
        fig.layout[panel["y"]].visible = False
        top, centre = panel["yd"][1], sum(panel["xd"]) / 2
        fig.layout.annotations = [a for a in fig.layout.annotations if not (
            a.yref == "paper" and a.xref == "paper" and a.y is not None and a.x is not None and (
                (abs(a.y - top) < 0.03 and abs(a.x - centre) < 0.03)
                or (a.name == "no_data" and panel["yd"][0] <= a.y <= top and panel["xd"][0] <= a.x <= panel["xd"][1])))]
    grid["left_out"] = []


def _apply_grid(fig: go.Figure, grid: dict, t: _Type, font_px: float) -> None:
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
            if note.name is None and note.text == old["title"] and abs(note.y - old_top) < 0.03 \
                    and abs(note.x - old_centre) < 0.03:
                lines = grid["titles"].get(old["x"]) or [note.text]
                note.update(text="<br>".join(html.escape(line, quote=False) for line in lines), x=x0,
                            xanchor="left", align="left", y=top, yanchor="bottom", yshift=2,
                            font=dict(size=max(note.font.size or 0, font_px)))
            elif note.name == "no_data" and old["yd"][0] <= note.y <= old_top \
                    and old["xd"][0] <= note.x <= old["xd"][1]:
                note.update(x=(x0 + x1) / 2, y=(top + bottom) / 2)
        fig.layout[panel["x"]].domain = (x0, x1)
        fig.layout[panel["y"]].domain = (bottom, top)
        if grid["shared"]:
            fig.layout[panel["y"]].showticklabels = column == 0


def _map_info(fig: go.Figure):
    from analytics import map_press
    return map_press.map_info(fig)


def _merge_stack(fig: go.Figure) -> None:
    """Stacked horizontal bars as one bar per category, their total, in the house colour."""
    bars = _horizontal_bars(fig)
    totals: dict = {}
    for trace in bars:
        for y, x in zip(_values(trace.y), _values(trace.x)):
            value = float(x) if x is not None and np.isfinite(float(x)) else 0.0
            totals[y] = totals.get(y, 0.0) + value
    order = _categories(fig)
    merged = go.Bar(x=[totals[c] for c in order], y=order, orientation="h", marker_color=charts.COLOR_BAR,
                    showlegend=False, hoverinfo="skip", name="total")
    fig.data = [trace for trace in fig.data if trace not in bars]
    fig.add_trace(merged)
    fig.data = (fig.data[-1], *fig.data[:-1])
    fig.update_layout(showlegend=False)


def _low_panel(plan: list[dict], plot_h: float, t: _Type) -> dict | None:
    """The lowest panel when a panel of the stack would be lower than MIN_PANEL_EM tick sizes."""
    if len(plan) < 2:
        return None
    gaps = sum((t.tick * LINE + 12 if upper["ticks"] else 8) + lower["height"] + 6
               for lower, upper in zip(plan, plan[1:]))
    room = plot_h - plan[-1]["height"] - gaps
    shares = [p["domain"][1] - p["domain"][0] for p in plan]
    if min(room * share / sum(shares) for share in shares) >= MIN_PANEL_EM * t.tick:
        return None
    return plan[0]


def _panel_name(fig: go.Figure, panel: dict) -> str:
    if panel["title"]:
        return _plain(panel["title"])
    names = [_plain(trace.name) for trace in fig.data if (trace.yaxis or "y") == "y" + panel["axis"][5:]
             and trace.name]
    return ", ".join(names) or panel["axis"]


def _drop_panel(fig: go.Figure, panel: dict) -> None:
    """A panel of a stack left out: its traces, title, legend and axes."""
    ref = panel["axis"][5:]
    fig.data = [trace for trace in fig.data if (trace.yaxis or "y") != "y" + ref]
    top = panel["domain"][1]
    fig.layout.annotations = [a for a in fig.layout.annotations
                              if not (a.name is None and a.yref == "paper" and a.yanchor == "bottom"
                                      and a.y is not None and abs(a.y - top) < 0.02)]
    fig.layout["yaxis" + ref].visible = False
    try:
        fig.layout["xaxis" + ref].visible = False
    except KeyError:
        pass
    left = [n for n in fig.layout.to_plotly_json() if re.fullmatch(r"yaxis\d*", n) and fig.layout[n].visible
            is not False]
    if len(left) == 1:
        fig.layout[left[0]].domain = (0, 1)


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
        if axis is None or axis.visible is False or axis.dtick is not None or _is_category(fig, name):
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


def _is_category(fig: go.Figure, axis_name: str) -> bool:
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
        values = _values(getattr(trace, letter, None))
        if values and isinstance(next((v for v in values if v is not None), None), str):
            return True
    return False


def _legend_plan(fig: go.Figure, where, font_px: float, plot_width: float, room: float, t: _Type,
                 usable: float | None = None, below: float = 0.0) -> dict:
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
        entry = 44 + 0.3 * font_px + max(_em(_plain(n)) for n in names) * font_px * 0.93
        rows = -(-len(names) // max(1, int(plot_width // entry)))
        return dict(plan, kind="above", top=rows * font_px * 1.6 + 14, entry=entry, names={})
    symbol = 40 + 0.2 * font_px  # plotly starts an entry's text 40 px after the entry's start
    item = font_px * LINE

    def above(texts: dict) -> dict | None:
        best = None
        for cols in range(1, len(names) + 1):
            entry = (usable or plot_width) / cols
            wrapped = {n: _lines(texts[n], entry - symbol - 10, font_px) for n in names}
            if any(_em(line) * font_px > entry - symbol - 10 for lines in wrapped.values() for line in lines):
                break  # a word wider than the entry
            rows = [names[i:i + cols] for i in range(0, len(names), cols)]
            height = sum(max(len(wrapped[n]) for n in row) * item + 4 for row in rows) + 10
            if best is None or height < best["top"]:
                best = dict(plan, kind="above", top=height, entry=entry, names=wrapped, x=t.pad)
        return best

    def right(texts: dict) -> dict | None:
        text_w = min(max(_em(texts[n]) for n in names) * font_px, 0.45 * plot_width - symbol)
        wrapped = {n: _lines(texts[n], text_w, font_px) for n in names}
        width = symbol + max(_em(line) for lines in wrapped.values() for line in lines) * font_px + 16
        height = sum(len(lines) * item + 4 for lines in wrapped.values()) + 10
        return dict(plan, kind="right", right=width, names=wrapped) if height <= room + below - 10 else None

    def area(choice: dict | None) -> float:
        return -1.0 if choice is None else max(0.0, plot_width - choice["right"]) * max(0.0, room - choice["top"])

    full = {n: _plain(n) for n in names}
    cut = {n: re.sub(r"\s*\(.*", "", text) or text for n, text in full.items()}
    best = max((above(full), right(full)), key=area)
    if cut != full:
        shorter = max((above(cut), right(cut)), key=area)
        if area(shorter) > 1.25 * area(best):
            best = shorter
    return best or dict(plan, kind="above", top=len(names) * item * 2, entry=usable or plot_width,
                        names={n: [full[n]] for n in names})


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
        press.update_layout(legend=dict(orientation="v", x=1 + 12 / plot_width, xanchor="left", y=1, yanchor="top",
                                        **plain))
        return
    # from the image's pad: plotly then lets the rows run from there to the plot's right edge
    margin = press.layout.margin
    plot_width = press.layout.width - margin.l - margin.r
    where = dict(x=min(0.0, (plan["x"] - margin.l) / plot_width)) if "x" in plan else dict(x=0)
    # plotly adds its 40 px for the swatch to entrywidth; a hair less keeps the planned columns
    entry = plan["entry"] - (40 + 2 if "x" in plan else 0)
    press.update_layout(legend=dict(orientation="h", xanchor="left", y=1, yanchor="bottom", entrywidth=entry,
                                    entrywidthmode="pixels", **where, **plain))


MAP_LABEL_TRACES = ("label", "label_outside", "kota", "inset")
MAP_LABEL_NOTES = ("key", "key_values", "inset_label")


def _floor_text(fig: go.Figure, t: _Type) -> None:
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
    roles = dict(caption=t.footer, watermark=t.watermark,
                 **{name: t.map_label for name in MAP_LABEL_NOTES})
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
        texts = _values(trace.text)
        if any("font-size" in str(text) for text in texts):
            trace.text = [_least_spans(text, minimum) for text in texts]


def _least_spans(text, minimum: float):
    """Sizes set inside a text ('font-size:8.5px') raised to at least `minimum`."""
    if not isinstance(text, str) or "font-size" not in text:
        return text
    return re.sub(r"font-size:\s*([\d.]+)px", lambda m: f"font-size:{max(float(m[1]), minimum):g}px", text)


def _title_y(height: int, t: _Type = TYPE, lines: int = 2) -> float:
    """plotly anchors a one-line title at its ink's top but a multi-line one about 0.7 em above it
    (measured): shift it so the ink starts at the pad."""
    return (t.pad + (0.7 * t.title if lines > 1 else 0)) / height


def _x_labels(tick: float) -> float:
    """Height of the x tick labels under the plot area, plus a gap before the captions (print)."""
    return 2.2 * tick + 12


def _tick_size(fig: go.Figure, plot_height: float) -> int:
    """Print: shrink labels so every bar keeps its own readable line (38 regions in 900 px)."""
    bars = _category_count(fig)
    if not bars:
        return TYPE.tick
    return int(max(TYPE.min_tick, min(TYPE.tick, plot_height / bars * 0.78)))


def _bar_gap(fig: go.Figure, plot_height: float, tick: float) -> float | None:
    """A handful of regions would make slab-like bars; keep each bar at most about four text lines thick."""
    bars = _category_count(fig)
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
