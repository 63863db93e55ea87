"""Opening the dashboard in AppTest as a shared link would: the page and its query string at once."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def open_page(page: str | None = None, timeout: float = 90, **query) -> AppTest:
    """The app opened on `page` (None: the default page) with `query` as its URL parameters."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for name, value in query.items():
        at.query_params[name] = value
    if page:
        at.switch_page(page)
    return at.run()


SIDEBAR = ("dataset", "tahun", "per")  # drawn on every page: their keys carry no page


def key(at: AppTest, name: str) -> str:
    """A bound widget's key as views/_state.py builds it: choice name, language, page."""
    lang = at.session_state["_lang"] if "_lang" in at.session_state else "id"
    if name in SIDEBAR:
        return f"{name}__{lang}"
    page = at.session_state["_page"] if "_page" in at.session_state else ""
    return f"{name}__{lang}__{page or 'ringkasan'}"
