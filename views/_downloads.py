"""Generated downloads outlive Streamlit's sweep long enough to be fetched.

Streamlit 1.67 stores the file a deferred download button generates (`st.download_button` with a
callable: every image, data file, press kit and report here) without tying it to any session. Each
script run of any session ends with a sweep that marks such unreferenced files and deletes them at
the next sweep; so when two other sessions' runs end between a click and the browser's GET of the
file's URL, the download fails with 404. On an idle server that never happens; under the load test
(benchmarks/load.py) 8 of 50 sessions' CSV downloads failed. A generated file is therefore left out
of the sweep for KEEP_SECONDS after it was made (bounded: downloads per minute x their size).
"""

from __future__ import annotations

import threading
import time

from streamlit.runtime import media_file_manager

KEEP_SECONDS = 60.0
_fresh: dict[str, float] = {}  # generated file id -> when it was made
_lock = threading.Lock()


def keep_generated_files() -> None:
    """Patch the process's media file manager once (idempotent; app.py calls it on every run)."""
    manager = media_file_manager.MediaFileManager
    if getattr(manager, "_keeps_generated_files", False):
        return
    execute, inactive = manager.execute_deferred, manager._get_inactive_file_ids

    def execute_deferred(self, file_id: str) -> str:
        url = execute(self, file_id)
        with _lock:
            _fresh[url.rsplit("/", 1)[-1].split(".", 1)[0]] = time.monotonic()
        return url

    def get_inactive_file_ids(self) -> set[str]:
        now = time.monotonic()
        with _lock:
            for old in [fid for fid, made in _fresh.items() if now - made > KEEP_SECONDS]:
                del _fresh[old]
            keep = set(_fresh)
        return inactive(self) - keep

    manager.execute_deferred = execute_deferred
    manager._get_inactive_file_ids = get_inactive_file_ids
    manager._keeps_generated_files = True
