"""The sheet's layout, read back from the PDF's text positions (poppler's pdftotext -bbox-layout) for 1, 3, 16
and the most packs: nothing past the margins, no page with only a heading at its foot or nearly nothing on it, the
site and signature block on one page, and a stack's packs grouped by pattern."""

import re
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest

from catalog.models import DeviceProtocol
from configurator.domain import Options
from configurator.services import commissioning_sheet_render, pair_load

pytestmark = pytest.mark.usefixtures("shipped_catalog")

XHTML = "{http://www.w3.org/1999/xhtml}"
MM = 72 / 25.4
SIDE_MARGIN = 12 * MM  # static/css/sheet.css @page margin
FOOTER = 12 * MM
HEADING = re.compile(r"^(\d\. \S.*|Warnings|Sources)$")


@dataclass
class Line:
    text: str
    left: float
    top: float
    right: float


@dataclass
class Page:
    width: float
    height: float
    lines: list[Line]

    @property
    def body(self) -> list[Line]:
        """The lines above the footer (the page's margin boxes), top to bottom."""
        return sorted((line for line in self.lines if line.top < self.height - FOOTER), key=lambda line: line.top)

    def has(self, text: str) -> bool:
        return any(text in line.text for line in self.lines)


def pages_of(pdf: bytes) -> list[Page]:
    xml = subprocess.run(["pdftotext", "-bbox-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    pages = []
    for page in ET.fromstring(xml).iter(f"{XHTML}page"):  # noqa: S314 - poppler's output for our own PDF
        lines = [
            Line(
                " ".join(word.text or "" for word in line.iter(f"{XHTML}word")),
                float(line.get("xMin")),
                float(line.get("yMin")),
                float(line.get("xMax")),
            )
            for line in page.iter(f"{XHTML}line")
        ]
        pages.append(Page(float(page.get("width")), float(page.get("height")), lines))
    return pages


_clients = iter(range(10**6))


def render(battery: str, inverter: str, packs: int, **site) -> bytes:
    configuration = pair_load(battery=battery, inverter=inverter).build(Options(packs=packs))
    site = {"site_name": "Barn roof, Via Roma 12", "installer": "Anna Installer", **site}
    return commissioning_sheet_render(
        configuration=configuration,
        site=site,
        public_url="https://configurator.example/result/",
        sheet_id=None,
        revision="0123456789abcdef",
        client=f"layout-test-{next(_clients)}",  # one render each: no client's rate is reached
    ).pdf


def assert_laid_out(pages: list[Page]) -> None:
    for number, page in enumerate(pages, 1):
        for line in page.lines:
            assert line.left >= SIDE_MARGIN - 1, (number, line.text)
            assert line.right <= page.width - SIDE_MARGIN + 1, (number, line.text)
        body = page.body
        assert any(not HEADING.match(line.text) for line in body), f"page {number} is blank but for a heading"
        assert not HEADING.match(body[-1].text), f"page {number} ends with the heading {body[-1].text!r}"
    site = [n for n, page in enumerate(pages) if page.has("6. Site")]
    signatures = [n for n, page in enumerate(pages) if page.has("Customer: name, signature, date")]
    assert site == signatures, "the site and signature block is split across pages"
    dip = next((page for page in pages if page.has("3. Battery DIP switches")), None)
    if dip is not None:
        assert dip.has("Pack 1"), "the DIP heading's page holds none of its packs"


STACKS = [
    ("generic-lfp-bms", "victron-color-control", [1, 3, 16]),  # an address per pack (001); 16 is the most
    ("weco-5k3-xp", "solis-rhi-48es-5g", [1, 3, 16, 64]),  # all OFF but the last (000); 64 is the most
]


@pytest.mark.parametrize(
    ("battery", "inverter", "packs"), [(b, i, n) for b, i, counts in STACKS for n in counts], ids=str
)
def test_the_sheet_keeps_its_blocks_whole_and_inside_the_margins(battery, inverter, packs):
    pages = pages_of(render(battery, inverter, packs))
    assert_laid_out(pages)


def test_a_stack_sharing_a_pattern_is_one_drawing_and_a_table_row_per_pack():
    pages = pages_of(render("weco-5k3-xp", "solis-rhi-48es-5g", 16))
    text = "\n".join(line.text for page in pages for line in page.lines)
    assert "Packs 1\u201315 (pack 1 is the master, wired to the inverter)" in " ".join(text.split())
    assert "Pack 16: last slave" in text
    assert len(re.findall(r"^Pack \d+ \((?:master|slave|last slave)\)", text, re.MULTILINE)) == 16  # the rows


def test_a_long_firmware_condition_wraps_inside_the_margin():
    DeviceProtocol.objects.filter(device__slug="weco-5k3-xp").update(
        firmware=">= V2103build20240117SOLISCANextendedcompatibilityreleasecandidate0042"
    )
    from configurator.services import catalog_cache_clear

    catalog_cache_clear()
    typed = "ARM-V2103-20240117-SOLISCAN-EXT-0042" * 2  # an unbroken version typed into the site form
    pdf = render("weco-5k3-xp", "solis-rhi-48es-5g", 3, battery_firmware=typed.replace("-", ""))
    pages = pages_of(pdf)
    assert any(page.has("Firmware required") for page in pages)
    assert_laid_out(pages)
