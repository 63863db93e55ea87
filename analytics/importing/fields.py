"""Each column's parser and the header words that name columns.

A parser turns one cell into the store's text form or raises ParseError with the steward's
message. Figures must be finite and within physical bounds (MAX_COUNT, MAX_RUPIAH …), years and
dates plausible (analytics.plausible).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable

from analytics import fmt, plausible, regions
from analytics.importing.cells import ParseError, parse_date, parse_number
from analytics.importing.problems import one_line

# --------------------------------------------------------------------------- field parsers


def is_empty(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    return False


def cell_text(value) -> str:
    """Free text as stored: on one line with single spaces; a NUL byte, the mark of a binary or
    damaged file, is refused rather than stored."""
    if is_empty(value):
        return ""
    text = str(value)
    if "\x00" in text:
        raise ParseError(
            "Sel berisi karakter NUL (\\x00), tanda berkas rusak atau biner. Ketik ulang isi selnya, "
            "atau simpan ulang berkasnya dari Excel sebagai .xlsx atau .csv.",
            "The cell holds a NUL character (\\x00), the mark of a damaged or binary file. Type the "
            "cell again, or save the file again from Excel as .xlsx or .csv.",
        )
    return " ".join(one_line(text).split())


def number_text(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else repr(float(number))


def parse_kode(value) -> str:
    res = regions.resolve(value)
    if res.status != "ok":
        raise ParseError(res.message, res.message_en)
    return res.kode


# Physical bounds of a steward's figure: anything beyond is a typing or unit mistake. Well inside the
# store's BIGINT (2^63 ≈ 9,2 × 10^18) and below 2^53, so every accepted figure is exact as a float.
MAX_COUNT = 10**9  # persons or cases: Indonesia has about 2,8 × 10^8 inhabitants
MAX_RUPIAH = 10**15  # Rp 1.000 triliun: East Java's whole APBD is about Rp 3 × 10^13
MAX_MEASURE = 10**9  # km² and other measures: the Earth's surface is 5,1 × 10^8 km²


def _figure(
    value,
    what: str,
    what_en: str,
    high: float,
    low: float = 0,
    whole: bool = False,
    outside: tuple[str, str] | None = None,
) -> float:
    """The number in a figure cell: present, finite (cells.parse_number) and within bounds (`within_bounds`)."""
    number = parse_number(value)
    if number is None:
        raise ParseError(f"{what} kosong.", f"{what_en} is empty.")
    return within_bounds(number, value, what, what_en, high, low, whole, outside)


def within_bounds(
    number: float,
    value,
    what: str,
    what_en: str,
    high: float,
    low: float = 0,
    whole: bool = False,
    outside: tuple[str, str] | None = None,
) -> float:
    """The one range check every parsed number goes through (`outside`: the message when it is not
    within low–high, if the field words it its own way)."""
    if not low <= number <= high:
        if outside:
            raise ParseError(*outside)
        if number < 0 <= low:
            raise ParseError(
                f'{what} negatif ("{value}"). Isi 0 atau lebih.', f'{what_en} is negative ("{value}"). Enter 0 or more.'
            )
        raise ParseError(
            f'{what} "{value}" melebihi batas {fmt.number(high)}. Periksa angkanya: nol berlebih, atau angka '
            'penuh di kolom yang judulnya menyebut satuan (mis. "(Rp juta)", "(ribu jiwa)")?',
            f'{what_en} "{value}" exceeds the limit of {fmt.number(high, lang="en")}. Check the number: extra '
            'zeros, or a full figure in a column whose header names a unit (e.g. "(Rp juta)", "(ribu jiwa)")?',
        )
    if whole and not float(number).is_integer():
        raise ParseError(
            f'{what} harus bilangan bulat, bukan "{value}".', f'{what_en} must be a whole number, not "{value}".'
        )
    return number


def parse_count(value, what: str = "Jumlah", what_en: str = "The count") -> str:
    return str(int(_figure(value, what, what_en, MAX_COUNT, whole=True)))


def parse_rupiah(value) -> str:
    return number_text(_figure(value, "Nilai rupiah", "The rupiah amount", MAX_RUPIAH))


def parse_measure(value) -> str:
    return number_text(_figure(value, "Nilai", "The value", MAX_MEASURE))


def parse_percent(value) -> str:
    return number_text(
        _figure(
            value,
            "Persentase",
            "The percentage",
            100,
            outside=(
                f'Persentase "{value}" di luar 0–100. Tulis persentase 0 sampai 100, mis. 12,5.',
                f'The percentage "{value}" is outside 0–100. Write a percentage from 0 to 100, e.g. 12.5.',
            ),
        )
    )


def parse_bulan(value) -> str:
    return str(
        int(
            _figure(
                value,
                "Bulan cakupan",
                "Months covered",
                12,
                low=1,
                whole=True,
                outside=(
                    f"Bulan cakupan {value} di luar 1–12. Isi jumlah bulan iuran dalam satu tahun anggaran (1–12).",
                    f"Months covered {value} is outside 1–12. Enter the months of contributions in one budget year (1–12).",
                ),
            )
        )
    )


def parse_tahun(value) -> str:
    try:
        year = parse_number(value)
    except ParseError:
        year = None
    if year is None or year != int(year):  # not float(year): an int cell may hold 400 digits
        raise ParseError(
            f'Tahun "{value}" tidak sah. Tulis tahun empat angka, mis. 2025.',
            f'The year "{value}" is not valid. Write a four-digit year, e.g. 2025.',
        )
    plausible.check_year(int(year))  # the range, said in one place for years in files, data and links
    return str(int(year))


def parse_tanggal(value) -> str:
    if is_empty(value):
        raise ParseError(
            "Tanggal data kosong. Isi tanggal angka ini, mis. 10/07/2025.",
            "The data date is empty. Enter the date of this figure, e.g. 10/07/2025.",
        )
    return parse_date(value).isoformat()


def choice_parser(options: dict[str, str], label: str, label_en: str) -> Callable[[object], str]:
    def parse(value) -> str:
        key = "".join(words_of(value))
        if key in options:
            return options[key]
        allowed = ", ".join(sorted(set(options.values())))
        raise ParseError(
            f'{label} "{value}" tidak dikenali. Pilih salah satu: {allowed}.',
            f'{label_en} "{value}" is not recognised. Choose one of: {allowed}.',
        )

    return parse


# Funding source: the same spellings for enrolment, budgets and claims ("tidak disebut" for tidak_disebut).
parse_sumber_dana = choice_parser(
    {"dbhcht": "dbhcht", "apbd": "apbd", "campuran": "campuran", "tidakdisebut": "tidak_disebut"},
    "Sumber dana",
    "Funding source",
)


# --------------------------------------------------------------------------- header words


def words_of(value) -> list[str]:
    text = unicodedata.normalize("NFKD", str(value or "")).casefold()
    return re.findall(r"[a-z0-9]+", text)


Rule = tuple[str, Callable[[set, str], bool]]  # field, test on (header words, raw lower-case text)


def any_word(*words: str) -> Callable[[set, str], bool]:
    wanted = set(words)
    return lambda s, raw: bool(s & wanted)


YEAR_WORDS = ("tahun", "thn", "ta", "year")
DATE_WORDS = ("tanggal", "tgl", "date")
NOTE_WORDS = ("keterangan", "ket", "catatan", "alasan", "note", "notes")
REGION_WORDS = ("wilayah", "kabupaten", "kota", "kab", "kode", "daerah", "region", "kabkota", "pemda")
JAMSOS_WORDS = ("jamsos", "jaminan", "sosial", "bpjs", "ketenagakerjaan", "bpjstk", "iuran", "premi", "jamsostek")
DBH_WORDS = ("dbhcht", "dbh", "cht", "cukai")
