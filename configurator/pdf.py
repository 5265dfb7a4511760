"""The only module that imports WeasyPrint: HTML -> PDF, fetching nothing but this project's static files.

The sheet's HTML is rendered with a base URL under the reserved ``.invalid`` domain. The fetcher answers only
``data:`` URIs and URLs under that base's static prefix, from the collected static root (in development, from
the static source folders); everything else (``file:``, ``http:``, other paths, ``..``) is refused and never opened.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

__all__ = ["BASE_URL", "StaticOnlyFetcher", "html_to_pdf"]

BASE_URL = "https://sheet.invalid/"


def _static_file(url: str) -> Path | None:
    """The file a URL under BASE_URL's static prefix names, if it is one of our static files."""
    parts = urlsplit(url)
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith(prefix):
        return None
    name = unquote(parts.path[len(prefix) :])
    if not name or name.startswith("/") or "\\" in name or ".." in Path(name).parts:
        return None
    if settings.DEBUG:  # development: straight from the source folders, never a stale collected copy
        found = finders.find(name)
        return Path(found).resolve() if found else None
    root = Path(settings.STATIC_ROOT).resolve()
    collected = (root / name).resolve()
    return collected if collected.is_relative_to(root) and collected.is_file() else None


class StaticOnlyFetcher(URLFetcher):
    """Serves our static files and data: URIs; refuses everything else. Records what it served and refused."""

    def __init__(self):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False)
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            self.served.append(url[:40])
            return super().fetch(url, headers)
        path = _static_file(url)
        if path is None:
            self.refused.append(url)
            raise ValueError(f"The sheet may only load this project's static files, not {url}")
        self.served.append(url)
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime_type})


def html_to_pdf(html: str, *, fetcher: StaticOnlyFetcher | None = None) -> bytes:
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher or StaticOnlyFetcher()).write_pdf()
