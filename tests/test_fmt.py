"""Indonesian and English number, money and date formats."""

import datetime as dt

from analytics import fmt


def test_numbers():
    assert fmt.number(24250) == "24.250"
    assert fmt.number(24250, lang="en") == "24,250"
    assert fmt.number(1234567.891, 2) == "1.234.567,89"
    assert fmt.number(float("nan")) == "–"
    assert fmt.percent(12.345, 1) == "12,3 %"


def test_money():
    assert fmt.rupiah(1_200_000_000) == "Rp1,2 miliar"
    assert fmt.rupiah(927_000_000) == "Rp927 juta"
    assert fmt.rupiah(16800) == "Rp16.800"
    assert fmt.rupiah(3_570_000_000_000) == "Rp3,57 triliun"
    assert fmt.rupiah_full(659265600) == "Rp659.265.600"
    assert fmt.rupiah(1_200_000_000, lang="en") == "IDR 1.2 billion"
    assert fmt.rupiah(16800, lang="en") == "IDR 16,800"


def test_dates():
    assert fmt.date(dt.date(2025, 7, 10)) == "10 Juli 2025"
    assert fmt.date("2025-12-11") == "11 Desember 2025"
    assert fmt.date(dt.date(2025, 7, 10), "en") == "July 10, 2025"
    assert fmt.date(None) == "–"


def test_indicator_values_by_unit():
    assert fmt.value(40300, "orang", 0) == "40.300"
    assert fmt.value(104.0, "persen", 1) == "104,0 %"
    assert fmt.value(16800, "rp", 0) == "Rp16.800"


def test_every_ui_text_has_both_languages():
    for key, entry in fmt._strings().items():
        assert entry.get("id") and entry.get("en"), key


def test_notes_are_translated_by_their_template():
    assert fmt.note("cakupan 3 bulan (Okt–Des 2025)", "en") == "covers 3 months (Oct–Dec 2025)"
    assert fmt.note("cakupan 5 bulan (5 bulan s.d. Des 2025)", "en") == "covers 5 months (5 months to Dec 2025)"
    assert fmt.period("Mei–Des 2025 (tahap 2)", "en") == "May–Dec 2025 (phase 2)"
    assert (
        fmt.note("hanya angka rencana, dana APBD (tidak dibandingkan)", "en")
        == "only plan, APBD-funded figures (not compared)"
    )
    assert fmt.note("cakupan 3 bulan", "id") == "cakupan 3 bulan"
    assert fmt.note("teks lain", "en") == "teks lain" and fmt.note(None, "en") is None


def test_every_note_the_rankings_write_has_an_english_template(store_tables):
    from analytics import metrics, ranking

    untranslated = set()
    for dataset in ("publikasi", "contoh"):
        for indicator_id in metrics.catalogue():
            for year in (2023, 2025):
                table = ranking.ranking(store_tables[dataset], indicator_id, year, "2025-12-31")
                untranslated |= {n for n in table["catatan"].dropna() if fmt.note(n, "en") == n}
    assert not untranslated, untranslated
