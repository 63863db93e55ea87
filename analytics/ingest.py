"""Reading stewards' real spreadsheets into store rows, with row-level problems.

Five kinds of data arrive: enrolment observations (`kepesertaan`), DBHCHT budgets (`anggaran`),
claims (`klaim`), denominators (`denominator`) and the award committee's scores (`penilaian`).
Real files are not templates: title rows sit above the header, a "No" column and empty columns
appear, a JUMLAH/TOTAL row closes the table, numbers are Indonesian text ("18.000", "Rp 1,2
miliar") and regions are spelled every way. This module finds the header, maps the columns (each
kind's header rules are in `KINDS`), parses every cell and reports what is wrong as `Problem`s
naming file, sheet, the spreadsheet's own row number and the column, in Indonesian and English. Errors block an import; warnings do not.
Figures must be finite and within physical bounds (MAX_COUNT, MAX_RUPIAH …), years and dates
plausible (analytics.plausible), and no file name, sheet name or cell can forge a line of output.

Budgets and denominators come "wide" (one column per budget component or measure, as stewards
keep them) and are expanded to the store's one-figure-per-row tables. Committee scores come either
way: long (a Kriteria and a Skor column) or wide (one column per criterion of komite.toml).
Nothing here touches the store or imports streamlit; store-aware checks live in `analytics.importer`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import math
from decimal import Decimal
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

import pandas as pd

from analytics import fmt, plausible, regions
from analytics.cells import ParseError, parse_date, parse_number
from analytics.spreadsheet import Sheet, Unreadable, read_grid
from analytics.store import FACT_TABLES, SKOR_RANGE, committee_criteria

HEADER_SEARCH_ROWS = 30  # title blocks are a few rows; a header further down is not a header
_NO = "_no"  # the running-number column: recognised so it is not mistaken for data


@dataclass(frozen=True)
class Problem:
    file: str
    sheet: str | None
    row: int | None
    column: str | None
    level: str  # 'error' | 'warning'
    message: str  # Indonesian, says what is wrong and how to fix it
    message_en: str

    def __post_init__(self):  # every problem prints as one line, whatever a file or cell holds
        for name in ("file", "sheet", "column", "message", "message_en"):
            if getattr(self, name):
                object.__setattr__(self, name, one_line(getattr(self, name)))

    def where(self) -> str:
        """'file, sheet X, baris 5, kolom "Peserta"' — the location as a steward reads it."""
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"baris {self.row}")
        if self.column:
            parts.append(f'kolom "{self.column}"')
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.where()}: {self.message}"


@dataclass
class ReadResult:
    kind: str | None
    file: str
    sheet: str | None
    header_row: int | None
    mapping: dict[str, str]  # source header text -> field
    records: pd.DataFrame  # one row per source row: the kind's fields (text) plus `baris`
    rows: pd.DataFrame  # store rows of the kind's table (text) plus `baris`
    problems: list[Problem] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)  # header cells not mapped to any field
    scales: dict[str, float] = field(default_factory=dict)  # field -> multiplier from "(Rp juta)" etc.

    @property
    def ok(self) -> bool:
        return not any(p.level == "error" for p in self.problems)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]


# --------------------------------------------------------------------------- names and text

# Characters that let a file name, sheet name or cell forge a line of output or reorder what a reader
# sees: C0/C1 controls (newline, tab, NUL, escape …), line/paragraph separators, bidi marks and overrides.
_UNPRINTABLE_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
MAX_FILE_NAME = 200  # characters; the extension is kept


def one_line(text: str) -> str:
    """`text` with every unprintable character (see _UNPRINTABLE_RE) replaced by a space."""
    return _UNPRINTABLE_RE.sub(" ", text)


def clean_file_name(name: str) -> str:
    """The name a file is shown and stored under: its last path part, on one line, at most
    MAX_FILE_NAME characters with the extension kept ("berkas" when nothing is left)."""
    name = " ".join(one_line(Path(name.replace("\\", "/")).name).split())
    if len(name) > MAX_FILE_NAME:
        stem, dot, ext = name.rpartition(".")
        ext = dot + ext if stem and len(ext) <= 10 else ""
        name = name[:MAX_FILE_NAME - len(ext) - 1].rstrip() + "…" + ext
    return name or "berkas"


# --------------------------------------------------------------------------- field parsers


def _is_empty(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    return False


def _text(value) -> str:
    """Free text as stored: on one line with single spaces; a NUL byte, the mark of a binary or
    damaged file, is refused rather than stored."""
    if _is_empty(value):
        return ""
    text = str(value)
    if "\x00" in text:
        raise ParseError("Sel berisi karakter NUL (\\x00), tanda berkas rusak atau biner. Ketik ulang isi selnya, "
                         "atau simpan ulang berkasnya dari Excel sebagai .xlsx atau .csv.",
                         "The cell holds a NUL character (\\x00), the mark of a damaged or binary file. Type the "
                         "cell again, or save the file again from Excel as .xlsx or .csv.")
    return " ".join(one_line(text).split())


def _number_text(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else repr(float(number))


def _parse_kode(value) -> str:
    res = regions.resolve(value)
    if res.status != "ok":
        raise ParseError(res.message, res.message_en)
    return res.kode


# Physical bounds of a steward's figure: anything beyond is a typing or unit mistake. Well inside the
# store's BIGINT (2^63 ≈ 9,2 × 10^18) and below 2^53, so every accepted figure is exact as a float.
MAX_COUNT = 10**9  # persons or cases: Indonesia has about 2,8 × 10^8 inhabitants
MAX_RUPIAH = 10**15  # Rp 1.000 triliun: East Java's whole APBD is about Rp 3 × 10^13
MAX_MEASURE = 10**9  # km² and other measures: the Earth's surface is 5,1 × 10^8 km²


def _figure(value, what: str, what_en: str, high: float, low: float = 0, whole: bool = False,
            outside: tuple[str, str] | None = None) -> float:
    """The number in a figure cell: present, finite (cells.parse_number) and within bounds (`_within`)."""
    number = parse_number(value)
    if number is None:
        raise ParseError(f"{what} kosong.", f"{what_en} is empty.")
    return _within(number, value, what, what_en, high, low, whole, outside)


def _within(number: float, value, what: str, what_en: str, high: float, low: float = 0, whole: bool = False,
            outside: tuple[str, str] | None = None) -> float:
    """The one range check every parsed number goes through (`outside`: the message when it is not
    within low–high, if the field words it its own way)."""
    if not low <= number <= high:
        if outside:
            raise ParseError(*outside)
        if number < 0 <= low:
            raise ParseError(f'{what} negatif ("{value}"). Isi 0 atau lebih.',
                             f'{what_en} is negative ("{value}"). Enter 0 or more.')
        raise ParseError(
            f'{what} "{value}" melebihi batas {fmt.number(high)}. Periksa angkanya: nol berlebih, atau angka '
            'penuh di kolom yang judulnya menyebut satuan (mis. "(Rp juta)", "(ribu jiwa)")?',
            f'{what_en} "{value}" exceeds the limit of {fmt.number(high, lang="en")}. Check the number: extra '
            'zeros, or a full figure in a column whose header names a unit (e.g. "(Rp juta)", "(ribu jiwa)")?')
    if whole and not float(number).is_integer():
        raise ParseError(f'{what} harus bilangan bulat, bukan "{value}".',
                         f'{what_en} must be a whole number, not "{value}".')
    return number


def _parse_count(value, what: str = "Jumlah", what_en: str = "The count") -> str:
    return str(int(_figure(value, what, what_en, MAX_COUNT, whole=True)))


def _parse_rupiah(value) -> str:
    return _number_text(_figure(value, "Nilai rupiah", "The rupiah amount", MAX_RUPIAH))


def _parse_measure(value) -> str:
    return _number_text(_figure(value, "Nilai", "The value", MAX_MEASURE))


def _parse_percent(value) -> str:
    return _number_text(_figure(value, "Persentase", "The percentage", 100, outside=(
        f'Persentase "{value}" di luar 0–100. Tulis persentase 0 sampai 100, mis. 12,5.',
        f'The percentage "{value}" is outside 0–100. Write a percentage from 0 to 100, e.g. 12.5.')))


def _parse_bulan(value) -> str:
    return str(int(_figure(value, "Bulan cakupan", "Months covered", 12, low=1, whole=True, outside=(
        f"Bulan cakupan {value} di luar 1–12. Isi jumlah bulan iuran dalam satu tahun anggaran (1–12).",
        f"Months covered {value} is outside 1–12. Enter the months of contributions in one budget year (1–12)."))))


def _parse_tahun(value) -> str:
    try:
        year = parse_number(value)
    except ParseError:
        year = None
    if year is None or year != int(year):  # not float(year): an int cell may hold 400 digits
        raise ParseError(f'Tahun "{value}" tidak sah. Tulis tahun empat angka, mis. 2025.',
                         f'The year "{value}" is not valid. Write a four-digit year, e.g. 2025.')
    plausible.check_year(int(year))  # the range, said in one place for years in files, data and links
    return str(int(year))


def _parse_tanggal(value) -> str:
    if _is_empty(value):
        raise ParseError("Tanggal data kosong. Isi tanggal angka ini, mis. 10/07/2025.",
                         "The data date is empty. Enter the date of this figure, e.g. 10/07/2025.")
    return parse_date(value).isoformat()


def _choice(options: dict[str, str], label: str, label_en: str) -> Callable[[object], str]:
    def parse(value) -> str:
        key = "".join(_words(value))
        if key in options:
            return options[key]
        allowed = ", ".join(sorted(set(options.values())))
        raise ParseError(f'{label} "{value}" tidak dikenali. Pilih salah satu: {allowed}.',
                         f'{label_en} "{value}" is not recognised. Choose one of: {allowed}.')
    return parse


# Funding source: the same spellings for enrolment, budgets and claims ("tidak disebut" for tidak_disebut).
_parse_sumber_dana = _choice({"dbhcht": "dbhcht", "apbd": "apbd", "campuran": "campuran",
                              "tidakdisebut": "tidak_disebut"}, "Sumber dana", "Funding source")


# --------------------------------------------------------------------------- header words


def _words(value) -> list[str]:
    text = unicodedata.normalize("NFKD", str(value or "")).casefold()
    return re.findall(r"[a-z0-9]+", text)


Rule = tuple[str, Callable[[set, str], bool]]  # field, test on (header words, raw lower-case text)


def _any(*words: str) -> Callable[[set, str], bool]:
    wanted = set(words)
    return lambda s, raw: bool(s & wanted)


YEAR_WORDS = ("tahun", "thn", "ta", "year")
DATE_WORDS = ("tanggal", "tgl", "date")
NOTE_WORDS = ("keterangan", "ket", "catatan", "alasan", "note", "notes")
REGION_WORDS = ("wilayah", "kabupaten", "kota", "kab", "kode", "daerah", "region", "kabkota", "pemda")
JAMSOS_WORDS = ("jamsos", "jaminan", "sosial", "bpjs", "ketenagakerjaan", "bpjstk", "iuran", "premi", "jamsostek")
DBH_WORDS = ("dbhcht", "dbh", "cht", "cukai")


# --------------------------------------------------------------------------- kinds


@dataclass(frozen=True)
class Kind:
    table: str
    label: str
    label_en: str
    rules: tuple[Rule, ...]  # in order: specific words before general ones
    parsers: dict[str, Callable]
    required: tuple[str, ...]
    values: tuple[str, ...]  # the figures; at least one must be a column, and a row needs one
    key: tuple[str, ...]  # a row repeating these is entered twice
    summable: tuple[str, ...]  # checked against a JUMLAH/TOTAL row
    examples: dict[str, tuple[str, ...]]  # header spellings for messages and templates
    expand: Callable[[dict, str], list[dict]]  # one source record -> store rows
    defaults: dict = field(default_factory=dict)
    derive_year: str | None = "tahun_anggaran"  # filled from tanggal_data when empty
    # True for a row holding a target or plan: its date may lie ahead (analytics.plausible)
    planned: Callable[[dict], bool] = lambda record: False
    # True: `key` names store columns and duplicates are looked for among the store rows the records
    # expand to (a wide committee sheet holds several criteria per record, a long one one).
    key_on_rows: bool = False
    # figure field -> the field that must be filled beside it (a score needs its criterion)
    needs: dict[str, str] = field(default_factory=dict)
    # (header text, mapped fields) -> (message, message_en) of a warning for a header cell not used
    unused_warning: Callable[[str, set], tuple[str, str] | None] | None = None

    @property
    def fields(self) -> list[str]:
        return list(self.parsers)


def _expand_kepesertaan(record: dict, row_id: str) -> list[dict]:
    return [{**record, "obs_id": row_id, "laporan_id": row_id, "peran": "total", "diutamakan": "true"}]


BUDGET_COMPONENTS = ("alokasi_dbhcht", "realisasi_dbhcht", "anggaran_jamsos", "realisasi_jamsos")


def _expand_anggaran(record: dict, row_id: str) -> list[dict]:
    common = {k: record[k] for k in ("kode", "tahun_anggaran", "tanggal_data", "tahap_anggaran", "bulan_cakupan",
                                     "sumber_dana", "alasan")}
    return [{**common, "anggaran_id": f"{row_id}-{part}", "komponen": part, "nilai_rp": record[part], "diutamakan": "true"}
            for part in BUDGET_COMPONENTS if record[part] != ""]


def _is_budget_plan(record: dict) -> bool:
    """Allocations and budgeted amounts only: a plan. One realised amount dates the whole row."""
    return not any(record[part] for part in BUDGET_COMPONENTS if part not in plausible.PLANNED_COMPONENTS)


def _expand_klaim(record: dict, row_id: str) -> list[dict]:
    return [{**record, "klaim_id": row_id}]


MEASURES = {"penduduk": "jiwa", "luas_km2": "km2", "persen_miskin": "persen", "jumlah_miskin": "jiwa",
            "angkatan_kerja": "orang"}


def _expand_denominator(record: dict, row_id: str) -> list[dict]:
    return [{"denom_id": f"{row_id}-{metric}", "kode": record["kode"], "tahun": record["tahun"], "metrik": metric,
             "nilai": record[metric], "satuan": unit, "catatan": record["catatan"]}
            for metric, unit in MEASURES.items() if record[metric] != ""]


def _common_tail(note_field: str) -> tuple[Rule, ...]:
    return ((note_field, _any(*NOTE_WORDS)), ("kode", _any(*REGION_WORDS)))


def _is_funding_header(s: set, raw: str) -> bool:
    """"Sumber Dana", "Sumber Anggaran", "Pendanaan" — but not "Dana Bagi Hasil Cukai (Rp)"."""
    return "pendanaan" in s or "sumber" in s and bool(s & {"dana", "anggaran", "pembiayaan"})


KEPESERTAAN = Kind(
    table="kepesertaan", label="Kepesertaan (peserta terdaftar)", label_en="Enrolment (registered workers)",
    rules=(
        ("kategori_pekerja", lambda s, raw: bool(s & {"kategori", "sektor", "kelompok"}) or {"jenis", "pekerja"} <= s),
        ("bulan_cakupan", _any("bulan")),
        ("sumber_dana", _any("sumber", "dana", "pendanaan")),
        ("jenis_angka", _any("jenis")),
        ("tanggal_data", _any(*DATE_WORDS)),
        ("tahun_anggaran", _any(*YEAR_WORDS)),
        ("peserta", lambda s, raw: bool(s & {"peserta", "pekerja", "participants"}) or s in ({"jumlah"}, {"jml"})),
        *_common_tail("alasan"),
    ),
    parsers={
        "kode": _parse_kode, "peserta": lambda v: _parse_count(v, "Jumlah peserta", "The number of participants"),
        "tanggal_data": _parse_tanggal, "tahun_anggaran": _parse_tahun, "bulan_cakupan": _parse_bulan,
        "jenis_angka": _choice({"realisasi": "realisasi", "target": "target", "rencana": "rencana"},
                               "Jenis angka", "Figure type"),
        "sumber_dana": _parse_sumber_dana,
        "kategori_pekerja": _text, "alasan": _text,
    },
    required=("kode", "tanggal_data"), values=("peserta",),
    key=("kode", "tanggal_data", "jenis_angka", "sumber_dana", "kategori_pekerja"), summable=("peserta",),
    examples={"kode": ("Kabupaten/Kota", "Wilayah", "Kode"), "peserta": ("Jumlah Peserta", "Jml. Pekerja Rentan"),
              "tanggal_data": ("Tanggal Data", "Tgl")},
    expand=_expand_kepesertaan, defaults={"jenis_angka": "realisasi", "sumber_dana": "dbhcht"},
    planned=lambda record: record["jenis_angka"] in plausible.PLANNED_FIGURES,
)

ANGGARAN = Kind(
    table="anggaran", label="Anggaran DBHCHT", label_en="DBHCHT budgets",
    rules=(
        ("sumber_dana", _is_funding_header),
        ("tahun_anggaran", _any(*YEAR_WORDS)),
        ("tanggal_data", _any(*DATE_WORDS)),
        ("bulan_cakupan", _any("bulan")),
        ("realisasi_jamsos", lambda s, raw: "realisasi" in s and bool(s & set(JAMSOS_WORDS))),
        ("anggaran_jamsos", lambda s, raw: bool(s & set(JAMSOS_WORDS)) and not s & {"peserta", "kepesertaan"}),
        ("realisasi_dbhcht", lambda s, raw: "realisasi" in s and bool(s & set(DBH_WORDS))),
        ("alokasi_dbhcht", _any(*DBH_WORDS)),
        ("tahap_anggaran", _any("tahap", "tahapan", "murni", "pak", "perubahan")),
        *_common_tail("alasan"),
    ),
    parsers={
        "kode": _parse_kode, "tahun_anggaran": _parse_tahun, "tanggal_data": _parse_tanggal,
        "tahap_anggaran": _choice({"murni": "murni", "induk": "murni", "pak": "pak", "perubahan": "pak",
                                   "papbd": "pak", "perubahanapbd": "pak", "apbdp": "pak"},
                                  "Tahap anggaran", "Budget stage"),
        **{part: _parse_rupiah for part in BUDGET_COMPONENTS},
        "bulan_cakupan": _parse_bulan, "sumber_dana": _parse_sumber_dana, "alasan": _text,
    },
    required=("kode", "tanggal_data"), values=BUDGET_COMPONENTS,
    key=("kode", "tahun_anggaran", "tanggal_data", "tahap_anggaran", "sumber_dana"), summable=BUDGET_COMPONENTS,
    examples={"kode": ("Kabupaten/Kota",), "tanggal_data": ("Tanggal Data",),
              "alokasi_dbhcht": ("Alokasi DBHCHT (Rp)",), "anggaran_jamsos": ("Anggaran Jamsos (Rp)",)},
    expand=_expand_anggaran, defaults={"sumber_dana": "dbhcht"},  # the template's budgets are DBHCHT budgets
    planned=_is_budget_plan,
)

KLAIM = Kind(
    table="klaim", label="Klaim JKK/JKM", label_en="JKK/JKM claims",
    rules=(
        ("sumber_dana", _is_funding_header),
        ("tahun_anggaran", _any(*YEAR_WORDS)),
        ("tanggal_data", _any(*DATE_WORDS)),
        ("nilai_rp", _any("nilai", "nominal", "rp", "rupiah", "besaran")),
        ("kasus", lambda s, raw: "kasus" in s or {"jumlah", "klaim"} <= s),
        ("program", _any("program", "jenis")),
        *_common_tail("alasan"),
    ),
    parsers={
        "kode": _parse_kode, "tahun_anggaran": _parse_tahun, "tanggal_data": _parse_tanggal,
        "program": _choice({"jkk": "JKK", "jkm": "JKM", "jkkjkm": "JKK+JKM", "jkkdanjkm": "JKK+JKM",
                            "jaminankecelakaankerja": "JKK", "jaminankematian": "JKM"}, "Program", "Programme"),
        "kasus": lambda v: _parse_count(v, "Jumlah kasus", "The number of cases"), "nilai_rp": _parse_rupiah,
        "sumber_dana": _parse_sumber_dana, "alasan": _text,
    },
    required=("kode", "tanggal_data", "program"), values=("kasus", "nilai_rp"),
    key=("kode", "tanggal_data", "program", "sumber_dana"), summable=("kasus", "nilai_rp"),
    examples={"kode": ("Kabupaten/Kota",), "tanggal_data": ("Tanggal Data",), "program": ("Program",),
              "kasus": ("Jumlah Kasus",), "nilai_rp": ("Nilai Klaim (Rp)",)},
    expand=_expand_klaim, defaults={"sumber_dana": "dbhcht"},  # claims of DBHCHT participants unless stated
)

DENOMINATOR = Kind(
    table="denominator", label="Penyebut (penduduk, luas, kemiskinan)", label_en="Denominators (population, area, poverty)",
    rules=(
        ("tahun", _any("tahun", "thn", "year")),
        ("persen_miskin", lambda s, raw: "miskin" in s and (bool(s & {"persen", "persentase", "p0"}) or "%" in raw)),
        ("jumlah_miskin", _any("miskin")),
        ("angkatan_kerja", _any("angkatan")),
        ("penduduk", _any("penduduk", "populasi", "jiwa")),
        ("luas_km2", _any("luas")),
        *_common_tail("catatan"),
    ),
    parsers={
        "kode": _parse_kode, "tahun": _parse_tahun,
        "penduduk": lambda v: _parse_count(v, "Jumlah penduduk", "Population"), "luas_km2": _parse_measure,
        "persen_miskin": _parse_percent,
        "jumlah_miskin": lambda v: _parse_count(v, "Jumlah penduduk miskin", "Number of poor people"),
        "angkatan_kerja": lambda v: _parse_count(v, "Angkatan kerja", "Workforce"), "catatan": _text,
    },
    required=("kode", "tahun"), values=tuple(MEASURES),
    key=("kode", "tahun"), summable=("penduduk", "luas_km2", "jumlah_miskin", "angkatan_kerja"),
    examples={"kode": ("Kabupaten/Kota",), "tahun": ("Tahun",), "penduduk": ("Jumlah Penduduk (jiwa)",)},
    expand=_expand_denominator, derive_year=None,
)

# ---- committee scores (penilaian): the criteria are data, in data/penilaian/komite.toml

CRITERIA = tuple(committee_criteria())
if set(CRITERIA) & {"kode", "tahun", "tanggal_data", "kriteria", "skor", "penilai", "catatan"}:
    raise ValueError(f"data/penilaian/komite.toml: a criterion may not be called like a column: {CRITERIA}")


def _short_title(title: str) -> str:
    """"Penerapan (pendataan, sasaran, penyerahan kartu)" -> "Penerapan"."""
    return title.split("(")[0].strip()


@lru_cache(maxsize=1)
def _criterion_names() -> dict[str, str]:
    """Every accepted spelling (words joined, case-folded) -> criterion key: the key, the Indonesian
    and English titles of komite.toml, and those titles without their bracketed explanation."""
    names = {}
    for key, entry in committee_criteria().items():
        for name in (key, entry["id"], entry["en"], _short_title(entry["id"]), _short_title(entry["en"])):
            names["".join(_words(name))] = key
    return names


def _parse_kriteria(value) -> str:
    key = _criterion_names().get("".join(_words(value)))
    if key:
        return key
    allowed = ", ".join(CRITERIA)
    titles = "; ".join(f"{k} = {_short_title(e['id'])}" for k, e in committee_criteria().items())
    titles_en = "; ".join(f"{k} = {_short_title(e['en'])}" for k, e in committee_criteria().items())
    if _is_empty(value):
        raise ParseError(f"Kriteria kosong. Isi salah satu: {allowed}.",
                         f"The criterion is empty. Enter one of: {allowed}.")
    raise ParseError(f'Kriteria "{value}" tidak dikenali. Pilih salah satu: {allowed} ({titles}); '
                     "kriteria lain harus ditambahkan dulu ke data/penilaian/komite.toml.",
                     f'The criterion "{value}" is not recognised. Choose one of: {allowed} ({titles_en}); '
                     "another criterion must first be added to data/penilaian/komite.toml.")


def _parse_skor(value) -> str:
    low, high = SKOR_RANGE
    try:
        number = parse_number(value)
    except ParseError:
        raise ParseError(f'Skor "{value}" bukan angka. Isi skor komite {low:g}–{high:g}, mis. 87,5.',
                         f'The score "{value}" is not a number. Enter a committee score of {low:g}–{high:g}, '
                         "e.g. 87.5.") from None
    if number is None:
        raise ParseError("Skor kosong.", "The score is empty.")
    return _number_text(_within(number, value, "Skor", "The score", high, low, outside=(
        f'Skor "{value}" di luar {low:g}–{high:g}. Isi skor komite {low:g} sampai {high:g}.',
        f'The score "{value}" is outside {low:g}–{high:g}. Enter a committee score from {low:g} to {high:g}.')))


def _parse_tanggal_penilaian(value) -> str:
    if _is_empty(value):
        raise ParseError("Tanggal penilaian kosong. Isi tanggal komite menilai, mis. 15/07/2025.",
                         "The assessment date is empty. Enter the date the committee scored, e.g. 15/07/2025.")
    return parse_date(value).isoformat()


_TOTAL_WORDS = {"total", "jumlah", "jml", "rata", "rerata", "average", "mean", "sum", "akhir", "bobot", "tertimbang",
                "peringkat", "ranking", "rank"}


def _criterion_rule(key: str) -> Callable[[set, str], bool]:
    """A wide sheet's column for one criterion: its key among the header words ("Skor Kebijakan"), or
    a title of komite.toml, whole or without its bracket ("Penerapan", "Local policy")."""
    entry = committee_criteria()[key]
    titles = [set(_words(t)) for t in (entry["id"], entry["en"], _short_title(entry["id"]), _short_title(entry["en"]))]
    return lambda s, raw: not s & _TOTAL_WORDS and (key in s or any(t and t <= s for t in titles))


def _is_score_header(s: set, raw: str) -> bool:
    """"Skor", "Skor (0–100)", "Nilai Komite" — not "Total Skor" or "Nilai Klaim (Rp)"."""
    named = bool(s & {"skor", "score", "poin"}) or "nilai" in s and bool(s & {"komite", "juri", "penilaian", "100"})
    return named and not s & _TOTAL_WORDS


def _expand_penilaian(record: dict, row_id: str) -> list[dict]:
    common = {k: record[k] for k in ("kode", "tahun", "tanggal_data", "penilai", "catatan")}
    rows = []
    if record["skor"] != "":  # long layout: the row names its criterion
        rows.append({**common, "penilaian_id": row_id, "kriteria": record["kriteria"], "skor": record["skor"]})
    for key in CRITERIA:  # wide layout: one column per criterion
        if record[key] != "":
            rows.append({**common, "penilaian_id": f"{row_id}-{key}", "kriteria": key, "skor": record[key]})
    return rows


def _unused_in_wide_sheet(header: str, found: set) -> tuple[str, str] | None:
    """Beside criterion columns, an unrecognised column is likely a criterion komite.toml lacks."""
    if not found & set(CRITERIA) or set(_words(header)) & (_TOTAL_WORDS | {"no", "nomor", "urut"}):
        return None
    allowed = ", ".join(CRITERIA)
    return (f'Kolom "{header}" tidak diimpor: bukan kriteria yang dikenal ({allowed}). Bila ini skor kriteria, '
            "ganti judulnya dengan salah satu kriteria, atau tambahkan kriterianya ke data/penilaian/komite.toml.",
            f'Column "{header}" is not imported: it is no known criterion ({allowed}). If it holds a criterion\'s '
            "scores, rename it to one of the criteria, or add the criterion to data/penilaian/komite.toml.")


PENILAIAN = Kind(
    table="penilaian", label="Penilaian komite (skor 0–100)", label_en="Committee scores (0–100)",
    rules=(
        ("tanggal_data", _any(*DATE_WORDS)),
        ("tahun", _any(*YEAR_WORDS)),
        ("catatan", _any(*NOTE_WORDS)),  # before the criteria: "Catatan Wawancara" is a note
        ("skor", _is_score_header),
        *((key, _criterion_rule(key)) for key in CRITERIA),
        ("kriteria", _any("kriteria", "criterion", "criteria", "aspek", "aspect", "unsur", "komponen", "indikator")),
        ("penilai", _any("penilai", "juri", "assessor", "asesor", "evaluator", "reviewer")),
        ("kode", _any(*REGION_WORDS)),
    ),
    parsers={
        "kode": _parse_kode, "tahun": _parse_tahun, "tanggal_data": _parse_tanggal_penilaian,
        "kriteria": _parse_kriteria, "skor": _parse_skor, **{key: _parse_skor for key in CRITERIA},
        "penilai": _text, "catatan": _text,
    },
    required=("kode", "tanggal_data"), values=("skor", *CRITERIA),
    key=("kode", "tahun", "tanggal_data", "kriteria", "penilai"), summable=(),
    examples={"kode": ("Kabupaten/Kota",), "tanggal_data": ("Tanggal Penilaian",), "kriteria": ("Kriteria",),
              "skor": ("Skor (0–100)",),
              **{key: (_short_title(entry["id"]),) for key, entry in committee_criteria().items()}},
    expand=_expand_penilaian, derive_year="tahun", key_on_rows=True, needs={"skor": "kriteria"},
    unused_warning=_unused_in_wide_sheet,
)

KINDS: dict[str, Kind] = {k.table: k for k in (KEPESERTAAN, ANGGARAN, KLAIM, DENOMINATOR, PENILAIAN)}


# --------------------------------------------------------------------------- header and columns


def _column_for(kind: Kind, header) -> str | None:
    """The field a header names, or None."""
    if not isinstance(header, str):
        return None
    w = _words(header)
    s = set(w)
    if not w or len(w) > 8:  # long cells are titles or notes, not headers
        return None
    if s <= {"no", "nomor", "urut", "nmr"}:
        return _NO
    raw = header.casefold()
    return next((col for col, hit in kind.rules if hit(s, raw)), None)


def _map_header(kind: Kind, cells: list) -> tuple[dict[int, str], dict[int, str]]:
    """(column index -> field, index -> field of later columns that named an already-mapped field)."""
    mapping: dict[int, str] = {}
    repeats: dict[int, str] = {}
    for index, cell in enumerate(cells):
        col = _column_for(kind, cell)
        if col is None:
            continue
        if col in mapping.values() and col != _NO:
            repeats[index] = col
        else:
            mapping[index] = col
    return mapping, repeats


def _header_score(kind: Kind, mapping: dict[int, str]) -> tuple[int, int, int, int]:
    """(every required column and a figure present, required hits, figure columns, all fields)."""
    found = set(mapping.values()) - {_NO}
    has_value = bool(found & set(kind.values))
    hits = len(found & set(kind.required)) + has_value
    return (int(hits == len(kind.required) + 1), hits, len(found & set(kind.values)), len(found))


@dataclass
class _Header:
    last: int | None  # 0-based row of the (lowest) header line
    cells: list  # header text per column (two stacked lines combined)
    mapping: dict[int, str]
    score: tuple[int, ...]


def _find_header(kind: Kind, sheet: Sheet) -> _Header:
    """The best-matching header among the first rows: one line, or two stacked lines where a
    group cell ("Kepesertaan BPJS") sits above its sub-headers ("Jumlah Peserta", "Bulan")."""
    best = _Header(None, [], {}, (0, 0, 0, 0))
    rows = sheet.rows[:HEADER_SEARCH_ROWS]
    for index, cells in enumerate(rows):
        candidates = [cells] + ([_stack(rows[index - 1], cells)] if index else [])
        for combined in candidates:
            mapping, _ = _map_header(kind, combined)
            score = _header_score(kind, mapping)
            if score > best.score:  # strict: the earliest, single-line one wins a tie
                best = _Header(index, combined, mapping, score)
    return best


def _stack(upper: list, lower: list) -> list:
    """Two header lines as one: the lower cell where it has text, else the one above it."""
    width = max(len(upper), len(lower))
    upper, lower = list(upper) + [None] * (width - len(upper)), list(lower) + [None] * (width - len(lower))
    return [up if _is_empty(low) else low for up, low in zip(upper, lower)]


_COLUMN_NUMBER_RE = re.compile(r"^\(?(\d{1,2})\)?$")


def _data_start(sheet: Sheet, header: _Header) -> int:
    """The first row after the header block: a header line repeated by a vertical merge and the
    "(1) (2) (3)" column-number line of official tables are part of the header, not data."""
    index = header.last + 1
    while index < len(sheet.rows):
        cells = sheet.rows[index]
        filled = [(i, c) for i, c in enumerate(cells) if not _is_empty(c)]
        repeat = filled and all(i < len(header.cells) and c == header.cells[i] for i, c in filled)
        if not (repeat or _is_column_numbers([c for _, c in filled])):
            return index
        index += 1
    return index


def _is_column_numbers(values: list) -> bool:
    numbers = [_COLUMN_NUMBER_RE.match(str(v).strip()) for v in values]
    if len(values) < 3 or not all(numbers):
        return False
    return [int(m.group(1)) for m in numbers] == list(range(1, len(values) + 1))


def detect(sheets: list[Sheet], kind: str | None = None, sheet: str | None = None) -> tuple[Kind | None, Sheet | None]:
    """The kind and sheet whose header matches best. A tie between kinds gives (None, sheet)."""
    candidates = [s for s in sheets if sheet is None or s.name == sheet]
    kinds = [KINDS[kind]] if kind else list(KINDS.values())
    scored = [(_find_header(k, s).score, -i, -j, k, s) for j, k in enumerate(kinds) for i, s in enumerate(candidates)]
    if not scored:
        return (KINDS[kind] if kind else None), None
    best = max(scored, key=lambda item: item[:3])
    rivals = {item[3].table for item in scored if item[0] == best[0]}
    if len(rivals) > 1 or best[0][2] == 0 and not kind:
        return None, best[4]
    return best[3], best[4]


# --------------------------------------------------------------------------- reading one file


@dataclass
class _Context:
    file: str
    sheet: str | None
    headers: dict[str, str]  # field -> source header text
    problems: list[Problem] = field(default_factory=list)
    scales: dict[str, float] = field(default_factory=dict)
    memo: dict[tuple, object] = field(default_factory=dict)  # (field, cell) -> parsed text or ParseError

    def parse(self, parse: Callable, column: str, value):
        """parse(value), remembered per column: region names, dates and choices repeat on every row."""
        key = (column, type(value), value)
        found = self.memo.get(key)
        if found is None:
            try:
                found = parse(value)
            except ParseError as exc:
                found = exc
            self.memo[key] = found
        if isinstance(found, ParseError):
            raise found
        return found

    error_rows: set = field(default_factory=set)

    def add(self, level: str, row: int | None, column: str | None, message: str, message_en: str) -> None:
        header = self.headers.get(column, column) if column else None
        self.problems.append(Problem(self.file, self.sheet, row, header, level, message, message_en))
        if level == "error":
            self.error_rows.add(row)


def read_path(path: Path | str, sheet: str | None = None, kind: str | None = None,
              defaults: dict | None = None) -> ReadResult:
    """Read a file from disk (the command line); see `read_file`."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return failed(path.name, sheet, kind, f"File tidak dapat dibaca: {exc}", f"The file cannot be read: {exc}")
    return read_file(path.name, data, sheet=sheet, kind=kind, defaults=defaults)


