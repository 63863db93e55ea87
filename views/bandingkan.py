"""Bandingkan: 2–6 regions side by side on every indicator (value, rank among 38 and within type),
a small chart per indicator, and suggested peers for the first region."""

import pandas as pd
import streamlit as st

from analytics import compare, fmt, geo, metrics, ranking, regions, series, series_charts
from analytics.export import ExportMeta
from views import _export_ui, _state, _ui
from views._export_ui import export_panel

MAX_REGIONS = 6
KEY = "bandingkan_wilayah"

view: _ui.View = st.session_state["view"]
lang = view.lang
catalogue = metrics.catalogue()


def tx(key: str, **kwargs) -> str:
    return fmt.t(key, lang, **kwargs)


def default_regions() -> list[str]:
    ranked, _ = ranking.split_ranked(_ui.ranking_table(view, "peserta_dbhcht"))
    top = list(ranked["kode"].head(3))
    return top if len(top) >= 2 else ["3513", "3574"]


def add_region(kode: str) -> None:
    """Button callback: runs before the rerun, so the multiselect may still be changed."""
    key = _state.widget_key(KEY)
    chosen = list(st.session_state.get(key) or [])
    if kode not in chosen and len(chosen) < MAX_REGIONS:
        st.session_state[key] = [*chosen, kode]


# ---------------------------------------------------------------- table and chart


def cell(row) -> str:
    indicator = catalogue[row["indikator"]]
    if pd.isna(row["nilai"]):
        return tx("no_data")
    text = _ui.figure_text(row, indicator, lang)
    kind = tx(f"short_{row['jenis']}")  # 'kab.' / 'kota' (id), 'reg.' / 'city' (en)
    return f"{text} · #{int(row['peringkat'])} · {kind} #{int(row['peringkat_jenis'])}"


def side_by_side(comparison: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Indicators down, regions across, each cell 'value · #rank · kab. #rank'."""
    table = comparison.assign(teks=[cell(r) for r in comparison.to_dict("records")])
    wide = table.pivot(index="indikator", columns="kode", values="teks").reindex(index=list(catalogue), columns=codes)
    counts = table.drop_duplicates("indikator").set_index("indikator")["jumlah_berperingkat"].reindex(list(catalogue))
    out = pd.DataFrame(
        {
            fmt.t("indicator", lang): [catalogue[i].title(lang) for i in wide.index],
            tx("bandingkan_ranked"): [f"{int(n)}/38" for n in counts],
        }
    )
    for kode in codes:
        out[_ui.region_name(kode)] = wide[kode].to_numpy()
    return out


def export_frame(comparison: pd.DataFrame) -> pd.DataFrame:
    out = comparison.assign(
        judul=comparison["indikator"].map(lambda i: catalogue[i].title(lang)),
        tanggal_data=pd.to_datetime(comparison["tanggal_data"]).dt.strftime("%Y-%m-%d"),
    )
    columns = [
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
    return out[columns]


def comparison_chart(comparison: pd.DataFrame, codes: list[str]) -> None:
    title = tx("bandingkan_title", n=len(codes))
    subtitle = _ui.subtitle(view)
    source = _ui.source_line(comparison, view)
    notes = (tx("bandingkan_chart_note"),)
    fig = _ui.memo_figure(
        ("bandingkan", title, subtitle, source, lang, view.synthetic, _ui.frame_key(comparison)),
        lambda: series_charts.comparison_bars(
            comparison, catalogue, title=title, subtitle=subtitle, source=source, lang=lang, synthetic=view.synthetic
        ),
    )
    stem = _ui.file_stem(view, "bandingkan", *codes)
    key = (lang, view.synthetic, _ui.frame_key(comparison))
    panel_px = 80 + 30 * len(codes)
    _ui.show_grid(
        "bandingkan",
        key,
        list(catalogue),
        lambda ind: series_charts.as_panel(
            series_charts.comparison_bars(
                comparison,
                {ind: catalogue[ind]},
                title="",
                subtitle="",
                source="",
                lang=lang,
                synthetic=view.synthetic,
                columns=1,
            ),
            panel_px,
            view.synthetic,
            lang,
        ),
        stem,
        title=title,
        subtitle=subtitle,
        source=source,
        notes=notes,
        panel_px=panel_px,
    )
    data = export_frame(comparison)
    export_panel(
        fig,
        data,
        ExportMeta(
            title=title,
            subtitle=subtitle,
            source=source,
            dataset=view.dataset,
            lang=lang,
            synthetic=view.synthetic,
            year=view.year,
            as_of=view.as_of,
            notes=notes,
            sources=_export_ui.citations(data),
            file_stem=stem,
        ),
        key="bandingkan_export",
        embed="bandingkan",
    )


# ---------------------------------------------------------------- peers


def population() -> pd.Series:
    """Population of the view's dataset; an empty dataset borrows the published (Dukcapil) counts."""
    pop = compare.population(_ui.tables(view.dataset)["denominator"], view.year)
    return pop if len(pop) else compare.population(_ui.tables("publikasi")["denominator"], view.year)


def peer_buttons(peers: pd.DataFrame, label: str, full: bool) -> None:
    if peers.empty:
        return
    st.caption(label)
    with st.container(horizontal=True, gap="small"):
        for row in peers.itertuples():
            help_text = (
                tx("bandingkan_population_help", n=fmt.number(row.penduduk, 0, lang))
                if pd.notna(row.penduduk)
                else None
            )
            st.button(
                row.nama, key=f"peer_{row.kode}", on_click=add_region, args=(row.kode,), disabled=full, help=help_text
            )


def suggestions(first: str, chosen: list[str]) -> None:
    st.subheader(tx("bandingkan_peers", region=_ui.region_name(first)))
    neighbour_map = geo.neighbours()
    peers = compare.suggest_peers(first, population(), neighbour_map, exclude=chosen)
    full = len(chosen) >= MAX_REGIONS
    if full:
        st.caption(tx("bandingkan_full"))
    if not neighbour_map:
        st.caption(tx("bandingkan_no_neighbours"))
    peer_buttons(peers.loc[peers["alasan"] == "tetangga"], tx("bandingkan_neighbours"), full)
    jenis = fmt.t("jenis_" + regions.region_by_code(first).jenis, lang).lower()
    peer_buttons(peers.loc[peers["alasan"] == "penduduk_mirip"], tx("bandingkan_population", jenis=jenis), full)


# ---------------------------------------------------------------- page

st.title(fmt.t("page_bandingkan", lang))
_ui.dataset_banner(view)
data = _ui.tables(view.dataset)
has_data = series.has_data(data)
if not has_data:
    st.info(_ui.empty_dataset_message(view), icon="ℹ️")

codes = _ui.bound_regions(st, tx("bandingkan_regions"), KEY, default_regions(), max_selections=MAX_REGIONS)
if len(codes) < 2:
    st.info(tx("bandingkan_need_two"), icon="ℹ️")
elif has_data:
    comparison = compare.comparison({i: _ui.ranking_table(view, i) for i in catalogue}, codes)
    _ui.wide_table(side_by_side(comparison, codes), "bandingkan_table", lang)
    st.caption(tx("bandingkan_table_caption"))
    comparison_chart(comparison, codes)
if codes:
    suggestions(codes[0], codes)
