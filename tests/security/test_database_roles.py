"""An issued configuration cannot be rewritten or deleted, whoever asks: the application connects as a role that
owns nothing (scripts/pg.sh creates it; README, "Database roles"), so it cannot disable the guard triggers, change
the table or act as a replica; the database refuses UPDATE and DELETE; the admin offers no delete."""

import os

import psycopg
import pytest
from django.db import connection
from django.urls import reverse

from configurator.models import SavedConfiguration
from tests import factories


@pytest.fixture
def issued(committed_catalog):
    response = factories.api_client().post(
        "/api/v1/configurations/", {"inverter": "victron-color-control", "battery": "generic-lfp-bms"}, format="json"
    )
    return response.json()["id"]


@pytest.fixture
def as_app_role():
    """A connection to the test database as the application's role."""
    app_url = os.environ.get("DATABASE_APP_URL")
    if not app_url:
        pytest.fail("DATABASE_APP_URL is not set: run the suite with `make test`")
    url = app_url.rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"]
    with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
        yield conn


TABLE = "configurator_savedconfiguration"


@pytest.mark.parametrize(
    ("statement", "refusal"),
    [
        (
            "UPDATE configurator_savedconfiguration SET site = '{}' WHERE public_id = %s",
            psycopg.errors.RestrictViolation,
        ),
        ("DELETE FROM configurator_savedconfiguration WHERE public_id = %s", psycopg.errors.RestrictViolation),
        (f"ALTER TABLE {TABLE} DISABLE TRIGGER ALL", psycopg.errors.InsufficientPrivilege),
        (f"TRUNCATE {TABLE}", psycopg.errors.InsufficientPrivilege),
        ("SET session_replication_role = replica", psycopg.errors.InsufficientPrivilege),
        (f"DROP TABLE {TABLE}", psycopg.errors.InsufficientPrivilege),
    ],
)
def test_the_app_role_cannot_rewrite_an_issued_configuration(issued, as_app_role, statement, refusal):
    before = SavedConfiguration.objects.get(public_id=issued).result
    with pytest.raises(refusal):
        as_app_role.execute(statement, [issued] if "%s" in statement else None)
    assert SavedConfiguration.objects.get(public_id=issued).result == before


def test_the_app_role_is_no_superuser_and_owns_nothing(as_app_role):
    row = as_app_role.execute("SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user")
    assert row.fetchone() == (False, False, False)
    owned = as_app_role.execute(
        "SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)"
    )
    assert owned.fetchone() == (0,)


def test_the_app_role_reads_and_writes_catalog_rows(committed_catalog, as_app_role):
    as_app_role.execute("UPDATE catalog_device SET description = description WHERE slug = 'deye-hybrid'")
    assert as_app_role.execute("SELECT count(*) FROM catalog_device").fetchone()[0] > 50


def test_the_admin_cannot_delete_an_issued_configuration(issued, client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password="a-long-password-1"))
    saved = SavedConfiguration.objects.get(public_id=issued)
    assert (
        client.post(
            reverse("admin:configurator_savedconfiguration_delete", args=[saved.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert SavedConfiguration.objects.filter(pk=saved.pk).exists()


@pytest.mark.django_db
def test_the_database_refuses_deleting_through_django_too(shipped_catalog):
    from django.db import IntegrityError, transaction

    response = factories.api_client().post(
        "/api/v1/configurations/", {"inverter": "victron-color-control", "battery": "generic-lfp-bms"}, format="json"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        SavedConfiguration.objects.filter(public_id=response.json()["id"]).delete()
