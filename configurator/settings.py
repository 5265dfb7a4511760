"""Settings for the battery <-> inverter configurator.

One module for every deployment: whatever differs between a laptop and production comes from the
environment (see README, "Configuration"). Local defaults apply only when ``DJANGO_DEBUG`` is true.
"""

from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from configurator.env import env_bool, env_list, env_str, parse_database_url

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)

# The embedded development services started by `make run` (scripts/pg.sh, scripts/redis.sh).
_LOCAL_DATABASE_URL = "postgres://configurator@127.0.0.1:25432/configurator"
_LOCAL_REDIS_URL = "redis://127.0.0.1:26379/0"

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random value in production "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DJANGO_DEBUG=true for local development."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 - only ever used with DEBUG on

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

_database_url = env_str("DATABASE_URL")
if not _database_url:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DATABASE_URL is not set. Example: postgres://user:password@db.example:5432/configurator"
        )
    _database_url = _LOCAL_DATABASE_URL
DATABASES = {"default": parse_database_url(_database_url)}
DATABASES["default"]["CONN_MAX_AGE"] = int(env_str("DJANGO_CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", "5")

# The cache every process and host shares (README "Scaling out"): request rates, sheet-render counters, rendered
# pages and unsaved sheets. Nothing in it is the only copy of anything: losing it costs renders, not answers.
_redis_url = env_str("REDIS_URL")
if not _redis_url:
    if not DEBUG:
        raise ImproperlyConfigured(
            "REDIS_URL is not set. Example: redis://cache.example:6379/0 (rediss:// for TLS). Every process and "
            "host serving the site must share it: the request rates and the sheet cache live there."
        )
    _redis_url = _LOCAL_REDIS_URL
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": _redis_url,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "configurator"),
        "TIMEOUT": 3600,
        # A cache that does not answer within a second is treated as down (configurator.middleware: 503).
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1, "health_check_interval": 30},
    }
}

# A history record's reason holds the admin's whole change message ("Added pin assignment “4”. ..."): no limit.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

INSTALLED_APPS = [
    "configurator.admin_site.ConfiguratorAdminConfig",  # django.contrib.admin with our site: branded, grouped by task
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "template_partials",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "simple_history",
    "procrastinate.contrib.django",  # the worker's task queue on PostgreSQL (webhooks; README "The worker")
    "catalog",
    "configurator",
]

MIDDLEWARE = [
    "configurator.middleware.RequestLogMiddleware",
    "configurator.middleware.NulCharacterMiddleware",  # a NUL in the path or query: 400, not a database error
    "configurator.middleware.DatabaseUnavailableMiddleware",  # a view's lost database: 503, not 500
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The reader's language: the language cookie (the switcher), else Accept-Language, else English. No URL
    # prefix: a saved result's short link is the same in every language. The API answers in it too.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",  # records who made each catalog change
    # Last: refuses logins from a locked-out user and address before any view runs.
    "axes.middleware.AxesMiddleware",
]

# Failed-login lockout (django-axes) for the admin: after AXES_FAILURE_LIMIT failures for one user name from one
# address, that pair is refused for AXES_COOLOFF_TIME hours; a successful login resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env_str("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env_str("DJANGO_LOGIN_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "configurator.client.client_address"  # the same client address as the rate limits

# How many reverse proxies in front of the app append to X-Forwarded-For (configurator.client). 0: the app is reached
# directly and the header, which any client can write, is ignored.
TRUSTED_PROXIES = int(env_str("DJANGO_TRUSTED_PROXIES", "0"))

ROOT_URLCONF = "configurator.urls"
WSGI_APPLICATION = "configurator.wsgi.application"
ASGI_APPLICATION = "configurator.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
# The languages the site, the findings, the commissioning sheet and the API's messages are written in
# (locale/<code>/, compiled by compilemessages in the build; locale/glossary.yaml holds the field's words each one
# uses; README, "Languages").
LANGUAGES = [
    ("en", "English"),
    ("en-us", "English (US)"),  # English on Letter, month-first dates (configurator/formats/en_US)
    ("de", "Deutsch"),
    ("it", "Italiano"),
    ("es", "Español"),
    ("fr", "Français"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["configurator.formats"]  # English dates in ISO form; en-us month first
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))

