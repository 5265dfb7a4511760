from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from catalog.models import Account, Manufacturer
from catalog.tokens import api_token_create


@pytest.fixture(autouse=True)
def fresh_rates():
    """Request rates and cached sheets start from zero in every test."""
    cache.clear()
    yield
    cache.clear()


def _account(name: str, kind: str, *manufacturers: str) -> Account:
    account = Account.objects.create(name=name, kind=kind)
    account.manufacturers.set(Manufacturer.objects.filter(slug__in=manufacturers))
    return account


@pytest.fixture
def tokens(shipped_catalog) -> dict[str, str | None]:
    """A token per role. The distributor may edit WeCo (its devices: weco-*), not Pylontech."""
    distributor = _account("WeCo distribution", Account.Kind.DISTRIBUTOR, "weco")
    return {
        "anonymous": None,
        "read_only": api_token_create(account=distributor, name="reports", read_only=True)[1],
        "partner": api_token_create(account=_account("Shop", Account.Kind.PARTNER), name="shop")[1],
        "distributor": api_token_create(account=distributor, name="pim")[1],
        "expired": api_token_create(account=distributor, name="old", expires_at=timezone.now() - timedelta(days=1))[1],
        "staff": api_token_create(account=_account("Team", Account.Kind.STAFF), name="ops")[1],
    }


def client_for(token: str | None) -> APIClient:
    client = APIClient()
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client
