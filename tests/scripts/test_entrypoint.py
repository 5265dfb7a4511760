"""The container entry point, run outside a container: it migrates, then runs the given command."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from tests.conftest import PROJECT_DIR


@pytest.mark.slow
def test_entrypoint_migrates_then_runs_the_command():
    url = os.environ["DATABASE_URL"]
    scratch = "entrypoint_check"
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {scratch}")
        conn.execute(f"CREATE DATABASE {scratch}")
    try:
        # In the image `python` is the interpreter that has the project installed; here, the virtualenv's.
        env = {
            **os.environ,
            "DATABASE_URL": url.rsplit("/", 1)[0] + f"/{scratch}",
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        }
        result = subprocess.run(
            [str(PROJECT_DIR / "docker" / "entrypoint.sh"), "python", "-c", "print('command ran')"],
            cwd=PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        assert "Applying catalog.0001_initial... OK" in result.stdout
        assert result.stdout.rstrip().endswith("command ran")
        with psycopg.connect(env["DATABASE_URL"]) as conn:
            applied = conn.execute("SELECT count(*) FROM django_migrations WHERE app = 'catalog'").fetchone()[0]
        assert applied == len(list((PROJECT_DIR / "catalog" / "migrations").glob("0*.py")))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)")
