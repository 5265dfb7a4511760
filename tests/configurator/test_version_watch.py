"""Each process knows the catalog's version between the database's notifications: no query per request, a change
committed anywhere seen once its notification arrives, and a read per request again whenever nothing listens.

These tests commit (transactional_db): notifications are sent at commit. "Elsewhere" is a connection of the test's
own, as another host's would be.
"""

import time

import psycopg
import pytest
from django.db import connection

from catalog.models import Device
from configurator import version_watch
from configurator.verdict_matrix import matrix_refresh, versions, versions_read, versions_stop_listening
from configurator.version_watch import VersionWatch

pytestmark = pytest.mark.usefixtures("committed_catalog")

RESULT = "/result/?inverter=victron-color-control&battery=generic-lfp-bms&packs=2"


@pytest.fixture
def notifications(settings, monkeypatch):
    """The pages' own watch listening, and not reading again on its own in a test's time."""
    settings.VERSION_NOTIFICATIONS = True
    monkeypatch.setattr(version_watch, "REVALIDATE_SECONDS", 3600)
    versions_stop_listening()  # the process's own, which the pages use
    yield
    versions_stop_listening()  # a listening connection would keep the test database from being dropped


@pytest.fixture
def watch(notifications):
    """A watch of its own, counting its reads."""
    reads = []
    watch = VersionWatch(lambda: reads.append(1) or versions_read())
    watch.reads = reads
    yield watch
    watch.close()


def elsewhere(sql: str, params=()) -> None:
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
        other.execute(sql, params)


def until(condition, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "no notification arrived"
        time.sleep(0.005)


def test_a_kept_page_costs_no_query_while_the_catalog_does_not_change(client, notifications):
    assert client.get(RESULT).status_code == 200
    connection.close()  # the page opens no connection of its own, so none can be counted on
    for _ in range(3):
        page = client.get(RESULT)
        assert 'data-verdict="documented"' in page.text
    assert connection.connection is None


def test_an_edit_committed_elsewhere_is_read_once_when_its_notification_arrives(watch):
    before = watch.get()
    assert watch.reads == [1]
    for _ in range(5):
        assert watch.get() is before  # nothing notified: nothing read
    assert watch.reads == [1]
    elsewhere("UPDATE catalog_device SET model = 'LFP BMS (rev. 2)' WHERE slug = 'generic-lfp-bms'")
    until(lambda: watch.get().version > before.version)
    assert watch.get().key == versions_read().key
    assert watch.reads == [1, 1]  # one read, for the notification


def test_an_edit_is_seen_by_the_next_page_once_notified(client, notifications):
    assert "LFP BMS (rev. 2)" not in client.get(RESULT).text
    Device.objects.filter(slug="generic-lfp-bms").update(model="LFP BMS (rev. 2)")  # committed
    until(lambda: "LFP BMS (rev. 2)" in client.get(RESULT).text)


def test_a_matrix_refresh_is_notified_too(watch):
    elsewhere("UPDATE catalog_device SET model = 'LFP BMS (rev. 2)' WHERE slug = 'generic-lfp-bms'")
    until(lambda: watch.get().version > watch.get().matrix_version)  # the matrix lags the edit
    matrix_refresh()
    until(lambda: watch.get().matrix_version == watch.get().version)


def test_an_uncommitted_change_is_not_notified(watch):
    before = watch.get()
    with psycopg.connect(**connection.get_connection_params()) as other:  # a transaction, left open
        other.execute("UPDATE catalog_device SET model = 'Draft' WHERE slug = 'generic-lfp-bms'")
        time.sleep(0.2)
        assert watch.get() is before
        other.rollback()
    time.sleep(0.2)
    assert watch.get() is before
    assert watch.reads == [1]


def test_a_dropped_listening_connection_means_a_read_per_request_until_it_is_back(watch, monkeypatch):
    monkeypatch.setattr(version_watch, "RETRY_SECONDS", 0.3)
    watch.get()
    (pid,) = watch.listener.execute("SELECT pg_backend_pid()").fetchone()
    elsewhere("SELECT pg_terminate_backend(%s)", [pid])  # as a database restart drops it
    until(lambda: watch.get() and watch.listener is None)
    reads = len(watch.reads)
    elsewhere("UPDATE catalog_device SET model = 'LFP BMS (rev. 2)' WHERE slug = 'generic-lfp-bms'")
    assert watch.get().key == versions_read().key  # read, not waited for: nothing listens
    assert len(watch.reads) == reads + 1
    time.sleep(0.3)
    watch.get()  # listens again, and reads once more (what changed meanwhile was not heard)
    assert watch.listener is not None
    watch.get()
    assert len(watch.reads) == reads + 2


def test_a_missed_notification_costs_at_most_the_revalidation_interval(watch, monkeypatch):
    before = watch.get()
    watch.listener.execute(f"UNLISTEN {version_watch.CHANNEL}")  # deaf, and its socket does not say so
    elsewhere("UPDATE catalog_device SET model = 'LFP BMS (rev. 2)' WHERE slug = 'generic-lfp-bms'")
    time.sleep(0.2)
    assert watch.get() is before  # not heard
    monkeypatch.setattr(version_watch, "REVALIDATE_SECONDS", 0.3)
    until(lambda: watch.get().version > before.version)


def test_clearing_the_caches_reads_the_versions_again_on_the_same_connection(notifications):
    from configurator.services import catalog_cache_clear
    from configurator.verdict_matrix import _versions

    versions()
    listener = _versions.listener
    catalog_cache_clear()
    assert _versions.read_at == float("-inf")
    assert versions().key == versions_read().key
    assert _versions.listener is listener


def test_without_notifications_every_call_reads(settings):
    settings.VERSION_NOTIFICATIONS = False
    reads = []
    watch = VersionWatch(lambda: reads.append(1) or versions_read())
    watch.get(), watch.get()
    assert reads == [1, 1]
    assert watch.listener is None


def test_the_process_watch_is_what_the_pages_read(notifications):
    assert versions().key == versions_read().key
