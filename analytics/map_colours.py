"""Map colours (pure): the palettes and fills, the colour scale of one indicator (sequential, or
diverging around a reference value) with its ticks, and the text colour that reads on a fill.

maps builds the figure on them, map_traces fills and labels the regions with them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.colors as pcolors

from analytics import fmt, metrics
from analytics.map_labels import TEXT_DARK
from analytics.metrics import Indicator

# ColorBrewer, colour-blind safe. The palest YlGnBu step is dropped: it vanishes on white paper.
SEQUENTIAL = pcolors.sequential.YlGnBu[1:]
DIVERGING = pcolors.diverging.PuOr  # orange below the reference, purple above, pale grey at it
NO_DATA_FILL = "#E4E7EA"
NO_DATA_HATCH = "#A9B2B9"
BORDER = "#8D979E"
TILE_EDGE = "#C9D0D5"  # tiles near the reference colour are almost white: a faint edge keeps them visible


@dataclass(frozen=True)
class ColorScale:
    colorscale: list
    cmin: float
    cmax: float
    tickvals: tuple[float, ...]
    ticktext: tuple[str, ...]

    def color(self, value: float) -> str:
        share = (value - self.cmin) / (self.cmax - self.cmin)
        return pcolors.sample_colorscale(self.colorscale, [min(1.0, max(0.0, share))])[0]


def _nice_ticks(lo: float, hi: float, count: int = 5) -> np.ndarray:
    """Round tick values (1, 2, 2.5, 5 × 10^k) inside [lo, hi]."""
    span = hi - lo
    base = 10 ** math.floor(math.log10(span / count))
    step = next(m * base for m in (1, 2, 2.5, 5, 10) if span / (m * base) <= count)
    first = math.ceil(lo / step - 1e-9) * step
    return np.arange(first, hi + step * 1e-9, step)


def _tick_label(value: float, indicator: Indicator, step: float, lang: str) -> str:
    """As many decimals as the tick step needs (2,5 → one), formatted like every other value."""
    decimals = next(d for d in range(4) if d == 3 or abs(round(step, d) - step) < 1e-9)
    return fmt.value(value, indicator.satuan, decimals, lang)


def _as_colorscale(palette: list[str]) -> list:
    return [[i / (len(palette) - 1), color] for i, color in enumerate(palette)]


def _truncated(colorscale: list, start: float) -> list:
    """The part of `colorscale` from `start` (0–1) to its end, as a colorscale of its own; the
    original stops are kept, so the reference stays exactly the palette's pale middle."""
    first = pcolors.sample_colorscale(colorscale, [start])[0]
    stops = [[0.0, first]] + [[(pos - start) / (1 - start), color] for pos, color in colorscale if pos > start]
    return stops


def color_scale(indicator: Indicator, values: pd.Series, lang: str = "id") -> ColorScale:
    """Sequential, darker = better (reversed when lower is better); diverging around the reference
    value when the indicator has one (Rp16.800)."""
    values = pd.to_numeric(values, errors="coerce").dropna()
    if indicator.nilai_acuan is not None:
        return _diverging(indicator, values, lang)
    lo, hi = (float(values.min()), float(values.max())) if len(values) else (0.0, 1.0)
    if hi - lo < 1e-9:  # one value (or all equal): give it a visible middle colour
        lo, hi = lo - max(abs(lo) * 0.1, 1.0), hi + max(abs(hi) * 0.1, 1.0)
    palette = SEQUENTIAL if indicator.lebih_tinggi_lebih_baik else SEQUENTIAL[::-1]
    ticks = _nice_ticks(lo, hi)
    step = float(ticks[1] - ticks[0]) if len(ticks) > 1 else 0.0
    return ColorScale(
        _as_colorscale(palette),
        lo,
        hi,
        tuple(float(v) for v in ticks),
        tuple(_tick_label(v, indicator, step, lang) for v in ticks),
    )


def _diverging(indicator: Indicator, values: pd.Series, lang: str) -> ColorScale:
    """Pale at the reference, equally intense for equal deviations either side. The spread is at
    least the flag tolerance, so a tiny deviation is not painted as an extreme one; the scale is
    cut at zero (no negative costs), keeping the colour per rupiah of deviation unchanged."""
    reference = float(indicator.nilai_acuan)
    deviation = float((values - reference).abs().max()) if len(values) else 0.0
    spread = max(deviation, reference * metrics.PREMIUM_TOLERANCE)
    lo, hi = max(0.0, reference - spread), reference + spread
    colorscale = _as_colorscale(DIVERGING)
    if lo > reference - spread:
        colorscale = _truncated(colorscale, (lo - (reference - spread)) / (2 * spread))
    ticks = _nice_ticks(lo, hi)
    step = float(ticks[1] - ticks[0]) if len(ticks) > 1 else 0.0
    ticks = [float(v) for v in ticks if abs(v - reference) > step * 0.75]  # keep clear of the reference label
    labels = [_tick_label(v, indicator, step, lang) for v in ticks]
    reference_label = f"{fmt.value(reference, indicator.satuan, 0, lang)}<br>({fmt.t('map_reference', lang)})"
    return ColorScale(colorscale, lo, hi, tuple(ticks + [reference]), tuple(labels + [reference_label]))


# ---------------------------------------------------------------- text on a fill


def _luminance(color: str) -> float:
    """WCAG relative luminance of an 'rgb(r, g, b)' or '#rrggbb' colour."""
    rgb = pcolors.hex_to_rgb(color) if color.startswith("#") else pcolors.unlabel_rgb(color)
    linear = [(c / 255) / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def label_color(fill: str | None) -> str:
    """White or dark text, whichever contrasts more with the tile (WCAG contrast ratio)."""
    if fill is None:
        return TEXT_DARK
    lum = _luminance(fill)
    on_white = 1.05 / (lum + 0.05)
    on_dark = (lum + 0.05) / (_luminance(TEXT_DARK) + 0.05)
    if max(on_white, on_dark) < 4.5:  # mid-tones: only black reaches the 4.5:1 small text needs (WCAG AA)
        return "black"
    return "white" if on_white > on_dark else TEXT_DARK
