"""Builders and checks shared by the hostile-file tests (unit, page and browser)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

SHEET = "xl/worksheets/sheet1.xml"


def inflated(xlsx: bytes, padding: int) -> bytes:
    """The workbook with `padding` bytes of whitespace inside its first sheet's data: a zip bomb
    (whitespace deflates about 1,000x) that is otherwise a valid file."""
    source, out = zipfile.ZipFile(io.BytesIO(xlsx)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == SHEET:
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * padding, 1)
            target.writestr(info.filename, data)
    return out.getvalue()


def stat(pid: str) -> list[str]:
    """State, parent … of a process ([] when gone), from /proc/PID/stat after the command name."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return []


def running(pid: str) -> bool:
    """Alive and not a zombie (a killed orphan stays one where PID 1 does not reap, as in containers)."""
    fields = stat(pid)
    return bool(fields) and fields[0] != "Z"
