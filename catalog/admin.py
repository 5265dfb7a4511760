"""The catalog in the Django admin. Validation lives in the models (clean() and constraints), not here."""

import json
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from catalog.catalog_files import CatalogFileError, load_catalog_file
from catalog.choices import Bus
from catalog.exporting import catalog_export_files, catalog_zip
from catalog.forms import CatalogApplyForm, CatalogUploadForm
from catalog.importing import catalog_import_files
from catalog.models import (
    Account,
    ApiToken,
    CatalogChange,
    CatalogRequest,
    Device,
    DeviceProtocol,
    DipSwitch,
    DipSwitchBank,
    Document,
    DocumentedPairing,
    Manufacturer,
    Note,
    NoteTranslation,
    PairingConductor,
    PinAssignment,
    Port,
    Protocol,
    Setting,
    Source,
    WebhookDelivery,
    WebhookEndpoint,
)
from catalog.rules import (
    MANUFACTURER_PATHS,
    NOBODY,
    Actor,
    WriteRefused,
    actor_for_user,
    editable,
    may_add,
    may_change,
    write_refusal,
)
from catalog.tokens import api_token_create
from catalog.webhooks import target_problem
from configurator.domain import ConfigurationError, Options
from configurator.drawings import connector_svg
from configurator.publishing import device_publish
from configurator.services import pair_load

# --- who may edit what (catalog/rules.py) -----------------------------------------------------------------------


def request_actor(request) -> Actor:
    if not hasattr(request, "_catalog_actor"):
        request._catalog_actor = actor_for_user(request.user)
    return request._catalog_actor


