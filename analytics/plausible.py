"""When a figure can have been stated: the one rule for budget years and data dates.

The importer (analytics.importing), the synthetic generator (analytics.synthetic) and the URL state
(views/_state.py) all ask here, so a year the importer refuses can neither be generated nor linked to.

- A budget year lies from 2010 (the dashboard's earliest as-of date, views/_ui.FIRST_DATA_DATE) to
  the current year + 2 (a budget is drafted two years ahead at most).
- A data date lies from 1 January 2010 to today: a realised figure cannot be dated in the future.
- A target or plan (kepesertaan `jenis_angka` target/rencana, an allocation or a budgeted amount)
  may be dated on the day it aims at, so it may lie after today, but not after 31 December of the
  year after its budget year.

`today()` is the clock: tests replace it (monkeypatch `plausible.today`) or pass `now`.
"""

from __future__ import annotations

import datetime as dt

from analytics.importing.cells import ParseError

FIRST_YEAR = 2010
YEARS_AHEAD = 2
FIRST_DATE = dt.date(FIRST_YEAR, 1, 1)
PLANNED_FIGURES = ("target", "rencana")  # kepesertaan.jenis_angka of a goal, not a realised count
PLANNED_COMPONENTS = ("alokasi_dbhcht", "anggaran_jamsos")  # anggaran.komponen decided before it is spent


def today() -> dt.date:
    return dt.date.today()


def year_range(now: dt.date | None = None) -> tuple[int, int]:
    return FIRST_YEAR, (now or today()).year + YEARS_AHEAD


def date_range(plan_year: int | None = None, now: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The accepted dates of a realised figure, or of a target or plan for budget year `plan_year`."""
    if plan_year is not None:  # MAXYEAR: a year column in error leaves the year of a date such as 31/12/9999
        return FIRST_DATE, dt.date(min(plan_year + 1, dt.MAXYEAR), 12, 31)
    return FIRST_DATE, now or today()


def is_budget_year(year: int, now: dt.date | None = None) -> bool:
    low, high = year_range(now)
    return low <= year <= high


def is_data_date(date: dt.date, now: dt.date | None = None) -> bool:
    low, high = date_range(now=now)
    return low <= date <= high


def check_year(year: int, now: dt.date | None = None) -> None:
    """ParseError (Indonesian and English, with the accepted range) unless `year` is a budget year."""
    low, high = year_range(now)
    if not low <= year <= high:
        raise ParseError(
            f"Tahun {year} di luar rentang yang diterima ({low}–{high}). Tulis tahun anggaran empat angka, "
            f"mis. {high - YEARS_AHEAD}.",
            f"The year {year} is outside the accepted range ({low}–{high}). Write the four-digit budget year, "
            f"e.g. {high - YEARS_AHEAD}.",
        )


def check_date(date: dt.date, budget_year: int, planned: bool = False, now: dt.date | None = None) -> None:
    """ParseError unless `date` is a plausible date for a (planned) figure of `budget_year`."""
    low, high = date_range(budget_year if planned else None, now)
    if low <= date <= high:
        return
    shown, span = _dmy(date), f"{_dmy(low)} – {_dmy(high)}"
    if planned:
        fix = (
            f"Target atau rencana tahun anggaran {budget_year} bertanggal paling lambat {_dmy(high)}; periksa tahunnya."
        )
        fix_en = f"A target or plan for budget year {budget_year} is dated {_dmy(high)} at the latest; check the year."
    else:
        fix = (
            "Tanggal data tidak boleh sebelum 2010 atau setelah hari ini (hanya target atau rencana boleh "
            "bertanggal ke depan); periksa tahunnya."
        )
        fix_en = (
            "A data date cannot be before 2010 or after today (only a target or plan may be dated ahead); "
            "check the year."
        )
    raise ParseError(
        f"Tanggal {shown} di luar rentang yang diterima ({span}). {fix}",
        f"The date {shown} is outside the accepted range ({span}). {fix_en}",
    )


def _dmy(date: dt.date) -> str:
    return f"{date.day:02d}/{date.month:02d}/{date.year:04d}"  # strftime pads years < 1000 unevenly
