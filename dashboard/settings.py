"""One settings object for every way of running the dashboard.

``Settings.from_env()`` reads the environment once and validates it; ``wijkbeeld serve``, the WSGI callable
(``dashboard.wsgi:server``), the static export and the tests all build the app from a ``Settings``, so they
apply the same login, limits and privacy rules.
"""
from __future__ import annotations

import hashlib
import ipaddress
import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

from dashboard.auth import AuthConfigError, configured_accounts, oidc_settings

AUDIENCES = ("staff", "public")
DEFAULT_DATA_DIR = Path("data/build")
BASEMAPS = {
    name: f"https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/{name}/EPSG:3857/{{z}}/{{x}}/{{y}}.png"
    for name in ("grijs", "pastel", "standaard")
}
BASEMAP_ATTRIBUTION = "Kaartgegevens © Kadaster"
LOCATIESERVER = "https://api.pdok.nl/bzk/locatieserver/search/v3_1"
LOCAL_ONLY = ("the staff dashboard needs a login on any address but 127.0.0.1. Set WIJKBEELD_USERS_FILE "
              "(make one with: wijkbeeld user add NAME --file users.txt) or WIJKBEELD_OIDC_ISSUER; "
              "or use --public for the public map")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class SettingsError(ValueError):
    """A setting is missing or wrong; the message names the variable."""


def basemap_url(choice: str | None = "grijs") -> str | None:
    """``WIJKBEELD_BASEMAP``: grijs (default), pastel, standaard, none, or a tile URL template."""
    choice = (choice or "").strip()
    if choice.lower() in ("none", "off", ""):
        return None
    if choice in BASEMAPS:
        return BASEMAPS[choice]
    if choice.startswith("https://") and "{z}" in choice:
        return choice
    raise SettingsError(f"WIJKBEELD_BASEMAP={choice!r}: use grijs, pastel, standaard, none or an https tile URL "
                        "with {z}/{x}/{y}")


def contact_address(text: str | None) -> str | None:
    """``WIJKBEELD_CONTACT``: where residents report an accessibility problem, an e-mail address or an
    https:// page; empty for none (the page then says to contact the gemeente)."""
    text = (text or "").strip()
    if not text:
        return None
    if text.startswith("https://") or ("@" in text and " " not in text and not text.startswith("@")):
        return text
    raise SettingsError(f"WIJKBEELD_CONTACT={text!r}: use an e-mail address or an https:// address")


def locatieserver_url(text: str | None = LOCATIESERVER) -> str | None:
    """``WIJKBEELD_LOCATIESERVER``: the PDOK Locatieserver v3.1 base URL (address search), ``none`` to switch
    address search off; http:// only for a server on this machine (tests)."""
    text = (text or "").strip().rstrip("/")
    if text.lower() in ("none", "off", ""):
        return None
    if text.startswith("https://") or text.startswith(("http://127.0.0.1", "http://localhost")):
        return text
    raise SettingsError(f"WIJKBEELD_LOCATIESERVER={text!r}: use an https:// address or none")


def default_workers() -> int:
    """Two worker processes a core, at most eight: each holds its own read-only DuckDB connection."""
    return max(2, min(8, 2 * (os.cpu_count() or 1)))


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def parse_networks(text: str, name: str = "WIJKBEELD_TRUSTED_PROXIES") -> tuple[Network, ...]:
    """``10.0.0.5, 192.168.1.0/24`` → networks; an empty text trusts nobody."""
    networks = []
    for part in text.replace(";", ",").split(","):
        if part := part.strip():
            try:
                networks.append(ipaddress.ip_network(part, strict=False))
            except ValueError:
                raise SettingsError(f"{name}: {part!r} is not an IP address or network") from None
    return tuple(networks)


