"""``wijkbeeld user``: staff logins and their roles in a users file (a hashed password, never the password itself).

    wijkbeeld user add anna --file users.txt --rol editor:WK999901      # a new login (asks the password twice)
    wijkbeeld user rol anna --file users.txt --rol viewer:* --weg editor:WK999901
    wijkbeeld user lijst --file users.txt
"""
from __future__ import annotations

import getpass
import re
import sys
from pathlib import Path

from dashboard.accounts import Account, AuthConfigError, changing_accounts, read_accounts
from dashboard.roles import DEFAULT, RoleError, parse_roles

NAME = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")
MIN_LENGTH = 12


def add_arguments(commands) -> None:
    """``user add``, ``user rol`` and ``user lijst`` under ``commands`` (the ``user`` command's subparsers)."""
    add = commands.add_parser("add", help="add or replace a user in a users file (password hashed)")
    add.add_argument("name")
    add.add_argument("--file", type=Path, required=True, help="the users file (WIJKBEELD_USERS_FILE)")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.add_argument("--rol", action="append", default=[], metavar="ROLE:SCOPE",
                     help="a role: viewer, editor or beheerder, for a wijk (WK999901), a gemeente (GM9999) or * "
                          "(repeat for more; default viewer:*)")
    roles = commands.add_parser("rol", help="give (--rol) or take away (--weg) roles of a user in a users file")
    roles.add_argument("name")
    roles.add_argument("--file", type=Path, required=True)
    roles.add_argument("--rol", action="append", default=[], metavar="ROLE:SCOPE", help="a role to give")
    roles.add_argument("--weg", action="append", default=[], metavar="ROLE:SCOPE", help="a role to take away")
    listing = commands.add_parser("lijst", help="the users of a users file and their roles")
    listing.add_argument("--file", type=Path, required=True)


def run(args, progress=print) -> int:
    try:
        if args.user_command == "add":
            return add_user(args.file, args.name, args.password_stdin, progress, args.rol)
        if args.user_command == "rol":
            return set_roles(args.file, args.name, args.rol, args.weg, progress)
        for name, account in sorted(read_accounts(args.file).items()):
            print(f"{name}\t{account.roles.text()}")
        return 0
    except (RoleError, AuthConfigError) as error:
        progress(f"wijkbeeld: error: {error}")
        return 2


def add_user(path: Path, name: str, from_stdin: bool, progress=print, roles: list[str] = ()) -> int:
    if not NAME.match(name):
        progress("wijkbeeld: error: a user name has 1–64 letters, digits or . _ @ -")
        return 2
    granted = parse_roles(" ".join(roles)) if roles else DEFAULT
    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"password for {name}: ")
        if getpass.getpass("again: ") != password:
            progress("wijkbeeld: error: the passwords differ")
            return 2
    if len(password) < MIN_LENGTH:
        progress(f"wijkbeeld: error: a password has at least {MIN_LENGTH} characters")
        return 2
    from dashboard.auth import hash_password

    with changing_accounts(path) as accounts:
        replaced = name in accounts
        accounts[name] = Account(hash_password(password), granted)
    progress(f"{'replaced' if replaced else 'added'} {name} in {path}: {granted.text()}")
    return 0


def set_roles(path: Path, name: str, give: list[str], take: list[str], progress=print) -> int:
    with changing_accounts(path) as accounts:
        if name not in accounts:
            progress(f"wijkbeeld: error: {path} has no user {name} (add one with: wijkbeeld user add {name})")
            return 2
        before = accounts[name].roles
        after = before.without(*take).with_(*give)
        accounts[name] = Account(accounts[name].hash, after)
    progress(f"{name}: {before.text()} → {after.text()}")
    return 0
