"""Pages: the installer's wizard (inverter -> battery -> options -> result), saved results, health check.

Every step keeps its state in the URL; htmx requests get the same template's fragment instead of the page.
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import Error as DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from catalog.requests import catalog_request_record
from catalog.selectors import device_list, device_search_ranked, home_counts_get, name_picked
from configurator import offline, selectors, verdict_matrix
from configurator.cache import cache_answers
from configurator.choices import VerdictChoice
from configurator.client import client_address
from configurator.domain import Verdict
from configurator.domain.commissioning import expected_from
from configurator.forms import (
    SITE_FIELDS,
    BatteryFilterForm,
    CatalogRequestForm,
    InverterSearchForm,
    OptionsForm,
    PrepareForm,
    site_rows,
)
from configurator.pages import page_kept
from configurator.records import RecordForm, RecordSuperseded, form_data, record_get, record_issue, record_sections
from configurator.services import (
    VERDICT_ORDER,
    LoadedPair,
    SheetRefused,
    SheetRenderError,
    SheetRequest,
    UnknownDevice,
    battery_choices,
    battery_makers,
    battery_page,
    commissioning_sheet_render,
    pair_load,
    pair_save,
    qr_svg,
    record_pdf_render,
    reissue_query,
    saved_facts_changed,
    saved_sheet_download,
    sheet_filename,
    sheet_request,
    sheet_source,
)

logger = logging.getLogger(__name__)


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _fragment(request: HtmxHttpRequest, template: str, fragment: str) -> str:
    """The page's template, or only its fragment for an htmx request that is not a boosted navigation. htmx's
    history restore (the back button, with nothing cached) swaps the answer in as the whole page: it gets it."""
    htmx = request.htmx
    return f"{template}#{fragment}" if htmx and not (htmx.boosted or htmx.history_restore_request) else template


NOT_FOUND = {  # a whole sentence per kind: the words around the name change with it in other languages
    "inverter": (_("No inverter “{value}”"), _("The catalog has no published inverter by that name.")),
    "battery": (_("No battery “{value}”"), _("The catalog has no published battery by that name.")),
    "saved configuration": (
        _("No saved configuration “{value}”"),
        _("No configuration was saved under that id."),
    ),
    "commissioning record": (
        _("No commissioning record “{value}”"),
        _("No commissioning record was issued under that id."),
    ),
}
BACK_LABELS = {
    "inverter": _("Choose an inverter"),
    "battery": _("Choose a battery"),
    "start": _("Start a new configuration"),
    "configuration": _("Back to the configuration"),
}


def _not_found(request: HttpRequest, what: str, value: str, back: str, back_label: str) -> HttpResponse:
    """404 naming what was asked for; ``back_label`` is a key of BACK_LABELS."""
    heading, lead = NOT_FOUND[what]
    context = {
        "heading": str(heading).format(value=value),
        "lead": lead,
        "back": back,
        "back_label": BACK_LABELS[back_label],
    }
    return render(request, "configurator/not_found.html", context, status=404)


# --- step 1: the inverter ------------------------------------------------------------------------------------


@require_GET
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def wizard_inverter(request: HtmxHttpRequest) -> HttpResponse:
    form = InverterSearchForm(request.GET)
    answer = None
    if not form.is_valid():  # the message shows above the (empty) results
        q, inverters = "", []
    else:
        q = form.cleaned_data["q"].strip()
        answer = device_search_ranked(kind="inverter", text=q) if q else None
        inverters = answer.devices if answer else list(device_list(kind="inverter"))
    picked = {device.slug: name_picked(device, q) for device in inverters} if q else {}
    context = {
        "form": form,
        "q": q,
        "answer": answer,
        "asked": request.GET.get("asked", "")[:8],
        "inverters": inverters,
        "picked": picked,
        **home_counts_get(),
    }
    return render(request, _fragment(request, "configurator/wizard_inverter.html", "inverter-results"), context)


# --- step 2: the battery -------------------------------------------------------------------------------------

VOLTAGE_FILTER = {"lv": ("lv", "lv_hv"), "hv": ("hv", "lv_hv")}
BATTERY_PAGE = 30  # batteries listed at first (about six phone screens), and added by each "Show more"
MOST_LISTED = 5000


@lru_cache(maxsize=128)
def _select_html(name: str, choices: tuple, value: str, invalid: bool) -> str:
    attrs = {"id": f"id_{name}", **({"aria-invalid": "true"} if invalid else {})}
    return mark_safe(forms.Select(choices=choices).render(name, value, attrs=attrs))  # noqa: S308 (the widget escapes)


def _maker_select(form: BatteryFilterForm) -> str:
    """The maker filter's <select>, as {{ form.manufacturer }} renders it, rendered once per list of makers and
    choice: with a large catalog it has hundreds of options, and Django's widget takes tens of microseconds each."""
    field = form["manufacturer"]
    return _select_html(field.html_name, tuple(field.field.choices), str(field.value() or ""), bool(field.errors))


