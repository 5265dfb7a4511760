"""Real services of their own for the opt-in server suites (tests/resilience, tests/scaleout): a PostgreSQL cluster
and a Redis instance run by the project's scripts under a temporary folder and their own ports, and manage.py
commands against them. Everything started here is stopped by its owner, by PID."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import PROJECT_DIR, pg_script


@dataclass
class Cluster:
    """A throwaway cluster run by scripts/pg.sh under its own folder and port."""

    data_root: Path
    port: str

    def _pg(self, command: str) -> str:
        done = pg_script(command, "test", data_root=self.data_root, port=self.port)
        if done.returncode:
            raise RuntimeError(f"pg.sh {command} failed: {done.stderr}")
        return done.stdout.strip()

    def start(self) -> str:
        """Start it; the app role's DATABASE_URL."""
        return self._pg("start")

    def stop(self) -> None:
        self._pg("stop")


@dataclass
class Redis:
    """A Redis instance run by scripts/redis.sh under its own folder and port."""

    data_root: Path
    port: str

    def _redis(self, command: str) -> str:
        env = {**os.environ, "REDIS_DATA_ROOT": str(self.data_root), "REDIS_TEST_PORT": self.port}
        script = PROJECT_DIR / "scripts" / "redis.sh"
        done = subprocess.run([str(script), command, "test"], env=env, capture_output=True, text=True, timeout=60)
        if done.returncode:
            raise RuntimeError(f"redis.sh {command} failed: {done.stderr}")
        return done.stdout.strip()

    def start(self) -> str:
        """Start it; its REDIS_URL."""
        return self._redis("start")

    def stop(self) -> None:
        self._redis("stop")


def manage(*args: str, database_url: str, env: dict[str, str] | None = None) -> str:
    """Run a manage.py command against ``database_url``; its output. Raises with its error output on failure."""
    environment = {**os.environ, **(env or {}), "DATABASE_URL": database_url}
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT_DIR, env=environment, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def owner_url(app_url: str) -> str:
    """The owner role's URL of a cluster (migrations run as it), from the app role's."""
    return app_url.replace("://configurator@", "://configurator_owner@")
