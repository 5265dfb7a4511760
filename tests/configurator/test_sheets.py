"""The PDF commissioning sheet, checked as a real PDF (pdftotext, pdftoppm, pdfinfo, pdfdetach): the facts a
fitter needs, the saved sheet frozen, the cache, paper sizes, and nothing fetched but our own static files."""

import re
import subprocess
from io import BytesIO
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.urls import reverse
from PIL import Image

from catalog.models import DocumentedPairing, Note, PinAssignment
from configurator import pdf
from configurator.services import (
    commissioning_sheet_render,
    configuration_build,
    configuration_save,
    sheet_static_files,
)
from tests import factories

pytestmark = pytest.mark.usefixtures("shipped_catalog")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def poppler(tool: str, data: bytes, *args: str) -> str:
    done = subprocess.run([tool, *args, "-", "-"], input=data, capture_output=True, check=True)
    return done.stdout.decode()


def text_of(data: bytes) -> str:
    """The PDF's text, with runs of spaces folded (layout columns vary)."""
    return re.sub(r"[ \t]+", " ", poppler("pdftotext", data, "-layout"))


def flat(data: bytes) -> str:
    """The PDF's text as one line: for sentences the layout may wrap."""
    return " ".join(poppler("pdftotext", data).split())


def info(data: bytes) -> str:
    return subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()


def sheet(client, **params):
    response = client.get(f"{reverse('wizard_sheet')}?{urlencode(params)}")
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    return response


def test_a_documented_four_pack_sheet_has_the_cable_the_switches_the_settings_and_the_sources(client):
    response = sheet(
        client, inverter="victron-color-control", battery="generic-lfp-bms", packs=4, site_name="North barn"
    )
    text = text_of(response.content)
    assert "DOCUMENTED: a source documents this pair" in text
    assert re.search(r"CAN_H 4 CANH 7 CAN H blue", text)
    assert re.search(r"CAN_L 5 CANL 8 CAN L white/blue", text)
    assert "pin 1 (white/orange)" in text
    assert "Pack 1: master (wired to the inverter), address 0" in flat(response.content)
    assert "Pack 4: last slave, address 3" in text
    assert "pattern 000010" in text
    assert "pattern 110000" in text
    assert "Protocol: Victron CAN = xxxx10" in text
    assert "about 60 Ω when both ends are terminated" in flat(response.content)
    sources = flat(response.content).split("Sources", 1)[1]
    assert "001_37f4442432f1a2d3.txt (Generic LFP battery BMS manual" in sources
    assert "“3. Inverter pins definition”" in sources
    assert "002_c222e5cb0cff1dc1.txt (WeCo: connection cables and accessories): " in sources
    assert "“VICTRON COLOR CONTROL CAN PIN OUT”" in sources
    assert "Cable continuity tested" in text
    assert "North barn" in text
    assert "Configuration not saved · catalog revision" in text
    pages = int(re.search(r"Pages:\s+(\d+)", info(response.content))[1])
    assert re.search(rf"\b1 ?/ ?{pages}\b", text)  # "x / y" page numbers
    title = re.search(r"Title:\s+(.+)", info(response.content))[1].strip()
    assert title == "Commissioning sheet: Generic LFP battery BMS + Victron Energy Color Control"  # maker unnamed
    # a download (the wizard tab stays), named after the site and the pair
    disposition = 'attachment; filename="commissioning-north-barn-generic-lfp-bms-victron-color-control.pdf"'
    assert response["Content-Disposition"] == disposition


def test_the_inverter_menu_path_and_value_are_on_the_sheet(client):
    text = text_of(sheet(client, inverter="deye-hybrid", battery="weco-5k3-xp").content)
    assert "Deye LCD: LCD selection = CAN 00" in text
    assert re.search(r"CAN_H 1 CAN H 4", text)


def test_a_derived_sheet_says_so_and_carries_the_derived_cable(client):
    text = text_of(sheet(client, inverter="deye-hybrid", battery="pylontech-us5000").content)
    assert "DERIVED" in text
    assert "Derived from both pin tables." in text
    assert re.search(r"CAN_GND 6 CAN-GND 2 GND green", text)
    assert "Pylon CAN (500 kbit/s)" in text