def _listed(given: str | None) -> int:
    """How many batteries to list: ?listed= as "Show more" sets it, within bounds; BATTERY_PAGE otherwise."""
    try:
        return min(max(int(given), BATTERY_PAGE), MOST_LISTED) if given else BATTERY_PAGE
    except ValueError:
        return BATTERY_PAGE


@require_GET
@vary_on_headers("HX-Request", "HX-Boosted", "HX-History-Restore-Request")
def wizard_battery(request: HtmxHttpRequest) -> HttpResponse:
    """Step 2: the batteries for the chosen inverter, best verdict first, a page of BATTERY_PAGE at a time (the
    verdict matrix answers in the same few queries whatever the catalog's size), filtered by search, maker and
    voltage."""

    def battery_list(extra: dict) -> HttpResponse:
        inverter = request.GET.get("inverter", "")
        makers = battery_makers()
        form = BatteryFilterForm(request.GET, manufacturers=list(makers))
        valid = form.is_valid()
        data = form.cleaned_data if valid else {}
        listed = _listed(request.GET.get("listed"))
        picked: dict[str, str] = {}
        answer = None
        only = None if valid or "q" not in form.errors else []
        if q := data.get("q", "").strip():
            answer = device_search_ranked(kind="battery", text=q, limit=200)
            picked = {device.slug: name_picked(device, q) for device in answer.devices}
            only = list(picked)
        try:
            page = battery_page(
                inverter=inverter,
                batteries=only,
                manufacturer=data.get("manufacturer", ""),
                voltage_classes=VOLTAGE_FILTER.get(data.get("voltage", ""), ()),
                limit=None if only is not None else listed,  # a search finds at most 200, ranked below
            )
        except UnknownDevice:
            return _not_found(request, "inverter", inverter, "/", "inverter")
        batteries = list(page.batteries)
        if answer is not None and answer.matched != "all":
            rank = {slug: n for n, slug in enumerate(picked)}  # best first when only part of the words match
            batteries.sort(key=lambda b: rank[b.slug])
        groups = [
            (verdict, VerdictChoice(verdict).label, [b for b in batteries if b.verdict == verdict])
            for verdict in VERDICT_ORDER
        ]
        more = None
        if page.total > len(batteries):
            more = f"{reverse('wizard_battery')}?{urlencode({**request.GET.dict(), 'listed': listed + BATTERY_PAGE})}"
        context = {
            "form": form,
            "inverter": page.inverter,
            "inverter_as": data.get("inverter_as", ""),
            "picked": picked,
            "q": q,
            "answer": answer,
            "asked": request.GET.get("asked", "")[:8],
            "groups": [group for group in groups if group[2]],
            "maker_select": _maker_select(form),
            "shown": page.total,
            "listed": len(batteries),
            "more": more,
            "refreshing": page.refreshing,
            "total": sum(makers.values()),
            **extra,
        }
        return render(request, _fragment(request, "configurator/wizard_battery.html", "battery-results"), context)

    return page_kept(request, battery_list)


# --- step 3: options, then the result ------------------------------------------------------------------------


def _pair(request: HttpRequest, params) -> tuple[LoadedPair | None, HttpResponse | None]:
    battery, inverter = params.get("battery", ""), params.get("inverter", "")
    try:
        return pair_load(battery=battery, inverter=inverter), None
    except UnknownDevice as error:
        if error.kind == "inverter":
            return None, _not_found(request, "inverter", inverter, "/", "inverter")
        back = f"/battery/?{urlencode({'inverter': inverter})}"
        return None, _not_found(request, "battery", battery, back, "battery")