class _ScopedEditing:
    """Change and delete permissions through the class's ``_scoped_permission`` (its rule, or ``default``: Django's
    own answer), foreign-key choices limited to what the user may write, and every saved row checked by the
    catalog's write rule as it is stored and as it would be saved. Shared by ScopedAdmin and ScopedInline."""

    def _scoped_permission(self, request, obj, default) -> bool:
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        return self._scoped_permission(
            request, obj, lambda: super(_ScopedEditing, self).has_change_permission(request, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return self._scoped_permission(
            request, obj, lambda: super(_ScopedEditing, self).has_delete_permission(request, obj)
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return _limit_choices(field, db_field, request)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "buses":  # a closed list: one checkbox per bus, not a typed list
            return forms.TypedMultipleChoiceField(
                choices=Bus.choices,
                widget=forms.CheckboxSelectMultiple,
                required=False,
                label=db_field.verbose_name.capitalize(),
                help_text=_("The buses this port carries; none ticked: the source does not say."),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def _checked(request, obj) -> None:
    """The write rule on a row about to be saved (the form's choices already keep a user in scope: this is the
    last word, whatever path the row came by)."""
    if refusal := write_refusal(request_actor(request), obj):
        raise PermissionDenied(str(refusal))


class ScopedAdmin(_ScopedEditing, SimpleHistoryAdmin):
    """The team: Django's permissions. Distributors: read everything, change their manufacturers' rows, add shared
    rows. Readers: read. Enforced on every view and POST, not only hidden. Every change is in the History page,
    with what changed and a revert (under the same permissions)."""

    object_history_list_template = "admin/catalog/history_list.html"

    def _scoped_permission(self, request, obj, default):
        actor = request_actor(request)
        if actor.is_team:
            return default()
        return actor.may_write and self.model in MANUFACTURER_PATHS and (obj is None or may_change(actor, obj))

    def _viewing(self, request, default) -> bool:
        """Anyone with catalog rights reads the whole catalog; the team under Django's permissions."""
        actor = request_actor(request)
        if actor.is_team:
            return default()
        return actor.role != NOBODY and request.user.is_active and request.user.is_staff

    def has_module_permission(self, request):
        return self._viewing(request, lambda: super(ScopedAdmin, self).has_module_permission(request))

    def has_view_permission(self, request, obj=None):
        return self._viewing(request, lambda: super(ScopedAdmin, self).has_view_permission(request, obj))

    def has_add_permission(self, request):
        actor = request_actor(request)
        if actor.is_team:
            return super().has_add_permission(request)
        return may_add(actor, self.model)

    def save_model(self, request, obj, form, change):
        _checked(request, obj)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        parent_source = getattr(form.instance, "source_id", None)
        for inline_form in formset.forms:
            if inline_form.has_changed() and inline_form not in formset.deleted_forms:
                if "source" in inline_form.fields and inline_form.instance.source_id is None:
                    inline_form.instance.source_id = parent_source  # left blank: the parent's source
                _checked(request, inline_form.instance)
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        """Inline rows are saved after the row itself: its history record then says what changed in them too
        ("Added pin assignment “4 CAN H”."), where the record's own field changes would show nothing."""
        super().save_related(request, form, formsets, change)
        message = self.construct_change_message(request, form, formsets, not change)
        text = LogEntry(change_message=json.dumps(message)).get_change_message()
        latest = form.instance.history.order_by("-history_id").first()
        if latest is not None and not latest.history_change_reason:
            latest.history_change_reason = text
            latest.save(update_fields=["history_change_reason"])

    def delete_model(self, request, obj):
        if not may_change(request_actor(request), obj):
            raise PermissionDenied
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        actor = request_actor(request)
        if not actor.is_team and editable(self.model, queryset, actor).count() != queryset.count():
            raise PermissionDenied
        super().delete_queryset(request, queryset)

    def get_search_results(self, request, queryset, search_term):
        """An autocomplete widget offers a distributor only what its forms accept: its own manufacturers, and the
        devices, ports and pairings of those (the same limits as _limit_choices)."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        actor = request_actor(request)
        if request.resolver_match and request.resolver_match.url_name == "autocomplete" and not actor.is_team:
            if self.model is Manufacturer:
                queryset = queryset.filter(pk__in=actor.manufacturer_ids)
            elif self.model in MANUFACTURER_PATHS:
                queryset = editable(self.model, queryset, actor)
        return queryset, may_have_duplicates

    def revert_disabled(self, request, obj=None):
        return super().revert_disabled(request, obj) or not self.has_change_permission(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """simple-history saves a revert for anyone who may *view* history: a revert is a change, so it needs
        the change permission on the row as it is now (and the reverted row is checked as saved, save_model)."""
        if request.method == "POST":
            current = self.get_object(request, object_id)
            if current is None or not self.has_change_permission(request, current):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


def _limit_choices(field, db_field, request):
    """A distributor picks only its own manufacturers, devices, ports and pairings in forms."""
    actor = request_actor(request)
    if field is None or actor.is_team:
        return field
    related = db_field.related_model
    if related is Manufacturer:
        field.queryset = field.queryset.filter(pk__in=actor.manufacturer_ids)
    elif related in MANUFACTURER_PATHS:
        field.queryset = editable(related, field.queryset, actor)
    return field


class ScopedInline(_ScopedEditing):
    """Inline rows follow their parent: editable when the parent is the user's to change. A row's source may be
    left blank: it is then its parent's (a port's pins come from the port's document and section), and new rows
    start with the parent's source filled in."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        source = formset.form.base_fields.get("source")
        if source is not None:
            source.required = False
            source.help_text = _("Blank: the same source as the row it belongs to.")
            if obj is not None and getattr(obj, "source_id", None):
                source.initial = obj.source_id
        return formset

    def _scoped_permission(self, request, obj, default):
        actor = request_actor(request)
        if actor.is_team:
            return default()
        return actor.may_write and (obj is None or may_change(actor, obj))

    def has_view_permission(self, request, obj=None):
        actor = request_actor(request)
        if not actor.is_team:
            return actor.role != NOBODY
        return super().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._scoped_permission(
            request, obj, lambda: super(ScopedInline, self).has_add_permission(request, obj)
        )


# --- catalog files out ----------------------------------------------------------------------------------------


def _zip_response(files: dict[str, str], name: str) -> HttpResponse:
    response = HttpResponse(catalog_zip(files), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}.zip"'
    return response


@admin.action(description=_("Download as catalog files (zip)"))
def download_manufacturers(modeladmin, request, queryset):
    slugs = sorted(queryset.values_list("slug", flat=True))
    return _zip_response(catalog_export_files(manufacturers=slugs), "catalog-" + "-".join(slugs)[:80])


@admin.action(description=_("Download as catalog files (zip)"))
def download_devices(modeladmin, request, queryset):
    slugs = sorted(queryset.values_list("slug", flat=True))
    return _zip_response(catalog_export_files(devices=slugs), "catalog-" + "-".join(slugs)[:80])


def _checked_upload(request, name: str, text: str, *, dry_run: bool):
    """(report, []) when the file may be applied by this user, else (None, errors with file, line and key)."""
    try:
        catalog_file = load_catalog_file(Path(name), display_path=name, text=text)
    except CatalogFileError as error:
        return None, error.errors
    try:
        return catalog_import_files(files=[catalog_file], actor=request_actor(request), dry_run=dry_run), []
    except CatalogFileError as error:
        return None, error.errors


def _whole(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= 1000 else None


# --- sources -------------------------------------------------------------------------------------------------


@admin.register(Document)
class DocumentAdmin(ScopedAdmin):
    list_display = ["key", "title"]
    search_fields = ["key", "title", "description"]
    list_filter = []
    list_select_related = []


@admin.register(Source)
class SourceAdmin(ScopedAdmin):
    list_display = ["section", "document", "page"]
    list_filter = ["document"]
    search_fields = ["section", "document__key", "document__title"]
    autocomplete_fields = ["document"]
    list_select_related = ["document"]


@admin.register(Manufacturer)
class ManufacturerAdmin(ScopedAdmin):
    list_display = ["name", "slug", "device_count"]
    search_fields = ["name", "slug"]
    ordering = ["name"]  # also for the autocomplete's pages
    prepopulated_fields = {"slug": ["name"]}
    list_filter = []
    list_select_related = []

    actions = [download_manufacturers]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(device_count=Count("devices"))

    @admin.display(description=_("devices"), ordering="device_count")
    def device_count(self, obj):
        return obj.device_count


# --- devices -------------------------------------------------------------------------------------------------


class PortInline(ScopedInline, admin.StackedInline):
    """A device's ports, a few fields to a line so that the form fits a laptop screen; the pins are on each port's
    own page (its "Change" link), with the connector face drawn."""

    model = Port
    extra = 0
    show_change_link = True
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("position", "name", "connector", "positions"),
                    ("role", "pinout", "termination"),
                    ("buses", "bitrates"),
                    "source",
                ]
            },
        )
    ]
    autocomplete_fields = ["source"]


class DeviceProtocolInline(ScopedInline, admin.StackedInline):
    model = DeviceProtocol
    extra = 0
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("protocol", "method", "priority"),
                    ("menu_path", "value", "firmware"),
                    ("derivation", "note"),
                    "source",
                ]
            },
        )
    ]
    autocomplete_fields = ["protocol", "source"]


