"""Importing a read steward file into the store: checks against what is stored, then one batch.

`plan` looks at the store (read-only) and adds what a file alone cannot tell: whether this exact
file was imported already, which stored figures the file corrects, figures that differ wildly
from the region's previous ones, and a cost per participant-month far from Rp16.800. Those are
warnings: the steward must acknowledge them before `commit`. Errors from reading always block.

`commit` writes one batch through `store.writing`: all rows or none, and readers see the store
before or after, never in between. The command line and the Kelola Data page both use this.
Another import may land between `plan` and `commit` (two stewards, or the page and the command
line): `commit` then runs the checks again inside the writer's lock, against the store it writes,
and refuses with PlanChanged when they warn of something the plan did not.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pandas as pd

from analytics import fmt, metrics, regions, store
from analytics.importing.problems import Problem, ReadResult

WILD_FACTOR = 3.0  # a figure over 3× or under 1/3 of the region's previous one gets a warning

# Per table: the series a figure belongs to (besides the region), its date column and its figures.
SERIES = {
    "kepesertaan": (("jenis_angka", "sumber_dana", "kategori_pekerja"), "tanggal_data", ("peserta",)),
    "anggaran": (("komponen",), "tanggal_data", ("nilai_rp",)),
    "klaim": (("program",), "tanggal_data", ("kasus", "nilai_rp")),
    "denominator": (("metrik",), "tahun", ("nilai",)),
    "penilaian": (("kriteria", "penilai"), "tanggal_data", ("skor",)),  # one assessor's score of one criterion
}


@dataclass
class Plan:
    result: ReadResult
    dataset: str
    sha256: str
    existing_batch: int | None  # this exact file is already active as that batch
    corrections: int  # stored figures the file changes (the old ones are kept as history)
    checks: list[Problem] = field(default_factory=list)  # store-aware warnings
    state: tuple = ()  # the dataset's batches when checked (store.dataset_state); () = none

    @property
    def problems(self) -> list[Problem]:
        return self.result.problems + self.checks

    @property
    def ok(self) -> bool:
        return self.result.ok

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]


class ImportRefused(ValueError):
    """commit() called for a plan with errors, or with warnings not acknowledged."""


class PlanChanged(ImportRefused):
    """The store changed between plan and commit, and the checks against it now warn of something
    the plan did not. Nothing was stored: show `new` (the fresh warnings) and ask again with `plan`."""

    def __init__(self, fresh: Plan, new: list[Problem]):
        super().__init__(f"store berubah sejak pemeriksaan: {len(new)} peringatan baru; tidak ada yang disimpan")
        self.plan, self.new = fresh, new


def plan(db_path: Path | str, result: ReadResult, data: bytes, dataset: str = "resmi") -> Plan:
    out = Plan(result, dataset, hashlib.sha256(data).hexdigest(), None, 0)
    path = Path(db_path)
    if not result.ok or result.kind is None or not path.exists():
        return out
    with store.reading(path) as con:
        return _check(out, con, lambda: _tables_after(path, dataset, result))


TablesAfter = Callable[[], dict[str, pd.DataFrame]]


def _check(out: Plan, con, tables_after: TablesAfter) -> Plan:
    """Fill in the store-aware part of a plan from `con`. `tables_after` gives the dataset as readers
    would see it after the import; it is called only when a cost can be computed."""
    result = out.result
    new = _new_rows(result, "-")
    out.state = store.dataset_state(con, out.dataset)
    out.existing_batch = store.active_batch_with_sha(con, out.dataset, out.sha256)
    existing = store.read_tables(con, out.dataset)
    out.corrections = store.count_corrections(con, out.dataset, result.kind, new, SERIES[result.kind][2])
    new = new.assign(baris=result.rows["baris"].astype(int).to_numpy())
    out.checks = _wild_changes(result, new, existing[result.kind]) + _cost_checks(result, new, existing, tables_after)
    return out


def _new_rows(result: ReadResult, source_id: str) -> pd.DataFrame:
    rows = result.rows.drop(columns=["baris"]).assign(sumber_id=source_id)
    return store.coerce_table(result.kind, rows)


def _region(kode: str) -> str:
    return regions.region_by_code(kode).nama


def _fmt(number: float) -> str:
    return fmt.number(number, 0 if abs(number) >= 100 else 2)


def _wild_changes(result: ReadResult, new: pd.DataFrame, old: pd.DataFrame) -> list[Problem]:
    """New figures over WILD_FACTOR times above or below the region's previous figure of the series."""
    series, date, values = SERIES[result.kind]
    if old.empty or new.empty:
        return []
    keys = ["kode", *series]
    left = _for_asof(new, keys, date)
    right = _for_asof(store.coerce_table(result.kind, old), keys, date)
    right = (
        right[[*keys, date, *values]].rename(columns={v: f"{v}_lama" for v in values}).assign(tanggal_lama=right[date])
    )
    merged = pd.merge_asof(left, right, on=date, by=keys, allow_exact_matches=True)
    problems = []
    for value in values:
        for row in merged.dropna(subset=[value, f"{value}_lama"]).itertuples():
            before, now = float(getattr(row, f"{value}_lama")), float(getattr(row, value))
            if before > 0 and (now > before * WILD_FACTOR or now * WILD_FACTOR < before):
                problems.append(_wild_problem(result, row, value, before, now))
    return problems


