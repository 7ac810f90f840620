"""What every agenda page checks before it does anything: who asks and whether their role covers the wijk, and
for a form that changes something, that it was sent from one of our own pages (a token tied to the user, and the
browser's ``Origin``), so another site cannot make a logged-in editor's browser post it."""
from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from flask import abort, current_app, request

from dashboard.auth import Identity, current_identity
from etl.wijkagenda import store

WIJK = re.compile(r"^WK\d{6}$")
TOKEN_MAX_AGE_S = 12 * 3600
KEY_FILE = ".formsleutel"


def require(role: str, code: str = "*") -> Identity:
    """The identity of this request, or a 403 when it is not ``role`` for ``code`` (a wijk, or * for all)."""
    identity = current_identity()
    if not identity.roles.allows(role, code):
        abort(403)
    return identity


def wijk_or_404(code: str) -> str:
    if not WIJK.match(code or ""):
        abort(404)
    return code


def data_dir() -> Path:
    return current_app.config["WIJKBEELD_SETTINGS"].data_dir


@contextmanager
def agenda_store():
    """A connection to the agenda store for this request."""
    con = store.connect(data_dir())
    try:
        yield con
    finally:
        con.close()


def form_key() -> bytes:
    """The key form tokens are signed with: WIJKBEELD_SECRET_KEY when set, else a random key kept beside the
    store (made once, readable by the service only), shared by every worker of the service."""
    settings = current_app.config["WIJKBEELD_SETTINGS"]
    if settings.oidc and settings.oidc.get("secret_key"):
        return settings.oidc["secret_key"].encode()
    path = store.store_path(settings.data_dir).parent / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass                                  # another worker made it just now
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
                handle.flush()
                os.fsync(handle.fileno())
    for _ in range(50):                           # until the worker that made it has written it
        key = path.read_text().strip()
        if key:
            return key.encode()
        time.sleep(0.01)
    raise RuntimeError(f"{path} is empty")


def _sign(name: str, issued: int) -> str:
    return hmac.new(form_key(), f"{name}|{issued}".encode(), hashlib.sha256).hexdigest()


def form_token() -> str:
    """A token for the forms of this page: valid for this user for 12 hours."""
    issued = int(time.time())
    return f"{issued}.{_sign(current_identity().name, issued)}"


def check_form() -> None:
    """A 403 unless this POST carries a valid token of this user and, when the browser says where it comes from,
    comes from this site."""
    origin = request.headers.get("Origin")
    if origin is not None and urlsplit(origin).netloc != request.host:    # the scheme may differ behind a proxy
        abort(403)
    issued, _, signature = (request.form.get("csrf") or "").partition(".")
    if not issued.isdigit() or not 0 <= time.time() - int(issued) <= TOKEN_MAX_AGE_S:
        abort(403)
    if not hmac.compare_digest(signature, _sign(current_identity().name, int(issued))):
        abort(403)
