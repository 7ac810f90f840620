"""``wijkbeeld user add``: write a hashed password into a users file (never the password itself)."""
from __future__ import annotations

import getpass
import os
import re
import sys
from pathlib import Path

from dashboard.auth import hash_password, parse_users

NAME = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")
MIN_LENGTH = 12


def add_user(path: Path, name: str, from_stdin: bool, progress=print) -> int:
    if not NAME.match(name):
        progress("wijkbeeld: error: a user name has 1–64 letters, digits or . _ @ -")
        return 2
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
    users = parse_users(path.read_text(encoding="utf-8"), str(path)) if path.exists() else {}
    replaced = name in users
    users[name] = hash_password(password)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("# wijkbeeld staff users: name:hash (wijkbeeld user add NAME --file FILE)\n")
        handle.writelines(f"{n}:{h}\n" for n, h in sorted(users.items()))
    progress(f"{'replaced' if replaced else 'added'} {name} in {path}")
    return 0
