"""Whole pages kept per process for the catalog version they were rendered from.

A page that depends only on its URL and the catalog's facts (the result page for a pair and its options, the
battery list for an inverter and its filters) is rendered once per catalog version, verdict matrix version and
process, and then served as bytes. The process learns of a new catalog version from the database's notification
at its commit (configurator.version_watch), so an edit is seen on every host as soon as that notification
arrives, moments after the commit, as with the other caches keyed by version.

The one part of such a page that differs per request is the CSRF token (the save form and htmx's header): the page
is rendered with a marker in its place, and each serve puts the request's own masked token there, which also makes
Django's CSRF middleware set the cookie as if the template had asked for the token.

An API answer of the same kind (the compatibility list for an inverter, a page of it) is kept the same way by
``answer_kept``, without a token, keyed by the headers its rendering depends on too (``Accept``).
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from configurator import verdict_matrix

__all__ = ["CACHED_PAGES", "answer_kept", "page_kept", "pages_clear"]

_HTMX_HEADERS = ("HX-Request", "HX-Boosted", "HX-History-Restore-Request")  # what picks a page or its fragment
CACHED_PAGES = 256  # per process: a result page is about 35 kB
_CSRF_MARK = "csrf-" + secrets.token_hex(16)  # per process: never in a rendered page otherwise


@dataclass(frozen=True)
class _Page:
    parts: tuple[bytes, ...]  # the page's bytes, split where the CSRF token goes
    content_type: str
    csrf: bool = True  # a page: the request's token goes in, and its cookie is set; an API answer: neither

    def response(self, request: HttpRequest) -> HttpResponse:
        if not self.csrf:
            return HttpResponse(b"".join(self.parts), content_type=self.content_type)
        token = get_token(request).encode()
        return HttpResponse(token.join(self.parts), content_type=self.content_type)


class _Pages:
    """A small LRU of pages, safe across the threads of one process."""

    def __init__(self, size: int):
        self.size = size
        self.pages: OrderedDict[tuple, _Page] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple) -> _Page | None:
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key: tuple, page: _Page) -> None:
        with self.lock:
            self.pages[key] = page
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()


_pages = _Pages(CACHED_PAGES)


def pages_clear() -> None:
    """Forget every kept page of this process (tests; a version change makes it unnecessary otherwise)."""
    _pages.clear()


def _key(request: HttpRequest, versions: verdict_matrix.Versions, kind: str, headers: tuple[str, ...]) -> tuple:
    """What a kept answer is found by: its kind (a page or an API answer), the versions, the language, the URL and
    ``headers``' values."""
    values = tuple(request.headers.get(name, "") for name in headers)
    # The absolute URL, in its parts (what build_absolute_uri joins, without the cost of joining and quoting)
    url = request.scheme, request.get_host(), request.path, request.META.get("QUERY_STRING", "")
    return kind, versions, get_language(), url, values


def _kept(
    request: HttpRequest, kind: str, headers: tuple[str, ...], render: Callable[[], HttpResponse], marker: bytes
) -> HttpResponse:
    """The kept answer for this request, else ``render()``'d from the same versions it is kept under (read once:
    verdict_matrix.versions_pinned). Nothing kept is used or kept inside a transaction (versions() is None)."""
    versions = verdict_matrix.versions()
    key = None if versions is None else _key(request, versions, kind, headers)
    if key is not None and (page := _pages.get(key)) is not None:
        return page.response(request)
    with verdict_matrix.versions_pinned(versions):
        response = render()
    return _kept_or_rendered(request, key, response, marker)


def _kept_or_rendered(request: HttpRequest, key: tuple | None, response: HttpResponse, marker: bytes) -> HttpResponse:
    """``response``, rendered now, as it is served (a page: with the request's token in place of ``marker``; an
    API answer, no marker: as it is); kept under ``key`` when it is a plain 200 (no header but its type: no
    cookie, no redirect, no error)."""
    parts = tuple(response.content.split(marker)) if marker else (response.content,)
    page = _Page(parts, response["Content-Type"], csrf=bool(marker))
    if key is not None and response.status_code == 200 and set(response.headers) == {"Content-Type"}:
        _pages.put(key, page)
    fresh = page.response(request)
    fresh.status_code = response.status_code
    for header, value in response.headers.items():
        fresh.headers.setdefault(header, value)
    return fresh


def page_kept(request: HttpRequest, render: Callable[[dict], HttpResponse]) -> HttpResponse:
    """The page for this request's URL: kept bytes when this process rendered it for today's catalog, else
    ``render(extra_context)``, kept when it is a plain 200. ``render`` must add ``extra_context`` to its template's
    context (it carries the CSRF marker) and read nothing from the request but its URL."""
    return _kept(request, "page", _HTMX_HEADERS, lambda: render({"csrf_token": _CSRF_MARK}), _CSRF_MARK.encode())


def answer_kept(request: HttpRequest, render: Callable[[], HttpResponse], *, headers: tuple[str, ...]) -> HttpResponse:
    """An API answer for this request's URL and ``headers``: kept bytes when this process rendered it for today's
    catalog, else ``render()`` (which may raise the API's errors: nothing is kept then), kept when it is a plain
    200. ``render`` must read nothing from the request but its URL and ``headers``."""
    return _kept(request, "api", headers, render, b"")
