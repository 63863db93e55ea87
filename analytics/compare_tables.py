"""Bandingkan's tables as the page shows them, in the reader's language: the side-by-side table
(indicators down, regions across) and the frame its export panel writes. analytics.compare finds
the ranks; this module words them. Pure pandas, no Streamlit: the page passes `figure_text`, a
region's value as every table prints it (views/_tables.figure_text)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from analytics import fmt, metrics, regions

FigureText = Callable[[dict, metrics.Indicator, str], str]
EXPORT_COLUMNS = [
    "indikator",
    "judul",
    "kode",
    "nama",
    "jenis",
    "nilai",
    "kualifikasi",
    "peringkat",
    "jumlah_berperingkat",
    "peringkat_jenis",
    "jumlah_jenis",
    "tanggal_data",
    "catatan",
    "sumber",
    "url",
]


def cell(row, catalogue: dict[str, metrics.Indicator], lang: str, figure_text: FigureText) -> str:
    """'value · #rank · kab. #rank', or 'no data'."""
    indicator = catalogue[row["indikator"]]
    if pd.isna(row["nilai"]):
        return fmt.t("no_data", lang)
    text = figure_text(row, indicator, lang)
    kind = fmt.t(f"short_{row['jenis']}", lang)  # 'kab.' / 'kota' (id), 'reg.' / 'city' (en)
    return f"{text} · #{int(row['peringkat'])} · {kind} #{int(row['peringkat_jenis'])}"


def side_by_side(
    comparison: pd.DataFrame,
    codes: list[str],
    catalogue: dict[str, metrics.Indicator],
    lang: str,
    figure_text: FigureText,
) -> pd.DataFrame:
    """Indicators down, regions across, each cell 'value · #rank · kab. #rank'."""
    table = comparison.assign(teks=[cell(r, catalogue, lang, figure_text) for r in comparison.to_dict("records")])
    wide = table.pivot(index="indikator", columns="kode", values="teks").reindex(index=list(catalogue), columns=codes)
    counts = table.drop_duplicates("indikator").set_index("indikator")["jumlah_berperingkat"].reindex(list(catalogue))
    out = pd.DataFrame(
        {
            fmt.t("indicator", lang): [catalogue[i].title(lang) for i in wide.index],
            fmt.t("bandingkan_ranked", lang): [f"{int(n)}/38" for n in counts],
        }
    )
    for kode in codes:
        out[regions.region_by_code(kode).nama] = wide[kode].to_numpy()
    return out


def export_frame(comparison: pd.DataFrame, catalogue: dict[str, metrics.Indicator], lang: str) -> pd.DataFrame:
    """The comparison as its export panel writes it: one row per indicator and region, dated ISO."""
    out = comparison.assign(
        judul=comparison["indikator"].map(lambda i: catalogue[i].title(lang)),
        tanggal_data=pd.to_datetime(comparison["tanggal_data"]).dt.strftime("%Y-%m-%d"),
    )
    return out[EXPORT_COLUMNS]
