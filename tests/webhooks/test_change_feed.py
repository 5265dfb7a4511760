"""The change feed on committed transactions (the database stamps each change with the version its commit raised)."""

import pytest

from catalog.models import Account, CatalogChange, Device
from catalog.tokens import api_token_create
from tests import factories
from tests.factories import api_client

pytestmark = pytest.mark.usefixtures("committed_catalog")


def test_the_change_feed_lists_committed_changes_with_their_author():
    account = factories.account("WeCo distribution", Account.Kind.DISTRIBUTOR, "weco")
    client = api_client(api_token_create(account=account, name="pim")[1])
    start = int(api_client().get("/api/v1/changes/")["X-Catalog-Version"])
    changed = client.patch("/api/v1/devices/weco-5k3-xp/", {"description": "New print"}, format="json")
    assert changed.status_code == 200
    assert int(changed["X-Catalog-Version"]) == start + 1
    feed = api_client().get("/api/v1/changes/", {"since": start}).json()
    assert [(c["entity"], c["key"], c["kind"], c["account"]) for c in feed["results"]] == [
        ("device", "weco-5k3-xp", "updated", "WeCo distribution")
    ]
    assert feed["results"][0]["version"] == start + 1
    assert CatalogChange.objects.get(version=start + 1).account == account
    latest = Device.history.filter(slug="weco-5k3-xp").latest("history_id")
    assert latest.history_account == account  # the row history names the token's account too
    assert api_client().get("/api/v1/changes/", {"since": start + 1}).json()["results"] == []
    assert api_client().get("/api/v1/changes/", {"since": "0.5"}).status_code == 400


def test_a_rolled_back_write_leaves_no_change_and_a_draft_is_not_shown_to_everyone():
    account = factories.account("WeCo distribution", Account.Kind.DISTRIBUTOR, "weco")
    client = api_client(api_token_create(account=account, name="pim")[1])
    start = int(api_client().get("/api/v1/changes/")["X-Catalog-Version"])
    bad = client.patch("/api/v1/devices/weco-5k3-xp/", {"kind": "toaster"}, format="json")
    assert bad.status_code == 400
    assert not CatalogChange.objects.filter(version__gt=start).exists()
    assert client.patch("/api/v1/devices/weco-4k4-lt/", {"published": False}, format="json").status_code == 200
    assert api_client().get("/api/v1/changes/", {"since": start}).json()["results"] == []
    assert [c["key"] for c in client.get("/api/v1/changes/", {"since": start}).json()["results"]] == ["weco-4k4-lt"]


def test_a_notes_translation_changes_its_device_or_pairing_in_the_feed():
    """A translation is a fact of its note's owner: the feed names the device (or the pairing), and the catalog
    version rises, so no result cached before the translation is served after it."""
    from catalog.exporting import device_record
    from catalog.models import DocumentedPairing, NoteTranslation
    from catalog.querysets import devices_full

    account = factories.account("WeCo distribution", Account.Kind.DISTRIBUTOR, "weco")
    client = api_client(api_token_create(account=account, name="pim")[1])
    start = int(api_client().get("/api/v1/changes/")["X-Catalog-Version"])
    notes = device_record(devices_full(Device.objects.filter(slug="weco-5k3-xp")).get())["notes"]
    notes[0]["translations"]["de"] = "Neu übersetzt."
    changed = client.patch("/api/v1/devices/weco-5k3-xp/", {"notes": notes}, format="json")
    assert changed.status_code == 200, changed.json()
    assert int(changed["X-Catalog-Version"]) == start + 1

    pairing = DocumentedPairing.objects.filter(catalog_notes__isnull=False).first()
    NoteTranslation.objects.create(note=pairing.catalog_notes.first(), language="it", text="Tradotta.")
    feed = api_client().get("/api/v1/changes/", {"since": start}).json()["results"]
    assert [(c["entity"], c["key"], c["version"]) for c in feed] == [
        ("device", "weco-5k3-xp", start + 1),
        ("pairing", pairing.slug, start + 2),
    ]
    assert feed[0]["account"] == "WeCo distribution"
