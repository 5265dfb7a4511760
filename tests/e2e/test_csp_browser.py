"""Under the strict Content-Security-Policy, Chromium reports no violation anywhere: wizard pages with their
htmx swaps, the result page, the API docs, and the admin (autocomplete, the live connector face)."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from catalog.models import Port

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("live_catalog")]


@pytest.fixture
def watched(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    violations: list[str] = []

    def record(message):
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text[:120]}")

    page.on("console", record)
    page.violations = violations
    yield page
    context.close()


def test_the_wizard_and_the_api_docs_run_under_the_policy(live_server, watched: Page):
    page = watched
    page.goto(live_server.url)
    page.get_by_label("Search inverters").fill("deye")
    expect(page.locator('#inverter-results a[data-slug="deye-hybrid"]')).to_be_visible()
    page.locator('#inverter-results a[data-slug="deye-hybrid"]').click()
    page.get_by_label("Voltage").select_option("lv")
    expect(page.locator("#battery-results")).to_contain_text("batteries")
    page.goto(f"{live_server.url}/result/?inverter=victron-color-control&battery=generic-lfp-bms&packs=2")
    expect(page.locator("svg.crimp-diagram")).to_be_visible()
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui")).to_be_visible()
    expect(page.get_by_text("Battery ↔ inverter configurator API")).to_be_visible()
    assert page.violations == []


def test_the_admin_runs_under_the_policy(live_server, watched: Page, django_user_model):
    django_user_model.objects.create_superuser("boss", "boss@example.invalid", "a-long-right-password")
    page = watched
    page.goto(live_server.url + reverse("admin:login"))
    page.get_by_label("Username").fill("boss")
    page.get_by_label("Password").fill("a-long-right-password")
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + reverse("admin:catalog_device_changelist"))
    page.goto(live_server.url + reverse("admin:catalog_device_add"))
    page.locator(".select2-selection").first.click()  # the source autocomplete
    expect(page.locator(".select2-results__option").first).to_be_visible()
    port = Port.objects.get(device__slug="pylontech-us5000", name="A/CAN")
    page.goto(live_server.url + reverse("admin:catalog_port_change", args=[port.pk]))
    expect(page.locator("#port-face svg.connector-face")).to_be_visible()
    page.goto(live_server.url + reverse("admin:catalog_port_history", args=[port.pk]))
    expect(page.locator("#change-history")).to_be_visible()
    assert page.violations == []
