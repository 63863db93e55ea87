"""Map figures (pure): the 38 kab/kota coloured by one indicator, on real boundaries or on equal tiles.

Why no plotly geo traces: go.Choropleth fetches world_110m.json from a CDN even with an inline
geojson and `visible=False` (TOOLCHAIN §2), so offline the browser draws nothing and kaleido fails.
MapLibre traces (choropleth_map, white-bg style) would work offline but need WebGL and export as
a raster. So the polygons are filled go.Scatter paths in lon/lat on a plain cartesian plot,
`scaleanchor` keeping the aspect: no network, no static files, vector output everywhere.

Clicking a filled path selects nothing in plotly (a fill's hover carries no point number), so every
region also gets an invisible "hit" trace: points on a grid inside its polygon (or tile), with the
region code as customdata and the hover text. Hovering or clicking anywhere in a region lands on
one of them, and Streamlit's selection event returns the code.

The geometry is in map_shapes, the labels and the kota key in map_labels, the palettes and the
colour scale in map_colours, the traces in map_traces, the export layout per image format in
map_press; this module writes the regions' hover text and builds the figure and its screen layout.
"""

from __future__ import annotations

import copy
import html
import textwrap
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from analytics import charts, fmt, geo
from analytics import regions as region_ref
from analytics.map_colours import NO_DATA_HATCH, ColorScale, color_scale
from analytics.map_labels import (
    EM_SHARE,
    KEY_NAMES,
    KEY_VALUES,
    LABEL_PX,
    LINE_EM,
    _compact_key_annotations,
    _key_annotations,
    _key_entries,
    _value_short,
    place_labels,
)
from analytics.map_shapes import Shapes
from analytics.map_traces import (
    area_trace,
    colorbar_trace,
    frame_traces,
    highlight_traces,
    hit_trace,
    label_traces,
    tile_label_trace,
)
from analytics.metrics import Indicator

# Plot-area heights (px) for the widths the map is read at: a desktop column of about 1000 px and a
# phone of 390 px (about 340 px of plot). Both kinds are wider than tall, so at these heights the map
# fills the width; what carries text (colour bar, no-data legend, kota key) goes below it.
PLOT_HEIGHT = {("peta", False): 510, ("petak", False): 600, ("peta", True): 172, ("petak", True): 290}
# Tiles on a phone are taller than wide (31 × 43 px): room for an abbreviation and a value.
COMPACT_TILE_STRETCH = 1.4


# ---------------------------------------------------------------- text


def value_text(value, qualifier, indicator: Indicator, lang: str = "id") -> str:
    """'lebih dari 18.000 orang', '12,3 %', 'Rp16.800' — the figure as the hover reads it."""
    shown = fmt.value(value, indicator.satuan, indicator.desimal, lang)
    if indicator.satuan not in ("persen", "rp"):
        shown = f"{shown} {indicator.unit(lang)}"
    return fmt.qualified(shown, qualifier, lang)


def _wrapped(note, width: int = 48) -> str:
    return "<br>".join(textwrap.wrap(str(note), width)) if isinstance(note, str) and note else ""


def hover_text(row: pd.Series, indicator: Indicator, ranked_count: int, lang: str = "id") -> str:
    # names and notes may carry text from data files: escape before plotly reads its own tags
    lines = [f"<b>{html.escape(str(row['nama']))}</b>"]
    if pd.isna(row["nilai"]):
        lines.append(fmt.t("no_data", lang))
    else:
        lines.append(
            f"{indicator.title(lang)}: <b>{value_text(row['nilai'], row.get('kualifikasi'), indicator, lang)}</b>"
        )
        lines.append(fmt.t("map_rank", lang, rank=int(row["peringkat"]), n=ranked_count))
        if pd.notna(row.get("tanggal_data")):
            lines.append(fmt.t("map_data_date", lang, date=fmt.date(row["tanggal_data"], lang)))
    note = _wrapped(row.get("catatan"))
    return "<br>".join(lines + ([f"<i>{html.escape(note)}</i>"] if note else []))


# ---------------------------------------------------------------- the figure


def _rows(table: pd.DataFrame, order: tuple[str, ...]) -> pd.DataFrame:
    """One row per region in drawing order; regions absent from `table` count as no data."""
    reference = region_ref.regions_frame().set_index("kode")[["nama", "nama_pendek"]]
    rows = table.set_index("kode").reindex(list(order))
    for column in ("nama", "nama_pendek"):
        rows[column] = rows[column].fillna(reference[column]) if column in rows else reference[column]
    for column in ("kualifikasi", "catatan", "tanggal_data", "peringkat"):
        if column not in rows:
            rows[column] = None
    return rows


