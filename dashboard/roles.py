"""What a staff user may do, per wijk: *viewer* (see the staff dashboard and a wijk's agenda history), *editor*
(change that wijk's agenda), *beheerder* (also give and take roles within that scope).

A role holds for a scope: one wijk (``WK999901``), every wijk of a gemeente (``GM9999``), or everything (``*``).
Written as ``editor=WK999901,WK999902 viewer=*`` (the third field of a users file line, or an OpenID Connect
claim); on the command line also as ``editor:WK999901``. A higher role includes the lower ones.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

ROLES = ("viewer", "editor", "beheerder")
RANK = {role: rank for rank, role in enumerate(ROLES, start=1)}
EVERYTHING = "*"
SCOPE = re.compile(r"^(\*|GM\d{4}|WK\d{6})$")
NONE = "geen"          # a users file line with this as its roles: a login that may see nothing


class RoleError(ValueError):
    """A role or scope that does not exist."""


def covers(scope: str, code: str) -> bool:
    """Whether ``scope`` includes the wijk, gemeente or scope ``code``.

    >>> covers("*", "WK999901"), covers("GM9999", "WK999901"), covers("WK999901", "WK999902"), covers("GM9999", "*")
    (True, True, False, False)
    """
    if scope == EVERYTHING or scope == code:
        return True
    return scope.startswith("GM") and code[:2] in ("WK", "BU") and code[2:6] == scope[2:6]


@dataclass(frozen=True)
class Roles:
    grants: frozenset = frozenset()          # (role, scope) pairs

    def allows(self, role: str, code: str) -> bool:
        """May this user act as ``role`` (or higher) for the wijk (or scope) ``code``?"""
        return any(RANK[r] >= RANK[role] and covers(scope, code) for r, scope in self.grants)

    def anywhere(self, role: str) -> bool:
        return any(RANK[r] >= RANK[role] for r, _ in self.grants)

    def scopes(self, role: str) -> list[str]:
        """The scopes in which this user is ``role`` or higher."""
        return sorted({scope for r, scope in self.grants if RANK[r] >= RANK[role]})

    def text(self) -> str:
        """As written in a users file: ``editor=WK999901,WK999902 viewer=*`` (``geen`` for none).

        >>> parse_roles("viewer=* editor:WK999902 editor=WK999901").text()
        'viewer=* editor=WK999901,WK999902'
        """
        parts = [f"{role}={','.join(sorted(s for r, s in self.grants if r == role))}"
                 for role in ROLES if any(r == role for r, _ in self.grants)]
        return " ".join(parts) or NONE

    def with_(self, *specs: str) -> Roles:
        return Roles(self.grants | parse_roles(" ".join(specs)).grants)

    def without(self, *specs: str) -> Roles:
        return Roles(self.grants - parse_roles(" ".join(specs)).grants)


DEFAULT = Roles(frozenset({("viewer", EVERYTHING)}))     # a login without roles: what staff could do before roles


def parse_roles(text) -> Roles:
    """Roles from text (``editor=WK999901,WK999902 viewer=*``, ``editor:WK999901``) or a list of such texts, as an
    OpenID Connect claim may hold; ``geen`` or nothing is no role at all.

    >>> sorted(parse_roles(["editor:WK999901", "viewer=GM9999"]).grants)
    [('editor', 'WK999901'), ('viewer', 'GM9999')]
    """
    tokens = text if isinstance(text, (list, tuple)) else [text]
    grants = set()
    for token in " ".join(str(t) for t in tokens if t is not None).replace("|", " ").split():
        if token.casefold() == NONE:
            continue
        role, sep, scopes = token.replace(":", "=", 1).partition("=")
        role = role.strip().casefold()
        if role not in RANK or not sep:
            raise RoleError(f"{token!r}: write a role as role=scope, role one of {', '.join(ROLES)} "
                            "(e.g. editor=WK999901 or viewer=*)")
        for scope in scopes.split(","):
            scope = scope.strip().upper()
            if not SCOPE.match(scope):
                raise RoleError(f"{token!r}: {scope!r} is not a scope: use a wijk code (WK999901), a gemeente "
                                "code (GM9999) or * for everything")
            grants.add((role, scope))
    return Roles(frozenset(grants))


def may_grant(manager: Roles, before: Roles, after: Roles) -> list[str]:
    """The role changes a beheerder may not make: each added or removed (role, scope) must lie within a scope
    where the manager is beheerder. Empty when every change is allowed.

    >>> boss = parse_roles("beheerder=GM9999")
    >>> may_grant(boss, parse_roles("viewer=*"), parse_roles("viewer=* editor=WK999901 editor=*"))
    ['editor=*']
    """
    managed = manager.scopes("beheerder")
    changed = (after.grants - before.grants) | (before.grants - after.grants)
    return sorted(f"{role}={scope}" for role, scope in changed
                  if not any(covers(m, scope) for m in managed))
