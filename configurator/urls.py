from django.contrib import admin
from django.urls import include, path
from django.views.defaults import page_not_found
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from catalog.api.urls import urlpatterns as catalog_api
from configurator import api, views

api_v1 = [
    *catalog_api,
    path("compatibility/", api.CompatibilityApi.as_view(), name="compatibility"),
    path("configurations/", api.ConfigurationCreateApi.as_view(), name="configuration-list"),
    path("configurations/<str:public_id>/", api.ConfigurationDetailApi.as_view(), name="configuration-detail"),
    path("configurations/<str:public_id>/sheet.pdf", api.ConfigurationSheetApi.as_view(), name="configuration-sheet"),
]

urlpatterns = [
    path("", views.wizard_inverter, name="home"),
    path("battery/", views.wizard_battery, name="wizard_battery"),
    path("options/", views.wizard_options, name="wizard_options"),
    path("result/", views.wizard_result, name="wizard_result"),
    path("result/sheet.pdf", views.wizard_sheet, name="wizard_sheet"),
    path("save/", views.wizard_save, name="wizard_save"),
    path("c/<str:public_id>", views.saved_configuration, name="saved_configuration"),
    path("c/<str:public_id>/sheet.pdf", views.saved_sheet, name="saved_sheet"),
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
