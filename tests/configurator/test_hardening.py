"""Production hardening: `check --deploy` is clean with production settings, every page carries a strict
Content-Security-Policy and the security headers, every request is logged once with its request id, and a lost
database is a 503."""

import logging
import os
import secrets
import subprocess
import sys

import pytest
from django.db.utils import OperationalError

from tests.conftest import PROJECT_DIR

pytestmark = pytest.mark.usefixtures("shipped_catalog")


def test_check_deploy_is_clean_with_production_settings():
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="configurator.example.com",
        DJANGO_BEHIND_TLS_PROXY="true",
        DJANGO_SECURE_SSL_REDIRECT="true",
        DJANGO_SECURE_HSTS_SECONDS="31536000",
        DJANGO_SECURE_HSTS_PRELOAD="true",
        DATABASE_URL=os.environ["DATABASE_URL"],
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "path", ["/", "/result/?inverter=deye-hybrid&battery=weco-5k3-xp", "/api/v1/devices/", "/admin/login/"]
)
def test_every_page_has_a_strict_content_security_policy_and_security_headers(client, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_each_request_is_logged_once_with_its_id(client, caplog):
    with caplog.at_level(logging.INFO, logger="configurator.requests"):
        response = client.get("/battery/", {"inverter": "deye-hybrid"}, HTTP_X_REQUEST_ID="support-ticket-42")
    assert response["X-Request-ID"] == "support-ticket-42"
    (record,) = [r for r in caplog.records if r.name == "configurator.requests"]
    assert record.request_id == "support-ticket-42"
    assert record.status == 200
    assert record.path == "/battery/"
    assert record.duration_ms >= 0
    assert "status=200" in record.getMessage()


def test_a_request_id_that_is_not_safe_to_log_is_replaced(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\\nwith newline")
    assert response["X-Request-ID"] != "bad id\\nwith newline"
    assert len(response["X-Request-ID"]) == 32


def _database_gone(**_kwargs):
    raise OperationalError('connection failed: connection to server at "127.0.0.1", port 25432 failed')


def test_a_lost_database_is_a_503_with_retry_after_never_a_server_error(client, monkeypatch, caplog):
    monkeypatch.setattr("configurator.views.pair_load", _database_gone)
    monkeypatch.setattr("configurator.api.battery_page", _database_gone)
    page = client.get("/result/?inverter=deye-hybrid&battery=weco-5k3-xp")
    assert page.status_code == 503
    assert page["Retry-After"] == "5"
    assert "please try again in a few seconds" in page.text
    api = client.get("/api/v1/compatibility/?inverter=deye-hybrid")
    assert api.status_code == 503
    assert api.json()["error"]["code"] == "database_unavailable"
    assert "database unavailable: connection failed" in caplog.text


@pytest.fixture
def cache_gone(settings):
    """The shared cache's address with nothing listening on it: every cache call fails to connect."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


def test_a_lost_cache_is_a_503_with_retry_after_never_a_server_error(client, shipped_catalog, cache_gone, caplog):
    api = client.get("/api/v1/compatibility/?inverter=deye-hybrid")  # the rate limit counts in the cache
    assert api.status_code == 503
    assert api["Retry-After"] == "5"
    assert api.json()["error"]["code"] == "cache_unavailable"
    assert "cache unavailable" in caplog.text


def test_healthz_names_the_cache_when_it_does_not_answer(client, cache_gone):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "unavailable"}
