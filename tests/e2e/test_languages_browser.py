"""The whole wizard and the commissioning record in Chromium on a phone, in each language the site offers: the
browser's language picks the first visit's, and no English of ours is left on any screen (catalog names, makers'
labels and source quotes stay as the sources print them)."""

import re

import pytest
from playwright.sync_api import Page, expect

from configurator.models import CommissioningRecord, SavedConfiguration
from tests.catalogs import english_phrases
from tests.e2e.test_wizard_browser import PHONE, assert_fits_the_screen

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("live_catalog")]

LANGUAGES = {"de": "de-DE", "it": "it-IT", "es": "es-ES", "fr": "fr-FR"}
# The words each language's pages say at each step (from its catalog): the test finds its way by them.
WORDS = {
    "de": {"search": "Wechselrichter suchen", "which_battery": "Welche Batterie?", "options": "Optionen"},
    "it": {"search": "Cerca inverter", "which_battery": "Quale batteria?", "options": "Opzioni"},
    "es": {"search": "Buscar inversores", "which_battery": "¿Qué batería?", "options": "Opciones"},
    "fr": {"search": "Rechercher des onduleurs", "which_battery": "Quelle batterie ?", "options": "Options"},
}


PHRASES = {language: sorted(english_phrases(language, words=3)) for language in LANGUAGES}


# The page's text without what is marked as written in English: the catalog editors' notes (lang="en", with the
# "not translated" marker) and the switcher's own name for English.
OURS = """() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll('[lang="en"]').forEach((element) => element.remove());
  return body.textContent;
}"""


def english_left(page: Page) -> list[str]:
    text = " ".join(page.evaluate(OURS).split())
    language = page.locator("html").get_attribute("lang")
    return [phrase for phrase in PHRASES[language] if phrase in text]


@pytest.fixture(params=list(LANGUAGES))
def language(request):
    return request.param


@pytest.fixture
def phone_in(browser, language):
    """A phone whose browser asks for ``language`` (its Accept-Language): the site's first visit."""
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale=LANGUAGES[language]
    )
    yield context.new_page()
    context.close()


def test_the_wizard_and_the_record_in_each_language_on_a_phone(live_server, phone_in: Page, language, artifacts):
    page, words = phone_in, WORDS[language]
    page.goto(live_server.url)
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert english_left(page) == []
    page.get_by_label(words["search"]).fill("deye")
    card = page.locator('#inverter-results a[data-slug="deye-hybrid"]')
    expect(card).to_be_visible()
    assert english_left(page) == []
    card.click()

    expect(page.get_by_role("heading", name=words["which_battery"])).to_be_visible()
    assert english_left(page) == []
    page.locator('[data-verdict="documented"] a[data-slug="weco-5k3-xp"]').click()

    expect(page.get_by_role("heading", name=words["options"])).to_be_visible()
    assert english_left(page) == []
    page.locator("#id_packs").fill("3")
    page.locator("form.options button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/result/\?"))
    expect(page.locator("svg.crimp-diagram")).to_be_visible()
    assert english_left(page) == []
    assert_fits_the_screen(page)
    page.screenshot(path=artifacts / f"phone-result-{language}.png", full_page=True)
    page.locator('form[action="/save/"] button').click()

    expect(page).to_have_url(re.compile(r"/c/[0-9A-HJKMNP-TV-Z]{10}$"))
    assert english_left(page) == []
    saved = SavedConfiguration.objects.get()
    page.locator(f'a[href="/c/{saved.public_id}/record/"]').click()

    expect(page.locator("form.record-form")).to_be_visible()
    assert english_left(page) == []
    page.locator("#id_pack_1_serial").fill("WC-0001")
    page.locator("#id_resistance").fill("61,5" if language != "en" else "61.5")
    page.locator("#id_installer").fill("Anna")
    page.locator("#id_confirm").check()
    page.locator("form.record-form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/r/[0-9A-HJKMNP-TV-Z]{10}$"))
    assert english_left(page) == []
    assert_fits_the_screen(page)
    record = CommissioningRecord.objects.get()
    assert record.language == language
    assert record.found["link"]["resistance"] == "61.5"
    page.screenshot(path=artifacts / f"phone-record-{language}.png", full_page=True)


def test_the_switcher_changes_the_language_and_keeps_the_page(live_server, browser):
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    page = context.new_page()
    page.goto(live_server.url + "/?q=deye")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator("#language-select").select_option("de")  # wizard.js sends the form at once
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page).to_have_url(re.compile(r"/\?q=deye$"))
    expect(page.get_by_role("heading", name="Welcher Wechselrichter?")).to_be_visible()
    context.close()