def map_figure(
    table: pd.DataFrame,
    indicator: Indicator,
    shapes: Shapes,
    *,
    title: str,
    subtitle: str,
    source: str,
    lang: str = "id",
    synthetic: bool = False,
    highlight: tuple[str, ...] = (),
    compact: bool = False,
) -> go.Figure:
    """The map of one indicator: `table` is a ranking table (kode, nama, nama_pendek, nilai,
    kualifikasi, peringkat, catatan, tanggal_data). `highlight`: region codes outlined (the page's
    region search). `compact`: the phone layout (about 340 px of plot width): abbreviations, the
    colour bar and the kota key under the map, a lower figure."""
    rows = _rows(table, shapes.order)
    highlight = tuple(k for k in dict.fromkeys(highlight) if k in shapes.outlines)
    scale = color_scale(indicator, rows["nilai"], lang)
    fills = {k: (scale.color(v) if pd.notna(v) else None) for k, v in rows["nilai"].items()}
    ranked_count = int(rows["peringkat"].notna().sum())
    hover = {k: hover_text(rows.loc[k], indicator, ranked_count, lang) for k in shapes.order}
    first_missing = next((k for k in shapes.order if fills[k] is None), None)
    px = LABEL_PX[compact]
    traces = [area_trace(k, shapes, fills[k], lang, k == first_missing) for k in shapes.order]
    traces += highlight_traces(highlight, shapes)
    traces += frame_traces(shapes)
    labels = place_labels(shapes, rows, indicator, lang, compact, highlight)
    if shapes.kind == "petak":
        traces.append(tile_label_trace(rows, shapes, fills, indicator, lang, compact))
    traces += [hit_trace(k, shapes, hover[k], fills[k] or NO_DATA_HATCH) for k in shapes.order]
    traces += label_traces(labels, fills, hover, px, highlight)  # above the hit points: a disc is clickable
    plot_h = PLOT_HEIGHT[(shapes.kind, compact)]
    info = dict(
        map=shapes.kind,
        compact=compact,
        em_share=EM_SHARE[compact],
        label_px=px,
        aspect=shapes.aspect,
        plot_height=plot_h,
        lang=lang,
        shapes=list(shapes.source),
        highlight=list(highlight),
        # what an export needs to label the map again at its own size: short name and value
        texts={k: [str(rows.loc[k, "nama_pendek"]), _value_short(rows.loc[k], indicator, lang)] for k in shapes.order},
    )
    traces.append(colorbar_trace(scale, info))
    layout = charts.base_layout(title, subtitle, _with_attribution(source, shapes, lang), lang, plot_h)
    entries = _key_entries(labels, rows, indicator, lang, compact)
    layout.update(_layout(shapes, scale, indicator, lang, first_missing is not None, compact, layout, entries))
    layout["template"] = _template(layout["template"])  # unvalidated figures don't expand a template name
    # ~80 traces: plotly's per-property validation would take 0.5 s per rerun; tests check the
    # figure against the schema instead (go.Figure(fig.to_dict())).
    fig = go.Figure(data=traces, layout=layout, _validate=False)
    if synthetic:
        charts.watermark(fig, fmt.t("watermark", lang))
        if compact:  # sized for a phone's 340 px, not a desktop's 1000
            fig.update_annotations(selector=dict(name="watermark"), font_size=30)
    return fig


@lru_cache(maxsize=4)
def _template_json(name: str) -> dict:
    return pio.templates[name].to_plotly_json()


def _template(name: str) -> dict:
    return copy.deepcopy(_template_json(name))


def _with_attribution(source: str, shapes: Shapes, lang: str) -> str:
    """Exported maps must credit the boundaries (CC BY 3.0 IGO); the tile grid uses none."""
    if shapes.kind != "peta":
        return source
    return f"{source}<br>{fmt.t('map_attribution', lang, km2=fmt.number(geo.MIN_ISLAND_KM2, 0, lang))}"


def _colorbar(scale: ColorScale, indicator: Indicator, lang: str, place: dict, px: float) -> dict:
    place = dict(place)
    side = place.pop("side", "top")
    return dict(
        colorscale=scale.colorscale,
        cmin=scale.cmin,
        cmax=scale.cmax,
        colorbar=dict(
            **place,
            thickness=round(px * 0.85),
            outlinewidth=0,
            tickvals=list(scale.tickvals),
            ticktext=list(scale.ticktext),
            tickfont=dict(size=px - 1),
            title=dict(text=indicator.unit(lang), side=side, font=dict(size=px)),
        ),
    )


