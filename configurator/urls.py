from django.conf import settings
from django.contrib import admin
from django.core.exceptions import RequestDataTooBig
from django.urls import include, path, re_path
from django.views.defaults import bad_request, page_not_found, permission_denied, server_error
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from catalog.api.exceptions import error_response
from catalog.api.urls import urlpatterns as catalog_api
from configurator import api, views

api_v1 = [  # the busiest first: a path is matched against the patterns in order
    path("compatibility/", api.CompatibilityApi.as_view(), name="compatibility"),
    path("configurations/", api.ConfigurationCreateApi.as_view(), name="configuration-list"),
    path("configurations/<str:public_id>/", api.ConfigurationDetailApi.as_view(), name="configuration-detail"),
    path("configurations/<str:public_id>/sheet.pdf", api.ConfigurationSheetApi.as_view(), name="configuration-sheet"),
    path("records/", api.RecordListApi.as_view(), name="record-list"),
    path("records/<str:public_id>/", api.RecordDetailApi.as_view(), name="record-detail"),
    *catalog_api,
]

urlpatterns = [
    path("", views.wizard_inverter, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("manifest.webmanifest", views.web_manifest, name="web_manifest"),
    path("service-worker.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline_page, name="offline"),
    path("prepare/", views.prepare_site, name="prepare_site"),
    re_path(r"^icons/app-(?P<size>192|512)\.png$", views.app_icon, name="app_icon"),
    path("battery/", views.wizard_battery, name="wizard_battery"),
    path("options/", views.wizard_options, name="wizard_options"),
    path("result/", views.wizard_result, name="wizard_result"),
    path("result/sheet.pdf", views.wizard_sheet, name="wizard_sheet"),
    path("save/", views.wizard_save, name="wizard_save"),
    path("ask/", views.catalog_request, name="catalog_request"),
    path("language/", set_language, name="set_language"),  # the switcher: a cookie, then back to the page
    path("c/<str:public_id>", views.saved_configuration, name="saved_configuration"),
    path("c/<str:public_id>/sheet.pdf", views.saved_sheet, name="saved_sheet"),
    path("c/<str:public_id>/record/", views.record_new, name="record_new"),
    path("r/<str:record_id>", views.record_detail, name="record_detail"),
    path("r/<str:record_id>/record.pdf", views.record_pdf, name="record_pdf"),
    path("api/v1/", include((api_v1, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("healthz", views.healthz, name="healthz"),
    path("livez", views.livez, name="livez"),
    path("admin/", admin.site.urls),
]


def handler404(request, exception):
    """Unknown paths under /api/ answer in the API's JSON error shape; the rest get the site's 404 page.
    (CommonMiddleware still redirects a path that only lacks its trailing slash.)"""
    if request.path.startswith("/api/"):
        return api.not_found_response(request)
    return page_not_found(request, exception)


# Errors raised outside DRF's views (a body over DATA_UPLOAD_MAX_MEMORY_SIZE, a permission error in middleware, a
# server error) answer in the API's error shape under /api/ too, never as an HTML page.


def handler400(request, exception):
    if request.path.startswith("/api/"):
        if isinstance(exception, RequestDataTooBig):
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            return error_response("too_large", f"The request body is larger than {limit} bytes.", 413)
        return error_response("bad_request", "The request cannot be read.", 400)
    return bad_request(request, exception)


def handler403(request, exception):
    if request.path.startswith("/api/"):
        return error_response("permission_denied", "You may not do this.", 403)
    return permission_denied(request, exception)


def handler500(request):
    if request.path.startswith("/api/"):
        return error_response("server_error", "The server failed to answer; the error has been logged.", 500)
    return server_error(request)
