"""Colour-blind safe charts: the colours every chart builder draws, read out of the figures built
from the test store, stay apart under normal vision and simulated deuteranopia and protanopia, and
the map colour scales stay monotone in lightness. No browser.

Simulation: colorspacious' sRGB1+CVD (Machado, Oliveira & Fernandes 2009) at severity 100, i.e.
full dichromacy, the hardest case (the 'anomaly' models at 100 are deuteranopia / protanopia).
Distance: CAM02-UCS ΔE (colorspacious.deltaE; Luo, Cui & Li 2006), where about 1 is a
just-noticeable difference between two large patches side by side. Chart marks are thin lines,
small markers and bar segments matched against a legend elsewhere on the chart, which needs far
more: Szafir (2017, "Modeling Color Difference for Visualization Design") measured the noticeable
difference growing several-fold as marks shrink to line and point size. MIN_DELTA_E = 10 asks for
about ten patch JNDs, a difference that is seen at a glance rather than searched for.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re

import numpy as np
import pandas as pd
import plotly.colors as pcolors
import plotly.graph_objects as go
import pytest
from colorspacious import cspace_convert, deltaE

from analytics import (
    assessment,
    charts,
    compare,
    export,
    map_colours,
    map_shapes,
    maps,
    metrics,
    ranking,
    robustness,
    score_charts,
    scoring,
    series,
    series_charts,
)

MIN_DELTA_E = 10
VISIONS = {
    "normal": None,
    "deuteranopia": {"name": "sRGB1+CVD", "cvd_type": "deuteranomaly", "severity": 100},
    "protanopia": {"name": "sRGB1+CVD", "cvd_type": "protanomaly", "severity": 100},
}
YEAR, AS_OF = 2025, dt.date(2025, 12, 31)
CATALOGUE = metrics.catalogue()
INDICATOR = CATALOGUE["peserta_dbhcht"]
WHITE = np.ones(3)


# ---------------------------------------------------------------- colours


def rgb(colour: str, background: np.ndarray = WHITE) -> np.ndarray:
    """'#rrggbb', 'rgb(…)', 'rgba(…)' (composited over `background`, as drawn) or a name, as sRGB 0–1."""
    colour = colour.strip()
    named = {"white": "#ffffff", "black": "#000000"}
    colour = named.get(colour.lower(), colour)
    if colour.startswith("#"):
        return np.array(pcolors.hex_to_rgb(colour)) / 255
    numbers = [float(v) for v in re.findall(r"[\d.]+", colour)]
    alpha = numbers[3] if len(numbers) == 4 else 1.0
    return alpha * np.array(numbers[:3]) / 255 + (1 - alpha) * background


def seen(colour: str, vision: str) -> np.ndarray:
    value = rgb(colour)
    if VISIONS[vision] is not None:
        value = np.clip(cspace_convert(value, VISIONS[vision], "sRGB1"), 0, 1)
    return value


def distance(a: str, b: str, vision: str) -> float:
    return float(deltaE(seen(a, vision), seen(b, vision), input_space="sRGB1"))


def lightness(colour: str, vision: str) -> float:
    """J' of CAM02-UCS: perceived lightness, comparable across hues."""
    return float(cspace_convert(seen(colour, vision), "sRGB1", "CAM02-UCS")[0])


def too_close(colours, minimum: float = MIN_DELTA_E) -> list[str]:
    out = []
    for vision in VISIONS:
        for a, b in itertools.combinations(dict.fromkeys(colours), 2):
            d = distance(a, b, vision)
            if d < minimum:
                out.append(f"{a} vs {b}: ΔE {d:.1f} ({vision})")
    return out


# ---------------------------------------------------------------- what a figure draws


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)]


def mark_groups(fig: go.Figure) -> dict[tuple, list[str]]:
    """The colours of the data marks per panel and line style: within one group colour alone tells
    the categories apart (a dashed target line is told from a solid region line by its dash, so
    they are separate groups). Map areas (a colour scale), text and invisible hit points are not marks."""
    groups: dict[tuple, list[str]] = {}

    def add(key, colours):
        groups.setdefault(key, []).extend(colours)

    for trace in fig.data:
        panel = (trace.xaxis or "x", trace.yaxis or "y")
        if trace.type == "bar":
            add((*panel, "solid"), _as_list(trace.marker.color))
        elif trace.type == "scatter":
            mode = trace.mode or ""
            if trace.fill == "toself" or trace.marker.opacity == 0 or mode == "text":
                continue
            if "lines" in mode:
                add((*panel, trace.line.dash or "solid"), _as_list(trace.line.color))
            elif "markers" in mode:
                add((*panel, "solid"), _as_list(trace.marker.color))
    for shape in fig.layout.shapes or ():
        if shape.type == "line" and shape.line.color:
            add(("x", "y", shape.line.dash or "solid"), [shape.line.color])
    return {key: list(dict.fromkeys(colours)) for key, colours in groups.items() if colours}


