"""Indonesian / English formatting of numbers, money and dates (Babel), and UI strings."""

from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
from functools import lru_cache

from babel.dates import format_date as _babel_date
from babel.numbers import format_compact_decimal, format_decimal

from analytics import paths

LANGUAGES = ("id", "en")
_STRINGS_FILE = paths.DATA_DIR / "teks.toml"


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value, decimals: int = 0, lang: str = "id", missing: str = "–") -> str:
    """24250 -> '24.250' (id) / '24,250' (en); 12.345 with 1 decimal -> '12,3'."""
    if _is_missing(value):
        return missing
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(round(float(value), decimals), format=pattern, locale=lang)


def percent(value, decimals: int = 1, lang: str = "id", missing: str = "–") -> str:
    """A value already in percent (12.34) -> '12,3 %'."""
    if _is_missing(value):
        return missing
    return f"{number(value, decimals, lang)} %"


def rupiah(value, lang: str = "id", missing: str = "–") -> str:
    """Short money: 1_200_000_000 -> 'Rp1,2 miliar'; below one million written in full (Rp16.800)."""
    if _is_missing(value):
        return missing
    value = float(value)
    if abs(value) < 1_000_000:
        return rupiah_full(value, lang)
    compact = format_compact_decimal(value, locale=lang, format_type="long", fraction_digits=2)
    return "Rp" + compact if lang == "id" else "IDR " + compact


def rupiah_full(value, lang: str = "id", missing: str = "–") -> str:
    """Every digit: 659265600 -> 'Rp659.265.600'."""
    if _is_missing(value):
        return missing
    return ("Rp" if lang == "id" else "IDR ") + number(value, 0, lang)


def date(value, lang: str = "id", missing: str = "–") -> str:
    """2025-07-10 -> '10 Juli 2025' (id) / 'July 10, 2025' (en)."""
    if value is None or value != value:  # NaT compares unequal to itself
        return missing
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    elif isinstance(value, dt.datetime):  # includes pandas.Timestamp
        value = value.date()
    return _babel_date(value, format="d MMMM y" if lang == "id" else "long", locale=lang)


_ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_ISO_MONTH = re.compile(r"\b(\d{4})-(\d{2})\b")


def partial_date(text, lang: str = "id", missing: str | None = None) -> str:
    """A date as far as it is known: '2025-07-10' -> '10 Juli 2025', '2025-02 (…)' -> 'Februari 2025',
    '2025 (approx)' -> '2025'; no date at all -> 'tanggal tidak diketahui'. Notes after the date
    (the curators' own) are left out."""
    text = "" if text is None or text != text else str(text)
    day = _ISO_DAY.match(text)
    if day:
        return date(dt.date(*map(int, day.groups())), lang)
    month = _ISO_MONTH.match(text)
    if month and 1 <= int(month.group(2)) <= 12:
        return _babel_date(dt.date(int(month.group(1)), int(month.group(2)), 1), format="MMMM y", locale=lang)
    year = re.match(r"(\d{4})\b", text)
    if year:
        return year.group(1)
    return missing if missing is not None else t("date_unknown", lang)


def dates_in_text(text, lang: str = "id"):
    """ISO dates inside a text (a citation 'Penerbit, 2025-07-10: Judul') written the reader's way."""
    if not isinstance(text, str):
        return text
    text = _ISO_DAY.sub(lambda m: date(dt.date(*map(int, m.groups())), lang), text)
    text = text.replace("tanggal tidak diketahui", t("date_unknown", lang))
    return _ISO_MONTH.sub(lambda m: partial_date(m.group(0), lang), text)


def value(val, unit: str, decimals: int, lang: str = "id") -> str:
    """Format an indicator value by its catalogue unit."""
    if unit == "rp":
        return rupiah(val, lang)
    if unit == "persen":
        return percent(val, decimals, lang)
    return number(val, decimals, lang)


def signed(val, unit: str, decimals: int, lang: str = "id", missing: str = "–") -> str:
    """A change in an indicator's unit with its sign: '+5.500', '−Rp1,2 miliar', '+2,1 poin' (percent
    indicators change by percentage points, never by a percent of a percent)."""
    if _is_missing(val):
        return missing
    sign = "+" if val > 0 else "−" if val < 0 else ""
    if unit == "persen":
        return f"{sign}{number(abs(val), decimals, lang)} {t('points', lang)}"
    return sign + value(abs(val), unit, decimals, lang)


