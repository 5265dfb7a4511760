"""The commissioning record: the installer fills what was found on site against a saved configuration and gets an
issued record (immutable, its own id and QR, a PDF with expected and found side by side and every deviation
marked); a correction is a new revision; bad input issues nothing; distributors read their batteries' records in
the admin and a partner account reads its own through the API."""

import subprocess
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from catalog.models import Account
from catalog.tokens import api_token_create
from configurator.domain import Options
from configurator.domain.commissioning import Expected, ExpectedPack, ExpectedSetting, deviations, voltage_spread
from configurator.models import CommissioningRecord
from configurator.services import configuration_save
from tests import factories

pytestmark = pytest.mark.usefixtures("shipped_catalog")


@pytest.fixture
def saved():
    """001's generic BMS on the Victron GX, three packs: each pack its own address on DIP switches 1-4."""
    return configuration_save(battery="generic-lfp-bms", inverter="victron-color-control", options=Options(packs=3))


def filled(**changes) -> dict:
    data = {
        "pack_1_serial": "GB-0001",
        "pack_1_dip": "000010",
        "pack_1_voltage": "53.1",
        "pack_1_soc": "97",
        "pack_2_serial": "GB-0002",
        "pack_2_dip": "100000",  # as expected: address 1
        "pack_2_voltage": "53.4",
        "pack_3_serial": "GB-0003",
        "pack_3_dip": "010000",
        "pack_3_voltage": "52.9",
        "inverter_serial": "HQ2231ABCDE",
        "resistance": "61.5",
        "cable_length": "2.5",
        "cable_type": "CAT6 U/UTP",
        "terminated": "GX BMS-Can port; pack 3",
        "test_communication": "passed",
        "test_values_match": "passed",
        "test_loss_behaviour": "not_tested",
        "test_no_alarms": "passed",
        "installer": "Anna Installer",
        "company": "Roof & Sun",
        "commissioned_on": "2026-12-01",
        "confirm": "on",
        "customer": "B. Farmer",
        "customer_ack": "on",
    }
    return {**data, **changes}


def issue(client, saved, **changes):
    return client.post(reverse("record_new", args=[saved.public_id]), filled(**changes))


def test_the_form_asks_for_each_pack_and_the_settings_and_is_csrf_protected(client, saved):
    page = client.get(reverse("record_new", args=[saved.public_id]))
    assert page.status_code == 200
    text = page.text
    for n in (1, 2, 3):
        assert f'name="pack_{n}_serial"' in text
        assert f'name="pack_{n}_dip"' in text
    assert "Pack 3 (slave): DIP switches expected <code>010000</code>" in text
    assert 'name="csrfmiddlewaretoken"' in text
    assert 'data-draft-key="record:' in text  # kept in the browser as it is typed (static/js/record-draft.js)
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("record_new", args=[saved.public_id]), filled()).status_code == 403
    assert not CommissioningRecord.objects.exists()


def test_an_issued_record_shows_expected_beside_found_and_marks_each_deviation(client, saved):
    response = issue(client, saved, pack_2_dip="110000", resistance="118", test_values_match="failed")
    assert response.status_code == 302
    record = CommissioningRecord.objects.get()
    assert response["Location"] == reverse("record_detail", args=[record.public_id])
    assert {d["code"] for d in record.deviations} == {"dip", "resistance", "test"}
    page = client.get(response["Location"]).text
    assert "3 found values differ from the configuration" in page
    assert page.count('<tr class="deviation">') == 3
    row = 'Pack 2 (slave): DIP switches</th><td>100000</td><td>110000 <strong class="deviation-mark">deviates'
    assert row in page
    assert "60 (50-70)" in page  # the expected resistance with its accepted range
    assert "maker&#x27;s limit not in the catalog" in page  # the voltage spread, never judged without a source
    assert "<svg" in page  # its own QR code
    assert record.configuration.catalog_revision[:12] in page


