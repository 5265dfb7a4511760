"""The role x write-path matrix for every catalog entity beside the device (test_write_matrix.py): no token role
below the team, and no admin user below it, writes a shared row (manufacturer, document, protocol) or another
maker's documented pairing, by any path: the API's POST, PUT, PATCH and DELETE, the admin's change page, the
file upload and the import command run for an account. Each refusal changes nothing."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from catalog.catalog_files import dump_catalog_file
from catalog.exporting import device_record, document_record, manufacturer_record, pairing_record, protocol_record
from catalog.models import Account, Device, Document, DocumentedPairing, Manufacturer, Protocol
from catalog.querysets import devices_full, pairings_full
from tests import factories

from .test_write_matrix import TOKEN_ROLES

pytestmark = pytest.mark.usefixtures("shipped_catalog")

PAIRING = "pylontech-us5000--solis-s5-eh1p-l"  # neither side is WeCo's, the distributor's maker

ENTITIES = {
    # entity: (API collection, key, model, key field, record, a change)
    "manufacturer": ("manufacturers", "deye", Manufacturer, "slug", manufacturer_record, {"name": "Hijacked"}),
    "document": ("documents", "002_c222e5cb0cff1dc1.txt", Document, "key", document_record, {"title": "Hijacked"}),
    "protocol": ("protocols", "pylon-can", Protocol, "slug", protocol_record, {"name": "Hijacked"}),
    "pairing": ("pairings", PAIRING, DocumentedPairing, "slug", pairing_record, {"documented_by": "inverter_maker"}),
}


def row(entity: str):
    _, key, model, field, _, _ = ENTITIES[entity]
    queryset = model.objects.filter(**{field: key})
    return (pairings_full(queryset) if model is DocumentedPairing else queryset).get()


def state(entity: str) -> tuple:
    current = row(entity)
    return ENTITIES[entity][4](current), current.history.count()


def api_write(entity: str, method: str, client):
    collection, key, _, _, record, change = ENTITIES[entity]
    body = {**record(row(entity)), **change}
    url = f"/api/v1/{collection}/{key}/"
    return {
        "POST": lambda: client.post(f"/api/v1/{collection}/", body, format="json"),
        "PUT": lambda: client.put(url, body, format="json"),
        "PATCH": lambda: client.patch(url, change, format="json"),
        "DELETE": lambda: client.delete(url),
    }[method]()


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("role", ["anonymous", *TOKEN_ROLES])
@pytest.mark.parametrize("entity", list(ENTITIES))
def test_no_api_path_writes_a_shared_row_or_another_makers_pairing(role_token, entity, role, method):
    before = state(entity)
    client = factories.api_client(None if role == "anonymous" else role_token(role))
    response = api_write(entity, method, client)
    assert response.status_code in (400, 401, 403, 404), response.content[:500]
    if response.status_code == 400:  # only a POST under a taken key, refused as such
        assert method == "POST"
        assert "already exists" in str(response.json())
    assert state(entity) == before


@pytest.mark.parametrize("entity", list(ENTITIES))
def test_the_admin_change_page_refuses_a_distributor(client, attacker, entity):
    before = state(entity)
    model = ENTITIES[entity][2]
    client.force_login(attacker)
    url = reverse(f"admin:catalog_{model._meta.model_name}_change", args=[row(entity).pk])
    response = client.post(url, {"name": "Hijacked", "title": "Hijacked"})
    assert response.status_code == 403
    assert state(entity) == before


@pytest.mark.parametrize("entity", ["manufacturer", "document", "protocol"])
def test_the_import_command_for_a_distributor_account_refuses_with_file_and_line(entity, tmp_path, capsys):
    factories.account("WeCo distribution", Account.Kind.DISTRIBUTOR, "weco")
    before = state(entity)
    collection, *_, record, change = ENTITIES[entity]
    path = tmp_path / f"{collection}.yaml"
    path.write_text(dump_catalog_file({collection: [{**record(row(entity)), **change}]}))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_catalog", str(path), "--as-account", "WeCo distribution")
    assert f"{collection}.yaml:" in capsys.readouterr().err
    assert state(entity) == before


def test_the_import_command_for_an_account_names_it_in_the_history(tmp_path):
    account = factories.account("WeCo distribution", Account.Kind.DISTRIBUTOR, "weco")

    device = devices_full(Device.objects.filter(slug="weco-5k3-xp")).get()
    path = tmp_path / "weco.yaml"
    path.write_text(dump_catalog_file({"device": {**device_record(device), "description": "New print"}}))
    call_command("import_catalog", str(path), "--as-account", "WeCo distribution")
    assert Device.history.filter(slug="weco-5k3-xp").latest("history_id").history_account == account
    with pytest.raises(CommandError, match="No partner account"):
        call_command("import_catalog", str(path), "--as-account", "Nobody")
