"""Scale out: two public app instances (separate gunicorn processes on their own ports, as two hosts) behind one
nginx upstream, reading the same data directory, while new versions are published under load.

Clients (bounded by count) repaint the map through nginx and fetch the files each repaint names, as the
browser does, and load the page and the files it names; meanwhile the real ETL and publish run 3 times.
No request may fail, and no answer may mix versions: the X-Wijkbeeld-Version of each answer is the version in
every URL it names, and the figures in the files are those of that version (tools' serve-during-publish checks).
"""
from __future__ import annotations

import re
import threading
import time
from collections import Counter

import pytest

from etl.publish import current_version
from tests.deploy.conftest import LOOSE, running_nginx
from tests.deploy.helpers import fetch
from tools.stress.serve_during_publish import Publisher, publish_under_load, summary
from tools.stress.serving import free_port

pytestmark = pytest.mark.deploy

PUBLISHES = 3
MOST_REQUESTS = 3000            # all repaint clients together, a bound should the publishes never end
BETWEEN_PUBLISHES = 25          # requests answered before each publish and after the last (waited for, bounded)
CLIENTS = 3
# the files the page names: its figures as a preload, the map's first geometry file for assets/regions-reader.js
PRELOAD = re.compile(r'(?:<link rel="preload" href=|data-regions=)"(/(?:geometry|values)/([^/"]+)/[^"]+)"')


def page_client(port: int, done: threading.Event, most: int, seen: dict, lock: threading.Lock) -> None:
    """Load the public page, and the geometry and figures it names, until done; count mismatches."""
    for _ in range(most):
        if done.is_set():
            return
        page = fetch(port, "/", source="127.0.0.51")
        named = PRELOAD.findall(page.body.decode(errors="replace"))
        files = [fetch(port, url, source="127.0.0.51") for url, _ in named]
        with lock:
            seen["pages"] += 1
            if page.status != 200 or any(f.status != 200 for f in files):
                seen["failed"].append((page.status, [(u, f.status) for (u, _), f in zip(named, files)]))
            version = page.header("x-wijkbeeld-version")
            seen["versions"][version] += 1
            if not named or {v for _, v in named} != {version}:
                seen["mixed"].append((version, named))


def hosts_in(access_log: str) -> Counter:
    """Requests per app host in nginx's access log (``upstream=-``: answered from nginx's cache)."""
    return Counter(host for host in re.findall(r" upstream=(\S+) ", access_log) if host != "-")


def test_two_app_hosts_behind_one_upstream_serve_every_request_while_publishing(apps, deploy_root):
    data_dir = deploy_root / "data"
    port = free_port()
    upstream = [f"127.0.0.1:{apps['public_a'].port}", f"127.0.0.1:{apps['public_b'].port}"]
    publisher = Publisher(data_dir, deploy_root)
    publisher.markers[current_version(data_dir)] = None
    pages, lock = {"pages": 0, "failed": [], "mixed": [], "versions": Counter()}, threading.Lock()
    with running_nginx(deploy_root / "nginx-scale-out", public_port=port, public_upstream=upstream,
                       rate=f"{LOOSE}r/s", burst=LOOSE) as nginx:
        outcome, timed_out = publish_under_load(
            port, publisher, clients=CLIENTS, max_requests=MOST_REQUESTS, publishes=PUBLISHES,
            requests_between=BETWEEN_PUBLISHES, give_up=time.monotonic() + 600, progress=lambda message: None,
            also=[lambda done: page_client(port, done, MOST_REQUESTS // 10, pages, lock)])
        access_log = (nginx.folder / "logs" / "wijkbeeld-public.access.log").read_text()
    logs = apps["public_a"].log() + apps["public_b"].log()
    result = summary(outcome, publisher, logs)

    assert not timed_out and outcome.requests >= (PUBLISHES + 1) * BETWEEN_PUBLISHES, result
    assert result["publishes"] == PUBLISHES and len(result["versions_answering"]) >= 2, result
    assert result["failures"] == 0, result["failure_examples"]
    assert result["responses_without_version_header"] == 0
    assert result["urls_missing_or_of_another_version"] == 0, result["inconsistent_examples"]
    assert result["data_not_of_answering_version"] == 0, result["inconsistent_examples"]
    assert result["server_errors_logged"] == 0, logs[-3000:]
    assert pages["pages"] and not pages["failed"] and not pages["mixed"], pages
    assert len(hosts_in(access_log)) == 2, hosts_in(access_log)      # both hosts answered
