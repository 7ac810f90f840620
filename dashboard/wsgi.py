"""The WSGI callable for gunicorn or any WSGI server: ``gunicorn dashboard.wsgi:server``.

Settings come from the environment (``WIJKBEELD_DATA_DIR``, ``WIJKBEELD_AUDIENCE``, the login variables, …;
see dashboard/settings.py), read and checked once, exactly as ``wijkbeeld serve`` does. A staff app without a
login does not start when ``WIJKBEELD_HOST`` or an address this process listens on is not loopback, and
answers 403 to anything that does not come straight from this machine. gunicorn imports this module in each
worker, after the fork: each opens its own read-only connection and computes the default view before its first
request (dashboard/warm.py).
"""
from __future__ import annotations

from dashboard.listening import refuse_unsafe_listeners
from dashboard.settings import Settings
from dashboard.warm import worker_app

settings = Settings.from_env()
refuse_unsafe_listeners(settings)
server = worker_app(settings).server
