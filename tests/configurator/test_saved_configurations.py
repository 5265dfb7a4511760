"""Saved configurations: an issued result never changes, whatever happens to the catalog afterwards."""

import pytest
from django.db import IntegrityError

from catalog.models import DocumentedPairing, PinAssignment
from configurator.domain import Configuration, Options, TooManyPacks, Verdict
from configurator.models import PUBLIC_ID_ALPHABET, SavedConfiguration
from configurator.selectors import saved_configuration_get
from configurator.services import (
    UnknownDevice,
    configuration_build,
    configuration_revision,
    configuration_save,
)

pytestmark = pytest.mark.usefixtures("shipped_catalog")

WECO_DEYE = {"battery": "weco-5k3-xp", "inverter": "deye-hybrid"}


def test_saving_keeps_the_request_the_result_and_a_short_public_id():
    options = Options(bus="can", packs=3, colours="t568a")
    saved = configuration_save(**WECO_DEYE, options=options)
    saved.refresh_from_db()
    assert len(saved.public_id) == 10
    assert set(saved.public_id) <= set(PUBLIC_ID_ALPHABET)
    assert (saved.battery_slug, saved.inverter_slug) == ("weco-5k3-xp", "deye-hybrid")
    assert (saved.bus, saved.packs, saved.colours) == ("can", 3, "t568a")
    assert saved.verdict == Verdict.DOCUMENTED
    assert saved.configuration == configuration_build(**WECO_DEYE, options=options)
    assert saved.result["schema_version"] == 2
    assert [pack["index"] for pack in saved.result["packs"]] == [1, 2, 3]
    assert saved.catalog_revision == configuration_revision(**WECO_DEYE)


def test_editing_the_catalog_never_changes_an_issued_result():
    saved = configuration_save(**WECO_DEYE)
    issued = saved.configuration
    pairing = DocumentedPairing.objects.get(battery__slug="weco-5k3-xp", inverter__slug="deye-hybrid")
    first = pairing.conductors.order_by("pk").first()
    pin = first.battery_pin
    PinAssignment.objects.filter(pk=pin.pk).update(label="RELABELLED")
    pairing.delete()

    today = configuration_build(**WECO_DEYE)
    assert today != issued
    assert today.verdict != Verdict.DOCUMENTED
    again = saved_configuration_get(public_id=saved.public_id)
    assert again.configuration == issued
    assert again.verdict == Verdict.DOCUMENTED
    assert "RELABELLED" not in str(again.result)
    assert again.catalog_revision != configuration_revision(**WECO_DEYE)


def test_the_database_refuses_to_update_a_saved_configuration():
    saved = configuration_save(**WECO_DEYE)
    with pytest.raises(IntegrityError, match="immutable"):
        SavedConfiguration.objects.filter(pk=saved.pk).update(verdict=Verdict.INCOMPATIBLE)


def test_a_saved_configuration_is_found_as_people_type_its_id():
    saved = configuration_save(**WECO_DEYE)
    typed = saved.public_id.lower().replace("0", "o").replace("1", "l")
    assert saved_configuration_get(public_id=f"  {typed} ") == saved
    assert saved_configuration_get(public_id="ZZZZZZZZZZ") is None


def test_a_request_that_cannot_be_configured_saves_nothing():
    with pytest.raises(UnknownDevice):
        configuration_save(battery="no-such-battery", inverter="deye-hybrid")
    with pytest.raises(TooManyPacks, match="at most 15 packs"):
        configuration_save(battery="sok-battery", inverter="sol-ark-inverter", options=Options(packs=16))
    with pytest.raises(TooManyPacks, match="between 1 and 64"):
        configuration_save(**WECO_DEYE, options=Options(packs=65))
    assert not SavedConfiguration.objects.exists()


def test_saving_takes_the_build_queries_plus_the_insert(django_assert_num_queries):
    with django_assert_num_queries(16 + 3):  # the build of a documented pair, then SAVEPOINT, INSERT, RELEASE
        configuration_save(**WECO_DEYE)


def test_every_shipped_pairing_survives_the_json_round_trip():
    for battery, inverter in DocumentedPairing.objects.values_list("battery__slug", "inverter__slug").distinct():
        result = configuration_build(battery=battery, inverter=inverter, options=Options(packs=2))
        assert Configuration.from_dict(result.to_dict()) == result, (battery, inverter)


def test_a_record_issued_under_schema_1_still_shows_its_own_words_everywhere(client):
    """Issued sheets are records: one saved before findings existed reads, renders and prints as it was issued."""
    from tests.configurator.domain.test_result import V1

    saved = SavedConfiguration.objects.create(
        public_id="ABCDEFGH23",
        battery_slug="b",
        inverter_slug="i",
        bus="best",
        packs=1,
        colours="t568b",
        verdict="derived",
        result=V1,
        catalog_revision="0" * 64,
    )
    page = client.get(f"/c/{saved.public_id}")
    assert page.status_code == 200
    assert "No source documents this pair: the answer is derived from the two devices&#x27; own data." in page.text
    assert "Sources disagree: x" in page.text
    api = client.get(f"/api/v1/configurations/{saved.public_id}/").json()
    assert api["result"]["schema_version"] == 2
    assert api["result"]["reasons"][0]["code"] == "text"
    assert api["result"]["reasons"][0]["message"] == V1["reasons"][0]
    assert client.get(f"/api/v1/configurations/{saved.public_id}/sheet.pdf").status_code == 200
