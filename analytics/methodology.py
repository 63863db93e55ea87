"""Methodology content as data: prose in data/metodologi/teks.toml, rules in data/metodologi/aturan.csv."""

from __future__ import annotations

import tomllib
from functools import lru_cache

import pandas as pd

from analytics import fmt, paths
from analytics.metrics import Indicator

FOLDER = paths.DATA_DIR / "metodologi"


@lru_cache(maxsize=1)
def texts() -> dict[str, dict[str, str]]:
    with (FOLDER / "teks.toml").open("rb") as handle:
        return tomllib.load(handle)


def indicator_facts(indicator: Indicator, lang: str, text: dict) -> list[str]:
    """Unit, direction, decimals, inputs and source note of one indicator, as short labelled phrases."""
    if indicator.nilai_acuan is not None:
        direction = text["arah_acuan"][lang].format(acuan=fmt.rupiah(indicator.nilai_acuan, lang))
    else:
        direction = text["arah_naik" if indicator.lebih_tinggi_lebih_baik else "arah_turun"][lang]
    return [
        f"{text['label_satuan'][lang]}: {indicator.unit(lang)}",
        f"{text['label_arah'][lang]}: {direction}",
        f"{text['label_desimal'][lang]}: {indicator.desimal}",
        f"{text['label_input'][lang]}: {'; '.join(indicator.input_labels(lang))}",
        f"{text['label_sumber'][lang]}: {indicator.source_note(lang)}",
    ]


def rules_frame(lang: str) -> pd.DataFrame:
    rules = pd.read_csv(FOLDER / "aturan.csv", dtype=str, keep_default_na=False)
    labels = (
        ("Aturan", "Isi", "Penerbit", "Tanggal", "Tautan")
        if lang == "id"
        else ("Rule", "Content", "Publisher", "Date", "Link")
    )
    dates = [fmt.partial_date(d, lang) for d in rules["tanggal"]]  # 'tidak disebut' -> 'date unknown'
    return pd.DataFrame(
        dict(zip(labels, (rules["aturan"], rules[f"isi_{lang}"], rules["penerbit"], dates, rules["url"])))
    )
