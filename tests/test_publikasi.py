"""Contract of the curated publikasi files: every value cited, consistent, and as the research says."""

import re

import pandas as pd
import pytest

from analytics import metrics, ranking, regions, schema, store

REGION_CODES = set(regions.regions_frame()["kode"]) | {metrics.PROVINCE_CODE}


@pytest.fixture(scope="module")
def files():
    return store.read_publikasi()


@pytest.mark.parametrize("name", list(schema.FACT_TABLES))
def test_columns_ids_codes_and_sources(files, name):
    frame = files[name]
    assert frame.columns.tolist() == [col for col, _ in schema.FACT_TABLES[name]]
    assert frame[schema.ID_COLUMN[name]].is_unique
    if name == "penilaian":
        assert frame.empty, "published sources carry no committee scores"
    elif name != "sumber":
        assert set(frame["kode"]) <= REGION_CODES
        assert set(frame["sumber_id"]) <= set(files["sumber"]["sumber_id"])
        assert (frame["kutipan"].str.strip() != "").all(), "every figure carries its quote"
    store.coerce_table(name, frame)  # types parse (dates, numbers, booleans)


@pytest.mark.parametrize("name", ["kepesertaan", "anggaran"])
def test_each_conflict_has_exactly_one_preferred_row_with_a_reason(files, name):
    frame = files[name]
    conflicts = frame.loc[frame["konflik_id"] != ""]
    per_report = conflicts.drop_duplicates(["konflik_id", "laporan_id" if "laporan_id" in frame else "anggaran_id"])
    preferred = per_report.groupby("konflik_id")["diutamakan"].apply(lambda s: (s == "true").sum())
    assert (preferred == 1).all(), preferred[preferred != 1]
    assert (conflicts["alasan"].str.strip() != "").all()


def test_every_source_has_a_url_and_publisher(files):
    sources = files["sumber"]
    assert sources["url"].str.startswith("http").all()
    assert (sources["penerbit"].str.strip() != "").all()


def test_denominators_are_complete_and_sum_to_the_published_totals(files):
    den = files["denominator"].assign(nilai=lambda f: f["nilai"].astype(float))
    population = den.loc[(den["metrik"] == "penduduk") & (den["tahun"] == "2025")]
    area = den.loc[den["metrik"] == "luas_km2"]
    assert len(population) == 38 and population["nilai"].sum() == 41_919_906
    assert len(area) == 38 and round(area["nilai"].sum(), 3) == 48_055.876
    assert (den["metrik"] == "persen_miskin").sum() == 37


def test_parts_and_breakdowns_never_double_count(files):
    kep = files["kepesertaan"]
    for laporan, rows in kep.groupby("laporan_id"):
        roles = set(rows["peran"])
        assert not ({"bagian", "total"} <= roles), laporan
        if "rincian" in roles:
            assert (rows["peran"] == "total").sum() == 1, laporan


def test_published_province_total_is_kept_and_never_ranked(files):
    data = {name: store.coerce_table(name, frame) for name, frame in files.items()}
    province = metrics.province_reported(data, 2025, "2025-12-31")
    assert province["peserta"].tolist() == [580449]
    table = ranking.ranking(data, "peserta_dbhcht", 2025, "2025-12-31")
    assert metrics.PROVINCE_CODE not in set(table["kode"]) and len(table) == 38


def test_the_july_2025_story_holds(files):
    data = {name: store.coerce_table(name, frame) for name, frame in files.items()}
    ranked, missing = ranking.split_ranked(ranking.ranking(data, "peserta_dbhcht", 2025, "2025-07-31"))
    top = ranked.head(4)
    # Kab. Probolinggo's "lebih dari 18.000" (10 Jul) called itself third after Jember and Ponorogo, but Bangkalan
    # had published 23.953 DBHCHT-funded workers on 7-8 May 2025, so by 31 Jul it is third and Probolinggo fourth.
    assert top["kode"].tolist() == ["3509", "3502", "3526", "3513"]
    assert top["nilai"].tolist() == [40300, 29250, 23953, 18000]
    assert top["kualifikasi"].tolist()[3] == "lebih dari"
    # Nganjuk's 2025 figure is the sum of two printed parts, never a stored 27.537
    assert "27537" not in set(files["kepesertaan"]["peserta"])
    december = ranking.ranking(data, "peserta_dbhcht", 2025, "2025-12-31").set_index("kode")
    assert december.at["3518", "nilai"] == 22215 + 5322
    assert december.at["3502", "nilai"] == 29025  # the preferred, itemised SK Bupati figure


# ---------------------------------------------------------------- notes in two languages