def test_page_one_is_drawn(client):
    data = sheet(client, inverter="victron-color-control", battery="generic-lfp-bms").content
    png = subprocess.run(
        ["pdftoppm", "-f", "1", "-l", "1", "-r", "40", "-png", "-"], input=data, capture_output=True, check=True
    ).stdout
    image = Image.open(BytesIO(png)).convert("L")
    dark = sum(count for count, value in image.getcolors(maxcolors=256) if value < 200)
    assert dark / (image.width * image.height) > 0.03  # text, tables, the diagram: not a blank page
    colours = Image.open(BytesIO(png)).convert("RGB").getcolors(maxcolors=1_000_000)
    assert any(b > 150 and r < 80 for _, (r, g, b) in colours)  # the blue CAN_H conductor is drawn


def test_letter_paper_on_request_and_a4_by_default(client):
    params = {"inverter": "deye-hybrid", "battery": "weco-5k3-xp"}
    assert "595.276 x 841.89 pts" in info(sheet(client, **params).content)
    assert "612 x 792 pts" in info(sheet(client, **params, paper="letter").content)


@pytest.mark.parametrize(("extra", "message"), [({"paper": "a3"}, "Unknown paper"), ({"lang": "xx"}, "No sheet in")])
def test_unknown_paper_or_language_is_a_clear_400(client, extra, message):
    response = client.get(
        f"{reverse('wizard_sheet')}?{urlencode({'inverter': 'deye-hybrid', 'battery': 'weco-5k3-xp', **extra})}"
    )
    assert response.status_code == 400
    assert message in response.text


def test_a_second_download_is_served_from_the_cache(client, monkeypatch):
    renders = []
    real = pdf.html_to_pdf_bounded
    monkeypatch.setattr(
        "configurator.services.html_to_pdf_bounded", lambda html, **limits: renders.append(1) or real(html, **limits)
    )
    params = {"inverter": "deye-hybrid", "battery": "weco-5k3-xp", "packs": 2}
    first, second = sheet(client, **params), sheet(client, **params)
    assert (first["X-Sheet-Cache"], second["X-Sheet-Cache"]) == ("miss", "hit")
    assert first.content == second.content
    assert first["ETag"] == second["ETag"]
    assert len(renders) == 1
    sheet(client, **params, site_name="Other site")
    assert len(renders) == 2


def test_a_saved_sheet_comes_from_its_snapshot_whatever_the_catalog_does(client):
    saved = configuration_save(battery="weco-5k3-xp", inverter="deye-hybrid", site={"installer": "A. Fitter"})
    url = reverse("saved_sheet", args=[saved.public_id]) + "?language=en"  # as the saved page links it
    before = client.get(url)
    assert before.status_code == 200
    assert before["Cache-Control"] == "public, max-age=31536000, immutable"
    DocumentedPairing.objects.filter(battery__slug="weco-5k3-xp", inverter__slug="deye-hybrid").delete()
    PinAssignment.objects.filter(port__device__slug="weco-5k3-xp").update(label="CHANGED")
    cache.clear()
    after = client.get(url)
    assert (before["X-Sheet-Cache"], after["X-Sheet-Cache"]) == ("miss", "stored")
    assert after.content == before.content  # the kept bytes of the issued sheet
    assert after["ETag"] == before["ETag"]
    text = text_of(after.content)
    assert "DOCUMENTED" in text
    assert "CHANGED" not in text
    assert f"Configuration {saved.public_id} · catalog revision {saved.catalog_revision[:12]}" in text
    assert "A. Fitter" in text


def test_an_unknown_saved_sheet_is_a_404(client):
    assert client.get(reverse("saved_sheet", args=["ZZZZZZZZZZ"])).status_code == 404


# --- safety ---------------------------------------------------------------------------------------------------------

HOSTILE = [
    '<img src="file:///etc/passwd">',
    '<link rel="attachment" href="file:///etc/passwd">',
    "http://169.254.169.254/latest/meta-data/",
    '<style>@import url("http://169.254.169.254/evil.css");</style>',
]


