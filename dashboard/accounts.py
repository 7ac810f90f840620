"""Staff logins and their roles in a users file: one ``name:hash`` or ``name:hash:roles`` per line.

``hash`` is a password hash made by ``wijkbeeld user add`` (never a password); ``roles`` as in
:mod:`dashboard.roles` (``editor=WK999901 viewer=*``). A line without roles, as every line was before roles
existed, is a viewer of everything. The file is rewritten whole (a new file renamed over the old one, under a lock),
so a reader sees the old file or the new one; the dashboard's workers read it again when it has changed, so roles
given on the dashboard's role page or with ``wijkbeeld user rol`` hold at the next request.
"""
from __future__ import annotations

import fcntl
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from dashboard.roles import DEFAULT, RoleError, Roles, parse_roles

HEADER = "# wijkbeeld staff users, name:hash:roles (made by: wijkbeeld user add NAME --file FILE --rol ROLE:SCOPE)\n"


class AuthConfigError(RuntimeError):
    """Credentials are missing or malformed."""


@dataclass(frozen=True)
class Account:
    hash: str
    roles: Roles = DEFAULT


def parse_accounts(text: str, source: str) -> dict[str, Account]:
    """``name:hash[:roles]`` entries (lines or ``;``-separated) → {name: Account}; comments (#) and blanks skipped.

    The hash has colons of its own (``scrypt:32768:8:1$salt$hash``); roles are what follows the last colon after
    the hash's ``$`` parts.
    """
    accounts = {}
    entries = [(number, entry.strip()) for number, line in enumerate(text.splitlines(), start=1)
               if not line.lstrip().startswith("#") for entry in line.split(";")]
    for number, entry in entries:
        if not entry:
            continue
        name, sep, rest = entry.partition(":")
        hashed, roles = rest, None
        head, colon, tail = rest.rpartition(":")
        if colon and "$" in head and "$" not in tail:
            hashed, roles = head, tail
        if not sep or not name or not hashed or "$" not in hashed:
            raise AuthConfigError(f"{source}, line {number}: expected name:hash or name:hash:roles "
                                  "(make one with: wijkbeeld user add NAME)")
        try:
            accounts[name] = Account(hashed, DEFAULT if roles is None else parse_roles(roles))
        except RoleError as error:
            raise AuthConfigError(f"{source}, line {number}: {error}") from None
    return accounts


def format_accounts(accounts: dict[str, Account]) -> str:
    return HEADER + "".join(f"{name}:{a.hash}:{a.roles.text()}\n" for name, a in sorted(accounts.items()))


def read_accounts(path: Path) -> dict[str, Account]:
    try:
        return parse_accounts(Path(path).read_text(encoding="utf-8"), str(path))
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise AuthConfigError(f"{path}: cannot read the users file ({error.strerror})") from None


@contextmanager
def changing_accounts(path: Path):
    """Read, change and write the users file as one step: other writers (the command line, another worker) wait.

    Yields the accounts dict; what it holds when the block ends is written (mode 0600) and renamed over the file.
    """
    path = Path(path)
    lock = os.open(path.with_name(f".{path.name}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        accounts = read_accounts(path)
        yield accounts
        temporary = path.with_name(f".{path.name}.{os.getpid()}.new")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(format_accounts(accounts))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        os.close(lock)


class AccountBook:
    """The accounts a running app checks logins against: those of the users file (read again when it changes)
    and those given in the environment (which win)."""

    def __init__(self, fixed: dict[str, Account], path: Path | None = None):
        self.fixed, self.path = dict(fixed), Path(path) if path else None
        self._lock = threading.Lock()
        self._seen, self._from_file = None, {}

    def get(self, name: str) -> Account | None:
        return self.fixed.get(name) or self._file().get(name)

    def names(self) -> list[str]:
        return sorted(set(self._file()) | set(self.fixed))

    def _file(self) -> dict[str, Account]:
        if self.path is None:
            return {}
        try:
            stat = self.path.stat()
            seen = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        except OSError:
            seen = None
        with self._lock:
            if seen != self._seen:
                try:
                    self._from_file = read_accounts(self.path) if seen else {}
                except AuthConfigError:
                    pass           # a file being edited by hand: keep the last good one
                self._seen = seen
            return self._from_file
