"""The only module that imports WeasyPrint: HTML -> PDF, fetching nothing but this project's static files, in a
child process with a time limit and a memory limit.

The sheet's HTML is rendered with a base URL under the reserved ``.invalid`` domain. The fetcher answers only
``data:`` URIs and URLs under that base's static prefix, from the given static folders; everything else
(``file:``, ``http:``, other paths, ``..``) is refused and never opened.

``html_to_pdf_bounded`` renders in a process forked from a small server process that has WeasyPrint loaded
(multiprocessing's "forkserver": safe in a threaded web server, and a fork costs milliseconds). The parent
kills the child when it takes too long or its resident memory grows past the limit, so one hostile or huge
catalog entry cannot hang or bloat a web worker; the worker's memory does not grow with the sheets it renders.
This module does not use Django: the caller passes the static folders (configurator.services.sheet_static_files).
"""

from __future__ import annotations

import logging
import math
import mimetypes
import multiprocessing
import os
import resource
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

__all__ = [
    "BASE_URL",
    "RenderLimits",
    "Rendered",
    "SheetRenderError",
    "StaticFiles",
    "StaticOnlyFetcher",
    "html_to_pdf",
    "html_to_pdf_bounded",
    "warm_up",
]

BASE_URL = "https://sheet.invalid/"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StaticFiles:
    """Where the sheet's static files come from: the URL prefix ("/static/") and the folders, first match wins."""

    url_prefix: str
    roots: tuple[str, ...]

    def file(self, url: str) -> Path | None:
        """The file a URL under BASE_URL's static prefix names, if it is one of our static files."""
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith(self.url_prefix):
            return None
        name = unquote(parts.path[len(self.url_prefix) :])
        if not name or name.startswith("/") or "\\" in name or ".." in Path(name).parts:
            return None
        for root in self.roots:
            base = Path(root).resolve()
            found = (base / name).resolve()
            if found.is_relative_to(base) and found.is_file():
                return found
        return None


class StaticOnlyFetcher(URLFetcher):
    """Serves our static files and data: URIs; refuses everything else. Records what it served and refused."""

    def __init__(self, static: StaticFiles):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False)
        self.static = static
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            self.served.append(url[:40])
            return super().fetch(url, headers)
        path = self.static.file(url)
        if path is None:
            self.refused.append(url)
            raise ValueError(f"The sheet may only load this project's static files, not {url}")
        self.served.append(url)
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime_type})


def html_to_pdf(html: str, *, static: StaticFiles, fetcher: StaticOnlyFetcher | None = None) -> bytes:
    """Render in this process, without limits (the child below does this; tests of the fetcher too)."""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher or StaticOnlyFetcher(static)).write_pdf()


# --- bounded rendering in a child process -----------------------------------------------------------------------


@dataclass(frozen=True)
class RenderLimits:
    seconds: float
    memory_bytes: int  # the child's peak resident memory (VmHWM), WeasyPrint's own included


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    served: tuple[str, ...]
    refused: tuple[str, ...]
    peak_memory_mb: float  # the child's peak resident memory


class SheetRenderError(Exception):
    """The sheet could not be rendered within its limits (or the renderer died)."""


_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["configurator.pdf_server"])  # WeasyPrint loaded and warm; each render forks

_WARM_UP = """<html><head><style>
@page { size: A4; margin: 1cm; } body { font-family: sans-serif; font-size: 9pt; }
.m { font-family: "DejaVu Sans Mono", monospace; font-weight: bold; } table { border-collapse: collapse; }
td { border: 1px solid #000; padding: 2px; }
</style></head><body><h1>Warm-up</h1><p><b>Bold</b> <i>italic</i> <span class="m">MONO 0123</span> · ↔ “ ”</p>
<table><tr><td>1</td><td>CAN_H</td></tr></table>
<svg width="60" height="20" viewBox="0 0 60 20"><rect width="60" height="20" fill="#fc0"/><text x="2" y="14"
font-size="10">pin 1</text></svg></body></html>"""


def warm_up() -> None:
    """Render a small document with the sheet's kinds of text, so fonts and caches are loaded (the fork server
    does this once; every render forked from it starts warm)."""
    try:
        HTML(
            string=_WARM_UP, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher(StaticFiles("/static/", ()))
        ).write_pdf()
    except Exception:  # a cold start is slower, not wrong
        logger.exception("sheet renderer warm-up failed")


def _render_child(connection, html: str, static: StaticFiles, limits: RenderLimits) -> None:
    """In the child: render and send the outcome. The parent watches the time and the memory; the kernel limits
    below are only a backstop for a parent that died (CPU time) or an allocation too sudden to watch (address
    space: what the child has mapped now plus twice the memory limit). A child that hits the backstop dies
    without a word and is reported as stopped."""
    cpu_seconds = math.ceil(limits.seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    backstop = _memory_status(os.getpid(), "VmSize") + 2 * limits.memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (backstop, backstop))
    fetcher = StaticOnlyFetcher(static)
    try:
        pdf = html_to_pdf(html, static=static, fetcher=fetcher)
    except Exception as error:  # reported to the parent, which raises SheetRenderError
        outcome = ("error", f"{type(error).__name__}: {error}")
    else:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
        outcome = ("ok", Rendered(pdf, tuple(fetcher.served), tuple(fetcher.refused), peak))
    connection.send(outcome)
    connection.close()


def _memory_status(pid: int, field: str) -> int:
    """A memory figure of a running process from /proc/PID/status (VmHWM: peak resident; VmSize: address space),
    in bytes; 0 once the process has exited or where /proc does not say."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    return 0


_WATCH_SECONDS = 0.05  # how often the parent looks at the child; VmHWM keeps the peak between two looks


def html_to_pdf_bounded(html: str, *, static: StaticFiles, limits: RenderLimits) -> Rendered:
    """Render in a child process; raises SheetRenderError when it takes longer than ``limits.seconds``, its
    resident memory passes ``limits.memory_bytes``, or it fails. The parent, not the child, watches both limits
    and kills the child, so the verdict never depends on a child that has run out of memory."""
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(
        target=_render_child, args=(sender, html, static, limits), name="sheet-render", daemon=True
    )
    child.start()
    sender.close()
    deadline = time.monotonic() + limits.seconds
    try:
        while not receiver.poll(max(0.0, min(_WATCH_SECONDS, deadline - time.monotonic()))):
            if _memory_status(child.pid, "VmHWM") > limits.memory_bytes:
                raise SheetRenderError(f"it needed more than {limits.memory_bytes // 2**20} MB of memory")
            if time.monotonic() >= deadline:
                raise SheetRenderError(f"it took longer than {limits.seconds:g} s")
        try:
            status, value = receiver.recv()
        except EOFError:
            child.join(5)
            raise SheetRenderError(f"the renderer stopped (exit code {child.exitcode})") from None
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(5)
    if status != "ok":
        raise SheetRenderError(value)
    for url in value.refused:
        logger.warning("sheet render: refused to fetch %s", url)
    return value
