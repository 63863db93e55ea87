"""Every page, in both languages, shows only its own language and no raw identifiers.

Walks every page on publikasi and contoh in Indonesian and in English (AppTest) and reads all text a
user sees: titles, prose, captions, messages, widget labels and options, table headers and cells,
chart titles, legends, labels and annotations. It fails on a word of the other language from a list
of common words, and on a snake_case identifier (`realisasi_dbhcht`, `luas_km2`). Text that is
quoted from a source (titles of articles, quotes, publishers) is the source's own and not checked.
"""

import json
import re

import pytest

from analytics import regions
from tests.apptest import open_page
from views import _pages

PAGES = _pages.FILES
# Common function words and the dashboard's own vocabulary, whole words, case-insensitive.
INDONESIAN = {
    "tidak",
    "dan",
    "yang",
    "untuk",
    "dengan",
    "daerah",
    "peserta",
    "angka",
    "bulan",
    "cakupan",
    "belum",
    "dari",
    "pada",
    "atau",
    "diutamakan",
    "tergantikan",
    "dipakai",
    "orang",
    "miliar",
    "juta",
    "lainnya",
    "semua",
    "tahun",
    "anggaran",
    "wilayah",
    "sumber",
    "catatan",
    "tanggal",
    "nilai",
    "peringkat",
    "bln",
    "poin",
    "baru",
    "kasus",
    "penduduk",
    "kota",
    "kabupaten",
    "kab",
    "tetap",
    "sebelum",
    "oleh",
    "adalah",
    "ini",
    "itu",
    "akan",
    "juga",
    "lebih",
    "sama",
    "hanya",
}
ENGLISH = {
    "the",
    "and",
    "not",
    "which",
    "from",
    "same",
    "repeated",
    "preferred",
    "figure",
    "figures",
    "source",
    "because",
    "with",
    "regions",
    "participants",
    "budget",
    "year",
    "none",
    "more",
    "than",
    "choose",
    "select",
    "options",
    "data as of",
    "new",
    "rank",
    "value",
    "points",
    "months",
}
# Proper names and terms that are the same in both languages (region names, programmes, laws).
NAMES = {part.lower() for region in regions.load_regions() for part in region.nama.split()}
# Region names as written ('Kabupaten Jember', 'Kab. Malang', 'Kota Batu') are names in both languages.
REGION_NAMES = re.compile(
    "|".join(
        re.escape(name)
        for name in sorted(
            {n for region in regions.load_regions() for n in (region.nama, region.nama_pendek)}, key=len, reverse=True
        )
    )
)
SHARED_TERMS = {"kota", "kabupaten", "jember", "dbhcht", "bpjs", "tk", "jkk", "jkm", "apbd", "pak", "silpa"}
# Columns whose cells are quoted from sources, not written by the dashboard.
QUOTED_COLUMNS = {
    "Sumber",
    "Source",
    "Kutipan",
    "Quote",
    "Judul",
    "Title",
    "Penerbit",
    "Publisher",
    "Tautan",
    "Link",
    "Wilayah",
    "Region",
    "Aturan",
    "Rule",
    "Dataset",
}
IDENTIFIER = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")
URL = re.compile(r"https?://\S+|\]\([^)\s]*\)")  # an address, or a markdown link's target: not read
CODE = re.compile(r"`[^`]*`")


def visible_text(at, quoted: set[str] = QUOTED_COLUMNS) -> list[str]:
    """Everything the page shows, except cells of `quoted` columns and the hover boxes of charts."""
    texts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        texts += [element.value for element in getattr(at, kind)]
    texts += [m.label for m in at.metric] + [str(m.value) for m in at.metric]
    texts += [e.label for e in at.expander] + [b.label for b in at.button] + [t.label for t in at.toggle]
    for widget in list(at.selectbox) + list(at.multiselect):
        texts.append(widget.label)
        texts += [str(option) for option in widget.options]
        texts.append(widget.proto.placeholder)
    for frame in at.dataframe:
        value = frame.value
        texts += [str(column) for column in value.columns]
        for column in value.columns:
            if str(column) not in quoted:
                texts += [str(cell) for cell in value[column].dropna()]
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        layout = spec.get("layout", {})
        meta = layout.get("meta") or {}
        texts += [str(meta.get(k, "")) for k in ("title", "subtitle")]
        texts.append(str((layout.get("title") or {}).get("text", "")))
        texts += [
            a.get("text", "")
            for a in layout.get("annotations", [])
            if not str(a.get("text", "")).startswith(("Sumber", "Source"))
        ]
        legend = layout.get("showlegend", True)
        for trace in spec.get("data", []):
            if trace.get("showlegend", legend):  # a trace's name shows only in the legend
                texts.append(str(trace.get("name") or ""))
            if trace.get("mode") and "text" in trace["mode"] and isinstance(trace.get("text"), list):
                texts += [str(t) for t in trace["text"]]
    return [t for t in texts if t]


QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|«[^»]*»|\S+/\S+")  # quotations and names like a/b keep their language


def words(text: str) -> set[str]:
    clean = re.sub(r"<[^>]+>", " ", QUOTED.sub(" ", REGION_NAMES.sub(" ", URL.sub(" ", text)))).lower()
    return set(re.findall(r"[a-zà-ÿ]+", clean))


def offending(texts: list[str], other: set[str]) -> dict[str, str]:
    found = {}
    for text in texts:
        single = {w for w in other if " " not in w}
        hits = (words(text) & single) - SHARED_TERMS
        hits |= {phrase for phrase in other if " " in phrase and phrase in text.lower()}
        for hit in hits:
            found.setdefault(hit, text[:160])
    return found


@pytest.mark.parametrize("dataset", ["publikasi", "contoh"])
@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_a_page_speaks_one_language_and_no_identifiers(store_path, path, lang, dataset):
    at = open_page(path, timeout=120, dataset=dataset, bahasa=lang, tahun="2025")
    assert not at.exception, at.exception
    # synthetic data has no quoted sources: its source cells are the dashboard's own words
    texts = visible_text(
        at,
        QUOTED_COLUMNS - {"Sumber", "Source", "Judul", "Title", "Penerbit", "Publisher"}
        if dataset == "contoh"
        else QUOTED_COLUMNS,
    )
    assert texts
    other = ENGLISH if lang == "id" else INDONESIAN - (NAMES if lang == "en" else set())
    wrong = offending(texts, other)
    assert not wrong, f"{path} ({lang}, {dataset}) shows the other language: {wrong}"
    # `code spans` are settings an administrator types (`password_hash = "…"`), shown as code on purpose
    identifiers = {m for text in texts for m in IDENTIFIER.findall(CODE.sub(" ", URL.sub(" ", text)))}
    assert not identifiers, f"{path} ({lang}, {dataset}) shows raw identifiers: {identifiers}"
