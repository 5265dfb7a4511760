from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection

from catalog.services import catalog_import

PROJECT_DIR = Path(__file__).resolve().parent.parent
FIXTURES_DIR = PROJECT_DIR / "fixtures"
SHIPPED_DEVICE_FILES = sorted((FIXTURES_DIR / "devices").rglob("*.yaml"))
SHIPPED_PAIRING_FILES = sorted((FIXTURES_DIR / "pairings").glob("*.yaml"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the shipped catalog once into the test database; every test's changes are rolled back after it."""
    with django_db_blocker.unblock():
        catalog_import(paths=[FIXTURES_DIR])


@pytest.fixture
def shipped_catalog(db):
    """The shipped catalog from fixtures/, as every test sees it (loaded once per test session)."""


@pytest.fixture
def empty_catalog(db):
    """No catalog rows, for this test only: the TRUNCATE is rolled back with the test's transaction."""
    tables = ", ".join(model._meta.db_table for model in apps.get_app_config("catalog").get_models())
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} CASCADE")
