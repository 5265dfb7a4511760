"""A catalog editor's note in the reader's language: the page, the sheet and the API print the editor's
translation where there is one; where there is none, the note's own English words, marked as not translated (on
the page and sheet: lang="en" and "catalog note, not translated"; in the API: ``quote_language``)."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from catalog.models import Device, NoteTranslation
from configurator.domain import Options
from configurator.domain.findings import Code, Severity, finding
from configurator.messages import message, quote_language
from configurator.presentation import Sentence
from configurator.services import configuration_save
from configurator.templatetags.configurator_tags import said
from tests.configurator.test_languages import PAIR, pdf_text, wizard_sheet

pytestmark = pytest.mark.usefixtures("shipped_catalog")

ENGLISH = "The source writes the patterns as 00000000 and 00000100 without saying which end is switch 1."
GERMAN = "Die Quelle gibt die Muster als 00000000 und 00000100 an, ohne zu sagen, welches Ende Schalter 1 ist."
FRENCH = "La source écrit les motifs 00000000 et 00000100 sans dire quelle extrémité est l'interrupteur 1."
UNTRANSLATED = {"de": "Katalogvermerk, nicht übersetzt", "it": "nota del catalogo, non tradotta"}


def result_page(client, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("wizard_result"), PAIR)
    assert response.status_code == 200
    return " ".join(response.text.split())


def drop(language: str) -> None:
    """The WeCo note's translation into ``language`` taken away (as if no editor had written it)."""
    NoteTranslation.objects.filter(note__device__slug=PAIR["battery"], language=language).delete()


def test_a_finding_quotes_the_translation_of_the_readers_language_else_the_note_itself():
    item = finding(Code.SOURCES_DISAGREE, Severity.WARNING, text="Pin 5 reads CAH-L.", translations=(("de", "X"),))
    with translation.override("de"):
        assert (message(item), quote_language(item)) == ("Die Quellen widersprechen sich: X", "de")
    with translation.override("it"):
        assert quote_language(item) == "en"
        assert message(item).endswith(": Pin 5 reads CAH-L.")
    with translation.override("en-us"):  # English of any region reads the note as written, with no marker
        assert (message(item), quote_language(item)) == ("Sources disagree: Pin 5 reads CAH-L.", "en")
        assert not Sentence(message(item), quote="Pin 5 reads CAH-L.", quote_language="en").untranslated
    assert quote_language(finding(Code.NOT_DOCUMENTED)) is None  # our own sentence quotes no note


def test_only_the_quoted_note_is_marked_as_english_and_its_text_is_escaped():
    item = finding(Code.SOURCES_DISAGREE, Severity.WARNING, text="Pin 5 <b>CAH-L</b>.")
    with translation.override("de"):
        sentence = Sentence(message(item), quote=item.values["text"], quote_language=quote_language(item))
        html = said(sentence)
    assert html == (
        'Die Quellen widersprechen sich: <span lang="en">Pin 5 &lt;b&gt;CAH-L&lt;/b&gt;.</span> '
        '<span class="untranslated">(Katalogvermerk, nicht übersetzt)</span>'
    )


def test_the_result_page_prints_the_editors_translation_and_marks_a_missing_one(client):
    german = result_page(client, "de")
    assert GERMAN in german
    assert ENGLISH not in german
    assert UNTRANSLATED["de"] not in german.split(GERMAN, 1)[1][:80]  # no marker after a translated note

    drop("it")
    italian = result_page(client, "it")
    assert f'<span lang="en">{ENGLISH}' in italian
    assert UNTRANSLATED["it"] in italian.split(ENGLISH, 1)[1][:400]
    assert ENGLISH in result_page(client, "en")


def test_the_sheet_prints_the_translation_in_the_sheets_language(client):
    text = pdf_text(wizard_sheet(client, language="fr"))
    assert FRENCH in text.replace("\u2019", "'")  # a typographic apostrophe, where the PDF's text has one
    assert ENGLISH not in text


def test_the_api_words_the_note_per_accept_language_and_names_the_language_it_quotes(client):
    drop("es")
    saved = configuration_save(battery=PAIR["battery"], inverter=PAIR["inverter"], options=Options(packs=3))
    url = f"/api/v1/configurations/{saved.public_id}/"

    def note_finding(language: str) -> dict:
        warnings = client.get(url, HTTP_ACCEPT_LANGUAGE=language).json()["result"]["warnings"]
        return next(item for item in warnings if item["code"] == Code.CATALOG_NOTE)

    german, spanish = note_finding("de"), note_finding("es")
    assert (german["quote_language"], german["message"][: len(GERMAN)]) == ("de", GERMAN)
    assert (spanish["quote_language"], spanish["message"][: len(ENGLISH)]) == ("en", ENGLISH)
    assert german["params"] == spanish["params"]  # the note and its translations, as the catalog holds them
    assert dict(german["params"]["translations"])["fr"].startswith(FRENCH)


def test_a_saved_result_keeps_the_translations_it_was_saved_with(client):
    """An issued answer does not change under the installer: a translation edited later is not printed on it."""
    saved = configuration_save(battery=PAIR["battery"], inverter=PAIR["inverter"], options=Options(packs=3))
    NoteTranslation.objects.filter(note__device=Device.objects.get(slug=PAIR["battery"]), language="de").update(
        text="Später geändert."
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    page = " ".join(client.get(reverse("saved_configuration", args=[saved.public_id])).text.split())
    assert GERMAN in page
    assert "Später geändert." not in page
