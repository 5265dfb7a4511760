"""Webhook endpoints in the admin: a partner's user registers and reads its own account's endpoints and
deliveries only; a private target is a form error; the team sees every account's."""

import pytest
from django.urls import reverse

from catalog.models import Account, WebhookDelivery, WebhookEndpoint
from tests import factories

pytestmark = pytest.mark.usefixtures("shipped_catalog")


def test_a_partner_user_registers_its_own_endpoint_and_sees_only_its_own(client, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    user = factories.admin_user("shop-user", Account.Kind.PARTNER)
    own = user.catalog_accounts.get()
    other = factories.account("Other shop", Account.Kind.PARTNER)
    theirs = WebhookEndpoint.objects.create(account=other, url="https://other.example/h", events=["device.changed"])
    WebhookDelivery.objects.create(endpoint=theirs, message_id="msg_1", event="device.changed", payload={})
    client.force_login(user)

    add = reverse("admin:catalog_webhookendpoint_add")
    page = client.get(add)
    assert page.status_code == 200
    assert list(page.context["adminform"].form.fields["account"].queryset) == [own]
    data = {"account": own.pk, "url": "http://10.0.0.5/hook", "events": ["device.changed"], "is_active": "on"}
    data |= {"devices": "", "description": ""}
    data |= {"deliveries-TOTAL_FORMS": 0, "deliveries-INITIAL_FORMS": 0}
    refused = client.post(add, data)
    assert refused.status_code == 200
    assert "webhooks go to public hosts only" in refused.text
    taken = client.post(add, {**data, "account": other.pk, "url": "https://93.184.215.14/hook"})
    assert taken.status_code == 200  # not a choice: a form error
    assert not WebhookEndpoint.objects.filter(account=other).exclude(pk=theirs.pk).exists()
    created = client.post(add, {**data, "url": "https://93.184.215.14/hook"})
    assert created.status_code == 302, created.text[:2000]
    mine = WebhookEndpoint.objects.get(account=own)
    assert mine.secret.startswith("whsec_")

    listed = client.get(reverse("admin:catalog_webhookendpoint_changelist"))
    assert list(listed.context["cl"].queryset) == [mine]
    assert client.get(reverse("admin:catalog_webhookendpoint_change", args=[theirs.pk])).status_code == 302
    deliveries = client.get(reverse("admin:catalog_webhookdelivery_changelist"))
    assert list(deliveries.context["cl"].queryset) == []


def test_the_team_sees_every_accounts_endpoints_and_the_change_feed(client):
    other = factories.account("Other shop", Account.Kind.PARTNER)
    WebhookEndpoint.objects.create(account=other, url="https://other.example/h", events=["device.changed"])
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("root", password="a-long-password-1"))
    team = client.get(reverse("admin:catalog_webhookendpoint_changelist"))
    assert team.status_code == 200
    assert team.context["cl"].queryset.count() == 1
    assert client.get(reverse("admin:catalog_catalogchange_changelist")).status_code == 200
