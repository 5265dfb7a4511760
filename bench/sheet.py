"""Benchmark of the PDF commissioning sheet. Prints figures and ratios; asserts nothing (machines are noisy).

- the median time to render the sheet of a documented 4-pack configuration, and in the same run the median
  time WeasyPrint takes for a one-line document: their ratio is the sheet's cost in "empty documents";
- the median time of a download that renders (cache cleared) and of one served from the cache.

Run it with `make bench` (production-like settings, the run database with the shipped catalog).
"""

import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "configurator.settings")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402

from configurator.domain import Options  # noqa: E402
from configurator.pdf import html_to_pdf  # noqa: E402
from configurator.services import commissioning_sheet_render, configuration_build, pair_load  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "7"))
RENDERS = int(os.environ.get("BENCH_RENDERS", "200"))
PAIR = {"battery": "generic-lfp-bms", "inverter": "victron-color-control"}
QUERY = "inverter=victron-color-control&battery=generic-lfp-bms&packs=4&site_name=Bench"


def median_seconds(action, runs: int = RUNS, before=None) -> float:
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    configuration = configuration_build(**PAIR, options=Options(packs=4))
    revision = pair_load(**PAIR).revision

    def render_sheet():
        commissioning_sheet_render(
            configuration=configuration,
            site={"site_name": "Bench"},
            public_url="https://configurator.example/result/",
            sheet_id=None,
            revision=revision,
        )

    html_to_pdf("<p>One line.</p>")  # warm up fonts and WeasyPrint's caches
    render_sheet()
    sheet = median_seconds(render_sheet, before=cache.clear)
    minimal = median_seconds(lambda: html_to_pdf("<p>One line.</p>"))

    client = Client(HTTP_HOST="localhost")
    url = f"/result/sheet.pdf?{QUERY}"
    uncached = median_seconds(lambda: client.get(url), before=cache.clear)
    client.get(url)
    cached = median_seconds(lambda: client.get(url))

    print(f"runs per figure:            {RUNS} (median)")
    print(f"sheet render (4 packs):     {sheet * 1000:8.1f} ms")
    print(f"one-line WeasyPrint doc:    {minimal * 1000:8.1f} ms")
    print(f"ratio sheet / one-line:     {sheet / minimal:8.1f} x")
    print(f"download, rendered:         {uncached * 1000:8.1f} ms")
    print(f"download, from the cache:   {cached * 1000:8.1f} ms")
    print(f"ratio rendered / cached:    {uncached / cached:8.1f} x")

    # Memory of one worker over many renders (the cache cleared each time): growth would call for recycling.
    before = peak_rss_mb()
    for n in range(RENDERS):
        cache.clear()
        render_sheet()
        if n == 9:
            after_ten = peak_rss_mb()
    print(f"peak RSS before renders:    {before:8.1f} MB")
    print(f"peak RSS after 10 renders:  {after_ten:8.1f} MB")
    print(f"peak RSS after {RENDERS} renders: {peak_rss_mb():7.1f} MB")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


if __name__ == "__main__":
    main()
