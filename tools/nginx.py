"""The shipped nginx configuration (``deploy/nginx/wijkbeeld.conf``), rendered for a run on 127.0.0.1, and an
nginx of our own to run it: for tests/deploy and ``make bench``.

Rendering changes only what must differ on a test machine, and refuses a file it does not recognise:

- the listen lines: each site on its own 127.0.0.1 port, plain HTTP (or TLS with a given certificate);
  the port-80 redirects on one port (or left out); no IPv6 listens;
- the upstream servers (the app instances started by the caller);
- the request rate and burst of the ``limit_req`` zones, when asked;
- the paths of logs and cache, into the run's folder.

Every other line (locations, headers, gzip, caching, limits, timeouts) is the shipped text. The nginx master runs
in the foreground with ``-p <folder> -c <folder>/nginx.conf``, as root or not, and is stopped by whoever started it.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SITE = REPO / "deploy" / "nginx" / "wijkbeeld.conf"
NGINX = Path("/usr/sbin/nginx")
HOST = "127.0.0.1"


class RenderError(ValueError):
    """The shipped file no longer has a line the renderer must change."""


def _sub(pattern: str, replacement, text: str, what: str, flags: int = re.M) -> str:
    new, count = re.subn(pattern, replacement, text, flags=flags)
    if not count:
        raise RenderError(f"deploy/nginx/wijkbeeld.conf: found no {what} ({pattern!r})")
    return new


def server_blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of every top-level ``server { … }`` block."""
    blocks, depth, start = [], 0, None
    for match in re.finditer(r"^server\s*\{|[{}]", text, flags=re.M):
        token = match.group()
        if token.startswith("server"):
            if depth == 0:
                start = match.start()
            depth += 1
        elif token == "{":
            depth += 1
        else:
            depth -= 1
            if depth == 0 and start is not None:
                blocks.append((start, match.end()))
                start = None
    return blocks


def site_of(block: str) -> str:
    """``staff``, ``public`` (the TLS sites, by the upstream they pass to) or ``redirect`` (the port-80 ones)."""
    if "return 301 https://" in block:
        return "redirect"
    for site in ("staff", "public"):
        if f"proxy_pass http://wijkbeeld_{site};" in block:
            return site
    raise RenderError(f"deploy/nginx/wijkbeeld.conf: a server block of no known site:\n{block[:200]}")


@dataclass
class Rendering:
    """What to put where the shipped file has production values."""

    folder: Path                                   # logs/ and cache/ go below it
    staff_port: int | None = None                  # the staff site on 127.0.0.1:port (None: left out)
    public_port: int | None = None
    redirect_port: int | None = None               # both port-80 redirect blocks (None: left out)
    staff_upstream: list[str] = field(default_factory=list)     # "127.0.0.1:8050", …
    public_upstream: list[str] = field(default_factory=list)
    tls: tuple[Path, Path] | None = None           # certificate and key: the sites speak TLS on their ports
    rate: str | None = None                        # e.g. "6r/m" instead of the shipped rate
    burst: int | None = None


def render_site(r: Rendering, text: str | None = None) -> str:
    """The shipped site file with the test machine's addresses (see the module's docstring)."""
    text = SITE.read_text(encoding="utf-8") if text is None else text
    for site, servers in (("staff", r.staff_upstream), ("public", r.public_upstream)):
        if servers:
            text = _sub(rf"(^upstream wijkbeeld_{site} \{{\n)((?:    server [^\n]*;\n)+)",
                        lambda m: m.group(1) + "".join(f"    server {s};\n" for s in servers),
                        text, f"upstream wijkbeeld_{site}")
    if r.rate:
        text = _sub(r"(^limit_req_zone [^\n]* rate=)\S+;", rf"\g<1>{r.rate};", text, "limit_req_zone")
    if r.burst is not None:
        text = _sub(r"(limit_req zone=\w+ burst=)\d+", rf"\g<1>{r.burst}", text, "limit_req")
    logs, cache = r.folder / "logs", r.folder / "cache"
    text = _sub(r"(^proxy_cache_path )/var/cache/nginx/wijkbeeld ", rf"\g<1>{cache} ", text, "proxy_cache_path")
    text = _sub(r"(_log )/var/log/nginx/", rf"\g<1>{logs}/", text, "access_log/error_log")

    out, position = [], 0
    for start, end in server_blocks(text):
        out.append(text[position:start])
        position = end
        block = text[start:end]
        site = site_of(block)
        port = {"staff": r.staff_port, "public": r.public_port, "redirect": r.redirect_port}[site]
        if port is None:
            continue
        block = re.sub(r"^[ \t]*listen \[::\][^\n]*\n", "", block, flags=re.M)
        if site == "redirect":
            block = _sub(r"^([ \t]*)listen 80;", rf"\g<1>listen {HOST}:{port};", block, "listen 80")
        elif r.tls:
            block = _sub(r"^([ \t]*)listen 443 ssl http2;", rf"\g<1>listen {HOST}:{port} ssl http2;", block, "listen 443")
            block = _sub(r"^([ \t]*ssl_certificate\s+)\S+;", rf"\g<1>{r.tls[0]};", block, "ssl_certificate")
            block = _sub(r"^([ \t]*ssl_certificate_key\s+)\S+;", rf"\g<1>{r.tls[1]};", block, "ssl_certificate_key")
        else:
            block = _sub(r"^([ \t]*)listen 443 ssl http2;", rf"\g<1>listen {HOST}:{port};", block, "listen 443")
            block = _sub(r"^[ \t]*ssl_\w+\s[^\n]*\n", "", block, "ssl_ lines")
        out.append(block)
    out.append(text[position:])
    return "".join(out)


