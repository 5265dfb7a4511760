"""The installable app in Chromium with the network off (Playwright's offline mode): a result kept for offline
opens with its sheet and says how old it is; a wizard step the device cannot compute is refused, never shown stale
or empty; the start page answers offline; a deploy's new worker replaces the old shell and keeps what was kept."""

import time

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from configurator import offline
from configurator.domain import Options
from configurator.models import CommissioningRecord
from configurator.services import configuration_save

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("live_catalog")]

CACHES = "() => caches.keys()"


def until(page, script: str, arg=None, seconds: float = 15) -> None:
    """Wait until ``script`` (a function) returns true in the page. Playwright's wait_for_function evaluates a
    string, which the site's Content-Security-Policy refuses; this asks again instead."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(script, arg):
        assert time.monotonic() < deadline, script
        time.sleep(0.1)


def controlled(page) -> None:
    """Wait until the service worker controls the page (it claims open pages when it activates)."""
    until(page, "() => navigator.serviceWorker.controller !== null")


def test_a_kept_result_and_its_sheet_open_offline_and_an_unkept_step_is_refused(live_server, browser, artifacts):
    saved = configuration_save(battery="weco-5k3-xp", inverter="deye-hybrid", options=Options(packs=3))
    url = live_server.url + reverse("saved_configuration", args=[saved.public_id])
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(url)
    controlled(page)
    expect(page.locator("[data-offline-banner]")).to_be_hidden()
    page.get_by_role("button", name="Keep for offline").click()
    expect(page.locator(".keep-status")).to_have_text(
        "Kept on this device: this page and its sheet open without a connection."
    )

    context.set_offline(True)
    page.reload()
    expect(page.locator("article.result")).to_be_visible()
    banner = page.locator("[data-offline-banner]")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("No connection: this is the copy kept on this device, fetched on")
    expect(banner).to_contain_text("at catalog version")
    page.screenshot(path=artifacts / "offline-kept-result.png", full_page=True)
    sheet = page.locator("[data-keep]").get_attribute("data-keep-sheet")  # in the page's language (en-us here)
    assert page.get_by_role("link", name="Download PDF sheet").get_attribute("href") == sheet
    head = page.evaluate(
        "async (url) => { const r = await fetch(url); const b = new Uint8Array(await r.arrayBuffer());"
        " return [r.headers.get('content-type'), new TextDecoder().decode(b.slice(0, 5))]; }",
        sheet,
    )
    assert head == ["application/pdf", "%PDF-"]

    page.goto(live_server.url + reverse("wizard_battery") + "?inverter=deye-hybrid")
    expect(page.locator("h1")).to_have_text("No connection")
    assert page.locator("[data-slug]").count() == 0  # no battery list, stale or empty
    kept = page.locator("[data-kept-list] a")
    expect(kept).to_have_count(1)
    expect(kept).to_have_attribute("href", reverse("saved_configuration", args=[saved.public_id]))

    start = page.goto(live_server.url + "/?source=app")  # the installed app's start page answers offline
    assert start.status == 200
    context.close()


def test_a_new_worker_replaces_the_old_shell_and_keeps_the_kept_pages(live_server, browser, monkeypatch):
    saved = configuration_save(battery="generic-lfp-bms", inverter="victron-color-control", options=Options(packs=2))
    context = browser.new_context()
    page = context.new_page()
    page.goto(live_server.url + reverse("saved_configuration", args=[saved.public_id]))
    controlled(page)
    page.get_by_role("button", name="Keep for offline").click()
    expect(page.locator(".keep-status")).to_contain_text("Kept on this device")
    first = f"configurator-shell-{offline.shell_version()}"
    assert sorted(page.evaluate(CACHES)) == [offline.KEPT_CACHE, first]

    # A deploy that changes a file: the worker's address answers a new version.
    monkeypatch.setattr(offline, "SHELL_ASSETS", (*offline.SHELL_ASSETS, "css/sheet.css"))
    second = f"configurator-shell-{offline.shell_version()}"
    assert second != first
    page.evaluate("async () => { const r = await navigator.serviceWorker.getRegistration(); await r.update(); }")
    until(page, "async (old) => !(await caches.keys()).includes(old)", first)  # the old shell is gone
    assert sorted(page.evaluate(CACHES)) == [offline.KEPT_CACHE, second]
    context.set_offline(True)
    page.reload()
    expect(page.locator("[data-offline-banner]")).to_be_visible()  # the kept page survived the update
    context.close()


def kept_record_form(live_server, browser, saved):
    """A phone that kept the saved result (and so its record form), then lost the connection and filled the form."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(live_server.url + reverse("saved_configuration", args=[saved.public_id]))
    controlled(page)
    page.get_by_role("button", name="Keep for offline").click()
    expect(page.locator(".keep-status")).to_contain_text("Kept on this device")
    context.set_offline(True)
    page.goto(live_server.url + reverse("record_new", args=[saved.public_id]))
    page.locator("#id_installer").fill("Offline Olaf")
    page.locator("#id_confirm").check()
    page.get_by_role("button", name="Issue the record").click()
    waiting = page.locator("[data-outbox] li")
    expect(waiting).to_have_attribute("data-state", "waiting")
    expect(waiting).to_contain_text("not yet sent. It is kept on this device and sent when the connection returns.")
    return context, page


