"""A token bucket per client that every worker process of one service shares.

gunicorn runs several worker processes; a limiter in each process's memory would allow N times the rate.
The buckets live in one SQLite file in the service's runtime folder, updated by one atomic statement per
request, so all workers (and threads) count against the same bucket. SQLite is in the standard library and
needs no server; behind nginx the proxy's ``limit_req`` is the limit across hosts (deploy/README.md).
"""
from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS buckets (
    client  TEXT PRIMARY KEY,
    tokens  REAL NOT NULL,
    seen    REAL NOT NULL,   -- time.time() of the last request
    allowed INTEGER NOT NULL
)"""

# One statement: refill by the time since the last request, then take a token if there is one.
TAKE = """
INSERT INTO buckets (client, tokens, seen, allowed) VALUES (:client, :burst - 1, :now, 1)
ON CONFLICT (client) DO UPDATE SET
    tokens = min(:burst, tokens + max(0, :now - seen) * :rate)
             - (min(:burst, tokens + max(0, :now - seen) * :rate) >= 1),
    allowed = min(:burst, tokens + max(0, :now - seen) * :rate) >= 1,
    seen = :now
RETURNING allowed"""

FORGET = "DELETE FROM buckets WHERE seen < ?"


class SharedTokenBucket:
    """``rate`` requests a second per client, in bursts of up to ``burst``, across processes."""

    def __init__(self, path: Path, rate: float, burst: int, clock=time.time):
        self.path, self.rate, self.burst, self.clock = Path(path), rate, burst, clock
        self._local = threading.local()
        self._count = 0

    def _connection(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None or getattr(self._local, "pid", None) != os.getpid():   # never share one across a fork
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            con = sqlite3.connect(self.path, timeout=5, isolation_level=None, check_same_thread=False)
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=OFF")      # counters, not records: losing them in a crash is fine
            con.execute(SCHEMA)
            self._local.con, self._local.pid = con, os.getpid()
        return con

    def allow(self, client: str) -> bool:
        now = self.clock()
        con = self._connection()
        (allowed,) = con.execute(TAKE, {"client": client, "burst": self.burst, "rate": self.rate,
                                        "now": now}).fetchone()
        self._count += 1
        if self._count % 1000 == 0:          # forget clients idle long enough to have a full bucket again
            con.execute(FORGET, [now - self.burst / self.rate - 60])
        return bool(allowed)