def main_conf(folder: Path, site: str, workers: int = 2) -> str:
    """An nginx.conf like Debian's (/etc/nginx/nginx.conf) around the rendered site, with every path in ``folder``."""
    temp = folder / "temp"
    user = "user root;\n" if os.geteuid() == 0 else ""   # workers must reach the run's folder (mode 0700)
    return f"""{user}worker_processes {workers};
events {{
    worker_connections 1024;
}}
http {{
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {folder}/logs/access.log;
    gzip on;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;

{site}
}}
"""


def self_signed(folder: Path, names: list[str]) -> tuple[Path, Path]:
    """A throwaway certificate and key for ``names`` (openssl), for the TLS rendering."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    san = ",".join(f"DNS:{n}" for n in names) + ",IP:127.0.0.1"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={names[0]}",
                    "-addext", f"subjectAltName={san}", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    return cert, key


def wait_for_port(port: int, process: subprocess.Popen | None = None, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"exited with status {process.returncode} before {HOST}:{port} answered")
        try:
            with socket.create_connection((HOST, port), timeout=2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing answered on {HOST}:{port} within {timeout:.0f} s")


class Nginx:
    """An nginx master of our own: ``-p folder -c folder/nginx.conf``, in the foreground, stopped by ``stop``."""

    def __init__(self, rendering: Rendering, workers: int = 2):
        self.rendering, self.folder = rendering, rendering.folder
        for sub in ("logs", "cache", "temp"):
            (self.folder / sub).mkdir(parents=True, exist_ok=True)
        self.site = render_site(rendering)
        self.conf = self.folder / "nginx.conf"
        self.conf.write_text(main_conf(self.folder, self.site, workers), encoding="utf-8")
        self.error_log = self.folder / "logs" / "error.log"
        self.process: subprocess.Popen | None = None

    def command(self, *extra: str) -> list[str]:
        return [str(NGINX), "-e", str(self.error_log), "-p", str(self.folder), "-c", str(self.conf),
                "-g", f"daemon off; pid {self.folder / 'nginx.pid'};", *extra]

    def test(self) -> None:
        """``nginx -t``: the rendered file is valid, or RuntimeError with nginx's words."""
        result = subprocess.run(self.command("-t"), capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            raise RuntimeError(f"nginx -t failed:\n{result.stderr}\n--- site ---\n{self.site}")

    def start(self) -> "Nginx":
        self.test()
        self.process = subprocess.Popen(self.command(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            for port in (self.rendering.staff_port, self.rendering.public_port, self.rendering.redirect_port):
                if port is not None:
                    wait_for_port(port, self.process, timeout=30)
        except RuntimeError as error:
            raise RuntimeError(f"nginx: {error}\n{self.stop()}") from None
        return self

    def stop(self) -> str:
        """Stop gracefully (SIGQUIT), or kill after 20 s; returns the end of the error log."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None and self.process.stderr:
            self.process.stderr.close()
        self.process = None
        return self.error_log.read_text(errors="replace")[-4000:] if self.error_log.exists() else ""

    def __enter__(self) -> "Nginx":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