def _options_page(request, pair: LoadedPair, form: OptionsForm, status: int = 200) -> HttpResponse:
    site_fields = [form[name] for name in SITE_FIELDS]
    context = {
        "pair": pair,
        "form": form,
        "battery": pair.battery,
        "inverter": pair.inverter,
        "battery_as": pair.battery.sold_under(form["battery_as"].value() or ""),
        "inverter_as": pair.inverter.sold_under(form["inverter_as"].value() or ""),
        "site_fields": site_fields,
        "has_site_values": any(field.value() for field in site_fields),
    }
    return render(request, "configurator/wizard_options.html", context, status=status)


@require_GET
def wizard_options(request: HtmxHttpRequest) -> HttpResponse:
    pair, missing = _pair(request, request.GET)
    if missing:
        return missing
    form = OptionsForm.for_pair(pair, initial=request.GET.dict())  # "Change options" keeps the last choices
    if form.incompatible_reason:
        form = OptionsForm(
            {"inverter": pair.inverter.slug, "battery": pair.battery.slug, "packs": 1},
            choices=form.choices,
            incompatible_reason=form.incompatible_reason,
        )
        form.is_valid()  # shows why the pair cannot be configured
    return _options_page(request, pair, form)


def _configured(request, params) -> tuple[LoadedPair | None, OptionsForm | None, object | None, HttpResponse | None]:
    """The pair, its validated options form and its configuration; or the response to send instead (a 404 for
    an unknown device, the options page with its errors, status 400)."""
    pair, missing = _pair(request, params)
    if missing:
        return None, None, None, missing
    form = OptionsForm.for_pair(pair, params)
    configuration = form.configuration(pair)
    if configuration is None:
        return pair, form, None, _options_page(request, pair, form, status=400)
    return pair, form, configuration, None


@require_GET
def wizard_result(request: HtmxHttpRequest) -> HttpResponse:
    """The result of a pair and its options: the same page for the same URL and catalog version, so it is kept
    (configurator.pages) and only its CSRF token is put in per request."""

    def result_page(extra: dict) -> HttpResponse:
        _, form, configuration, refusal = _configured(request, request.GET)
        if refusal:
            return refusal
        state = {key: value for key, value in request.GET.items() if value}
        context = {
            "configuration": configuration,
            "site_rows": site_rows(form.site()),
            "state": state,
            "query": urlencode(state),
            "saved": None,
            "catalog_version": _catalog_version(),  # said by a copy kept offline
            **extra,
        }
        return render(request, "configurator/result.html", context)

    return page_kept(request, result_page)


@require_POST
def catalog_request(request: HttpRequest) -> HttpResponse:
    """ "Not in the catalog yet: ask for it": recorded for the catalog's editors, then back to the search."""
    form = CatalogRequestForm(request.POST)
    if not form.is_valid():
        context = {
            "heading": _("The request could not be recorded"),
            "problems": [e for el in form.errors.values() for e in el],
        }
        return render(request, "configurator/bad_request.html", context, status=400)
    data = form.cleaned_data
    recorded = catalog_request_record(kind=data["kind"], text=data["text"], client=client_address(request))
    params = {"q": data["text"], "asked": "1" if recorded else "limit"}
    if data["kind"] == "battery" and data["inverter"]:
        return redirect(f"{reverse('wizard_battery')}?{urlencode({'inverter': data['inverter'], **params})}")
    return redirect(f"{reverse('home')}?{urlencode(params)}")


@require_POST
def wizard_save(request: HtmxHttpRequest) -> HttpResponse:
    pair, form, _configuration, refusal = _configured(request, request.POST)
    if refusal:
        return refusal
    saved = pair_save(
        pair=pair,
        options=form.options(),
        site=form.site(),
        site_root=request.build_absolute_uri("/"),
        language=get_language(),
    )
    return redirect("saved_configuration", public_id=saved.public_id)