# The PDF sheet renders in a child process with these limits (configurator.pdf): the time below gunicorn's 30 s
# timeout, the peak resident memory far above what the longest shipped sheet needs (64 packs: about 110 MB).
SHEET_RENDER_SECONDS = float(env_str("SHEET_RENDER_SECONDS", "15"))
SHEET_RENDER_MEMORY_MB = int(env_str("SHEET_RENDER_MEMORY_MB", "1024"))
# Renders (not cached downloads) are limited per client address and per process (configurator.sheet_limits).
SHEET_RENDER_RATE = env_str("SHEET_RENDER_RATE", "6/minute")
SHEET_RENDER_CONCURRENCY = int(env_str("SHEET_RENDER_CONCURRENCY", "2"))
SHEET_RENDER_QUEUE = int(env_str("SHEET_RENDER_QUEUE", "4"))
SHEET_RENDER_QUEUE_SECONDS = float(env_str("SHEET_RENDER_QUEUE_SECONDS", "10"))
SHEET_FAILURE_MEMORY_SECONDS = int(env_str("SHEET_FAILURE_MEMORY_SECONDS", "600"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Webhooks (catalog.webhooks): deliveries are signed (Standard Webhooks), sent by the worker (`manage.py
# procrastinate worker`), retried with exponential backoff up to WEBHOOK_ATTEMPTS times. Targets on loopback,
# private or link-local addresses are refused unless WEBHOOK_ALLOW_PRIVATE_TARGETS is set (tests, a closed LAN).
WEBHOOK_TIMEOUT_SECONDS = float(env_str("WEBHOOK_TIMEOUT_SECONDS", "5"))
WEBHOOK_ATTEMPTS = int(env_str("WEBHOOK_ATTEMPTS", "8"))
WEBHOOK_RETRY_SECONDS = int(env_str("WEBHOOK_RETRY_SECONDS", "10"))  # first wait; each retry waits twice as long
WEBHOOK_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", default=False)

# Each process learns of a catalog change from PostgreSQL's notifications instead of reading the catalog version on
# every request (configurator.version_watch); off, every request reads it (one query).
VERSION_NOTIFICATIONS = env_bool("VERSION_NOTIFICATIONS", default=True)

# Where the shipped catalog lives; `import_catalog` reads it by default.
CATALOG_FIXTURES_DIR = BASE_DIR / "fixtures"

# Security: safe by default; relaxed only by DEBUG or explicit environment variables.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Production (DEBUG off) redirects to HTTPS and sends HSTS for a year unless told otherwise; the health probes stay
# reachable over plain HTTP (a load balancer checks them on the internal address).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^livez$", r"^healthz$"]
SECURE_HSTS_SECONDS = int(env_str("DJANGO_SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
# HSTS preload is a commitment of the whole domain and its subdomains that the deployer makes by setting
# DJANGO_SECURE_HSTS_PRELOAD (check --deploy's own advice: "only do this if you understand the implications");
# until then its reminder is not a finding.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if env_bool("DJANGO_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: only this site's own scripts, styles, images and fonts; no inline script or style
# (htmx's indicator styles are off, drawings use SVG attributes), no frames, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["catalog.api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["catalog.api.parsers.BoundedJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "catalog.api.pagination.PagePagination",
    "DEFAULT_THROTTLE_CLASSES": ["catalog.api.throttling.ApiRateThrottle"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "catalog.api.negotiation.ContentNegotiation",
    # Anonymous: enough for a person clicking through a partner's wizard; tokens: a partner's backend.
    "DEFAULT_THROTTLE_RATES": {
        "anonymous": env_str("API_ANONYMOUS_RATE", "120/minute"),
        "token": env_str("API_TOKEN_RATE", "1200/minute"),
    },
    "EXCEPTION_HANDLER": "catalog.api.exceptions.exception_handler",
    "NUM_PROXIES": TRUSTED_PROXIES,
    "UNAUTHENTICATED_USER": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Battery ↔ inverter configurator API",
    "DESCRIPTION": (
        "The catalog (manufacturers, devices with ports, pins, protocols, DIP banks and settings), compatibility "
        "verdicts, configurations (the engine's result: cable, DIP switches, termination, settings) and their PDF "
        "commissioning sheets. Reads and configurations need no token; catalog writes need a distributor token. "
        "Authenticate with `Authorization: Bearer <token>`."
    ),
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",  # its schemas are JSON Schema 2020-12, the language of the catalog files' schema
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "catalog.api.schema.add_common_errors",
        "catalog.api.schema.add_catalog_shapes",
    ],
    "ENUM_NAME_OVERRIDES": {
        "DeviceKindEnum": "catalog.choices.DeviceKind",
        "NoteKindEnum": "catalog.choices.NoteKind",
        "VerdictEnum": "configurator.choices.VerdictChoice",
        "BusEnum": "catalog.choices.Bus",  # a port's or protocol's bus
        "BusPreferenceEnum": "configurator.choices.BusPreference",  # the bus a configuration asks for (or best)
        "WebhookEventEnum": "catalog.models.webhooks.WebhookEvent",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint reports every rendering step at INFO; its warnings (e.g. a refused URL) still show.
    "loggers": {
        "weasyprint.progress": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # lockouts themselves are logged as warnings
        "procrastinate.blueprints": {"level": "WARNING"},  # "Adding tasks" at every start
        "procrastinate.jobs": {"level": "WARNING"},  # "Deferred 1 job" at every saved configuration
        # One line per request: configurator.requests (the middleware) logs it with its id and duration;
        # runserver's own access line would repeat it.
        "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
    },
}
