"""What reading a file found: a Problem names file, sheet, row and column in Indonesian and
English, and a ReadResult carries the rows read with their problems. Errors block an import;
warnings do not. No file name, sheet name or cell can forge a line of output (one_line)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd


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
        name = name[: MAX_FILE_NAME - len(ext) - 1].rstrip() + "…" + ext
    return name or "berkas"
