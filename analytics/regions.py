"""The 38 kabupaten/kota of Jawa Timur and a resolver from free-text names or codes to their codes.

Region names are a trap (DESIGN.md §3): Probolinggo, Malang, Kediri, Blitar, Pasuruan, Mojokerto
and Madiun each exist as a Kabupaten *and* a Kota. The resolver therefore never guesses: a bare
twin name is reported as ambiguous, a type that contradicts reality ("Kota Jember") is unknown with
a suggestion, and anything not recognised gets the closest names as suggestions only.

Spellings are handled in two layers:
* rules (this module): case, spacing, punctuation, accents, quotes, type words in Indonesian and
  English ("Kab.", "Kotamadya", "Regency", "City", "Pemkab", "(Kota)" ...), codes ("3513",
  "35.13", HDX p-code "ID3513");
* data/region_aliases.csv: irregular spellings no rule can derive (old spellings, Madurese names).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

import pandas as pd

from analytics import paths

DATA_DIR = paths.DATA_DIR
REGIONS_FILE = DATA_DIR / "regions.csv"
ALIASES_FILE = DATA_DIR / "region_aliases.csv"

PROVINCE_CODE = "35"
KABUPATEN, KOTA = "kabupaten", "kota"
_CODE_RANGES = "3501–3529, 3571–3579"


@dataclass(frozen=True)
class Region:
    kode: str
    nama: str
    nama_pendek: str
    jenis: str  # 'kabupaten' | 'kota'


@dataclass(frozen=True)
class Resolution:
    text: str  # the input as given
    status: str  # 'ok' | 'ambiguous' | 'unknown'
    kode: str | None  # set only when status == 'ok'
    candidates: tuple[str, ...]  # codes when ambiguous
    suggestions: tuple[str, ...]  # up to 3 closest codes when unknown (may be empty)
    message: str  # Indonesian
    message_en: str  # English


# --------------------------------------------------------------------------- reference data


@cache
def load_regions() -> tuple[Region, ...]:
    """The 38 regions from data/regions.csv, in file order (read once)."""
    # dtype=str keeps codes as text ("3501", never 3501.0); keep_default_na stops "NA" -> NaN.
    frame = pd.read_csv(REGIONS_FILE, dtype=str, keep_default_na=False)
    return tuple(
        Region(row.kode.strip(), row.nama.strip(), row.nama_pendek.strip(), row.jenis.strip())
        for row in frame.itertuples(index=False)
    )


def region_by_code(kode: str) -> Region:
    """The region with this 4-digit code; KeyError for anything else (including the province)."""
    try:
        return _regions_by_code()[str(kode).strip()]
    except KeyError:
        raise KeyError(f"unknown region code {kode!r}") from None


def regions_frame() -> pd.DataFrame:
    """All regions as a DataFrame (kode, nama, nama_pendek, jenis; all str). A fresh copy per call."""
    rows = [(r.kode, r.nama, r.nama_pendek, r.jenis) for r in load_regions()]
    return pd.DataFrame(rows, columns=["kode", "nama", "nama_pendek", "jenis"], dtype=str)


@cache
def _regions_by_code() -> dict[str, Region]:
    return {region.kode: region for region in load_regions()}


# --------------------------------------------------------------------------- normalisation

# Type words, longest first so "kota madya" wins over "kota". Prefixes and suffixes differ because
# English puts the word after the name ("Probolinggo Regency") or uses "of" before it.
_PREFIXES = {
    "pemerintah kabupaten": KABUPATEN,
    "kabupaten": KABUPATEN,
    "kab": KABUPATEN,
    "pemkab": KABUPATEN,
    "regency of": KABUPATEN,
    "pemerintah kota": KOTA,
    "kota madya": KOTA,
    "kotamadya": KOTA,
    "kotamadia": KOTA,
    "kodya": KOTA,
    "kota": KOTA,
    "pemkot": KOTA,
    "city of": KOTA,
    "municipality of": KOTA,
}
_SUFFIXES = {
    "kabupaten": KABUPATEN,
    "kab": KABUPATEN,
    "regency": KABUPATEN,
    "kota": KOTA,
    "kodya": KOTA,
    "kotamadya": KOTA,
    "city": KOTA,
    "municipality": KOTA,
}


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# A type word only counts when a name remains next to it, so "Kota" alone stays a (bad) name.
_PREFIX_RE = re.compile(rf"^({_alternation(_PREFIXES)}) (?=\S)")
_SUFFIX_RE = re.compile(rf"(?<=\S) ({_alternation(_SUFFIXES)})$")
# "Kab. Probolinggo, Jawa Timur": the province as a trailing qualifier says nothing new.
_PROVINCE_TAIL_RE = re.compile(r"(?<=\S) (?:provinsi |prov )?(?:jawa timur|jatim|east java)(?: province)?$")
_PROVINCE_RE = re.compile(
    r"^(?:pemerintah provinsi |provinsi |prov |pemprov |province of )?"
    r"(?:jawa timur|jatim|east java)(?: province)?$"
)
# Codes after punctuation became spaces: "3513", "35 13" (from 35.13), "id3513" (HDX p-code),
# "3513 0" (3513.0 from a spreadsheet that stored the code as a number).
_CODE_RE = re.compile(r"^(?:id ?)?(\d{2})(?: ?(\d{2}))?(?: 0)?$")
_DIGITS_RE = re.compile(r"^(?:id ?)?[\d ]+$")
_NOT_ALNUM_RE = re.compile(r"[^0-9a-z]+")
_QUOTES = "\"'`“”‘’„«»"


def _clean(text: str) -> str:
    """Lower-case ASCII words separated by single spaces; all punctuation becomes a space."""
    if not text.isascii():  # skipped for speed: both steps are no-ops on plain ASCII
        text = unicodedata.normalize("NFKC", text)  # NBSP, full-width digits -> plain forms
        decomposed = unicodedata.normalize("NFKD", text)  # "Pamèkasan" -> "Pamekasan"
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_ALNUM_RE.sub(" ", text.casefold()).strip()


def _display(text: str) -> str:
    """The input as a user would recognise it in a message: spacing collapsed, quotes dropped."""
    return " ".join(text.split()).strip(_QUOTES + " ")


def _split_type(cleaned: str) -> tuple[frozenset[str], str]:
    """Peel type words off both ends: ('kab probolinggo') -> ({'kabupaten'}, 'probolinggo').

    Loops because inputs stack them ("Pemkab ... Regency", "Kab/Kota X"); the set then holds
    both types, which the caller reports as a contradiction instead of picking one.
    """
    types: set[str] = set()
    cleaned = _PROVINCE_TAIL_RE.sub("", cleaned)
    while match := _PREFIX_RE.match(cleaned) or _SUFFIX_RE.search(cleaned):
        types.add((_PREFIXES if match.start() == 0 else _SUFFIXES)[match.group(1)])
        cleaned = cleaned[match.end() :] if match.start() == 0 else cleaned[: match.start()]
    return frozenset(types), cleaned


def _base_key(name: str) -> str:
    # Spaces are dropped so "Tulung Agung" and "Tulungagung" meet; no two regions differ by a space.
    return name.replace(" ", "")


# --------------------------------------------------------------------------- lookup index


@cache
def _name_index() -> dict[str, dict[str, str]]:
    """base name key -> {jenis: kode}. Twins have two entries, every other name one."""
    index: dict[str, dict[str, str]] = {}
    for region in load_regions():
        _, base = _split_type(_clean(region.nama))
        index.setdefault(_base_key(base), {})[region.jenis] = region.kode
    for kode, alias in _load_aliases():
        _add_alias(index, kode, alias)
    return index


def _load_aliases() -> list[tuple[str, str]]:
    if not ALIASES_FILE.exists():  # aliases are optional; rules alone cover regular spellings
        return []
    frame = pd.read_csv(ALIASES_FILE, dtype=str, keep_default_na=False)
    return [(row.kode.strip(), row.alias) for row in frame.itertuples(index=False)]


def _add_alias(index: dict[str, dict[str, str]], kode: str, alias: str) -> None:
    """Add one alias, refusing anything that could make the resolver guess."""
    region = region_by_code(kode)
    types, base = _split_type(_clean(alias))
    if types and types != {region.jenis}:
        raise ValueError(f"alias {alias!r} names a different type than {region.nama}")
    entry = index.setdefault(_base_key(base), {})
    if entry.get(region.jenis, kode) != kode:
        raise ValueError(f"alias {alias!r} already means {entry[region.jenis]}")
    if not types and any(jenis != region.jenis for jenis in entry):
        # A bare alias of a twin name would silently pick one of the twins.
        raise ValueError(f"alias {alias!r} is a bare twin name; write Kabupaten/Kota")
    entry[region.jenis] = kode


# --------------------------------------------------------------------------- resolving


def resolve(text: str) -> Resolution:
    """Resolve one name or code to a region (see module docstring for the rules)."""
    if not isinstance(text, str):  # cells from pandas: None/NaN/pd.NA are empty, 3513 is a code
        text = "" if _is_missing(text) else str(text)
    return _resolve_cached(text)


def _is_missing(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # list-like values have no single truth value
        return False


def resolve_many(texts) -> list[Resolution]:
    """resolve() for every item of an iterable (list, pandas Series, ...), in order."""
    return [resolve(text) for text in texts]


# Real inputs repeat a few dozen spellings, so caching per raw string makes bulk resolving cheap.
# Resolution is frozen, so sharing one instance between callers is safe.
@lru_cache(maxsize=1 << 16)
def _resolve_cached(text: str) -> Resolution:
    cleaned = _clean(text)
    kode = _exact_lookup().get(cleaned)
    return _ok(text, kode) if kode is not None else _resolve_slow(text, cleaned)


@cache
def _exact_lookup() -> dict[str, str]:
    """Cleaned spelling -> kode for every regular way to write each region: the fast path.

    Built by running the full resolver over the generated spellings, so it cannot disagree with it;
    anything not listed (odd spacing inside a name, misspellings ...) simply takes the slow path.
    """
    lookup: dict[str, str] = {}
    for form in _regular_spellings():
        result = _resolve_slow(form, form)
        if result.status == "ok":
            lookup[form] = result.kode
    return lookup


def _regular_spellings():
    for region in load_regions():
        yield from (region.kode, f"{region.kode[:2]} {region.kode[2:]}", f"id{region.kode}")
    for key in _name_index():
        yield key
        yield from (f"{prefix} {key}" for prefix in _PREFIXES)
        yield from (f"{key} {suffix}" for suffix in _SUFFIXES)


def _resolve_slow(text: str, cleaned: str) -> Resolution:
    shown = _display(text)
    if not cleaned:
        return _empty(text)
    if _DIGITS_RE.match(cleaned):
        return _resolve_code(text, shown, cleaned)
    if _PROVINCE_RE.match(cleaned):
        return _province(text, shown)
    return _resolve_name(text, shown, cleaned)


def _resolve_code(text: str, shown: str, cleaned: str) -> Resolution:
    match = _CODE_RE.match(cleaned)
    if match and match.group(2) is None and match.group(1) == PROVINCE_CODE:
        return _province(text, shown)
    kode = "".join(match.groups()) if match and match.group(2) else None
    if kode in _regions_by_code():
        return _ok(text, kode)
    return _unknown(
        text,
        (),
        f'Kode "{shown}" bukan kode kabupaten/kota di Jawa Timur (kode yang berlaku: {_CODE_RANGES}).',
        f'Code "{shown}" is not a kabupaten/kota (regency/city) code of Jawa Timur (East Java) '
        f"(valid codes: {_CODE_RANGES}).",
    )


def _resolve_name(text: str, shown: str, cleaned: str) -> Resolution:
    types, base = _split_type(cleaned)
    entry = _name_index().get(_base_key(base))
    if entry is None:
        return _not_recognised(text, shown, base, types)
    if len(types) > 1:
        return _contradictory(text, shown, entry)
    if types:
        (jenis,) = types
        return _ok(text, entry[jenis]) if jenis in entry else _wrong_type(text, shown, jenis, base, entry)
    if len(entry) == 1:
        return _ok(text, next(iter(entry.values())))
    return _ambiguous(text, shown, tuple(sorted(entry.values())))


def _suggest(base: str, types: frozenset[str]) -> tuple[str, ...]:
    """Up to 3 codes whose names are closest to `base`; the stated type first among equals."""
    index = _name_index()
    codes: list[str] = []
    for key in difflib.get_close_matches(_base_key(base), index, n=3, cutoff=0.75):
        entry = index[key]
        codes += sorted(entry.values(), key=lambda k: (region_by_code(k).jenis not in types, k))
    return tuple(dict.fromkeys(codes))[:3]  # dedupe (aliases share codes), keep order


# --------------------------------------------------------------------------- outcomes and messages


def _label(kode: str) -> str:
    return f"{region_by_code(kode).nama} ({kode})"


def _labels(codes, joiner: str) -> str:
    labels = [_label(k) for k in codes]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + f" {joiner} " + labels[-1]


def _ok(text: str, kode: str) -> Resolution:
    return Resolution(text, "ok", kode, (), (), *_ok_messages()[kode])


@cache
def _ok_messages() -> dict[str, tuple[str, str]]:
    # Precomputed because ok is the hot path of bulk imports.
    return {k: (f"Dikenali sebagai {_label(k)}.", f"Recognised as {_label(k)}.") for k in _regions_by_code()}


def _unknown(text: str, suggestions: tuple[str, ...], message: str, message_en: str) -> Resolution:
    if suggestions:
        message += f" Mungkin maksud Anda {_labels(suggestions, 'atau')}?"
        message_en += f" Did you mean {_labels(suggestions, 'or')}?"
    return Resolution(text, "unknown", None, (), suggestions, message, message_en)


def _empty(text: str) -> Resolution:
    return _unknown(
        text,
        (),
        'Nama wilayah kosong. Isi nama kabupaten/kota atau kodenya, mis. "Kab. Probolinggo" atau "3513".',
        'The region name is empty. Enter a regency/city name or its code, e.g. "Kab. Probolinggo" or "3513".',
    )


def _province(text: str, shown: str) -> Resolution:
    return _unknown(
        text,
        (),
        f'"{shown}" adalah provinsi (Jawa Timur, kode {PROVINCE_CODE}), bukan kabupaten/kota. '
        "Pilih satu kabupaten/kota.",
        f'"{shown}" is the province (Jawa Timur / East Java, code {PROVINCE_CODE}), '
        "not a kabupaten/kota (regency/city). Choose one regency or city.",
    )


def _ambiguous(text: str, shown: str, codes: tuple[str, ...]) -> Resolution:
    message = f'Nama "{shown}" ambigu: bisa {_labels(codes, "atau")}. Tulis "Kab." atau "Kota".'
    message_en = (
        f'The name "{shown}" is ambiguous: it could be {_labels(codes, "or")}. Write "Kab." (regency) or "Kota" (city).'
    )
    return Resolution(text, "ambiguous", None, codes, (), message, message_en)


def _contradictory(text: str, shown: str, entry: dict[str, str]) -> Resolution:
    return _unknown(
        text,
        tuple(sorted(entry.values())),
        f'"{shown}" menyebut kabupaten dan kota sekaligus. Tulis salah satu.',
        f'"{shown}" names both a kabupaten (regency) and a kota (city). Write only one.',
    )


def _wrong_type(text: str, shown: str, jenis: str, base: str, entry: dict[str, str]) -> Resolution:
    stated = "Kabupaten" if jenis == KABUPATEN else "Kota"
    stated_en = "regency (kabupaten)" if jenis == KABUPATEN else "city (kota)"
    return _unknown(
        text,
        tuple(sorted(entry.values())),
        f'"{shown}": tidak ada {stated} {base.title()} di Jawa Timur.',
        f'"{shown}": there is no {stated_en} named {base.title()} in Jawa Timur (East Java).',
    )


def _not_recognised(text: str, shown: str, base: str, types: frozenset[str]) -> Resolution:
    return _unknown(
        text,
        _suggest(base, types),
        f'"{shown}" tidak dikenali: bukan kabupaten/kota di Jawa Timur.',
        f'"{shown}" is not recognised: it is not a kabupaten/kota (regency/city) of Jawa Timur (East Java).',
    )