def scale_colours(fig: go.Figure, samples: int = 21) -> list[str]:
    scale = fig.layout.coloraxis.colorscale
    assert scale, "the map has no colour scale"
    return pcolors.sample_colorscale([[s[0], s[1]] for s in scale], list(np.linspace(0, 1, samples)))


# ---------------------------------------------------------------- the figures, as the pages build them


def ranked(tables, dataset: str, indicator_id: str) -> pd.DataFrame:
    data = tables[dataset]
    return ranking.with_sources(ranking.ranking(data, indicator_id, YEAR, AS_OF), data["sumber"])


def ranking_figures(tables) -> dict[str, go.Figure]:
    out = {}
    for dataset, indicator_id in (("publikasi", "peserta_dbhcht"), ("contoh", "biaya_per_peserta_bulan")):
        table = ranking.split_ranked(ranked(tables, dataset, indicator_id))[0]
        indicator = CATALOGUE[indicator_id]
        highlight = tuple(table["kode"].head(2))  # as the ranking page highlights flagged regions
        out[f"ranking {dataset} {indicator_id}"] = charts.ranking_bar(
            table, indicator, title="t", subtitle="s", source="src", synthetic=dataset == "contoh", highlight=highlight
        )
    return out


def trend_figures(tables) -> dict[str, go.Figure]:
    data = tables["contoh"]
    years = tuple(series.budget_years(data, AS_OF))
    codes = list(ranking.split_ranked(ranked(tables, "contoh", INDICATOR.id))[0]["kode"].head(8))  # the page's maximum
    names = {kode: kode for kode in codes}
    months = series.monthly_enrolment(data["kepesertaan"], years, AS_OF)
    province = series.province_rows(series.monthly_total(months), "Jatim", "tanggal", count_note="n")
    eight = pd.concat([series.region_rows(months, codes, names, "tanggal"), province], ignore_index=True)
    targets = series.target_step_rows(
        series.targets(data["kepesertaan"], codes[0], years, AS_OF),
        {k: k for k in ("target_murni", "target_pak", "target", "rencana")},
    )
    one = pd.concat([series.region_rows(months, codes[:1], names, "tanggal"), targets, province], ignore_index=True)
    out = {}
    for name, frame in (("trend 8 regions", eight), ("trend 1 region + targets", one)):
        frame = frame.assign(sumber=None)
        out[name] = series_charts.trend_chart(
            frame, INDICATOR, title="t", subtitle="s", source="src", synthetic=True, province_title="Jatim"
        )
        out[name + " (points)"] = series_charts.trend_chart(
            frame, INDICATOR, title="t", subtitle="s", source="src", connect=False, province_title="Jatim"
        )
    return out


def comparison_figures(tables) -> dict[str, go.Figure]:
    codes = list(ranking.split_ranked(ranked(tables, "contoh", INDICATOR.id))[0]["kode"].head(6))
    comparison = compare.comparison({i: ranked(tables, "contoh", i) for i in CATALOGUE}, codes)
    profile = pd.DataFrame(
        {
            "indikator": ["peserta_dbhcht"] * 3,
            "tahun": [2023, 2024, 2025],
            "nilai": [9000.0, 12000.0, 15000.0],
            "kualifikasi": [None] * 3,
        }
    )
    categories = pd.DataFrame(
        {"kategori": ["Petani tembakau", "Buruh pabrik rokok", "Lainnya"], "peserta": [1200, 3400, 800]}
    )
    return {
        "comparison": series_charts.comparison_bars(comparison, CATALOGUE, title="t", subtitle="s", source="src"),
        "profile multiples": series_charts.indicator_multiples(
            profile, {"peserta_dbhcht": INDICATOR}, title="t", subtitle="s", source="src"
        ),
        "categories": series_charts.category_bars(categories, title="t", subtitle="s", source="src"),
    }


@pytest.fixture(scope="module")
def assessed(store_tables):
    return assessment.assess(
        store_tables["contoh"],
        scoring.load_scheme(scoring.DEFAULT_SCHEME),
        YEAR,
        AS_OF,
        robustness.Settings(draws=200),
        "contoh",
    )


