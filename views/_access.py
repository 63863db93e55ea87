"""Who may use Kelola Data: a steward password (hash from secrets or the environment) and, when
Streamlit's OIDC login is configured in secrets ([auth]), an organisation account on an allow-list.

Every other page stays read-only and needs no login. The signed-in state lives in the session
only: closing the tab signs the steward out.

A read-only replica (JAMSOS_READ_ONLY=1, one of several behind a proxy: deploy/replicas.py) signs
nobody in: imports and roll-backs belong to the one writer, whose address (JAMSOS_WRITER_URL) the
page names instead.
"""

from __future__ import annotations

import os

import streamlit as st

from analytics import fmt, passwords

HASH_ENV = "JAMSOS_KELOLA_PASSWORD_HASH"
READ_ONLY_ENV = "JAMSOS_READ_ONLY"
WRITER_URL_ENV = "JAMSOS_WRITER_URL"
_USER = "_kelola_user"


def _secret(section: str, key: str | None = None):
    try:
        value = st.secrets.get(section)
        return value.get(key) if key and value is not None else value
    except Exception:  # noqa: BLE001 — no secrets.toml at all is a normal set-up
        return None


def password_hash() -> str | None:
    return _secret("kelola", "password_hash") or os.environ.get(HASH_ENV) or None


def oidc_configured() -> bool:
    return _secret("auth") is not None


def signed_in_user() -> str | None:
    """The steward's name for the batch record, or None when not signed in."""
    if st.session_state.get(_USER):
        return st.session_state[_USER]
    if oidc_configured() and getattr(st.user, "is_logged_in", False):
        allowed = [e.casefold() for e in (_secret("kelola", "allowed_emails") or [])]
        email = str(st.user.get("email") or "")
        if email.casefold() in allowed:
            return email
    return None


def read_only() -> bool:
    """This process is a read-only replica: it never imports or rolls back."""
    return os.environ.get(READ_ONLY_ENV, "").strip().lower() in {"1", "true", "yes", "ya"}


def require_steward(lang: str) -> str:
    """The signed-in steward, or render the sign-in and stop the page."""
    if read_only():
        _read_only_notice(lang)
        st.stop()
    user = signed_in_user()
    if user:
        _sign_out_button(user, lang)
        return user
    st.subheader(fmt.t("kelola_login", lang))
    st.caption(fmt.t("kelola_login_help", lang))
    stored = password_hash()
    if oidc_configured():
        _oidc_login(lang)
    if stored:
        _password_form(stored, lang)
    elif not oidc_configured():
        st.info(fmt.t("kelola_disabled", lang))
    st.stop()


def _read_only_notice(lang: str) -> None:
    url = os.environ.get(WRITER_URL_ENV, "").strip()
    if url.startswith(("http://", "https://")) and not any(c in url for c in " <>()[]"):
        st.warning(fmt.t("kelola_read_only", lang, url=f"[{url}]({url})"))
    else:
        st.warning(fmt.t("kelola_read_only_elsewhere", lang))


def _password_form(stored: str, lang: str) -> None:
    with st.form("kelola_login_form"):
        password = st.text_input(fmt.t("kelola_password", lang), type="password")
        submitted = st.form_submit_button(fmt.t("kelola_sign_in", lang))
    if not submitted:
        return
    throttle = _throttle()
    with st.spinner(fmt.t("kelola_checking", lang, seconds=passwords.MAX_DELAY)):
        ok, _ = throttle.attempt(lambda: passwords.verify(password, stored))  # waits ≤ 30 s, see LoginThrottle
    if ok:
        st.session_state[_USER] = "petugas (kata sandi)"
        st.rerun()
    st.error(fmt.t("kelola_wrong", lang, seconds=throttle.remaining()))


@st.cache_resource
def _throttle() -> passwords.LoginThrottle:
    return passwords.LoginThrottle()  # one per server process: shared by every session


def _oidc_login(lang: str) -> None:
    if getattr(st.user, "is_logged_in", False):
        st.warning(fmt.t("kelola_not_allowed", lang, email=str(st.user.get("email") or "?")))
        return
    provider = _secret("kelola", "oidc_provider")
    if st.button(fmt.t("kelola_oidc", lang)):
        st.login(provider) if provider else st.login()


def _sign_out_button(user: str, lang: str) -> None:
    left, right = st.columns([4, 1])
    left.text(fmt.t("kelola_signed_in", lang, user=user))  # plain text: an e-mail is not Markdown
    if right.button(fmt.t("kelola_sign_out", lang)):
        st.session_state.pop(_USER, None)
        if getattr(st.user, "is_logged_in", False):
            st.logout()
        st.rerun()
