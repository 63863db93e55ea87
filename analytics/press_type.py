"""The type of press images: the smallest size each role of text may read on a phone, the print
sizes of the Lembar Penilaian, text measured and wrapped, and the title and footer lines a press
image carries (press_layout lays the figure out with them)."""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass

from analytics import charts, fmt
from analytics.export_meta import ExportMeta, _size, dataset_label, export_date_line
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

PHONE_WIDTH = 390  # CSS px: how wide a phone shows a shared image
# The smallest each role of text may read on that phone (CSS px, i.e. after the image is scaled to
# PHONE_WIDTH). 10 px is the smallest size a phone's own interface uses for secondary text and reads
# without zooming; the title stays a step above everything else so it reads as the headline; the
# footnotes (source, notes, dataset, date) are read once and close up, and 8 px keeps enough of them
# on a 16:9 image, where the whole image is only 219 px high on the phone.
PHONE_MIN_PX = {
    "title": 15,  # the headline
    "subtitle": 10,  # indicator, year, as-of date and dataset under the title; subplot titles
    "tick": 10,  # axis tick labels and axis titles, category (region) names beside bars
    "value": 10,  # numbers on bars and points, labels on reference lines
    "legend": 10,  # legend entries, the colour bar's ticks and unit, the map inset's heading
    "map_label": 10,  # names and abbreviations on the map and on tiles, kota numbers, the kota key
    "footnote": 8,  # source, notes, dataset and export date
    "watermark": 8,  # DATA CONTOH (drawn far larger: a tenth of the image's shorter side)
}
PHONE_PAD = 10  # CSS px of white round the image
# Lines of footnote the caption block may take (about a sixth of the image's height); a source list
# takes at most SOURCE_LINES of them. What does not fit is counted and pointed to instead.
PHONE_FOOTER_LINES = {"16:9": 4, "1:1": 6, "4:5": 7, "9:16": 9}
SOURCE_LINES = 2
ROW_EM = 1.3  # a category's row (bar and gap) is at least this many label heights: labels never touch
MEDIA = ("phone", "print")


@dataclass(frozen=True)
class PressType:
    """Type sizes (image px) of one press layout. The defaults are the print sizes (TYPE): readable
    on a slide and on an A4 page."""

    title: float = 28
    subtitle: float = 18
    tick: float = 16
    footer: float = 14
    pad: float = 32  # outer whitespace on every side
    min_tick: float = 9  # below this a label is unreadable even in print
    value: float = 16
    legend: float = 16
    map_label: float = 13
    watermark: float = 14
    footer_lines: int | None = None  # None: as many lines as the caption needs (print)
    phone: bool = False


TYPE = PressType()
LINE = 1.3  # plotly's line height, in font sizes
INK = 1.05  # one line of text, ascenders to descenders, in font sizes
FIT = 0.96  # share of a width a measured line may fill (the fonts' hinting varies)
CHAR_EM = 0.56  # average glyph width of the sans fonts Chromium uses (Liberation/Arial), generous


def press_type(size: str, medium: str = "phone") -> PressType:
    """The type sizes of a press image of `size`: the phone minima scaled to its width, or TYPE."""
    width, _ = _size(size)
    if medium == "print":
        return TYPE
    if medium != "phone":
        raise ValueError(f"unknown medium {medium!r}; choose one of {', '.join(MEDIA)}")
    px = {role: math.ceil(minimum * width / PHONE_WIDTH) for role, minimum in PHONE_MIN_PX.items()}
    return PressType(
        title=px["title"],
        subtitle=px["subtitle"],
        tick=px["tick"],
        footer=px["footnote"],
        pad=round(PHONE_PAD * width / PHONE_WIDTH),
        min_tick=px["tick"],
        value=px["value"],
        legend=px["legend"],
        map_label=px["map_label"],
        watermark=px["watermark"],
        footer_lines=PHONE_FOOTER_LINES[size],
        phone=True,
    )


def phone_px(image_px: float, size: str) -> float:
    """How large `image_px` reads on a phone that shows the image of `size` PHONE_WIDTH wide."""
    return image_px * PHONE_WIDTH / _size(size)[0]


def em_width(text: str, bold: bool = False) -> float:
    """Width of plain text in em, in the metrics of the font Chromium draws the charts in here."""
    return text_em(html.escape(text, quote=False), bold)


def text_lines(text: str, width_px: float, font_px: float, bold: bool = False) -> list[str]:
    """Plain text in lines no wider than `width_px` at `font_px` (words are never broken)."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and em_width(candidate, bold) * font_px > width_px * FIT:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line]


def _wrap(text: str, width_px: float, font_px: float, bold: bool = False) -> list[str]:
    """Wrap plain text to the width, then escape it: plotly reads <, > and & as its own markup, and
    a citation or note must show as written."""
    return [html.escape(part, quote=False) for part in text_lines(text, width_px, font_px, bold)]


def plain_text(markup: str) -> str:
    """Plotly text (the chart's source line is built as markup) as plain text."""
    text = re.sub(r"<br\s*/?>", " ", markup or "")
    return " ".join(html.unescape(re.sub(r"</?[a-z]+\b[^>]*>", "", text)).split())


def head_lines(meta: ExportMeta, width_px: int, t: PressType) -> tuple[str, str, float]:
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


def footer_lines(
    meta: ExportMeta,
    width_px: int,
    t: PressType = TYPE,
    caption_file: str | None = None,
    shown: str | tuple[str, ...] | None = None,
) -> list[str]:
    """The caption block under the chart as markup lines: source, notes, dataset label and export
    date, wrapped to the image width (plotly never wraps). `shown`: notes that only part of the
    chart is drawn, said first among the notes and never left out.

    A phone layout (t.footer_lines) keeps to its lines: the source line to SOURCE_LINES (shortened
    by naming fewer publishers), the notes as many as fit, in their order; the image then says how
    many notes it leaves out and where they are: the caption file beside it (`caption_file`, in
    the press kit, which also lists every source with its address) or the data files."""
    usable = width_px - 2 * t.pad
    source = plain_text(meta.source)
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
        parts = text_lines(text, usable, font_px, bold=style is not None)
        joins = joins and (pack or index == len(segments) - 1) and index > 0
        if lines and joins and len(parts) == 1:
            joined = " · ".join([*(plain for plain, _ in lines[-1]), text])
            if em_width(joined, bold=any(s for _, s in lines[-1]) or style is not None) * font_px <= usable * FIT:
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
        return len(text_lines(text, usable, font_px)) <= SOURCE_LINES

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
