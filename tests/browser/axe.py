"""axe-core, run inside Chromium (axe-playwright-python ships it), as a test assertion."""
from __future__ import annotations

import json

from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import ARTIFACTS

BLOCKING = ("serious", "critical")
_axe = Axe()


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} — "
                     + "; ".join(str(n["target"]) for n in v["nodes"][:5]) for v in violations)


def assert_accessible(page, name: str) -> list[dict]:
    """No axe-core violation of impact serious or critical on the page as it is now; every violation (the
    minor and moderate ones too) is written to ``test-artifacts/axe-<name>.json``. Returns the violations."""
    violations = _axe.run(page).response["violations"]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"axe-{name}.json").write_text(json.dumps(
        [{"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
         for v in violations], indent=1))
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"axe-core on {name}:\n{describe(blocking)}"
    return violations