class DipSwitchBankInline(ScopedInline, admin.TabularInline):
    model = DipSwitchBank
    extra = 0
    show_change_link = True
    fields = [
        "position",
        "name",
        "switch_count",
        "master_address",
        "first_slave_address",
        "max_packs",
        "last_pack_pattern",
        "numbering_stated",
        "source",
    ]
    autocomplete_fields = ["source"]


class DeviceSettingInline(ScopedInline, admin.TabularInline):
    model = Setting
    fk_name = "device"
    extra = 0
    fields = ["position", "name", "menu_path", "value", "optional", "fallback", "note", "source"]
    autocomplete_fields = ["source"]
    verbose_name_plural = _("settings (whenever the device is used)")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(pairing__isnull=True, selection__isnull=True)
            .select_related("source__document")
        )


class NoteInline(ScopedInline, admin.StackedInline):
    """Notes hang on a device or a pairing; subclasses say which."""

    model = Note
    extra = 0
    fields = ["position", "kind", "text", "source"]
    autocomplete_fields = ["source"]
    show_change_link = True  # the note's own page holds its translations (admin inlines do not nest)


class DeviceNoteInline(NoteInline):
    fk_name = "device"


@admin.action(description=_("Publish the selected drafts (after the checks)"))
def publish_devices(modeladmin, request, queryset):
    """Each draft is checked on its own; the ones that pass are published, the others listed with their first
    problem (the device's Publish button lists them all)."""
    actor = request_actor(request)
    for device in queryset.filter(is_published=False).select_related("manufacturer"):
        try:
            problems = device_publish(device=device, actor=actor)
        except WriteRefused as refused:
            messages.error(request, f"{device}: {refused}")
            continue
        if problems:
            said = ngettext(
                "{device}: not published, {count} problem, first: {problem}",
                "{device}: not published, {count} problems, first: {problem}",
                len(problems),
            )
            messages.error(request, said.format(device=device, count=len(problems), problem=problems[0]))
        else:
            messages.success(request, gettext("{device}: published.").format(device=device))


