"""Template syntax never reaches the user: Django's {# #} comments end on their own line (a comment spanning two
lines is printed as text), and no page the product serves contains template tags."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_no_template_has_a_comment_spanning_lines():
    broken = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if line.count("{#") > line.count("#}")
    ]
    assert broken == []


@pytest.mark.usefixtures("shipped_catalog")
@pytest.mark.parametrize(
    "address",
    [
        "/",
        "/?q=solis",
        "/battery/?inverter=deye-hybrid",
        "/options/?inverter=deye-hybrid&battery=pylontech-us5000",
        "/result/?inverter=deye-hybrid&battery=pylontech-us5000&packs=3",
        "/result/?inverter=solis-s6-eh3p-h-eu&battery=weco-5k3-lv-hv",
        "/result/?inverter=deye-hybrid&battery=pylontech-us5000&packs=99",
        "/battery/?inverter=nope",
    ],
)
def test_no_served_page_shows_template_syntax(client, address):
    page = client.get(address).text
    assert not re.search(r"\{[#%]|[#%]\}", page), re.search(r".{0,60}(\{[#%]|[#%]\}).{0,60}", page)
