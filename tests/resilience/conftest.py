"""The fault runs' site: a PostgreSQL cluster of their own (they stop and start it), migrated and loaded with
the shipped catalog, and gunicorn serving it on 127.0.0.1 as the Dockerfile runs it. Run with
`make test-resilience`; `make test` leaves these tests out (they take a few minutes)."""

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.server import gunicorn
from tests.conftest import PROJECT_DIR, pg_script

PG_PORT = os.environ.get("RESILIENCE_PG_PORT", "25434")
APP_PORT = int(os.environ.get("RESILIENCE_APP_PORT", "8093"))


@dataclass
class Cluster:
    """A throwaway cluster run by scripts/pg.sh under its own folder and port."""

    data_root: Path

    def _pg(self, command: str) -> str:
        done = pg_script(command, "test", data_root=self.data_root, port=PG_PORT)
        if done.returncode:
            raise RuntimeError(f"pg.sh {command} failed: {done.stderr}")
        return done.stdout.strip()

    def start(self) -> str:
        return self._pg("start")

    def stop(self) -> None:
        self._pg("stop")


def manage(*args: str, database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url}
    subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT_DIR, env=env, check=True, capture_output=True)


@pytest.fixture(scope="session")
def cluster(tmp_path_factory):
    cluster = Cluster(tmp_path_factory.mktemp("resilience-pg"))
    url = cluster.start()  # the app role's URL; migrations run as the owner role
    try:
        manage("migrate", "--noinput", database_url=url.replace("://configurator@", "://configurator_owner@"))
        manage("import_catalog", database_url=url)
        yield cluster, url
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def server(cluster):
    _, url = cluster
    env = {
        "DATABASE_URL": url,
        "API_ANONYMOUS_RATE": "100000000/minute",
        "SHEET_RENDER_RATE": "100000000/minute",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
    }
    with gunicorn(port=APP_PORT, env=env) as server:
        yield server
