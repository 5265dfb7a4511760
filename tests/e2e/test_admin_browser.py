"""The admin's live connector face, in Chromium: changing a pin's signal in the form redraws the face before
anything is saved."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from catalog.models import Port

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("live_catalog")]


@pytest.fixture
def admin_page(live_server, browser, django_user_model):
    django_user_model.objects.create_superuser("boss", "boss@example.invalid", "a-long-right-password")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + reverse("admin:login"))
    page.get_by_label("Username").fill("boss")
    page.get_by_label("Password").fill("a-long-right-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Catalog administration")).to_be_visible()
    yield page
    context.close()


def test_the_connector_face_follows_the_form(live_server, admin_page: Page, artifacts):
    port = Port.objects.get(device__slug="pylontech-us5000", name="A/CAN")
    admin_page.goto(live_server.url + reverse("admin:catalog_port_change", args=[port.pk]))
    face = admin_page.locator("#port-face")
    expect(face.locator("svg.connector-face")).to_be_visible()
    expect(face.locator('text[data-position="4"]')).to_have_text("CAN_H")
    row = port.pin_assignments.order_by("position").values_list("position", flat=True)
    index = list(row).index(4)
    admin_page.locator(f"#id_pin_assignments-{index}-signal").select_option("vcc")
    expect(face.locator('text[data-position="4"]')).to_have_text("VCC")
    admin_page.screenshot(path=artifacts / "admin-port-face.png", full_page=True)
    assert Port.objects.get(pk=port.pk).pin_assignments.get(position=4).signal == "can_h"  # nothing saved


def _overflow(page: Page) -> int:
    """How far the page reaches past the window's right edge, in CSS px (0: nothing to scroll sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_catalog_forms_fit_a_laptop_screen_with_errors_beside_their_fields(live_server, admin_page: Page, artifacts):
    """A device with every inline table (ports, protocols, DIP banks, settings, notes) and a port's pin table fit
    1280 px beside the navigation; an error in a pin row shows inside the window, next to the field."""
    from catalog.models import Device

    device = Device.objects.get(slug="pylontech-us5000")
    admin_page.goto(live_server.url + reverse("admin:catalog_device_change", args=[device.pk]))
    expect(admin_page.locator("#ports-group")).to_be_visible()
    assert _overflow(admin_page) == 0
    admin_page.goto(live_server.url + reverse("admin:catalog_device_add"))
    assert _overflow(admin_page) == 0
    port = Port.objects.get(device=device, name="A/CAN")
    admin_page.goto(live_server.url + reverse("admin:catalog_port_change", args=[port.pk]))
    assert _overflow(admin_page) == 0
    admin_page.locator("#id_pin_assignments-0-position").fill("99")  # past the 8 positions of an RJ45
    with admin_page.expect_navigation(timeout=30_000):  # the form's POST and its answer, on a loaded machine too
        admin_page.get_by_role("button", name="Save", exact=True).click()
    error = admin_page.locator("#pin_assignments-group .errorlist").first
    expect(error).to_be_visible()
    box = error.bounding_box()
    assert box["x"] + box["width"] <= 1280
    assert _overflow(admin_page) == 0
    admin_page.screenshot(path=artifacts / "admin-port-error.png", full_page=True)
