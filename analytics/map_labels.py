"""Labels on the region map and the kota key (pure): what each region is labelled with and where.

Labels on the region map are decided in the figure, so exports carry them: a kabupaten's short name
(and its value) goes inside its polygon where a text box of that size fits, measured at a type size
that is a fixed share of the map's width (EM_SHARE); the two names that fit nowhere have a reviewed
place outside with a leader line (data/peta_label.csv); the nine kota are specks, so each gets a
numbered disc in its own colour and a line in the key.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from analytics import fmt, geo
from analytics import regions as region_ref
from analytics.map_shapes import Shapes
from analytics.metrics import Indicator

TEXT_DARK = "#1F2A30"
QUALIFIER_MARKS = {"lebih dari": ">", "sekitar": "±", "kurang lebih": "±"}


# ---------------------------------------------------------------- labels on the region map

# Label type size as a share of the drawn map's width. Which names fit inside their region is decided
# at this size, and exports set their labels to it (0.0135 × a 1016 px map = 13.7 px on a 1080 px
# image); on a desktop screen the labels are 12 px on a map of about 1000 px, so they fit with room.
EM_SHARE = {False: 0.0135, True: 0.03}  # desktop and exports | phone
LABEL_PX = {False: 12, True: 10}  # screen label size (px)
LABEL_SLACK = 0.1  # em a label may overhang its border: the thin border line then runs under a letter's edge
SHRINK = 0.85  # a name that does not fit at full size may be set this much smaller
LINE_EM = 1.3  # plotly's line spacing
INK_EM = 1.05  # height of one line of text, ascenders to descenders
KOTA_DISC = 1.45  # em: diameter of a kota's numbered disc
KEY_GAP_EM = 0.9  # between the key's names and values columns
# Advance widths (em) of Arial / Liberation Sans, ' ' to '~' (Chromium's fallback for the chart font;
# the dashboard's own Source Sans is narrower, so a label measured with these fits there too).
_GLYPH_EM = (
    0.278,
    0.278,
    0.355,
    0.556,
    0.556,
    0.889,
    0.667,
    0.191,
    0.333,
    0.333,
    0.389,
    0.584,
    0.278,
    0.333,
    0.278,
    0.278,
    0.556,
    0.556,
    0.556,
    0.556,
    0.556,
    0.556,
    0.556,
    0.556,
    0.556,
    0.556,
    0.278,
    0.278,
    0.584,
    0.584,
    0.584,
    0.556,
    1.015,
    0.667,
    0.667,
    0.722,
    0.722,
    0.667,
    0.611,
    0.778,
    0.722,
    0.278,
    0.5,
    0.667,
    0.556,
    0.833,
    0.722,
    0.778,
    0.667,
    0.778,
    0.722,
    0.667,
    0.611,
    0.722,
    0.667,
    0.944,
    0.667,
    0.667,
    0.611,
    0.278,
    0.278,
    0.278,
    0.469,
    0.556,
    0.333,
    0.556,
    0.556,
    0.5,
    0.556,
    0.556,
    0.278,
    0.556,
    0.556,
    0.222,
    0.222,
    0.5,
    0.222,
    0.833,
    0.556,
    0.556,
    0.556,
    0.556,
    0.333,
    0.5,
    0.278,
    0.556,
    0.5,
    0.722,
    0.5,
    0.5,
    0.5,
    0.334,
    0.26,
    0.334,
    0.584,
)
_TAG = re.compile(r"<[^>]+>")


def text_em(text: str, bold: bool = False) -> float:
    """Width of one line of plain or plotly-marked-up text, in em."""
    plain = html.unescape(_TAG.sub("", str(text)))
    width = sum(_GLYPH_EM[ord(c) - 32] if 32 <= ord(c) < 127 else 0.6 for c in plain)
    return width * (1.06 if bold else 1.0)


def short_name(nama_pendek: str) -> str:
    """'Kab. Malang' -> 'Malang': on the map a kabupaten takes the plain name; its kota twin is numbered."""
    return nama_pendek[5:] if nama_pendek.startswith("Kab. ") else nama_pendek


def kota_numbers() -> dict[str, int]:
    """The nine kota numbered 1–9 in code order (1 Kota Kediri … 9 Kota Batu): specks on the map,
    each gets a numbered disc there and a line in the key."""
    frame = region_ref.regions_frame()
    return {kode: number for number, kode in enumerate(sorted(frame.loc[frame["jenis"] == "kota", "kode"]), start=1)}


@lru_cache(maxsize=1)
def _label_data() -> dict[str, dict]:
    labels = geo.map_labels()
    return {row["kode"]: row for row in labels.to_dict("records")}


def abbreviation(kode: str) -> str:
    return str(_label_data()[kode]["singkatan"])


@dataclass(frozen=True)
class Label:
    """One region's label: text inside its region, text outside joined by a leader line, or a number."""

    kode: str
    text: str  # plotly markup
    x: float
    y: float
    size: float = 1.0  # in em (1 or SHRINK)
    position: str = "middle center"  # plotly textposition around (x, y)
    leader: tuple[float, float] | None = None  # where the leader line from (x, y) ends, inside the region
    number: int | None = None  # drawn on a disc at (x, y) and listed in the key


