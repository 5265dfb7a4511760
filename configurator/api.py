"""Configurator endpoints: compatibility verdicts, configurations (the engine's result, kept immutable) and their
PDF sheets. One APIView per operation: validate, call the service, serialize."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import get_language, gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import APIException, NotFound, Throttled, ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.api.exceptions import ErrorSerializer, error_response
from catalog.api.fields import StrictCharField, StrictIntegerField, StrictSerializer, StrictSlugField
from catalog.models import ApiToken
from configurator import selectors
from configurator.choices import BusPreference, ColourStandard, VerdictChoice
from configurator.client import client_address
from configurator.domain.commissioning import expected_from
from configurator.forms import OptionsForm
from configurator.messages import error_message
from configurator.models import CommissioningRecord, SavedConfiguration
from configurator.pages import answer_kept
from configurator.presentation import result_json
from configurator.records import RecordForm, RecordSuperseded, form_data, record_get, record_issue
from configurator.services import (
    PAPER_SIZES,
    SHEET_LANGUAGES,
    SheetRefused,
    SheetRenderError,
    UnknownDevice,
    battery_page,
    pair_load,
    pair_save,
    saved_sheet_download,
    sheet_request,
    sheet_source,
)

__all__ = [
    "CompatibilityApi",
    "ConfigurationCreateApi",
    "ConfigurationDetailApi",
    "ConfigurationSheetApi",
    "not_found_response",
]


class SheetUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "sheet_unavailable"
    default_detail = "The commissioning sheet could not be printed."

    def __init__(self, detail=None, *, wait: int | None = None):
        super().__init__(detail)
        self.wait = wait  # DRF's handler sends it as Retry-After


ACCEPT_LANGUAGE = OpenApiParameter(
    "Accept-Language",
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "The language of each finding's message, the errors and the sheet: de, it, es, fr or en (en-us: English "
        "with US dates and Letter paper). Codes and parameters never change with it. Default: en."
    ),
)


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


THROTTLED = _error("Too many requests; see Retry-After.")


class DeviceRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    manufacturer = serializers.CharField()
    model = serializers.CharField()
    voltage_class = serializers.CharField()


class CompatibilityApi(APIView):
    """Every published battery with the engine's verdict for one inverter, documented first, a page at a time (read
    from the verdict matrix: the same few queries whatever the catalog's size)."""

    class InputSerializer(serializers.Serializer):
        inverter = StrictSlugField(help_text="The inverter's slug.")
        battery = StrictSlugField(required=False, help_text="Narrow the answer to this battery.")
        page = serializers.IntegerField(
            required=False, min_value=1, max_value=100_000, default=1, help_text="The page, from 1."
        )
        page_size = serializers.IntegerField(
            required=False, min_value=1, max_value=200, default=50, help_text="Batteries per page (1 to 200)."
        )

    class OutputSerializer(serializers.Serializer):
        class Row(serializers.Serializer):  # a services.BatteryChoice
            battery = DeviceRefSerializer(source="*")
            verdict = serializers.ChoiceField(choices=VerdictChoice.choices)
            reason = serializers.CharField()
            bus = serializers.CharField(allow_null=True)

        inverter = DeviceRefSerializer()
        refreshing = serializers.BooleanField(
            help_text="The catalog changed moments ago and the verdict matrix is being brought up to date: the "
            "batteries the change concerns were computed for this answer, the others did not change."
        )
        count = serializers.IntegerField(help_text="Batteries in the whole answer, on every page.")
        next = serializers.URLField(allow_null=True)
        previous = serializers.URLField(allow_null=True)
        results = Row(many=True)

    @extend_schema(
        summary="Which batteries work with an inverter",
        parameters=[InputSerializer, ACCEPT_LANGUAGE],
        responses={
            200: OutputSerializer,
            400: _error("Unknown inverter or battery, or a page or page size out of range."),
            404: _error("A page beyond the last."),
            429: THROTTLED,
        },
    )
    def get(self, request):
        # One answer per URL, catalog and matrix version (and Accept: its rendering), kept as bytes in this process
        # after the rate limit has counted the request (DRF's initial()): a repeated question skips the
        # parameters' validation, the serialisation and the rendering. Errors are raised afresh every time.
        return answer_kept(request, lambda: self._rendered(self._answer(request)), headers=("Accept",))

    def _rendered(self, data: dict) -> HttpResponse:
        renderer = self.request.accepted_renderer  # as DRF's Response renders it
        body = renderer.render(data, self.request.accepted_media_type, self.get_renderer_context())
        return HttpResponse(body, content_type=renderer.media_type)

    def _answer(self, request) -> dict:
        given = self.InputSerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        asked = given.validated_data
        size, number = asked["page_size"], asked["page"]
        battery = asked.get("battery")
        try:
            found = battery_page(
                inverter=asked["inverter"],
                batteries=None if battery is None else [battery],
                offset=(number - 1) * size,
                limit=size,
            )
        except UnknownDevice as error:
            raise ValidationError({"inverter": [error_message(error)]}) from error
        if battery and not found.total:
            raise ValidationError(
                {"battery": [gettext("No published battery '{slug}' in the catalog.").format(slug=battery)]}
            )
        if number > 1 and not found.batteries:
            last = max(1, -(-found.total // size))
            raise NotFound(gettext("Page {number} is beyond the last ({last}).").format(number=number, last=last))

        def link(page: int) -> str:
            query = urlencode({**request.query_params.dict(), "page": page})
            return request.build_absolute_uri(f"{request.path}?{query}")

        answer = {"inverter": found.inverter, "refreshing": found.refreshing, "count": found.total, "next": None}
        answer |= {"previous": None, "results": found.batteries}
        data = found.kept(f"api:{get_language()}", lambda: self.OutputSerializer(answer).data)
        links = {
            "next": link(number + 1) if number * size < found.total else None,
            "previous": link(number - 1) if number > 1 else None,
        }
        return {**data, **links}


class ConfigurationSerializer(serializers.Serializer):
    """A saved configuration: its id, links, request and the engine's result (the JSON contract)."""

    id = serializers.CharField(source="public_id")
    url = serializers.SerializerMethodField()
    sheet_url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    catalog_revision = serializers.CharField()
    battery = serializers.CharField(source="battery_slug")
    inverter = serializers.CharField(source="inverter_slug")
    bus = serializers.CharField()
    packs = serializers.IntegerField()
    colours = serializers.CharField()
    protocol = serializers.CharField(help_text="The protocol asked for; empty: none asked.")
    battery_port = serializers.CharField(help_text="The battery port asked for; empty: none asked.")
    inverter_port = serializers.CharField(help_text="The inverter port asked for; empty: none asked.")
    battery_as = serializers.CharField(help_text="The name the battery was picked by; empty: its own.")
    inverter_as = serializers.CharField(help_text="The name the inverter was picked by; empty: its own.")
    site = serializers.DictField(child=serializers.CharField())
    result = serializers.SerializerMethodField(
        help_text="The engine's result: see the README's JSON contract (schema_version 2); every finding carries "
        "its sentence as message."
    )

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_result(self, saved: SavedConfiguration) -> dict:
        return result_json(saved.configuration)

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_url(self, saved: SavedConfiguration) -> str:
        return self._absolute(reverse("saved_configuration", args=[saved.public_id]))

    def get_sheet_url(self, saved: SavedConfiguration) -> str:
        return self._absolute(reverse("api:configuration-sheet", args=[saved.public_id]))

    def get_api_url(self, saved: SavedConfiguration) -> str:
        return self._absolute(reverse("api:configuration-detail", args=[saved.public_id]))


class ConfigurationCreateApi(APIView):
    class InputSerializer(StrictSerializer):
        inverter = StrictSlugField()
        battery = StrictSlugField()
        bus = serializers.ChoiceField(choices=BusPreference.choices, required=False)
        packs = StrictIntegerField(required=False, min_value=1, help_text="Up to the battery's limit.")
        protocol = StrictCharField(
            max_length=120,
            allow_blank=True,
            required=False,
            help_text="A protocol both sides speak, by slug, name or alias ('SOLISCAN'); empty: as sourced.",
        )
        battery_port = StrictCharField(
            required=False, allow_blank=True, max_length=120, help_text="A link port of the battery, by name."
        )
        inverter_port = StrictCharField(
            required=False, allow_blank=True, max_length=120, help_text="A link port of the inverter, by name."
        )
        battery_as = StrictCharField(
            required=False,
            allow_blank=True,
            max_length=80,
            help_text="The name the battery was picked by: one it is sold under (an alias, a size).",
        )
        inverter_as = StrictCharField(
            required=False, allow_blank=True, max_length=80, help_text="The same for the inverter."
        )
        colours = serializers.ChoiceField(choices=ColourStandard.choices, required=False)
        site_name = StrictCharField(required=False, allow_blank=True, max_length=120)
        installer = StrictCharField(required=False, allow_blank=True, max_length=120)
        commissioning_date = serializers.DateField(required=False, allow_null=True)
        inverter_serial = StrictCharField(required=False, allow_blank=True, max_length=60)
        battery_serials = StrictCharField(required=False, allow_blank=True, max_length=600)
        inverter_firmware = StrictCharField(required=False, allow_blank=True, max_length=60)
        battery_firmware = StrictCharField(required=False, allow_blank=True, max_length=60)

    @extend_schema(
        summary="Configure a pair and keep the result",
        request=InputSerializer,
        parameters=[ACCEPT_LANGUAGE],
        examples=[
            OpenApiExample(
                "Three packs on a Victron system",
                value={"inverter": "victron-color-control", "battery": "generic-lfp-bms", "packs": 3},
                request_only=True,
            ),
            OpenApiExample(
                "Too many packs",
                value={
                    "error": {
                        "code": "invalid",
                        "message": "The request has invalid fields.",
                        "fields": {"packs": ["This battery takes at most 15 packs in parallel."]},
                    }
                },
                response_only=True,
                status_codes=["400"],
            ),
        ],
        responses={
            201: ConfigurationSerializer,
            400: _error("Unknown devices, a bad option, too many packs or an incompatible pair."),
            429: THROTTLED,
        },
    )
    def post(self, request):
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        try:
            pair = pair_load(battery=data["battery"], inverter=data["inverter"])
        except UnknownDevice as error:
            raise ValidationError({error.kind: [error_message(error)]}) from error
        # The wizard's own form decides what the pair allows (bus, pack limit, incompatibility).
        form = OptionsForm.for_pair(pair, {k: ("" if v is None else v) for k, v in data.items()})
        if form.configuration(pair) is None:
            errors = {field: list(messages) for field, messages in form.errors.items()}
            codes = [e.code for e in form.errors.as_data().get("__all__", [])]
            if "__all__" in errors:
                errors["non_field_errors"] = errors.pop("__all__")
            raise ValidationError(errors, code=codes[0] if codes else "invalid")
        account = request.auth.account if isinstance(request.auth, ApiToken) else None
        saved = pair_save(
            pair=pair,
            options=form.options(),
            site=form.site(),
            account=account,
            site_root=request.build_absolute_uri("/"),
            language=get_language(),
        )
        body = ConfigurationSerializer(saved, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


def _saved_or_404(public_id: str) -> SavedConfiguration:
    saved = selectors.saved_configuration_get(public_id=public_id)
    if saved is None:
        raise NotFound(f"No saved configuration '{public_id}'.")
    return saved


class ConfigurationDetailApi(APIView):
    @extend_schema(
        summary="A saved configuration, as it was issued",
        parameters=[ACCEPT_LANGUAGE],
        responses={200: ConfigurationSerializer, 404: _error("No such configuration."), 429: THROTTLED},
    )
    def get(self, request, public_id: str):
        saved = _saved_or_404(public_id)
        return Response(ConfigurationSerializer(saved, context={"request": request}).data)


class PdfRenderer(BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class ConfigurationSheetApi(APIView):
    """A saved configuration's sheet, as the site's link serves it: stored bytes are free, and only a download that
    has to render counts, against the per-client sheet-render rate (services.saved_sheet_download). So it takes
    nothing of the API request rate, which would only ration bytes the site's link hands out without one."""

    renderer_classes = [PdfRenderer, JSONRenderer]
    throttle_classes: list = []

    def handle_exception(self, exc):
        """Errors are JSON, whatever the client accepted."""
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return response

    @extend_schema(
        summary="The PDF commissioning sheet of a saved configuration",
        parameters=[
            ACCEPT_LANGUAGE,
            OpenApiParameter(
                "language",
                str,
                enum=list(SHEET_LANGUAGES),
                description=(
                    "The sheet's language (also accepted as lang). Default: the request's Accept-Language where it "
                    "names one of these, else en. en-us is English on Letter with month-first dates."
                ),
            ),
            OpenApiParameter(
                "paper", str, enum=list(PAPER_SIZES), description="a4 or letter. Default: letter for en-us, else a4."
            ),
        ],
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The sheet."),
            400: _error("Unknown paper or language."),
            404: _error("No such configuration."),
            429: THROTTLED,
            503: _error(
                "The sheet could not be rendered within its time and memory limits, or too many are being rendered "
                "(sheet_unavailable, with Retry-After)."
            ),
        },
    )
    def get(self, request, public_id: str):
        asked = sheet_request(request.query_params, language=get_language())
        if asked.problems:
            raise ValidationError({name: [message] for name, message in asked.problems.items()})
        try:
            download = saved_sheet_download(
                public_id=public_id,
                site_root=request.build_absolute_uri("/"),
                client=client_address(request),
                paper=asked.paper,
                language=asked.language,
            )
        except SheetRenderError as error:
            raise SheetUnavailable(f"The commissioning sheet could not be printed ({error}).") from error
        except SheetRefused as refused:
            message = gettext("The commissioning sheet cannot be printed now: {reason}.").format(reason=refused.reason)
            if refused.status == status.HTTP_429_TOO_MANY_REQUESTS:
                raise Throttled(wait=refused.retry_after, detail=message) from refused
            raise SheetUnavailable(message, wait=refused.retry_after) from refused
        if download is None:
            raise NotFound(f"No saved configuration '{public_id}'.")
        response = HttpResponse(download.sheet.pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
        response["ETag"] = f'"{download.sheet.key}"'
        response["X-Sheet-Cache"] = sheet_source(download.sheet)
        return response


def not_found_response(request) -> JsonResponse:
    """A path under /api/ that names no endpoint: the API's 404, in its error shape (see configurator.urls)."""
    return error_response("not_found", f"No API endpoint at {request.path}.", 404)


# --- commissioning records (partner accounts) -------------------------------------------------------------------


class PartnerToken(permissions.BasePermission):
    """A record is issued and read with an active account's token; each account sees only its own records."""

    message = "Send an API token (Authorization: Bearer ...)."

    def has_permission(self, request, view) -> bool:
        token = request.auth
        return token is not None and token.account.is_active and not (request.method == "POST" and token.read_only)


class RecordSerializer(serializers.ModelSerializer):
    configuration = serializers.CharField(source="configuration.public_id")
    corrects = serializers.CharField(source="previous.public_id", default=None)
    url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = CommissioningRecord
        fields = [
            "public_id",
            "revision",
            "corrects",
            "configuration",
            "installer",
            "company",
            "commissioned_on",
            "issued_at",
            "found",
            "deviations",
            "url",
            "pdf_url",
        ]

    def get_url(self, record) -> str:
        return self.context["request"].build_absolute_uri(reverse("record_detail", args=[record.public_id]))

    def get_pdf_url(self, record) -> str:
        return self.context["request"].build_absolute_uri(reverse("record_pdf", args=[record.public_id]))


class RecordCreateSerializer(StrictSerializer):
    configuration = StrictCharField(max_length=20, help_text="The saved configuration's public id.")
    corrects = StrictCharField(max_length=20, required=False, help_text="The record this one corrects, if any.")
    installer = StrictCharField(max_length=120)
    company = StrictCharField(max_length=120, required=False, default="")
    commissioned_on = serializers.DateField()
    confirm = serializers.BooleanField(help_text="The installer measured and set these values on site (true).")
    found = serializers.DictField(
        help_text="What was found: packs, inverter, settings, link, tests, remarks, customer."
    )


def _record_form_errors(form) -> ValidationError:
    """The form's errors under the request's field paths: the top-level fields by name, the rest under ``found``
    with the form's field name ("found.pack_2_dip")."""
    top = {"installer", "company", "commissioned_on", "confirm"}
    fields = {}
    for name, errors in form.errors.items():
        key = "non_field_errors" if name == "__all__" else name if name in top else f"found.{name}"
        fields[key] = errors
    return ValidationError(fields)


class RecordListApi(APIView):
    permission_classes = [PartnerToken]

    @extend_schema(
        summary="Your account's commissioning records, newest first (at most 100)",
        responses={200: RecordSerializer(many=True), 401: _error("Send an API token.")},
    )
    def get(self, request):
        records = CommissioningRecord.objects.filter(account=request.auth.account).select_related(
            "configuration", "previous"
        )[:100]
        return Response(RecordSerializer(records, many=True, context={"request": request}).data)

    @extend_schema(
        summary="Issue a commissioning record for a saved configuration (or a correction of one)",
        request=RecordCreateSerializer,
        responses={201: RecordSerializer, 400: _error("Invalid fields."), 401: _error("Send an API token.")},
    )
    def post(self, request):
        body = RecordCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        saved = selectors.saved_configuration_get(public_id=data["configuration"])
        if saved is None:
            raise ValidationError({"configuration": [gettext("No such configuration.")]})
        previous = None
        if data.get("corrects"):
            previous = record_get(public_id=data["corrects"])
            if (
                previous is None
                or previous.configuration_id != saved.pk
                or previous.account_id != request.auth.account_id
            ):
                raise ValidationError({"corrects": [gettext("No such record of this configuration in your account.")]})
        fields = form_data(
            data["found"],
            installer=data["installer"],
            company=data["company"],
            commissioned_on=data["commissioned_on"],
        )
        if data["confirm"]:
            fields["confirm"] = "on"
        form = RecordForm(fields, expected=expected_from(saved.configuration))
        if not form.is_valid():
            raise _record_form_errors(form)
        try:
            record = record_issue(
                configuration=saved,
                form=form,
                previous=previous,
                account=request.auth.account,
                language=get_language(),
            )
        except RecordSuperseded as error:
            raise ValidationError({"corrects": ["That record was corrected already: correct the latest."]}) from error
        return Response(RecordSerializer(record, context={"request": request}).data, status=status.HTTP_201_CREATED)


class RecordDetailApi(APIView):
    permission_classes = [PartnerToken]

    @extend_schema(
        summary="One of your account's commissioning records, as issued",
        responses={200: RecordSerializer, 401: _error("Send an API token."), 404: _error("No such record.")},
    )
    def get(self, request, public_id: str):
        record = record_get(public_id=public_id)
        if record is None or record.account_id != request.auth.account_id:
            raise NotFound("No such record in your account.")
        return Response(RecordSerializer(record, context={"request": request}).data)