@admin.action(description=_("Return the selected devices to draft (installers stop seeing them)"))
def unpublish_devices(modeladmin, request, queryset):
    actor = request_actor(request)
    for device in queryset.filter(is_published=True).select_related("manufacturer"):
        if refusal := write_refusal(actor, device):
            messages.error(request, f"{device}: {refusal}")
            continue
        device.is_published = False
        device.save(update_fields=["is_published"])
        messages.success(request, gettext("{device}: back to draft.").format(device=device))


@admin.register(Device)
class DeviceAdmin(ScopedAdmin):
    list_display = ["model", "manufacturer", "kind", "voltage_class", "family", "is_published"]
    list_filter = ["kind", "voltage_class", "is_published", "manufacturer"]
    search_fields = ["model", "slug", "family", "manufacturer__name", "description"]
    autocomplete_fields = ["source"]  # the maker is a plain list: a distributor's holds only its own
    list_select_related = ["manufacturer"]
    prepopulated_fields = {"slug": ["model"]}
    inlines = [PortInline, DeviceProtocolInline, DipSwitchBankInline, DeviceSettingInline, DeviceNoteInline]
    actions = [download_devices, publish_devices, unpublish_devices]
    readonly_fields = ["is_published"]
    change_list_template = "admin/catalog/device/change_list.html"
    change_form_template = "admin/catalog/device/change_form.html"

    def get_urls(self):
        download = self.admin_site.admin_view(self.download_catalog)
        upload = self.admin_site.admin_view(self.upload_catalog)
        return [
            path("download-catalog/", download, name="catalog_download"),
            path("upload-catalog/", upload, name="catalog_upload"),
            path("<path:object_id>/preview/", self.admin_site.admin_view(self.preview), name="catalog_device_preview"),
            path("<path:object_id>/publish/", self.admin_site.admin_view(self.publish), name="catalog_device_publish"),
            *super().get_urls(),
        ]

    def save_model(self, request, obj, form, change):
        if not change:  # a new device is a draft until it passes the publishing checks (the Publish button)
            obj.is_published = False
        super().save_model(request, obj, form, change)

    def publish(self, request, object_id):
        """Publish a draft: the catalog checks and the answer checks over its pairs first; refused with the
        problems listed, nothing changed. POST only (CSRF-protected); GET shows the checks' answer."""
        device = self.get_object(request, object_id)
        if device is None or not self.has_change_permission(request, device):
            raise PermissionDenied
        if request.method == "POST":
            try:
                problems = device_publish(device=device, actor=request_actor(request))
            except WriteRefused as refused:
                raise PermissionDenied(str(refused)) from refused
            if not problems:
                messages.success(
                    request, gettext("{device} is published: installers see it now.").format(device=device)
                )
                return redirect("admin:catalog_device_change", device.pk)
        else:
            problems = []
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Publish: {device}").format(device=device),
            "opts": self.opts,
            "original": device,
            "problems": problems,
        }
        return render(request, "admin/catalog/device/publish.html", context, status=409 if problems else 200)

    def preview(self, request, object_id):
        """What the wizard would answer for this device (published or draft) with a counterpart of the other
        kind, before anything is published."""
        device = self.get_object(request, object_id)
        if device is None or not self.has_view_permission(request, device):
            raise PermissionDenied
        other_kind = "inverter" if device.kind == "battery" else "battery"
        counterparts = (
            Device.objects.filter(kind=other_kind)
            .select_related("manufacturer")
            .order_by("manufacturer__name", "model")
        )
        chosen = request.GET.get("with", "")
        configuration, problem = None, ""
        if device.kind == "adapter":
            problem = gettext("Adapters are previewed through a battery or an inverter that uses them.")
        elif chosen:
            pair = (
                {"battery": device.slug, "inverter": chosen}
                if device.kind == "battery"
                else {
                    "battery": chosen,
                    "inverter": device.slug,
                }
            )
            try:
                configuration = pair_load(**pair, drafts=True).build(Options())
            except ConfigurationError as error:
                problem = str(error)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Preview: {device}").format(device=device),
            "opts": self.opts,
            "original": device,
            "counterparts": counterparts,
            "chosen": chosen,
            "c": configuration,
            "problem": problem,
        }
        return render(request, "admin/catalog/device/preview.html", context)

    def upload_catalog(self, request):
        """Upload one catalog file: check it (a dry run reports what it would create and change), then apply it
        in one transaction. Nothing is written until "Apply"; errors name the line and key at fault."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "title": _("Upload a catalog file"), "opts": self.opts}
        form, report, errors, apply_form = CatalogUploadForm(), None, [], None
        if request.method == "POST" and "apply" in request.POST:
            apply_form = CatalogApplyForm(request.POST)
            if apply_form.is_valid():
                name, text = apply_form.cleaned_data["name"], apply_form.cleaned_data["text"]
                report, errors = _checked_upload(request, name, text, dry_run=False)
                if report is not None:
                    messages.success(request, f"{name}: {report.summary()}")
                    return redirect("admin:catalog_device_changelist")
        elif request.method == "POST":
            form = CatalogUploadForm(request.POST, request.FILES)
            if form.is_valid():
                name, text = form.cleaned_data["file"]
                report, errors = _checked_upload(request, name, text, dry_run=True)
                if report is not None and report.changed:
                    apply_form = CatalogApplyForm(initial={"name": name, "text": text})
        context.update(form=form, report=report, errors=errors, apply_form=apply_form)
        return render(request, "admin/catalog/upload.html", context)

    def download_catalog(self, request):
        """The whole catalog, as the files of fixtures/ (zip)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        return _zip_response(catalog_export_files(), "catalog")

    def get_search_results(self, request, queryset, search_term):
        # Autocomplete widgets print str(device): load the maker with it.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.select_related("manufacturer"), may_have_duplicates