NOTE_COLUMNS = {
    "kepesertaan": ("alasan", "alasan_en"),
    "anggaran": ("alasan", "alasan_en"),
    "klaim": ("alasan", "alasan_en"),
    "denominator": ("catatan", "catatan_en"),
}
ENGLISH_WORDS = (
    "the",
    "and",
    "not",
    "which",
    "from",
    "same",
    "repeated",
    "preferred",
    "figure",
    "source",
    "because",
    "with",
    "is",
    "of",
    "only",
    "before",
    "after",
    "per cent",
    "funding",
    "months",
)
INDONESIAN_WORDS = (
    "dan",
    "yang",
    "tidak",
    "dengan",
    "angka",
    "untuk",
    "dari",
    "pada",
    "ini",
    "itu",
    "sebagai",
    "atau",
    "karena",
    "sudah",
    "belum",
    "sumber",
    "bulan",
    "diutamakan",
    "menurut",
)
# Names and terms an English note may write unquoted (they are proper nouns or the curation vocabulary).
KNOWN_TERMS = (
    "Dana Bagi Hasil",
    "Lingkaran Cinta",
    "Pro JKK-JKM",
    "Aji Tani",
    "Karang Taruna",
    "Desa",
    "Kecamatan",
    "Pemkab",
    "Pemkot",
    "Pemprov",
    "Wali Kota",
    "Wakil Bupati",
    "Bupati",
    "SK Bupati",
    "Kabag Administrasi Perekonomian",
)


def _unquoted(text: str) -> str:
    """The note without its quoted passages ("…", “…”) and known names, which may be in the other language."""
    text = re.sub(r'"[^"]*"|“[^”]*”', " ", text)
    for term in KNOWN_TERMS:
        text = text.replace(term, " ")
    return text


def _words(text: str, words) -> list[str]:
    return [w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", _unquoted(text), re.IGNORECASE)]


@pytest.mark.parametrize("name", list(NOTE_COLUMNS))
def test_every_note_is_written_in_both_languages(files, name):
    note, note_en = NOTE_COLUMNS[name]
    frame = files[name]
    one_sided = frame.loc[(frame[note].str.strip() == "") != (frame[note_en].str.strip() == ""), schema.ID_COLUMN[name]]
    assert one_sided.empty, one_sided.tolist()


@pytest.mark.parametrize("name", list(NOTE_COLUMNS))
def test_indonesian_notes_hold_no_english_and_english_notes_no_indonesian(files, name):
    note, note_en = NOTE_COLUMNS[name]
    frame = files[name]
    english_in_id = {row[schema.ID_COLUMN[name]]: _words(row[note], ENGLISH_WORDS) for _, row in frame.iterrows()}
    indonesian_in_en = {
        row[schema.ID_COLUMN[name]]: _words(row[note_en], INDONESIAN_WORDS) for _, row in frame.iterrows()
    }
    assert not {k: v for k, v in english_in_id.items() if v}
    assert not {k: v for k, v in indonesian_in_en.items() if v}


def test_the_language_check_catches_a_note_in_the_wrong_language():
    assert _words("Same 40,300 repeated; preferred because the source is official.", ENGLISH_WORDS)
    assert not _words('Angka yang sama 40.300 diulang; tertulis "the figure".', ENGLISH_WORDS)
    assert _words("Angka yang sama diulang", INDONESIAN_WORDS)
    assert not _words('Printed "lebih dari 18.000" (at least) by the Pemkab.', INDONESIAN_WORDS)


# ---------------------------------------------------------------- funding of budgets and claims


def test_only_dbhcht_budgets_and_claims_feed_the_indicators(files):
    data = {name: store.coerce_table(name, frame) for name, frame in files.items()}
    ang, klaim = files["anggaran"], files["klaim"]
    assert set(ang["sumber_dana"]) <= set(schema.SUMBER_DANA) and set(klaim["sumber_dana"]) <= set(schema.SUMBER_DANA)
    # Kota Madiun's Pro JKK-JKM is paid from APBD: its claims and contributions are kept but never used
    assert set(klaim.loc[klaim["kode"] == "3577", "sumber_dana"]) == {"apbd"}
    claims = metrics.compute("klaim_kasus", data, 2025, "2025-12-31").set_index("kode")
    assert pd.isna(claims.at["3577", "nilai"]) and pd.isna(claims.at["3509", "nilai"])  # APBD; Jember mixed
    assert claims.at["3576", "nilai"] == 12
    # Trenggalek's contribution budgets do not name their fund: no DBHCHT share is computed from them
    porsi = metrics.compute("porsi_jamsos_dbhcht", data, 2025, "2025-12-31").set_index("kode")
    assert pd.isna(porsi.at["3503", "nilai"])
    assert porsi.at["3573", "nilai"] == pytest.approx(5.3e9 / 70e9 * 100)  # Kota Malang: Rp5,3 M of ~Rp70 M


def test_realisations_filed_as_allocations_in_the_research_are_stored_as_realisations(files):
    ang = files["anggaran"].set_index("nilai_rp")
    for amount in ("50385243400", "74300000000", "87900000000", "83208618000", "91834768830"):
        assert ang.at[amount, "komponen"] == "realisasi_dbhcht", amount
    assert "594000000000" not in ang.index  # the province government's own share is left out


def test_regions_the_sources_do_not_pin_are_left_out(files):
    kep = files["kepesertaan"]
    # BPJS TK Kediri's "wilayah Kediri" 9.695 (2024) / 11.000 (2025 target) could be Kota or Kabupaten Kediri
    kediri = kep.loc[kep["kode"].isin(["3506", "3571"])]
    assert "9695" not in set(kediri["peserta"]) and "11000" not in set(kediri["peserta"])
    assert set(kep.loc[kep["kode"] == "3571", "tahun_anggaran"]) == {"2023"}
