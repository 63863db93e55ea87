"""Peta: the 38 kab/kota coloured by one indicator, on real boundaries or equal tiles; a click opens the profile."""
import streamlit as st

from analytics import fmt, maps, metrics, ranking
from views import _ui

# Page text. TODO(teks.toml): move these keys into data/teks.toml; fmt.t wins once they are there.
TEXT = {
    "map_kind": {"id": "Jenis peta", "en": "Map type"},
    "map_kind_peta": {"id": "Peta wilayah (batas asli)", "en": "Region map (real boundaries)"},
    "map_kind_petak": {"id": "Peta petak (ukuran sama)", "en": "Tile grid (equal size)"},
    "map_no_boundaries": {"id": "Berkas batas wilayah tidak tersedia, jadi peta petak yang ditampilkan: satu petak "
                                "per kabupaten/kota. Atur JAMSOS_GEO untuk peta wilayah (lihat README).",
                          "en": "No boundary file is available, so the tile grid is shown: one tile per "
                                "regency/city. Set JAMSOS_GEO for the region map (see README)."},
    "map_bad_boundaries": {"id": "Berkas batas wilayah tidak bisa dibaca ({error}); peta petak ditampilkan.",
                           "en": "The boundary file could not be read ({error}); showing the tile grid."},
    "map_hint": {"id": "Arahkan kursor ke wilayah untuk melihat nilai dan peringkatnya; klik untuk membuka profilnya.",
                 "en": "Hover over a region for its value and rank; click it to open its profile."},
    "map_tiles_note": {"id": "Setiap kabupaten/kota satu petak berukuran sama, disusun kira-kira sesuai letaknya; "
                             "kota kecil sama terlihatnya dengan kabupaten besar.",
                       "en": "Every regency/city is one equal tile, laid out roughly by location, so small "
                             "cities are as visible as large regencies."},
    "map_top_profile": {"id": "Profil peringkat 1: {name}", "en": "Rank 1 profile: {name}"},
    "map_no_values": {"id": "Belum ada nilai untuk indikator ini pada tahun {year} (data per {asof}). "
                            "Pilih indikator lain, atau lihat Metodologi untuk data yang dibutuhkan.",
                      "en": "No values for this indicator in {year} (data as of {asof}) yet. Choose another "
                            "indicator, or see Methodology for the data it needs."},
    "map_missing": {"id": "Tanpa data ({n}): {names}", "en": "No data ({n}): {names}"},
}


def _t(key: str, lang: str, **kwargs) -> str:
    shared = fmt.t(key, lang, **kwargs)
    if shared != key:
        return shared
    entry = TEXT[key]
    return (entry.get(lang) or entry["id"]).format(**kwargs)


def _shapes(kind: str, lang: str) -> maps.Shapes:
    """The geometry for the chosen map; the tile grid, with a note, when there are no usable boundaries."""
    try:
        shapes = maps.shapes_for(kind)
    except (OSError, ValueError) as error:  # JAMSOS_GEO missing, unreadable or not the 38 regions
        st.warning(_t("map_bad_boundaries", lang, error=error), icon="⚠️")
        return maps.tile_shapes()
    if shapes.kind != kind:
        st.info(_t("map_no_boundaries", lang), icon="ℹ️")
    return shapes


view: _ui.View = st.session_state["view"]
lang = view.lang
catalogue = metrics.catalogue()

st.title(fmt.t("page_peta", lang))
_ui.dataset_banner(view)

left, right = st.columns([3, 2])
indicator_id = _ui.indicator_picker(left, lang)
kind = _ui.bound_selectbox(right, _t("map_kind", lang), list(maps.KINDS), "jenis_peta", "peta",
                           format_func=lambda key: _t(f"map_kind_{key}", lang))
indicator = catalogue[indicator_id]
st.caption(indicator.definition(lang))

table = _ui.ranking_table(view, indicator_id)
ranked, missing = ranking.split_ranked(table)
if ranked.empty:
    dataset_empty = _ui.ranking_table(view, "peserta_dbhcht")["nilai"].isna().all()
    st.info(fmt.t("empty_dataset", lang, year=view.year) if dataset_empty
            else _t("map_no_values", lang, year=view.year, asof=fmt.date(view.as_of, lang)), icon="ℹ️")
else:
    shapes = _shapes(kind, lang)
    fig = maps.map_figure(table, indicator, shapes, title=indicator.title(lang), subtitle=_ui.subtitle(view),
                          source=_ui.source_line(ranked, view), lang=lang, synthetic=view.synthetic)
    event = _ui.show_chart(fig, "map_chart", _ui.file_stem(view, "peta", indicator_id),
                           on_select="rerun", selection_mode="points")
    chosen = maps.selected_region(event)
    if chosen:
        st.switch_page("views/profil.py", query_params=_ui.view_params(view, wilayah=chosen))
    st.caption(_t("map_hint", lang) + (" " + _t("map_tiles_note", lang) if shapes.kind == "petak" else ""))
    top = ranked.iloc[0]
    st.page_link("views/profil.py", label=_t("map_top_profile", lang, name=top["nama"]),
                 query_params=_ui.view_params(view, wilayah=top["kode"]))
    if len(missing):
        st.caption(_t("map_missing", lang, n=len(missing), names=", ".join(missing["nama_pendek"])))