def test_hostile_catalog_text_is_printed_escaped_and_nothing_is_fetched(client):
    pairing = DocumentedPairing.objects.get(battery__slug="generic-lfp-bms", inverter__slug="victron-color-control")
    for n, text in enumerate(HOSTILE, start=50):
        Note.objects.create(pairing=pairing, position=n, kind="warning", text=text, source=factories.source())
    PinAssignment.objects.filter(port__device__slug="generic-lfp-bms", port__name="CAN", position=4).update(
        label='<img src="file:///etc/passwd">'
    )
    downloaded = sheet(client, inverter="victron-color-control", battery="generic-lfp-bms").content
    rendered = commissioning_sheet_render(
        configuration=configuration_build(battery="generic-lfp-bms", inverter="victron-color-control"),
        site={},
        public_url="https://configurator.example/result/",
        sheet_id=None,
        revision="0" * 64,
        client="127.0.0.1",
    )

    assert rendered.refused == ()  # escaped text asks for nothing
    assert rendered.served  # the sheet's own stylesheets
    assert all(url.startswith(pdf.BASE_URL + "static/") for url in rendered.served)
    for data in (downloaded, rendered.pdf):
        assert pdfdetach_count(data) == 0
        text = flat(data)
        for hostile in HOSTILE:
            assert hostile in text
        assert "root:x:0:0" not in text


def pdfdetach_count(data: bytes) -> int:
    done = subprocess.run(["pdfdetach", "-list", "-"], input=data, capture_output=True)
    match = re.search(r"(\d+) embedded files", done.stdout.decode())
    return int(match[1]) if match else 0


def test_the_fetcher_refuses_everything_but_our_static_files():
    fetcher = pdf.StaticOnlyFetcher(sheet_static_files())
    for url in [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.com/static/css/sheet.css",
        pdf.BASE_URL + "etc/passwd",
        pdf.BASE_URL + "static/../../../etc/passwd",
        pdf.BASE_URL + "static/%2e%2e/%2e%2e/etc/passwd",
        pdf.BASE_URL + "static/css/does-not-exist.css",
    ]:
        with pytest.raises(ValueError, match="only load this project's static files"):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 7


def test_even_unescaped_html_cannot_make_the_renderer_fetch_or_attach():
    """Defence in depth: were catalog text ever to reach the sheet unescaped, the fetcher still refuses."""
    fetcher = pdf.StaticOnlyFetcher(sheet_static_files())
    html = (
        "<html><head>" + HOSTILE[1] + HOSTILE[3] + "</head><body>" + HOSTILE[0] + "<p>still rendered</p></body></html>"
    )
    data = pdf.html_to_pdf(html, static=sheet_static_files(), fetcher=fetcher)
    assert "still rendered" in text_of(data)
    assert fetcher.served == []
    assert set(fetcher.refused) >= {"file:///etc/passwd", "http://169.254.169.254/evil.css"}
    assert pdfdetach_count(data) == 0


def wordiest_documented_pair() -> tuple[str, str]:
    """The documented pair whose result has the most warnings and notes: the longest one-pack sheet."""
    from configurator.messages import message
    from configurator.services import configuration_build

    def length(pair):
        result = configuration_build(battery=pair[0], inverter=pair[1])
        notes = result.cable.notes + result.cable.hazards if result.cable else ()
        return sum(len(message(item)) for item in (*result.warnings, *notes, *result.reasons))

    pairs = set(DocumentedPairing.objects.values_list("battery__slug", "inverter__slug"))
    return max(sorted(pairs), key=length)


def test_a_one_pack_sheet_fits_on_two_pages(client):
    pairs = [
        ("generic-lfp-bms", "victron-color-control"),
        ("weco-4k4-pro", "schneider-xw-pro"),
        ("pylontech-us5000", "deye-hybrid"),
        wordiest_documented_pair(),
    ]
    for battery, inverter in pairs:
        data = sheet(client, battery=battery, inverter=inverter).content
        pages = int(re.search(r"Pages:\s+(\d+)", info(data))[1])
        assert pages <= 2, (battery, inverter, pages)
