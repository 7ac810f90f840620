"""``/beheer/rollen``: a beheerder gives and takes roles of the users in the users file, within the scopes they
are beheerder of. The file is rewritten under a lock (:func:`dashboard.accounts.changing_accounts`); every worker
reads it again at its next request; the change is recorded in the agenda store's history. With OpenID Connect the
roles come from the identity provider's claim and are managed there."""
from __future__ import annotations

from flask import abort, current_app, request

from dashboard import urls
from dashboard.accounts import Account, changing_accounts, read_accounts
from dashboard.editing import guard
from dashboard.editing.reference import page
from dashboard.roles import RoleError, may_grant, parse_roles
from etl.wijkagenda import store


def register(server) -> None:
    @server.route(urls.ROLES, methods=["GET", "POST"])
    def roles_page():
        identity = guard.current_identity()
        if not identity.roles.anywhere("beheerder"):
            abort(403)
        settings = current_app.config["WIJKBEELD_SETTINGS"]
        path = settings.users_file
        context = {"scopes": ", ".join(identity.roles.scopes("beheerder")), "oidc": settings.login == "oidc",
                   "claim": (settings.oidc or {}).get("roles_claim", ""), "editable": path is not None,
                   "problem": None, "saved": None}
        status = 200
        if request.method == "POST" and path is not None:
            guard.check_form()
            name, text = request.form.get("gebruiker", ""), request.form.get("rollen", "")
            try:
                status, context["problem"], context["saved"] = _change(path, identity, name, text)
            except RoleError as error:
                status, context["problem"] = 400, str(error)
            except OSError as error:        # a users file the service may only read (deploy/: /etc/wijkbeeld)
                status, context["problem"] = 503, f"{path}: {error.strerror}; wijkbeeld user rol {name} --file {path}"
        users = read_accounts(path) if path else {}
        return page("agenda_roles.html", status=status, users={n: a.roles.text() for n, a in sorted(users.items())},
                    **context)


def _change(path, identity, name: str, text: str) -> tuple[int, str | None, str | None]:
    after = parse_roles(text)
    with changing_accounts(path) as accounts:
        if name not in accounts:
            abort(404)
        before = accounts[name].roles
        refused = may_grant(identity.roles, before, after)
        if refused:
            return 403, f"{name}: {', '.join(refused)}", None
        accounts[name] = Account(accounts[name].hash, after)
    with guard.agenda_store() as con, store.transaction(con):
        store.record(con, identity.name, "beheer", "roles", None, None, {"user": name, "roles": before.text()},
                     {"user": name, "roles": after.text()})
    return 200, None, name