def score_figures(a) -> dict[str, go.Figure]:
    stats = a.uncertainty.regions
    ranks = stats.loc[stats["peringkat"].notna()].rename(
        columns={"peringkat": "nominal", "peringkat_median": "median", "peringkat_p5": "p5", "peringkat_p95": "p95"}
    )
    labels = {c.id: c.title("id") for c in a.scheme.criteria}
    base = dict(title="t", subtitle="s", source="src", synthetic=True)
    return {
        "contributions": score_charts.contribution_bars(a.result, **base),
        "uncertainty": score_charts.uncertainty_plot(ranks, **base),
        "sensitivity": score_charts.sensitivity_bars(a.sensitivity.indices, labels, **base),
    }


LOWER_IS_BETTER = dataclasses.replace(
    INDICATOR, lebih_tinggi_lebih_baik=False
)  # no such indicator yet; the scale is ready


def map_figures(tables) -> dict[str, go.Figure]:
    out = {}
    for kind in ("peta", "petak"):
        shapes = map_shapes.shapes_for(kind)
        for indicator in (INDICATOR, LOWER_IS_BETTER, CATALOGUE["biaya_per_peserta_bulan"]):
            table = ranked(tables, "contoh", indicator.id)
            fig = maps.map_figure(
                table,
                indicator,
                shapes,
                title="t",
                subtitle="s",
                source="src",
                synthetic=True,
                highlight=tuple(table["kode"].head(1)),
            )
            name = f"map {kind} {indicator.id}{' (lower is better)' if indicator is LOWER_IS_BETTER else ''}"
            out[name] = fig
            meta = export.ExportMeta(
                title="t",
                subtitle="s",
                source="src",
                dataset="contoh",
                synthetic=True,
                indicator_id=indicator.id,
                year=YEAR,
                as_of=AS_OF,
            )
            out[name + " press 9:16"] = export.press_figure(fig, meta, "9:16")
    return out


@pytest.fixture(scope="module")
def figures(store_tables, assessed) -> dict[str, go.Figure]:
    return (
        ranking_figures(store_tables)
        | trend_figures(store_tables)
        | comparison_figures(store_tables)
        | score_figures(assessed)
    )


@pytest.fixture(scope="module")
def map_figs(store_tables) -> dict[str, go.Figure]:
    return map_figures(store_tables)


# ---------------------------------------------------------------- categorical colours


def test_the_simulation_catches_the_pairs_the_old_trend_palette_had():
    """Sanity check of the set-up, on the pairs that made PALETTE change (December 2026): red and
    olive, apart in normal vision, merge for a deutan; blue and purple merge for a protan."""
    assert distance("#B3261E", "#7A6C00", "normal") > 30 and distance("#B3261E", "#7A6C00", "deuteranopia") < 5
    assert distance("#3A5BA0", "#8E3B8E", "normal") > 30 and distance("#3A5BA0", "#8E3B8E", "protanopia") < 6
    assert distance("#D62728", "#2CA02C", "deuteranopia") < 6  # the textbook red–green pair


def test_the_figures_use_the_palettes_they_are_checked_against(figures):
    """The reading of the figures works: the 8-region trend shows all of PALETTE, the contribution
    chart one criterion colour per weighted criterion."""
    lines = mark_groups(figures["trend 8 regions"])[("x", "y", "solid")]
    assert lines == series_charts.PALETTE
    weighted = sum(c.weight > 0 for c in scoring.load_scheme(scoring.DEFAULT_SCHEME).criteria)
    assert mark_groups(figures["contributions"])[("x", "y", "solid")] == score_charts.CRITERION_COLOURS[:weighted]


def test_colours_that_tell_categories_apart_stay_apart_for_colour_blind_readers(figures):
    failures = [
        f"{name} {key}: {pair}"
        for name, fig in figures.items()
        for key, colours in mark_groups(fig).items()
        for pair in too_close(colours)
    ]
    assert not failures, "\n".join(failures)


def test_every_mark_stands_out_from_the_white_page(figures):
    """A pale mark (the uncertainty band, the total-effect bar) must not vanish for anyone."""
    failures = [
        f"{name}: {colour} vs white ΔE {distance(colour, 'white', vision):.1f} ({vision})"
        for name, fig in figures.items()
        for colours in mark_groups(fig).values()
        for colour in colours
        for vision in VISIONS
        if distance(colour, "white", vision) < MIN_DELTA_E
    ]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("palette", ["PALETTE", "CRITERION_COLOURS"])
