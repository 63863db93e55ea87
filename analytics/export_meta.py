"""What every export carries besides its data (ExportMeta), the press sizes, and the dataset and
date lines every image and file prints."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from analytics import fmt

SIZES = {"16:9": (1600, 900), "1:1": (1080, 1080), "4:5": (1080, 1350), "9:16": (1080, 1920)}  # 9:16: stories
IMAGE_FORMATS = ("png", "svg", "pdf")
EXPORT_TEMPLATE = "plotly_white"  # never the session default: importing streamlit makes it placeholder colours


@dataclass(frozen=True)
class ExportMeta:
    """Everything an exported chart or data file must carry besides the data itself."""

    title: str
    subtitle: str  # indicator, year, as-of
    source: str  # the short source line drawn under the chart
    dataset: str  # publikasi | contoh | resmi
    lang: str = "id"
    synthetic: bool = False  # True -> "DATA CONTOH" watermark and label
    indicator_id: str | None = None
    year: int | None = None
    as_of: dt.date | None = None
    notes: tuple[str, ...] = ()  # extra lines drawn under the chart and written in file headers
    sources: tuple[str, ...] = field(default_factory=tuple)  # full citations for data-file headers
    file_stem: str = "grafik"
    exported_on: dt.date | None = None  # None -> today; fixed in tests and reproducible exports

    @property
    def export_date(self) -> dt.date:
        return self.exported_on or dt.date.today()


def dataset_name(meta: ExportMeta) -> str:
    """What every export says about its data; synthetic data says so in words, not only a watermark."""
    if meta.synthetic:
        return fmt.t("export_synthetic", meta.lang)
    return fmt.t(f"dataset_{meta.dataset}", meta.lang)


def dataset_label(meta: ExportMeta) -> str:
    """The caption line: 'Dataset: Publikasi (angka terbit)', or the synthetic-data warning."""
    return dataset_name(meta) if meta.synthetic else fmt.t("export_dataset", meta.lang, dataset=dataset_name(meta))


def export_date_line(meta: ExportMeta) -> str:
    return fmt.t("export_date", meta.lang, date=fmt.date(meta.export_date, meta.lang))


def _size(size: str) -> tuple[int, int]:
    if size not in SIZES:
        raise ValueError(f"unknown export size {size!r}; choose one of {', '.join(SIZES)}")
    return SIZES[size]
