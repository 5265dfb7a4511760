"""Settings come from the environment; production refuses to start without its secrets."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from configurator.env import env_bool, parse_database_url
from tests.conftest import PROJECT_DIR


def run_django_check(**env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=PROJECT_DIR, env=environment, capture_output=True, text=True
    )


def test_production_without_secret_key_fails_with_a_clear_message():
    result = run_django_check(DJANGO_DEBUG="false", DATABASE_URL="postgres://u@127.0.0.1:5432/x")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_without_database_url_fails_with_a_clear_message():
    result = run_django_check(DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DATABASE_URL is not set" in result.stderr


def test_production_without_redis_url_fails_with_a_clear_message():
    """Without a shared cache each process would keep its own rate counts and sheets: production refuses."""
    result = run_django_check(
        DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 50, DATABASE_URL="postgres://u@127.0.0.1:5432/x"
    )
    assert result.returncode != 0
    assert "REDIS_URL is not set" in result.stderr


def test_debug_has_local_defaults():
    result = run_django_check(DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stderr


def test_database_url_is_parsed():
    parsed = parse_database_url("postgres://app:s%40cret@db.example:5433/configurator?sslmode=require")
    assert parsed["ENGINE"] == "django.db.backends.postgresql"
    assert (parsed["USER"], parsed["PASSWORD"], parsed["HOST"], parsed["PORT"], parsed["NAME"]) == (
        "app",
        "s@cret",
        "db.example",
        "5433",
        "configurator",
    )
    assert parsed["OPTIONS"] == {"sslmode": "require"}


@pytest.mark.parametrize("url", ["sqlite:///db.sqlite3", "mysql://u@h/db", "postgres://u@h:5432/"])
def test_only_postgresql_urls_with_a_database_are_accepted(url):
    with pytest.raises(ImproperlyConfigured):
        parse_database_url(url)


def test_env_bool_refuses_nonsense(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be one of"):
        env_bool("FLAG")