def test_the_records_pdf_has_both_columns_and_the_deviations(client, saved):
    record_url = issue(client, saved, pack_2_dip="110000")["Location"]
    record = CommissioningRecord.objects.get()
    pdf = client.get(reverse("record_pdf", args=[record.public_id]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert f"commissioning-record-{record.public_id}.pdf" in pdf["Content-Disposition"]
    text = " ".join(
        subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True).stdout.decode().split()
    )
    assert "Expected Found" in text
    assert "110000 (DEVIATES)" in text
    assert record.public_id in text
    assert "catalog revision " + record.configuration.catalog_revision[:12] in text
    assert record_url.endswith(record.public_id)


def test_an_issued_record_is_never_changed_or_deleted(client, saved):
    issue(client, saved)
    record = CommissioningRecord.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        CommissioningRecord.objects.filter(pk=record.pk).update(installer="Someone else")
    with pytest.raises(IntegrityError), transaction.atomic():
        CommissioningRecord.objects.filter(pk=record.pk).delete()
    assert CommissioningRecord.objects.get().installer == "Anna Installer"


def test_a_correction_is_a_new_revision_linked_to_the_one_it_corrects(client, saved):
    issue(client, saved, pack_2_dip="110000")
    first = CommissioningRecord.objects.get()
    form = client.get(reverse("record_new", args=[saved.public_id]), {"correct": first.public_id}).text
    assert 'value="110000"' in form  # starts from the values it corrects
    assert f'name="correct" value="{first.public_id}"' in form
    response = client.post(reverse("record_new", args=[saved.public_id]), filled(correct=first.public_id))
    second = CommissioningRecord.objects.exclude(pk=first.pk).get()
    assert (second.revision, second.previous_id, second.deviations) == (2, first.pk, [])
    old_page = client.get(reverse("record_detail", args=[first.public_id])).text
    assert "This revision was corrected: see" in old_page
    assert second.public_id in old_page
    assert "Issue a correction" not in old_page
    again = client.post(reverse("record_new", args=[saved.public_id]), filled(correct=first.public_id))
    assert again.status_code == 409  # a conflict with the revision issued meanwhile
    assert "This record was corrected already" in again.text
    assert CommissioningRecord.objects.count() == 2
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"installer": ""}, "installer", "This field is required."),
        ({"confirm": ""}, "confirm", "This field is required."),
        ({"pack_1_dip": "on off"}, "pack_1_dip", "Write the switches as 1 (ON) and 0 (OFF), switch 1 first."),
        ({"pack_1_soc": "140"}, "pack_1_soc", "Ensure this value is less than or equal to 100."),
        ({"resistance": "sixty"}, "resistance", "Enter a number."),
        ({"test_communication": "maybe"}, "test_communication", "Select a valid choice."),
    ],
)
def test_bad_input_is_a_form_error_and_issues_nothing(client, saved, changes, field, message):
    response = issue(client, saved, **changes)
    assert response.status_code == 400
    assert message in response.text
    assert field in response.context["form"].errors
    assert not CommissioningRecord.objects.exists()


def test_unknown_configuration_or_record_is_a_404(client, saved):
    assert client.get(reverse("record_new", args=["ZZZZZZZZZZ"])).status_code == 404
    assert client.get(reverse("record_detail", args=["ZZZZZZZZZZ"])).status_code == 404
    other = configuration_save(battery="pylontech-us5000", inverter="deye-hybrid")
    issue(client, other)
    foreign = CommissioningRecord.objects.get()
    page = client.get(reverse("record_new", args=[saved.public_id]), {"correct": foreign.public_id})
    assert page.status_code == 404  # a record of another configuration is not corrected here


def test_distributors_read_their_batteries_records_in_the_admin_and_change_nothing(client, saved):
    issue(client, saved)
    record = CommissioningRecord.objects.get()
    maker = saved.configuration.battery.slug
    from catalog.models import Device

    own = Device.objects.get(slug=maker).manufacturer.slug
    client.force_login(factories.admin_user("bms-maker", Account.Kind.DISTRIBUTOR, own))
    listing = client.get(reverse("admin:configurator_commissioningrecord_changelist"))
    assert listing.status_code == 200
    assert record.public_id in listing.text
    change = reverse("admin:configurator_commissioningrecord_change", args=[record.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"installer": "x"}).status_code == 403
    client.force_login(factories.admin_user("weco-editor", Account.Kind.DISTRIBUTOR, "weco"))
    assert client.get(reverse("admin:configurator_commissioningrecord_changelist")).status_code in (200, 403)
    assert record.public_id not in client.get(reverse("admin:configurator_commissioningrecord_changelist")).text
    assert client.get(change).status_code in (302, 403, 404)


