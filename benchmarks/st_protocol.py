"""A Streamlit browser tab without the browser: one websocket session speaking the server's protobuf
protocol (BackMsg / ForwardMsg from the streamlit package), for the load test (benchmarks/load.py).

What the frontend does and this client copies:
- it loads the page's HTML (cookies: XSRF, a proxy's affinity cookie), opens `/_stcore/stream`
  with subprotocols ["streamlit", <xsrf token>], and sends BackMsg.rerun_script with a ClientState
  (query string, page name or page script hash, every widget's current value, context info);
- it follows the server's `page_info_changed` query string (the address bar) and sends it back on
  the next rerun, since the app's state logic (views/_state.py) compares them;
- a widget keeps the value the user gave it unless the server sets it (`set_value`), so values are
  tracked per widget id across runs, and every run's full set of values is sent;
- a deferred download (st.download_button with a callable, Streamlit 1.67) is a
  BackendOperationRequest.deferred_file; the answer carries a /media/ URL fetched over HTTP.

Not a benchmark by itself: `Session.rerun()` returns a `Run` (seconds, status, exceptions, widgets).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

SUCCESS = ForwardMsg.FINISHED_SUCCESSFULLY
EARLY = ForwardMsg.FINISHED_EARLY_FOR_RERUN  # the script asked for another run; wait for that one
STATUS_NAMES = {v: k for k, v in ForwardMsg.ScriptFinishedStatus.items()}
SIDEBAR = 1  # delta_path[0] of elements in the sidebar (0 is the main area)


class ProtocolError(Exception):
    """The server closed the socket or answered something a browser would not expect."""


# ---------------------------------------------------------------- widgets and their values


def _string(value: str) -> dict:
    return {"string_value": value}


def _strings(values) -> dict:
    return {"string_array_value": list(values)}


@dataclass
class Widget:
    """One widget as the last run drew it, with the value the client holds for it (`state`: the
    WidgetState field name and value, or None when the widget holds no value, e.g. an empty select)."""

    kind: str
    proto: object
    sidebar: bool
    state: dict | None = None

    @property
    def id(self) -> str:
        return self.proto.id

    @property
    def label(self) -> str:
        return getattr(self.proto, "label", "")

    def message(self) -> WidgetState | None:
        if self.state is None:
            return None
        ((name, value),) = self.state.items()
        ws = WidgetState(id=self.id)
        if name.endswith("_array_value"):
            getattr(ws, name).data.extend(value)
        else:
            setattr(ws, name, value)
        return ws

    def alternatives(self) -> list[dict]:
        """Other values a user could give it with one interaction (empty: not a changeable widget)."""
        p, now = self.proto, self.state
        if getattr(p, "disabled", False):
            return []
        if self.kind in ("selectbox", "radio"):
            return [_string(o) for o in p.options if now != _string(o)]
        if self.kind == "button_group" and p.click_mode == p.SINGLE_SELECT:
            return [_strings([o.content]) for o in p.options if now != _strings([o.content])]
        if self.kind == "checkbox":
            return [{"bool_value": not (now or {}).get("bool_value", False)}]
        if self.kind == "slider" and now and len(now["double_array_value"]) == 1 and p.step > 0:
            value = now["double_array_value"][0]
            steps = [value - p.step, value + p.step]
            return [{"double_array_value": [s]} for s in steps if p.min <= s <= p.max]
        return []


def initial_state(kind: str, p) -> dict | None:
    """The value a freshly mounted widget holds: the server's (set_value) or its default."""
    if kind in ("selectbox", "radio"):
        if p.set_value:
            return _string(p.raw_value) if p.HasField("raw_value") or p.raw_value else None
        return _string(p.options[p.default]) if 0 <= p.default < len(p.options) else None
    if kind == "button_group":
        return _strings(p.raw_values if p.set_value else [p.options[i].content for i in p.default])
    if kind == "multiselect":
        return _strings(p.raw_values if p.set_value else [p.options[i] for i in p.default])
    if kind == "checkbox":
        return {"bool_value": p.value if p.set_value else p.default}
    if kind == "slider":
        return {"double_array_value": list(p.value if p.set_value else p.default)}
    if kind == "date_input":
        return _strings(p.value if p.set_value else p.default)
    if kind == "number_input":
        value = p.value if p.set_value else p.default
        return {"int_value": int(value)} if p.data_type == p.INT else {"double_value": value}
    if kind == "text_input":
        return _string(p.value if p.set_value else p.default)
    return None  # buttons, download buttons, uploads: no value until clicked


