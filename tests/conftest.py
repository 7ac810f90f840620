"""Fixtures shared by every test folder: the real CBS extracts, a published demo, the browser."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_CBS = REPO.parent / "shared" / "cbs"


@pytest.fixture(scope="session")
def shared_cbs() -> Path:
    """The real CBS/RIVM extracts beside the clone; tests using them skip on a fresh clone without them."""
    if not SHARED_CBS.is_dir():
        pytest.skip(f"real CBS extracts not found at {SHARED_CBS} (they live beside the clone in ../shared)")
    return SHARED_CBS


@pytest.fixture(autouse=True)
def own_runtime_dir(tmp_path_factory, monkeypatch):
    """Each test's apps keep their shared state (the rate limiter) in a folder of their own, as each service does."""
    monkeypatch.setenv("WIJKBEELD_RUNTIME_DIR", str(tmp_path_factory.mktemp("runtime")))


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory) -> Path:
    """A data directory with the embedded demo loaded and published, built once per test session."""
    from etl.demo import load_demo

    data_dir = tmp_path_factory.mktemp("demo-data")
    load_demo(data_dir, progress=lambda message: None)
    return data_dir


@pytest.fixture(scope="session")
def demo_copy(demo_data_dir, tmp_path_factory):
    """Make a copy of the published demo, for a test that changes it: ``demo_copy("name")`` → its data dir."""
    def copy(name: str = "demo-copy") -> Path:
        target = tmp_path_factory.mktemp(name) / "data"
        shutil.copytree(demo_data_dir, target, symlinks=True)
        return target
    return copy


def tree_checksums(folder: Path) -> dict[str, str]:
    """sha256 of every file below ``folder`` (following the ``published`` link)."""
    folder = folder.resolve()
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}
