"""Saved configurations in the admin: they can be found and read, never added or edited there."""

import pytest
from django.urls import reverse

from configurator.services import configuration_save

pytestmark = pytest.mark.usefixtures("shipped_catalog")


def test_a_saved_configuration_is_listed_and_readable_but_not_editable(admin_client):
    saved = configuration_save(battery="weco-5k3-xp", inverter="deye-hybrid")

    listing = admin_client.get(reverse("admin:configurator_savedconfiguration_changelist"), {"q": saved.public_id})
    assert listing.status_code == 200
    assert saved.public_id in listing.text

    page = admin_client.get(reverse("admin:configurator_savedconfiguration_change", args=[saved.pk]))
    assert page.status_code == 200
    assert "deye-hybrid" in page.text
    assert 'name="_save"' not in page.text

    posted = admin_client.post(
        reverse("admin:configurator_savedconfiguration_change", args=[saved.pk]), {"verdict": "incompatible"}
    )
    assert posted.status_code == 403
    saved.refresh_from_db()
    assert saved.verdict == "documented"
    assert admin_client.get(reverse("admin:configurator_savedconfiguration_add")).status_code == 403
