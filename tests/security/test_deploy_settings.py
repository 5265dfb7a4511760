"""The production settings as documented pass `check --deploy --fail-level WARNING` as shipped: the environment of
compose.yaml (with its defaults) and of the README's `docker run`. HTTPS redirect spares the health probes, which a
load balancer calls over plain HTTP."""

import os
import re
import secrets
import subprocess
import sys

import pytest
import yaml

from tests.conftest import PROJECT_DIR


def check_deploy(environment: dict[str, str]):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "API_", "SHEET_"))}
    env.update(environment)
    env["DATABASE_URL"] = os.environ["DATABASE_URL"]  # the same settings, a database this machine has
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
    )


def compose_environment() -> dict[str, str]:
    service = yaml.safe_load((PROJECT_DIR / "compose.yaml").read_text())["services"]["web"]
    values = {}
    for name, value in service["environment"].items():
        default = re.fullmatch(r"\$\{\w+:-(.*)\}", str(value))
        values[name] = default[1] if default else str(value)
    values["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    return values


def readme_environment() -> dict[str, str]:
    readme = (PROJECT_DIR / "README.md").read_text()
    command = re.search(r"docker run -p 8000:8000 \\\n(.*?)\n  configurator\n", readme, re.S)[1]
    values = dict(re.findall(r"-e (\w+)=(\S+)", command))
    values["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    return values


@pytest.mark.parametrize("documented", [compose_environment, readme_environment], ids=["compose", "readme"])
def test_the_documented_production_settings_pass_check_deploy(documented):
    environment = documented()
    assert "DJANGO_SECURE_HSTS_PRELOAD" not in environment  # preload stays the deployer's own commitment
    result = check_deploy(environment)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "status"), [("/livez", 200), ("/healthz", 200), ("/", 301), ("/api/v1/devices/", 301)]
)
def test_https_redirect_spares_the_health_probes(client, settings, path, status):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(path).status_code == status
