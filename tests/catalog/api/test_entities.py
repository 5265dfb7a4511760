"""The catalog's other entities through the API: who may write what (catalog.rules, for tokens), the same checks
as the catalog files, the change feed, conditional reads and webhook endpoints."""

import pytest

from catalog.models import Document, DocumentedPairing, Manufacturer, Protocol, WebhookEndpoint
from tests.factories import api_client

pytestmark = pytest.mark.usefixtures("shipped_catalog")

SOURCE = {"document": "002_c222e5cb0cff1dc1.txt", "section": "WECO 5K3 XP"}
PROTOCOL = {"slug": "weco-can-2", "name": "WeCo CAN 2", "bus": "can", "bitrate": 500000, "source": SOURCE}


def test_manufacturers_are_added_by_the_team_only(tokens):
    maker = {"slug": "acme-storage", "name": "ACME Storage", "website": "https://acme.example"}
    refused = api_client(tokens["distributor"]).post("/api/v1/manufacturers/", maker, format="json")
    assert refused.status_code == 403
    assert "Only the team adds manufacturers: ask it to add 'acme-storage'" in refused.json()["error"]["message"]
    assert api_client(tokens["partner"]).post("/api/v1/manufacturers/", maker, format="json").status_code == 403
    created = api_client(tokens["staff"]).post("/api/v1/manufacturers/", maker, format="json")
    assert created.status_code == 201, created.content
    assert Manufacturer.objects.get(slug="acme-storage").website == "https://acme.example"


def test_bad_entities_are_a_400_with_the_field_path_and_change_nothing(tokens):
    staff = api_client(tokens["staff"])
    bad = staff.post("/api/v1/manufacturers/", {"slug": "x y", "name": "", "colour": "red"}, format="json")
    assert bad.status_code == 400
    assert {"colour"} <= set(bad.json()["error"]["fields"])
    url = staff.post("/api/v1/documents/", {"key": "d.pdf", "title": "D", "url": "not a url"}, format="json")
    assert set(url.json()["error"]["fields"]) == {"url"}
    unknown_source = {**PROTOCOL, "source": {"document": "nope.txt", "section": "1"}}
    assert "nope.txt" in str(staff.post("/api/v1/protocols/", unknown_source, format="json").json())
    assert not Document.objects.filter(key="d.pdf").exists()
    assert not Protocol.objects.filter(slug="weco-can-2").exists()


def test_a_distributor_adds_documents_but_changes_no_shared_one(tokens):
    client = api_client(tokens["distributor"])
    added = client.post("/api/v1/documents/", {"key": "weco-2026.pdf", "title": "WeCo 2026"}, format="json")
    assert added.status_code == 201, added.content
    shared = client.patch("/api/v1/documents/002_c222e5cb0cff1dc1.txt/", {"title": "Mine"}, format="json")
    assert shared.status_code == 403
    assert "only the team may change it" in shared.json()["error"]["message"]
    section = client.post("/api/v1/sources/", {"document": "weco-2026.pdf", "section": "3 Wiring"}, format="json")
    assert section.status_code == 201
    assert [s["section"] for s in api_client().get("/api/v1/documents/weco-2026.pdf/").json()["sources"]] == [
        "3 Wiring"
    ]


def test_a_distributors_protocol_is_a_draft_the_team_publishes(tokens):
    distributor, staff = api_client(tokens["distributor"]), api_client(tokens["staff"])
    proposed = distributor.post("/api/v1/protocols/", {**PROTOCOL, "published": True}, format="json")
    assert proposed.status_code == 201, proposed.content
    assert proposed.json()["is_published"] is False
    assert Protocol.objects.get(slug="weco-can-2").proposed_by.name == "WeCo distribution"
    assert api_client().get("/api/v1/protocols/weco-can-2/").status_code == 404  # drafts are not listed
    assert distributor.get("/api/v1/protocols/weco-can-2/").status_code == 200
    assert distributor.patch("/api/v1/protocols/weco-can-2/", {"published": True}, format="json").status_code == 403
    published = staff.patch("/api/v1/protocols/weco-can-2/", {"published": True}, format="json")
    assert published.json()["is_published"] is True
    assert api_client().get("/api/v1/protocols/weco-can-2/").status_code == 200


def _pairing(battery: str, inverter: str = "luxpower-inverter") -> dict:
    return {
        "slug": f"{battery}--{inverter}-api",
        "battery": battery,
        "inverter": inverter,
        "bus": "can",
        "protocol": "pylon-can",
        "documented_by": "battery_maker",
        "source": SOURCE,
    }


def test_a_distributor_writes_pairings_with_its_own_published_device_only(tokens):
    client = api_client(tokens["distributor"])
    own = client.post("/api/v1/pairings/", _pairing("weco-5k3-xp"), format="json")
    assert own.status_code == 201, own.content
    assert own.json()["battery"] == "weco-5k3-xp"
    foreign = client.post("/api/v1/pairings/", _pairing("pylontech-us5000"), format="json")
    assert foreign.status_code == 403
    draft = client.patch("/api/v1/devices/weco-4k4-lt/", {"published": False}, format="json")
    assert draft.status_code == 200
    refused = client.post("/api/v1/pairings/", _pairing("weco-4k4-lt", "megarevo-inverter"), format="json")
    assert refused.status_code == 403
    assert "own published device" in refused.json()["error"]["message"]
    others = DocumentedPairing.objects.exclude(battery__manufacturer__slug="weco").first()
    assert client.delete(f"/api/v1/pairings/{others.slug}/").status_code == 404
    assert client.delete(f"/api/v1/pairings/{own.json()['slug']}/").status_code == 204


