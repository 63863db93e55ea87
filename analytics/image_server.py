"""Rendering press figures to PNG, SVG and PDF: one persistent headless Chromium (kaleido's sync
server), started lazily on the first export and shared by the whole process."""

from __future__ import annotations

import threading
import time

import plotly.graph_objects as go

from analytics.export_meta import IMAGE_FORMATS, _size

# ---------------------------------------------------------------- kaleido: one Chromium per process


class _ImageServer:
    """kaleido's sync server behind a lock.

    kaleido's server has one shared task queue and is not safe for concurrent callers, and its
    calls block forever if Chromium dies (e.g. fails to start): so every call runs in a helper
    thread that we abandon with an error when the browser thread is gone or the call times out.
    """

    FIRST_TIMEOUT = 90.0  # browser start on a busy 2-core machine
    TIMEOUT = 30.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._started = False

    def render(self, fig: go.Figure, image_format: str, width: int, height: int) -> bytes:
        with self._lock:
            timeout = self.TIMEOUT if self._started else self.FIRST_TIMEOUT
            self._start()
            return self._call(lambda: fig.to_image(format=image_format, width=width, height=height, scale=1), timeout)

    def stop(self) -> None:
        import kaleido

        with self._lock:
            if self._started:
                kaleido.stop_sync_server(silence_warnings=True)
                self._started = False

    @property
    def running(self) -> bool:
        return self._started

    def _start(self) -> None:
        if self._started:
            return
        import kaleido
        import plotly.io as pio

        pio.defaults.headers = None  # else every server call warns "The kopts argument is ignored"
        kaleido.start_sync_server(mathjax=False, silence_warnings=True)  # mathjax=False: no CDN request
        self._started = True

    def _call(self, work, timeout: float) -> bytes:
        result: dict = {}

        def run() -> None:
            try:
                result["value"] = work()
            except BaseException as error:  # handed to the caller below
                result["error"] = error

        worker = threading.Thread(target=run, name="image-export", daemon=True)
        worker.start()
        deadline = time.monotonic() + timeout
        while worker.is_alive():
            worker.join(0.05)
            if worker.is_alive() and (not self._browser_alive() or time.monotonic() > deadline):
                self._abandon()
                raise RuntimeError(
                    "Ekspor gambar gagal / image export failed: Chromium is not running or not "
                    "responding (is it installed? apt-get install chromium)."
                )
        if "error" in result:
            raise result["error"]
        return result["value"]

    @staticmethod
    def _browser_alive() -> bool:
        import kaleido

        thread = getattr(getattr(kaleido, "_global_server", None), "_thread", None)
        return thread is None or thread.is_alive()  # unknown kaleido internals: rely on the timeout

    def _abandon(self) -> None:
        """Forget a dead or hung server so the next export starts a fresh browser."""
        import kaleido

        if self._browser_alive():
            return  # closing a hung-but-alive server would block on its queue; leave it to atexit
        kaleido.stop_sync_server(silence_warnings=True)
        self._started = False


IMAGE_SERVER = _ImageServer()


def image_bytes(fig: go.Figure, fmt: str, size: str) -> bytes:
    """PNG/SVG/PDF bytes of `fig` (normally a press_figure) at the pixel size `size`."""
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"unknown image format {fmt!r}; choose one of {', '.join(IMAGE_FORMATS)}")
    width, height = _size(size)
    return IMAGE_SERVER.render(fig, fmt, width, height)


def stop_image_server() -> None:
    """Close the shared Chromium (tests, shutdown); the next export starts it again."""
    IMAGE_SERVER.stop()
