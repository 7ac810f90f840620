"""``wijkbeeld serve``: the dashboard for one audience under gunicorn, as it runs in production.

Never Flask's development server. Each worker process builds the app after the fork, so each opens its own
read-only DuckDB connection (STACK.md: never fork with an open connection), and computes the default view before
its first request (dashboard/warm.py). This process, which forks them, never loads DuckDB (dashboard/published.py).
"""
from __future__ import annotations

from gunicorn.app.base import BaseApplication

from dashboard.published import NotPublished, published_version
from dashboard.settings import Settings, SettingsError


class DashboardServer(BaseApplication):
    """gunicorn, configured from ``Settings`` instead of its own command line."""

    def __init__(self, settings: Settings):
        self.settings = settings
        super().__init__()

    def load_config(self):
        s = self.settings
        # keepalive stays well above nginx's upstream keepalive_timeout (4 s, deploy/nginx/wijkbeeld.conf): nginx drops
        # an idle connection first, so no request is sent on a connection gunicorn is closing; with 5 s a loaded
        # machine still reset a few POSTs (502)
        for key, value in {"bind": [f"[{s.host}]:{s.port}" if ":" in s.host else f"{s.host}:{s.port}"],
                           "workers": s.workers, "threads": s.threads, "worker_class": "gthread",
                           "preload_app": False, "timeout": 60, "graceful_timeout": 10, "keepalive": 15,
                           "accesslog": None, "errorlog": "-", "loglevel": "info",
                           "proc_name": f"wijkbeeld-{s.audience}",
                           # the app reads X-Forwarded-For itself, only from WIJKBEELD_TRUSTED_PROXIES
                           "forwarded_allow_ips": ",".join(str(n) for n in s.trusted_proxies) or "127.0.0.1",
                           "limit_request_line": 8190, "limit_request_fields": 100,
                           # one control socket per service, not gunicorn's one per user
                           "control_socket": str(s.runtime_dir / "gunicorn.ctl")}.items():
            self.cfg.set(key, value)

    def load(self):
        from dashboard.warm import worker_app

        return worker_app(self.settings).server


def serve(settings: Settings, progress=print) -> int:
    """Check that there is something to serve, say how it is served, and run until stopped."""
    try:
        published_version(settings.data_dir / "published")    # without DuckDB: this process forks the workers
    except NotPublished as error:
        progress(f"wijkbeeld: error: {error}")
        return 1
    login = {"basic": f"login for {len(settings.users)} users", "oidc": "OpenID Connect login",
             None: "no login, local use only"}[settings.login]
    progress(f"wijkbeeld {settings.audience} dashboard ({login if settings.audience == 'staff' else 'public, read-only'})"
             f" on http://{settings.host}:{settings.port}/ with {settings.workers} workers")
    settings.runtime_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    DashboardServer(settings).run()
    return 0


def settings_from_command_line(args, environ) -> Settings:
    """The environment's settings with the command's flags on top."""
    return Settings.from_env(environ, data_dir=args.data_dir, audience="public" if args.public else None,
                             host=args.host, port=args.port, workers=getattr(args, "workers", None))


__all__ = ["DashboardServer", "SettingsError", "serve", "settings_from_command_line"]