def read_file(file_name: str, data: bytes, sheet: str | None = None, kind: str | None = None,
              defaults: dict | None = None) -> ReadResult:
    """Read one steward file into store rows plus problems; never raises for bad content.

    `file_name` is only shown in messages and stored with the batch (an uploaded file's name is never
    used as a path), cleaned first (`clean_file_name`) so no name can forge a line of output.
    With `kind` None the kind is detected from the header; with `sheet` None the best sheet is used.
    """
    file_name = clean_file_name(file_name)
    try:
        sheets = read_grid(file_name, data)
    except Unreadable as exc:
        return failed(file_name, sheet, kind, exc.message, exc.message_en)
    if sheet is not None and not any(s.name == sheet for s in sheets):
        names = ", ".join(s.name for s in sheets if s.name) or "-"
        return failed(file_name, sheet, kind, f'Sheet "{sheet}" tidak ada. Sheet yang ada: {names}.',
                       f'There is no sheet "{sheet}". Sheets in the file: {names}.')
    chosen_kind, chosen = detect(sheets, kind, sheet)
    if chosen_kind is None:
        return _undetected(file_name, chosen)
    return _read_sheet(chosen_kind, file_name, data, chosen, {**chosen_kind.defaults, **(defaults or {})})


def failed(file_name: str, sheet, kind, message: str, message_en: str) -> ReadResult:
    """A result with no rows and one error about the whole file (also used by analytics.reader_process)."""
    result = _empty(file_name, sheet, kind)
    result.problems.append(Problem(result.file, sheet, None, None, "error", message, message_en))
    return result


