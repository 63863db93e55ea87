"""Steward files are read in a child process with a time and a memory limit.

Why a process and not a thread: reading is pure-Python work (openpyxl's parser, per-cell parsing)
that holds the GIL, so in a thread of the dashboard's server it slows every other session's page
and keeps the server from shutting down until it finishes. A child process runs on the other
core, can be given a hard address-space limit (RLIMIT_AS: a file the size checks did not catch
fails with MemoryError there, not in the server), is killed at its time limit, dies with the
thread that started it (PR_SET_PDEATHSIG), and is killed when the server shuts down. It costs
about a second to start, small beside what reading a real file costs.

Parent side: `read_file` (same arguments and result as `reader.read_file`). Child side:
`python -m analytics.importing.reader_process`, a pickled request on stdin, a pickled ReadResult on stdout.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback

from analytics import fmt, paths
from analytics.importing import problems, reader
from analytics.importing.reading_limits import READ_MEMORY, READ_SECONDS

PROJECT_DIR = paths.PROJECT_DIR
_POLL = 0.5  # seconds between checks that the server is still running


def read_file(
    file_name: str,
    data: bytes,
    sheet: str | None = None,
    kind: str | None = None,
    *,
    seconds: float = READ_SECONDS,
    memory: int = READ_MEMORY,
) -> problems.ReadResult:
    """`reader.read_file` in a child process; a time-out, the memory limit or a crash is a ReadResult
    with one error, like any other unreadable file."""
    with tempfile.TemporaryFile() as request:  # a file, not a pipe: see _wait
        pickle.dump({"file_name": file_name, "data": data, "sheet": sheet, "kind": kind, "memory": memory}, request)
        request.seek(0)
        proc = subprocess.Popen(
            [sys.executable, "-m", "analytics.importing.reader_process", str(os.getpid())],
            cwd=PROJECT_DIR,
            stdin=request,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    try:
        out, err = _wait(proc, seconds)
    except TimeoutError:
        return _fail(file_name, sheet, kind, "timeout", seconds)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    if proc.returncode == 0:
        return pickle.loads(out)  # noqa: S301 — written by our own child from the file's values
    if b"MemoryError" in err:
        return _fail(file_name, sheet, kind, "memory", memory)
    sys.stderr.write(err.decode("utf-8", "replace"))  # the traceback goes to the server log, not the steward
    return _fail(file_name, sheet, kind, "crash", proc.returncode)


def _wait(proc: subprocess.Popen, seconds: float) -> tuple[bytes, bytes]:
    """Output of the child; TimeoutError past `seconds` or once the server is shutting down (its
    main thread has ended). communicate() may be retried after a time-out without losing output,
    but (Python 3.11) not input: the request therefore comes from a file."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return proc.communicate(timeout=max(0.01, min(_POLL, deadline - time.monotonic())))
        except subprocess.TimeoutExpired:
            if time.monotonic() >= deadline or not threading.main_thread().is_alive():
                raise TimeoutError from None


_MESSAGES = {
    "timeout": (
        "Membaca file ini memakan waktu lebih dari {value} detik, batas waktunya. Pecah data menjadi "
        "beberapa file yang lebih kecil, atau simpan sebagai .csv (lebih cepat dibaca daripada .xlsx).",
        "Reading this file took longer than {value} seconds, the time limit. Split the data into several "
        "smaller files, or save it as .csv (read faster than .xlsx).",
    ),
    "memory": (
        "File ini memerlukan lebih dari {value} GB memori untuk dibaca, batasnya. Pecah data menjadi "
        "beberapa file yang lebih kecil, atau hapus baris, kolom dan sheet yang tidak dipakai.",
        "Reading this file needs more than {value} GB of memory, the limit. Split the data into several "
        "smaller files, or delete unused rows, columns and sheets.",
    ),
    "crash": (
        "File ini tidak dapat dibaca karena kesalahan program pembaca (kode {value}); tidak ada yang "
        "disimpan. Laporkan ke pengelola dasbor dengan melampirkan file ini.",
        "This file could not be read because the reader failed (code {value}); nothing was stored. "
        "Report it to the dashboard's maintainers with the file attached.",
    ),
}


def _fail(file_name: str, sheet, kind, reason: str, value) -> problems.ReadResult:
    message, message_en = _MESSAGES[reason]
    shown = value / 2**30 if reason == "memory" else value
    return reader.failed(
        file_name, sheet, kind, message.format(value=fmt.number(shown)), message_en.format(value=f"{shown:,.0f}")
    )


def _tie_to_parent(parent: int) -> bool:
    """Linux: die with the thread that started us, whatever happens to it. False when the parent
    is already gone (it died while we were starting, before the tie existed)."""
    try:
        ctypes.CDLL(None).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):
        pass
    return os.getppid() == parent


def _child(parent: int) -> int:
    if not _tie_to_parent(parent):
        return 4
    request = pickle.load(sys.stdin.buffer)  # noqa: S301 — from our own parent process
    resource.setrlimit(resource.RLIMIT_AS, (request["memory"], request["memory"]))
    try:
        result = reader.read_file(request["file_name"], request["data"], sheet=request["sheet"], kind=request["kind"])
        payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        sys.stderr.write("MemoryError\n")
        return 3
    except Exception:  # noqa: BLE001 — reported to the parent, which logs it and tells the steward
        traceback.print_exc()
        return 1
    sys.stdout.buffer.write(payload)
    return 0


if __name__ == "__main__":
    sys.exit(_child(int(sys.argv[1])))
