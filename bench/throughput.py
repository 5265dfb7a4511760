"""Benchmark: requests/s and latency of the production server against the framework floor. Figures only.

Starts gunicorn (as the Dockerfile runs it, on 127.0.0.1) against a scratch database on the run cluster holding
the shipped catalog and its verdict matrix, as `make run` loads them, and loads it with wrk at the same
concurrency for each endpoint: the floor (/livez, a constant), the result page, the battery list, the
compatibility list, POST /api/v1/configurations/, a saved configuration's issued sheet (kept in PostgreSQL) by
the site's link and by the API's, and an unsaved sheet from the shared cache (Redis). Prints requests/s, p50 and
p99 latency and each endpoint's ratio to the floor. Stops gunicorn when done.

Then the same again on a scratch database holding the shipped catalog grown to 5,000 devices
(bench/large_catalog.py), and each endpoint's share of the floor at both sizes. Both databases are dropped
afterwards, with the thousands of configurations and sheet jobs the run created: the run database is left as it
was.

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
def scratch_database(name: str, fill: list[list[str]]) -> Iterator[tuple[str, int]]:
    """A scratch database ``name`` on the run cluster, migrated and filled by the ``fill`` commands (run with its
    DATABASE_URL); its URL and device count. Dropped afterwards, with the configurations and sheet jobs the run
    created: the run database is left as it was."""
    url = os.environ["DATABASE_URL"]
    scratch = urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    drop = f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(drop)
        admin.execute(f"CREATE DATABASE {name}")
    try:
        env = {**os.environ, "DATABASE_URL": scratch}
        for command in [["manage.py", "migrate", "--noinput", "-v0"], *fill]:
            subprocess.run([sys.executable, *command], check=True, env=env, cwd=PROJECT, stdout=subprocess.DEVNULL)
        with psycopg.connect(scratch, autocommit=True) as filled:
            devices = filled.execute("SELECT count(*) FROM catalog_device").fetchone()[0]
        yield scratch, devices
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(drop)


SHIPPED = [["manage.py", "import_catalog", "-v0"], ["manage.py", "refresh_verdicts"]]  # as `make run` loads it
LARGE = [["bench/large_catalog.py"]]  # the shipped catalog grown to SCALE_DEVICES devices


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
    with scratch_database("configurator_bench_shipped", SHIPPED) as (url, devices):
        small = measure({"DATABASE_URL": url})
    print(f"gunicorn {WORKERS} workers, wrk {CONNECTIONS} connections for {SECONDS}s each, on {os.cpu_count()} cores")
    table(f"shipped catalog ({devices} devices, a scratch database, dropped afterwards):", small)
    if os.environ.get("BENCH_LARGE", "1") == "0":
        return
    with scratch_database("configurator_bench_large", LARGE) as (url, devices):
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
