"""The catalog admin's deepest messages in the distributor's language: the catalog file checks' errors (the
schema's and our own, with their file and line), the upload's report and the publish checks' problems. None of
them is the schema library's English."""

import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from catalog.catalog_files import PATTERN_DESCRIPTIONS, load_catalog_file, validate_catalog
from catalog.models import Account
from catalog.selectors import catalog_index_get
from tests import factories
from tests.configurator.test_publishing import _draft_battery
from tests.conftest import FIXTURES_DIR

pytestmark = pytest.mark.usefixtures("shipped_catalog")

# What jsonschema says in English, for each check the catalog's schema makes.
SCHEMA_ENGLISH = (
    "is not of type",
    "is a required property",
    "is too long",
    "is too short",
    "should be non-empty",
    "is greater than the maximum",
    "has non-unique elements",
    "is not a 'uri'",
    "does not match",
    "should not be valid under",
    "is not valid under any",
    "is not one of",
    "Additional properties",
    "does not have enough properties",
)
# One file that fails every kind of schema check, each on its own line.
BROKEN = """\
manufacturers:
- slug: Not A Slug
  name: X
- slug: ok-maker
  name: ''
  website: not-a-web-address
  product_lines: [A, A]
protocols:
- slug: p1
  name: P
  bus: canbus
  bitrate: -5
  colour: red
  source: {document: 000_630895463bb398d7.txt}
- slug: p2
  name: '%s'
  bus: can
  source: {document: 000_630895463bb398d7.txt, section: S}
  published: maybe
"""


def errors_in(language: str, tmp_path, text: str) -> list[str]:
    path = tmp_path / "broken.yaml"
    path.write_text(text)
    with translation.override(language):
        return [str(error) for error in validate_catalog([load_catalog_file(path)], catalog_index_get())]


@pytest.mark.parametrize("language", ["de", "it", "es", "fr"])
def test_the_schema_checks_speak_the_readers_language_never_the_librarys_english(language, tmp_path):
    found = errors_in(language, tmp_path, BROKEN % ("x" * 200))
    english = errors_in("en", tmp_path, BROKEN % ("x" * 200))
    assert len(found) == len(english) >= 10
    leaked = [error for error in found if any(words in error for words in SCHEMA_ENGLISH)]
    assert leaked == []
    assert [error.split(": ", 1)[0] for error in found] == [error.split(": ", 1)[0] for error in english]  # lines
    assert len(set(found) & set(english)) <= 1  # only a message made of values alone reads the same


def test_a_german_distributors_upload_is_checked_in_german_with_file_and_line(client):
    client.force_login(factories.admin_user("weco-editor", Account.Kind.DISTRIBUTOR, "weco"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    text = (FIXTURES_DIR / "devices/weco/weco-5k3-xp.yaml").read_text()
    text = text.replace("  - name: CAN\n", "  - name: CAN\n    colour: blue\n", 1).replace(
        "kind: battery", "kind: toaster"
    )
    upload = SimpleUploadedFile("weco-5k3-xp.yaml", text.encode())
    page = client.post(reverse("admin:catalog_upload"), {"file": upload}).text
    assert "&#x27;toaster&#x27; ist keine gültige Auswahl: eine von inverter, battery, adapter" in page
    assert "Unbekanntes Feld: gehört nicht zur Form dieses Eintrags" in page
    assert "weco-5k3-xp.yaml:4" in page  # the kind's line


def test_the_upload_report_is_in_the_readers_language(admin_client):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    text = (FIXTURES_DIR / "devices/weco/weco-5k3-xp.yaml").read_text()
    text = text.replace("model: 5K3 XP", "model: 5K3 XP (2026)", 1)
    upload = SimpleUploadedFile("weco-5k3-xp.yaml", text.encode())
    page = " ".join(admin_client.post(reverse("admin:catalog_upload"), {"file": upload}).text.split())
    assert "1 fichier lu ; changerait : mis à jour : 1 appareils." in page


def test_the_publish_checks_problems_are_in_the_readers_language(client):
    battery = _draft_battery()
    client.force_login(factories.admin_user("weco-editor", Account.Kind.DISTRIBUTOR, "weco"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    refused = client.post(reverse("admin:catalog_device_publish", args=[battery.pk]))
    assert refused.status_code == 409
    assert "le port &#x27;CAN&#x27; ne liste aucune broche alors que son brochage est marqué" in refused.text


def test_every_pattern_the_schema_explains_has_its_explanation_in_the_catalogs():
    described = set()
    for path in (FIXTURES_DIR / "schema").glob("*.schema.json"):
        stack = [json.loads(path.read_text())]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                if "pattern" in node and "description" in node:
                    described.add(node["description"])
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
    assert described == set(PATTERN_DESCRIPTIONS)
