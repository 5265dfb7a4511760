"""Benchmark: do queries and latency stay flat as the catalog grows? Prints figures and ratios, asserts nothing.

On a scratch database (created and dropped by this script on the run cluster), with the shipped catalog
loaded, it measures the result page, the compatibility list (API) and the API device list, cold (the first
request after a catalog change, nothing cached) and warm (the requests after it); then adds synthetic devices
until the catalog holds 5,000 and measures again. Query counts are also pinned in the test suite.

Run it with `make bench-scaling` (SCALE_DEVICES changes the large size).
"""

import logging
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "configurator.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from catalog.importing import catalog_import  # noqa: E402
from catalog.models import Device, Manufacturer, PinAssignment, Port, Source  # noqa: E402
from catalog.rules import TEAM_ACTOR  # noqa: E402
from configurator.services import catalog_cache_clear  # noqa: E402
from configurator.verdict_matrix import matrix_column_fill, matrix_refresh, versions_stop_listening  # noqa: E402

LARGE = int(os.environ.get("SCALE_DEVICES", "5000"))
RUNS = int(os.environ.get("BENCH_RUNS", "15"))
COLD_RUNS = int(os.environ.get("BENCH_COLD_RUNS", "3"))
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
MEASURED_INVERTER = "deye-hybrid"
ENDPOINTS = {
    "result page": "/result/?inverter=victron-color-control&battery=generic-lfp-bms&packs=2",
    "battery list (wizard)": f"/battery/?inverter={MEASURED_INVERTER}",
    "compatibility list (API)": f"/api/v1/compatibility/?inverter={MEASURED_INVERTER}",
    "device list (API)": "/api/v1/devices/?page_size=50",
}
# Realistic shapes: the pin tables that occur in the shipped catalog.
CAN_TABLES = [{4: "can_h", 5: "can_l", 3: "gnd"}, {1: "can_h", 2: "can_l", 3: "gnd"}, {7: "can_h", 8: "can_l"}]
RS485_TABLES = [{1: "rs485_p", 2: "rs485_n"}, {7: "rs485_p", 8: "rs485_n", 6: "gnd"}, {3: "rs485_n", 5: "rs485_p"}]


def grow(to: int) -> None:
    """Add synthetic makers and devices (each with a CAN and an RS485 port) until the catalog holds ``to``."""
    rng = random.Random(7)  # noqa: S311 (repeatable synthetic data, not secrets)
    source = Source.objects.first()
    missing = to - Device.objects.count()
    makers = Manufacturer.objects.bulk_create(
        Manufacturer(slug=f"synthetic-{n}", name=f"Synthetic maker {n}") for n in range(max(1, missing // 20))
    )
    devices = Device.objects.bulk_create(
        Device(
            manufacturer=makers[n % len(makers)],
            kind="battery" if n % 2 else "inverter",
            slug=f"synthetic-device-{n}",
            model=f"Model {n}",
            voltage_class=rng.choice(["lv", "hv"]),
            source=source,
        )
        for n in range(missing)
    )
    ports = Port.objects.bulk_create(
        Port(
            device=device,
            name=name,
            connector="rj45",
            positions=8,
            role="inverter_link" if device.kind == "battery" else "battery_link",
            buses=[bus],
            source=source,
            position=position,
        )
        for device in devices
        for position, (name, bus) in enumerate([("CAN", "can"), ("RS485", "rs485")], start=1)
    )
    pins = []
    for port in ports:
        table = rng.choice(CAN_TABLES if port.name == "CAN" else RS485_TABLES)
        pins += [PinAssignment(port=port, position=p, signal=s, source=source) for p, s in table.items()]
    PinAssignment.objects.bulk_create(pins)


def analyze() -> None:
    """Table statistics for the grown catalog, as autovacuum gathers them within a minute of a large import: the
    query plans measured are the ones a running site uses, not those for the tables' sizes before the import."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed_request(client: Client, url: str, before=None) -> tuple[int, float]:
    """One request's query count and time (``before`` runs first, untimed)."""
    if before:
        before()
    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        start = time.perf_counter()
        assert client.get(url).status_code == 200, url
        return len(queries), time.perf_counter() - start


def measure(client: Client) -> dict[str, dict[str, tuple[int, float]]]:
    """Per endpoint: ``cold`` (this process has nothing cached: the first request after a catalog change) and
    ``warm`` (served from the cache of the current catalog version): query count and median milliseconds."""
    figures = {}
    for name, url in ENDPOINTS.items():
        client.get(url)  # warm up Python and PostgreSQL
        cold = [timed_request(client, url, before=catalog_cache_clear) for _ in range(COLD_RUNS)]
        client.get(url)
        warm = [timed_request(client, url) for _ in range(RUNS)]
        figures[name] = {
            "cold": (cold[0][0], statistics.median(t for _, t in cold) * 1000),
            "warm": (warm[0][0], statistics.median(t for _, t in warm) * 1000),
        }
    return figures


def main() -> None:
    logging.getLogger("configurator.requests").setLevel(logging.WARNING)  # one line per request: not here
    setup_test_environment()
    scratch = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        catalog_import(paths=[FIXTURES], actor=TEAM_ACTOR)
        refresh = matrix_refresh(full=True)  # what the worker does after the import
        client = Client(HTTP_HOST="localhost")
        small_count = Device.objects.count()
        small = measure(client)
        grow(LARGE)
        large_count = Device.objects.count()
        # A full matrix at this size is every battery x every inverter: the worker's job, far longer than this run.
        # The measured inverter's column is what its list reads; it is filled the way the refresh fills a column.
        column = matrix_column_fill(MEASURED_INVERTER)
        analyze()
        large = measure(client)
    finally:
        versions_stop_listening()  # its connection to the scratch database
        connection.creation.destroy_test_db(scratch, verbosity=0)
    per_cell = column.seconds / max(column.pairs, 1)
    batteries, inverters = large_count // 2, large_count // 2
    print(
        f"verdict matrix: full refresh of the shipped catalog {refresh.pairs} cells in {refresh.seconds:.1f} s "
        f"({refresh.seconds / max(refresh.pairs, 1) * 1000:.2f} ms a cell); at {large_count} devices one inverter's "
        f"column ({column.pairs} cells) in {column.seconds:.1f} s ({per_cell * 1000:.2f} ms a cell): a full refresh "
        f"there would be about {batteries * inverters:,} cells, {batteries * inverters * per_cell / 3600:.1f} h of "
        "worker time; after a change, the worker recomputes only the changed devices' rows and columns"
    )
    print(
        f"catalog sizes: {small_count} and {large_count} devices; median of {COLD_RUNS} cold and {RUNS} warm "
        "requests (cold: nothing cached for the catalog version yet; warm: the next requests)"
    )
    print(f"{'endpoint':28} {'':5} {'queries':>15} {'median ms':>21} {'ratio':>7}")
    for name in ENDPOINTS:
        for state in ("cold", "warm"):
            (q1, t1), (q2, t2) = small[name][state], large[name][state]
            print(f"{name:28} {state:5} {q1:>6} -> {q2:<6} {t1:>9.1f} -> {t2:<9.1f} {t2 / t1:>6.2f}x")


if __name__ == "__main__":
    main()
