"""Saved configurations and issued sheets in the admin: they can be found and read, never added or edited there;
and the verdict matrix's state."""

import pytest
from django.urls import reverse

from catalog.models import CatalogState
from configurator.models import IssuedSheet, VerdictMatrix
from configurator.services import configuration_save, saved_sheet_download

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


def test_an_issued_sheet_is_listed_with_its_download_and_never_its_bytes(admin_client):
    saved = configuration_save(battery="weco-5k3-xp", inverter="deye-hybrid")
    saved_sheet_download(public_id=saved.public_id, site_root="http://testserver/", client="192.0.2.1")
    sheet = IssuedSheet.objects.get(configuration=saved)

    listing = admin_client.get(reverse("admin:configurator_issuedsheet_changelist"), {"q": saved.public_id})
    assert listing.status_code == 200
    assert saved.public_id in listing.text
    assert "the first download" in listing.text  # who rendered it
    page = admin_client.get(reverse("admin:configurator_issuedsheet_change", args=[sheet.pk]))
    assert f'href="/c/{saved.public_id}/sheet.pdf?paper=a4"' in page.text
    assert "%PDF" not in page.text
    assert 'name="_save"' not in page.text
    delete = reverse("admin:configurator_issuedsheet_delete", args=[sheet.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert IssuedSheet.objects.filter(pk=sheet.pk).exists()


def test_the_matrix_state_says_whether_the_lists_answer_from_a_current_matrix(admin_client):
    catalog = CatalogState.objects.get()
    VerdictMatrix.objects.update_or_create(
        pk=1, defaults={"generation": catalog.generation, "version": catalog.version, "pairs": 800, "seconds": 1.9}
    )
    listing = reverse("admin:configurator_verdictmatrix_changelist")
    assert ">current<" in admin_client.get(listing).text
    VerdictMatrix.objects.filter(pk=1).update(version=catalog.version - 3)
    assert "3 catalog changes behind" in admin_client.get(listing).text
    VerdictMatrix.objects.filter(pk=1).update(generation=None)
    assert "waiting for a full refresh" in admin_client.get(listing).text
    assert admin_client.get(reverse("admin:configurator_verdictmatrix_add")).status_code == 403
