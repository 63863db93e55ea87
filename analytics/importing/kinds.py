"""The five kinds of data a steward sends and how each is read.

Enrolment observations (`kepesertaan`), DBHCHT budgets (`anggaran`), claims (`klaim`),
denominators (`denominator`) and the award committee's scores (`penilaian`). A Kind names its
columns' header rules, parsers, required and summable fields and how one source record becomes
store rows: budgets and denominators come "wide" (one column per component or measure, as
stewards keep them) and expand to the store's one-figure-per-row tables; committee scores come
long (a Kriteria and a Skor column) or wide (one column per criterion of komite.toml).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from analytics import plausible
from analytics.importing.cells import ParseError, parse_date, parse_number
from analytics.importing.fields import (
    DATE_WORDS,
    DBH_WORDS,
    JAMSOS_WORDS,
    NOTE_WORDS,
    REGION_WORDS,
    YEAR_WORDS,
    Rule,
    any_word,
    cell_text,
    choice_parser,
    is_empty,
    number_text,
    parse_bulan,
    parse_count,
    parse_kode,
    parse_measure,
    parse_percent,
    parse_rupiah,
    parse_sumber_dana,
    parse_tahun,
    parse_tanggal,
    within_bounds,
    words_of,
)
from analytics.schema import SKOR_RANGE, committee_criteria

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
    common = {
        k: record[k]
        for k in ("kode", "tahun_anggaran", "tanggal_data", "tahap_anggaran", "bulan_cakupan", "sumber_dana", "alasan")
    }
    return [
        {**common, "anggaran_id": f"{row_id}-{part}", "komponen": part, "nilai_rp": record[part], "diutamakan": "true"}
        for part in BUDGET_COMPONENTS
        if record[part] != ""
    ]


def _is_budget_plan(record: dict) -> bool:
    """Allocations and budgeted amounts only: a plan. One realised amount dates the whole row."""
    return not any(record[part] for part in BUDGET_COMPONENTS if part not in plausible.PLANNED_COMPONENTS)


def _expand_klaim(record: dict, row_id: str) -> list[dict]:
    return [{**record, "klaim_id": row_id}]


MEASURES = {
    "penduduk": "jiwa",
    "luas_km2": "km2",
    "persen_miskin": "persen",
    "jumlah_miskin": "jiwa",
    "angkatan_kerja": "orang",
}


def _expand_denominator(record: dict, row_id: str) -> list[dict]:
    return [
        {
            "denom_id": f"{row_id}-{metric}",
            "kode": record["kode"],
            "tahun": record["tahun"],
            "metrik": metric,
            "nilai": record[metric],
            "satuan": unit,
            "catatan": record["catatan"],
        }
        for metric, unit in MEASURES.items()
        if record[metric] != ""
    ]


def _common_tail(note_field: str) -> tuple[Rule, ...]:
    return ((note_field, any_word(*NOTE_WORDS)), ("kode", any_word(*REGION_WORDS)))


def _is_funding_header(s: set, raw: str) -> bool:
    """ "Sumber Dana", "Sumber Anggaran", "Pendanaan" — but not "Dana Bagi Hasil Cukai (Rp)"."""
    return "pendanaan" in s or "sumber" in s and bool(s & {"dana", "anggaran", "pembiayaan"})


KEPESERTAAN = Kind(
    table="kepesertaan",
    label="Kepesertaan (peserta terdaftar)",
    label_en="Enrolment (registered workers)",
    rules=(
        ("kategori_pekerja", lambda s, raw: bool(s & {"kategori", "sektor", "kelompok"}) or {"jenis", "pekerja"} <= s),
        ("bulan_cakupan", any_word("bulan")),
        ("sumber_dana", any_word("sumber", "dana", "pendanaan")),
        ("jenis_angka", any_word("jenis")),
        ("tanggal_data", any_word(*DATE_WORDS)),
        ("tahun_anggaran", any_word(*YEAR_WORDS)),
        ("peserta", lambda s, raw: bool(s & {"peserta", "pekerja", "participants"}) or s in ({"jumlah"}, {"jml"})),
        *_common_tail("alasan"),
    ),
    parsers={
        "kode": parse_kode,
        "peserta": lambda v: parse_count(v, "Jumlah peserta", "The number of participants"),
        "tanggal_data": parse_tanggal,
        "tahun_anggaran": parse_tahun,
        "bulan_cakupan": parse_bulan,
        "jenis_angka": choice_parser(
            {"realisasi": "realisasi", "target": "target", "rencana": "rencana"}, "Jenis angka", "Figure type"
        ),
        "sumber_dana": parse_sumber_dana,
        "kategori_pekerja": cell_text,
        "alasan": cell_text,
    },
    required=("kode", "tanggal_data"),
    values=("peserta",),
    key=("kode", "tanggal_data", "jenis_angka", "sumber_dana", "kategori_pekerja"),
    summable=("peserta",),
    examples={
        "kode": ("Kabupaten/Kota", "Wilayah", "Kode"),
        "peserta": ("Jumlah Peserta", "Jml. Pekerja Rentan"),
        "tanggal_data": ("Tanggal Data", "Tgl"),
    },
    expand=_expand_kepesertaan,
    defaults={"jenis_angka": "realisasi", "sumber_dana": "dbhcht"},
    planned=lambda record: record["jenis_angka"] in plausible.PLANNED_FIGURES,
)

ANGGARAN = Kind(
    table="anggaran",
    label="Anggaran DBHCHT",
    label_en="DBHCHT budgets",
    rules=(
        ("sumber_dana", _is_funding_header),
        ("tahun_anggaran", any_word(*YEAR_WORDS)),
        ("tanggal_data", any_word(*DATE_WORDS)),
        ("bulan_cakupan", any_word("bulan")),
        ("realisasi_jamsos", lambda s, raw: "realisasi" in s and bool(s & set(JAMSOS_WORDS))),
        ("anggaran_jamsos", lambda s, raw: bool(s & set(JAMSOS_WORDS)) and not s & {"peserta", "kepesertaan"}),
        ("realisasi_dbhcht", lambda s, raw: "realisasi" in s and bool(s & set(DBH_WORDS))),
        ("alokasi_dbhcht", any_word(*DBH_WORDS)),
        ("tahap_anggaran", any_word("tahap", "tahapan", "murni", "pak", "perubahan")),
        *_common_tail("alasan"),
    ),
    parsers={
        "kode": parse_kode,
        "tahun_anggaran": parse_tahun,
        "tanggal_data": parse_tanggal,
        "tahap_anggaran": choice_parser(
            {
                "murni": "murni",
                "induk": "murni",
                "pak": "pak",
                "perubahan": "pak",
                "papbd": "pak",
                "perubahanapbd": "pak",
                "apbdp": "pak",
            },
            "Tahap anggaran",
            "Budget stage",
        ),
        **{part: parse_rupiah for part in BUDGET_COMPONENTS},
        "bulan_cakupan": parse_bulan,
        "sumber_dana": parse_sumber_dana,
        "alasan": cell_text,
    },
    required=("kode", "tanggal_data"),
    values=BUDGET_COMPONENTS,
    key=("kode", "tahun_anggaran", "tanggal_data", "tahap_anggaran", "sumber_dana"),
    summable=BUDGET_COMPONENTS,
    examples={
        "kode": ("Kabupaten/Kota",),
        "tanggal_data": ("Tanggal Data",),
        "alokasi_dbhcht": ("Alokasi DBHCHT (Rp)",),
        "anggaran_jamsos": ("Anggaran Jamsos (Rp)",),
    },
    expand=_expand_anggaran,
    defaults={"sumber_dana": "dbhcht"},  # the template's budgets are DBHCHT budgets
    planned=_is_budget_plan,
)

KLAIM = Kind(
    table="klaim",
    label="Klaim JKK/JKM",
    label_en="JKK/JKM claims",
    rules=(
        ("sumber_dana", _is_funding_header),
        ("tahun_anggaran", any_word(*YEAR_WORDS)),
        ("tanggal_data", any_word(*DATE_WORDS)),
        ("nilai_rp", any_word("nilai", "nominal", "rp", "rupiah", "besaran")),
        ("kasus", lambda s, raw: "kasus" in s or {"jumlah", "klaim"} <= s),
        ("program", any_word("program", "jenis")),
        *_common_tail("alasan"),
    ),
    parsers={
        "kode": parse_kode,
        "tahun_anggaran": parse_tahun,
        "tanggal_data": parse_tanggal,
        "program": choice_parser(
            {
                "jkk": "JKK",
                "jkm": "JKM",
                "jkkjkm": "JKK+JKM",
                "jkkdanjkm": "JKK+JKM",
                "jaminankecelakaankerja": "JKK",
                "jaminankematian": "JKM",
            },
            "Program",
            "Programme",
        ),
        "kasus": lambda v: parse_count(v, "Jumlah kasus", "The number of cases"),
        "nilai_rp": parse_rupiah,
        "sumber_dana": parse_sumber_dana,
        "alasan": cell_text,
    },
    required=("kode", "tanggal_data", "program"),
    values=("kasus", "nilai_rp"),
    key=("kode", "tanggal_data", "program", "sumber_dana"),
    summable=("kasus", "nilai_rp"),
    examples={
        "kode": ("Kabupaten/Kota",),
        "tanggal_data": ("Tanggal Data",),
        "program": ("Program",),
        "kasus": ("Jumlah Kasus",),
        "nilai_rp": ("Nilai Klaim (Rp)",),
    },
    expand=_expand_klaim,
    defaults={"sumber_dana": "dbhcht"},  # claims of DBHCHT participants unless stated
)

DENOMINATOR = Kind(
    table="denominator",
    label="Penyebut (penduduk, luas, kemiskinan)",
    label_en="Denominators (population, area, poverty)",
    rules=(
        ("tahun", any_word("tahun", "thn", "year")),
        ("persen_miskin", lambda s, raw: "miskin" in s and (bool(s & {"persen", "persentase", "p0"}) or "%" in raw)),
        ("jumlah_miskin", any_word("miskin")),
        ("angkatan_kerja", any_word("angkatan")),
        ("penduduk", any_word("penduduk", "populasi", "jiwa")),
        ("luas_km2", any_word("luas")),
        *_common_tail("catatan"),
    ),
    parsers={
        "kode": parse_kode,
        "tahun": parse_tahun,
        "penduduk": lambda v: parse_count(v, "Jumlah penduduk", "Population"),
        "luas_km2": parse_measure,
        "persen_miskin": parse_percent,
        "jumlah_miskin": lambda v: parse_count(v, "Jumlah penduduk miskin", "Number of poor people"),
        "angkatan_kerja": lambda v: parse_count(v, "Angkatan kerja", "Workforce"),
        "catatan": cell_text,
    },
    required=("kode", "tahun"),
    values=tuple(MEASURES),
    key=("kode", "tahun"),
    summable=("penduduk", "luas_km2", "jumlah_miskin", "angkatan_kerja"),
    examples={"kode": ("Kabupaten/Kota",), "tahun": ("Tahun",), "penduduk": ("Jumlah Penduduk (jiwa)",)},
    expand=_expand_denominator,
    derive_year=None,
)

# ---- committee scores (penilaian): the criteria are data, in data/penilaian/komite.toml

CRITERIA = tuple(committee_criteria())
if set(CRITERIA) & {"kode", "tahun", "tanggal_data", "kriteria", "skor", "penilai", "catatan"}:
    raise ValueError(f"data/penilaian/komite.toml: a criterion may not be called like a column: {CRITERIA}")


def _short_title(title: str) -> str:
    """ "Penerapan (pendataan, sasaran, penyerahan kartu)" -> "Penerapan"."""
    return title.split("(")[0].strip()


@lru_cache(maxsize=1)
def _criterion_names() -> dict[str, str]:
    """Every accepted spelling (words joined, case-folded) -> criterion key: the key, the Indonesian
    and English titles of komite.toml, and those titles without their bracketed explanation."""
    names = {}
    for key, entry in committee_criteria().items():
        for name in (key, entry["id"], entry["en"], _short_title(entry["id"]), _short_title(entry["en"])):
            names["".join(words_of(name))] = key
    return names


def _parse_kriteria(value) -> str:
    key = _criterion_names().get("".join(words_of(value)))
    if key:
        return key
    allowed = ", ".join(CRITERIA)
    titles = "; ".join(f"{k} = {_short_title(e['id'])}" for k, e in committee_criteria().items())
    titles_en = "; ".join(f"{k} = {_short_title(e['en'])}" for k, e in committee_criteria().items())
    if is_empty(value):
        raise ParseError(
            f"Kriteria kosong. Isi salah satu: {allowed}.", f"The criterion is empty. Enter one of: {allowed}."
        )
    raise ParseError(
        f'Kriteria "{value}" tidak dikenali. Pilih salah satu: {allowed} ({titles}); '
        "kriteria lain harus ditambahkan dulu ke data/penilaian/komite.toml.",
        f'The criterion "{value}" is not recognised. Choose one of: {allowed} ({titles_en}); '
        "another criterion must first be added to data/penilaian/komite.toml.",
    )


def _parse_skor(value) -> str:
    low, high = SKOR_RANGE
    try:
        number = parse_number(value)
    except ParseError:
        raise ParseError(
            f'Skor "{value}" bukan angka. Isi skor komite {low:g}–{high:g}, mis. 87,5.',
            f'The score "{value}" is not a number. Enter a committee score of {low:g}–{high:g}, e.g. 87.5.',
        ) from None
    if number is None:
        raise ParseError("Skor kosong.", "The score is empty.")
    return number_text(
        within_bounds(
            number,
            value,
            "Skor",
            "The score",
            high,
            low,
            outside=(
                f'Skor "{value}" di luar {low:g}–{high:g}. Isi skor komite {low:g} sampai {high:g}.',
                f'The score "{value}" is outside {low:g}–{high:g}. Enter a committee score from {low:g} to {high:g}.',
            ),
        )
    )


def _parse_tanggal_penilaian(value) -> str:
    if is_empty(value):
        raise ParseError(
            "Tanggal penilaian kosong. Isi tanggal komite menilai, mis. 15/07/2025.",
            "The assessment date is empty. Enter the date the committee scored, e.g. 15/07/2025.",
        )
    return parse_date(value).isoformat()


_TOTAL_WORDS = {
    "total",
    "jumlah",
    "jml",
    "rata",
    "rerata",
    "average",
    "mean",
    "sum",
    "akhir",
    "bobot",
    "tertimbang",
    "peringkat",
    "ranking",
    "rank",
}


def _criterion_rule(key: str) -> Callable[[set, str], bool]:
    """A wide sheet's column for one criterion: its key among the header words ("Skor Kebijakan"), or
    a title of komite.toml, whole or without its bracket ("Penerapan", "Local policy")."""
    entry = committee_criteria()[key]
    titles = [
        set(words_of(t)) for t in (entry["id"], entry["en"], _short_title(entry["id"]), _short_title(entry["en"]))
    ]
    return lambda s, raw: not s & _TOTAL_WORDS and (key in s or any(t and t <= s for t in titles))


def _is_score_header(s: set, raw: str) -> bool:
    """ "Skor", "Skor (0–100)", "Nilai Komite" — not "Total Skor" or "Nilai Klaim (Rp)"."""
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
    if not found & set(CRITERIA) or set(words_of(header)) & (_TOTAL_WORDS | {"no", "nomor", "urut"}):
        return None
    allowed = ", ".join(CRITERIA)
    return (
        f'Kolom "{header}" tidak diimpor: bukan kriteria yang dikenal ({allowed}). Bila ini skor kriteria, '
        "ganti judulnya dengan salah satu kriteria, atau tambahkan kriterianya ke data/penilaian/komite.toml.",
        f'Column "{header}" is not imported: it is no known criterion ({allowed}). If it holds a criterion\'s '
        "scores, rename it to one of the criteria, or add the criterion to data/penilaian/komite.toml.",
    )


PENILAIAN = Kind(
    table="penilaian",
    label="Penilaian komite (skor 0–100)",
    label_en="Committee scores (0–100)",
    rules=(
        ("tanggal_data", any_word(*DATE_WORDS)),
        ("tahun", any_word(*YEAR_WORDS)),
        ("catatan", any_word(*NOTE_WORDS)),  # before the criteria: "Catatan Wawancara" is a note
        ("skor", _is_score_header),
        *((key, _criterion_rule(key)) for key in CRITERIA),
        (
            "kriteria",
            any_word("kriteria", "criterion", "criteria", "aspek", "aspect", "unsur", "komponen", "indikator"),
        ),
        ("penilai", any_word("penilai", "juri", "assessor", "asesor", "evaluator", "reviewer")),
        ("kode", any_word(*REGION_WORDS)),
    ),
    parsers={
        "kode": parse_kode,
        "tahun": parse_tahun,
        "tanggal_data": _parse_tanggal_penilaian,
        "kriteria": _parse_kriteria,
        "skor": _parse_skor,
        **{key: _parse_skor for key in CRITERIA},
        "penilai": cell_text,
        "catatan": cell_text,
    },
    required=("kode", "tanggal_data"),
    values=("skor", *CRITERIA),
    key=("kode", "tahun", "tanggal_data", "kriteria", "penilai"),
    summable=(),
    examples={
        "kode": ("Kabupaten/Kota",),
        "tanggal_data": ("Tanggal Penilaian",),
        "kriteria": ("Kriteria",),
        "skor": ("Skor (0–100)",),
        **{key: (_short_title(entry["id"]),) for key, entry in committee_criteria().items()},
    },
    expand=_expand_penilaian,
    derive_year="tahun",
    key_on_rows=True,
    needs={"skor": "kriteria"},
    unused_warning=_unused_in_wide_sheet,
)

KINDS: dict[str, Kind] = {k.table: k for k in (KEPESERTAAN, ANGGARAN, KLAIM, DENOMINATOR, PENILAIAN)}