def _empty(file_name: str, sheet, kind: str | None) -> ReadResult:
    rows = pd.DataFrame(columns=[c for c, _ in FACT_TABLES[kind]] + ["baris"]) if kind else pd.DataFrame()
    # cleaned again here (idempotent) so a ReadResult made by any caller shows and stores clean names
    return ReadResult(kind, clean_file_name(file_name), sheet and one_line(sheet), None, {}, pd.DataFrame(), rows)


def _undetected(file_name: str, sheet: Sheet | None) -> ReadResult:
    labels = "; ".join(f"{k.table} ({k.label})" for k in KINDS.values())
    labels_en = "; ".join(f"{k.table} ({k.label_en})" for k in KINDS.values())
    return failed(file_name, sheet.name if sheet else None, None,
                   f"Jenis data tidak dapat ditentukan dari judul kolom. Pilih jenisnya: {labels}; "
                   "atau pakai templat yang tersedia.",
                   f"The kind of data cannot be told from the column headers. Choose it: {labels_en}; "
                   "or use the template provided.")


def _read_sheet(kind: Kind, file: str, data: bytes, sheet: Sheet, defaults: dict) -> ReadResult:
    header = _find_header(kind, sheet)
    header_cells, mapping = header.cells, header.mapping
    headers = {col: str(header_cells[i]).strip() for i, col in mapping.items() if col != _NO}
    ctx = _Context(file, sheet.name, headers, scales=_scales(kind, headers))
    header_row = None if header.last is None else header.last + 1
    result = _empty(file, sheet.name, kind.table)
    result.header_row, result.mapping, result.problems = header_row, {v: k for k, v in headers.items()}, ctx.problems
    result.scales = ctx.scales
    result.unused = [str(c).strip() for i, c in enumerate(header_cells) if i not in mapping and not _is_empty(c)]
    if not _check_required(kind, ctx, mapping, header_cells, header_row, defaults):
        return result
    _warn_repeated_columns(kind, ctx, header_cells, header_row)
    _warn_unused_columns(kind, ctx, result.unused, set(mapping.values()), header_row)
    digest = hashlib.sha256(data).hexdigest()[:10]
    records = _read_records(kind, ctx, sheet, _data_start(sheet, header), mapping, defaults)
    _check_duplicates(kind, ctx, records)
    if not records:
        ctx.add("error", None, None,
                f"Tidak ada baris data di bawah header (baris {header_row}). Isi minimal satu baris wilayah.",
                f"There are no data rows below the header (row {header_row}). Enter at least one region row.")
    result.records = pd.DataFrame(records, columns=kind.fields + ["baris"], dtype=str)
    result.rows = _store_rows(kind, records, digest)
    return result


