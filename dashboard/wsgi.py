"""The WSGI callable for gunicorn: ``gunicorn dashboard.wsgi:server`` with ``WIJKBEELD_DATA_DIR`` set.

``WIJKBEELD_AUDIENCE`` picks ``staff`` (default) or ``public``. Building the app opens no database:
PublishedData connects lazily, so each worker opens its own read-only connection after the fork.
"""
from __future__ import annotations

import os
from pathlib import Path

from dashboard.app import create_app

server = create_app(Path(os.environ["WIJKBEELD_DATA_DIR"]), os.environ.get("WIJKBEELD_AUDIENCE", "staff")).server
