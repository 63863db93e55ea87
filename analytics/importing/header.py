"""Finding a sheet's header row and mapping its columns to a kind's fields.

Real files are not templates: title rows sit above the header, a "No" column, empty columns and a
row of column numbers appear. The header is the row (or pair of rows) within HEADER_SEARCH_ROWS
that maps the most fields of a kind; `detect` picks the kind and sheet when the steward did not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analytics.importing.fields import is_empty, words_of
from analytics.importing.kinds import KINDS, Kind
from analytics.importing.xlsx import Sheet

HEADER_SEARCH_ROWS = 30  # title blocks are a few rows; a header further down is not a header
NO_COLUMN = "_no"  # the running-number column: recognised so it is not mistaken for data


# --------------------------------------------------------------------------- header and columns


def _column_for(kind: Kind, header) -> str | None:
    """The field a header names, or None."""
    if not isinstance(header, str):
        return None
    w = words_of(header)
    s = set(w)
    if not w or len(w) > 8:  # long cells are titles or notes, not headers
        return None
    if s <= {"no", "nomor", "urut", "nmr"}:
        return NO_COLUMN
    raw = header.casefold()
    return next((col for col, hit in kind.rules if hit(s, raw)), None)


def map_header(kind: Kind, cells: list) -> tuple[dict[int, str], dict[int, str]]:
    """(column index -> field, index -> field of later columns that named an already-mapped field)."""
    mapping: dict[int, str] = {}
    repeats: dict[int, str] = {}
    for index, cell in enumerate(cells):
        col = _column_for(kind, cell)
        if col is None:
            continue
        if col in mapping.values() and col != NO_COLUMN:
            repeats[index] = col
        else:
            mapping[index] = col
    return mapping, repeats


def _header_score(kind: Kind, mapping: dict[int, str]) -> tuple[int, int, int, int]:
    """(every required column and a figure present, required hits, figure columns, all fields)."""
    found = set(mapping.values()) - {NO_COLUMN}
    has_value = bool(found & set(kind.values))
    hits = len(found & set(kind.required)) + has_value
    return (int(hits == len(kind.required) + 1), hits, len(found & set(kind.values)), len(found))


@dataclass
class _Header:
    last: int | None  # 0-based row of the (lowest) header line
    cells: list  # header text per column (two stacked lines combined)
    mapping: dict[int, str]
    score: tuple[int, ...]


def find_header(kind: Kind, sheet: Sheet) -> _Header:
    """The best-matching header among the first rows: one line, or two stacked lines where a
    group cell ("Kepesertaan BPJS") sits above its sub-headers ("Jumlah Peserta", "Bulan")."""
    best = _Header(None, [], {}, (0, 0, 0, 0))
    rows = sheet.rows[:HEADER_SEARCH_ROWS]
    for index, cells in enumerate(rows):
        candidates = [cells] + ([_stack(rows[index - 1], cells)] if index else [])
        for combined in candidates:
            mapping, _ = map_header(kind, combined)
            score = _header_score(kind, mapping)
            if score > best.score:  # strict: the earliest, single-line one wins a tie
                best = _Header(index, combined, mapping, score)
    return best


def _stack(upper: list, lower: list) -> list:
    """Two header lines as one: the lower cell where it has text, else the one above it."""
    width = max(len(upper), len(lower))
    upper, lower = list(upper) + [None] * (width - len(upper)), list(lower) + [None] * (width - len(lower))
    return [up if is_empty(low) else low for up, low in zip(upper, lower)]


_COLUMN_NUMBER_RE = re.compile(r"^\(?(\d{1,2})\)?$")


def data_start(sheet: Sheet, header: _Header) -> int:
    """The first row after the header block: a header line repeated by a vertical merge and the
    "(1) (2) (3)" column-number line of official tables are part of the header, not data."""
    index = header.last + 1
    while index < len(sheet.rows):
        cells = sheet.rows[index]
        filled = [(i, c) for i, c in enumerate(cells) if not is_empty(c)]
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
    scored = [(find_header(k, s).score, -i, -j, k, s) for j, k in enumerate(kinds) for i, s in enumerate(candidates)]
    if not scored:
        return (KINDS[kind] if kind else None), None
    best = max(scored, key=lambda item: item[:3])
    rivals = {item[3].table for item in scored if item[0] == best[0]}
    if len(rivals) > 1 or best[0][2] == 0 and not kind:
        return None, best[4]
    return best[3], best[4]
