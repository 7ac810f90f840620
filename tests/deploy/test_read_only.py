"""The services need no write access to the data directory (or their home, or the code): the systemd units make
them read-only (ProtectSystem=strict, ReadOnlyPaths=/var/lib/wijkbeeld). Here a public service runs in a mount
namespace where the data directory and the repository are read-only bind mounts, and serves the map."""
from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from tests.deploy.helpers import fetch
from tools.stress.serve_during_publish import VIEW, callback_payload, repaint_dependency, version_urls
from tools.stress.serving import REPO, free_port, gunicorn_command, spawn_server, stop, wait_until_ready

pytestmark = pytest.mark.deploy

MOUNT_READ_ONLY = 'for d in "$RO_1" "$RO_2"; do mount --bind "$d" "$d" && mount -o remount,bind,ro "$d" || exit 97; done; exec "$@"'


def can_unshare() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "--propagation", "private", "true"], capture_output=True, timeout=30)
    return probe.returncode == 0


@pytest.mark.skipif(not can_unshare(), reason="needs root and mount namespaces (unshare -m)")
def test_a_public_service_serves_from_a_read_only_data_directory(nginx_binary, deploy_root, tmp_path):
    data_dir = deploy_root / "data"
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    port = free_port()
    command = ["unshare", "-m", "--propagation", "private", "sh", "-c", MOUNT_READ_ONLY, "sh",
               *gunicorn_command(port, workers=2)]
    server = spawn_server(command, {"RO_1": str(data_dir), "RO_2": str(REPO), "HOME": str(data_dir),
                                    "WIJKBEELD_DATA_DIR": str(data_dir), "WIJKBEELD_AUDIENCE": "public",
                                    "WIJKBEELD_RUNTIME_DIR": str(runtime), "PYTHONDONTWRITEBYTECODE": "1"})
    try:
        wait_until_ready(server, port, timeout=240)
        answer = fetch(port, "/_dash-update-component", method="POST",
                       body=json.dumps(callback_payload(repaint_dependency(port), VIEW)).encode(),
                       headers={"Content-Type": "application/json"})
        assert answer.status == 200
        urls = version_urls(json.loads(answer.body))
        version = answer.header("x-wijkbeeld-version")
        for path in ["/", *urls, f"/initiatieven/{version}.geojson"]:
            assert fetch(port, path, headers={"Accept-Encoding": "gzip"}).status == 200, path
    finally:
        log = stop(server)
    assert "Traceback" not in log and "Read-only file system" not in log, log[-3000:]
