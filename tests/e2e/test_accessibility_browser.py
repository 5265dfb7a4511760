"""Every wizard page in Chromium, on a 360 x 740 phone and a 1280 px laptop: axe-core (Deque's rules for WCAG 2.1
A and AA, colour contrast included) finds no serious or critical violation; every control a gloved finger uses is
at least 44 x 44 CSS px; the crimp and DIP drawings' text is at least 14 px on the phone; nothing scrolls sideways;
and the battery step shows its first result above the fold."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page

from configurator.services import configuration_save

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("live_catalog")]

PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1280, "height": 800}
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

PAGES = [
    "/",
    "/?q=deye",
    "/?q=vitron",  # "Did you mean"
    "/?q=huawei",  # not in the catalog: the ask form
    "/battery/?inverter=deye-hybrid",
    "/battery/?inverter=deye-hybrid&q=pylontek",
    "/options/?inverter=deye-hybrid&battery=pylontech-us5000",
    "/result/?inverter=victron-color-control&battery=generic-lfp-bms&packs=3",
    "/result/?inverter=solis-rhi-48es-5g&battery=weco-5k3-xp&packs=16",
    "/result/?inverter=solis-rhi-48es-5g&battery=weco-5k3-xp&packs=99",  # the form's error
    "/result/?inverter=nothing&battery=weco-5k3-xp",  # not found
]

# Controls and their touch areas: a radio button or checkbox is tapped through its label. Links inside a sentence
# are exempt (WCAG 2.5.8), except the wizard's own "Change ..." and "Did you mean" links.
SMALL_TARGETS = """() => Array.from(document.querySelectorAll('a, button, input:not([type=hidden]), select, summary'))
  .filter(e => e.offsetParent !== null && (e.matches('.change-link, .suggestion')
                                         || !e.closest('p, li, td, figcaption, .source, .site-footer')))
  .map(e => (e.type === 'radio' || e.type === 'checkbox') && e.closest('label') ? e.closest('label') : e)
  .map(e => { const r = e.getBoundingClientRect();
              return [e.tagName + ' ' + (e.textContent || e.name || '').trim().slice(0, 40), r.width, r.height]; })
  .filter(([name, width, height]) => width < 44 || height < 44)"""

SMALL_DRAWING_TEXT = """() => Array.from(document.querySelectorAll('svg.crimp-diagram text, svg.dip-drawing text'))
  .filter(t => t.textContent.trim())
  .map(t => { const svg = t.ownerSVGElement; const box = svg.viewBox.baseVal;
              const scale = svg.getBoundingClientRect().width / box.width;
              return [t.textContent.trim(), parseFloat(getComputedStyle(t).fontSize) * scale]; })
  .filter(([text, px]) => px < 14)"""


def record_issued(saved):
    """A commissioning record with a deviation (a setting found otherwise), issued through the form."""
    from configurator.domain.commissioning import expected_from
    from configurator.records import RecordForm, form_data, record_issue

    found = {"settings": {"inverter-0": "CAN 01"}, "link": {"resistance": "61"}, "tests": {"communication": "passed"}}
    data = {**form_data(found, installer="Anna", commissioned_on="2026-12-01"), "confirm": "on"}
    form = RecordForm(data, expected=expected_from(saved.configuration))
    assert form.is_valid(), form.errors
    return record_issue(configuration=saved, form=form)


@pytest.fixture(scope="module")
def axe():
    return Axe()


def serious(axe: Axe, page: Page) -> list[str]:
    found = axe.run(page, options=WCAG_AA).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes'][:3]]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def check(page: Page, axe: Axe, url: str, *, phone: bool) -> list[str]:
    page.goto(url)
    problems = [f"axe: {v}" for v in serious(axe, page)]
    problems += [f"small target: {t}" for t in page.evaluate(SMALL_TARGETS)]
    if phone:
        problems += [f"drawing text under 14 px: {t}" for t in page.evaluate(SMALL_DRAWING_TEXT)]
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        problems.append(f"scrolls sideways by {overflow} px")
    return [f"{url}: {problem}" for problem in problems]


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_every_wizard_page_is_accessible_and_sized_for_gloves(live_server, browser, axe, viewport):
    saved = configuration_save(battery="pylontech-us5000", inverter="deye-hybrid")
    record = record_issued(saved)
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    urls = [
        *PAGES,
        reverse("saved_configuration", args=[saved.public_id]),
        reverse("record_new", args=[saved.public_id]),
        reverse("record_detail", args=[record.public_id]),
    ]
    try:
        problems = [p for url in urls for p in check(page, axe, live_server.url + url, phone=viewport is PHONE)]
    finally:
        context.close()
    assert problems == []


def test_the_battery_steps_first_result_is_above_the_fold_on_a_phone(live_server, browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + "/battery/?inverter=deye-hybrid")
    top = page.locator("#battery-results a[data-slug]").first.bounding_box()["y"]
    context.close()
    assert top + 44 <= PHONE["height"]