class PinAssignmentInline(ScopedInline, admin.TabularInline):
    model = PinAssignment
    extra = 0
    fields = ["position", "terminal", "signal", "label", "channel", "polarity_assumed", "note", "source"]
    autocomplete_fields = ["source"]


@admin.register(Port)
class PortAdmin(ScopedAdmin):
    list_display = ["name", "device", "connector", "positions", "role", "pinout", "termination"]
    list_filter = ["connector", "role", "pinout", "termination", "device__manufacturer"]
    search_fields = ["name", "device__model", "device__slug", "device__manufacturer__name"]
    autocomplete_fields = ["device", "source"]
    list_select_related = ["device__manufacturer"]
    inlines = [PinAssignmentInline]
    readonly_fields = ["face"]
    change_form_template = "admin/catalog/port/change_form.html"

    class Media:
        js = ["django_htmx/htmx-2.min.js"]  # the face preview follows the form as it is edited

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.select_related("device__manufacturer"), may_have_duplicates

    @admin.display(description=_("connector face"))
    def face(self, port):
        if port.pk is None:
            return "-"
        pins = [(pin.key, pin.signal, pin.label) for pin in port.pin_assignments.all()]
        return connector_svg(port.connector, port.positions, pins)

    def get_urls(self):
        preview = self.admin_site.admin_view(self.face_preview)
        return [path("face-preview/", preview, name="catalog_port_face"), *super().get_urls()]

    def face_preview(self, request):
        """The face as the form stands, unsaved: the port's connector and the pin rows not marked for deletion."""
        if request.method != "POST":
            return HttpResponse(status=405)
        data = request.POST
        prefix = "pin_assignments"
        pins = []
        for n in range(_whole(data.get(f"{prefix}-TOTAL_FORMS")) or 0):
            row = {key: data.get(f"{prefix}-{n}-{key}", "").strip() for key in ("position", "terminal", "signal")}
            if data.get(f"{prefix}-{n}-DELETE") or not row["signal"]:
                continue
            key = _whole(row["position"]) or row["terminal"]
            if key:
                pins.append((key, row["signal"], data.get(f"{prefix}-{n}-label", "").strip()))
        return HttpResponse(connector_svg(data.get("connector", ""), _whole(data.get("positions")), pins))


@admin.register(PinAssignment)
class PinAssignmentAdmin(ScopedAdmin):
    list_display = ["__str__", "port", "device", "signal", "label"]
    list_filter = ["signal"]
    search_fields = ["label", "terminal", "port__name", "port__device__model"]
    autocomplete_fields = ["port", "source"]
    list_select_related = ["port__device__manufacturer"]

    @admin.display(description=_("device"), ordering="port__device__model")
    def device(self, obj):
        return obj.port.device


