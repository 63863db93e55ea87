"""The press kit: captions written from the frame (every number checked against it), the alt
text, and the ZIP's files."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pandas as pd
import pytest
from PIL import Image

from analytics import captions, charts, export, fmt, metrics, press_kit, ranking, store
from views._export_ui import citations

AS_OF = dt.date(2025, 7, 31)
INDICATOR = metrics.catalogue()["peserta_dbhcht"]


@pytest.fixture(scope="module")
def table(store_path):
    con = store.connect(store_path, read_only=True)
    try:
        tables = store.read_tables(con, "publikasi")
    finally:
        con.close()
    return ranking.with_sources(ranking.ranking(tables, "peserta_dbhcht", 2025, AS_OF), tables["sumber"])


def meta(lang: str = "id", synthetic: bool = False, **changes) -> export.ExportMeta:
    values = dict(
        title=INDICATOR.title(lang),
        subtitle="TA 2025",
        source="Sumber: berita Pemda",
        dataset="contoh" if synthetic else "publikasi",
        lang=lang,
        synthetic=synthetic,
        indicator_id="peserta_dbhcht",
        year=2025,
        as_of=AS_OF,
        file_stem="peringkat_peserta",
        notes=("Batas wilayah: BPS &amp; OCHA<br>CC BY 3.0 IGO",),
        exported_on=dt.date(2026, 12, 2),
    )
    return export.ExportMeta(**{**values, **changes})


def numbers(text: str) -> list[str]:
    return re.findall(r"\d[\d.,]*\d|\d", text)


def test_the_caption_says_who_leads_with_qualified_and_partial_figures(table):
    data = ranking.export_frame(table, INDICATOR, "id")
    text = captions.caption(data, meta())
    assert text.headline == (
        "Kabupaten Jember mencatat Peserta BPJS TK didanai DBHCHT tertinggi: 40.300 orang per 10 Juli 2025"
    )
    followed, qualified, coverage = text.findings
    assert followed == (
        "Disusul Kabupaten Ponorogo dengan lebih dari 29.250 orang per 21 Juli 2025 dan "
        "Kabupaten Bangkalan dengan 23.953 orang (cakupan 10 bulan) per 8 Mei 2025."
    )
    assert "lebih dari" in qualified
    ranked = int(data["peringkat"].notna().sum())
    assert (
        coverage
        == f"Angka tersedia untuk {ranked} dari 38 kabupaten/kota; {38 - ranked} lainnya belum memiliki angka per 31 Juli 2025."
    )


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_number_in_the_caption_is_in_the_frame(table, lang):
    data = ranking.export_frame(table, INDICATOR, lang)
    frame = captions.ranking_rows(data, lang)
    ranked = frame.loc[frame["peringkat"].notna()]
    allowed = {fmt.number(v, 0, lang) for v in ranked["nilai"]}
    allowed |= {str(len(frame)), str(len(ranked)), str(len(frame) - len(ranked))}
    allowed |= {str(captions.partial_months(n)) for n in ranked["catatan"] if captions.partial_months(n)}
    for day in [*pd.to_datetime(ranked["tanggal_data"]).dt.date, AS_OF]:
        allowed |= set(numbers(fmt.date(day, lang)))
    said = captions.caption(data, meta(lang)).text()
    assert said and all(number in allowed for number in numbers(said)), (numbers(said), said)


def test_a_tie_for_first_is_said_as_a_tie():
    data = pd.DataFrame(
        {
            "peringkat": [1, 1, 3],
            "wilayah": ["Kota Batu", "Kota Blitar", "Kota Kediri"],
            "nilai": [500, 500, 20],
            "kualifikasi": ["", "", "sekitar"],
            "tanggal_data": ["2025-07-01"] * 3,
            "catatan": ["", "", "cakupan 3 bulan (Okt–Des 2025)"],
            "sumber": ["A"] * 3,
            "url": ["https://a.example"] * 3,
        }
    )
    text = captions.caption(data, meta())
    assert text.headline == (
        "Kota Batu dan Kota Blitar sama-sama mencatat Peserta BPJS TK didanai DBHCHT tertinggi: 500 orang"
    )
    assert text.findings[0] == "Disusul Kota Kediri dengan sekitar 20 orang (cakupan 3 bulan) per 1 Juli 2025."
    assert text.findings[-1] == "Angka tersedia untuk ke-3 kabupaten/kota."


def test_lower_is_better_says_lowest():
    cost = metrics.catalogue()["biaya_per_peserta_bulan"]
    data = pd.DataFrame(
        {
            "peringkat": [1],
            "wilayah": ["Kabupaten Jember"],
            "nilai": [16800.0],
            "kualifikasi": [""],
            "tanggal_data": ["2025-07-10"],
            "catatan": [""],
            "sumber": ["A"],
            "url": [""],
        }
    )
    headline = captions.caption(data, meta(indicator_id=cost.id)).headline
    assert headline.startswith("Kabupaten Jember mencatat") and "terendah: Rp16.800" in headline


def test_no_figure_and_other_frames_make_no_claims(table):
    data = ranking.export_frame(table, INDICATOR, "id").assign(peringkat=pd.NA)
    assert captions.caption(data, meta()).findings == ()
    assert "Belum ada" in captions.caption(data, meta()).headline
    trend = pd.DataFrame({"tahun": [2024, 2025], "nilai": [1, 2]})
    assert captions.caption(trend, meta(title="Tren")) == captions.Caption("Tren", ("TA 2025",))


def test_the_caption_file_carries_as_of_sources_notes_and_the_synthetic_warning(table):
    data = ranking.export_frame(table, INDICATOR, "id")
    text = captions.caption_file(data, meta(sources=citations(table)))  # as the pages pass them
    assert text.startswith("Kabupaten Jember mencatat") and "Data per 31 Juli 2025." in text
    assert "- Halopos, 2025-07-10: Jember Raih Penghargaan" in text and "— https://halopos.id/" in text
    assert "- Batas wilayah: BPS & OCHA CC BY 3.0 IGO" in text and "<br>" not in text
    assert "dataset: Publikasi (angka terbit)" in text
    synthetic = captions.caption_file(data, meta(synthetic=True))
    assert synthetic.startswith("DATA CONTOH (SINTETIS) — BUKAN ANGKA RESMI")
    english = captions.caption_file(ranking.export_frame(table, INDICATOR, "en"), meta("en", sources=citations(table)))
    assert english.startswith("Kabupaten Jember records the highest") and "Sources:" in english


def test_the_press_kit_holds_every_size_the_data_the_caption_and_the_alt_text(table):
    data = ranking.export_frame(table, INDICATOR, "id")
    ranked, _ = ranking.split_ranked(table)
    fig = charts.ranking_bar(
        ranked, INDICATOR, title=INDICATOR.title("id"), subtitle="TA 2025", source="Sumber: berita Pemda", lang="id"
    )
    kit = zipfile.ZipFile(io.BytesIO(press_kit.zip_bytes(fig, data, meta())))
    assert press_kit.file_name(meta()) == "peringkat_peserta_paket_pers.zip"
    assert kit.namelist() == [
        "peringkat_peserta_16x9.png",
        "peringkat_peserta_1x1.png",
        "peringkat_peserta_4x5.png",
        "peringkat_peserta_9x16.png",
        "peringkat_peserta_16x9.svg",
        "peringkat_peserta_16x9.pdf",
        "peringkat_peserta.csv",
        "datapackage.json",
        "peringkat_peserta.xlsx",
        "keterangan.txt",
        "alt-text.txt",
    ]
    for size in press_kit.PNG_SIZES:
        image = Image.open(io.BytesIO(kit.read(f"peringkat_peserta_{size.replace(':', 'x')}.png")))
        assert image.size == export.SIZES[size]
    assert kit.read("peringkat_peserta_16x9.pdf").startswith(b"%PDF")
    assert b"<svg" in kit.read("peringkat_peserta_16x9.svg")[:500]
    assert kit.read("peringkat_peserta.csv") == export.csv_bytes(data, meta())
    assert kit.read("keterangan.txt").decode() == captions.caption_file(data, meta())
    alt = kit.read("alt-text.txt").decode()
    assert alt.startswith("Grafik batang: Peserta BPJS TK didanai DBHCHT. TA 2025.")
    assert "Kabupaten Jember mencatat" in alt


def test_a_chart_without_sources_gets_no_empty_sources_heading(table):
    text = captions.caption_file(ranking.export_frame(table, INDICATOR, "id"), meta())
    assert "Sumber:" not in text.splitlines()
