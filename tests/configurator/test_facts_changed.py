"""An issued configuration whose catalog facts change: the saved page says so with what changed and a way to issue
a new one; what was issued is not altered. The owning partner is sent the event by the worker (catalog.webhooks)."""

import pytest
from django.db import connection

from catalog.models import Account, Device, WebhookDelivery, WebhookEndpoint
from catalog.webhooks import dispatch
from configurator.models import SavedConfiguration
from configurator.services import catalog_cache_clear, configuration_save, saved_facts_changed
from tests import factories

pytestmark = pytest.mark.usefixtures("committed_catalog")

PAIR = {"battery": "weco-5k3-xp", "inverter": "deye-hybrid"}


def _latest_version() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM catalog_catalogstate")
        return cursor.fetchone()[0]


def test_the_saved_page_says_when_its_facts_changed_and_keeps_what_was_issued(client):
    saved = configuration_save(**PAIR)
    issued = SavedConfiguration.objects.get(pk=saved.pk).result
    page = client.get(f"/c/{saved.public_id}")
    assert "The catalog has changed since this was issued" not in page.text

    port = Device.objects.get(slug="weco-5k3-xp").ports.get(name="CAN")
    port.termination_note = "Fit the terminator on the last pack only (new print)."
    port.save()  # committed: the catalog version and the change feed move on
    catalog_cache_clear()

    changed = saved_facts_changed(saved=saved)
    assert changed is not None
    assert not changed.device_gone
    assert [(c.entity, c.key, c.kind) for c in changed.changes] == [("device", "weco-5k3-xp", "updated")]
    page = client.get(f"/c/{saved.public_id}")
    assert "The catalog has changed since this was issued" in page.text
    assert "<code>weco-5k3-xp</code> updated" in page.text
    assert "/result/?inverter=deye-hybrid&amp;battery=weco-5k3-xp" in page.text  # issue a new one
    assert SavedConfiguration.objects.get(pk=saved.pk).result == issued


def test_the_owning_partner_is_sent_a_facts_changed_event(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    partner = factories.account("Shop", Account.Kind.PARTNER)
    other = factories.account("Other shop", Account.Kind.PARTNER)
    for account in (partner, other):
        WebhookEndpoint.objects.create(
            account=account, url="http://127.0.0.1:9/", events=["configuration.facts_changed"]
        )
    saved = configuration_save(**PAIR, account=partner)  # as the API saves it for the partner's token
    configuration_save(battery="pylontech-us5000", inverter="deye-hybrid", account=partner)

    device = Device.objects.get(slug="weco-5k3-xp")
    device.description = "Reprinted manual"
    device.save()
    assert saved_facts_changed(saved=saved) is None  # the description is no fact the result rests on
    port = device.ports.get(name="CAN")
    port.termination_note = "Changed"
    port.save()
    catalog_cache_clear()
    dispatch(_latest_version())
    events = WebhookDelivery.objects.filter(event="configuration.facts_changed")
    assert [(d.endpoint.account, d.payload["data"]["configuration"]) for d in events] == [(partner, saved.public_id)]


def test_a_configuration_saved_with_a_token_belongs_to_its_account():
    from catalog.tokens import api_token_create
    from tests.factories import api_client

    partner = factories.account("Shop", Account.Kind.PARTNER)
    client = api_client(api_token_create(account=partner, name="shop")[1])
    created = client.post("/api/v1/configurations/", PAIR, format="json")
    assert created.status_code == 201
    assert SavedConfiguration.objects.get(public_id=created.json()["id"]).account == partner
    anonymous = api_client().post("/api/v1/configurations/", PAIR, format="json")
    assert SavedConfiguration.objects.get(public_id=anonymous.json()["id"]).account is None