def _for_asof(frame: pd.DataFrame, keys: list[str], date: str) -> pd.DataFrame:
    out = frame.copy()
    for key in keys:
        out[key] = out[key].astype("string").fillna("").str.casefold()
    out[date] = pd.to_datetime(out[date].astype("string") if date == "tahun" else out[date])
    return out.sort_values(date)


def _wild_problem(result: ReadResult, row, value: str, before: float, now: float) -> Problem:
    when = pd.Timestamp(row.tanggal_lama)
    when_text = str(when.year) if SERIES[result.kind][1] == "tahun" else when.strftime("%d/%m/%Y")
    ratio = now / before if now >= before else before / now
    way, way_en = ("naik", "up") if now >= before else ("turun", "down")
    column = next(
        (
            h
            for h, f in result.mapping.items()
            if f
            in (value, getattr(row, "komponen", None), getattr(row, "metrik", None), getattr(row, "kriteria", None))
        ),
        None,
    )
    return Problem(
        result.file,
        result.sheet,
        int(row.baris),
        column,
        "warning",
        f"{_region(row.kode)}: {_fmt(now)} {way} {ratio:.1f}× dari angka tersimpan sebelumnya "
        f"({_fmt(before)} per {when_text}). Periksa satuan dan ketikan; bila benar, lanjutkan.",
        f"{_region(row.kode)}: {_fmt(now)} is {way_en} {ratio:.1f}× from the previous stored figure "
        f"({_fmt(before)} as of {when_text}). Check the unit and typing; if it is right, go on.",
    )


def _cost_checks(
    result: ReadResult, new: pd.DataFrame, existing: dict[str, pd.DataFrame], tables_after: TablesAfter
) -> list[Problem]:
    """Cost per participant-month, as the dashboard would show it after the import, far from Rp16.800."""
    if result.kind not in ("kepesertaan", "anggaran") or not _has_counterpart(result.kind, new, existing):
        return []
    tables = tables_after()
    problems = []
    for year in sorted(new["tahun_anggaran"].dropna().unique()):
        as_of = max(
            frame.loc[frame["tahun_anggaran"] == year, "tanggal_data"].max()
            for frame in (tables["kepesertaan"], tables["anggaran"])
            if (frame["tahun_anggaran"] == year).any()
        )
        cost = metrics.compute("biaya_per_peserta_bulan", tables, int(year), as_of).set_index("kode")
        for kode, rows in new.loc[new["tahun_anggaran"] == year].groupby("kode"):
            value = cost["nilai"].get(kode)
            if value is not None and pd.notna(value) and metrics.premium_flag(value):
                problems.append(_cost_problem(result, kode, int(year), value, int(rows["baris"].min())))
    return problems


def _has_counterpart(kind: str, new: pd.DataFrame, existing: dict[str, pd.DataFrame]) -> bool:
    """A cost needs money and participants of the same region and year; an enrolment file can only
    produce one with stored contribution budgets, a budget file with stored enrolment (or itself
    nothing). Skipping the scratch copy then keeps a 1-million-row plan fast."""
    other = existing["anggaran" if kind == "kepesertaan" else "kepesertaan"]
    if kind == "kepesertaan":
        other = other.loc[other["komponen"].isin(["anggaran_jamsos", "realisasi_jamsos"])]
    keys = set(zip(new["kode"], new["tahun_anggaran"].astype(int)))
    return any(key in keys for key in zip(other["kode"], other["tahun_anggaran"].astype(int)))


