"""Small builders for catalog rows, for tests that need a device without the shipped files."""

from itertools import count

from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from catalog.models import Account, Device, Document, Manufacturer, PinAssignment, Port, Source

_serial = count(1)


def source(section: str = "Test section") -> Source:
    document, _ = Document.objects.get_or_create(key="test-document.txt", defaults={"title": "Test document"})
    return Source.objects.get_or_create(document=document, section=section)[0]


def manufacturer(name: str | None = None) -> Manufacturer:
    n = next(_serial)
    name = name or f"Maker {n}"
    return Manufacturer.objects.create(slug=f"maker-{n}", name=name)


def device(*, kind: str = "battery", maker: Manufacturer | None = None, model: str | None = None, **fields) -> Device:
    n = next(_serial)
    maker = maker or manufacturer()
    fields.setdefault("voltage_class", "lv")
    fields.setdefault("slug", f"device-{n}")
    return Device.objects.create(manufacturer=maker, kind=kind, model=model or f"Model {n}", source=source(), **fields)


def port(*, on: Device | None = None, name: str = "CAN", pins: dict[int, str] | None = None, **fields) -> Port:
    fields.setdefault("connector", "rj45")
    fields.setdefault("positions", 8)
    fields.setdefault("role", "inverter_link")
    fields.setdefault("buses", ["can"])
    created = Port.objects.create(device=on or device(), name=name, source=source(), **fields)
    for position, signal in (pins or {}).items():
        PinAssignment.objects.create(port=created, position=position, signal=signal, source=created.source)
    return created


def api_client(token: str | None = None) -> APIClient:
    """A REST client, authenticated with the token when one is given."""
    client = APIClient()
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def account(name: str, kind: str, *manufacturers: str) -> Account:
    """A partner account, with the manufacturers (slugs) it may edit."""
    created = Account.objects.create(name=name, kind=kind)
    created.manufacturers.set(Manufacturer.objects.filter(slug__in=manufacturers))
    return created


def admin_user(username: str, kind: str | None = None, *manufacturers: str):
    """A staff user of the admin, in a new account of ``kind`` (none: the team)."""
    user = get_user_model().objects.create_user(username, password="a-long-password-1", is_staff=True)
    if kind:
        account(f"{username} account", kind, *manufacturers).users.add(user)
    return user
