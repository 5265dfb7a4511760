"""An issued commissioning record changes by no path: not the admin (read-only for everyone, the team included),
not the API (no method writes an issued record), not the database (a trigger refuses UPDATE and DELETE). Nor does
an issued sheet, which only the team sees in the admin."""

import pytest
from django.urls import reverse

from catalog.models import Account
from catalog.tokens import api_token_create
from configurator.domain.commissioning import expected_from
from configurator.models import CommissioningRecord, IssuedSheet
from configurator.records import RecordForm, form_data, record_issue
from configurator.services import configuration_save, saved_sheet_download
from tests import factories

pytestmark = pytest.mark.usefixtures("shipped_catalog")


@pytest.fixture
def record():
    saved = configuration_save(battery="weco-5k3-xp", inverter="solis-rhi-48es-5g")
    data = {**form_data({}, installer="Anna", commissioned_on="2026-12-01"), "confirm": "on"}
    form = RecordForm(data, expected=expected_from(saved.configuration))
    assert form.is_valid(), form.errors
    return record_issue(configuration=saved, form=form, account=factories.account("Portal", Account.Kind.PARTNER))


def state(record) -> tuple:
    fresh = CommissioningRecord.objects.get(pk=record.pk)
    return fresh.installer, fresh.found, fresh.deviations, CommissioningRecord.objects.count()


def test_no_admin_path_changes_or_deletes_an_issued_record(client, superuser, record):
    before = state(record)
    client.force_login(superuser)
    change = reverse("admin:configurator_commissioningrecord_change", args=[record.pk])
    delete = reverse("admin:configurator_commissioningrecord_delete", args=[record.pk])
    assert client.post(change, {"installer": "Mallory"}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"}
    client.post(reverse("admin:configurator_commissioningrecord_changelist"), bulk)
    assert state(record) == before


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_no_api_method_writes_an_issued_record(record, method):
    _row, token = api_token_create(account=record.account, name="portal")
    response = getattr(factories.api_client(token), method)(
        f"/api/v1/records/{record.public_id}/", {"installer": "Mallory"}, format="json"
    )
    assert response.status_code == 405
    assert state(record)[0] == "Anna"


@pytest.mark.parametrize("role", ["distributor", "reviewer", "partner"])
def test_the_workers_tables_are_the_teams_to_read_and_nobodys_to_change(client, role_user, superuser, role):
    """Issued sheets and the matrix's state: the team reads them; no other role sees them; nobody writes them."""
    saved = configuration_save(battery="weco-5k3-xp", inverter="deye-hybrid")
    saved_sheet_download(public_id=saved.public_id, site_root="http://testserver/", client="192.0.2.1")
    sheet = IssuedSheet.objects.get()
    pages = [
        reverse("admin:configurator_issuedsheet_changelist"),
        reverse("admin:configurator_issuedsheet_change", args=[sheet.pk]),
        reverse("admin:configurator_verdictmatrix_changelist"),
    ]
    client.force_login(role_user(role))
    assert [client.get(page).status_code for page in pages] == [403, 403, 403]
    assert "issuedsheet" not in client.get(reverse("admin:index")).text
    client.force_login(superuser)
    assert [client.get(page).status_code for page in pages] == [200, 200, 200]
    delete = reverse("admin:configurator_issuedsheet_delete", args=[sheet.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [sheet.pk], "post": "yes"}
    client.post(reverse("admin:configurator_issuedsheet_changelist"), bulk)
    assert IssuedSheet.objects.filter(pk=sheet.pk).exists()