def _drawn(shapes: Shapes, geometry):
    """A geometry as it appears on screen: y stretched by the map's aspect correction."""
    from shapely import affinity

    return affinity.scale(geometry, 1, shapes.y_scale, origin=(0, 0))


def _label_area(shapes: Shapes, kode: str, em: float):
    """Where a label may lie: the region (as drawn) with the slack, minus the kota discs near it."""
    key = ("area", kode, em)
    if key not in shapes.cache:
        import shapely

        area = _drawn(shapes, shapes.polygons[kode]).buffer(LABEL_SLACK * em)
        discs = _kota_discs(shapes, em)
        if kode not in kota_numbers() and area.intersects(discs):
            area = area.difference(discs)
        shapely.prepare(area)
        shapes.cache[key] = area
    return shapes.cache[key]


def _kota_discs(shapes: Shapes, em: float):
    key = ("discs", em)
    if key not in shapes.cache:
        import shapely
        from shapely.geometry import Point

        radius = (KOTA_DISC / 2 + 0.25) * em
        shapes.cache[key] = shapely.union_all(
            [
                Point(x, y * shapes.y_scale).buffer(radius, quad_segs=4)
                for k, (x, y) in shapes.anchors.items()
                if k in kota_numbers()
            ]
        )
    return shapes.cache[key]


def _fit(shapes: Shapes, kode: str, width_em: float, height_em: float, em_share: float) -> tuple[float, float] | None:
    """The centre of a width × height (em) text box lying inside the region, as near its pole of
    inaccessibility as possible, or None when the box fits nowhere."""
    width_em = math.ceil(width_em * 10) / 10  # in steps of 0.1 em (rounded up): texts of about one width share a fit
    key = ("fit", kode, width_em, round(height_em, 2), em_share)
    if key in shapes.cache:
        return shapes.cache[key]
    import shapely

    em = em_share * (shapes.x_range[1] - shapes.x_range[0])
    area = _label_area(shapes, kode, em)
    if area.is_empty:
        shapes.cache[key] = None
        return None
    w, h, step = width_em * em, height_em * em, 0.15 * em
    x0, y0, x1, y1 = area.bounds
    gx, gy = np.meshgrid(np.arange(x0 + w / 2, x1 - w / 2 + 1e-9, step), np.arange(y0 + h / 2, y1 - h / 2 + 1e-9, step))
    gx, gy = gx.ravel(), gy.ravel()
    spot = None
    if len(gx):
        # the box's four corners inside is cheap and nearly sufficient; the exact test then runs on few boxes
        corners = np.ones(len(gx), dtype=bool)
        for dx, dy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
            corners &= shapely.contains_xy(area, gx + dx * w / 2, gy + dy * h / 2)
        gx, gy = gx[corners], gy[corners]
        pole_x, pole_y = shapes.anchors[kode][0], shapes.anchors[kode][1] * shapes.y_scale
        for i in np.argsort((gx - pole_x) ** 2 + (gy - pole_y) ** 2):
            if area.contains(shapely.box(gx[i] - w / 2, gy[i] - h / 2, gx[i] + w / 2, gy[i] + h / 2)):
                spot = (float(gx[i]), float(gy[i] / shapes.y_scale))
                break
    shapes.cache[key] = spot
    return spot


