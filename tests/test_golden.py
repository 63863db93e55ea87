"""Golden files: the SQL the store runs to build its schema, every indicator's ranking on publikasi,
and the Penilaian scores of the shipped schemes, compared verbatim. A change to any of them shows
as a reviewable diff in tests/golden/.

After an intended change (a migration, a curated figure in data/publikasi, a ranking or scoring
rule), write them again and read the diff before committing:
    REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py tests/test_export.py -k golden -p no:cacheprovider
"""

import datetime as dt
import os
from pathlib import Path

import pandas as pd
import pytest

from analytics import metrics, ranking, schema, scoring

GOLDEN = Path(__file__).resolve().parent / "golden"
YEAR, AS_OF = 2025, dt.date(2025, 7, 31)
RANKING_COLUMNS = [
    "indikator",
    "kode",
    "nilai",
    "kualifikasi",
    "peringkat",
    "perubahan_peringkat",
    "jumlah_sebanding",
    "tanggal_data",
]
SCORE_COLUMNS = ["kode", "skor", "peringkat", "status", "alasan"]


def check(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("REGENERATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} missing: run the command in tests/test_golden.py's docstring"
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} differs from {path}; if the change is intended, see tests/test_golden.py's docstring"
    )


def as_csv(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n", float_format="%.6g")


def test_the_schema_sql_is_the_golden_one():
    """Every statement of every migration, in order: a migration edited after it shipped shows here."""
    parts = [
        f"-- version {version}: {title}\n" + ";\n".join(statements) + ";\n"
        for version, title, statements in schema.MIGRATIONS
    ]
    check("schema.sql", "\n".join(parts))


def test_every_indicators_ranking_on_publikasi_is_the_golden_one(store_tables):
    frames = []
    for indicator_id in metrics.catalogue():
        table = ranking.ranking(store_tables["publikasi"], indicator_id, YEAR, AS_OF)
        frames.append(table.assign(indikator=indicator_id)[RANKING_COLUMNS])
    out = pd.concat(frames, ignore_index=True)
    out["tanggal_data"] = pd.to_datetime(out["tanggal_data"]).dt.date
    check(f"peringkat_publikasi_{YEAR}_{AS_OF}.csv", as_csv(out))


@pytest.mark.parametrize(
    "dataset, scheme",
    [("publikasi", "cakupan"), ("publikasi", "setara"), ("contoh", "paritrana_contoh"), ("contoh", "setara")],
)
def test_the_shipped_schemes_score_as_the_golden_files(store_tables, dataset, scheme):
    result = scoring.score(store_tables[dataset], scoring.load_scheme(scheme), YEAR, AS_OF)
    regions = result.regions[SCORE_COLUMNS].sort_values(["peringkat", "kode"], na_position="last")
    check(f"skor_{scheme}_{dataset}_{YEAR}_{AS_OF}.csv", as_csv(regions))
