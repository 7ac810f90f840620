"""Serving the dashboard for load tests and benchmarks: gunicorn on 127.0.0.1, and Dash callback requests."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def spawn_gunicorn(data_dir: Path, port: int, workers: int = 2, timeout: int = 60, audience: str = "staff",
                   env: dict | None = None) -> subprocess.Popen:
    """``gunicorn dashboard.wsgi:server`` on 127.0.0.1:port for one audience, not yet answering (see ``wait_until_up``).

    ``env`` adds to the environment (``WIJKBEELD_*`` settings). No control socket: several gunicorns run side by side
    and would share the default one ($XDG_RUNTIME_DIR or ~/.gunicorn/gunicorn.ctl)."""
    env = {**os.environ, "WIJKBEELD_DATA_DIR": str(data_dir), "WIJKBEELD_AUDIENCE": audience, **(env or {})}
    return spawn_logged([sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"{HOST}:{port}",
                         "--timeout", str(timeout), "--log-level", "warning", "--no-control-socket",
                         "dashboard.wsgi:server"], env)


def spawn_logged(command: list[str], env: dict) -> subprocess.Popen:
    """Start a server whose stderr goes to a file (``process.log_path``): a pipe nobody reads until the end
    would fill up with one access-log line per request and stop the workers."""
    with tempfile.NamedTemporaryFile(prefix="wijkbeeld-server-", suffix=".log", delete=False) as log:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=log)
    process.log_path = Path(log.name)
    return process


def log_of(process: subprocess.Popen) -> str:
    """What the server wrote to stderr so far."""
    path = getattr(process, "log_path", None)
    if path is None:
        return (process.stderr.read() if process.stderr else b"").decode(errors="replace")
    return path.read_text(errors="replace") if path.exists() else ""


def wait_until_up(process: subprocess.Popen, port: int, path: str = "/", timeout: float = 120) -> subprocess.Popen:
    """Returns ``process`` once ``path`` on 127.0.0.1:port answers (any status below 500); stops it and raises if
    it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {log_of(process)[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=5):
                return process
        except urllib.error.HTTPError as error:
            if error.code < 500:
                return process
            time.sleep(0.2)
        except OSError:
            time.sleep(0.2)
    log = stop(process)
    raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s: {log[-2000:]}")


def start_gunicorn(data_dir: Path, port: int, workers: int = 2, timeout: int = 60, audience: str = "staff",
                   env: dict | None = None) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:port, returned once it answers ``/``."""
    return wait_until_up(spawn_gunicorn(data_dir, port, workers, timeout, audience, env), port)


def stop(process: subprocess.Popen) -> str:
    """Stop the server this run started; returns what it wrote to stderr."""
    process.terminate()
    try:
        _, err = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
    path = getattr(process, "log_path", None)
    if path is None:
        return (err or b"").decode(errors="replace")
    text = log_of(process)
    path.unlink(missing_ok=True)
    return text


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
