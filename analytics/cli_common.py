"""What the command line's modules share (analytics/__main__.py, analytics/cli_score.py): the usage error
(exit status 2), a dataset's tables read from the store (built first when missing), and the dashboard's
default as-of date.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd

from analytics import store


class UsageError(Exception):
    """Bad input from the user: printed on stderr, exit status 2."""


def default_as_of(tables: dict[str, pd.DataFrame], year: int) -> dt.date:
    """As on the dashboard: the date of the dataset's newest figure for the budget year (never after
    today), or today when the year has none."""
    from analytics import series

    today = dt.date.today()
    latest = series.latest_data_date(tables, year)
    return min(latest, today) if latest else today


def dataset_tables(db: Path | None, dataset: str) -> dict[str, pd.DataFrame]:
    path = Path(db or store.default_db_path())
    if not path.exists():
        print(f"Store {path} belum ada; membangun dari data/ ...", file=sys.stderr)
        store.build(path)
    with store.reading(path) as con:
        return store.read_tables(con, dataset)
