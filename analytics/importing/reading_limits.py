"""How big a steward file may be, and what reading one may cost; all derived from the upload cap.

The page and the command line accept files up to UPLOAD_CAP. Everything else bounds what such a
file can make the reader do: a zip part may not inflate beyond MAX_EXPANDED nor by more than
MAX_RATIO (real sheets inflate 5-15x; bombs 1,000x), a grid may not hold more than MAX_CELLS
cells (rows x used width: 2.8 million rows of six columns, or Excel's full million rows of 16),
and no cell may be longer than Excel's own 32,767 characters. The reader process gets
READ_SECONDS and READ_MEMORY (see reader_process.py).
"""

from __future__ import annotations

UPLOAD_CAP_MB = 60
UPLOAD_CAP = UPLOAD_CAP_MB * 2**20
MAX_EXPANDED = 16 * UPLOAD_CAP  # all parts of one XLSX together, inflated
MAX_RATIO = 100  # inflated / compressed, for parts larger than RATIO_FLOOR
RATIO_FLOOR = 2**20  # small parts (styles, themes) may compress very well and cost nothing
MAX_PARTS = 10_000
MAX_CELLS = 2**24  # 16,777,216
MAX_FIELD = 32_767  # characters in one cell: Excel's limit
READ_SECONDS = 900  # a million-row XLSX takes about 4 minutes on the reference machine
READ_MEMORY = 6 * 2**30  # address space of the reader process


class Unreadable(Exception):
    """A file refused as a whole, with a steward-facing message in Indonesian and English."""

    def __init__(self, message: str, message_en: str):
        super().__init__(message)
        self.message, self.message_en = message, message_en
