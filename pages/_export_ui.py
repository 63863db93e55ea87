"""The export panel shown beside every chart: images (PNG/SVG/PDF) and data (CSV/XLSX)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.export import ExportMeta


def export_panel(fig, data: pd.DataFrame, meta: ExportMeta, key: str) -> None:
    """Download buttons for the chart `fig` and the exact frame `data` it shows (no page reset)."""
    csv = data.to_csv(index=False, lineterminator="\n").encode("utf-8")
    st.download_button("CSV", csv, file_name=f"{meta.file_stem}.csv", mime="text/csv", on_click="ignore",
                       key=f"{key}_csv")
