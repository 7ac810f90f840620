"""deploy/systemd, deploy/env and deploy/update.sh: valid for Debian 12's systemd and sh, and consistent with each
other and with the nginx file (ports, paths, the settings the app knows)."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tools.nginx import SITE

pytestmark = pytest.mark.deploy

DEPLOY = SITE.parents[1]
UNITS = sorted((DEPLOY / "systemd").glob("wijkbeeld-*"))
SETTINGS = {"WIJKBEELD_DATA_DIR", "WIJKBEELD_AUDIENCE", "WIJKBEELD_HOST", "WIJKBEELD_PORT", "WIJKBEELD_WORKERS",
            "WIJKBEELD_THREADS", "WIJKBEELD_USERS_FILE", "WIJKBEELD_USERS", "WIJKBEELD_OIDC_ISSUER",
            "WIJKBEELD_OIDC_CLIENT_ID", "WIJKBEELD_OIDC_CLIENT_SECRET", "WIJKBEELD_SECRET_KEY",
            "WIJKBEELD_TRUSTED_PROXIES", "WIJKBEELD_RATE_LIMIT", "WIJKBEELD_RATE_BURST", "WIJKBEELD_RUNTIME_DIR",
            "WIJKBEELD_BASEMAP", "WIJKBEELD_OIDC_ROLES_CLAIM"}


def env_file(name: str, commented: bool = False) -> dict[str, str]:
    """The assignments of deploy/env/<name>.env (with the commented-out ones too, when asked)."""
    pattern = r"^#?([A-Z_]+)=(.*)$" if commented else r"^([A-Z_]+)=(.*)$"
    return dict(re.findall(pattern, (DEPLOY / "env" / f"{name}.env").read_text(), flags=re.M))


def unit(name: str) -> str:
    return (DEPLOY / "systemd" / name).read_text()


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_systemd_accepts_the_units(tmp_path):
    """``systemd-analyze verify``: no unknown key, no bad value; only the programs are missing on a test machine."""
    for path in UNITS:
        shutil.copy(path, tmp_path)
    result = subprocess.run(["systemd-analyze", "verify", "--man=no", *[str(tmp_path / p.name) for p in UNITS]],
                            capture_output=True, text=True, timeout=120)
    complaints = [line for line in (result.stdout + result.stderr).splitlines()
                  if line.strip() and "is not executable: No such file or directory" not in line]
    assert not complaints, complaints


def test_the_update_script_is_valid_sh_and_executable():
    script = DEPLOY / "update.sh"
    assert script.stat().st_mode & 0o111
    subprocess.run(["sh", "-n", str(script)], check=True, timeout=30)
    text = script.read_text()
    assert "set -eu" in text and re.search(r"^\"\$wijkbeeld\" publish$", text, re.M)
    # one command loads the gemeente of update.env; the one publish comes after the initiatives and the agenda
    assert re.search(r'^"\$wijkbeeld" etl update --gemeente "\$WIJKBEELD_GEMEENTE" --no-publish$', text, re.M)
    assert text.index("etl update") < text.index("etl initiatives") < text.index('"$wijkbeeld" publish')
    assert not re.search(r"etl (boundaries|kerncijfers|health)", text)


def test_the_update_script_refuses_to_run_without_a_gemeente(tmp_path):
    environment = {"PATH": "/usr/bin:/bin"}
    result = subprocess.run(["sh", str(DEPLOY / "update.sh")], env=environment, capture_output=True, text=True,
                            timeout=30)
    assert result.returncode != 0 and "WIJKBEELD_GEMEENTE" in result.stderr


def test_env_files_name_only_settings_the_app_knows():
    for name in ("staff", "public"):
        names = {k for k in env_file(name, commented=True) if k.startswith("WIJKBEELD_")}
        assert names <= SETTINGS, names - SETTINGS
    assert env_file("update") == {"WIJKBEELD_DATA_DIR": "/var/lib/wijkbeeld", "WIJKBEELD_GEMEENTE": "GM0150"}


def test_services_env_files_and_nginx_agree():
    site = SITE.read_text()
    for name, audience in (("staff", "staff"), ("public", "public")):
        env = env_file(name)
        assert env["WIJKBEELD_AUDIENCE"] == audience and env["WIJKBEELD_HOST"] == "127.0.0.1"
        assert env["WIJKBEELD_DATA_DIR"] == "/var/lib/wijkbeeld"
        assert env["WIJKBEELD_TRUSTED_PROXIES"] == "127.0.0.1"
        upstream = re.search(rf"upstream wijkbeeld_{name} \{{\s*server ([^;]+);", site).group(1)
        assert upstream == f"127.0.0.1:{env['WIJKBEELD_PORT']}"
        service = unit(f"wijkbeeld-{name}.service")
        assert f"EnvironmentFile=/etc/wijkbeeld/{name}.env" in service
        assert re.search(r"^ExecStart=/opt/wijkbeeld/venv/bin/wijkbeeld serve( --public)?$", service, re.M)
        assert ("--public" in service) == (name == "public")
        assert f"WIJKBEELD_RUNTIME_DIR=/run/wijkbeeld-{name}" in service
        assert f"RuntimeDirectory=wijkbeeld-{name}" in service


def test_only_the_update_jobs_may_write_the_data_directory():
    """The services read it; the staff service may write the wijkagenda store only (its editors' changes), the
    update and agenda-publish jobs all of it."""
    for name in ("staff", "public"):
        service = unit(f"wijkbeeld-{name}.service")
        assert "ProtectSystem=strict" in service and "ReadOnlyPaths=/var/lib/wijkbeeld" in service
        writable = re.findall(r"^ReadWritePaths=(.*)$", service, re.M)
        assert writable == (["-/var/lib/wijkbeeld/wijkagenda"] if name == "staff" else [])
        assert "NoNewPrivileges=yes" in service
    agenda = unit("wijkbeeld-agenda.service")
    assert "ReadWritePaths=/var/lib/wijkbeeld" in agenda and "User=wijkbeeld" in agenda
    assert re.search(r"^ExecStart=/opt/wijkbeeld/venv/bin/wijkbeeld publish --agenda-only$", agenda, re.M)
    assert "OnUnitActiveSec=30s" in unit("wijkbeeld-agenda.timer")
    update = unit("wijkbeeld-update.service")
    assert "ProtectSystem=strict" in update and "ReadWritePaths=/var/lib/wijkbeeld" in update
    assert "ExecStart=/etc/wijkbeeld/update.sh" in update and "User=wijkbeeld" in update
    timer = unit("wijkbeeld-update.timer")        # starts the service of its own name
    assert "OnCalendar=" in timer and "Persistent=true" in timer and "Unit=" not in timer


def test_the_example_settings_are_what_the_app_accepts(tmp_path):
    """The env files as the services read them (a real users file in place of /etc/wijkbeeld/users.txt)."""
    from dashboard.auth import hash_password
    from dashboard.settings import Settings

    users = tmp_path / "users.txt"
    users.write_text(f"anna:{hash_password('een-heel-lang-wachtwoord')}\n")
    for name in ("staff", "public"):
        env = env_file(name)
        if "WIJKBEELD_USERS_FILE" in env:
            env["WIJKBEELD_USERS_FILE"] = str(users)
        settings = Settings.from_env(env)
        assert settings.audience == name and settings.port == int(env["WIJKBEELD_PORT"])
        assert [str(n) for n in settings.trusted_proxies] == ["127.0.0.1/32"]
        assert settings.login == ("basic" if name == "staff" else None)
