"""Cached catalog reads: a request after a committed catalog change sees the change, whoever made it; a request
that changes nothing costs one query (the catalog's version) instead of a dozen.

These tests commit (transactional_db): the version is raised by the database at commit. They run as the suite
does, with each request reading the version (VERSION_NOTIFICATIONS off; the notified version:
test_version_watch.py).
"""

import psycopg
import pytest
from django.apps import apps
from django.db import InterfaceError, OperationalError, connection, connections, transaction

from catalog.models import (
    CATALOG_FACT_TABLES,
    Account,
    ApiToken,
    CatalogChange,
    CatalogRequest,
    CatalogState,
    Device,
    DocumentedPairing,
    WebhookDelivery,
    WebhookEndpoint,
)
from configurator.services import battery_choices, pair_load
from configurator.verdict_matrix import versions_read
from tests.factories import api_client

pytestmark = pytest.mark.usefixtures("committed_catalog")

PAIR = {"battery": "generic-lfp-bms", "inverter": "victron-color-control"}  # a documented pair
RESULT = "/result/?inverter=victron-color-control&battery=generic-lfp-bms&packs=2"
COMPATIBILITY = {"inverter": "victron-color-control", "battery": "generic-lfp-bms"}


def test_a_repeated_read_costs_one_query_and_returns_the_same_facts(django_assert_num_queries):
    first = pair_load(**PAIR)
    with django_assert_num_queries(1):  # the version
        again = pair_load(**PAIR)
    assert again is first
    battery_choices(inverter="victron-color-control")
    with django_assert_num_queries(1):
        assert battery_choices(inverter="victron-color-control").batteries


def test_the_result_page_costs_one_query_once_the_pair_is_cached(client, django_assert_num_queries):
    assert client.get(RESULT).status_code == 200
    with django_assert_num_queries(1):
        page = client.get(RESULT)
    assert 'data-verdict="documented"' in page.text


def test_an_edit_committed_elsewhere_is_seen_by_the_next_request(client):
    before = versions_read().key
    assert "LFP BMS (rev. 2)" not in client.get(RESULT).text
    Device.objects.filter(slug=PAIR["battery"]).update(model="LFP BMS (rev. 2)")  # autocommit: committed
    assert versions_read().key != before
    assert "LFP BMS (rev. 2)" in client.get(RESULT).text


def test_a_removed_documented_pairing_changes_the_verdict_and_the_compatibility_list(client):
    assert 'data-verdict="documented"' in client.get(RESULT).text
    listed = api_client(None).get("/api/v1/compatibility/", COMPATIBILITY)
    assert listed.json()["results"][0]["verdict"] == "documented"
    DocumentedPairing.objects.filter(battery__slug=PAIR["battery"], inverter__slug=PAIR["inverter"]).delete()
    assert 'data-verdict="documented"' not in client.get(RESULT).text
    listed = api_client(None).get("/api/v1/compatibility/", COMPATIBILITY)
    assert listed.json()["results"][0]["verdict"] != "documented"


def test_a_rolled_back_edit_leaves_the_version_and_the_cached_facts_alone():
    before, cached = versions_read().key, pair_load(**PAIR)
    with transaction.atomic():
        Device.objects.filter(slug=PAIR["battery"]).update(model="Never")
        transaction.set_rollback(True)
    assert versions_read().key == before
    assert pair_load(**PAIR) is cached


def test_one_transaction_raises_the_version_once_at_commit():
    before = CatalogState.objects.get().version
    with transaction.atomic():
        Device.objects.filter(kind="battery").update(is_published=True)
        Device.objects.filter(slug=PAIR["battery"]).update(model="LFP")
        assert CatalogState.objects.get().version == before  # not before the commit
    assert CatalogState.objects.get().version == before + 1


def test_inside_a_transaction_the_cache_is_not_used_so_its_own_writes_are_seen():
    pair_load(**PAIR)
    with transaction.atomic():
        Device.objects.filter(slug=PAIR["battery"]).update(model="LFP draft")
        assert pair_load(**PAIR).battery.model == "LFP draft"
    assert pair_load(**PAIR).battery.model == "LFP draft"


def test_accounts_and_tokens_do_not_raise_the_version():
    before = versions_read().key
    Account.objects.create(name="Shop", kind=Account.Kind.PARTNER)
    assert versions_read().key == before


def test_every_catalog_fact_table_carries_the_version_trigger():
    """A new catalog model must be added to CATALOG_FACT_TABLES and get the trigger (a migration), or results
    cached before its rows changed would be served after."""
    not_facts = {Account, ApiToken, CatalogState, CatalogRequest, Account.users.through, Account.manufacturers.through}
    not_facts |= {CatalogChange, WebhookEndpoint, WebhookDelivery}  # the change feed and the partners' webhooks
    tables = {
        model._meta.db_table
        for model in apps.get_app_config("catalog").get_models(include_auto_created=True)
        if model not in not_facts and not model.__name__.startswith("Historical")
    }
    assert tables == set(CATALOG_FACT_TABLES)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'catalog_state_bump' AND t.tgdeferrable AND t.tginitdeferred"
        )
        triggered = {name for (name,) in cursor.fetchall()}
    assert triggered == tables


def test_the_version_query_stands_in_for_the_health_check_and_survives_a_dropped_connection(client, monkeypatch):
    """The busiest requests' first query (the version) is their connection's health check: a connection the
    database dropped since the last request (a restart) is replaced, and the request answers, in one round trip."""
    assert client.get(RESULT).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    with psycopg.connect(**connection.get_connection_params()) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])  # as a database restart drops it
    connection.health_check_done = False  # what the start of the next request does
    pings = []
    monkeypatch.setattr(type(connections["default"]), "is_usable", lambda self: pings.append(1) or True)
    page = client.get(RESULT)
    assert pings == []  # no separate SELECT 1: the version query was the check
    assert page.status_code == 200
    assert 'data-verdict="documented"' in page.text
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


def test_a_dropped_connection_in_the_middle_of_a_request_is_not_hidden():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    with psycopg.connect(**connection.get_connection_params()) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    with pytest.raises((OperationalError, InterfaceError)):  # not the request's first query: no retry
        versions_read()
    connection.close()
