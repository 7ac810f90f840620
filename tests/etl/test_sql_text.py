"""The SQL the ETL writes: every INSERT names its columns, and no path is pasted into a statement."""
from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import REPO

SOURCES = sorted(p for p in (REPO / "etl").rglob("*") if p.suffix in (".py", ".sql")) + [REPO / "dashboard" / "db.py"]
# an INSERT and what follows its table: a column list, BY NAME, or (positional) VALUES / SELECT
INSERT = re.compile(r"INSERT\s+(?:OR\s+\w+\s+)?INTO\s+[\w.\"{}]+\s*(?P<columns>\(|BY\s+NAME\b)?", re.IGNORECASE)
# a path pasted between quotes: '{...}' in an f-string, the way ATTACH and LOAD were written
PASTED = re.compile(r"""f["'].*?(?:ATTACH|LOAD|COPY|read_\w+\(|FROM)\s*'\{""", re.IGNORECASE)


def where(path: Path, text: str, match: re.Match) -> str:
    return f"{path.relative_to(REPO)}:{text.count(chr(10), 0, match.start()) + 1}: {match.group(0)}"


def test_every_insert_names_its_target_columns():
    positional = [where(path, text, m) for path in SOURCES for text in [path.read_text()]
                  for m in INSERT.finditer(text) if not m.group("columns")]
    assert positional == []


def test_no_path_is_pasted_into_sql():
    pasted = [where(path, text, m) for path in SOURCES if path.suffix == ".py" for text in [path.read_text()]
              for m in PASTED.finditer(text)]
    assert pasted == []
