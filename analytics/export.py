"""Exports: press-ready static images (kaleido + Chromium) and data files of exactly what is shown."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ExportMeta:
    """Everything an exported chart or data file must carry besides the data itself."""
    title: str
    subtitle: str                 # indicator, year, as-of
    source: str                   # the short source line drawn under the chart
    dataset: str                  # publikasi | contoh | resmi
    lang: str = "id"
    synthetic: bool = False       # True -> "DATA CONTOH" watermark and label
    indicator_id: str | None = None
    year: int | None = None
    as_of: dt.date | None = None
    notes: tuple[str, ...] = ()   # extra lines drawn under the chart and written in file headers
    sources: tuple[str, ...] = field(default_factory=tuple)  # full citations for data-file headers
    file_stem: str = "grafik"