def test_whole_palettes_stay_apart_even_beyond_what_the_shipped_data_shows(palette):
    """Tren allows 8 regions (all of PALETTE); a scheme file may hold up to 10 criteria before colours repeat."""
    colours = series_charts.PALETTE if palette == "PALETTE" else score_charts.CRITERION_COLOURS
    assert len(colours) == len(set(colours)) and not too_close(colours)


def test_house_colours_stay_apart():
    """Bars, the highlighted bar, the reference line and the muted series, wherever they meet."""
    assert not too_close([charts.COLOR_BAR, charts.COLOR_HIGHLIGHT, charts.COLOR_REFERENCE, charts.COLOR_MUTED])


# ---------------------------------------------------------------- map scales


def _monotone(values: list[float]) -> bool:
    steps = np.diff(values)
    return bool((steps > 0).all() or (steps < 0).all())


def test_map_figures_carry_their_scale(map_figs):
    for name, fig in map_figs.items():
        fills = {t.fillcolor for t in fig.data if t.type == "scatter" and t.fill == "toself" and t.fillcolor}
        assert len(fills) >= 2, name  # the regions are painted from the scale
        assert fig.layout.coloraxis.colorscale, name


@pytest.mark.parametrize("vision", list(VISIONS))
def test_sequential_map_scales_are_monotone_in_lightness(map_figs, vision):
    """Darker = more (or better) for every reader: the scale never turns back in lightness."""
    for name, fig in map_figs.items():
        if "biaya" in name:
            continue
        light = [lightness(c, vision) for c in scale_colours(fig)]
        assert _monotone(light), f"{name}: {[round(v, 1) for v in light]}"
        assert abs(light[0] - light[-1]) >= 3 * MIN_DELTA_E, name  # the ends are far apart, not merely ordered


@pytest.mark.parametrize("vision", list(VISIONS))
def test_diverging_map_scales_lighten_towards_the_reference_from_both_sides(map_figs, vision):
    """Rp16.800: pale at the reference, each side darker the further it is off, for every reader."""
    for name, fig in map_figs.items():
        if "biaya" not in name:
            continue
        axis = fig.layout.coloraxis
        reference = (CATALOGUE["biaya_per_peserta_bulan"].nilai_acuan - axis.cmin) / (axis.cmax - axis.cmin)
        stops = [[s[0], s[1]] for s in axis.colorscale]
        below = pcolors.sample_colorscale(stops, list(np.linspace(0, reference, 11)))
        above = pcolors.sample_colorscale(stops, list(np.linspace(reference, 1, 11)))
        for side, colours in (("below", below), ("above", above)):
            light = [lightness(c, vision) for c in colours]
            if side == "above":
                light = light[::-1]
            assert _monotone(light) and light[-1] > light[0], f"{name} {side}: {[round(v, 1) for v in light]}"


def test_labels_on_map_tiles_are_readable_on_every_colour_of_the_scale(map_figs):
    """White or dark text, whichever the fill allows: at least 4.5:1 (WCAG AA) on every fill."""

    def contrast(a: str, b: str) -> float:
        high, low = sorted([map_colours._luminance(a), map_colours._luminance(b)], reverse=True)
        return (high + 0.05) / (low + 0.05)

    failures = []
    for name, fig in map_figs.items():
        for fill in scale_colours(fig, 41):
            text = map_colours.label_color(fill)
            text = {"white": "#ffffff", "black": "#000000"}.get(text, text)
            if contrast(fill, text) < 4.5:
                failures.append(f"{name}: {text} on {fill} {contrast(fill, text):.2f}:1")
    assert not failures, "\n".join(failures[:20])


def test_regions_without_data_are_hatched_not_only_grey(map_figs):
    """The no-data grey is close to the scales' pale ends (the diverging scale's middle is a pale
    grey too), so colour alone cannot say 'no data': those areas carry a hatch and a legend entry."""
    no_data = map_colours.NO_DATA_FILL
    assert min(distance(no_data, "rgb(235, 235, 242)", v) for v in VISIONS) < MIN_DELTA_E  # why the hatch
    seen_missing = 0
    for name, fig in map_figs.items():
        missing = [t for t in fig.data if t.type == "scatter" and t.fill == "toself" and t.fillcolor == no_data]
        seen_missing += len(missing)
        assert all(t.fillpattern.shape for t in missing), name
        assert not missing or any(t.showlegend for t in missing), name
    assert seen_missing, "no map of the test store has a region without data: the check checked nothing"
