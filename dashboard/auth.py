"""Who may see the staff dashboard, and what each may do: HTTP basic auth with hashed passwords, or OpenID Connect;
then the user's roles per wijk (:mod:`dashboard.roles`).

Credentials come from a file (``WIJKBEELD_USERS_FILE``) or the environment (``WIJKBEELD_USERS``), one
``name:hash`` or ``name:hash:roles`` per line (or ``;``-separated), hashes made with ``wijkbeeld user add``
(:mod:`dashboard.accounts`). With OpenID Connect the roles come from a claim of the user's ID token
(``WIJKBEELD_OIDC_ROLES_CLAIM``, default ``wijkbeeld_rollen``). There is no default password. Every route is
protected — pages, callbacks, assets and data files alike — and each request knows who asks
(:func:`current_identity`).
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from flask import Response, g, has_app_context, request
from werkzeug.security import check_password_hash, generate_password_hash

from dashboard import urls
from dashboard.accounts import Account, AccountBook, AuthConfigError, parse_accounts, read_accounts
from dashboard.roles import DEFAULT, RoleError, Roles, parse_roles

REALM = "wijkbeeld"
ROLES_CLAIM = "wijkbeeld_rollen"
LOCAL = "lokaal"


@dataclass(frozen=True)
class Identity:
    """Who asks, and what they may do."""

    name: str
    roles: Roles
    login: str            # basic | oidc | local


def current_identity() -> Identity:
    """The identity of this request; without a login (local use) a viewer of everything who may change nothing."""
    found = g.get("wijkbeeld_identity") if has_app_context() else None     # outside a request: nobody logged in
    return found or Identity(LOCAL, DEFAULT, "local")


def parse_users(text: str, source: str) -> dict[str, str]:
    """``name:hash[:roles]`` entries → {name: hash} (see :func:`dashboard.accounts.parse_accounts`)."""
    return {name: account.hash for name, account in parse_accounts(text, source).items()}


def configured_accounts(environ=os.environ) -> dict[str, Account]:
    """Accounts from WIJKBEELD_USERS_FILE and WIJKBEELD_USERS; empty when neither is set."""
    accounts = {}
    if path := environ.get("WIJKBEELD_USERS_FILE"):
        if not Path(path).is_file():
            raise AuthConfigError(f"{path}: cannot read the users file (no such file)")
        accounts |= read_accounts(Path(path))
    if text := environ.get("WIJKBEELD_USERS"):
        accounts |= parse_accounts(text, "WIJKBEELD_USERS")
    return accounts


def configured_users(environ=os.environ) -> dict[str, str]:
    """{name: hash} of :func:`configured_accounts`."""
    return {name: account.hash for name, account in configured_accounts(environ).items()}


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


class RecentLogins:
    """Logins checked lately, so a page's thirty requests cost one scrypt check rather than thirty (each takes tens
    of milliseconds of CPU by design). Remembered per process: the name, the account's hash (a changed password or a
    removed account no longer matches) and a keyed digest of the password (never the password). A wrong password
    is never remembered and always takes the full check."""

    SIZE = 256

    def __init__(self):
        self._key = secrets.token_bytes(32)
        self._seen: OrderedDict[tuple[str, str, bytes], None] = OrderedDict()
        self._lock = threading.Lock()

    def _entry(self, name: str, hashed: str, password: str) -> tuple[str, str, bytes]:
        return name, hashed, hmac.new(self._key, password.encode("utf-8", "surrogatepass"), hashlib.sha256).digest()

    def check(self, name: str | None, hashed: str | None, password: str | None) -> bool:
        if not name or hashed is None or password is None:
            return check({}, name, password)            # the same time as a known name: no user enumeration
        entry = self._entry(name, hashed, password)
        with self._lock:
            if entry in self._seen:
                self._seen.move_to_end(entry)
                return True
        if not check({name: hashed}, name, password):
            return False
        with self._lock:
            self._seen[entry] = None
            while len(self._seen) > self.SIZE:
                self._seen.popitem(last=False)
        return True


def account_book(settings) -> AccountBook:
    """The accounts of ``settings``; those of its users file are read again whenever the file changes."""
    from_file = set(read_accounts(settings.users_file)) if settings.users_file else set()
    fixed = {name: Account(hashed, parse_roles(settings.roles[name]) if name in settings.roles else DEFAULT)
             for name, hashed in settings.users.items() if name not in from_file}
    return AccountBook(fixed, settings.users_file)


def require_basic_auth(server, book: AccountBook) -> None:
    """Ask every request for a valid user and password before anything else runs.

    Not dash-auth's BasicAuth (2.3.0): it answers a malformed ``Authorization`` header (``Bearer …``, bad
    base64, no colon) with a 500 instead of a 401, parses callback bodies before checking who asks, and takes
    plain passwords rather than hashes (tests/dashboard/test_auth.py sends exactly those headers)."""
    if not book.names():
        raise AuthConfigError("no users configured")
    recent = RecentLogins()

    @server.before_request
    def authenticate():
        if request.path in urls.HEALTH:
            return None
        credentials = request.authorization
        if credentials is not None and credentials.type == "basic":
            account = book.get(credentials.username or "")
            if recent.check(credentials.username, account.hash if account else None, credentials.password):
                return admit(Identity(credentials.username, account.roles, "basic"))
        return Response("Inloggen vereist / login required\n", status=401, mimetype="text/plain",
                        headers={"WWW-Authenticate": f'Basic realm="{REALM}", charset="UTF-8"'})


def admit(identity: Identity) -> Response | None:
    """Remember who asks for this request; a login without any role is refused."""
    if not identity.roles.anywhere("viewer"):
        return Response("Je hebt geen rol in wijkbeeld / you have no role in wijkbeeld\n", status=403,
                        mimetype="text/plain")
    g.wijkbeeld_identity = identity
    return None


def oidc_identity(user: dict, claim: str = ROLES_CLAIM) -> Identity:
    """The identity of an OpenID Connect user (the ID token's claims): its name, and its roles from ``claim``
    (a text or a list of texts, as :func:`dashboard.roles.parse_roles` reads); without that claim a viewer of
    everything, as a users file line without roles; a malformed claim gives no roles at all.

    >>> oidc_identity({"preferred_username": "anna", "wijkbeeld_rollen": ["editor=WK999901"]}).roles.text()
    'editor=WK999901'
    """
    name = str(user.get("preferred_username") or user.get("email") or user.get("sub") or "?")
    if claim not in user:
        return Identity(name, DEFAULT, "oidc")
    try:
        return Identity(name, parse_roles(user[claim]), "oidc")
    except RoleError:
        return Identity(name, Roles(), "oidc")


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
            "client_secret": environ["WIJKBEELD_OIDC_CLIENT_SECRET"], "secret_key": environ["WIJKBEELD_SECRET_KEY"],
            "roles_claim": environ.get("WIJKBEELD_OIDC_ROLES_CLAIM", ROLES_CLAIM).strip() or ROLES_CLAIM}


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

    @app.server.before_request
    def identify():
        from flask import session

        user = session.get("user")
        if request.path in urls.HEALTH or not isinstance(user, dict):
            return None          # dash-auth sends whoever is not logged in to the login first
        return admit(oidc_identity(user, settings.get("roles_claim", ROLES_CLAIM)))