def _check_required(kind: Kind, ctx: _Context, mapping: dict[int, str], header_cells: list, header_row, defaults) -> bool:
    found = set(mapping.values())
    missing = [col for col in kind.required if col not in found and not defaults.get(col)]
    missing += [need for value, need in kind.needs.items()  # "Skor" without a "Kriteria" column
                if value in found and need not in found and not defaults.get(need) and need not in missing]
    if not missing and found & set(kind.values):
        return True
    wanted = "; ".join([_wanted(kind, col) for col in missing]
                       + ([" atau ".join(_wanted(kind, col) for col in kind.values)] if not found & set(kind.values) else []))
    seen = ", ".join(f'"{c}"' for c in header_cells if not _is_empty(c)) or "-"
    recognised = ", ".join(f'"{h}" → {col}' for col, h in ctx.headers.items()) or "-"
    where = f"baris {header_row}" if header_row else "tidak ditemukan"
    ctx.add("error", header_row, None,
            f"Data {kind.label}: kolom wajib tidak ditemukan: {wanted}. Header ({where}): {seen}. "
            f"Dikenali: {recognised}. Ganti nama kolom header agar sesuai, atau pakai templat.",
            f"{kind.label_en}: required columns not found: {wanted}. Header (row {header_row}): {seen}. "
            f"Recognised: {recognised}. Rename the header cells to match, or use the template.")
    return False


