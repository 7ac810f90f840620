"""Every module of the product can be imported on its own, for its doctests (``--doctest-modules``, see
pyproject.toml): without WIJKBEELD_* settings, from any folder, writing nothing."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("etl", "geo", "dashboard")
# Builds the app from the environment at import, as gunicorn needs: not collected for doctests (pyproject addopts).
NEEDS_SETTINGS = {"dashboard.wsgi"}


def test_every_module_imports_without_settings_and_writes_nothing(tmp_path):
    code = ("import importlib, pkgutil, sys\n"
            f"for package in {PACKAGES!r}:\n"
            "    for module in pkgutil.walk_packages(importlib.import_module(package).__path__, package + '.'):\n"
            f"        if module.name not in {NEEDS_SETTINGS!r}:\n"
            "            importlib.import_module(module.name)\n")
    environment = {key: value for key, value in os.environ.items() if not key.startswith("WIJKBEELD_")}
    environment["PYTHONPATH"] = str(REPO)
    environment["PYTHONDONTWRITEBYTECODE"] = "1"
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=environment, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert list(tmp_path.iterdir()) == [], "importing a module wrote files"