def signed_percent(val, decimals: int = 1, lang: str = "id", missing: str = "–") -> str:
    """'+12,3 %' / '−4,0 %'."""
    if _is_missing(val):
        return missing
    return ("+" if val > 0 else "−" if val < 0 else "") + percent(abs(val), decimals, lang)


def partial(text: str, months, lang: str = "id") -> str:
    """Mark a figure that covers part of a year only: '34.227 (3 bln)' / '34,227 (3 mo.)'."""
    if _is_missing(months):
        return text
    return t("partial_mark", lang, text=text, months=int(months))


QUALIFIERS_EN = {"lebih dari": "more than", "sekitar": "about", "kurang lebih": "about", "tambahan": "added"}


def qualified(text: str, qualifier, lang: str = "id") -> str:
    """Prefix a formatted figure with its printed qualifier: 'lebih dari 18.000' / 'more than 18,000'."""
    if not isinstance(qualifier, str) or not qualifier:
        return text
    return f"{qualifier if lang == 'id' else QUALIFIERS_EN.get(qualifier, qualifier)} {text}"


@lru_cache(maxsize=1)
def _strings() -> dict[str, dict[str, str]]:
    with _STRINGS_FILE.open("rb") as handle:
        return tomllib.load(handle)


def t(key: str, lang: str = "id", **kwargs) -> str:
    """UI text by key from data/teks.toml; falls back to Indonesian, then to the key itself."""
    entry = _strings().get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get("id") or key
    return text.format(**kwargs) if kwargs else text


@lru_cache(maxsize=1)
def _note_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    """Each `note_*` Indonesian template as a regex whose {placeholders} capture the values."""
    patterns = []
    for key, entry in _strings().items():
        if key.startswith("note_") and not key.startswith("note_kind_"):
            regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+?)", re.escape(entry["id"]))
            patterns.append((key, re.compile(regex)))
    return tuple(patterns)


# Words of the coverage periods printed in the data ("Okt–Des 2025 (tahap 2)", "5 bulan s.d. Des 2025"),
# so an English note does not carry Indonesian month names.
PERIOD_WORDS_EN = {
    "Mei": "May",
    "Agu": "Aug",
    "Agt": "Aug",
    "Okt": "Oct",
    "Des": "Dec",
    "Desember": "December",
    "bulan": "months",
    "s.d.": "to",
    "sejak": "since",
    "mulai": "from",
    "per": "as of",
    "tahap": "phase",
    "dicetak": "printed",
    "induk": "original budget",
}
_PERIOD_WORD = re.compile(r"s\.d\.|[A-Za-z]+")


def period(text, lang: str = "id"):
    """A coverage period as printed ('Okt–Des 2025') in `lang` ('Oct–Dec 2025')."""
    if lang == "id" or not isinstance(text, str):
        return text
    return _PERIOD_WORD.sub(lambda m: PERIOD_WORDS_EN.get(m.group(0), m.group(0)), text)


def note(text, lang: str = "id"):
    """Translate a note written by analytics.metrics (Indonesian) into `lang`; unknown text unchanged."""
    if lang == "id" or not isinstance(text, str) or not text:
        return text
    kinds = {
        entry["id"]: entry.get(lang, entry["id"]) for key, entry in _strings().items() if key.startswith("note_kind_")
    }
    for key, pattern in _note_patterns():
        match = pattern.fullmatch(text)
        if match:
            values = {
                name: period(", ".join(kinds.get(part, part) for part in value.split(", ")), lang)
                for name, value in match.groupdict().items()
            }
            return re.sub(r"\b1 months\b", "1 month", t(key, lang, **values))
    return text


def rank_change(change, new: bool, lang: str = "id", same: str = "–") -> str:
    """'▲ 2' (moved up), '▼ 1', `same` (kept its rank), 'baru' (no value last year), '–' (unknown)."""
    if new:
        return t("change_new", lang)
    try:
        change = int(change)
    except (TypeError, ValueError):  # None, NaN, pd.NA (an Int64 column's gap)
        return "–"
    return same if change == 0 else (f"▲ {change}" if change > 0 else f"▼ {-change}")


def change(difference, percent_change, unit: str, decimals: int, lang: str = "id") -> tuple[str, str | None]:
    """A value's change as (difference, percent or None): ('+5.500', '+1.222,2 %'); percent
    indicators change by points only, so they have no percent part. ('–', None) when unknown."""
    if _is_missing(difference):
        return "–", None
    text = signed(difference, unit, decimals, lang)
    if unit == "persen" or _is_missing(percent_change):
        return text, None
    return text, signed_percent(percent_change, 1, lang)
