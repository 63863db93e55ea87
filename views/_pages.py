"""The dashboard's pages in menu order, in one place: app.py builds its navigation from them, and
the tests and benchmarks that visit every page take their list from here."""

PAGES = (  # (file, text key, url path)
    ("views/ringkasan.py", "page_ringkasan", "ringkasan"),
    ("views/peringkat.py", "page_peringkat", "peringkat"),
    ("views/peta.py", "page_peta", "peta"),
    ("views/tren.py", "page_tren", "tren"),
    ("views/bandingkan.py", "page_bandingkan", "bandingkan"),
    ("views/profil.py", "page_profil", "profil"),
    ("views/penilaian.py", "page_penilaian", "penilaian"),
    ("views/metodologi.py", "page_metodologi", "metodologi"),
    ("views/kelola.py", "page_kelola", "kelola"),
)
FILES = tuple(path for path, _text, _url in PAGES)
# The pages that show the data's charts (with their export panels); Metodologi and Kelola Data do not.
CHART_PAGES = tuple(path for path in FILES if path not in ("views/metodologi.py", "views/kelola.py"))
