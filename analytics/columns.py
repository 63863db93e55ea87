"""The column dictionary of exported data files (data/kolom.toml): English names, Table Schema
types, titles and descriptions, and the coded values that English files translate.

Pages build their export frames with Indonesian column names (ranking.export_frame can already
translate); `to_english` turns any of them into the English file, and leaves a frame that is
English already as it is, so a page never needs to know which language its export will be.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from analytics import fmt, metrics, paths

DICTIONARY_FILE = paths.DATA_DIR / "kolom.toml"
TYPES = ("integer", "number", "string", "date", "boolean", "auto")
SPECIAL_VALUES = ("@catatan", "@satuan", "@judul_indikator", "@sumber")


@dataclass(frozen=True)
class Column:
    name: str  # as the pages' frames name it (Indonesian)
    name_en: str
    type: str  # a Table Schema type, or "auto": the type of the values exported
    titles: dict[str, str]  # lang -> short title
    descriptions: dict[str, str]
    values: str | None = None  # [nilai.<map>] name or one of SPECIAL_VALUES

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or self.titles["id"]

    def description(self, lang: str) -> str:
        return self.descriptions.get(lang) or self.descriptions["id"]

    def file_name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name


@lru_cache(maxsize=1)
def _file() -> dict:
    with DICTIONARY_FILE.open("rb") as handle:
        return tomllib.load(handle)


@lru_cache(maxsize=1)
def dictionary() -> dict[str, Column]:
    """Every exported column by its Indonesian name."""
    out = {}
    for name, entry in _file()["kolom"].items():
        out[name] = Column(
            name=name,
            name_en=entry["nama_en"],
            type=entry["tipe"],
            titles={"id": entry["judul_id"], "en": entry["judul_en"]},
            descriptions={"id": entry["keterangan_id"], "en": entry["keterangan_en"]},
            values=entry.get("nilai"),
        )
    return out


def value_maps() -> dict[str, dict[str, str]]:
    """[nilai.<map>] tables: Indonesian value -> English value."""
    return _file().get("nilai", {})


@lru_cache(maxsize=1)
def _by_english_name() -> dict[str, Column]:
    out: dict[str, Column] = {}
    for column in dictionary().values():
        out.setdefault(column.name_en, column)
    return out


def lookup(name: str, lang: str = "id") -> Column | None:
    """The column a file header names: by its Indonesian name, or in English files by either name."""
    column = dictionary().get(name)
    if column is None and lang == "en":
        column = _by_english_name().get(name)
    return column


def english_values(column: Column) -> dict[str, str]:
    """What the column's values become in English files (a map; values not in it stay as they are)."""
    if column.values == "@satuan":
        return {ind.unit("id"): ind.unit("en") for ind in metrics.catalogue().values()}
    if column.values == "@judul_indikator":
        return {ind.title("id"): ind.title("en") for ind in metrics.catalogue().values()}
    if column.values in (None, "@catatan", "@sumber"):
        return {}
    return value_maps()[column.values]


def english_citation(text):
    """'Penerbit, tanggal tidak diketahui: Judul' -> '…, date unknown: …' (the words the dashboard adds,
    analytics/ranking.py); ISO dates, publishers and titles stay as they are."""
    if not isinstance(text, str):
        return text
    return text.replace(fmt.t("date_unknown", "id"), fmt.t("date_unknown", "en"))


def translate_values(column: Column, values: pd.Series) -> pd.Series:
    if column.values == "@catatan":
        return values.map(lambda text: fmt.note(text, "en"))
    if column.values == "@sumber":
        return values.map(english_citation)
    mapping = english_values(column)
    if not mapping:
        return values
    return values.map(lambda v: mapping.get(v, v) if isinstance(v, str) else v)


def to_english(frame: pd.DataFrame) -> pd.DataFrame:
    """English headers and values. Idempotent: a column already named in English (and so already
    translated) is left alone, and translating an English value again changes nothing."""
    out = frame.copy()
    names = {}
    for name in frame.columns:
        column = dictionary().get(name)
        if column is None:
            continue  # already English, or not in the dictionary (a test requires every exported column)
        out[name] = translate_values(column, frame[name])
        names[name] = column.name_en
    return out.rename(columns=names)
