"""The commissioning record on a phone in Chromium: what is typed is kept in the browser, survives a reload and a
lost connection, and is forgotten once the record is issued."""

import pytest
from django.urls import reverse
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from configurator.domain import Options
from configurator.models import CommissioningRecord
from configurator.services import configuration_save

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("live_catalog")]


def test_a_draft_survives_a_reload_and_a_lost_connection_until_it_is_issued(live_server, browser, artifacts):
    saved = configuration_save(battery="generic-lfp-bms", inverter="victron-color-control", options=Options(packs=2))
    form_url = live_server.url + reverse("record_new", args=[saved.public_id])
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(form_url)
    page.locator("#id_pack_1_serial").fill("GB-0001")
    page.locator("#id_pack_2_dip").fill("100000")
    page.locator("#id_installer").fill("Anna Installer")
    expect(page.locator(".draft-status")).to_have_text("Draft kept on this device: not yet sent.")

    page.reload()
    expect(page.locator("#id_pack_1_serial")).to_have_value("GB-0001")
    expect(page.locator(".draft-status")).to_contain_text("Draft restored from this device: not yet sent.")

    page.locator("#id_confirm").check()
    context.set_offline(True)
    page.get_by_role("button", name="Issue the record").click()  # no connection: kept, sent when it returns
    with pytest.raises(PlaywrightTimeout):
        page.wait_for_url("**/r/**", timeout=3000)
    expect(page.locator("[data-outbox] li")).to_have_attribute("data-state", "waiting")
    assert not CommissioningRecord.objects.exists()
    page.reload()  # a form this device did not keep for offline: the offline page, which lists what waits
    expect(page.locator("h1")).to_have_text("No connection")
    expect(page.locator("[data-outbox] li")).to_have_attribute("data-state", "waiting")
    context.set_offline(False)

    expect(page.locator("[data-outbox] li")).to_have_attribute("data-state", "sent")
    page.locator("[data-outbox] li a").click()
    page.wait_for_url("**/r/**")
    record = CommissioningRecord.objects.get()
    expect(page.locator("h1")).to_contain_text("Generic LFP battery BMS")
    expect(page.locator(".record-qr svg")).to_be_visible()
    page.screenshot(path=artifacts / "record-phone.png", full_page=True)
    assert record.found["packs"][0]["serial"] == "GB-0001"

    page.goto(form_url)  # the draft was forgotten when the record was issued
    expect(page.locator("#id_pack_1_serial")).to_have_value("")
    expect(page.locator(".draft-status")).to_be_hidden()
    context.close()
