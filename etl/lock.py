"""One writer at a time per data directory.

An ``flock`` on a lock file: the kernel releases it when the process dies, so a killed
ETL never leaves a stale lock behind.
"""
from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE = ".wijkbeeld.lock"


class Busy(RuntimeError):
    """Another ETL or publish holds the data directory."""


@contextmanager
def data_dir_lock(data_dir: Path, wait: bool = True, name: str = LOCK_FILE, holder: str = "wijkbeeld job"):
    """Hold ``name`` in ``data_dir`` (the writers' lock unless named otherwise); ``wait=False``: :class:`Busy`
    at once when another process holds it, saying it is held by another ``holder``."""
    data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(data_dir / name, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise Busy(f"{data_dir} is in use by another {holder}") from None
        yield
    finally:
        os.close(fd)
