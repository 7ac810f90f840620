"""Serving the dashboard for load tests and benchmarks: gunicorn on 127.0.0.1, and Dash callback requests."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
# For a load test: it measures the server, not the per-client rate limit (all its clients are 127.0.0.1).
UNLIMITED = {"WIJKBEELD_RATE_LIMIT": "100000", "WIJKBEELD_RATE_BURST": "100000"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_gunicorn(data_dir: Path, port: int, workers: int = 2, timeout: int = 60, audience: str = "staff",
                   env: dict | None = None) -> subprocess.Popen:
    """``gunicorn dashboard.wsgi:server`` on 127.0.0.1:port, returned once it is ready."""
    env = {"WIJKBEELD_DATA_DIR": str(data_dir), "WIJKBEELD_AUDIENCE": audience, **(env or {})}
    return start_server(gunicorn_command(port, workers, timeout), port, env)


def gunicorn_command(port: int, workers: int = 2, timeout: int = 60) -> list[str]:
    """``gunicorn dashboard.wsgi:server`` on 127.0.0.1:port. No control socket: gunicorn 27 makes one per user
    ($XDG_RUNTIME_DIR or ~/.gunicorn/gunicorn.ctl), which several masters side by side would share."""
    return [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"{HOST}:{port}", "--timeout", str(timeout),
            "--log-level", "warning", "--no-control-socket", "dashboard.wsgi:server"]


def start_server(command: list[str], port: int, env: dict, ready: str = "/readyz",
                 timeout: float = 60) -> subprocess.Popen:
    """Run ``command`` (a server on 127.0.0.1:port) and return once ``ready`` answers 200."""
    return wait_until_ready(spawn_server(command, env), port, ready, timeout)


def spawn_server(command: list[str], env: dict) -> subprocess.Popen:
    """Start ``command`` without waiting (several servers boot side by side; then ``wait_until_ready`` each).

    Its output goes to a temporary file, not a pipe: a server logging a line per request would block on a
    full pipe. ``output`` and ``stop`` return it.
    """
    log = tempfile.TemporaryFile()
    # a session of its own: stop() ends the server's whole process group, workers included
    process = subprocess.Popen(command, cwd=REPO, env={**os.environ, **env}, stdin=subprocess.DEVNULL,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    process.log = log
    process.name = command[2] if len(command) > 2 else command[0]
    return process


def wait_until_ready(process: subprocess.Popen, port: int, ready: str = "/readyz",
                     timeout: float = 60) -> subprocess.Popen:
    """``process`` once ``ready`` on 127.0.0.1:port answers 200; stopped, and RuntimeError, if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.name} exited: {output(process)[-4000:]}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}{ready}", timeout=5) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"the server did not answer within {timeout:.0f} s: {output(process)[-4000:]}")


def output(process: subprocess.Popen) -> str:
    """Everything the server wrote so far (stdout and stderr)."""
    process.log.seek(0)
    return process.log.read().decode(errors="replace")


def stop(process: subprocess.Popen) -> str:
    """Stop a server started here and every process it started; returns all of its output (a traceback may be
    anywhere among the access lines). A worker that outlives its master is killed with the group, never left
    running."""
    _signal_group(process, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        pass
    _signal_group(process, signal.SIGKILL)
    process.wait()
    return output(process)


def _signal_group(process: subprocess.Popen, number: int) -> None:
    try:
        os.killpg(process.pid, number)
    except ProcessLookupError:      # the group is gone already
        pass


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
