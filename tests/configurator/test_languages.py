"""The installer's language: the sheet printed in the language asked for (whatever the page is in), with the
glossary's words, local dates and the region's paper; an issued sheet and an issued record kept in the language
they were issued in; the API's findings worded per Accept-Language, their codes unchanged; the page's language
picked by the switcher's cookie, else by Accept-Language."""

from __future__ import annotations

import re
import subprocess
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from configurator.domain import Options
from configurator.models import CommissioningRecord, IssuedSheet
from configurator.services import configuration_save
from tests.catalogs import GLOSSARY, english_phrases
from tests.configurator.test_records import filled

pytestmark = pytest.mark.usefixtures("shipped_catalog")

TRANSLATED = ["de", "it", "es", "fr"]
# WeCo's documented custom crimp to Deye, three packs: a cable with colours, a DIP table, both bus ends.
PAIR = {"battery": "weco-5k3-xp", "inverter": "deye-hybrid", "packs": "3", "commissioning_date": "2026-12-03"}
# The field's words every such sheet prints (locale/glossary.yaml), in each language.
SHEET_TERMS = [
    "inverter",
    "battery",
    "pack",
    "conductor",
    "pin",
    "port",
    "protocol",
    "termination",
    "termination_resistor",
    "dip_switch",
    "serial_number",
    "firmware",
    "installer",
    "site",
    "commissioning_sheet",
]
LOCAL_DATE = {"en": "2026-12-03", "en-us": "12/03/2026", "de": "03.12.2026", "it": "03/12/2026"}
LOCAL_DATE |= {"es": "03/12/2026", "fr": "03/12/2026"}


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def pdf_text(data: bytes) -> str:
    """The PDF's text on one line; a word the layout broke after a slash or an underscore ("weiß/ orange", "CAN_
    H") is joined again."""
    done = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return re.sub(r"(?<=[/_])\s+", "", " ".join(done.stdout.decode().split()))


def paper_of(data: bytes) -> str:
    return subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()


def wizard_sheet(client, **params) -> bytes:
    response = client.get(f"{reverse('wizard_sheet')}?{urlencode({**PAIR, **params})}")
    assert response.status_code == 200, response.content[:300]
    return response.content


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_sheet_speaks_the_language_asked_for_with_the_glossarys_words(client, language):
    text = pdf_text(wizard_sheet(client, language=language)).lower()
    missing = [key for key in SHEET_TERMS if GLOSSARY["terms"][key][language].lower() not in text]
    assert missing == []
    for colour in ("white/orange", "white/green", "orange", "blue", "brown"):  # the crimp's and the cut conductors'
        assert GLOSSARY["colours"][colour][language].lower() in text
    assert GLOSSARY["verdicts"]["documented"][language].lower() in text
    assert LOCAL_DATE[language] in text
    left = sorted(phrase for phrase in english_phrases(language, words=4) if phrase.lower() in text)
    assert left == []


def test_the_english_sheet_is_the_english_one(client):
    text = pdf_text(wizard_sheet(client))
    assert "Termination: a 120 Ω termination resistor at each end of every bus segment" in text
    assert "white/orange" in text
    assert LOCAL_DATE["en"] in text


