"""Where a data directory's ``published`` link points, without DuckDB: the gunicorn master of ``wijkbeeld serve``
checks it before it forks its workers, and a master that had loaded DuckDB left every worker hanging at exit until
gunicorn's graceful timeout ran out (each stop and reload took 10 s)."""
from __future__ import annotations

import os
from pathlib import Path


class NotPublished(RuntimeError):
    """There is no published version yet."""


def published_version(link: Path) -> str:
    """``versions/<id>``, where the ``published`` link points."""
    try:
        return os.readlink(link)
    except OSError:
        raise NotPublished(f"nothing published in {Path(link).parent} (run: wijkbeeld demo)") from None