def test_aliases_are_listed_added_and_removed(tokens):
    client = api_client(tokens["distributor"])
    assert client.post("/api/v1/devices/weco-5k3-xp/aliases/", {"alias": "5K3XP"}, format="json").status_code == 200
    assert "5K3XP" in api_client().get("/api/v1/devices/weco-5k3-xp/aliases/").json()["aliases"]
    assert client.delete("/api/v1/devices/weco-5k3-xp/aliases/5K3XP/").status_code == 200
    assert "5K3XP" not in api_client().get("/api/v1/devices/weco-5k3-xp/aliases/").json()["aliases"]
    foreign = client.post("/api/v1/devices/pylontech-us5000/aliases/", {"alias": "mine"}, format="json")
    assert foreign.status_code == 404


def test_every_catalog_read_carries_the_version_and_answers_304_until_it_changes(tokens):
    client = api_client()
    first = client.get("/api/v1/manufacturers/")
    assert first["X-Catalog-Version"].isdigit()
    etag = first["ETag"]
    again = client.get("/api/v1/manufacturers/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    # Another caller who may see drafts gets another tag for the same version.
    assert api_client(tokens["distributor"]).get("/api/v1/manufacturers/")["ETag"] != etag


def test_webhook_endpoints_belong_to_their_account_and_refuse_private_targets(tokens, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    partner = api_client(tokens["partner"])
    for url in [
        "http://127.0.0.1:9/",
        "http://10.0.0.8/hook",
        "http://[::1]/",
        "ftp://example.com/",
        "http://localhost/",
    ]:
        refused = partner.post("/api/v1/webhooks/", {"url": url, "events": ["device.changed"]}, format="json")
        assert refused.status_code == 400, url
        assert set(refused.json()["error"]["fields"]) == {"url"}
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    hook = {"url": "http://127.0.0.1:9/", "events": ["device.changed"]}
    created = partner.post("/api/v1/webhooks/", hook, format="json")
    assert created.status_code == 201
    assert api_client(tokens["staff"]).get(f"/api/v1/webhooks/{created.json()['id']}/").status_code == 404
    assert api_client().get("/api/v1/webhooks/").status_code == 401
    read_only = api_client(tokens["read_only"]).post("/api/v1/webhooks/", hook, format="json")
    assert read_only.status_code == 403
    assert WebhookEndpoint.objects.count() == 1


def test_a_pairing_cannot_name_a_draft_protocol(tokens):
    client = api_client(tokens["distributor"])
    assert client.post("/api/v1/protocols/", PROTOCOL, format="json").status_code == 201  # a draft
    refused = client.post("/api/v1/pairings/", {**_pairing("weco-5k3-xp"), "protocol": "weco-can-2"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {
        "protocol": ["protocol 'weco-can-2' is a draft the team has not published yet"]
    }


# The token, the stored entry, the checks against the catalog index, one row written, the answer (each read of a
# device's notes brings their translations in one more query); about 95 when the import walked the nested rows
# again.
PATCH_QUERIES = 62


def test_a_patch_of_the_devices_own_fields_writes_its_row_alone(tokens, django_assert_num_queries):
    """The merged entry is checked whole, but a change that leaves the nested entries alone writes one row: the
    import does not walk the ports, pins, protocols, DIP banks, settings and notes again."""
    from catalog.models import Device, PinAssignment

    client = api_client(tokens["distributor"])
    pins = sorted(PinAssignment.objects.filter(port__device__slug="weco-5k3-xp").values_list("pk", "label"))
    with django_assert_num_queries(PATCH_QUERIES):
        changed = client.patch("/api/v1/devices/weco-5k3-xp/", {"description": "New print"}, format="json")
    assert changed.status_code == 200
    assert Device.objects.get(slug="weco-5k3-xp").description == "New print"
    assert sorted(PinAssignment.objects.filter(port__device__slug="weco-5k3-xp").values_list("pk", "label")) == pins
    refused = client.patch("/api/v1/devices/weco-5k3-xp/", {"kind": "inverter"}, format="json")
    assert refused.status_code == 400  # checked against the ports' roles, as a file would be


def test_a_source_is_corrected_by_the_team_only(tokens):
    from catalog.models import Source

    source = Source.objects.filter(document__key="002_c222e5cb0cff1dc1.txt").first()
    url = f"/api/v1/sources/{source.pk}/"
    refused = api_client(tokens["distributor"]).patch(url, {"page": "12"}, format="json")
    assert refused.status_code == 403
    corrected = api_client(tokens["staff"]).patch(url, {"page": "12"}, format="json")
    assert corrected.status_code == 200
    source.refresh_from_db()
    assert source.page == "12"
