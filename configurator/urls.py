from django.contrib import admin
from django.urls import path

from configurator import views

urlpatterns = [
    path("", views.wizard_inverter, name="home"),
    path("battery/", views.wizard_battery, name="wizard_battery"),
    path("options/", views.wizard_options, name="wizard_options"),
    path("result/", views.wizard_result, name="wizard_result"),
    path("result/sheet.pdf", views.wizard_sheet, name="wizard_sheet"),
    path("save/", views.wizard_save, name="wizard_save"),
    path("c/<str:public_id>", views.saved_configuration, name="saved_configuration"),
    path("c/<str:public_id>/sheet.pdf", views.saved_sheet, name="saved_sheet"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
