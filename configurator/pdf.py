"""The only module that imports WeasyPrint: HTML -> PDF, fetching nothing but this project's static files, in a
child process with a time limit and a memory limit.

The sheet's HTML is rendered with a base URL under the reserved ``.invalid`` domain. The fetcher answers only
``data:`` URIs and URLs under that base's static prefix, from the given static folders; everything else
(``file:``, ``http:``, other paths, ``..``) is refused and never opened.

``html_to_pdf_bounded`` renders in a process forked from a small server process that has WeasyPrint loaded
(multiprocessing's "forkserver": safe in a threaded web server, and a fork costs milliseconds). The child limits
its own address space and is killed when it takes too long, so one hostile or huge catalog entry cannot hang or
bloat a web worker; the worker's memory does not grow with the sheets it renders. This module does not use
Django: the caller passes the static folders (configurator.services.sheet_static_files).
"""

from __future__ import annotations

import logging
import math
import mimetypes
import multiprocessing
import resource
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
    memory_bytes: int  # the child's whole address space (RLIMIT_AS), libraries included


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
    """In the child: limit the address space (the soft limit, so that the outcome can still be reported) and the
    CPU time (the kernel stops a child whose parent died before it could), render, send the outcome."""
    memory_bytes = limits.memory_bytes
    cpu_seconds = math.ceil(limits.seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, hard))
        fetcher = StaticOnlyFetcher(static)
        pdf = html_to_pdf(html, static=static, fetcher=fetcher)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
        outcome = ("ok", Rendered(pdf, tuple(fetcher.served), tuple(fetcher.refused), peak))
    except Exception as error:  # reported to the parent, which raises SheetRenderError
        # Some C libraries report a refused allocation as another error: judge by how close the child came.
        if isinstance(error, MemoryError) or _peak_address_space() > 0.8 * memory_bytes:
            outcome = ("error", f"it needed more than {memory_bytes // 2**20} MB of memory")
        else:
            outcome = ("error", f"{type(error).__name__}: {error}")
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))  # the render's memory is released; room to report
    connection.send(outcome)
    connection.close()


def _peak_address_space() -> int:
    """This process's peak address space in bytes (VmPeak), or 0 where /proc does not say."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmPeak:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def html_to_pdf_bounded(html: str, *, static: StaticFiles, limits: RenderLimits) -> Rendered:
    """Render in a child process; raises SheetRenderError when it takes longer than ``limits.seconds``, needs more
    memory than ``limits.memory_bytes``, or fails."""
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(
        target=_render_child, args=(sender, html, static, limits), name="sheet-render", daemon=True
    )
    child.start()
    sender.close()
    try:
        if not receiver.poll(limits.seconds):
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