def _wanted(kind: Kind, col: str) -> str:
    examples = kind.examples.get(col)
    if not examples:
        return col
    quoted = ", ".join(f'"{e}"' for e in examples)
    return f"{col} (mis. {quoted})"


def _warn_unused_columns(kind: Kind, ctx: _Context, unused: list[str], found: set, header_row) -> None:
    if kind.unused_warning is None:
        return
    for header in unused:
        warning = kind.unused_warning(header, found)
        if warning:
            ctx.add("warning", header_row, None, *warning)


def _warn_repeated_columns(kind: Kind, ctx: _Context, header_cells: list, header_row) -> None:
    _, repeats = _map_header(kind, header_cells)
    for index, col in repeats.items():
        ctx.add("warning", header_row, None,
                f'Kolom "{header_cells[index]}" juga cocok dengan {col}, tetapi yang dipakai kolom "{ctx.headers[col]}"; '
                "kolom ini tidak diimpor. Ganti judulnya bila isinya berbeda.",
                f'Column "{header_cells[index]}" also matches {col}, but column "{ctx.headers[col]}" is used; '
                "this column is not imported. Rename it if it holds something else.")


_TOTAL_RE = re.compile(r"^(jumlah|total|grand total|provinsi jawa timur|jawa timur|jatim)\b")


