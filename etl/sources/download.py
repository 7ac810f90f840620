"""Downloads into the data directory's cache: complete or not at all, with progress."""
from __future__ import annotations

import http.client
import os
import urllib.error
import urllib.request
from pathlib import Path

from etl.errors import LoadError
from etl.progress import meter

CHUNK = 1 << 20


def download(urls: list[str], cache_dir: Path, progress=None, timeout: float = 60) -> Path:
    """Fetch the first of ``urls`` that exists into ``cache_dir``; reuse a cached copy.

    The file is written under a temporary name and renamed when complete, so a broken
    download never looks like a cached one.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    failures = []
    for url in urls:
        target = cache_dir / url.rstrip("/").rsplit("/", 1)[-1]
        if target.exists():
            if progress:
                progress(f"using cached {target}")
            return target
        try:
            return _fetch(url, target, progress, timeout)
        except urllib.error.HTTPError as error:
            failures.append(f"{url}: HTTP {error.code}")
            if error.code != 404:
                break
        except (urllib.error.URLError, OSError, TimeoutError, http.client.HTTPException) as error:
            failures.append(f"{url}: {getattr(error, 'reason', None) or error or type(error).__name__}")
            break
    raise LoadError("download failed: " + "; ".join(failures), file=urls[0] if len(urls) == 1 else None)


def _fetch(url: str, target: Path, progress, timeout: float) -> Path:
    partial = target.with_name(target.name + ".part")
    try:
        return _stream(url, target, partial, progress, timeout)
    finally:
        partial.unlink(missing_ok=True)


def _stream(url: str, target: Path, partial: Path, progress, timeout: float) -> Path:
    request = urllib.request.Request(url, headers={"User-Agent": "wijkbeeld"})
    with urllib.request.urlopen(request, timeout=timeout) as response, open(partial, "wb") as out:
        total = int(response.headers.get("Content-Length") or 0)
        done = 0

        def line(done, _):
            return f"{target.name}: {done / 1e6:.1f} MB" + (f" of {total / 1e6:.1f} MB" if total else "")

        with meter(progress, target.name, total=total or None, bytes_=True, line=line, every=20 * CHUNK) as megabytes:
            for block in iter(lambda: response.read(CHUNK), b""):
                out.write(block)
                done += len(block)
                megabytes.update(len(block))
        out.flush()
        os.fsync(out.fileno())
    if total and done != total:
        raise LoadError(f"download incomplete: {done} of {total} bytes", file=url)
    os.replace(partial, target)
    return target
