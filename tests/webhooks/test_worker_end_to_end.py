"""The issue's whole path, against the real worker process and a real HTTP receiver on loopback: a distributor,
with only the API and its token, enters a new manufacturer's battery (the team created the maker and linked it to
the account), its document, a protocol selection and a documented pairing to a shipped inverter; the configurator
answers for the pair; a partner subscribed to that inverter receives the signed webhook within seconds."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.db import connection
from standardwebhooks.webhooks import Webhook

from catalog.models import Account, CatalogState, Manufacturer, WebhookDelivery
from catalog.tokens import api_token_create
from configurator.services import configuration_build
from tests import factories
from tests.factories import api_client

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("committed_catalog")]

ROOT = Path(__file__).resolve().parents[2]
INVERTER = "deye-hybrid"


class Receiver:
    """A loopback HTTP server that keeps what it is sent; ``fail_first`` answers 503 that many times first."""

    def __init__(self, fail_first: int = 0):
        self.received: list[tuple[dict, bytes]] = []
        self.fail_first = fail_first
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.fail_first > 0:
                    receiver.fail_first -= 1
                    self.send_response(503)
                    self.end_headers()
                    self.wfile.write(b"busy")
                    return
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait(self, count: int, seconds: float) -> list[tuple[dict, bytes]]:
        deadline = time.monotonic() + seconds
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.received

    def close(self):
        self.server.shutdown()


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgresql://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


@pytest.fixture
def worker(settings):
    """``manage.py procrastinate worker`` on the test database, as ``make run`` starts it."""
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "WEBHOOK_ALLOW_PRIVATE_TARGETS": "true",
        "WEBHOOK_RETRY_SECONDS": "1",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "procrastinate", "worker", "--queues", "webhooks", "--concurrency", "2"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    time.sleep(1.5)  # the worker listens for new jobs once started; jobs queued before are picked up anyway
    yield process
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _ok(response, status=201):
    assert response.status_code == status, response.content[:2000]
    return response.json()


def test_a_distributor_enters_a_battery_and_a_subscribed_partner_is_told_signed(worker, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    receiver = Receiver()
    try:
        staff = api_client(api_token_create(account=factories.account("Team", Account.Kind.STAFF), name="ops")[1])
        distributor_account = factories.account("ACME distribution", Account.Kind.DISTRIBUTOR)
        distributor = api_client(api_token_create(account=distributor_account, name="pim")[1])
        partner = api_client(api_token_create(account=factories.account("Shop", Account.Kind.PARTNER), name="s")[1])

        # The partner subscribes to the inverter's pairings and devices.
        hook = _ok(
            partner.post(
                "/api/v1/webhooks/",
                {"url": receiver.url, "events": ["pairing.changed", "device.changed"], "devices": [INVERTER]},
                format="json",
            )
        )
        assert hook["secret"].startswith("whsec_")

        start = CatalogState.objects.get().version
        # The team adds the maker and links it to the distributor's account (manufacturers are the team's).
        _ok(staff.post("/api/v1/manufacturers/", {"slug": "acme-storage", "name": "ACME Storage"}, format="json"))
        assert distributor.post("/api/v1/manufacturers/", {"slug": "x", "name": "X"}, format="json").status_code == 403
        distributor_account.manufacturers.add(Manufacturer.objects.get(slug="acme-storage"))

        # The distributor: its document, the battery with a protocol selection, published, then the pairing.
        _ok(
            distributor.post(
                "/api/v1/documents/", {"key": "acme-manual-2026.pdf", "title": "ACME LV manual 2026"}, format="json"
            )
        )
        source = {"document": "acme-manual-2026.pdf", "section": "4 Communication"}
        battery = {
            "slug": "acme-lv-pack",
            "manufacturer": "acme-storage",
            "kind": "battery",
            "model": "LV pack",
            "voltage_class": "lv",
            "source": source,
            "ports": [
                {
                    "name": "CAN",
                    "connector": "rj45",
                    "role": "inverter_link",
                    "buses": ["can"],
                    "termination": "switchable",
                    "pins": [
                        {"position": 4, "signal": "can_h"},
                        {"position": 5, "signal": "can_l"},
                        {"position": 2, "signal": "gnd"},
                    ],
                }
            ],
            "protocols": [{"protocol": "pylon-can", "method": "fixed"}],
            "published": True,
        }
        created = _ok(distributor.post("/api/v1/devices/", battery, format="json"))
        assert created["is_published"] is True
        inverter_port = next(
            p["name"]
            for p in _ok(api_client().get(f"/api/v1/devices/{INVERTER}/"), 200)["ports"]
            if "can" in p["buses"]
        )
        pairing = {
            "slug": f"acme-lv-pack--{INVERTER}",
            "battery": "acme-lv-pack",
            "inverter": INVERTER,
            "bus": "can",
            "protocol": "pylon-can",
            "battery_end": {"port": "CAN"},
            "inverter_end": {"port": inverter_port},
            "documented_by": "battery_maker",
            "source": {"document": "acme-manual-2026.pdf", "section": "5 Inverter list"},
        }
        _ok(distributor.post("/api/v1/pairings/", pairing, format="json"))

        # The configurator answers for the pair from the documented pairing.
        assert configuration_build(battery="acme-lv-pack", inverter=INVERTER).verdict == "documented"

        # The partner is told, signed, within seconds; the battery alone (not subscribed) sent nothing.
        received = receiver.wait(1, seconds=20)
        assert len(received) == 1, WebhookDelivery.objects.values_list("event", "status", "last_error")
        headers, body = received[0]
        Webhook(hook["secret"]).verify(body, headers)  # raises on a bad signature
        event = json.loads(body)
        assert event["type"] == "pairing.changed"
        assert event["data"] | {"key": pairing["slug"], "kind": "created"} == event["data"]
        assert set(event["data"]["devices"]) == {"acme-lv-pack", INVERTER}

        # The change feed shows what happened since, and names the account for the API writes.
        feed = _ok(api_client().get("/api/v1/changes/", {"since": start, "page_size": 200}), 200)
        mine = [(c["entity"], c["key"], c["account"]) for c in feed["results"] if "acme" in c["key"]]
        assert ("device", "acme-lv-pack", "ACME distribution") in mine
        assert ("pairing", pairing["slug"], "ACME distribution") in mine
    finally:
        receiver.close()


def test_a_failing_receiver_is_retried_with_backoff_and_the_last_response_kept(worker, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    receiver = Receiver(fail_first=2)
    try:
        staff = api_client(api_token_create(account=factories.account("Team", Account.Kind.STAFF), name="ops")[1])
        _ok(staff.post("/api/v1/webhooks/", {"url": receiver.url, "events": ["protocol.changed"]}, format="json"))
        _ok(staff.patch("/api/v1/protocols/pylon-can/", {"notes": "Checked again."}, format="json"), 200)
        received = receiver.wait(1, seconds=30)  # 503, 503 (1 s, 2 s later), then delivered
        assert len(received) == 1
        delivery = WebhookDelivery.objects.get()
        assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 3, 204)
    finally:
        receiver.close()
