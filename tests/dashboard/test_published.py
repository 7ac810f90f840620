"""Where the ``published`` link points, read without DuckDB (dashboard/published.py)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from dashboard.published import NotPublished, published_version


def test_the_link_names_the_published_version(demo_data_dir):
    version = published_version(demo_data_dir / "published")
    assert version.startswith("versions/") and (demo_data_dir / version / "public.duckdb").is_file()


def test_nothing_published_names_the_data_directory(tmp_path):
    with pytest.raises(NotPublished, match=f"nothing published in {tmp_path} \\(run: wijkbeeld demo\\)"):
        published_version(tmp_path / "published")


def test_wijkbeeld_serve_checks_it_without_loading_duckdb():
    code = ("import sys; from dashboard.serve import serve; from dashboard.published import published_version; "
            "print('duckdb' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False", "wijkbeeld serve's master would load DuckDB before forking"