@require_GET
def saved_configuration(request: HttpRequest, public_id: str) -> HttpResponse:
    saved = selectors.saved_configuration_get(public_id=public_id)
    if saved is None:
        return _not_found(request, "saved configuration", public_id, "/", "start")
    context = {
        "configuration": saved.configuration,
        "site_rows": site_rows(saved.site),
        "saved": saved,
        "records": list(saved.records.select_related("correction").order_by("issued_at", "id")),
        "facts_changed": saved_facts_changed(saved=saved),
        "reissue_query": reissue_query(saved),
        "state": {},
        "query": "",
        **_kept_copy(),
    }
    return render(request, "configurator/result.html", context)


# --- the commissioning sheet (PDF) ----------------------------------------------------------------------------


SHEET_PARAMETERS = ("paper", "language", "lang")  # how to print, not what: left out of the printed address


def _sheet_asked(request: HttpRequest) -> tuple[SheetRequest | None, HttpResponse | None]:
    """The sheet's paper and language (the page's language unless ``language`` names another), or a 400."""
    asked = sheet_request(request.GET, language=get_language())
    if asked.problems:
        context = {"problems": list(asked.problems.values())}
        return None, render(request, "configurator/bad_request.html", context, status=400)
    return asked, None


SHEET_FAILED = _(
    "The commissioning sheet could not be printed ({reason}). The result page shows everything the sheet would; "
    "please report this link so the catalog entry can be checked."
)


SHEET_REFUSED = _("The commissioning sheet cannot be printed now: {reason}. Please try again in {seconds} s.")


def _sheet_failed(request: HttpRequest, error: SheetRenderError | SheetRefused) -> HttpResponse:
    """A render that broke its limits, or was refused before it started: say so (503 or 429, with Retry-After),
    never a bare server error."""
    if isinstance(error, SheetRefused):
        problem = str(SHEET_REFUSED).format(reason=error.reason, seconds=error.retry_after)
        context = {"heading": _("The sheet could not be printed"), "problems": [problem]}
        response = render(request, "configurator/bad_request.html", context, status=error.status)
        response["Retry-After"] = str(error.retry_after)
        return response
    context = {"heading": _("The sheet could not be printed"), "problems": [str(SHEET_FAILED).format(reason=error)]}
    return render(request, "configurator/bad_request.html", context, status=503)


