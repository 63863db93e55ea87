"""The press kit: one ZIP with everything a press officer takes from one chart.

- the image in every press size as PNG (16:9 1600x900, 1:1 1080x1080, 4:5 1080x1350, 9:16
  1080x1920 for stories), and the 16:9 image as SVG and PDF for print and layout programs;
- the data exactly as shown: CSV with its datapackage.json, and XLSX;
- keterangan.txt: a ready-to-paste caption in the chart's language, with the as-of date, the
  sources with their URLs and the chart's notes (analytics/captions.py, rules in data/keterangan.toml);
- alt-text.txt: the image described for screen readers.

Every image comes from export.press_figure, laid out to be read on a phone at every size, so each
carries its title, source block and, on synthetic data, the watermark; where the source list or
the notes do not fit, the image names keterangan.txt instead.
"""

from __future__ import annotations

import pandas as pd

from analytics import captions, export
from analytics.export import ExportMeta

PNG_SIZES = ("16:9", "1:1", "4:5", "9:16")
VECTOR_SIZE = "16:9"
CAPTION_FILE, ALT_FILE = "keterangan.txt", "alt-text.txt"


def file_name(meta: ExportMeta) -> str:
    return f"{meta.file_stem}_paket_pers.zip"


def entries(fig, data: pd.DataFrame, meta: ExportMeta) -> list[tuple[str, bytes]]:
    """(file name, bytes) of every file in the kit, in the order they are listed above."""
    stem = meta.file_stem
    laid_out = {size: _press(fig, meta, size) for size in PNG_SIZES}  # the 16:9 one serves PNG, SVG and PDF
    out = [
        (f"{stem}_{size.replace(':', 'x')}.png", export.image_bytes(laid_out[size], "png", size)) for size in PNG_SIZES
    ]
    out += [
        (f"{stem}_{VECTOR_SIZE.replace(':', 'x')}.{kind}", export.image_bytes(laid_out[VECTOR_SIZE], kind, VECTOR_SIZE))
        for kind in ("svg", "pdf")
    ]
    csv_file = export.csv_bytes(data, meta)
    out += [
        (f"{stem}.csv", csv_file),
        (export.PACKAGE_FILE, export.datapackage_bytes(data, meta, csv_file)),
        (f"{stem}.xlsx", export.xlsx_bytes(data, meta)),
        (CAPTION_FILE, captions.caption_file(data, meta).encode("utf-8")),
        (ALT_FILE, captions.alt_text(fig, data, meta).encode("utf-8")),
    ]
    return out


def zip_bytes(fig, data: pd.DataFrame, meta: ExportMeta) -> bytes:
    return export.zip_archive(entries(fig, data, meta), meta.export_date)


def _press(fig, meta: ExportMeta, size: str):
    """Laid out for a phone; what the image has no room for (the full source list, notes that do
    not fit) it points to in keterangan.txt, which the kit carries."""
    return export.press_figure(fig, meta, size, caption_file=CAPTION_FILE)
