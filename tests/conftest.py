import os
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.utils import timezone, translation

from catalog.importing import catalog_import
from catalog.models import Account
from catalog.rules import TEAM_ACTOR
from catalog.tokens import api_token_create
from configurator.services import catalog_cache_clear
from configurator.verdict_matrix import matrix_refresh
from tests import factories

PROJECT_DIR = Path(__file__).resolve().parent.parent
FIXTURES_DIR = PROJECT_DIR / "fixtures"
SHIPPED_DEVICE_FILES = sorted((FIXTURES_DIR / "devices").rglob("*.yaml"))
SHIPPED_PAIRING_FILES = sorted((FIXTURES_DIR / "pairings").glob("*.yaml"))


def pg_script(*args: str, data_root: Path, port: str) -> subprocess.CompletedProcess:
    """scripts/pg.sh on a cluster of the caller's own: its data under ``data_root``, the test instance on ``port``."""
    env = {**os.environ, "PG_DATA_ROOT": str(data_root), "PG_TEST_PORT": port}
    script = PROJECT_DIR / "scripts" / "pg.sh"
    return subprocess.run([str(script), *args], env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="session", autouse=True)
def versions_read_per_request():
    """Every request reads the catalog version itself (configurator.version_watch): a test commits an edit and asks
    at once, in the same thread, which would race the database's notification. tests/configurator/
    test_version_watch.py turns notifications on."""
    from django.conf import settings

    settings.VERSION_NOTIFICATIONS = False


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the shipped catalog once into the test database; every test's changes are rolled back after it."""
    with django_db_blocker.unblock():
        catalog_import(paths=[FIXTURES_DIR], actor=TEAM_ACTOR)


@pytest.fixture
def shipped_catalog(db):
    """The shipped catalog from fixtures/, as every test sees it (loaded once per test session)."""


@pytest.fixture
def committed_catalog(transactional_db):
    """The shipped catalog, committed, for tests that need real commits (the live server, the catalog version);
    transactional tests empty the tables after each test.

    The tables were just emptied and filled again: ANALYZE gives the planner their real sizes. Planned on the
    statistics of the emptied tables, a many-join prefetch can take a cross-join plan that runs for minutes."""
    catalog_import(paths=[FIXTURES_DIR], actor=TEAM_ACTOR)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    matrix_refresh()  # as the worker does after the import's commit


@pytest.fixture
def empty_catalog(db):
    """No catalog rows, for this test only: the TRUNCATE is rolled back with the test's transaction."""
    tables = ", ".join(model._meta.db_table for model in apps.get_app_config("catalog").get_models())
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} CASCADE")


@pytest.fixture(autouse=True)
def fresh_cache():
    """Request rates, cached sheets and cached catalog reads start from zero in every test."""
    cache.clear()
    catalog_cache_clear()
    yield
    cache.clear()
    catalog_cache_clear()


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language: a request's LocaleMiddleware activates the language it picks in
    the test's thread and leaves it active after the response, where the next test's sentences would be worded."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def tokens(shipped_catalog) -> dict[str, str | None]:
    """An API token per role. The distributor may edit WeCo (its devices: weco-*), not Pylontech."""
    distributor = factories.account("WeCo distribution", Account.Kind.DISTRIBUTOR, "weco")
    expired = timezone.now() - timedelta(days=1)
    return {
        "anonymous": None,
        "read_only": api_token_create(account=distributor, name="reports", read_only=True)[1],
        "partner": api_token_create(account=factories.account("Shop", Account.Kind.PARTNER), name="shop")[1],
        "distributor": api_token_create(account=distributor, name="pim")[1],
        "expired": api_token_create(account=distributor, name="old", expires_at=expired)[1],
        "staff": api_token_create(account=factories.account("Team", Account.Kind.STAFF), name="ops")[1],
    }
