"""The installable app's server side (configurator/offline.py): the manifest, the icons, the service worker and the
offline page; the saved result's "Keep for offline" and its offline banner. The browser side runs in
tests/e2e/test_offline_browser.py."""

import io
import json
import re

import pytest
from django.urls import reverse
from PIL import Image

from configurator import offline
from configurator.domain import Options
from configurator.services import configuration_save

pytestmark = pytest.mark.usefixtures("shipped_catalog")


def worker_config(client) -> dict:
    text = client.get(reverse("service_worker")).text
    return json.loads(re.search(r"const CONFIG = (\{.*\});", text).group(1))


def test_the_manifest_makes_the_site_installable_in_the_readers_language(client):
    response = client.get(reverse("web_manifest"), HTTP_ACCEPT_LANGUAGE="de")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "Konfigurator Batterie ↔ Wechselrichter"
    assert (manifest["display"], manifest["scope"], manifest["lang"]) == ("standalone", "/", "de")
    assert manifest["start_url"].startswith("/")
    sizes = {icon["sizes"]: icon for icon in manifest["icons"]}
    for size in (192, 512):
        icon = client.get(sizes[f"{size}x{size}"]["src"])
        assert icon["Content-Type"] == "image/png"
        assert Image.open(io.BytesIO(icon.content)).size == (size, size)
    assert client.get("/icons/app-64.png").status_code == 404  # only the sizes the manifest names
    page = client.get(reverse("home")).text
    assert f'<link rel="manifest" href="{reverse("web_manifest")}">' in page


def test_the_service_worker_is_served_at_the_root_never_from_the_http_cache(client):
    response = client.get(reverse("service_worker"))
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/"
    config = worker_config(client)
    assert config["keptCache"] == offline.KEPT_CACHE
    assert reverse("offline") in config["shell"]
    for url in config["shell"]:  # everything the worker caches when it installs is there
        assert client.get(url).status_code == 200, url
    assert 'data-service-worker="/service-worker.js"' in client.get(reverse("home")).text


def test_a_deploy_that_changes_a_file_renames_the_shell_cache(client, monkeypatch):
    before = worker_config(client)["version"]
    assert worker_config(client)["version"] == before  # stable between requests
    monkeypatch.setattr(offline, "SHELL_ASSETS", (*offline.SHELL_ASSETS, "css/sheet.css"))
    assert worker_config(client)["version"] != before


def test_the_offline_page_says_the_step_needs_the_server(client):
    page = client.get(reverse("offline"), HTTP_ACCEPT_LANGUAGE="it").text
    assert "data-kept-list" in page
    assert '<html lang="it">' in page


def test_a_saved_result_offers_to_keep_itself_and_its_sheet_and_says_how_old_a_kept_copy_is(client):
    saved = configuration_save(battery="weco-5k3-xp", inverter="deye-hybrid", options=Options(packs=3))
    page = " ".join(client.get(reverse("saved_configuration", args=[saved.public_id])).text.split())
    sheet = reverse("saved_sheet", args=[saved.public_id]) + "?language=en"
    assert f'data-keep-sheet="{sheet}"' in page
    assert f'data-keep-cache="{offline.KEPT_CACHE}"' in page
    assert "Keep for offline" in page
    issued = saved.created_at.strftime("%Y-%m-%d")
    assert "No connection: this is the copy kept on this device, fetched on " in page
    assert f"The answer was issued on {issued}." in page
    assert "data-offline-banner hidden" in page  # shown by the page's script only when the connection is gone


def test_a_record_filled_before_another_was_issued_is_a_conflict_shown_never_issued_blindly(client):
    from configurator.models import CommissioningRecord
    from tests.configurator.test_records import filled

    saved = configuration_save(battery="weco-5k3-xp", inverter="deye-hybrid", options=Options(packs=3))
    url = reverse("record_new", args=[saved.public_id])
    assert 'name="seen_record" value=""' in client.get(url).text  # the form names the newest record it saw
    first = client.post(url, filled(seen_record=""))
    assert first.status_code == 302
    issued = CommissioningRecord.objects.get()

    late = client.post(url, filled(seen_record="", installer="Offline Olaf"))  # filled before the first one
    assert late.status_code == 409
    assert f'href="{reverse("record_detail", args=[issued.public_id])}"' in late.text
    assert "was issued elsewhere (Anna Installer" in late.text
    assert f'name="seen_record" value="{issued.public_id}"' in late.text  # sending it again issues it
    assert CommissioningRecord.objects.count() == 1
    again = client.post(url, filled(seen_record=issued.public_id, installer="Offline Olaf"))
    assert again.status_code == 302
    assert CommissioningRecord.objects.count() == 2


def prepare(client, **params):
    return client.get(reverse("prepare_site"), {"inverter": "deye-hybrid", **params})


def test_prepare_for_a_site_lists_every_result_for_both_colour_standards_with_the_pages_own_links(client):
    form = prepare(client)
    assert form.status_code == 200
    assert 'value="weco-5k3-xp"' in form.text  # a candidate battery
    assert "data-keep-all" not in form.text  # nothing chosen yet
    response = prepare(client, battery=["weco-5k3-xp", "pylontech-us5000"], packs="1, 2")
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(row.packs, row.colours) for row in rows[:4]] == [(1, "t568b"), (1, "t568a"), (2, "t568b"), (2, "t568a")]
    assert len(rows) == 8
    kept = json.loads(response.context["keep_urls"])
    assert len(kept) == 16  # each result's page and its sheet
    page = client.get(rows[3].page)
    assert page.status_code == 200
    assert f'href="{rows[3].sheet.replace("&", "&amp;")}"' in page.text  # the page's own sheet link: kept as is
    assert "T568A" in page.text
    battery_step = client.get(reverse("wizard_battery"), {"inverter": "deye-hybrid"}).text
    assert f"{reverse('prepare_site')}?inverter=deye-hybrid" in battery_step


def test_prepare_refuses_what_the_engine_refuses_and_bad_input_with_a_form_error(client):
    rows = prepare(client, battery=["generic-lfp-bms"], packs="40").context["rows"]
    assert {row.verdict for row in rows} == {None}
    assert "at most" in rows[0].refusal  # more packs than the battery stacks: said, not linked
    for packs in ("", "two", "1, 2, 3, 4, 5", "0"):
        bad = prepare(client, battery=["weco-5k3-xp"], packs=packs)
        assert bad.status_code == 400, packs
        assert bad.context["rows"] == []
    assert prepare(client, battery=["not-a-battery"]).status_code == 400
    assert client.get(reverse("prepare_site"), {"inverter": "nope"}).status_code == 404
