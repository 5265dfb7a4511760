"""API tokens: shown once, stored as a digest, refused when expired or their account is inactive; created in
the admin or with manage.py create_api_token."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from catalog.models import Account, ApiToken
from catalog.tokens import InvalidToken, api_token_authenticate, api_token_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def account():
    return Account.objects.create(name="Shop", kind=Account.Kind.PARTNER)


def test_only_a_digest_is_stored_and_the_token_authenticates(account):
    row, token = api_token_create(account=account, name="backend")
    assert token.startswith(f"bic_{row.prefix}_")
    assert token not in str(ApiToken.objects.filter(pk=row.pk).values().get())
    assert api_token_authenticate(token) == row
    row.refresh_from_db()
    assert row.last_used_at is not None


@pytest.mark.parametrize("mangle", [lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), lambda t: "bic_x", str.upper])
def test_a_wrong_token_is_refused(account, mangle):
    _row, token = api_token_create(account=account, name="backend")
    with pytest.raises(InvalidToken):
        api_token_authenticate(mangle(token))


def test_expired_tokens_and_inactive_accounts_are_refused(account):
    _row, token = api_token_create(account=account, name="old", expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(InvalidToken, match="expired"):
        api_token_authenticate(token)
    _row, fresh = api_token_create(account=account, name="new")
    Account.objects.filter(pk=account.pk).update(is_active=False)
    with pytest.raises(InvalidToken, match="inactive"):
        api_token_authenticate(fresh)


def test_a_token_made_in_the_admin_is_shown_once(admin_client, account):
    response = admin_client.post(
        reverse("admin:catalog_apitoken_add"),
        {"account": account.pk, "name": "shop backend", "expires_at_0": "", "expires_at_1": ""},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    shown = re.search(r'<code id="new-token">(bic_\S+)</code>', response.text)
    assert shown, response.text[:2000]
    assert shown[1] not in str(response.cookies)  # never in the messages cookie (nor any other)
    assert not list(response.wsgi_request._messages)
    row = ApiToken.objects.get(name="shop backend")
    assert api_token_authenticate(shown[1]) == row
    page = admin_client.get(reverse("admin:catalog_apitoken_change", args=[row.pk]))
    assert shown[1] not in page.text


def test_create_api_token_command_prints_the_token_once(shipped_catalog):
    out, err = StringIO(), StringIO()
    call_command(
        "create_api_token",
        "--account",
        "WeCo distribution",
        "--kind",
        "distributor",
        "--manufacturer",
        "weco",
        "--name",
        "pim",
        "--expires-in-days",
        "30",
        stdout=out,
        stderr=err,
    )
    token = out.getvalue().strip()
    row = api_token_authenticate(token)
    assert row.account.kind == "distributor"
    assert list(row.account.manufacturers.values_list("slug", flat=True)) == ["weco"]
    assert "shown only now" in err.getvalue()
    with pytest.raises(CommandError, match="Unknown manufacturer"):
        call_command("create_api_token", "--account", "X", "--name", "y", "--manufacturer", "nope", stdout=out)
