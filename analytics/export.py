"""Exports: press-ready static images and data files of exactly what is shown — the one name the
pages, the press kit, the printed documents and the command line use.

Its modules do the work; this one gathers their public names:
- press_layout: a page's figure laid out as a press image (title, caption block, watermark; every
  text legible on a phone, or at print size for the A4 documents), with press_type (the sizes of
  text by role, measuring and wrapping it, the title and footer lines) and press_panels (fitting
  subplots and small-multiple grids);
- image_server: kaleido's one persistent headless Chromium that renders PNG, SVG and PDF;
- data_files: the plain CSV, the CSV + Frictionless datapackage.json ZIP and the XLSX, none of
  which lets a spreadsheet run a cell as a formula.
What every export carries besides its data (ExportMeta) and the press sizes are in export_meta.
"""

from analytics.data_files import (
    CSV_DIALECT,
    CSV_ENCODING,
    FORMULA_START,
    LICENCE_ID,
    PACKAGE_FILE,
    csv_bytes,
    datapackage,
    datapackage_bytes,
    file_table,
    is_formula_like,
    licence_text,
    metadata_rows,
    neutralise,
    plain_value,
    sources,
    xlsx_bytes,
    zip_archive,
    zip_bytes,
)
from analytics.export_meta import (
    EXPORT_TEMPLATE,
    IMAGE_FORMATS,
    SIZES,
    ExportMeta,
    dataset_label,
    dataset_name,
    export_date_line,
)
from analytics.image_server import IMAGE_SERVER, image_bytes, stop_image_server
from analytics.press_layout import press_figure
from analytics.press_panels import MIN_PANEL_CSS
from analytics.press_type import (
    LINE,
    PHONE_FOOTER_LINES,
    PHONE_MIN_PX,
    PHONE_WIDTH,
    ROW_EM,
    SOURCE_LINES,
    TYPE,
    footer_lines,
    phone_px,
    press_type,
)

__all__ = [
    "CSV_DIALECT",
    "CSV_ENCODING",
    "EXPORT_TEMPLATE",
    "FORMULA_START",
    "IMAGE_FORMATS",
    "IMAGE_SERVER",
    "LICENCE_ID",
    "LINE",
    "MIN_PANEL_CSS",
    "PACKAGE_FILE",
    "PHONE_FOOTER_LINES",
    "PHONE_MIN_PX",
    "PHONE_WIDTH",
    "ROW_EM",
    "SIZES",
    "SOURCE_LINES",
    "TYPE",
    "ExportMeta",
    "csv_bytes",
    "dataset_label",
    "dataset_name",
    "datapackage",
    "datapackage_bytes",
    "export_date_line",
    "file_table",
    "footer_lines",
    "image_bytes",
    "is_formula_like",
    "licence_text",
    "metadata_rows",
    "neutralise",
    "phone_px",
    "plain_value",
    "press_figure",
    "press_type",
    "sources",
    "stop_image_server",
    "xlsx_bytes",
    "zip_archive",
    "zip_bytes",
]