@admin.register(Protocol)
class ProtocolAdmin(ScopedAdmin):
    """A distributor proposes a protocol: it is saved as a draft, in its account's name, for the team to check and
    publish (catalog.rules)."""

    list_display = ["name", "bus", "bitrate", "slug", "is_published", "proposed_by"]
    list_filter = ["bus", "is_published"]
    search_fields = ["name", "slug", "aliases"]
    autocomplete_fields = ["source"]
    list_select_related = ["proposed_by"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["publish_protocols"]

    def get_readonly_fields(self, request, obj=None):
        if request_actor(request).is_team:
            return ["proposed_by"]
        return ["is_published", "proposed_by"]

    def save_model(self, request, obj, form, change):
        if not change and not request_actor(request).is_team:
            obj.is_published = False
            obj.proposed_by = request.user.catalog_accounts.filter(kind=Account.Kind.DISTRIBUTOR).first()
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Publish the selected protocols"))
    def publish_protocols(self, request, queryset):
        if not request_actor(request).is_team:
            raise PermissionDenied
        for protocol in queryset.filter(is_published=False):
            protocol.is_published = True
            protocol.save(update_fields=["is_published"])
            messages.success(request, gettext("{device}: published.").format(device=protocol))


class SelectionExtraInline(ScopedInline, admin.TabularInline):
    """Further settings whenever the device is set to this protocol (e.g. BMS_Err_Stop = On)."""

    model = Setting
    fk_name = "selection"
    extra = 0
    fields = ["position", "name", "menu_path", "value", "optional", "note", "source"]
    autocomplete_fields = ["source"]
    verbose_name_plural = _("extra settings with this protocol")


@admin.register(DeviceProtocol)
class DeviceProtocolAdmin(ScopedAdmin):
    list_display = ["device", "protocol", "method", "menu_path", "value"]
    list_filter = ["method", "protocol__bus"]
    search_fields = ["device__model", "protocol__name", "value"]
    autocomplete_fields = ["device", "protocol", "source"]
    list_select_related = ["device__manufacturer", "protocol"]
    inlines = [SelectionExtraInline]

    def save_formset(self, request, form, formset, change):
        """An extra setting belongs to the selection's device (set before the scope check sees it)."""
        for inline_form in formset.forms:
            inline_form.instance.device_id = form.instance.device_id
        super().save_formset(request, form, formset, change)


class DipSwitchInline(ScopedInline, admin.TabularInline):
    model = DipSwitch
    extra = 0
    fields = ["position", "function", "bit", "label"]


@admin.register(DipSwitchBank)
class DipSwitchBankAdmin(ScopedAdmin):
    list_display = ["name", "device", "switch_count", "master_address", "max_packs", "last_pack_pattern"]
    search_fields = ["name", "device__model"]
    list_filter = ["switch_count"]
    autocomplete_fields = ["device", "source"]
    list_select_related = ["device__manufacturer"]
    inlines = [DipSwitchInline]


@admin.register(DipSwitch)
class DipSwitchAdmin(ScopedAdmin):
    list_display = ["position", "bank", "function", "bit", "label"]
    list_filter = ["function"]
    search_fields = ["bank__name", "bank__device__model", "label"]
    autocomplete_fields = ["bank"]
    list_select_related = ["bank"]


@admin.register(Setting)
class SettingAdmin(ScopedAdmin):
    list_display = ["name", "device", "pairing", "menu_path", "value", "optional"]
    list_filter = ["optional"]
    search_fields = ["name", "menu_path", "value", "device__model"]
    autocomplete_fields = ["device", "pairing", "source"]
    list_select_related = ["device__manufacturer", "pairing"]


class NoteTranslationInline(ScopedInline, admin.StackedInline):
    """The note in the readers' other languages; a language without one shows the note's own words, marked as
    not translated."""

    model = NoteTranslation
    extra = 0
    fields = ["language", "text"]


@admin.register(Note)
class NoteAdmin(ScopedAdmin):
    list_display = ["__str__", "kind", "device", "pairing", "translated_into"]
    list_filter = ["kind", "translations__language"]
    search_fields = ["text", "device__model", "pairing__slug"]
    autocomplete_fields = ["device", "pairing", "source"]
    list_select_related = ["device__manufacturer", "pairing"]
    inlines = [NoteTranslationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("translations")

    @admin.display(description=_("translated into"))
    def translated_into(self, note) -> str:
        return ", ".join(note.translated()) or "-"


# --- documented pairings -------------------------------------------------------------------------------------


class PairingConductorInline(ScopedInline, admin.TabularInline):
    model = PairingConductor
    extra = 0
    fields = ["position", "signal", "battery_pin", "inverter_pin", "note"]
    autocomplete_fields = ["battery_pin", "inverter_pin"]


class PairingSettingInline(ScopedInline, admin.TabularInline):
    model = Setting
    fk_name = "pairing"
    extra = 0
    fields = ["position", "device", "name", "menu_path", "value", "optional", "fallback", "note", "source"]
    autocomplete_fields = ["device", "source"]


class PairingNoteInline(NoteInline):
    fk_name = "pairing"


@admin.register(DocumentedPairing)
class DocumentedPairingAdmin(ScopedAdmin):
    list_display = ["slug", "battery", "inverter", "adapter", "bus", "protocol", "standard_cable", "documented_by"]
    list_filter = ["bus", "documented_by", "standard_cable"]
    search_fields = ["slug", "battery__model", "inverter__model", "battery__manufacturer__name"]
    autocomplete_fields = ["battery", "inverter", "adapter", "protocol", "battery_port", "inverter_port", "source"]
    list_select_related = ["battery", "inverter", "adapter", "protocol"]
    inlines = [PairingConductorInline, PairingSettingInline, PairingNoteInline]


@admin.register(PairingConductor)
class PairingConductorAdmin(ScopedAdmin):
    list_display = ["__str__", "pairing", "signal"]
    list_filter = ["signal"]
    search_fields = ["pairing__slug"]
    autocomplete_fields = ["pairing", "battery_pin", "inverter_pin"]
    list_select_related = ["pairing", "battery_pin", "inverter_pin"]


# --- partner accounts and API tokens ----------------------------------------------------------------------------


class ApiTokenInline(admin.TabularInline):
    model = ApiToken
    extra = 0
    fields = ["name", "prefix", "read_only", "expires_at", "created_at", "last_used_at"]
    readonly_fields = ["name", "prefix", "read_only", "created_at", "last_used_at"]
    can_delete = True
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # new tokens come from the API token page, which shows the token once


class TeamOnly:
    """Accounts and tokens are the team's business: partner users do not see them."""

    def has_module_permission(self, request):
        return request_actor(request).is_team and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return request_actor(request).is_team and super().has_view_permission(request, obj)


@admin.register(Account)
class AccountAdmin(TeamOnly, admin.ModelAdmin):
    list_display = ["name", "kind", "is_active", "created_at"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    filter_horizontal = ["manufacturers", "users"]
    inlines = [ApiTokenInline]


@admin.register(ApiToken)
class ApiTokenAdmin(TeamOnly, admin.ModelAdmin):
    list_display = ["name", "account", "prefix", "read_only", "expires_at", "last_used_at"]
    list_filter = ["read_only", "account__kind"]
    search_fields = ["name", "prefix", "account__name"]
    autocomplete_fields = ["account"]
    list_select_related = ["account"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    fields = ["account", "name", "read_only", "expires_at", "prefix", "created_at", "last_used_at"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        row, token = api_token_create(
            account=obj.account, name=obj.name, read_only=obj.read_only, expires_at=obj.expires_at
        )
        obj.pk, obj.prefix, obj.digest, obj.created_at = row.pk, row.prefix, row.digest, row.created_at
        request._new_api_token = token  # shown by response_add in the page itself, never in a cookie or session

    def response_add(self, request, obj, post_url_continue=None):
        """The new token, once, in this response's body (not in a message: messages travel in a cookie)."""
        token = getattr(request, "_new_api_token", None)
        if token is None:
            return super().response_add(request, obj, post_url_continue)
        context = {
            **self.admin_site.each_context(request),
            "title": _("API token created"),
            "opts": self.opts,
            "token_row": obj,
            "token": token,
        }
        return render(request, "admin/catalog/apitoken/created.html", context)  # the admin adds no-store


@admin.register(CatalogRequest)
class CatalogRequestAdmin(admin.ModelAdmin):
    """What installers searched for and asked to be added: read by anyone with catalog rights, changed by nobody
    (the team may delete what has been dealt with)."""

    list_display = ["text", "kind", "times", "first_asked", "last_asked"]
    list_filter = ["kind"]
    search_fields = ["text"]
    readonly_fields = ["kind", "text", "times", "first_asked", "last_asked"]

    def _reader(self, request) -> bool:
        actor = request_actor(request)
        return actor.is_team or (actor.role != NOBODY and request.user.is_active and request.user.is_staff)

    def has_module_permission(self, request):
        return self._reader(request)

    def has_view_permission(self, request, obj=None):
        return self._reader(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request_actor(request).is_team and super().has_delete_permission(request, obj)


class WebhookDeliveryInline(admin.TabularInline):
    model = WebhookDelivery
    extra = 0
    fields = ["created_at", "event", "message_id", "status", "attempts", "last_status_code", "last_error"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True
    ordering = ["-created_at", "-id"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return True  # the endpoint's page is already limited to the user's accounts (OwnAccountsOnly)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class OwnAccountsOnly:
    """Webhooks are an account's own business: the team sees every account's; a user linked to active partner
    accounts (any kind) sees and edits only those accounts' endpoints and deliveries."""

    account_path = "account"

    def _accounts(self, request):
        if not hasattr(request, "_webhook_accounts"):
            user = request.user
            linked = user.catalog_accounts.filter(is_active=True) if user.is_authenticated else Account.objects.none()
            request._webhook_accounts = list(linked.values_list("pk", flat=True))
        return request._webhook_accounts

    def _allowed(self, request, team_answer) -> bool:
        if request_actor(request).is_team:
            return team_answer()  # Django's permissions, as for the team's other screens
        return request.user.is_active and request.user.is_staff and bool(self._accounts(request))

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request_actor(request).is_team:
            return queryset
        return queryset.filter(**{f"{self.account_path}__in": self._accounts(request)})

    def has_module_permission(self, request):
        return self._allowed(request, lambda: super(OwnAccountsOnly, self).has_module_permission(request))

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, lambda: super(OwnAccountsOnly, self).has_view_permission(request, obj))


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(OwnAccountsOnly, admin.ModelAdmin):
    """Partner accounts' webhook endpoints, with their deliveries. Partners register theirs here or through the API;
    the signing secret is shown on the endpoint's page."""

    list_display = ["url", "account", "is_active", "created_at"]
    list_filter = ["is_active", "account__kind"]
    search_fields = ["url", "account__name"]
    list_select_related = ["account"]
    readonly_fields = ["secret", "created_at"]
    inlines = [WebhookDeliveryInline]

    def has_add_permission(self, request):
        return self._allowed(request, lambda: super(WebhookEndpointAdmin, self).has_add_permission(request))

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, lambda: super(WebhookEndpointAdmin, self).has_change_permission(request, obj))

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, lambda: super(WebhookEndpointAdmin, self).has_delete_permission(request, obj))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "account" and not request_actor(request).is_team:
            field.queryset = field.queryset.filter(pk__in=self._accounts(request))
        return field

    def save_model(self, request, obj, form, change):
        if not request_actor(request).is_team and obj.account_id not in self._accounts(request):
            raise PermissionDenied
        if problem := target_problem(obj.url):
            raise PermissionDenied(problem)
        super().save_model(request, obj, form, change)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class Checked(form):
            def clean_url(self):
                url = self.cleaned_data["url"]
                if problem := target_problem(url):
                    raise forms.ValidationError(problem)
                return url

        return Checked


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(OwnAccountsOnly, admin.ModelAdmin):
    """Every delivery with its last response: failed ones first to look at."""

    list_display = ["created_at", "event", "endpoint", "status", "attempts", "last_status_code", "last_attempt_at"]
    list_filter = ["status", "event"]
    search_fields = ["message_id", "endpoint__url", "endpoint__account__name"]
    list_select_related = ["endpoint__account"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    account_path = "endpoint__account"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CatalogChange)
class CatalogChangeAdmin(TeamOnly, admin.ModelAdmin):
    """The change feed as the API serves it: written by the database, read-only."""

    list_display = ["version", "entity", "key", "kind", "account", "changed_at"]
    list_filter = ["entity", "kind"]
    search_fields = ["key"]
    list_select_related = ["account"]
    readonly_fields = ["version", "entity", "key", "kind", "account", "transaction", "changed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
