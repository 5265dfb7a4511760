"""Fault runs: the production server under mixed load, with its database restarted and a worker killed in the
middle. What an installer or a partner portal would notice: server errors, lost configurations, an app that
needs a restart, a health check that lies."""

import json
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from bench.load import Load
from bench.server import children_of

pytestmark = pytest.mark.resilience

LOAD_SECONDS = float(os.environ.get("RESILIENCE_LOAD_SECONDS", "30"))
RESULT = "/result/?inverter=victron-color-control&battery=generic-lfp-bms&packs=2"


def test_mixed_load_has_no_server_error_and_loses_no_configuration(server):
    load = Load(server.base, threads=6)
    report = load.run(LOAD_SECONDS)
    lost = load.verify()
    print(report.summary())
    assert report.failures() == []
    assert len(report.answers) > LOAD_SECONDS  # it did run
    assert report.created  # and created configurations
    assert lost == []
    assert {a.status for a in report.answers} <= {200, 201}


def test_a_database_restart_mid_load_fails_only_while_it_is_down_and_recovers_without_an_app_restart(server, cluster):
    database, _url = cluster
    load = Load(server.base, threads=4)
    load.discover()
    outcome = {}
    runner = threading.Thread(target=lambda: outcome.update(report=load.run(20)))
    runner.start()
    time.sleep(5)

    down_at = time.monotonic() - load.started
    database.stop()
    during = []  # what /healthz and /livez say while the database is down
    for _ in range(10):
        health, body, _ = load.request("GET", "/healthz")
        live, _, _ = load.request("GET", "/livez")
        during.append((health, json.loads(body) if health else None, live))
        time.sleep(0.2)
    database.start()
    up_at = time.monotonic() - load.started

    recovered_at = None
    while time.monotonic() - load.started < up_at + 15:
        health, _, _ = load.request("GET", "/healthz")
        page, _, _ = load.request("GET", RESULT)
        if health == page == 200:
            recovered_at = time.monotonic() - load.started
            break
        time.sleep(0.1)
    runner.join()
    report = outcome["report"]
    lost = load.verify()
    print(report.summary())
    print(f"database down at {down_at:.1f} s, up at {up_at:.1f} s, app recovered at {recovered_at} s")

    assert all(
        h == 503 and b == {"status": "error", "database": "unavailable", "cache": "ok"} and live == 200
        for h, b, live in during
    )
    assert recovered_at is not None
    assert recovered_at - up_at <= 5
    failures = report.failures()
    assert failures, "the outage was not noticed: the load did not reach the database"
    assert {f.status for f in failures} == {503}  # a clear "try again", never a 500 or a dropped connection
    # only while it was down (a request that started just before the stop may still meet it)
    assert all(down_at - 2 <= f.at <= recovered_at + 1 for f in failures)
    after = [a for a in report.answers if a.at > recovered_at + 1]
    assert after
    assert all(a.status in (200, 201) for a in after)
    assert lost == []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status is left


def test_killing_a_worker_mid_render_leaves_other_requests_alone(server):
    load = Load(server.base, threads=6, weights={"sheet (new)": 3, "wizard result": 1, "api compatibility": 1})
    load.discover()
    outcome = {}
    runner = threading.Thread(target=lambda: outcome.update(report=load.run(15)))
    runner.start()
    time.sleep(5)

    workers = server.worker_pids()
    victim = next((pid for pid in workers if children_of(pid)), None)  # a worker whose renderer has started
    assert victim is not None, "no worker had rendered a sheet yet"
    renderers = [pid for forkserver in children_of(victim) for pid in [forkserver, *children_of(forkserver)]]
    killed_at = time.monotonic() - load.started
    os.kill(victim, signal.SIGKILL)
    runner.join()
    report = outcome["report"]
    print(report.summary())

    failures = report.failures()
    assert len(failures) <= 1  # at most the one request the killed worker was answering
    assert all(f.status is None and f.at <= killed_at for f in failures)
    assert [a for a in report.answers if a.at > killed_at and a.action == "sheet (new)" and a.status == 200]
    replaced = server.worker_pids()
    assert len(replaced) == len(workers)
    assert victim not in replaced
    deadline = time.monotonic() + 20
    while any(_alive(pid) for pid in renderers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in renderers), "the killed worker's renderers outlived it"
