"""Who sees drafts and who has rights: only distributors (their makers') and the team see unpublished devices; a
partner or reviewer linked to a maker does not; the users of a deactivated distributor account have no catalog
rights at all (they do not fall back to the team's); a new API token is shown in the page, never in a cookie."""

import re

import pytest
from django.urls import reverse

from catalog.models import Account, ApiToken, Device
from catalog.tokens import api_token_create
from tests import factories

pytestmark = pytest.mark.usefixtures("shipped_catalog")


@pytest.fixture
def draft():
    device = Device.objects.get(slug="weco-5k3-xp")
    device.is_published = False
    device.save()
    return device


@pytest.mark.parametrize(
    ("kind", "read_only", "sees"),
    [
        (Account.Kind.PARTNER, False, False),
        (Account.Kind.REVIEWER, False, False),
        (Account.Kind.DISTRIBUTOR, False, True),
        (Account.Kind.DISTRIBUTOR, True, True),
        (Account.Kind.STAFF, False, True),
    ],
)
def test_drafts_are_seen_by_their_distributor_and_the_team_only(draft, kind, read_only, sees):
    account = factories.account(f"{kind} account", kind, "weco")
    token = api_token_create(account=account, name="t", read_only=read_only)[1]
    api = factories.api_client(token)
    listed = {row["slug"] for row in api.get("/api/v1/devices/", {"page_size": 200}).json()["results"]}
    assert (draft.slug in listed) is sees
    assert api.get(f"/api/v1/devices/{draft.slug}/").status_code == (200 if sees else 404)


def test_a_distributor_does_not_see_another_makers_drafts(draft):
    token = api_token_create(account=factories.account("Pylon", Account.Kind.DISTRIBUTOR, "pylontech"), name="t")[1]
    assert factories.api_client(token).get(f"/api/v1/devices/{draft.slug}/").status_code == 404


def test_users_of_a_deactivated_distributor_account_have_no_rights(client, draft):
    user = factories.admin_user("former", Account.Kind.DISTRIBUTOR, "weco")
    user.catalog_accounts.update(is_active=False)
    client.force_login(user)
    assert client.get(reverse("admin:catalog_device_changelist")).status_code == 403
    assert client.get(reverse("admin:catalog_account_changelist")).status_code == 403
    change = client.post(reverse("admin:catalog_device_change", args=[draft.pk]), {"model": "Mine"})
    assert change.status_code == 403
    assert not Device.objects.filter(model="Mine").exists()


def test_a_new_tokens_plaintext_is_in_the_page_not_in_a_cookie(admin_client):
    account = factories.account("Shop", Account.Kind.PARTNER)
    response = admin_client.post(
        reverse("admin:catalog_apitoken_add"),
        {"account": account.pk, "name": "backend", "expires_at_0": "", "expires_at_1": ""},
    )
    token = re.search(r'<code id="new-token">(\S+)</code>', response.text)[1]
    assert ApiToken.objects.filter(name="backend").exists()
    assert all(token not in morsel.value for morsel in response.cookies.values())
    assert token not in admin_client.get(reverse("admin:catalog_apitoken_changelist")).text