def _tables_after(db_path: Path, dataset: str, result: ReadResult) -> dict[str, pd.DataFrame]:
    """The dataset's tables as readers would see them after this import, from a scratch copy of the store."""
    with store.scratch(db_path) as con:
        store.load_dataset(
            con,
            dataset,
            {result.kind: result.rows.drop(columns=["baris"]).assign(sumber_id="-")},
            description="rencana impor",
            replace=False,
            sha256="rencana",
        )
        return store.read_tables(con, dataset)


def _cost_problem(result: ReadResult, kode: str, year: int, value: float, row: int) -> Problem:
    pct = (value / metrics.REFERENCE_PREMIUM - 1) * 100
    return Problem(
        result.file,
        result.sheet,
        row,
        None,
        "warning",
        f"{_region(kode)} {year}: biaya per peserta-bulan menjadi Rp{_fmt(value)}, {pct:+.0f}% dari acuan "
        f"Rp16.800 (PP 44/2015). Periksa jumlah peserta, bulan cakupan dan anggaran iuran.",
        f"{_region(kode)} {year}: cost per participant-month becomes Rp{_fmt(value)}, {pct:+.0f}% from "
        f"the Rp16,800 reference (PP 44/2015). Check participants, months covered and the contribution budget.",
    )


def commit(
    db_path: Path | str, the_plan: Plan, *, source: str = "", user: str | None = None, acknowledged: bool = False
) -> store.LoadResult:
    """Store the plan's rows as one batch of its dataset; refuses errors and unacknowledged warnings.

    Raises PlanChanged when the dataset changed since the plan and the checks now give warnings the
    plan did not (`acknowledged` covers the plan's warnings only), StoreUnwritable when the store
    cannot be written. Either way nothing is stored."""
    result = the_plan.result
    if not the_plan.ok or result.kind is None:
        raise ImportRefused("berkas masih berisi kesalahan; tidak ada yang disimpan")
    if the_plan.warnings and not acknowledged:
        raise ImportRefused("ada peringatan yang belum dikonfirmasi; tidak ada yang disimpan")
    description = source.strip() or f"impor {result.file}"
    tables = {
        "sumber": _source_row(the_plan, source, description),
        result.kind: result.rows.drop(columns=["baris"]).assign(sumber_id=_source_id(the_plan)),
    }
    with store.writing(db_path) as con:
        store.migrate(con)
        existing = store.active_batch_with_sha(con, the_plan.dataset, the_plan.sha256)
        if existing:  # imported meanwhile (another steward, or a double click)
            return store.LoadResult(the_plan.dataset, existing, 0, True)
        store_batch = partial(
            store.load_dataset,
            con,
            the_plan.dataset,
            tables,
            description=description,
            file_name=result.file,
            replace=False,
            sha256=the_plan.sha256,
            user=user,
        )
        if store.dataset_state(con, the_plan.dataset) == the_plan.state:
            return store_batch()  # nothing written to the dataset since the plan: its checks hold
        return _recheck_and_store(con, the_plan, store_batch)


def _source_id(the_plan: Plan) -> str:
    return f"RESMI-{the_plan.sha256[:10]}"


def _source_row(the_plan: Plan, source: str, description: str) -> pd.DataFrame:
    result = the_plan.result
    return pd.DataFrame(
        [
            {
                "sumber_id": _source_id(the_plan),
                "judul": description,
                "url": "",
                "penerbit": source.strip() or "petugas data",
                "tanggal_terbit": dt.date.today().isoformat(),
                "tanggal_terbit_teks": "",
                "catatan": f"berkas {result.file}"
                + (f", sheet {result.sheet}" if result.sheet else "")
                + f", sha256 {the_plan.sha256}",
            }
        ]
    )


def _recheck_and_store(con, the_plan: Plan, store_batch: Callable[[], store.LoadResult]) -> store.LoadResult:
    """The plan's checks again, against the store being written (inside the writer's lock, so no
    other import can land in between). The cost check needs the dataset with this batch in it: the
    batch goes into the private copy first, and a refusal drops the copy with it."""
    loads = []

    def tables_after() -> dict[str, pd.DataFrame]:
        loads.append(store_batch())
        return store.read_tables(con, the_plan.dataset)

    fresh = _check(Plan(the_plan.result, the_plan.dataset, the_plan.sha256, None, 0), con, tables_after)
    new = [warning for warning in fresh.warnings if warning not in the_plan.warnings]
    if new:
        raise PlanChanged(fresh, new)
    return loads[0] if loads else store_batch()


def rollback(db_path: Path | str, batch_id: int) -> str:
    """Take an imported batch out of use (rows kept as history); returns its dataset."""
    with store.writing(db_path) as con:
        store.migrate(con)
        return store.rollback(con, batch_id)
