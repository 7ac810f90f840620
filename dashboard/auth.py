"""Who may see the staff dashboard: HTTP basic auth with hashed passwords, or OpenID Connect.

Credentials come from a file (``WIJKBEELD_USERS_FILE``) or the environment (``WIJKBEELD_USERS``), one
``name:hash`` per line (or ``;``-separated), hashes made with ``wijkbeeld user add``. There is no
default password. Every route is protected — pages, callbacks, assets and data files alike.
"""
from __future__ import annotations

import os
from pathlib import Path

from flask import Response, request
from werkzeug.security import check_password_hash, generate_password_hash

from dashboard import urls

REALM = "wijkbeeld"


class AuthConfigError(RuntimeError):
    """Credentials are missing or malformed."""


def parse_users(text: str, source: str) -> dict[str, str]:
    """``name:hash`` entries (lines or ``;``-separated) → {name: hash}; comments (#) and blanks skipped."""
    users = {}
    for number, entry in enumerate(text.replace(";", "\n").splitlines(), start=1):
        entry = entry.strip()
        if not entry or entry.startswith("#"):
            continue
        name, sep, hashed = entry.partition(":")
        if not sep or not name or not hashed or "$" not in hashed:
            raise AuthConfigError(f"{source}, line {number}: expected name:hash (make one with: wijkbeeld user add NAME)")
        users[name] = hashed
    return users


def configured_users(environ=os.environ) -> dict[str, str]:
    """Users from WIJKBEELD_USERS_FILE and WIJKBEELD_USERS; empty when neither is set."""
    users = {}
    if path := environ.get("WIJKBEELD_USERS_FILE"):
        try:
            users |= parse_users(Path(path).read_text(encoding="utf-8"), path)
        except OSError as error:
            raise AuthConfigError(f"{path}: cannot read the users file ({error.strerror})") from None
    if text := environ.get("WIJKBEELD_USERS"):
        users |= parse_users(text, "WIJKBEELD_USERS")
    return users


def hash_password(password: str) -> str:
    return generate_password_hash(password)


_DUMMY_HASH = generate_password_hash("wijkbeeld: compare against something for unknown users")


def check(users: dict[str, str], name: str | None, password: str | None) -> bool:
    """True when the name is known and the password matches; takes the same time either way."""
    if not name or password is None:
        return False
    hashed = users.get(name)
    matches = check_password_hash(hashed or _DUMMY_HASH, password)
    return matches and hashed is not None


def require_basic_auth(server, users: dict[str, str]) -> None:
    """Ask every request for a valid user and password before anything else runs.

    Not dash-auth's BasicAuth (2.3.0): it answers a malformed ``Authorization`` header (``Bearer …``, bad
    base64, no colon) with a 500 instead of a 401, parses callback bodies before checking who asks, and takes
    plain passwords rather than hashes (tests/dashboard/test_auth.py sends exactly those headers)."""
    if not users:
        raise AuthConfigError("no users configured")

    @server.before_request
    def authenticate():
        if request.path in urls.HEALTH:
            return None
        credentials = request.authorization
        if credentials is not None and credentials.type == "basic" and \
                check(users, credentials.username, credentials.password):
            return None
        return Response("Inloggen vereist / login required\n", status=401, mimetype="text/plain",
                        headers={"WWW-Authenticate": f'Basic realm="{REALM}", charset="UTF-8"'})


def oidc_settings(environ=os.environ) -> dict | None:
    """OpenID Connect (a municipality's single sign-on) when WIJKBEELD_OIDC_ISSUER is set."""
    issuer = environ.get("WIJKBEELD_OIDC_ISSUER")
    if not issuer:
        return None
    missing = [k for k in ("WIJKBEELD_OIDC_CLIENT_ID", "WIJKBEELD_OIDC_CLIENT_SECRET", "WIJKBEELD_SECRET_KEY")
               if not environ.get(k)]
    if missing:
        raise AuthConfigError(f"OpenID Connect needs {', '.join(missing)} as well as WIJKBEELD_OIDC_ISSUER")
    return {"issuer": issuer.rstrip("/"), "client_id": environ["WIJKBEELD_OIDC_CLIENT_ID"],
            "client_secret": environ["WIJKBEELD_OIDC_CLIENT_SECRET"], "secret_key": environ["WIJKBEELD_SECRET_KEY"]}


def require_oidc(app, settings: dict) -> None:
    """Protect the app with dash-auth's OIDCAuth (pip install 'wijkbeeld[oidc]')."""
    try:
        from dash_auth import OIDCAuth
    except ImportError:
        raise AuthConfigError("OpenID Connect needs dash-auth and authlib: pip install 'wijkbeeld[oidc]'") from None
    auth = OIDCAuth(app, secret_key=settings["secret_key"], secure_session=True, public_routes=list(urls.HEALTH))
    auth.register_provider(
        "gemeente", token_endpoint_auth_method="client_secret_post",
        client_id=settings["client_id"], client_secret=settings["client_secret"],
        server_metadata_url=f"{settings['issuer']}/.well-known/openid-configuration")
