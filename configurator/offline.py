"""The installable web app: what the service worker keeps so that the site works on a roof without signal.

- **The shell** (styles, scripts, icons and the offline page) is cached when the service worker installs. Its
  cache is named after ``shell_version()``, which changes whenever a static file or the worker's own templates
  change (a deploy): the new worker installs beside the old one, takes over, and deletes the old shell caches.
- **Kept pages** (a saved result, its sheets, the files the page needs) are cached when the installer asks for it
  ("Keep for offline") and survive worker updates. Each is listed in the browser with when it was fetched and at
  which catalog version, so an offline page can say how old its answer is.
- **Prepared for a site** ("Prepare for this site"): before leaving, the installer picks the inverter, the
  candidate batteries and the likely pack counts; the results for both colour standards and their sheets are
  kept like a saved result, and the prepared list links them.
- **Records filled offline** wait in the browser (IndexedDB, ``static/js/record-outbox.js``) and are sent when the
  connection returns; a record of the same configuration issued elsewhere meanwhile is a conflict the installer
  sees and decides on (``views.record_new``), never a record issued blindly beside it.
- **Nothing else is answered offline**: a wizard step, a search or the API needs the server; offline, the worker
  answers a page it does not keep with the offline page, which says so, rather than a stale or empty step.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from configurator.domain import ConfigurationError, Options
from configurator.messages import device_title, error_message
from configurator.services import configuration_build

__all__ = [
    "ICON_SIZES",
    "KEPT_CACHE",
    "SHELL_ASSETS",
    "PreparedResult",
    "icon_png",
    "prepared_results",
    "shell_urls",
    "shell_version",
]

# Static files every page uses: cached with the worker, so a kept page has its styles and scripts offline.
SHELL_ASSETS = (
    "css/site.css",
    "css/drawings.css",
    "js/wizard.js",
    "js/record-draft.js",
    "js/record-outbox.js",
    "js/offline.js",
    "img/favicon.svg",
    "django_htmx/htmx-2.min.js",
)
ICON_SIZES = (192, 512)  # the sizes an installable app's manifest needs
KEPT_CACHE = "configurator-kept"  # the installer's kept pages: never deleted by a worker update
WORKER_TEMPLATES = ("offline/service-worker.js", "offline/offline.html")


def shell_urls() -> list[str]:
    """What the worker caches when it installs: the static files (by their hashed names in production), the icons
    and the offline page."""
    icons = [reverse("app_icon", args=[size]) for size in ICON_SIZES]
    return [*(static(path) for path in SHELL_ASSETS), *icons, reverse("offline")]


@lru_cache(maxsize=1)
def _templates_digest() -> str:
    digest = hashlib.sha256()
    for name in WORKER_TEMPLATES:
        digest.update((settings.BASE_DIR / "templates" / name).read_bytes())
    return digest.hexdigest()


def shell_version() -> str:
    """Names the shell cache: changes when a static file (its hashed URL) or the worker's templates change."""
    digest = hashlib.sha256("\n".join(shell_urls()).encode())
    digest.update(_templates_digest().encode())
    digest.update(",".join(code for code, _name in settings.LANGUAGES).encode())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=len(ICON_SIZES))
def icon_png(size: int) -> bytes:
    """The app's icon (static/img/favicon.svg's drawing: a battery with a lightning bolt on blue) as a PNG of
    ``size`` pixels, for the manifest: home screens want PNGs of fixed sizes."""
    from PIL import Image, ImageDraw

    scale = size / 32  # the favicon's drawing is on a 32-unit grid
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)

    def box(x0, y0, x1, y1):
        return [round(x0 * scale), round(y0 * scale), round(x1 * scale), round(y1 * scale)]

    draw.rounded_rectangle(box(0, 0, 32, 32), radius=round(6 * scale), fill="#0b5cad")
    draw.rounded_rectangle(box(6, 10, 22, 22), radius=round(2 * scale), outline="white", width=round(2.5 * scale))
    draw.rectangle(box(22, 13.5, 25, 18.5), fill="white")
    bolt = [(15, 12), (11, 17), (15, 17), (13, 21), (18, 15), (14, 15)]
    draw.polygon([(x * scale, y * scale) for x, y in bolt], fill="white")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


# --- "Prepare for this site" -------------------------------------------------------------------------------------

COLOUR_STANDARDS = ("t568b", "t568a")  # both: the installer may find either crimp tool and plugs on site


@dataclass(frozen=True)
class PreparedResult:
    """One result the installer keeps before leaving: a battery, a pack count and a colour standard, with the
    addresses of its page and its sheet (exactly the ones the page links, so the kept copies answer them)."""

    battery: str  # the battery's name
    packs: int
    colours: str
    verdict: str | None  # None: refused (the refusal says why)
    refusal: str
    page: str
    sheet: str


def prepared_results(*, inverter: str, batteries: list[str], pack_counts: list[int]) -> list[PreparedResult]:
    """Every combination of the batteries, pack counts and both colour standards, with its verdict (or why the
    engine refuses it, e.g. more packs than the battery stacks)."""
    rows = []
    for battery in batteries:
        for packs in pack_counts:
            for colours in COLOUR_STANDARDS:
                query = urlencode({"inverter": inverter, "battery": battery, "packs": packs, "colours": colours})
                try:
                    result = configuration_build(
                        battery=battery, inverter=inverter, options=Options(packs=packs, colours=colours)
                    )
                except ConfigurationError as error:
                    name, verdict, refusal = battery, None, error_message(error)
                else:
                    name, verdict, refusal = device_title(result.battery), result.verdict, ""
                rows.append(
                    PreparedResult(
                        battery=name,
                        packs=packs,
                        colours=colours,
                        verdict=verdict,
                        refusal=refusal,
                        page=f"{reverse('wizard_result')}?{query}",
                        sheet=f"{reverse('wizard_sheet')}?{query}",
                    )
                )
    return rows
