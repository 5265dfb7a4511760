"""The whole wizard in Chromium, as an installer on a phone (360x740) or a laptop uses it, and with JavaScript off.
Screenshots land in test-artifacts/."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("live_catalog")]

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport=DESKTOP)
    yield context.new_page()
    context.close()


@pytest.fixture
def no_js(browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    yield context.new_page()
    context.close()


def conductor(page: Page, signal: str) -> list[str]:
    row = page.locator(f'tr[data-signal="{signal}"]')
    return [cell.strip() for cell in row.locator("th, td").all_inner_texts()]


def assert_fits_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page scrolls sideways ({width} px)"


def assert_tap_targets(page: Page, selector: str) -> None:
    for box in (element.bounding_box() for element in page.locator(selector).all()):
        if box:  # hidden elements have no box
            assert box["height"] >= 44, f"{selector} is {box['height']} px tall"


def test_documented_pair_on_a_phone(live_server, phone: Page, artifacts):
    page = phone
    page.goto(live_server.url)
    assert_fits_the_screen(page)
    page.get_by_label("Search inverters").fill("color control")
    card = page.locator('#inverter-results a[data-slug="victron-color-control"]')
    expect(card).to_be_visible()
    expect(page).to_have_url(re.compile(r"\?q=color(\+|%20)control$"))  # htmx pushed the search into the URL
    expect(page.locator("#inverter-results")).to_contain_text("2 inverters match")
    assert_tap_targets(page, "a.card")
    card.click()

    expect(page.get_by_role("heading", name="Which battery?")).to_be_visible()
    documented = page.locator('[data-verdict="documented"]')
    expect(documented.locator('a[data-slug="generic-lfp-bms"]')).to_be_visible()
    assert_fits_the_screen(page)
    documented.locator('a[data-slug="generic-lfp-bms"]').click()

    expect(page.get_by_role("heading", name="Options")).to_be_visible()
    page.get_by_label("Packs in parallel").fill("3")
    page.get_by_role("button", name="Show the result").click()

    expect(page).to_have_url(re.compile(r"/result/\?.*battery=generic-lfp-bms.*packs=3"))
    expect(page.locator(".banner h2")).to_contain_text("DOCUMENTED")
    assert conductor(page, "can_h") == ["CAN_H", "4 CANH", "7 CAN H", "blue"]
    assert conductor(page, "can_l") == ["CAN_L", "5 CANL", "8 CAN L", "white/blue"]
    expect(page.locator('.cut-list li[data-position="1"]')).to_contain_text("white/orange")
    expect(page.locator('.pack[data-pack="1"] .dip-text')).to_contain_text("000010")
    expect(page.locator('.pack[data-pack="3"] h3')).to_have_text("Pack 3: last slave, address 2")
    expect(page.locator(".settings").first).to_contain_text("Protocol: Victron CAN = xxxx10")
    expect(page.locator(".termination")).to_contain_text("about 60 Ω")
    expect(page.locator("svg.crimp-diagram")).to_be_visible()
    assert_fits_the_screen(page)
    assert_tap_targets(page, ".actions .button")
    page.screenshot(path=artifacts / "phone-documented-result.png", full_page=True)

    page.get_by_role("button", name="Save and get a short link").click()
    expect(page).to_have_url(re.compile(r"/c/[0-9A-HJKMNP-TV-Z]{10}$"))
    expect(page.locator(".saved-note")).to_contain_text("always shows the result as it was issued")
    assert conductor(page, "can_h") == ["CAN_H", "4 CANH", "7 CAN H", "blue"]


def test_derived_pair_on_a_laptop_with_back_and_reload(live_server, desktop: Page, artifacts):
    page = desktop
    page.goto(live_server.url)
    page.get_by_label("Search inverters").fill("deye")
    page.locator('#inverter-results a[data-slug="deye-hybrid"]').click()

    page.get_by_label("Search batteries").fill("us5000")
    expect(page.locator("#battery-results a.card")).to_have_count(1)
    expect(page.locator('[data-verdict="derived"] a[data-slug="pylontech-us5000"]')).to_be_visible()
    page.locator('a[data-slug="pylontech-us5000"]').click()
    page.get_by_role("button", name="Show the result").click()

    expect(page.locator(".banner h2")).to_contain_text("DERIVED")
    expect(page.locator(".cable")).to_contain_text("Derived from both pin tables.")
    assert conductor(page, "can_h") == ["CAN_H", "4 CAN-H", "4 CAN H", "blue"]
    assert conductor(page, "can_l") == ["CAN_L", "5 CAH-L", "5 CAN L", "white/blue"]
    assert conductor(page, "can_gnd") == ["CAN_GND", "6 CAN-GND", "2 GND", "green"]
    expect(page.locator(".hazards")).to_contain_text("Pin 2 must stay empty on the battery")
    expect(page.locator(".link")).to_contain_text("Pylon CAN (500 kbit/s)")
    result_url = page.url
    page.screenshot(path=artifacts / "desktop-derived-result.png", full_page=True)
    expect(page.get_by_role("button", name="Copy link")).to_be_visible()  # JavaScript on: the button shows
    sheet_link = page.get_by_role("link", name="Download PDF sheet")
    sheet = page.request.get(live_server.url + sheet_link.get_attribute("href"))
    assert sheet.status == 200
    assert sheet.headers["content-type"] == "application/pdf"
    assert sheet.body().startswith(b"%PDF")

    page.go_back()
    expect(page.get_by_role("heading", name="Options")).to_be_visible()
    page.go_forward()
    expect(page).to_have_url(result_url)
    page.reload()
    expect(page.locator(".banner h2")).to_contain_text("DERIVED")


def assert_whole_page(page: Page, heading: str) -> None:
    """A page restored by the back or forward button is the whole page: header, steps and heading, not a bare
    results block."""
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.get_by_role("navigation", name="Steps")).to_be_visible()
    expect(page.locator("header").first).to_be_visible()


def test_back_and_forward_through_the_whole_wizard(live_server, phone: Page):
    page = phone
    page.goto(live_server.url)
    entries = page.evaluate("history.length")
    search = page.get_by_label("Search inverters")
    search.fill("deye")
    expect(page).to_have_url(re.compile(r"\?q=deye$"))
    search.fill("deye hy")  # typing on: the same history entry, replaced
    expect(page).to_have_url(re.compile(r"\?q=deye(\+|%20)hy$"))
    assert page.evaluate("history.length") == entries  # no entry per pause in the typing
    page.locator('#inverter-results a[data-slug="deye-hybrid"]').click()
    page.get_by_label("Search batteries").fill("us")
    page.get_by_label("Search batteries").fill("us5000")
    expect(page.locator("#battery-results a.card")).to_have_count(1)
    page.locator('a[data-slug="pylontech-us5000"]').click()
    page.get_by_role("button", name="Show the result").click()
    expect(page.locator(".banner h2")).to_contain_text("DERIVED")
    result_url = page.url

    page.go_back()
    assert_whole_page(page, "Options")
    page.go_back()
    assert_whole_page(page, "Which battery?")
    expect(page.get_by_label("Search batteries")).to_have_value("us5000")
    expect(page.locator('#battery-results a[data-slug="pylontech-us5000"]')).to_be_visible()
    page.go_back()
    assert_whole_page(page, "Which inverter?")
    expect(page.get_by_label("Search inverters")).to_have_value("deye hy")

    page.go_forward()
    assert_whole_page(page, "Which battery?")
    page.go_forward()
    assert_whole_page(page, "Options")
    page.go_forward()
    expect(page).to_have_url(result_url)
    expect(page.locator(".banner h2")).to_contain_text("DERIVED")


def test_the_result_page_for_the_readme(live_server, desktop: Page, artifacts):
    desktop.set_viewport_size({"width": 1100, "height": 1400})
    desktop.goto(
        f"{live_server.url}/result/?inverter=schneider-xw-pro&battery=weco-4k4-pro&packs=2"
        "&site_name=Farm+barn&installer=A.+Fitter"
    )
    expect(desktop.locator(".banner h2")).to_contain_text("DOCUMENTED")
    desktop.screenshot(path=artifacts / "result.png")


def test_the_whole_flow_without_javascript(live_server, no_js: Page, artifacts):
    page = no_js
    page.goto(live_server.url)
    page.get_by_label("Search inverters").fill("sunny island")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"\?q=sunny\+island"))
    page.locator('a[data-slug="sma-sunny-island"]').click()
    page.get_by_label("Manufacturer").select_option("WeCo")
    page.get_by_role("button", name="Filter").click()
    page.locator('[data-verdict="documented"] a[data-slug="weco-5k3-xp"]').click()
    page.get_by_label("Packs in parallel").fill("0")
    page.get_by_role("button", name="Show the result").click()
    expect(page.locator(".field-error")).to_contain_text("greater than or equal to 1")
    page.get_by_label("Packs in parallel").fill("2")
    page.get_by_role("button", name="Show the result").click()

    expect(page.locator(".banner h2")).to_contain_text("DOCUMENTED")
    assert conductor(page, "can_h") == ["CAN_H", "1 CAN H", "4 CAN H", "white/orange"]
    expect(page.get_by_role("button", name="Copy link")).to_be_hidden()
    expect(page.locator("#share-url")).to_have_value(re.compile(r"battery=weco-5k3-xp"))
    page.screenshot(path=artifacts / "no-js-result.png", full_page=True)
    page.get_by_role("button", name="Save and get a short link").click()
    expect(page).to_have_url(re.compile(r"/c/[0-9A-Z]{10}$"))


@pytest.mark.parametrize("typed", ["RHI-3.6K-48ES-5G", "SUN-5K-SG03LP1-EU", "MultiPlus-II"])
def test_a_phone_finds_the_inverter_by_the_name_on_its_case(live_server, phone: Page, typed):
    from tests.configurator.test_search import CASE_NAMES

    expected = dict(CASE_NAMES).get(typed, "victron-color-control")
    phone.goto(live_server.url)
    phone.get_by_label("Search inverters").fill(typed)
    first = phone.locator("#inverter-results a[data-slug]").first
    expect(first).to_have_attribute("data-slug", expected)
    first.click()
    expect(phone.locator("h1")).to_have_text("Which battery?")