def _pdf_response(sheet, filename: str, *, immutable: bool) -> HttpResponse:
    response = HttpResponse(sheet.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["ETag"] = f'"{sheet.key}"'
    response["X-Sheet-Cache"] = sheet_source(sheet)
    response["Cache-Control"] = "public, max-age=31536000, immutable" if immutable else "private, max-age=300"
    return response


@require_GET
def wizard_sheet(request: HtmxHttpRequest) -> HttpResponse:
    """The sheet of an unsaved result: the result page's URL, with sheet.pdf in place of the page."""
    asked, bad = _sheet_asked(request)
    if bad:
        return bad
    pair, form, configuration, refusal = _configured(request, request.GET)
    if refusal:
        return refusal
    state = {key: value for key, value in request.GET.items() if value and key not in SHEET_PARAMETERS}
    try:
        sheet = commissioning_sheet_render(
            configuration=configuration,
            site=form.site(),
            public_url=request.build_absolute_uri(f"{reverse('wizard_result')}?{urlencode(state)}"),
            sheet_id=None,
            revision=pair.revision,
            client=client_address(request),
            paper=asked.paper,
            language=asked.language,
        )
    except (SheetRenderError, SheetRefused) as error:
        return _sheet_failed(request, error)
    filename = sheet_filename(site=form.site(), battery=pair.battery.slug, inverter=pair.inverter.slug)
    return _pdf_response(sheet, filename, immutable=False)


@require_GET
def saved_sheet(request: HttpRequest, public_id: str) -> HttpResponse:
    """The sheet of a saved configuration, from its stored snapshot: the same sheet however the catalog changes."""
    asked, bad = _sheet_asked(request)
    if bad:
        return bad
    try:
        download = saved_sheet_download(
            public_id=public_id,
            site_root=request.build_absolute_uri("/"),
            client=client_address(request),
            paper=asked.paper,
            language=asked.language,
        )
    except (SheetRenderError, SheetRefused) as error:
        return _sheet_failed(request, error)
    if download is None:
        return _not_found(request, "saved configuration", public_id, "/", "start")
    named = any(key in request.GET for key in ("language", "lang"))
    response = _pdf_response(download.sheet, download.filename, immutable=named)
    if not named:  # the reader's language decided it: the same address answers in another language for another
        patch_vary_headers(response, ("Cookie",))  # (Accept-Language: LocaleMiddleware)
    return response


# --- operations ----------------------------------------------------------------------------------------------


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links: send them to the icon the pages name."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


# --- the installable app (configurator.offline) ------------------------------------------------------------------


def _catalog_version() -> int | None:
    """The catalog version a page is computed at, for a copy kept offline to say (None inside a transaction)."""
    return getattr(verdict_matrix.versions(), "version", None)


def _kept_copy() -> dict:
    """What a page the installer may keep for offline says of itself (when it was fetched, from which catalog) and
    what its script keeps with it (configurator.offline)."""
    return {
        "fetched_at": timezone.now(),
        "catalog_version": _catalog_version(),
        "kept_cache": offline.KEPT_CACHE,
        "shell_assets": json.dumps(offline.shell_urls()),
    }


@require_GET
def web_manifest(request: HttpRequest) -> HttpResponse:
    """What a phone needs to install the site as an app: its name in the reader's language, icons, start page."""
    name = str(_("Battery ↔ inverter configurator"))
    manifest = {
        "name": name,
        "short_name": str(_("Configurator")),
        "description": str(_("Which battery talks to which inverter, how to make the cable, and the settings.")),
        "lang": get_language(),
        "id": "/",
        "start_url": f"{reverse('home')}?source=app",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5cad",
        "icons": [
            *(
                {"src": reverse("app_icon", args=[size]), "sizes": f"{size}x{size}", "type": "image/png"}
                for size in offline.ICON_SIZES
            ),
            {"src": static("img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = JsonResponse(
        manifest, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response


@require_GET
def app_icon(request: HttpRequest, size: str) -> HttpResponse:
    response = HttpResponse(offline.icon_png(int(size)), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, at the site's root so that its scope is the whole site. Never cached by the browser's
    HTTP cache: a deploy's new worker is found at the next visit."""
    config = {
        "version": offline.shell_version(),
        "shell": offline.shell_urls(),
        "keptCache": offline.KEPT_CACHE,
        "offlineUrl": reverse("offline"),
        "staticPrefix": settings.STATIC_URL,
    }
    context = {"config": mark_safe(json.dumps(config))}  # noqa: S308 - our own URLs, as JSON
    response = render(request, "offline/service-worker.js", context, content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def prepare_site(request: HttpRequest) -> HttpResponse:
    """ "Prepare for this site": the inverter's candidate batteries (those not incompatible) and the likely pack
    counts; once chosen, every result for both colour standards with its sheet, which the page's script keeps on
    the device (configurator.offline)."""
    inverter = request.GET.get("inverter", "")
    try:
        choices = battery_choices(inverter=inverter)
    except UnknownDevice:
        return _not_found(request, "inverter", inverter, "/", "inverter")
    candidates = [choice for choice in choices.batteries if choice.verdict != Verdict.INCOMPATIBLE]
    options = [(choice.slug, choice.name) for choice in candidates]
    asked = "battery" in request.GET
    form = PrepareForm(request.GET if asked else None, initial={"inverter": inverter}, batteries=options)
    rows = []
    if asked and form.is_valid():
        rows = offline.prepared_results(
            inverter=inverter, batteries=form.cleaned_data["battery"], pack_counts=form.cleaned_data["packs"]
        )
    context = {
        "inverter": choices.inverter,
        "form": form,
        "rows": rows,
        "keep_urls": json.dumps([url for row in rows if row.verdict for url in (row.page, row.sheet)]),
        **_kept_copy(),
    }
    return render(request, "offline/prepare.html", context, status=400 if asked and not form.is_valid() else 200)


@require_GET
def offline_page(request: HttpRequest) -> HttpResponse:
    """What the worker shows for a page it does not keep when there is no connection. Cached by the worker with the
    shell; its script lists the pages kept on this device."""
    return render(request, "offline/offline.html")


def _database_answers() -> bool:
    """Open a brand-new connection (not the pooled/persistent one) and run a trivial query."""
    connection = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.warning("health check: database unavailable", exc_info=True)
        return False
    finally:
        connection.close()


@require_GET
@never_cache
def livez(request: HttpRequest) -> HttpResponse:
    """The process answers (no database): a liveness probe, and the floor the benchmarks compare against."""
    return HttpResponse("ok\n", content_type="text/plain")


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Ready to serve: the database and the shared cache (Redis) both answer. 503 naming the one that does not."""
    states = {
        "database": "ok" if _database_answers() else "unavailable",
        "cache": "ok" if cache_answers() else "unavailable",
    }
    if set(states.values()) == {"ok"}:
        return JsonResponse({"status": "ok", **states})
    return JsonResponse({"status": "error", **states}, status=503)


# --- the commissioning record ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def record_new(request: HttpRequest, public_id: str) -> HttpResponse:
    """The form an installer fills on site for a saved configuration, and issuing it (POST, CSRF-protected).
    ``?correct=<record>`` starts from that record's values and issues the next revision."""
    saved = selectors.saved_configuration_get(public_id=public_id)
    if saved is None:
        return _not_found(request, "saved configuration", public_id, "/", "start")
    expected = expected_from(saved.configuration)
    correcting = request.POST.get("correct") or request.GET.get("correct") or ""
    previous = record_get(public_id=correcting) if correcting else None
    if correcting and (previous is None or previous.configuration_id != saved.pk):
        back = reverse("saved_configuration", args=[saved.public_id])
        return _not_found(request, "commissioning record", correcting, back, "configuration")
    status = 200
    latest = saved.records.first()  # the newest issued record of this configuration, if any
    conflict = None
    if request.method == "POST":
        form = RecordForm(request.POST, expected=expected)
        seen = request.POST.get("seen_record")
        if form.is_valid() and previous is None and seen is not None and latest and latest.public_id != seen:
            # Filled (perhaps offline) before another record of this configuration was issued elsewhere: shown,
            # never issued blindly beside it. Sending the form again (it now names the latest) issues it.
            conflict, status = latest, 409
        elif form.is_valid():
            try:
                record = record_issue(configuration=saved, form=form, previous=previous, language=get_language())
            except RecordSuperseded:
                form.add_error(
                    None, _("This record was corrected already: open the latest revision and correct that.")
                )
                status = 409
            else:
                return redirect("record_detail", record_id=record.public_id)
        else:
            status = 400
    else:
        initial = {}
        if previous is not None:
            initial = form_data(
                previous.found,
                installer=previous.installer,
                company=previous.company,
                commissioned_on=previous.commissioned_on.isoformat(),
            )
        form = RecordForm(initial=initial, expected=expected)
    context = {
        "saved": saved,
        "configuration": saved.configuration,
        "form": form,
        "previous": previous,
        "seen_record": latest.public_id if latest else "",
        "conflict": conflict,
    }
    return render(request, "configurator/record_form.html", context, status=status)


@require_GET
def record_detail(request: HttpRequest, record_id: str) -> HttpResponse:
    record = record_get(public_id=record_id)
    if record is None:
        return _not_found(request, "commissioning record", record_id, "/", "start")
    return render(request, "configurator/record.html", _record_context(request, record))


def _record_context(request: HttpRequest, record) -> dict:
    public_url = request.build_absolute_uri(reverse("record_detail", args=[record.public_id]))
    return {
        "record": record,
        "configuration": record.configuration.configuration,
        "sections": record_sections(record),
        "public_url": public_url,
        "qr_svg": qr_svg(public_url),
        "superseded_by": getattr(record, "correction", None),
    }


@require_GET
def record_pdf(request: HttpRequest, record_id: str) -> HttpResponse:
    """The issued record as a PDF: expected and found side by side, deviations marked, its QR and catalog
    revision. Rendered through the sheet's bounded renderer and limits."""
    record = record_get(public_id=record_id)
    if record is None:
        return _not_found(request, "commissioning record", record_id, "/", "start")
    try:
        pdf = record_pdf_render(context=_record_context(request, record), client=client_address(request))
    except (SheetRenderError, SheetRefused) as error:
        return _sheet_failed(request, error)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="commissioning-record-{record.public_id}.pdf"'
    response["Cache-Control"] = "public, max-age=31536000, immutable"  # an issued record never changes
    return response