def test_the_sheet_language_does_not_follow_the_page_unless_asked(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    german_page = pdf_text(wizard_sheet(client))
    assert "Wechselrichter" in german_page  # no language asked for: the page's
    french = pdf_text(wizard_sheet(client, language="fr"))
    assert "onduleur" in french.casefold()
    assert "Wechselrichter" not in french


def test_paper_follows_the_languages_region_unless_asked(client):
    assert "612 x 792 pts" in paper_of(wizard_sheet(client, language="en-us"))  # Letter in the US
    assert LOCAL_DATE["en-us"] in pdf_text(wizard_sheet(client, language="en-us"))
    assert "595.276 x 841.89 pts" in paper_of(wizard_sheet(client, language="de"))  # A4 elsewhere
    assert "595.276 x 841.89 pts" in paper_of(wizard_sheet(client, language="en-us", paper="a4"))


def test_an_unknown_language_is_a_400_naming_the_choices(client):
    response = client.get(f"{reverse('wizard_sheet')}?{urlencode({**PAIR, 'language': 'pt'})}")
    assert response.status_code == 400
    assert "No sheet in" in response.text
    assert "en-us" in response.text


def test_an_issued_sheet_is_kept_per_language_and_stays_in_it(client):
    saved = configuration_save(battery="weco-5k3-xp", inverter="deye-hybrid", options=Options(packs=2))
    url = reverse("saved_sheet", args=[saved.public_id])
    german = client.get(url, {"language": "de"})
    english = client.get(url)
    assert german.status_code == english.status_code == 200
    assert "inbetriebnahmeblatt" in pdf_text(german.content).lower()
    assert "commissioning sheet" in pdf_text(english.content).lower()
    assert sorted(IssuedSheet.objects.values_list("language", flat=True)) == ["de", "en"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"  # the page's language changes nothing already issued
    assert client.get(url, {"language": "de"}).content == german.content


def test_a_record_is_printed_in_the_language_it_was_issued_in(client):
    saved = configuration_save(battery="generic-lfp-bms", inverter="victron-color-control", options=Options(packs=3))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "it"
    response = client.post(reverse("record_new", args=[saved.public_id]), filled(resistance="61,5"))
    assert response.status_code == 302, response.content[:500]
    record = CommissioningRecord.objects.get()
    assert record.language == "it"
    assert record.found["link"]["resistance"] == "61.5"  # the Italian decimal comma, read as a number
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # read later in English: the PDF stays Italian
    text = pdf_text(client.get(reverse("record_pdf", args=[record.public_id])).content)
    assert "verbale di messa in servizio" in text.lower()
    assert "01/12/2026" in text  # commissioned on, as Italian writes it
    assert "61,5" in text  # the resistance found, as Italian writes it
    assert "commissioning record" not in text.lower()


def test_the_page_is_in_the_switchers_language_else_the_browsers(client):
    assert '<html lang="de">' in client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9").text
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9").text
    assert "Welcher Wechselrichter?" in page
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 302
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9").text  # the cookie wins over the browser
    assert "Quel onduleur ?" in page
    assert '<html lang="fr">' in page


def test_the_switcher_is_a_csrf_protected_form_on_every_page(client):
    page = client.get("/").text
    assert 'action="/language/"' in page
    assert "csrfmiddlewaretoken" in page
    for code, name in settings.LANGUAGES:
        assert f'value="{code}"' in page
        assert name in page


# --- the API -----------------------------------------------------------------------------------------------------


def test_the_api_words_findings_in_the_accept_language_and_keeps_their_codes(client):
    saved = configuration_save(battery="weco-5k3-xp", inverter="deye-hybrid", options=Options(packs=3))
    url = f"/api/v1/configurations/{saved.public_id}/"
    english = client.get(url).json()
    german = client.get(url, HTTP_ACCEPT_LANGUAGE="de-CH, de;q=0.8, en;q=0.5")
    assert german["Content-Language"] == "de"
    assert "Accept-Language" in german["Vary"]
    reasons_en, reasons_de = english["result"]["reasons"], german.json()["result"]["reasons"]
    assert [r["code"] for r in reasons_de] == [r["code"] for r in reasons_en]
    assert [r["params"] for r in reasons_de] == [r["params"] for r in reasons_en]
    assert reasons_de[0]["message"].startswith("Dokumentiert vom Batteriehersteller")
    assert reasons_en[0]["message"].startswith("Documented by the battery maker")
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="pt-BR").json() == english  # a language not offered: English


def test_the_api_refuses_in_the_accept_language(client):
    body = {"battery": "weco-5k3-xp", "inverter": "deye-hybrid", "packs": 999}
    response = client.post("/api/v1/configurations/", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 400
    assert "módulos" in str(response.json())


def test_a_saved_sheet_is_cached_for_good_only_under_an_address_that_names_its_language(client):
    saved = configuration_save(battery="weco-5k3-xp", inverter="deye-hybrid", options=Options(packs=2))
    url = reverse("saved_sheet", args=[saved.public_id])
    named = client.get(url, {"language": "de"})
    assert named["Cache-Control"] == "public, max-age=31536000, immutable"
    unnamed = client.get(url, HTTP_ACCEPT_LANGUAGE="de")  # the same bytes, but this address answers per reader
    assert unnamed.content == named.content
    assert unnamed["Cache-Control"] == "private, max-age=300"
    assert {"Accept-Language", "Cookie"} <= {part.strip() for part in unnamed["Vary"].split(",")}
    page = client.get(reverse("saved_configuration", args=[saved.public_id]), HTTP_ACCEPT_LANGUAGE="fr").text
    assert f"/c/{saved.public_id}/sheet.pdf?language=fr" in page  # the page links the address that names it
