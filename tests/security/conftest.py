"""The attacker's accounts: a WeCo distributor (admin user and API token) who tries to write what is not WeCo's,
and the other roles that may write nothing."""

import pytest
from django.contrib.auth import get_user_model

from catalog.models import Account, Device
from catalog.tokens import api_token_create
from tests import factories

FOREIGN = "pylontech-us5000"  # Pylontech's battery: not the attacker's
OWN = "weco-5k3-xp"


def device_state(slug: str) -> tuple:
    """What a takeover would change: the owner, the kind, the text, the ports and pins."""
    device = Device.objects.get(slug=slug)
    pins = sorted(device.ports.values_list("name", "pin_assignments__position", "pin_assignments__signal"), key=str)
    return (device.manufacturer_id, device.kind, device.model, device.description, device.is_published, pins)


@pytest.fixture
def attacker(shipped_catalog):
    """A WeCo distributor's admin user."""
    return factories.admin_user("weco-attacker", Account.Kind.DISTRIBUTOR, "weco")


@pytest.fixture
def role_user(shipped_catalog):
    """An admin user of each role that must not write another maker's rows."""

    def make(role: str):
        if role == "distributor":
            return factories.admin_user(f"{role}-user", Account.Kind.DISTRIBUTOR, "weco")
        if role == "inactive distributor":
            user = factories.admin_user(f"{role}-user".replace(" ", "-"), Account.Kind.DISTRIBUTOR, "weco")
            user.catalog_accounts.update(is_active=False)
            return user
        if role in ("reviewer", "partner"):
            return factories.admin_user(f"{role}-user", role, "pylontech")
        raise ValueError(role)

    return make


@pytest.fixture
def role_token(shipped_catalog):
    def make(role: str) -> str:
        kind = {"read-only distributor": Account.Kind.DISTRIBUTOR}.get(role, role.split()[-1])
        account = factories.account(f"{role} account", kind, "weco")
        if role.startswith("inactive"):
            account.is_active = False
            account.save()
        return api_token_create(account=account, name="t", read_only=role.startswith("read-only"))[1]

    return make


@pytest.fixture
def superuser(shipped_catalog):
    return get_user_model().objects.create_superuser("root", password="a-long-password-1")


def admin_form_data(page) -> dict:
    """What a browser would post back from an admin change or add page as it was served: the main form's values
    and every inline formset's management form and rows."""
    data = {}

    def put(form):
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False:
                continue
            if value is True:
                data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(item) for item in value] if name != "variants" else ",".join(value)
            else:
                data[key] = str(value)

    put(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{formset.prefix}-{name}"] = str(formset.management_form[name].value())
        for form in formset.forms:
            put(form)
    return data
