"""Two hosts behind one proxy behave as one site: what one host counted, rendered, saved or was told, the other
knows at its next request; and losing a host costs only the requests it was answering."""

import threading
import time

import pytest

from bench.load import Load
from tests.scaleout.conftest import ADMIN, ANONYMOUS_RATE, AdminBrowser

pytestmark = pytest.mark.scaleout

PAIR = {"inverter": "deye-hybrid", "battery": "weco-5k3-xp"}


def test_the_anonymous_rate_limit_holds_across_both_hosts(site):
    client = "127.0.0.11"
    answers = [site.get("/api/v1/devices/?kind=battery", source=client) for _ in range(ANONYMOUS_RATE + 10)]
    statuses = [answer.status for answer in answers]
    assert statuses == [200] * ANONYMOUS_RATE + [429] * 10  # not 2 x 2 workers' worth
    assert {answer.headers["x-served-by"] for answer in answers[:ANONYMOUS_RATE]} == {"a", "b"}
    assert {answer.headers["x-served-by"] for answer in answers[ANONYMOUS_RATE:]} == {"a", "b"}
    assert site.get("/api/v1/devices/?kind=battery", source="127.0.0.12").status == 200  # another client is not


def test_a_configuration_created_on_host_a_is_fetched_from_host_b(site):
    created = site.request("POST", "/api/v1/configurations/", host="a", source="127.0.0.13", body={**PAIR, "packs": 2})
    assert created.status == 201
    public_id = created.json()["id"]
    fetched = site.get(f"/api/v1/configurations/{public_id}/", host="b", source="127.0.0.13")
    assert fetched.status == 200
    assert fetched.json()["result"] == created.json()["result"]
    page = site.get(f"/c/{public_id}", host="b", source="127.0.0.13")
    assert page.status == 200
    assert public_id.encode() in page.body


def wait_for_issued_sheet(site, public_id: str, paper: str = "a4", seconds: float = 60) -> str | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        rows = site.query(
            "SELECT s.rendered_by FROM configurator_issuedsheet s JOIN configurator_savedconfiguration c "
            "ON c.id = s.configuration_id WHERE c.public_id = %s AND s.paper = %s",
            public_id,
            paper,
        )
        if rows:
            return rows[0][0]
        time.sleep(0.25)
    return None


def test_the_worker_renders_a_saved_sheet_and_both_hosts_serve_the_kept_bytes(site):
    created = site.request("POST", "/api/v1/configurations/", host="a", source="127.0.0.14", body=PAIR)
    public_id = created.json()["id"]
    assert wait_for_issued_sheet(site, public_id) == "worker"
    via_a = site.get(f"/c/{public_id}/sheet.pdf", host="a", source="127.0.0.14")
    via_b = site.get(f"/c/{public_id}/sheet.pdf", host="b", source="127.0.0.14")
    assert via_a.status == via_b.status == 200
    assert via_a.body.startswith(b"%PDF-")
    assert via_a.headers["x-sheet-cache"] == via_b.headers["x-sheet-cache"] == "stored"
    assert via_a.body == via_b.body


def test_a_sheet_rendered_via_host_a_is_served_stored_via_host_b(site):
    created = site.request("POST", "/api/v1/configurations/", host="a", source="127.0.0.15", body=PAIR)
    public_id = created.json()["id"]
    # Letter paper: the worker renders A4 only, so host A renders this one on the download
    via_a = site.get(f"/c/{public_id}/sheet.pdf?paper=letter", host="a", source="127.0.0.15")
    assert via_a.status == 200
    assert via_a.headers["x-sheet-cache"] == "miss"
    via_b = site.get(f"/c/{public_id}/sheet.pdf?paper=letter", host="b", source="127.0.0.15")
    assert via_b.headers["x-sheet-cache"] == "stored"
    assert via_b.body == via_a.body
    assert wait_for_issued_sheet(site, public_id, "letter", seconds=1) == "download"


def test_an_admin_edit_on_host_a_is_seen_by_host_b_at_its_next_request(site):
    ((pk, name),) = site.query("SELECT id, name FROM catalog_manufacturer WHERE slug = 'deye'")
    before = site.get("/api/v1/manufacturers/deye/", host="b", source="127.0.0.16")
    assert before.json()["name"] == name  # host B has read (and cached what it caches) before the edit
    page_before = site.get("/battery/?inverter=deye-hybrid", host="b", source="127.0.0.16")
    assert page_before.status == 200

    admin = AdminBrowser(site.url("a"))
    admin.login(*ADMIN)
    path = f"/admin/catalog/manufacturer/{pk}/change/"
    fields = [(key, "Deye (renamed on host A)" if key == "name" else value) for key, value in admin.form(path)]
    status, page = admin.open(path, fields)
    assert status == 200
    assert "was changed successfully" in page

    after = site.get("/api/v1/manufacturers/deye/", host="b", source="127.0.0.16")
    assert after.json()["name"] == "Deye (renamed on host A)", after.json()
    assert after.headers["x-catalog-version"] != before.headers["x-catalog-version"]
    assert {k: v for k, v in after.json().items() if k != "name"} == {
        k: v for k, v in before.json().items() if k != "name"
    }  # the form was posted back whole: nothing else changed
    page_after = site.get("/battery/?inverter=deye-hybrid", host="b", source="127.0.0.16").body.decode()
    assert "Choose the battery for Deye (renamed on host A) Hybrid inverters" in page_after, page_after[:1500]


def test_losing_one_host_mid_load_loses_only_the_requests_it_was_answering(site):
    load = Load(
        site.base,
        threads=6,
        weights={"wizard result": 3, "wizard battery step": 1, "wizard options": 1},
        source="127.0.0.17",
    )
    load.discover()
    outcome = {}
    runner = threading.Thread(target=lambda: outcome.update(report=load.run(14)))
    runner.start()
    time.sleep(4)
    killed_at = time.monotonic() - load.started
    killed = site.kill("a")
    runner.join()
    report = outcome["report"]
    print(report.summary(), f"host a ({len(killed)} processes) killed at {killed_at:.1f} s")
    try:
        failures = report.failures()
        assert len(failures) <= load.threads  # at most one request in flight per client thread
        assert all(f.at <= killed_at for f in failures)  # only requests that had started before the loss
        after = [a for a in report.answers if a.at > killed_at + 1]
        assert len(after) > 20  # the site went on answering, on host B
        assert all(a.status == 200 for a in after)
    finally:
        site.restart("a")
    assert site.get("/livez", host="a").status == 200