def api_body(saved, **found_changes) -> dict:
    found = {
        "packs": [{"serial": "GB-0001", "dip": "000010"}, {"dip": "111111"}, {}],
        "settings": {},
        "link": {"resistance": "60.2"},
        "tests": {"communication": "passed"},
        **found_changes,
    }
    return {
        "configuration": saved.public_id,
        "installer": "Partner Installer",
        "commissioned_on": "2026-12-01",
        "confirm": True,
        "found": found,
    }


def test_the_api_issues_records_for_the_partner_account_that_reads_them(saved):
    account = factories.account("Solar portal", Account.Kind.PARTNER)
    _row, token = api_token_create(account=account, name="portal")
    api = factories.api_client(token)
    created = api.post("/api/v1/records/", api_body(saved), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["revision"] == 1
    assert [d["field"] for d in body["deviations"]] == ["pack-2-dip"]
    assert body["url"].endswith(reverse("record_detail", args=[body["public_id"]]))
    assert CommissioningRecord.objects.get().account == account
    assert api.get(f"/api/v1/records/{body['public_id']}/").status_code == 200
    assert [r["public_id"] for r in api.get("/api/v1/records/").json()] == [body["public_id"]]

    other = factories.account("Other portal", Account.Kind.PARTNER)
    _row, other_token = api_token_create(account=other, name="other")
    assert factories.api_client(other_token).get(f"/api/v1/records/{body['public_id']}/").status_code == 404
    assert factories.api_client(other_token).get("/api/v1/records/").json() == []
    assert factories.api_client(None).get("/api/v1/records/").status_code == 401


def test_the_api_answers_bad_input_with_field_errors_and_issues_nothing(saved):
    account = factories.account("Solar portal", Account.Kind.PARTNER)
    _row, token = api_token_create(account=account, name="portal")
    api = factories.api_client(token)
    bad = api.post("/api/v1/records/", {**api_body(saved, packs=[{"soc": "140"}]), "confirm": False}, format="json")
    assert bad.status_code == 400
    fields = bad.json()["error"]["fields"]
    assert "found.pack_1_soc" in fields
    assert "confirm" in fields
    unknown = api.post("/api/v1/records/", {**api_body(saved), "configuration": "ZZZZZZZZZZ"}, format="json")
    assert unknown.status_code == 400
    assert "configuration" in unknown.json()["error"]["fields"]
    _row, read_only = api_token_create(account=account, name="ro", read_only=True)
    assert factories.api_client(read_only).post("/api/v1/records/", api_body(saved), format="json").status_code == 403
    assert not CommissioningRecord.objects.exists()


def test_deviations_compare_only_what_is_known_and_recorded():
    expected = Expected(
        packs=(ExpectedPack(1, "master", "0000x?"),),
        settings=(
            ExpectedSetting("inverter-0", "inverter", "Battery type", "CAN 00"),
            ExpectedSetting("inverter-1", "inverter", "Other", ""),
        ),
        link_bus="can",
        link_resistance=None,
        terminated_ends=(),
    )
    found = {
        "packs": [{"dip": "000011"}],  # x and ? are not judged
        "settings": {"inverter-0": "can 00", "inverter-1": "anything"},  # case and spaces; unknown: not judged
        "link": {"resistance": "120"},  # no expectation (not a CAN link terminated at both ends): not judged
        "tests": {"communication": "not_tested"},
    }
    assert deviations(expected, found) == []
    assert [d.code for d in deviations(expected, {"packs": [{"dip": "1000x?"}]})] == ["dip"]
    assert [d.code for d in deviations(expected, {"settings": {"inverter-0": "CAN 01"}})] == ["setting"]
    assert voltage_spread({"packs": [{"voltage": "53.4"}, {"voltage": "52,9"}, {"voltage": ""}]}) == Decimal("0.5")
    assert voltage_spread({"packs": [{"voltage": "53.4"}]}) is None
