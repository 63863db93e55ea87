"""The export panel shown under every chart: images (PNG/SVG/PDF) and data (CSV, ZIP = CSV +
datapackage.json, XLSX), the press kit (every size, the data, a caption and an alt text) and the
'Sematkan' (embed) snippet; the printed reports' buttons."""

from __future__ import annotations

import html
from functools import partial

import pandas as pd
import streamlit as st

from analytics import captions, export, fmt, press_kit, report_pages, reports
from analytics.export import ExportMeta
from views import _embed, _memo

MIME = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "csv": "text/csv",
    "zip": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# data files: (extension, builder, help text key); the ZIP holds the CSV and its datapackage.json
DATA_FILES = (
    ("csv", export.csv_bytes, "export_csv_help"),
    ("zip", export.zip_bytes, "export_zip_help"),
    ("xlsx", export.xlsx_bytes, "export_data_help"),
)


def _t(key: str, lang: str) -> str:
    return fmt.t(key, lang)  # module-level fmt: export_panel's loop variable `fmt` is an image format


def _press_image(fig, meta: ExportMeta, size: str, fmt: str) -> bytes:
    """Runs on click, on Streamlit's download thread, so reruns never wait for Chromium."""
    return export.image_bytes(export.press_figure(fig, meta, size), fmt, size)


def file_name(meta: ExportMeta, extension: str, size: str | None = None) -> str:
    size_part = f"_{size.replace(':', 'x')}" if size else ""
    return f"{meta.file_stem}{size_part}.{extension}"


def view_meta(
    view, cited: pd.DataFrame, *, title: str, subtitle: str, source: str, file_stem: str, notes=(), indicator_id=None
) -> ExportMeta:
    """A chart's export metadata in `view` (a views._ui.View: dataset, language, year, as-of date),
    with the full citations of the rows in `cited`."""
    return ExportMeta(
        title=title,
        subtitle=subtitle,
        source=source,
        dataset=view.dataset,
        lang=view.lang,
        synthetic=view.synthetic,
        indicator_id=indicator_id,
        year=view.year,
        as_of=view.as_of,
        notes=tuple(notes),
        sources=citations(cited),
        file_stem=file_stem,
    )


def citations(frame: pd.DataFrame) -> tuple[str, ...]:
    """The distinct full citations behind the rows shown, in order of first use (the data files' sources)."""
    cells = frame["sumber"].fillna("") if "sumber" in frame else []
    return tuple(dict.fromkeys(part.strip() for cell in cells for part in cell.split(" | ") if part.strip()))


def export_panel(fig, data: pd.DataFrame, meta: ExportMeta, key: str, embed: str | None = None) -> None:
    """Size choice and download buttons for the chart `fig` and the exact frame `data` it shows;
    the 'Sematkan' snippet for the chart drawn as block `embed` (its show_chart key), into which the
    chart's text alternative goes, so it stays with the chart when embedded.

    on_click="ignore": a download never reruns the page, so the view and scroll position stay.
    """
    lang = meta.lang
    alt = _memo.alt_text(fig, meta, lambda: captions.alt_text(fig, data, meta))
    block = _embed.container(embed)
    if block is not None:
        with block:
            text_alternative(alt)
    if _embed.active():  # embedded: the chart alone, no downloads
        return
    with st.container(horizontal=True, vertical_alignment="bottom", gap="small", key=f"{key}_export"):
        size = (
            st.segmented_control(
                _t("export_size", lang),
                list(export.SIZES),
                default="16:9",
                required=True,
                key=f"{key}_size",
                help=_t("export_size_help", lang),
            )
            or "16:9"
        )
        for fmt in export.IMAGE_FORMATS:
            st.download_button(
                fmt.upper(),
                partial(_press_image, fig, meta, size, fmt),
                file_name=file_name(meta, fmt, size),
                mime=MIME[fmt],
                on_click="ignore",
                key=f"{key}_{fmt}",
                help=_t("export_image_help", lang),
            )
        for extension, build, help_key in DATA_FILES:
            st.download_button(
                extension.upper(),
                partial(build, data, meta),
                file_name=file_name(meta, extension),
                mime=MIME[extension],
                on_click="ignore",
                key=f"{key}_{extension}",
                help=_t(help_key, lang),
            )
        st.download_button(
            _t("export_press_kit", lang),
            partial(press_kit.zip_bytes, fig, data, meta),
            file_name=press_kit.file_name(meta),
            mime=MIME["zip"],
            on_click="ignore",
            key=f"{key}_press_kit",
            help=_t("export_press_kit_help", lang),
            icon=":material/folder_zip:",
        )
        if block is not None:
            _embed.popover(embed, meta.title, lang)
        else:
            text_alternative(alt)


# Read by screen readers, not drawn: the usual visually-hidden pattern (a 1 px clipped box).
_HIDDEN = (
    "position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;"
    "clip:rect(0,0,0,0);white-space:nowrap;border:0"
)


def text_alternative(text: str) -> None:
    """The chart described in words (the press kit's alt-text.txt), for screen readers."""
    st.html(f'<p class="jamsos-alt-text" style="{_HIDDEN}">{html.escape(text)}</p>')


# ---------------------------------------------------------------- printed reports


def report_download(kind: str, ctx: reports.Context, subject: str, key: str) -> None:
    """'Laporan wilayah (PDF)' / 'Laporan provinsi (PDF)': built and printed only when clicked, on
    the download thread (pure analytics, no st.* call), so the page never waits for Chromium."""
    lang = ctx.lang
    if _embed.active():  # embedded: the chart alone
        return
    st.download_button(
        _t(f"report_{kind}_button", lang),
        partial(_report_pdf, kind, ctx, subject),
        file_name=reports.file_name(kind, ctx, subject),
        mime=MIME["pdf"],
        on_click="ignore",
        key=key,
        help=_t(f"report_{kind}_help", lang),
        icon=":material/print:",
    )


def _report_pdf(kind: str, ctx: reports.Context, subject: str) -> bytes:
    made = reports.region_report(ctx, subject) if kind == "wilayah" else reports.province_report(ctx, subject)
    return report_pages.pdf_bytes(made)
