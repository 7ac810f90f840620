"""Fail on known vulnerabilities in the locked dependencies (requirements.lock), via pip-audit.

pip-audit asks a vulnerability service (PyPI's JSON API by default). Where that service cannot be
reached — as on machines that only reach a package mirror — every package comes back "not found"; then
this says so plainly and does not pretend the audit passed or failed.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

LOCK = Path(__file__).resolve().parents[1] / "requirements.lock"


def main(pip_audit: str) -> int:
    result = subprocess.run([pip_audit, "-r", str(LOCK), "--no-deps", "--disable-pip", "--progress-spinner", "off",
                             "--format", "json"], capture_output=True, text=True, timeout=600)
    try:
        report = json.loads(result.stdout)
    except ValueError:
        print(f"audit: pip-audit gave no report (exit {result.returncode}):\n{result.stderr[-2000:]}")
        return 1
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
            print(f"audit: {dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixed})")
    audited = len(dependencies) - len(skipped)
    print(f"audit: {len(dependencies)} locked packages, {audited} audited, {len(vulnerable)} with known vulnerabilities")
    if vulnerable:
        return 1
    if audited == 0 and dependencies:
        print("audit: WARNING: the vulnerability service could not be reached from this machine "
              f"({skipped[0]['skip_reason']}); nothing was audited")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "pip-audit"))
