"""The DuckDB store: connections, migrating to analytics.schema's version, import batches,
loading and reading datasets, copy-and-swap writes.

Only this module talks to DuckDB. SQL takes values as parameters, never by string formatting;
table and column names come from analytics.schema's constants, never from user input.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import fcntl
import getpass
import hashlib
import os
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from analytics import paths
from analytics import regions as region_ref
from analytics.schema import FACT_TABLES, ID_COLUMN, IDENTITY, MIGRATIONS, SKOR_RANGE, V2_DEFAULTS, committee_criteria

PROJECT_DIR = paths.PROJECT_DIR
DATA_DIR = paths.DATA_DIR
PUBLIKASI_DIR = DATA_DIR / "publikasi"
DATASETS = ("publikasi", "contoh", "resmi")


def default_db_path() -> Path:
    """`JAMSOS_DB` if set, else var/jamsos.duckdb inside the project (git-ignored)."""
    return Path(os.environ.get("JAMSOS_DB") or PROJECT_DIR / "var" / "jamsos.duckdb")


def connect(path: Path | str | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    path = Path(path or default_db_path())
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(path), read_only=read_only)


# DuckDB keeps one database per path in a process and hands a new connection the one another open
# connection holds: after a writer swapped the file, that is the old file. So a read waits until
# reads of an older file at the same path are closed (rare: only a swap in the middle of a read).
_open_reads: collections.Counter = collections.Counter()  # (resolved path, inode) -> open reads
_reads_changed = threading.Condition()
_thread_reads = threading.local()  # this thread's open reads: (path, inode) -> count


def _file_id(path: Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None  # no store yet: connect() says so


@contextlib.contextmanager
def reading(path: Path | str | None = None):
    """A read-only connection for one block, closed after it: a reader holds no lock between
    reads, so `build`, an import and a roll-back can replace the file while the dashboard serves,
    and a read that starts after the replacement sees the new file."""
    path = Path(path or default_db_path()).resolve()
    mine = _thread_reads.__dict__.setdefault("keys", collections.Counter())
    with _reads_changed:
        # a read inside this thread's own open read shares its file (waiting would wait for itself)
        key = next((k for k in mine if k[0] == path), None) or (path, _file_id(path))
        while not mine[key] and any(other[0] == path and other != key for other in _open_reads):
            _reads_changed.wait()
            key = (path, _file_id(path))
        _open_reads[key] += 1  # registered first, so a read of an older file now waits for this one
    mine[key] += 1
    try:
        con = connect(path, read_only=True)
        try:
            yield con
        finally:
            con.close()
    finally:
        mine[key] -= 1
        if not mine[key]:
            del mine[key]
        with _reads_changed:
            _open_reads[key] -= 1
            if not _open_reads[key]:
                del _open_reads[key]
            _reads_changed.notify_all()


def schema_version(con) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()[0]
    if not exists:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def migrate(con) -> int:
    """Bring the schema to analytics.schema.SCHEMA_VERSION; returns the number of migrations applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, "
        "applied_at TIMESTAMP NOT NULL, description VARCHAR)"
    )
    current = schema_version(con)
    pending = [m for m in MIGRATIONS if m[0] > current]
    for version, description, statements in pending:
        con.execute("BEGIN TRANSACTION")
        try:
            for statement in statements:
                con.execute(statement)
            con.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [version, _now(), description])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    return len(pending)


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def sync_regions(con) -> None:
    frame = region_ref.regions_frame()[["kode", "nama", "nama_pendek", "jenis"]]  # noqa: F841 (DuckDB scans it by name)
    con.execute("BEGIN TRANSACTION")
    con.execute("DELETE FROM wilayah")
    con.execute("INSERT INTO wilayah SELECT kode, nama, nama_pendek, jenis FROM frame")
    con.execute("COMMIT")


# ---------------------------------------------------------------- frames in and out

_CHOICES_RE = re.compile(r"CHECK \((\w+) IN \(([^)]*)\)\)")


