"""Indonesian cell values as stewards type them: numbers ("18.000", "1.234.567,89", "Rp 1,2 miliar",
"12 %") and dates ("10/07/2025", "10 Juli 2025", Excel serials). Errors carry a message in Indonesian
and English that says how to write the value instead."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata


class ParseError(ValueError):
    """A ValueError carrying an English message next to the Indonesian one."""

    def __init__(self, message: str, message_en: str):
        super().__init__(message)
        self.message, self.message_en = message, message_en


# --------------------------------------------------------------------------- numbers

_SCALES = {
    "triliun": 1e12,
    "t": 1e12,
    "miliar": 1e9,
    "milyar": 1e9,
    "m": 1e9,
    "juta": 1e6,
    "jt": 1e6,
    "ribu": 1e3,
    "rb": 1e3,
}
_SCALE_RE = re.compile(r"^(.*?\d)\s*(triliun|miliar|milyar|juta|ribu|jt|rb|t|m)\.?$", re.IGNORECASE)
_RP_RE = re.compile(r"^rp\.?\s*", re.IGNORECASE)
_DIGITS_RE = re.compile(r"^\d[\d.,]*$")


def parse_number(value) -> float | None:
    """A finite number from an Excel cell or Indonesian text; None when empty (NaN counts as empty);
    ParseError otherwise.

    '.' is the thousands separator and ',' the decimal comma (Indonesian), but English-style
    '1,234,567.5' is read too. A single ',' before exactly three digits ('24,250') could be
    either, so it is refused rather than guessed.
    """
    if isinstance(value, bool):  # bool is an int subclass; TRUE in a count column is a mistake
        raise _not_a_number(value)
    if isinstance(value, (int, float)):
        return None if isinstance(value, float) and math.isnan(value) else _finite(value, value)
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    text = _RP_RE.sub("", text).rstrip("%").strip()
    if not text:
        return None
    scale = 1.0
    if match := _SCALE_RE.match(text):
        text, scale = match.group(1), _SCALES[match.group(2).lower()]
    text = "".join(text.split())  # "1 234" and NBSP groupings
    sign = -1.0 if text.startswith("-") else 1.0
    body = text.lstrip("+-")
    if not _DIGITS_RE.match(body) or body[-1] in ".,":
        raise _not_a_number(value)
    return _finite(sign * _digits_to_float(body, value) * scale, value)


def _finite(number: float, original) -> float:
    """Infinity is no number a steward meant (a cell saved as 1E400 reads as inf; 310 typed digits
    overflow a float), and once stored it showed as "0,00 %". Refused here, where every number of a
    file is read; the field parsers (fields.py) bound the finite ones."""
    if isinstance(number, float) and math.isinf(number):  # an int is finite, however long
        raise ParseError(
            f'Angka "{original}" terlalu besar untuk dihitung (tak terhingga). Periksa selnya: ketik ulang '
            "angkanya tanpa rumus, mis. 18.000.",
            f'The number "{original}" is too large to compute with (infinite). Check the cell: type the number '
            "again without a formula, e.g. 18.000.",
        )
    return number


def _digits_to_float(body: str, original) -> float:
    dots, commas = body.count("."), body.count(",")
    if dots and commas:  # both present: the last one is the decimal mark
        decimal = "." if body.rfind(".") > body.rfind(",") else ","
        whole, frac = body.rsplit(decimal, 1)
        thousands = "," if decimal == "." else "."
        if decimal in whole or thousands in frac:
            raise _not_a_number(original)
        return float(_ungroup(whole, thousands, original) + "." + frac)
    if not (dots or commas):
        return float(body)
    sep = "." if dots else ","
    if body.count(sep) > 1:  # "1.234.567" or "1,234,567": only a thousands separator repeats
        return float(_ungroup(body, sep, original))
    whole, frac = body.split(sep)
    if len(frac) == 3 and whole != "0":
        if sep == ",":
            raise ParseError(
                f'Angka "{original}" ambigu: bisa {whole}{sep}{frac} desimal atau {whole}{frac} ribuan. '
                f'Tulis "{whole}.{frac}" untuk ribuan atau "{whole},{frac.rstrip("0") or "0"}" untuk desimal.',
                f'The number "{original}" is ambiguous: a decimal comma or a thousands separator. '
                f'Write "{whole}.{frac}" for thousands or "{whole},{frac.rstrip("0") or "0"}" for a decimal.',
            )
        return float(whole + frac)  # Indonesian "18.000"
    return float(f"{whole}.{frac}")


def _ungroup(text: str, sep: str, original) -> str:
    groups = text.split(sep)
    if not (1 <= len(groups[0]) <= 3) or any(len(g) != 3 for g in groups[1:]):
        raise _not_a_number(original)
    return "".join(groups)


def _not_a_number(value) -> ParseError:
    return ParseError(
        f'"{value}" bukan angka. Tulis angka saja, mis. "18.000", "1.234,5" atau "Rp 1,2 miliar".',
        f'"{value}" is not a number. Enter a number only, e.g. "18.000", "1.234,5" or "Rp 1,2 miliar".',
    )


# --------------------------------------------------------------------------- dates

_MONTHS = {
    "januari": 1,
    "februari": 2,
    "pebruari": 2,
    "maret": 3,
    "april": 4,
    "mei": 5,
    "juni": 6,
    "juli": 7,
    "agustus": 8,
    "september": 9,
    "oktober": 10,
    "nopember": 11,
    "november": 11,
    "desember": 12,
    "january": 1,
    "february": 2,
    "march": 3,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "october": 10,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "peb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "okt": 10,
    "oct": 10,
    "nov": 11,
    "nop": 11,
    "des": 12,
    "dec": 12,
}
_DMY_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]*)?$")
_NAMED_RE = re.compile(r"^(\d{1,2})[\s.-]+([a-z]+)\.?[\s.,-]+(\d{4})$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0, accounting for its 1900 leap-year bug


def parse_date(value) -> dt.date:
    """A date from a datetime, an Excel serial number or text (dd/mm/yyyy, '10 Juli 2025', ISO)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_serial(value)
    text = " ".join(str(value or "").split()).lower()
    if match := _DMY_RE.match(text):
        day, month, year = map(int, match.groups())
    elif match := _ISO_RE.match(text):
        year, month, day = map(int, match.groups())
    elif (match := _NAMED_RE.match(text)) and match.group(2) in _MONTHS:
        day, month, year = int(match.group(1)), _MONTHS[match.group(2)], int(match.group(3))
    else:
        raise ParseError(
            f'"{value}" bukan tanggal yang dikenali. Tulis mis. "10/07/2025" (hari/bulan/tahun) atau "10 Juli 2025".',
            f'"{value}" is not a recognised date. Write e.g. "10/07/2025" (day/month/year) or "10 Juli 2025".',
        )
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ParseError(
            f'Tanggal "{value}" tidak ada di kalender (hari {day}, bulan {month}, tahun {year}). '
            "Periksa hari dan bulan; urutannya hari/bulan/tahun.",
            f'The date "{value}" does not exist (day {day}, month {month}, year {year}). '
            "Check day and month; the order is day/month/year.",
        ) from None


def _from_serial(number: float) -> dt.date:
    if not 1 <= number < 2958466:  # Excel's valid range: 1900-01-01 .. 9999-12-31
        raise ParseError(f"Angka {number} bukan tanggal Excel yang sah.", f"{number} is not a valid Excel date.")
    return _EXCEL_EPOCH + dt.timedelta(days=int(number))