def _layout(
    shapes: Shapes,
    scale: ColorScale,
    indicator: Indicator,
    lang: str,
    has_missing: bool,
    compact: bool,
    base: dict,
    entries: list,
) -> dict:
    """Plot area = the map, sized to fill a desktop column or a phone's width. Under it, in the
    bottom margin: the colour bar, the no-data legend and (phone) the kota key. Whatever the page
    draws above and below the figure (title, source) is not part of it; a caption the base layout
    still puts under the plot moves below our band."""
    fixed = shapes.kind == "petak" or compact  # zooming equal tiles shows nothing new; a phone pans the page instead
    plot_h = PLOT_HEIGHT[(shapes.kind, compact)]
    px = 11 if compact else 12
    band = 0.0  # px under the plot area taken by the colour bar, legend and key
    ticks_px = px * LINE_EM * (2 if any("<br>" in t for t in scale.ticktext) else 1)
    annotations = list(base.get("annotations", []))
    legend = dict(
        itemclick=False,
        itemdoubleclick=False,
        font=dict(size=px),
        bgcolor="rgba(255,255,255,0.85)",
        orientation="h",
        xanchor="left",
        yanchor="top",
        x=0.0,
    )
    if shapes.kind == "petak" and not compact:
        # the grid's empty top-left (row 0 holds only Madura) holds the colour bar; its bottom-left cell the legend
        place = dict(
            orientation="h", x=0.0, xanchor="left", y=1.0, yanchor="top", len=0.36, lenmode="fraction", side="top"
        )
        legend.update(x=0.0, y=0.0, yanchor="bottom")
    elif compact:
        place = dict(
            orientation="h",
            x=0.0,
            xanchor="left",
            y=-8 / plot_h,
            yanchor="top",
            len=1.0,
            lenmode="fraction",
            side="top",
        )
        band = 8 + px * LINE_EM + px + 4 + ticks_px
        if has_missing:
            legend.update(y=-band / plot_h)
            band += px * LINE_EM + 8
    else:
        place = dict(
            orientation="h",
            x=0.0,
            xanchor="left",
            y=-8 / plot_h,
            yanchor="top",
            len=0.42,
            lenmode="fraction",
            side="top",
        )  # the unit above the bar: beside it, it would meet a tick
        legend.update(x=0.62, y=-(8 + px * LINE_EM) / plot_h)
        band = 8 + px * LINE_EM + px + 4 + ticks_px + 6
    if shapes.kind == "peta" and entries:
        if compact:
            key, height = _compact_key_annotations(entries, band + 4, plot_h, lang, px)
            annotations += key
            band += height + 8
        else:
            annotations += _key_annotations(entries, shapes, px, lang)
    for annotation in annotations:  # a caption under the plot (the base layout's source line) goes below the band
        if (
            annotation.get("yref") == "paper"
            and (annotation.get("y") or 0) < 0
            and annotation.get("name") not in (KEY_NAMES, KEY_VALUES)
        ):
            annotation["yshift"] = (annotation.get("yshift") or 0) - band
    base_margin = base.get("margin", {})
    margin = dict(l=10, r=10, t=base_margin.get("t", 10), b=round(band + base_margin.get("b", 0)))
    y_scale = shapes.y_scale * (COMPACT_TILE_STRETCH if compact and shapes.kind == "petak" else 1.0)
    return dict(
        height=round(plot_h + margin["t"] + margin["b"]),
        margin=margin,
        annotations=annotations,
        hovermode="closest",
        hoverdistance=24,
        showlegend=has_missing,
        legend=legend,
        coloraxis=_colorbar(scale, indicator, lang, place, px),
        # the map hugs the plot area's bottom left (the colour bar's corner); spare room goes right or up
        xaxis=dict(
            visible=False, range=list(shapes.x_range), fixedrange=fixed, constrain="domain", constraintoward="left"
        ),
        yaxis=dict(
            visible=False,
            range=list(shapes.y_range),
            fixedrange=fixed,
            scaleanchor="x",
            scaleratio=y_scale,
            constrain="domain",
            constraintoward="bottom",
        ),
    )


# ---------------------------------------------------------------- the page's region search


def found_regions(table: pd.DataFrame, codes, indicator: Indicator, lang: str = "id") -> list[dict]:
    """For the page's region search: per chosen code (in the order chosen) the name, the value as
    the hover reads it (None without data) and the rank ('Peringkat 3 dari 36')."""
    rows = _rows(table, tuple(region_ref.regions_frame()["kode"]))
    ranked_count = int(rows["peringkat"].notna().sum())
    found = []
    for kode in codes:
        if kode not in rows.index:
            continue
        row = rows.loc[kode]
        has_value = pd.notna(row["nilai"])
        found.append(
            dict(
                kode=kode,
                nama=str(row["nama"]),
                nilai=value_text(row["nilai"], row.get("kualifikasi"), indicator, lang) if has_value else None,
                peringkat=fmt.t("map_rank", lang, rank=int(row["peringkat"]), n=ranked_count)
                if has_value and pd.notna(row["peringkat"])
                else None,
            )
        )
    return found


def selected_region(event) -> str | None:
    """The region code of the first point chosen on a map (Streamlit's selection event), or None."""
    try:
        points = event["selection"]["points"]
    except (KeyError, TypeError):
        return None
    known = {r.kode for r in region_ref.load_regions()}
    for point in points or ():
        code = point.get("customdata") if hasattr(point, "get") else None
        if isinstance(code, (list, tuple)):
            code = code[0] if code else None
        if code is None:
            continue
        try:
            code = str(int(float(code)))
        except (TypeError, ValueError):
            code = str(code)
        if code in known:
            return code
    return None
