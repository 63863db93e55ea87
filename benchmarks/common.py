"""What the one-off benchmark scripts share: their two options and a store to measure on."""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from analytics import store


def arguments(repeat: int) -> argparse.Namespace:
    """--db STORE.duckdb (default: a store built from data/ for this run) and --repeat N."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path)
    parser.add_argument("--repeat", type=int, default=repeat)
    return parser.parse_args()


@contextmanager
def store_file(db: Path | None) -> Iterator[Path]:
    """The store at `db`, built when it does not exist yet; without one, a store built from data/ in
    a temporary folder that is removed afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        path = db or Path(tmp) / "jamsos.duckdb"
        if not path.exists():
            store.build(path)
        yield path


def dataset_tables(db: Path, dataset: str = "publikasi") -> dict:
    with store.reading(db) as con:
        return store.read_tables(con, dataset)
