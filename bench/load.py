"""Mixed load against a running configurator: wizard pages, API reads, configuration creation, sheet downloads.

Several client threads pick actions by weight for a fixed time, over loopback, and record every answer's status
and time. Afterwards every configuration that was created (201) is fetched again and compared with what the
creation returned: none may be lost or changed. The fault runs (tests/resilience) use the same load.

Run it alone with `make bench-load` (gunicorn on 127.0.0.1, the run database; BENCH_LOAD_SECONDS, default 300,
and BENCH_LOAD_THREADS, default 8). It exits non-zero on any 5xx, any connection error, or any lost
configuration.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the project root on the path, for bench.server
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server import gunicorn

PORT = int(os.environ.get("BENCH_PORT", "8092"))
SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "300"))
THREADS = int(os.environ.get("BENCH_LOAD_THREADS", "8"))
TIMEOUT = 60  # seconds per request: a sheet may wait behind others on a busy machine

# What an installer's phone and a partner portal do, by weight: mostly result pages and API reads, some
# configurations created, a few sheets (most of them already rendered once).
MIX = {
    "wizard search": 1,
    "wizard battery step": 1,
    "wizard options": 1,
    "wizard result": 4,
    "api devices": 2,
    "api compatibility": 2,
    "api create": 2,
    "api configuration": 1,
    "sheet (saved)": 1,
    "sheet (new)": 0.5,
}


@dataclass(frozen=True)
class Answer:
    at: float  # seconds since the load started
    action: str
    status: int | None  # None: no HTTP answer (connection refused or reset)
    seconds: float
    error: str = ""


@dataclass
class LoadReport:
    seconds: float
    answers: list[Answer] = field(default_factory=list)
    created: dict[str, dict] = field(default_factory=dict)  # public id -> the result the 201 returned
    lost: list[str] = field(default_factory=list)  # created ids that could not be fetched again, or changed

    def failures(self) -> list[Answer]:
        """Answers a user would see as a failure: a 5xx or no answer at all."""
        return [a for a in self.answers if a.status is None or a.status >= 500]

    def by_action(self) -> dict[str, Counter]:
        table: dict[str, Counter] = {}
        for answer in self.answers:
            table.setdefault(answer.action, Counter())[answer.status or "no answer"] += 1
        return table

    def summary(self) -> str:
        lines = [
            f"{len(self.answers)} requests in {self.seconds:.0f} s ({len(self.answers) / self.seconds:.1f}/s), "
            f"{len(self.failures())} failed (5xx or no answer), {len(self.created)} configurations created, "
            f"{len(self.lost)} lost"
        ]
        for action, statuses in sorted(self.by_action().items()):
            times = sorted(a.seconds for a in self.answers if a.action == action)
            p50, p99 = times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.99))]
            counts = ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items(), key=str))
            lines.append(f"  {action:24} p50 {p50 * 1000:7.1f} ms  p99 {p99 * 1000:7.1f} ms  {counts}")
        return "\n".join(lines)


class Load:
    """The traffic: call ``run`` for a fixed time; ``verify`` afterwards checks every created configuration."""

    def __init__(
        self,
        base: str,
        *,
        threads: int = THREADS,
        weights: dict[str, float] | None = None,
        seed: int = 1,
        source: str | None = None,
    ):
        """``source``: the loopback address to connect from (127.0.0.0/8), so that the server sees a client of its
        own (the rate limits count per client address)."""
        self.base = base
        self.source = (source, 0) if source else None
        self.weights = weights or MIX
        address = urllib.parse.urlsplit(base)
        self.host, self.port = address.hostname, address.port
        self.threads = threads
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.inverters: list[str] = []
        self.pairs: list[tuple[str, str]] = []  # (inverter, battery) that can be configured
        self.report = LoadReport(seconds=0)
        self.started = 0.0
        self.sheets = 0

    # --- HTTP ---------------------------------------------------------------------------------------------------

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int | None, bytes, str]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT, source_address=self.source)
        try:
            headers = {"Content-Type": "application/json"} if body is not None else {}
            connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
            response = connection.getresponse()
            return response.status, response.read(), ""
        except (OSError, http.client.HTTPException) as error:
            return None, b"", f"{type(error).__name__}: {error}"
        finally:
            connection.close()

    def discover(self) -> None:
        """The inverters, and the pairs that can be configured, from the API itself."""
        status, body, error = self.request("GET", "/api/v1/devices/?kind=inverter&page_size=100")
        if status != 200:
            raise RuntimeError(f"cannot list inverters: {status} {error}")
        self.inverters = [device["slug"] for device in json.loads(body)["results"]]
        for inverter in self.inverters:
            status, body, _ = self.request("GET", f"/api/v1/compatibility/?inverter={inverter}")
            rows = json.loads(body)["results"] if status == 200 else []
            self.pairs += [(inverter, row["battery"]["slug"]) for row in rows if row["verdict"] != "incompatible"]
        if not self.pairs:
            raise RuntimeError("no configurable pair in the catalog")

    # --- the actions --------------------------------------------------------------------------------------------

    def _pair_query(self, rng: random.Random, **extra) -> str:
        inverter, battery = rng.choice(self.pairs)
        return urllib.parse.urlencode({"inverter": inverter, "battery": battery, **extra})

    def _created_id(self, rng: random.Random) -> str | None:
        with self.lock:
            return rng.choice(list(self.report.created)) if self.report.created else None

    def act(self, rng: random.Random) -> None:
        action = rng.choices(list(self.weights), weights=list(self.weights.values()))[0]
        body = None
        method = "GET"
        if action == "wizard search":
            path = "/?" + urllib.parse.urlencode({"q": rng.choice(["deye", "victron", "rhi 3p", "solis", "x"])})
        elif action == "wizard battery step":
            path = "/battery/?" + urllib.parse.urlencode({"inverter": rng.choice(self.inverters)})
        elif action == "wizard options":
            path = "/options/?" + self._pair_query(rng)
        elif action == "wizard result":
            path = "/result/?" + self._pair_query(rng, packs=rng.randint(1, 4))
        elif action == "api devices":
            path = f"/api/v1/devices/?kind={rng.choice(['battery', 'inverter'])}&page_size=20"
        elif action == "api compatibility":
            path = "/api/v1/compatibility/?" + urllib.parse.urlencode({"inverter": rng.choice(self.inverters)})
        elif action == "api create":
            inverter, battery = rng.choice(self.pairs)
            method, path, body = "POST", "/api/v1/configurations/", {"inverter": inverter, "battery": battery}
        elif action in ("api configuration", "sheet (saved)"):
            public_id = self._created_id(rng)
            if public_id is None:
                return
            path = f"/api/v1/configurations/{public_id}/" + ("sheet.pdf" if action == "sheet (saved)" else "")
        elif action == "sheet (new)":  # a sheet nobody asked for before: rendered, not cached
            with self.lock:
                self.sheets += 1
                n = self.sheets
            path = "/result/sheet.pdf?" + self._pair_query(rng, site_name=f"Load site {n}")
        else:
            raise ValueError(f"unknown action {action!r}")
        start = time.monotonic()
        status, content, error = self.request(method, path, body)
        answer = Answer(start - self.started, action, status, time.monotonic() - start, error)
        with self.lock:
            self.report.answers.append(answer)
            if action == "api create" and status == 201:
                created = json.loads(content)
                self.report.created[created["id"]] = created["result"]

    def run(self, seconds: float, stop: threading.Event | None = None) -> LoadReport:
        """Load the server for ``seconds`` (or until ``stop`` is set) from ``threads`` client threads."""
        if not self.pairs:
            self.discover()
        stop = stop or threading.Event()
        self.started = time.monotonic()
        deadline = self.started + seconds

        def client(seed: int) -> None:
            rng = random.Random(seed)
            while time.monotonic() < deadline and not stop.is_set():
                self.act(rng)

        workers = [threading.Thread(target=client, args=(self.random.random(),)) for _ in range(self.threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        self.report.seconds = time.monotonic() - self.started
        return self.report

    def verify(self) -> list[str]:
        """Fetch every created configuration again: the ids that are missing or whose result changed."""
        lost = []
        for public_id, result in self.report.created.items():
            status, content, _ = self.request("GET", f"/api/v1/configurations/{public_id}/")
            if status != 200 or json.loads(content)["result"] != result:
                lost.append(public_id)
        self.report.lost = lost
        return lost


def main() -> None:
    env = {
        "API_ANONYMOUS_RATE": "100000000/minute",
        "SHEET_RENDER_RATE": "100000000/minute",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
    }
    with gunicorn(port=PORT, env=env) as server:
        load = Load(server.base)
        load.discover()
        print(f"{len(load.pairs)} configurable pairs; {THREADS} client threads for {SECONDS:.0f} s on {server.base}")
        report = load.run(SECONDS)
        load.verify()
    print(report.summary())
    for answer in report.failures()[:20]:
        print(f"  failed at {answer.at:6.1f} s: {answer.action} -> {answer.status or answer.error}")
    sys.exit(1 if report.failures() or report.lost else 0)


if __name__ == "__main__":
    main()