def _total_label(cells: list, mapping: dict[int, str]) -> bool:
    """A JUMLAH/TOTAL row: the label sits in the region column or an unmapped/"No" column."""
    return any(isinstance(cell, str) and mapping.get(i) in (None, _NO, "kode") and _is_total_text(cell)
               for i, cell in enumerate(cells))


@lru_cache(maxsize=4096)
def _is_total_text(text: str) -> bool:
    return bool(_TOTAL_RE.match(" ".join(_words(text))))


_HEADER_SCALES = {"ribu": 1e3, "rb": 1e3, "juta": 1e6, "jt": 1e6, "miliar": 1e9, "milyar": 1e9}


def _scales(kind: Kind, headers: dict[str, str]) -> dict[str, float]:
    """Figure columns headed "(Rp juta)", "(ribu jiwa)": their numbers are multiplied back."""
    out = {}
    for col, header in headers.items():
        found = [_HEADER_SCALES[w] for w in _words(header) if w in _HEADER_SCALES]
        if col in kind.values and found:
            out[col] = found[0]
    return out


def _read_records(kind: Kind, ctx: _Context, sheet: Sheet, start: int, mapping: dict[int, str],
                  defaults: dict) -> list[dict]:
    records: list[dict] = []
    index_of = {col: i for i, col in mapping.items() if col != _NO}
    fields = [(col, index_of.get(col), parse, defaults.get(col), col in kind.required)
              for col, parse in kind.parsers.items()]  # worked out once, used on every row
    values = [v for v in kind.values if v in index_of]
    kode_index = index_of.get("kode")
    totals = _Totals()
    notes: list[int] = []
    for index in range(start, len(sheet.rows)):
        cells, row = sheet.rows[index], index + 1
        if all(i >= len(cells) or _is_empty(cells[i]) for i in index_of.values()):
            if totals.seen and not all(map(_is_empty, cells)):
                notes.append(row)  # a note written in the "No" column or beside the table
            continue  # blank line, or a pre-numbered template row
        if _total_label(cells, mapping):
            _check_totals(kind, ctx, row, cells, mapping, records, totals)
            continue  # subtotals ("Jumlah Kabupaten") may be followed by more regions
        if totals.seen and not any(i < len(cells) and not _is_empty(cells[i]) for i in (index_of[v] for v in values)):
            notes.append(row)  # text under the table: a source line, a signature block
            continue
        if kode_index is not None and kode_index < len(cells) and _is_example(cells[kode_index]):
            ctx.add("warning", row, "kode", "Baris contoh dari templat; tidak diimpor.",
                    "The template's example row; not imported.")
            continue
        record = _read_record(kind, ctx, sheet, row, cells, fields)
        if not any(record[v] for v in values) and not _row_has_errors(ctx, row):
            ctx.add("warning", row, None, "Baris ini tidak berisi angka; dilewati.",
                    "This row holds no figures; skipped.")
            continue
        record["baris"] = str(row)
        records.append(record)
    _warn_notes(ctx, notes)
    return records