def default_runtime_dir(data_dir: Path, audience: str, environ: Mapping[str, str] = os.environ) -> Path:
    """Where one service keeps state its workers share (the rate limiter): one folder per data dir and
    audience, so the staff and public services of one data dir do not share it."""
    if explicit := environ.get("WIJKBEELD_RUNTIME_DIR"):
        return Path(explicit)
    base = Path(environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir())
    digest = hashlib.sha256(str(Path(data_dir).resolve()).encode()).hexdigest()[:12]
    return base / f"wijkbeeld-{audience}-{digest}"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    audience: str = "staff"
    host: str = "127.0.0.1"
    port: int = 8050
    workers: int = field(default_factory=default_workers)
    threads: int = 4
    users: Mapping[str, str] = field(default_factory=dict)     # name → password hash
    roles: Mapping[str, str] = field(default_factory=dict)     # name → roles (dashboard/roles.py); absent: viewer=*
    users_file: Path | None = None                             # read again by the app when it changes
    oidc: Mapping[str, str] | None = None
    trusted_proxies: tuple[Network, ...] = ()
    rate_limit: float = 20.0      # expensive requests a second per client
    rate_burst: int = 60
    runtime_dir: Path | None = None
    basemap: str | None = BASEMAPS["grijs"]
    contact: str | None = None                    # WIJKBEELD_CONTACT: e-mail or https:// page
    # WIJKBEELD_LOCATIESERVER: address search (from_env defaults to PDOK's; built directly, as in tests, it is off)
    locatieserver: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "data_dir", Path(self.data_dir))
        if self.audience not in AUDIENCES:
            raise SettingsError(f"WIJKBEELD_AUDIENCE={self.audience!r}: use one of {', '.join(AUDIENCES)}")
        if not 0 < self.port < 65536:
            raise SettingsError(f"WIJKBEELD_PORT={self.port}: use a port from 1 to 65535")
        if self.workers < 1 or self.threads < 1:
            raise SettingsError("WIJKBEELD_WORKERS and WIJKBEELD_THREADS must be at least 1")
        if self.rate_limit <= 0 or self.rate_burst < 1:
            raise SettingsError("WIJKBEELD_RATE_LIMIT must be above 0 and WIJKBEELD_RATE_BURST at least 1")
        if self.audience == "staff" and not self.login:
            if not is_loopback(self.host):
                raise SettingsError(LOCAL_ONLY)
            if self.trusted_proxies:
                raise SettingsError("a staff dashboard behind a proxy (WIJKBEELD_TRUSTED_PROXIES) needs a login: "
                                    + LOCAL_ONLY.split(". ", 1)[1])
        if self.runtime_dir is None:
            object.__setattr__(self, "runtime_dir", default_runtime_dir(self.data_dir, self.audience))

    @property
    def login(self) -> str | None:
        """How staff log in: ``basic``, ``oidc``, or None (local use only). The public map has no login."""
        if self.audience != "staff":
            return None
        return "basic" if self.users else "oidc" if self.oidc else None

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ, **overrides) -> Settings:
        """Every ``WIJKBEELD_*`` variable, read and checked once; ``overrides`` (command-line flags) win."""
        values: dict = {
            "data_dir": Path(environ.get("WIJKBEELD_DATA_DIR") or DEFAULT_DATA_DIR),
            "audience": environ.get("WIJKBEELD_AUDIENCE", "staff").strip().lower(),
            "host": environ.get("WIJKBEELD_HOST", "127.0.0.1").strip(),
            "port": _number(environ, "WIJKBEELD_PORT", int, 8050),
            "workers": _number(environ, "WIJKBEELD_WORKERS", int, default_workers()),
            "threads": _number(environ, "WIJKBEELD_THREADS", int, 4),
            "trusted_proxies": parse_networks(environ.get("WIJKBEELD_TRUSTED_PROXIES", "")),
            "rate_limit": _number(environ, "WIJKBEELD_RATE_LIMIT", float, 20.0),
            "rate_burst": _number(environ, "WIJKBEELD_RATE_BURST", int, 60),
            "basemap": basemap_url(environ.get("WIJKBEELD_BASEMAP", "grijs")),
            "contact": contact_address(environ.get("WIJKBEELD_CONTACT")),
            "locatieserver": locatieserver_url(environ.get("WIJKBEELD_LOCATIESERVER", LOCATIESERVER)),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        if values["audience"] == "staff":
            try:
                accounts, values["oidc"] = configured_accounts(environ), oidc_settings(environ)
            except AuthConfigError as error:
                raise SettingsError(str(error)) from None
            values["users"] = {name: account.hash for name, account in accounts.items()}
            values["roles"] = {name: account.roles.text() for name, account in accounts.items()}
            if environ.get("WIJKBEELD_USERS_FILE"):
                values["users_file"] = Path(environ["WIJKBEELD_USERS_FILE"])
        if "WIJKBEELD_RUNTIME_DIR" in environ:
            values["runtime_dir"] = Path(environ["WIJKBEELD_RUNTIME_DIR"])
        return cls(**values)


def _number(environ: Mapping[str, str], name: str, kind: type, default):
    text = environ.get(name, "").strip()
    if not text:
        return default
    try:
        return kind(text)
    except ValueError:
        raise SettingsError(f"{name}={text!r} is not a {'whole ' if kind is int else ''}number") from None