def _value_short(row: pd.Series, indicator: Indicator, lang: str) -> str | None:
    if pd.isna(row["nilai"]):
        return None
    mark = QUALIFIER_MARKS.get(row.get("kualifikasi") or "", "")
    return f"{mark}{fmt.value(row['nilai'], indicator.satuan, indicator.desimal, lang)}"


def _inside_label(
    shapes: Shapes, kode: str, name: str, value: str | None, em_share: float, sizes: tuple[float, ...] = (1.0, SHRINK)
) -> Label | None:
    """Name and value on two lines where they fit, else the name alone; full size first, then smaller."""
    tries = []
    for size in sizes:
        if value:
            tries.append(
                (
                    size,
                    f"{html.escape(name)}<br><b>{html.escape(value)}</b>",
                    max(text_em(name), text_em(value, bold=True)),
                    INK_EM + LINE_EM,
                )
            )
        tries.append((size, html.escape(name), text_em(name), INK_EM))
    for size, text, width, height in tries:
        spot = _fit(shapes, kode, width * size, height * size, em_share)
        if spot:
            return Label(kode, text, *spot, size=size)
    return None


def place_labels(
    shapes: Shapes,
    rows: pd.DataFrame,
    indicator: Indicator,
    lang: str = "id",
    compact: bool = False,
    highlight: tuple[str, ...] = (),
) -> list[Label]:
    """Labels for the region map. Every kota gets its number (1–9); a kabupaten its short name (and
    value) inside where it fits, else the reviewed outside place in data/peta_label.csv with a leader
    line, else a number too (10, 11, …). On a phone (`compact`) only abbreviations that fit inside are
    shown, plus any highlighted region."""
    if shapes.kind != "peta":
        return []
    em_share = EM_SHARE[compact]
    numbers = kota_numbers()
    placed = _label_data()
    labels, next_number = [], len(numbers) + 1
    for kode in shapes.order:
        if kode in numbers:
            labels.append(Label(kode, str(numbers[kode]), *shapes.anchors[kode], number=numbers[kode]))
            continue
        row = rows.loc[kode]
        name = abbreviation(kode) if compact else short_name(str(row["nama_pendek"]))
        value = None if compact else _value_short(row, indicator, lang)
        label = _inside_label(shapes, kode, name, value, em_share)
        if label is None and compact:
            label = Label(kode, html.escape(name), *shapes.anchors[kode]) if kode in highlight else None
        elif label is None and pd.notna(placed[kode]["label_x"]):
            text = html.escape(name) + (f"<br><b>{html.escape(value)}</b>" if value else "")
            label = Label(
                kode,
                text,
                float(placed[kode]["label_x"]),
                float(placed[kode]["label_y"]),
                position=placed[kode]["posisi"],
                leader=shapes.anchors[kode],
            )
        elif label is None:
            label = Label(kode, str(next_number), *shapes.anchors[kode], number=next_number)
            next_number += 1
        if label:
            labels.append(label)
    return labels


def press_labels(shapes: Shapes, texts: dict, em_share: float, highlight=()) -> list[Label]:
    """Labels for an image read on a phone, at a type size that is `em_share` of the map's width:
    there few full names fit, so a kabupaten takes the first of its short name with its value, the
    name, its abbreviation with the value and the abbreviation that fits inside (at full size: the
    phone minimum is the smallest size); else its reviewed place outside (the name, with a leader
    line); a highlighted region its abbreviation on its pole; else no label. Every kota keeps its
    number, and the key names them. `texts`: kode -> (nama_pendek, short value or None)."""
    if shapes.kind != "peta":
        return []
    numbers = kota_numbers()
    placed = _label_data()
    labels = []
    for kode in shapes.order:
        if kode in numbers:
            labels.append(Label(kode, str(numbers[kode]), *shapes.anchors[kode], number=numbers[kode]))
            continue
        name, value = texts.get(kode, (None, None))
        name = short_name(str(name)) if name else abbreviation(kode)
        label = None
        for shown in dict.fromkeys((name, abbreviation(kode))):
            label = _inside_label(shapes, kode, shown, value, em_share, sizes=(1.0,))
            if label:
                break
        if label is None and kode in highlight:
            label = Label(kode, html.escape(abbreviation(kode)), *shapes.anchors[kode])
        elif label is None and pd.notna(placed[kode]["label_x"]):
            label = Label(
                kode,
                html.escape(name),
                float(placed[kode]["label_x"]),
                float(placed[kode]["label_y"]),
                position=placed[kode]["posisi"],
                leader=shapes.anchors[kode],
            )
        if label:
            labels.append(label)
    return labels


