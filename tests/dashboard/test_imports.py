"""The dashboard's modules import each other without a circle, hidden in a function or not, and the text and URL
modules are leaves that anything may import."""
import ast
from pathlib import Path

import dashboard

DASHBOARD = Path(dashboard.__file__).parent


def imports() -> dict[str, set[str]]:
    """Module → the dashboard modules it imports anywhere in its file (top level or inside a function)."""
    modules = {".".join(p.relative_to(DASHBOARD.parent).with_suffix("").parts).removesuffix(".__init__"): p
               for p in DASHBOARD.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("dashboard"):
                found |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                          for a in node.names}
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.startswith("dashboard")}
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    found, done = [], set()

    def visit(module: str, path: list[str]) -> None:
        for other in sorted(graph[module]):
            if other in path:
                found.append(path[path.index(other):] + [other])
            elif other not in done:
                visit(other, path + [other])
        done.add(module)

    for module in sorted(graph):
        visit(module, [module])
    return found


def test_no_import_circle():
    assert circles(imports()) == []


def test_text_and_urls_import_nothing_from_the_dashboard():
    graph = imports()
    assert graph["dashboard.urls"] == set() and graph["dashboard.text"] == set()
