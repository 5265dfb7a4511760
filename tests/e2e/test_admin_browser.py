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
    expect(page.get_by_text("Site administration")).to_be_visible()
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
