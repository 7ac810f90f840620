"""Expensive requests are limited per client, across all workers and app instances, and by the real client.

Each test bursts Dash callbacks from its own loopback address (127.0.0.x), so the tests do not share buckets.
Bounds: a limiter lets through its burst plus what refills while the burst runs (``rate × seconds``); the upper
bound uses the measured seconds, and N workers keeping a bucket each would let through N times the burst.
"""
from __future__ import annotations

import math

import pytest

from tests.deploy.conftest import APP_BURST, APP_RATE, LOOSE, SITE_BURST, running_nginx
from tests.deploy.helpers import burst
from tools.nginx import HOST
from tools.stress.serving import free_port

pytestmark = pytest.mark.deploy

SITE_PER_SECOND = 6 / 60          # SITE_RATE "6r/m"


def at_most(limit_burst: int, per_second: float, seconds: float) -> int:
    return limit_burst + math.ceil(per_second * seconds) + 1


def test_the_sites_limit_holds_per_client_across_nginx_and_app_workers(site, apps, repaint_body):
    """Public site: 2 nginx workers, 2 app instances × 2 workers behind it; one client still gets the one limit."""
    result = burst(site.rendering.public_port, repaint_body, source="127.0.0.11", requests=40)
    assert not result.errors and set(result.statuses) <= {200, 429}, result
    # nginx lets the first request and `burst` more through at once, then one per 10 s
    assert SITE_BURST + 1 <= result.ok <= at_most(SITE_BURST, SITE_PER_SECOND, result.seconds), result
    assert result.statuses[429] == 40 - result.ok
    assert result.retry_after == {"1"}


def test_the_site_limits_two_clients_separately(site, repaint_body):
    first = burst(site.rendering.public_port, repaint_body, source="127.0.0.12", requests=30)
    second = burst(site.rendering.public_port, repaint_body, source="127.0.0.13", requests=30)
    for result in (first, second):
        assert not result.errors and SITE_BURST + 1 <= result.ok <= at_most(SITE_BURST, SITE_PER_SECOND,
                                                                             result.seconds), result


def test_a_spoofed_forwarded_for_does_not_escape_the_sites_limit(site, repaint_body):
    """nginx keys on the connection's address; what the client claims in X-Forwarded-For changes nothing."""
    result = burst(site.rendering.public_port, repaint_body, source="127.0.0.14", requests=40,
                   xff=lambda i: f"198.51.100.{i}")
    assert not result.errors and result.ok <= at_most(SITE_BURST, SITE_PER_SECOND, result.seconds), result


def test_the_apps_own_limit_holds_across_its_workers(apps, repaint_body):
    """Straight to gunicorn with 3 workers: the app's limit is shared by its workers (state in the runtime dir)."""
    result = burst(apps["limited"].port, repaint_body, source="127.0.0.21", requests=40)
    assert not result.errors and set(result.statuses) <= {200, 429}, result
    assert APP_BURST <= result.ok <= at_most(APP_BURST, APP_RATE, result.seconds), \
        f"{result.ok} of 40 callbacks passed a limit of {APP_BURST} + {APP_RATE}/s across 3 workers: {result}"
    assert result.retry_after and None not in result.retry_after


def test_a_spoofed_forwarded_for_from_an_untrusted_address_changes_nothing(apps, repaint_body):
    """127.0.0.22 is not a trusted proxy: the app limits it by its own address, whatever it claims."""
    result = burst(apps["limited"].port, repaint_body, source="127.0.0.22", requests=40,
                   xff=lambda i: f"203.0.113.{i}, 198.51.100.{i}")
    assert not result.errors and result.ok <= at_most(APP_BURST, APP_RATE, result.seconds), result
    log = apps["limited"].log()
    assert " 127.0.0.22 POST /_dash-update-component 429 " in log      # logged by the real peer
    assert "203.0.113." not in log and "198.51.100." not in log


def test_behind_the_trusted_proxy_the_app_limits_each_client_by_its_own_address(apps, repaint_body, deploy_root):
    """nginx (127.0.0.1, trusted) forwards the client's address; the app limits 127.0.0.23 and 127.0.0.24 apart,
    and a spoofed X-Forwarded-For through nginx still counts against the real client."""
    port = free_port()
    with running_nginx(deploy_root / "nginx-limited", public_port=port,
                       public_upstream=[f"{HOST}:{apps['limited'].port}"], rate=f"{LOOSE}r/s", burst=LOOSE):
        first = burst(port, repaint_body, source="127.0.0.23", requests=40, xff=lambda i: f"198.51.100.{i}")
        second = burst(port, repaint_body, source="127.0.0.24", requests=40)
    for result in (first, second):
        assert not result.errors and set(result.statuses) <= {200, 429}, result
        assert APP_BURST <= result.ok <= at_most(APP_BURST, APP_RATE, result.seconds), result
    log = apps["limited"].log()
    assert " 127.0.0.23 POST /_dash-update-component 429 " in log and " 127.0.0.24 POST " in log
