"""The admin site as distributors and the team use it: branded, and its index grouped by task instead of by
Django app (the catalog's devices, the shared references they cite, the documented pairings, what installers
asked and saved, and who may do what)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _

__all__ = ["GROUPS", "ConfiguratorAdminConfig", "ConfiguratorAdminSite"]

# Task -> the models it holds (app_label.ModelName), in the order shown. Models not listed keep their app's group.
GROUPS = [
    (
        _("Catalog: devices"),
        "catalog-devices",
        [
            "catalog.Device",
            "catalog.Port",
            "catalog.PinAssignment",
            "catalog.DeviceProtocol",
            "catalog.DipSwitchBank",
            "catalog.DipSwitch",
            "catalog.Setting",
            "catalog.Note",
        ],
    ),
    (
        _("Catalog: shared references"),
        "catalog-references",
        ["catalog.Manufacturer", "catalog.Document", "catalog.Source", "catalog.Protocol"],
    ),
    (_("Pairings"), "pairings", ["catalog.DocumentedPairing", "catalog.PairingConductor"]),
    (
        _("From installers"),
        "installers",
        ["catalog.CatalogRequest", "configurator.SavedConfiguration", "configurator.CommissioningRecord"],
    ),
    (
        _("Accounts"),
        "accounts",
        ["catalog.Account", "catalog.ApiToken", "auth.User", "auth.Group"],
    ),
    (
        _("Changes and webhooks"),
        "changes",
        ["catalog.CatalogChange", "catalog.WebhookEndpoint", "catalog.WebhookDelivery"],
    ),
]


class ConfiguratorAdminSite(admin.AdminSite):
    site_header = _("Battery ↔ inverter configurator")
    site_title = _("Configurator admin")
    index_title = _("Catalog administration")

    def get_app_list(self, request, app_label=None):
        """Django's list (only what this user may see), regrouped by task; an app's own page stays as it is."""
        apps = super().get_app_list(request, app_label)
        if app_label is not None:
            return apps
        models = {
            f"{app['app_label']}.{model['object_name']}": (app, model) for app in apps for model in app["models"]
        }
        grouped, placed = [], set()
        for name, slug, members in GROUPS:
            rows = [models[member][1] for member in members if member in models]
            if rows:
                first_app = models[next(m for m in members if m in models)][0]
                grouped.append(
                    {**first_app, "name": name, "app_label": first_app["app_label"], "models": rows, "group": slug}
                )
                placed.update(member for member in members if member in models)
        for app in apps:  # everything else (login attempts, ...) under its app, after the tasks
            rest = [model for model in app["models"] if f"{app['app_label']}.{model['object_name']}" not in placed]
            if rest:
                grouped.append({**app, "models": rest})
        return grouped


class ConfiguratorAdminConfig(AdminConfig):
    """Django's admin app with this site (INSTALLED_APPS names it in place of django.contrib.admin)."""

    default_site = "configurator.admin_site.ConfiguratorAdminSite"
