"""The shipped nginx file itself: what the renderer may change in it (and nothing else), that it is valid for
Debian's nginx with TLS, and that the TLS sites and the port-80 redirects work."""
from __future__ import annotations

import difflib
import http.client
import re
import ssl

import pytest

from tools.stress.serving import free_port
from tests.deploy.conftest import running_nginx
from tests.deploy.helpers import HOST, fetch, read
from dashboard.urls import EXPENSIVE_PREFIXES
from tools.nginx import SITE, Nginx, Rendering, render_site, self_signed, server_blocks, site_of

pytestmark = pytest.mark.deploy

SHIPPED = SITE.read_text(encoding="utf-8")
# every path the app counts as expensive (dashboard/urls.py), as the location the shipped site limits it in
EXPENSIVE = tuple(("= " if prefix == "/_dash-update-component" else "^~ ") + prefix for prefix in EXPENSIVE_PREFIXES)
STAFF_ONLY = ("/export/", "/kwaliteit", "/briefing/", "/vergelijk")
# the only kinds of line the renderer may change
ALLOWED = re.compile(r"^\s*(listen |server 127\.0\.0\.1:|ssl_|limit_req_zone |limit_req zone=|proxy_cache_path |"
                     r"access_log |error_log )")


def blocks() -> dict[str, str]:
    """The staff and the public TLS server blocks."""
    out: dict[str, str] = {}
    for start, end in server_blocks(SHIPPED):
        block = SHIPPED[start:end]
        if (site := site_of(block)) != "redirect":
            out[site] = block
    return out


def locations(block: str) -> dict[str, str]:
    """``location`` prefix → its body."""
    return {m.group(1).strip(): m.group(2) for m in re.finditer(r"location ([^{]+)\{([^}]*)\}", block)}


def test_the_renderer_changes_only_addresses_certificates_paths_and_rates(tmp_path):
    rendered = render_site(Rendering(tmp_path, staff_port=1, public_port=2, redirect_port=3,
                                     staff_upstream=["127.0.0.1:4"], public_upstream=["127.0.0.1:5", "127.0.0.1:6"],
                                     rate="6r/m", burst=10))
    changed = [line[1:] for line in difflib.unified_diff(SHIPPED.splitlines(), rendered.splitlines(), lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed and all(ALLOWED.match(line) for line in changed), [c for c in changed if not ALLOWED.match(c)]


def test_every_expensive_path_is_limited_per_client_on_both_sites():
    assert re.search(r"^limit_req_zone \$binary_remote_addr zone=wijkbeeld_public:", SHIPPED, re.M)
    assert re.search(r"^limit_req_zone \$binary_remote_addr zone=wijkbeeld_staff:", SHIPPED, re.M)
    staff, public = locations(blocks()["staff"]), locations(blocks()["public"])
    for path in EXPENSIVE:
        assert "limit_req zone=wijkbeeld_staff " in staff[path], path
        assert "return 404;" in public[path] or "limit_req zone=wijkbeeld_public " in public[path], path


def test_the_public_site_passes_only_to_the_public_service_and_refuses_staff_paths():
    public = blocks()["public"]
    assert "wijkbeeld_staff" not in public
    refused = {path for path, body in locations(public).items() if "return 404;" in body}
    assert {f"^~ {p}" for p in STAFF_ONLY} <= refused


def test_both_sites_forward_the_client_and_compress(tmp_path):
    for block in blocks().values():
        for line in ("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
                     "proxy_set_header X-Forwarded-Proto $scheme;", "proxy_set_header Host $host;",
                     "gzip on;", "gzip_proxied any;"):
            assert line in block, line
        # a proxy_set_header (or add_header) inside a location would drop every one set for the server
        assert not [body for body in locations(block).values() if "_header" in body]


KEEPALIVE_MARGIN_S = 5


def test_nginx_drops_an_idle_app_connection_before_gunicorn_does():
    """A POST sent on a connection gunicorn is closing is not retried by nginx: the callback answers 502. nginx
    must let go of idle upstream connections first (each upstream's keepalive_timeout below gunicorn's keepalive),
    with seconds to spare: one second apart, a loaded machine still reset a few POSTs."""
    from dashboard.serve import DashboardServer
    from dashboard.settings import Settings

    gunicorn_keepalive = DashboardServer(Settings(data_dir="d", audience="public")).cfg.keepalive
    upstreams = re.findall(r"^upstream (\w+) \{(.*?)^\}", SHIPPED, re.S | re.M)
    assert {name for name, _ in upstreams} == {"wijkbeeld_staff", "wijkbeeld_public"}
    for name, body in upstreams:
        found = re.search(r"^\s*keepalive_timeout (\d+)s;", body, re.M)
        assert found and int(found.group(1)) + KEEPALIVE_MARGIN_S <= gunicorn_keepalive, name


def test_the_shipped_file_with_tls_is_valid_for_debians_nginx(nginx_binary, tmp_path):
    cert = self_signed(tmp_path, ["wijkbeeld.example.nl", "wijkbeeld.intern.example.nl"])
    Nginx(Rendering(tmp_path / "nginx", staff_port=free_port(), public_port=free_port(), redirect_port=free_port(),
                    staff_upstream=["127.0.0.1:9"], public_upstream=["127.0.0.1:9"], tls=cert)).test()


def test_tls_sites_answer_and_port_80_redirects_to_them(apps, tmp_path):
    cert, key = self_signed(tmp_path, ["wijkbeeld.example.nl", "wijkbeeld.intern.example.nl"])
    ports = {"staff_port": free_port(), "public_port": free_port(), "redirect_port": free_port()}
    context = ssl.create_default_context(cafile=str(cert))
    with running_nginx(tmp_path / "nginx", **ports, tls=(cert, key),
                       staff_upstream=[f"127.0.0.1:{apps['staff'].port}"],
                       public_upstream=[f"127.0.0.1:{apps['public_a'].port}"]):
        for site, name in (("public", "wijkbeeld.example.nl"), ("staff", "wijkbeeld.intern.example.nl")):
            connection = http.client.HTTPSConnection(HOST, ports[f"{site}_port"], timeout=60, context=context)
            try:
                connection.request("GET", "/healthz", headers={"Host": name})
                answer = read(connection.getresponse())
            finally:
                connection.close()
            assert answer.status == 200, (site, answer.status)
            assert answer.header("strict-transport-security")
            moved = fetch(ports["redirect_port"], "/kaart?indicator=inwoners", headers={"Host": name})
            assert moved.status == 301 and moved.header("location") == f"https://{name}/kaart?indicator=inwoners"
            challenge = fetch(ports["redirect_port"], "/.well-known/acme-challenge/token", headers={"Host": name})
            assert challenge.status == 404      # served from the webroot (empty here), not redirected
