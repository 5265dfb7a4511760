"""Benchmark: requests/s and latency of the production server against the framework floor. Figures only.

Starts gunicorn (as the Dockerfile runs it, on 127.0.0.1) against the run database with the shipped catalog,
and loads it with wrk at the same concurrency for each endpoint: the floor (/livez, a constant), the result
page, the battery list, the compatibility list, POST /api/v1/configurations/, a saved configuration's issued sheet
(kept in PostgreSQL) by the site's link and by the API's, and an unsaved sheet from the shared cache (Redis).
Prints requests/s, p50 and p99 latency and each endpoint's ratio to the floor. Stops gunicorn when done.

Then the same again on a scratch database holding the shipped catalog grown to 5,000 devices (bench/large_catalog.py;
dropped afterwards), and each endpoint's share of the floor at both sizes.

Run it with `make bench-throughput` (BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_WORKERS change the run; SCALE_DEVICES
the large size; BENCH_LARGE=0 skips it).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

if __package__ in (None, ""):  # run as a script: the project root on the path, for bench.server
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server import PROJECT, gunicorn

PORT = int(os.environ.get("BENCH_PORT", "8091"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
BASE = f"http://127.0.0.1:{PORT}"
PAIR = "inverter=victron-color-control&battery=generic-lfp-bms"
POST_BODY = {"inverter": "victron-color-control", "battery": "generic-lfp-bms", "packs": 2}


def wrk(path: str, script: Path | None = None) -> dict:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", BASE + path]
    if script:
        command[1:1] = ["-s", str(script)]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": latency.get("50"), "p99": latency.get("99"), "non2xx": int(errors[1]) if errors else 0}


def measure(env: dict[str, str] | None = None) -> dict[str, dict]:
    """Every endpoint under wrk against a fresh gunicorn (``env``: its database)."""
    with gunicorn(port=PORT, workers=WORKERS, env=env):
        request = urllib.request.Request(  # noqa: S310 (our own server on loopback)
            BASE + "/api/v1/configurations/",
            data=json.dumps(POST_BODY).encode(),
            headers={"Content-Type": "application/json"},
        )
        created = urllib.request.urlopen(request)  # noqa: S310
        body = json.load(created)
        api_sheet = body["sheet_url"].split(f":{PORT}", 1)[-1]  # the API's download (rate-limited like the API)
        site_sheet = body["url"].split(f":{PORT}", 1)[-1] + "/sheet.pdf"  # the site's (the page's link)
        urllib.request.urlopen(BASE + site_sheet).read()  # noqa: S310 (the first download renders and keeps it)
        unsaved = f"/result/sheet.pdf?{PAIR}&packs=2&site_name=Bench"
        urllib.request.urlopen(BASE + unsaved).read()  # noqa: S310 (rendered once, then in Redis for every worker)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
            lua.write(
                'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                f"wrk.body = '{json.dumps(POST_BODY)}'\n"
            )
        runs = {
            "floor (/livez)": wrk("/livez"),
            "result page": wrk(f"/result/?{PAIR}&packs=2"),
            "battery list (wizard)": wrk("/battery/?inverter=deye-hybrid"),
            "compatibility list (API)": wrk("/api/v1/compatibility/?inverter=deye-hybrid"),
            "POST configuration (API)": wrk("/api/v1/configurations/", Path(lua.name)),
            "issued sheet (site)": wrk(site_sheet),
            "issued sheet (API)": wrk(api_sheet),
            "unsaved sheet (cached)": wrk(unsaved),
        }
        Path(lua.name).unlink()
    return runs


@contextmanager
def large_database() -> Iterator[tuple[str, int]]:
    """A scratch database on the run cluster holding the shipped catalog grown to SCALE_DEVICES devices (see
    bench/large_catalog.py); its URL and device count. Dropped afterwards."""
    url = os.environ["DATABASE_URL"]
    parts = urlsplit(url)
    scratch = urlunsplit(parts._replace(path="/configurator_bench_large"))
    drop = "DROP DATABASE IF EXISTS configurator_bench_large WITH (FORCE)"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(drop)
        admin.execute("CREATE DATABASE configurator_bench_large")
    try:
        env = {**os.environ, "DATABASE_URL": scratch}
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], check=True, env=env, cwd=PROJECT)
        filled = subprocess.run(
            [sys.executable, "bench/large_catalog.py"],
            check=True,
            env=env,
            cwd=PROJECT,
            capture_output=True,
            text=True,
        )
        yield scratch, int(filled.stdout.split()[-1])
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(drop)


def table(title: str, runs: dict[str, dict]) -> None:
    floor = runs["floor (/livez)"]["rps"]
    print(title)
    print(f"{'endpoint':28} {'req/s':>9} {'p50':>9} {'p99':>9} {'vs floor':>9} {'non-2xx':>8}")
    for name, run in runs.items():
        print(
            f"{name:28} {run['rps']:>9.1f} {run['p50']:>9} {run['p99']:>9} {run['rps'] / floor:>8.2f}x "
            f"{run['non2xx']:>8}"
        )


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (make bench-throughput installs it)")
    small = measure()
    print(f"gunicorn {WORKERS} workers, wrk {CONNECTIONS} connections for {SECONDS}s each, on {os.cpu_count()} cores")
    table("shipped catalog (the run database):", small)
    if os.environ.get("BENCH_LARGE", "1") == "0":
        return
    with large_database() as (url, devices):
        large = measure({"DATABASE_URL": url})
    print()
    table(f"{devices:,} devices (a scratch database, dropped afterwards):", large)
    print()
    print("large vs shipped catalog, each as its share of the floor measured in the same run:")
    for name in small:
        ratio_small = small[name]["rps"] / small["floor (/livez)"]["rps"]
        ratio_large = large[name]["rps"] / large["floor (/livez)"]["rps"]
        print(f"{name:28} {ratio_small:>6.2f}x -> {ratio_large:<6.2f}x")


if __name__ == "__main__":
    main()
