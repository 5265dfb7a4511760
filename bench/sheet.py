"""Benchmark of the PDF commissioning sheet. Prints figures and ratios; asserts nothing (machines are noisy).

- the median time to render the sheet of a documented 4-pack configuration, and in the same run the median
  time WeasyPrint takes for a one-line document: their ratio is the sheet's cost in "empty documents";
- the same one-line document rendered the way sheets are, in a child process with limits: the cost of isolation;
- the median time of a download that renders (cache cleared) and of one served from the cache;
- the memory of the web process over many renders (flat: WeasyPrint runs in the child) and the child's peak;
- the issued sheet of a saved configuration: its first render by a real worker (``manage.py procrastinate
  worker``, started here), the worker's peak memory over WORKER_SHEETS renders, and a download of the kept bytes.

Run it with `make bench` (production-like settings, the run database with the shipped catalog).
"""

import os
import resource
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
# Sheets render in child processes that re-import this file as their main module: nothing below runs on import
# but these definitions (Django is set up in main()).
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
RENDERS = int(os.environ.get("BENCH_RENDERS", "200"))
WORKER_SHEETS = int(os.environ.get("BENCH_WORKER_SHEETS", "20"))
PAIR = {"battery": "generic-lfp-bms", "inverter": "victron-color-control"}
QUERY = "inverter=victron-color-control&battery=generic-lfp-bms&packs=4&site_name=Bench"


def median_seconds(action, runs: int = RUNS, before=None) -> float:
    """The median of ``runs`` timings of ``action`` (``before`` runs untimed before each)."""
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    sys.path.insert(0, str(PROJECT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "configurator.settings")
    import django

    django.setup()

    from django.core.cache import cache
    from django.test import Client

    from configurator.domain import Options
    from configurator.pdf import html_to_pdf, html_to_pdf_bounded
    from configurator.services import (
        commissioning_sheet_render,
        configuration_build,
        pair_load,
        sheet_render_limits,
        sheet_static_files,
    )

    configuration = configuration_build(**PAIR, options=Options(packs=4))
    revision = pair_load(**PAIR).revision

    def render_sheet():
        return commissioning_sheet_render(
            configuration=configuration,
            site={"site_name": "Bench"},
            public_url="https://configurator.example/result/",
            sheet_id=None,
            revision=revision,
            client="bench",
        )

    static, limits = sheet_static_files(), sheet_render_limits()
    one_line = "<p>One line.</p>"
    html_to_pdf(one_line, static=static)  # warm up fonts and WeasyPrint's caches, and the fork server
    html_to_pdf_bounded(one_line, static=static, limits=limits)
    render_sheet()
    sheet = median_seconds(render_sheet, before=cache.clear)
    minimal = median_seconds(lambda: html_to_pdf(one_line, static=static))
    minimal_child = median_seconds(lambda: html_to_pdf_bounded(one_line, static=static, limits=limits))

    client = Client(HTTP_HOST="localhost")
    url = f"/result/sheet.pdf?{QUERY}"
    uncached = median_seconds(lambda: client.get(url), before=cache.clear)
    client.get(url)
    cached = median_seconds(lambda: client.get(url))

    print(f"runs per figure:            {RUNS} (median)")
    print(f"sheet render (4 packs):     {sheet * 1000:8.1f} ms  (in a child process, limits on)")
    print(f"one-line WeasyPrint doc:    {minimal * 1000:8.1f} ms  (in this process)")
    print(f"ratio sheet / one-line:     {sheet / minimal:8.1f} x")
    isolation = (minimal_child - minimal) * 1000
    print(f"one-line doc, in a child:   {minimal_child * 1000:8.1f} ms  (isolation costs {isolation:.1f} ms)")
    print(f"download, rendered:         {uncached * 1000:8.1f} ms")
    print(f"download, from the cache:   {cached * 1000:8.1f} ms")
    print(f"ratio rendered / cached:    {uncached / cached:8.1f} x")

    # Memory of the web process over many renders (the cache cleared each time): it should stay flat, since
    # WeasyPrint runs in a fresh child each time; the child's own peak is what SHEET_RENDER_MEMORY_MB bounds.
    before = peak_rss_mb()
    child_peak = 0.0
    for n in range(RENDERS):
        cache.clear()
        child_peak = max(child_peak, render_sheet().peak_memory_mb)
        if n == 9:
            after_ten = peak_rss_mb()
    print(f"web process peak RSS before renders:     {before:8.1f} MB")
    print(f"web process peak RSS after 10 renders:   {after_ten:8.1f} MB")
    print(f"web process peak RSS after {RENDERS} renders: {peak_rss_mb():7.1f} MB")
    limit = limits.memory_bytes // 2**20
    print(f"render child peak RSS:                   {child_peak:8.1f} MB (limit: {limit} MB resident)")

    worker_sheets(client)


def worker_sheets(client) -> None:
    """Saved configurations' sheets, rendered by a real worker and kept; then downloaded as stored bytes."""
    import subprocess

    from configurator.domain import Options
    from configurator.models import IssuedSheet
    from configurator.services import pair_load, pair_save
    from configurator.tasks import issued_sheet_render

    worker = subprocess.Popen(
        [sys.executable, "manage.py", "procrastinate", "worker", "--queues", "sheets"],
        cwd=PROJECT,
        env={**os.environ, "DJANGO_LOG_LEVEL": "WARNING"},
    )
    try:
        pair = pair_load(**PAIR)
        started = time.perf_counter()
        saved = [
            pair_save(pair=pair, options=Options(packs=4), site={"site_name": f"Bench {n}"})
            for n in range(WORKER_SHEETS)
        ]
        for item in saved:  # ahead of any backlog of this database's own saved configurations
            issued_sheet_render.configure(priority=100).defer(
                public_id=item.public_id, public_url=f"http://b/c/{item.public_id}", paper="a4"
            )
        ids = [item.pk for item in saved]
        while IssuedSheet.objects.filter(configuration_id__in=ids).count() < len(ids):
            if time.perf_counter() - started > 300 or worker.poll() is not None:
                raise SystemExit("the worker did not render the sheets")
            time.sleep(0.1)
        elapsed = time.perf_counter() - started
        status = Path(f"/proc/{worker.pid}/status").read_text()
        worker_peak = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))) / 1024
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    kept = IssuedSheet.objects.filter(configuration_id__in=ids)
    renders = sorted(kept.values_list("render_ms", flat=True))
    child = max(kept.values_list("peak_memory_mb", flat=True))
    url = f"/c/{saved[0].public_id}/sheet.pdf"
    stored = median_seconds(lambda: client.get(url))
    print(
        f"worker: {WORKER_SHEETS} saved sheets rendered and kept in {elapsed:.1f} s "
        f"(first render median {statistics.median(renders)} ms each)"
    )
    print(f"worker process peak RSS:                 {worker_peak:8.1f} MB (its render children: {child:.1f} MB)")
    print(f"download of a kept (issued) sheet:       {stored * 1000:8.1f} ms")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


if __name__ == "__main__":
    main()