VALUE_WIDGETS = {
    "selectbox",
    "radio",
    "button_group",
    "multiselect",
    "checkbox",
    "slider",
    "date_input",
    "number_input",
    "text_input",
}


# ---------------------------------------------------------------- one run


@dataclass
class Run:
    """What one rerun produced, as the browser would see it."""

    seconds: float
    status: str
    exceptions: list[str] = field(default_factory=list)
    page: str = ""  # url path of the page that ran
    bytes: int = 0  # ForwardMsg bytes received
    raw: bytearray = field(default_factory=bytearray, repr=False)  # the deltas, to look for a text

    @property
    def ok(self) -> bool:
        return self.status == "FINISHED_SUCCESSFULLY" and not self.exceptions


# ---------------------------------------------------------------- the session


class Session:
    """One simulated browser tab on `base` (http://host:port, maybe a proxy)."""

    def __init__(self, base: str, timeout: float = 120.0, keep_raw: bool = False):
        self.base = base.rstrip("/")
        self.timeout = timeout
        self.keep_raw = keep_raw
        self.cookies: dict[str, str] = {}
        self.ws = None
        self.session_id = ""
        self.query_string = ""
        self.page_hash = ""
        self.pages: dict[str, str] = {}  # url path -> page script hash ("" is the default page)
        self.widgets: dict[str, Widget] = {}
        self.downloads: list[tuple[str, str]] = []  # (label, deferred file id or /media URL) of the last run
        self._held: dict[str, dict | None] = {}  # widget id -> value, across runs

    # --- connection

    async def open(self, path: str, query: str) -> Run:
        """Load the page like a browser (HTML, then the websocket) and wait for its first run."""
        start = time.perf_counter()
        status, _ = await http_get(self.base, f"/{path}" + (f"?{query}" if query else ""), self.cookies)
        if status != 200:
            raise ProtocolError(f"GET /{path}: HTTP {status}")
        host = urlsplit(self.base)
        scheme = "wss" if host.scheme == "https" else "ws"
        protocols = ["streamlit", self.cookies.get("_streamlit_xsrf", "")]
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        self.ws = await websockets.connect(
            f"{scheme}://{host.netloc}/_stcore/stream",
            subprotocols=[p for p in protocols if p] or ["streamlit"],
            additional_headers=headers,
            max_size=None,
            open_timeout=self.timeout,
            ping_interval=None,
            compression=None,
        )
        self.query_string = query
        run = await self.rerun(page_name=path)
        run.seconds = time.perf_counter() - start
        return run

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    # --- reruns

    async def rerun(
        self,
        page_name: str = "",
        page_hash: str | None = None,
        query: str | None = None,
        change: tuple[str, dict] | None = None,
    ) -> Run:
        """Send rerun_script (widget `change` = (id, new state) applied first) and wait for the run's
        script_finished; a FINISHED_EARLY_FOR_RERUN run is followed to the run that replaces it."""
        if change is not None:
            self._held[change[0]] = change[1]
        if query is not None:
            self.query_string = query
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query_string
        if page_name:  # the address bar on first load: the page by its url path
            cs.page_name = page_name
        else:  # a rerun of this page, or a nav click to another one
            cs.page_script_hash = self.page_hash if page_hash is None else page_hash
        if page_hash is None and not page_name:  # same page: every widget's current value
            states = [w.message() for w in self.widgets.values()]
            cs.widget_states.widgets.extend(s for s in states if s is not None)
        self._context(cs.context_info, page_name)
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        run = await self._until_finished()
        run.seconds = time.perf_counter() - start
        return run

    def _context(self, info, page_name: str) -> None:
        info.timezone, info.timezone_offset, info.locale = "Asia/Jakarta", -420, "id-ID"
        info.url = f"{self.base}/{page_name}" + (f"?{self.query_string}" if self.query_string else "")
        info.is_embedded, info.color_scheme = False, "light"

    async def _recv(self) -> ForwardMsg:
        try:
            data = await asyncio.wait_for(self.ws.recv(), self.timeout)
        except (websockets.ConnectionClosed, TimeoutError) as error:
            raise ProtocolError(f"websocket: {type(error).__name__} {error}") from error
        msg = ForwardMsg()
        msg.ParseFromString(data)
        return msg, len(data)

    async def _until_finished(self) -> Run:
        run = Run(seconds=0.0, status="")
        widgets: dict[str, Widget] = {}
        downloads: list[tuple[str, str]] = []
        while True:
            msg, size = await self._recv()
            run.bytes += size
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                widgets, downloads = {}, []  # a new run (maybe after an early finish) starts afresh
                self._on_new_session(msg.new_session)
            elif kind == "delta":
                self._on_delta(msg, widgets, downloads, run)
                if self.keep_raw:
                    run.raw += msg.SerializeToString()
            elif kind == "page_info_changed":
                self.query_string = msg.page_info_changed.query_string
            elif kind == "navigation":
                self._on_navigation(msg.navigation)
            elif kind == "page_not_found":
                run.exceptions.append(f"page_not_found: {msg.page_not_found.page_name}")
            elif kind == "script_finished":
                if msg.script_finished == EARLY:
                    continue
                run.status = STATUS_NAMES.get(msg.script_finished, str(msg.script_finished))
                break
        self.widgets, self.downloads = widgets, downloads
        for wid in [w for w in self._held if w not in widgets]:
            del self._held[wid]  # Streamlit forgets a widget not drawn in a run; so does the browser
        run.page = next((p for p, h in self.pages.items() if h == self.page_hash), "")
        return run

    def _on_new_session(self, ns) -> None:
        self.session_id = ns.initialize.session_id or self.session_id
        self.page_hash = ns.page_script_hash
        if ns.app_pages:
            self.pages = {p.url_pathname: p.page_script_hash for p in ns.app_pages}

    def _on_navigation(self, nav) -> None:
        self.pages = {p.url_pathname: p.page_script_hash for p in nav.app_pages}
        self.page_hash = nav.page_script_hash or self.page_hash

    def _on_delta(self, msg, widgets: dict, downloads: list, run: Run) -> None:
        delta = msg.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            exc = element.exception
            if not exc.is_warning:
                run.exceptions.append(f"{exc.type}: {exc.message}"[:300])
        elif kind == "download_button":
            p = element.download_button
            downloads.append((p.label, p.deferred_file_id or p.url))
        elif kind in VALUE_WIDGETS:
            proto = getattr(element, kind)
            if proto.set_value or proto.id not in self._held:
                self._held[proto.id] = initial_state(kind, proto)
            sidebar = bool(msg.metadata.delta_path) and msg.metadata.delta_path[0] == SIDEBAR
            widgets[proto.id] = Widget(kind, proto, sidebar, self._held[proto.id])

    # --- downloads

    async def download(self, target: str) -> tuple[int, int]:
        """Click a download button: ask for a deferred file (or take the eager URL) and fetch it.
        Returns (HTTP status, bytes); raises ProtocolError when the server refuses."""
        url = target if target.startswith("/") else await self.generate(target)
        status, body = await http_get(self.base, url, self.cookies)
        return status, len(body)

    async def generate(self, file_id: str) -> str:
        """The click's first half: the server runs a deferred download's callable; its file's URL."""
        msg = BackMsg()
        req = msg.backend_operation_request
        req.request_id, req.session_id = str(uuid.uuid4()), self.session_id
        req.deferred_file.file_id = file_id
        await self.ws.send(msg.SerializeToString())
        while True:
            reply, _ = await self._recv()
            if (
                reply.WhichOneof("type") == "backend_operation_response"
                and reply.backend_operation_response.request_id == req.request_id
            ):
                break
        answer = reply.backend_operation_response
        if answer.error_msg:
            raise ProtocolError(f"deferred file: {answer.error_msg} {answer.error_reason}")
        return answer.deferred_file.url


# ---------------------------------------------------------------- HTTP without threads


async def http_get(base: str, path: str, cookies: dict[str, str], timeout: float = 120.0) -> tuple[int, bytes]:
    """A plain HTTP/1.1 GET (Connection: close) on the event loop; Set-Cookie goes into `cookies`,
    as a browser keeps the XSRF cookie and a proxy's affinity cookie."""
    parts = urlsplit(base)
    host, port = parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
    if not path.startswith("/"):
        path = "/" + path
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port, ssl=parts.scheme == "https"), timeout)
    try:
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        head = f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nConnection: close\r\nAccept-Encoding: identity\r\n"
        writer.write((head + (f"Cookie: {cookie}\r\n" if cookie else "") + "\r\n").encode())
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    header, _, body = data.partition(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    chunked = False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "set-cookie":
            for key, morsel in SimpleCookie(value.strip()).items():
                cookies[key] = morsel.value
        elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    return status, _dechunk(body) if chunked else body


def _dechunk(body: bytes) -> bytes:
    out, rest = bytearray(), body
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += rest[:size]
        rest = rest[size + 2 :]
    return bytes(out)