def test_a_record_sent_offline_waits_on_the_device_and_is_issued_when_the_connection_returns(
    live_server, browser, artifacts
):
    saved = configuration_save(battery="generic-lfp-bms", inverter="victron-color-control", options=Options(packs=2))
    context, page = kept_record_form(live_server, browser, saved)
    page.screenshot(path=artifacts / "offline-record-waiting.png", full_page=True)
    assert not CommissioningRecord.objects.exists()

    context.set_offline(False)  # the browser says "online": the page sends what waits
    sent = page.locator("[data-outbox] li")
    expect(sent).to_have_attribute("data-state", "sent")
    record = CommissioningRecord.objects.get()
    assert record.installer == "Offline Olaf"
    expect(sent.locator("a")).to_have_attribute("href", reverse("record_detail", args=[record.public_id]))
    page.reload()
    expect(page.locator("[data-outbox]")).to_be_hidden()  # nothing left to send
    expect(page.locator("#id_installer")).to_have_value("")  # the draft was forgotten with it
    context.close()


def test_a_record_issued_elsewhere_meanwhile_is_a_conflict_the_installer_decides(live_server, browser):
    saved = configuration_save(battery="generic-lfp-bms", inverter="victron-color-control", options=Options(packs=2))
    context, page = kept_record_form(live_server, browser, saved)
    other = page.context.browser.new_context().new_page()  # a colleague, online, issues a record first
    other.goto(live_server.url + reverse("record_new", args=[saved.public_id]))
    other.locator("#id_installer").fill("Colleague Carla")
    other.locator("#id_confirm").check()
    other.get_by_role("button", name="Issue the record").click()
    other.wait_for_url("**/r/**")
    other.context.close()
    first = CommissioningRecord.objects.get()

    context.set_offline(False)
    conflict = page.locator("[data-outbox] li")
    expect(conflict).to_have_attribute("data-state", "conflict")
    expect(conflict).to_contain_text("Another record of this configuration was issued meanwhile")
    assert CommissioningRecord.objects.count() == 1  # not issued blindly beside it

    conflict.locator("a").click()  # the form, with the draft still in it
    expect(page.locator("#id_installer")).to_have_value("Offline Olaf")
    page.get_by_role("button", name="Issue the record").click()
    expect(page.locator("[data-record-conflict]")).to_contain_text(f"record {first.public_id} of this configuration")
    page.get_by_role("button", name="Issue the record").click()  # compared, and issued as well
    page.wait_for_url("**/r/**")
    assert CommissioningRecord.objects.count() == 2
    expect(page.locator("[data-outbox]")).to_be_hidden()
    context.close()


def test_results_prepared_for_a_site_open_offline_from_the_prepared_list(live_server, browser, settings):
    settings.SHEET_RENDER_RATE = "100/minute"  # the page waits out the limit otherwise (429 and Retry-After)
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(live_server.url + reverse("wizard_battery") + "?inverter=deye-hybrid")
    controlled(page)  # before the next navigation: a page loading while the worker activates is not claimed
    page.get_by_role("link", name="Prepare for this site (offline)").click()
    page.get_by_label("WeCo 5K3 XP").check()
    page.get_by_label("Likely pack counts").fill("2")
    page.get_by_role("button", name="Prepare").click()
    expect(page.locator(".prepared-table tbody tr")).to_have_count(2)
    page.get_by_role("button", name="Keep all on this device").click()
    expect(page.locator("[data-keep-all] .keep-status")).to_have_text(
        "Kept on this device: these results and their sheets open without a connection, from this list.",
        timeout=60_000,
    )
    prepared = page.url

    context.set_offline(True)
    page.goto(prepared)
    expect(page.locator("[data-offline-banner]")).to_be_visible()
    row = page.locator(".prepared-table tbody tr").nth(1)
    expect(row).to_contain_text("T568A")
    sheet = row.get_by_role("link", name="Sheet (PDF)").get_attribute("href")
    row.get_by_role("link", name="Result").click()
    expect(page.locator("article.result")).to_be_visible()
    expect(page.locator("[data-offline-banner]")).to_contain_text("computed at catalog version")
    head = page.evaluate(
        "async (url) => { const b = new Uint8Array(await (await fetch(url)).arrayBuffer());"
        " return new TextDecoder().decode(b.slice(0, 5)); }",
        sheet,
    )
    assert head == "%PDF-"
    page.goto(live_server.url + reverse("wizard_battery") + "?inverter=sma-sunny-island")
    expect(page.locator("h1")).to_have_text("No connection")  # another inverter: not prepared, refused
    expect(page.locator("[data-kept-list] a").first).to_contain_text("Prepared for")
    context.close()


def test_chromium_finds_the_site_installable(live_server, browser):
    """The browser's own installability check (what Lighthouse's reads): a manifest with a name, a start URL in
    scope, standalone display and 192 and 512 pixel icons, and a service worker controlling the start page."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(live_server.url + "/?source=app")
    controlled(page)
    page.reload()
    session = context.new_cdp_session(page)
    manifest = session.send("Page.getAppManifest")
    assert manifest["errors"] == []
    errors = [error["errorId"] for error in session.send("Page.getInstallabilityErrors")["installabilityErrors"]]
    # A Playwright context is an incognito profile, which Chromium never installs apps from; nothing else may fail.
    assert [error for error in errors if error != "in-incognito"] == []
    context.close()