@dataclass
class _Totals:
    seen: bool = False
    segment_start: int = 0  # index into records where the rows of the next subtotal begin


def _is_example(value) -> bool:
    return isinstance(value, str) and value.strip().casefold().startswith("contoh")


def _row_has_errors(ctx: _Context, row: int) -> bool:
    return row in ctx.error_rows


def _read_record(kind: Kind, ctx: _Context, sheet: Sheet, row: int, cells: list, fields: list[tuple]) -> dict:
    record = dict.fromkeys(kind.parsers, "")
    width = len(cells)
    first_problem = len(ctx.problems)
    for column, index, parse, default, required in fields:
        if index is not None and sheet.uncached and (row, index) in sheet.uncached:
            ctx.add("error", row, column, "Sel berisi rumus tanpa nilai tersimpan. Buka file di Excel, simpan ulang, "
                    "atau ganti rumus dengan nilainya.", "The cell holds a formula with no saved value. Open the "
                    "file in Excel and save it again, or replace the formula with its value.")
            continue
        value = cells[index] if index is not None and index < width else None
        if _is_empty(value):
            if _is_empty(default) and not required:
                continue  # optional, or a figure column left empty in this row
            value = default
        elif column in ctx.scales:
            value = _scaled(value, ctx.scales[column])
        try:
            record[column] = ctx.parse(parse, column, value)
        except ParseError as exc:
            ctx.add("error", row, column, exc.message, exc.message_en)
    if kind.derive_year and record.get("tanggal_data"):
        _check_date(kind, ctx, row, record)
    for value, need in kind.needs.items():
        failed = {p.column for p in ctx.problems[first_problem:]}  # this row's problems so far
        if record[value] and not record[need] and ctx.headers.get(need, need) not in failed:
            need_id, value_id, need_en, value_en = (_label(ctx, need), _label(ctx, value),
                                                    _label(ctx, need, "column"), _label(ctx, value, "column"))
            ctx.add("error", row, need,
                    f"{need_id[:1].upper()}{need_id[1:]} kosong, padahal {value_id} terisi. Isi {need_id}, "
                    "atau kosongkan baris ini.",
                    f"{need_en[:1].upper()}{need_en[1:]} is empty although {value_en} is filled. Fill in {need_en}, "
                    "or empty this row.")
    return record