def _choices(kind: str) -> tuple[str, ...] | None:
    """The allowed values of a column from its `CHECK (col IN (...))`, None when it has none."""
    found = _CHOICES_RE.search(kind)
    return tuple(re.findall(r"'([^']*)'", found.group(2))) if found else None


def coerce_table(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Give a table's frame exactly the store's columns and types (missing optional columns -> NULL).

    Values outside a column's CHECK list raise ValueError naming the column and the value. The
    store checks most of them again, but not the columns added by ALTER TABLE in migration 2
    (DuckDB cannot add CHECK constraints to an existing table), so this is where those are kept;
    likewise `penilaian.kriteria`, which must be a key of data/penilaian/komite.toml, and
    `penilaian.skor`, which must lie in 0–100.
    A frame written for schema version 1 (no `sumber_dana` on budgets/claims) gets V2_DEFAULTS.
    """
    out = pd.DataFrame(index=frame.index)
    for col, kind in FACT_TABLES[name]:
        if col in frame.columns:
            series = frame[col]
        else:
            series = pd.Series(V2_DEFAULTS.get((name, col), pd.NA), index=frame.index, dtype=object)
        base = kind.split()[0]
        if base == "DATE":
            out[col] = pd.to_datetime(series.replace("", pd.NA), errors="raise").dt.date
        elif base in ("INTEGER", "BIGINT"):
            out[col] = pd.to_numeric(series.replace("", pd.NA), errors="raise").astype("Int64")
        elif base == "DOUBLE":
            out[col] = pd.to_numeric(series.replace("", pd.NA), errors="raise").astype("Float64")
        elif base == "BOOLEAN":
            out[col] = series.map(_to_bool).astype("boolean")
        else:
            out[col] = series.astype("string").replace("", pd.NA)
        allowed = _choices(kind) if (name, col) != ("penilaian", "kriteria") else tuple(committee_criteria())
        if allowed is not None:
            bad = sorted(set(out[col].dropna()) - set(allowed))
            if bad:
                raise ValueError(f"{name}.{col}: nilai tidak dikenal {bad[0]!r}; pilihan: {', '.join(allowed)}")
    if name == "penilaian":
        low, high = SKOR_RANGE
        outside = out["skor"].dropna()
        outside = outside[(outside < low) | (outside > high)]
        if len(outside):
            raise ValueError(f"penilaian.skor: {outside.iloc[0]:g} di luar {low:g}–{high:g}")
    return out.reset_index(drop=True)


def _to_bool(value):
    if isinstance(value, bool) or value is pd.NA:
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "ya", "yes"):
        return True
    if text in ("false", "0", "tidak", "no"):
        return False
    return pd.NA


def read_publikasi() -> dict[str, pd.DataFrame]:
    """The curated publikasi CSV files, all columns as text (types are set by coerce_table).

    `penilaian.csv` holds only its header: published sources carry no committee scores."""
    return {name: pd.read_csv(PUBLIKASI_DIR / f"{name}.csv", dtype=str, keep_default_na=False) for name in FACT_TABLES}


def tables_digest(tables: dict[str, pd.DataFrame]) -> str:
    """sha256 over the tables' CSV text: the same content gives the same digest."""
    digest = hashlib.sha256()
    for name in sorted(tables):
        digest.update(name.encode())
        digest.update(tables[name].to_csv(index=False, lineterminator="\n").encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class LoadResult:
    dataset: str
    batch_id: int | None
    rows: int
    skipped: bool  # True when the same content was already stored


def load_dataset(
    con,
    dataset: str,
    tables: dict[str, pd.DataFrame],
    *,
    description: str,
    file_name: str | None = None,
    replace: bool = True,
    sha256: str | None = None,
    user: str | None = None,
) -> LoadResult:
    """Store a dataset's tables as one batch, all or nothing.

    With replace=True (built-in datasets) the dataset's earlier active batch is marked 'diganti'
    and its rows removed, so the dataset equals exactly these tables afterwards. Loading content
    identical to the active batch changes nothing.
    """
    coerced = {name: coerce_table(name, tables[name]) for name in FACT_TABLES if name in tables}
    sha = sha256 or tables_digest(tables)  # an imported file is known by its own bytes
    active = con.execute(
        "SELECT batch_id, sha256 FROM batch_impor WHERE dataset = ? AND status = 'aktif'", [dataset]
    ).fetchall()
    if any(row[1] == sha for row in active):
        return LoadResult(dataset, next(r[0] for r in active if r[1] == sha), 0, True)
    rows = sum(len(frame) for name, frame in coerced.items() if name != "sumber")  # figures, not citations
    con.execute("BEGIN TRANSACTION")
    try:
        batch_id = con.execute("SELECT coalesce(max(batch_id), 0) + 1 FROM batch_impor").fetchone()[0]
        if replace:
            for old_batch, _ in active:
                _delete_batch_rows(con, dataset, old_batch)
                con.execute("UPDATE batch_impor SET status = 'diganti' WHERE batch_id = ?", [old_batch])
        con.execute(
            "INSERT INTO batch_impor VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'aktif')",
            [batch_id, dataset, "+".join(sorted(coerced)), file_name, sha, user or _user(), _now(), rows, description],
        )
        for name, frame in coerced.items():
            _insert(con, name, dataset, batch_id, frame)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return LoadResult(dataset, batch_id, rows, False)


def _insert(con, name: str, dataset: str, batch_id: int, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    columns = ", ".join(col for col, _ in FACT_TABLES[name])
    # `frame` is found by DuckDB's replacement scan of this function's local variables.
    con.execute(
        f"INSERT INTO {name} (dataset, batch_id, {columns}) SELECT ?, ?, {columns} FROM frame", [dataset, batch_id]
    )


def _delete_batch_rows(con, dataset: str, batch_id: int) -> None:
    for name in FACT_TABLES:
        con.execute(f"DELETE FROM {name} WHERE dataset = ? AND batch_id = ?", [dataset, batch_id])


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "tidak diketahui"


def read_tables(con, dataset: str) -> dict[str, pd.DataFrame]:
    """All active rows of a dataset, one DataFrame per fact table (cursor per query).

    Where active batches hold the same figure (IDENTITY), only the newest batch's rows are read."""
    out = {}
    for name in FACT_TABLES:
        columns = ", ".join(col for col, _ in FACT_TABLES[name])
        cursor = con.cursor()
        try:
            identity = ", ".join(f"t.{col}" for col in IDENTITY[name])
            out[name] = cursor.execute(
                f"SELECT t.batch_id, {columns} FROM {name} t JOIN batch_impor b USING (batch_id) "
                f"WHERE t.dataset = ? AND b.status = 'aktif' "
                f"QUALIFY t.batch_id = max(t.batch_id) OVER (PARTITION BY {identity}) "
                f"ORDER BY {ID_COLUMN[name]}",
                [dataset],
            ).df()
        finally:
            cursor.close()
    return out


def count_corrections(con, dataset: str, name: str, frame: pd.DataFrame, values: tuple[str, ...]) -> int:
    """How many of `frame`'s rows have the IDENTITY of an active stored row but other `values`:
    the figures this file corrects."""
    if frame.empty:
        return 0
    same = " AND ".join(f"t.{col} IS NOT DISTINCT FROM n.{col}" for col in IDENTITY[name])
    same += " AND NOT (" + " AND ".join(f"t.{col} IS NOT DISTINCT FROM n.{col}" for col in values) + ")"
    cursor = con.cursor()
    try:
        # `frame` is found by DuckDB's replacement scan of this function's local variables.
        return cursor.execute(
            f"SELECT count(*) FROM frame n WHERE EXISTS (SELECT 1 FROM {name} t JOIN batch_impor b USING (batch_id) "
            f"WHERE t.dataset = ? AND b.status = 'aktif' AND {same})",
            [dataset],
        ).fetchone()[0]
    finally:
        cursor.close()


class BatchError(ValueError):
    """A batch that cannot be rolled back (unknown, not active, or a built-in dataset)."""


BUILT_IN = ("publikasi", "contoh")  # rebuilt from data/ by `build`; never rolled back by hand


def active_batch_with_sha(con, dataset: str, sha: str) -> int | None:
    row = con.execute(
        "SELECT batch_id FROM batch_impor WHERE dataset = ? AND sha256 = ? AND status = 'aktif'", [dataset, sha]
    ).fetchone()
    return row[0] if row else None


def dataset_state(con, dataset: str) -> tuple[tuple[int, str], ...]:
    """The dataset's batches and their status. Its rows change only by a new batch or a status
    change, so an equal state means equal data: the import's checks still hold."""
    return tuple(
        con.execute(
            "SELECT batch_id, status FROM batch_impor WHERE dataset = ? ORDER BY batch_id", [dataset]
        ).fetchall()
    )


def rollback(con, batch_id: int) -> str:
    """Take an imported batch out of use. Its rows stay in the store as history (status
    'dibatalkan'), so the dataset reads exactly as before the import. Returns the dataset name."""
    row = con.execute("SELECT dataset, status FROM batch_impor WHERE batch_id = ?", [batch_id]).fetchone()
    if row is None:
        raise BatchError(f"batch {batch_id} tidak ada")
    dataset, status = row
    if dataset in BUILT_IN:
        raise BatchError(f"batch {batch_id} adalah dataset bawaan {dataset!r}; bangun ulang dengan `build`")
    if status != "aktif":
        raise BatchError(f"batch {batch_id} berstatus {status!r}, bukan 'aktif'")
    con.execute("UPDATE batch_impor SET status = 'dibatalkan' WHERE batch_id = ?", [batch_id])
    return dataset


def batches(con) -> pd.DataFrame:
    cursor = con.cursor()
    try:
        return cursor.execute("SELECT * FROM batch_impor ORDER BY batch_id").df()
    finally:
        cursor.close()


def dataset_status(con) -> pd.DataFrame:
    """Per dataset: active batch, loaded when, rows per table (empty datasets included)."""
    cursor = con.cursor()
    try:
        frame = cursor.execute(
            "SELECT dataset, max(batch_id) AS batch_id, max(dibuat_pada) AS dibuat_pada, sum(jumlah_baris) AS baris "
            "FROM batch_impor WHERE status = 'aktif' GROUP BY dataset"
        ).df()
    finally:
        cursor.close()
    return pd.DataFrame({"dataset": list(DATASETS)}).merge(frame, on="dataset", how="left")


# ---------------------------------------------------------------- build


@dataclass(frozen=True)
class BuildReport:
    path: Path
    migrations_applied: int
    loads: tuple[LoadResult, ...]


class StoreUnwritable(Exception):
    """The store could not be written (no permission, disk full, read-only volume, a file where its
    folder should be). Nothing changed: writes go to a private copy that is dropped."""

    def __init__(self, path: Path, reason: Exception):
        self.path, self.reason = Path(path), reason
        super().__init__(
            f"Store {self.path} tidak dapat ditulis ({reason}); tidak ada yang diubah. Periksa izin "
            f"tulis folder {self.path.parent}, sisa ruang disk, dan apakah volumenya hanya-baca."
        )


# DuckDB reports a failed write as an IO Error, or, when it fails while committing, as a
# TransactionException that quotes the IO error; only its text tells it from a real conflict.
_WRITE_FAILED = re.compile(
    r"IO Error|Could not (write|fsync|truncate)|No space left|File too large"
    r"|Read-only file system"
)


def _write_failed(error: BaseException) -> bool:
    return isinstance(error, (OSError, duckdb.IOException)) or (
        isinstance(error, duckdb.Error) and bool(_WRITE_FAILED.search(str(error)))
    )


@contextlib.contextmanager
def writing(path: Path | str | None = None):
    """A connection to a private copy of the store; when the block ends without error the copy
    replaces the store in one atomic rename.

    Why: the dashboard's readers open the file read-only for a moment per cache refresh. Writing a
    copy and renaming it means readers see the old store or the new one, never half a batch, and
    never meet a writer's lock; a killed writer leaves only a stray copy, removed by the next one.
    Writers queue on a lock file, so the command line and the Kelola Data page can both import.

    Failing to lock, copy, write or rename raises StoreUnwritable with the store untouched; other
    errors of the block pass through unchanged (after the copy is dropped).
    """
    path = Path(path or default_db_path())
    with _unwritable(path):
        lock = _lock(path)
    try:
        con = None
        with _unwritable(path):
            work = _private_copy(path)
        try:
            with _unwritable(path):
                con = duckdb.connect(str(work))
            with _unwritable(path, duckdb.Error):  # the block's own OSErrors are not about the store
                yield con
            with _unwritable(path):
                _swap(con, work, path)
        except BaseException:
            if con is not None:
                con.close()
            _remove(work)
            raise
    finally:
        lock.close()  # releases the lock


@contextlib.contextmanager
def _unwritable(path: Path, errors=(OSError, duckdb.Error)):
    """A failure to write (of `errors`) turned into StoreUnwritable naming the store."""
    try:
        yield
    except errors as error:
        if _write_failed(error):
            raise StoreUnwritable(path, error) from error
        raise


def _lock(path: Path):
    """The writers' lock file, opened and locked, stray copies of killed writers removed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = open(path.with_name(path.name + ".lock"), "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for stray in path.parent.glob(f".{path.name}.*.tmp*"):
            stray.unlink(missing_ok=True)  # left by a writer that was killed; we hold the lock
    except BaseException:
        lock.close()
        raise
    return lock


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _private_copy(path: Path) -> Path:
    """Copy the store to this writer's scratch name (none yet: DuckDB creates it)."""
    work = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        if path.exists():
            shutil.copyfile(path, work)
            if _wal(path).exists():  # a store last written in place (older versions): its log goes along
                shutil.copyfile(_wal(path), _wal(work))
    except BaseException:
        _remove(work)  # a half copy (disk full) would only wait for the next writer
        raise
    return work


@contextlib.contextmanager
def scratch(path: Path | str | None = None):
    """A writable connection to a throwaway copy of the store (its log included), deleted when the
    block ends: an import's plan is tried on it to see the dataset as readers would after the import,
    while the store itself is never touched and no writer's lock is taken."""
    path = Path(path or default_db_path())
    with tempfile.TemporaryDirectory(prefix="jamsos-rencana-") as folder:
        work = Path(folder) / path.name
        shutil.copyfile(path, work)
        if _wal(path).exists():
            shutil.copyfile(_wal(path), _wal(work))
        con = duckdb.connect(str(work))
        try:
            yield con
        finally:
            con.close()


def _swap(con, work: Path, path: Path) -> None:
    con.execute("CHECKPOINT")
    con.close()
    os.replace(work, path)
    _wal(path).unlink(missing_ok=True)  # its content is in the copy


def _remove(work: Path) -> None:
    for leftover in (work, _wal(work)):
        with contextlib.suppress(OSError):  # on a read-only volume there is nothing to remove anyway
            leftover.unlink(missing_ok=True)


def build(path: Path | str | None = None) -> BuildReport:
    """Create or update the store from data/: schema, regions, publikasi and contoh. Idempotent."""
    from analytics import synthetic  # the generator is only needed when building

    path = Path(path or default_db_path())
    with writing(path) as con:
        applied = migrate(con)
        sync_regions(con)
        loads = (
            load_dataset(
                con,
                "publikasi",
                read_publikasi(),
                description="Angka terbit yang dikurasi dari data/publikasi/",
                file_name="data/publikasi/*.csv",
            ),
            load_dataset(
                con,
                "contoh",
                synthetic.generate(),
                description=f"Data contoh sintetis, seed {synthetic.DEFAULT_SEED}",
                file_name=None,
            ),
        )
    return BuildReport(path, applied, loads)
