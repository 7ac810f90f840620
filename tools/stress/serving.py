"""Serving the dashboard for load tests and benchmarks: gunicorn on 127.0.0.1, and Dash callback requests."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_gunicorn(data_dir: Path, port: int, workers: int = 2, timeout: int = 60) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:port, returned once it answers ``/``."""
    # A load test measures the server, not the per-client rate limit: all its clients are 127.0.0.1.
    env = {**os.environ, "WIJKBEELD_DATA_DIR": str(data_dir), "WIJKBEELD_AUDIENCE": "staff",
           "WIJKBEELD_RATE_LIMIT": "100000", "WIJKBEELD_RATE_BURST": "100000"}
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"{HOST}:{port}",
                                "--timeout", str(timeout), "--log-level", "warning", "dashboard.wsgi:server"],
                               cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {process.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/", timeout=5) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise RuntimeError("gunicorn did not answer within 60 s")

def stop(process: subprocess.Popen) -> str:
    """Stop the gunicorn this run started; returns the end of its error log."""
    process.terminate()
    try:
        _, err = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
    return (err or b"").decode(errors="replace")[-4000:]

def callback_payload(dependency: dict, values: dict) -> dict:
    """A ``/_dash-update-component`` body for one callback of ``/_dash-dependencies``, inputs from ``values``."""
    output = dependency["output"]
    if output.startswith(".."):
        outputs = [{"id": i, "property": p} for i, p in (o.rsplit(".", 1) for o in output.strip(".").split("..."))]
    else:
        i, p = output.rsplit(".", 1)
        outputs = {"id": i, "property": p}

    def entry(spec):
        return {"id": spec["id"], "property": spec["property"], "value": values.get(f"{spec['id']}.{spec['property']}")}

    return {"output": output, "outputs": outputs, "inputs": [entry(s) for s in dependency["inputs"]],
            "state": [entry(s) for s in dependency["state"]],
            "changedPropIds": [f"{s['id']}.{s['property']}" for s in dependency["inputs"]]}