def _check_date(kind: Kind, ctx: _Context, row: int, record: dict) -> None:
    """The row's date and budget year against analytics.plausible; checked per row, not by the cell
    parser, because whether a date may lie ahead depends on the row's other cells. With no year
    given, the year is the one the date falls in, and must be plausible too."""
    given = record[kind.derive_year]
    if not given:
        record[kind.derive_year] = record["tanggal_data"][:4]
    when = (record["tanggal_data"], int(record[kind.derive_year]), kind.planned(record), not given)
    try:
        ctx.parse(_plausible_date, _WHEN, when)  # remembered: rows repeat their date and year
    except ParseError as exc:
        ctx.add("error", row, "tanggal_data", exc.message, exc.message_en)


_WHEN = "_when"  # _Context.parse memo key of the date-and-year check


def _plausible_date(when: tuple[str, int, bool, bool]) -> bool:
    date, year, planned, derived = when
    plausible.check_date(dt.date.fromisoformat(date), year, planned)
    if derived:
        try:
            plausible.check_year(year)
        except ParseError as exc:
            raise ParseError(f"Tahun anggaran diambil dari tanggal data. {exc.message}",
                             f"The budget year is taken from the data date. {exc.message_en}") from None
    return True  # not None: _Context.parse remembers a result only when it is not None


def _label(ctx: _Context, column: str, word: str = "kolom") -> str:
    return f'{word} "{ctx.headers[column]}"' if column in ctx.headers else column



def _scaled(value, scale: float):
    try:
        number = parse_number(value)
    except ParseError:
        return value  # the parser reports it with the original text
    # Decimal, not float: "17.150,9" (Rp juta) must become 17150900000, not 17150900000.000002
    return value if number is None else float(Decimal(repr(number)) * Decimal(int(scale)))


def _check_totals(kind: Kind, ctx: _Context, row: int, cells: list, mapping: dict[int, str], records: list[dict],
                  totals: _Totals) -> None:
    """A total row must equal either the rows since the previous total (a subtotal such as
    "Jumlah Kota") or all rows so far (the grand total); it is never imported as a region."""
    index_of = {col: i for i, col in mapping.items()}
    segment = records[totals.segment_start:]
    totals.seen, totals.segment_start = True, len(records)
    comparable = not any(_row_has_errors(ctx, int(r["baris"])) for r in records)
    for column in kind.summable:
        if column not in index_of or index_of[column] >= len(cells):
            continue
        try:
            total = parse_number(_scaled(cells[index_of[column]], ctx.scales.get(column, 1)))
        except ParseError as exc:
            ctx.add("error", row, column, exc.message, exc.message_en)
            continue
        if total is None or not comparable:
            continue  # a label without a number, or rows already in error
        part, whole = _sum(segment, column), _sum(records, column)
        if not (math.isclose(total, part, abs_tol=0.5) or math.isclose(total, whole, abs_tol=0.5)):
            ctx.add("error", row, column,
                    f"Baris JUMLAH (baris {row}) berisi {fmt.number(total)}, tetapi jumlah baris data {fmt.number(whole)} "
                    f"(selisih {fmt.number(total - whole)}). Periksa angka per wilayah atau angka jumlahnya.",
                    f"The total row (row {row}) says {fmt.number(total)} but the data rows add up to {fmt.number(whole)} "
                    f"(difference {fmt.number(total - whole)}). Check the regional figures or the total.")


def _sum(records: list[dict], column: str) -> float:
    return sum(float(r[column]) for r in records if r[column])


def _warn_notes(ctx: _Context, notes: list[int]) -> None:
    if notes:
        ctx.add("warning", notes[0], None,
                f"Baris {notes[0]}–{notes[-1]} di bawah baris JUMLAH tidak diimpor (dianggap catatan).",
                f"Rows {notes[0]}–{notes[-1]} below the total row are not imported (treated as notes).")


def _check_duplicates(kind: Kind, ctx: _Context, records: list[dict]) -> None:
    """The same key twice in one file is one figure entered twice."""
    seen: dict[tuple, str] = {}
    for record in records:
        if _row_has_errors(ctx, int(record["baris"])):
            continue  # already reported; a key with holes would flag false duplicates
        figures = kind.expand({k: v for k, v in record.items() if k != "baris"}, "-") if kind.key_on_rows else [record]
        reported = set()
        for figure in figures:
            key = tuple(figure[col].casefold() for col in kind.key)
            if key not in seen:
                seen[key] = record["baris"]
            elif seen[key] not in reported:  # one message per pair of rows, however many criteria repeat
                reported.add(seen[key])
                described = ", ".join(f"{col} {figure[col] or '-'}" for col in kind.key)
                ctx.add("error", int(record["baris"]), None,
                        f"Baris ganda: sama dengan baris {seen[key]} ({described}). Hapus salah satu, atau bedakan isinya.",
                        f"Duplicate row: same as row {seen[key]} ({described}). Delete one, or tell them apart.")


def _store_rows(kind: Kind, records: list[dict], digest: str) -> pd.DataFrame:
    rows = []
    for record in records:
        for row in kind.expand({k: v for k, v in record.items() if k != "baris"}, f"R-{digest}-{record['baris']}"):
            rows.append({**row, "baris": record["baris"]})
    columns = [c for c, _ in FACT_TABLES[kind.table]] + ["baris"]
    return pd.DataFrame(rows, columns=columns, dtype=str).fillna("")