def text_box(label: Label, px: float, px_per_x: float, y_scale: float) -> tuple[float, float, float, float]:
    """The (x0, y0, x1, y1) plot-coordinate box a label's text covers when its text is `px` high and
    one x unit is `px_per_x` pixels wide."""
    lines = label.text.split("<br>")
    width = max(text_em(line, bold=line.startswith("<b>")) for line in lines) * label.size * px / px_per_x
    height = (INK_EM + LINE_EM * (len(lines) - 1)) * label.size * px / px_per_x / y_scale
    vertical, horizontal = label.position.split()
    x0 = {"left": label.x - width, "center": label.x - width / 2, "right": label.x}[horizontal]
    y0 = {"top": label.y, "middle": label.y - height / 2, "bottom": label.y - height}[vertical]
    return x0, y0, x0 + width, y0 + height


# ---------------------------------------------------------------- the kota key

KEY_NAMES, KEY_VALUES = "key", "key_values"


def _key_entries(
    labels: list[Label], rows: pd.DataFrame, indicator: Indicator, lang: str, compact: bool
) -> list[tuple[int, str, str]]:
    entries = []
    for label in sorted((lb for lb in labels if lb.number is not None), key=lambda lb: lb.number):
        name = str(rows.loc[label.kode, "nama_pendek"])
        if compact:
            name = name.removeprefix("Kota ")
        entries.append((label.number, name, _value_short(rows.loc[label.kode], indicator, lang) or "–"))
    return entries


def _key_annotations(entries, shapes: Shapes, px: float, lang: str) -> list[dict]:
    """Numbers and names in one column, values right-aligned in the next, in the sea at the map's
    bottom right (east of Banyuwangi, south of the Kangean islands): inside the figure, so every
    export carries it."""
    heading = f"<b>{html.escape(fmt.t('map_key_heading', lang))}</b>"
    names = [heading] + [f"<b>{number}</b>  {html.escape(name)}" for number, name, _ in entries]
    values = [""] + [html.escape(value) for _, _, value in entries]
    value_width = max(text_em(v) for v in values) * px
    common = dict(
        xref="x",
        yref="y",
        x=shapes.x_range[1],
        y=shapes.y_range[0],
        xanchor="right",
        yanchor="bottom",
        showarrow=False,
        font=dict(size=px, color=TEXT_DARK),
    )
    return [
        dict(text="<br>".join(names), align="left", xshift=-(value_width + KEY_GAP_EM * px), name=KEY_NAMES, **common),
        dict(text="<br>".join(values), align="right", name=KEY_VALUES, **common),
    ]


def _compact_key_annotations(
    entries, top_px: float, plot_h: float, lang: str, px: float = 11
) -> tuple[list[dict], float]:
    """Under the colour bar on a phone: a heading and the entries in columns; returns the
    annotations and the height they take (px)."""
    texts = [f"<b>{number}</b> {html.escape(name)} · {html.escape(value)}" for number, name, value in entries]
    columns = 3 if max(text_em(t) for t in texts) * px <= 112 else 2
    per_column = math.ceil(len(texts) / columns)
    annotations = [
        dict(
            text=f"<b>{html.escape(fmt.t('map_key_heading', lang))}</b>",
            x=0,
            y=-top_px / plot_h,
            xref="paper",
            yref="paper",
            xanchor="left",
            yanchor="top",
            showarrow=False,
            align="left",
            font=dict(size=px, color=TEXT_DARK),
            name=KEY_NAMES,
        )
    ]
    for column in range(columns):
        part = texts[column * per_column : (column + 1) * per_column]
        annotations.append(
            dict(
                text="<br>".join(part),
                x=column / columns,
                y=-(top_px + px * LINE_EM) / plot_h,
                xref="paper",
                yref="paper",
                xanchor="left",
                yanchor="top",
                showarrow=False,
                align="left",
                font=dict(size=px, color=TEXT_DARK),
                name=KEY_VALUES,
            )
        )
    return annotations, px * LINE_EM * (per_column + 1) + 4
