"""Settings for the Omnitron order service, read from the environment.

Safe local defaults (SQLite, local-memory cache, debug off) so a first run needs nothing.
``DJANGO_ENV=production`` (set by the Docker image) refuses to start without a real
``DJANGO_SECRET_KEY`` and ``DJANGO_ALLOWED_HOSTS`` or with ``DJANGO_DEBUG`` on, and turns HTTPS
on by default; production also sets ``DATABASE_URL`` and ``REDIS_URL`` (see README, "Configuration").
"""

import os
from pathlib import Path
from zoneinfo import ZoneInfo

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from omnitron.api_tags import API_TAGS

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    """Return an environment variable, or ``default`` when unset or empty."""
    return os.environ.get(name, "").strip() or default


def env_bool(name: str, default: bool = False) -> bool:
    """Parse a boolean environment variable (1/true/yes/on)."""
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    return raw in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    """Parse an integer environment variable."""
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


def env_list(name: str, default: str) -> list[str]:
    """Parse a comma-separated environment variable."""
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def is_weak_secret_key(key: str) -> bool:
    """Django's own test (security.W009): fewer than 50 characters or 5 distinct ones, or a generated
    ``django-insecure-`` key."""
    return len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure-")


ENVIRONMENT = env_str("DJANGO_ENV", "local").lower()
if ENVIRONMENT not in {"local", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be 'local' or 'production', not {ENVIRONMENT!r}.")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DJANGO_DEBUG", False)
# Local default only; production refuses to start without its own DJANGO_SECRET_KEY.
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "django-insecure-local-development-key-not-for-production")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
# Every 4xx body is JSON, Django's own refusals included (clients json-decode any 4xx).
CSRF_FAILURE_VIEW = "omnitron.views.csrf_failure"

if PRODUCTION:
    if is_weak_secret_key(SECRET_KEY):
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs DJANGO_SECRET_KEY: at least 50 random characters, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )
    if DEBUG:
        raise ImproperlyConfigured("DJANGO_DEBUG must be off when DJANGO_ENV=production.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ENV=production needs DJANGO_ALLOWED_HOSTS (comma-separated host names).")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_object_actions",
    "omnitron",
    "catalog",
    "channels",
    "orders",
    "integrations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Inside the security headers, outside WhiteNoise: its 405 on a static file gets a JSON body too.
    "omnitron.middleware.JsonClientErrorMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "omnitron.middleware.ApiErrorMiddleware",
    "omnitron.unknown_input.UnknownInputMiddleware",
    "omnitron.middleware.RateLimitHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "omnitron.viewsets.MethodNotAllowedMiddleware",
]

ROOT_URLCONF = "omnitron.urls"
WSGI_APPLICATION = "omnitron.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

# --- Database -------------------------------------------------------------------------------
# SQLite by default so that a first run needs nothing; PostgreSQL when DATABASE_URL says so.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Persistent connections: each gunicorn sync worker keeps one open connection.
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# A password with any characters (taken as is, spaces included), kept out of DATABASE_URL, where
# it would need percent-encoding.
if os.environ.get("DATABASE_PASSWORD"):
    DATABASES["default"]["PASSWORD"] = os.environ["DATABASE_PASSWORD"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with a health check that needs no round trip while the connection is quiet.
    DATABASES["default"]["ENGINE"] = "omnitron.postgresql"
    DATABASES["default"].setdefault("OPTIONS", {})
    # A runaway query must not hold a worker forever.
    DATABASES["default"]["OPTIONS"].setdefault(
        "options", f"-c statement_timeout={env_int('DB_STATEMENT_TIMEOUT_MS', 30000)}"
    )
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", env_int("DB_CONNECT_TIMEOUT", 5))
else:
    # Wait for the write lock instead of failing at once under concurrent writes.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("timeout", 20)
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (throttling, idempotency locks) ----------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "omnitron",
            # A Redis outage must cost a request milliseconds, not a worker (throttles then let it through).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth -------------------------------------------------------------------------------------
# ModelBackend reading permissions in one query instead of two (omnitron/backends.py).
AUTHENTICATION_BACKENDS = ["omnitron.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Lifetime of tokens issued by the login endpoint; 0 means they never expire.
API_TOKEN_LOGIN_TTL_HOURS = env_int("API_TOKEN_LOGIN_TTL_HOURS", 24 * 30)
# Login tokens not used for this many days answer 401 (0: never); integration tokens are exempt.
# Long, because clients cache one login token and share it between workers.
API_LOGIN_TOKEN_IDLE_DAYS = env_int("API_LOGIN_TOKEN_IDLE_DAYS", 30)
# last_used_at is written at most this often per token, so reads do not turn into writes.
API_TOKEN_LAST_USED_RESOLUTION_SECONDS = env_int("API_TOKEN_LAST_USED_RESOLUTION_SECONDS", 60)
# Seconds a worker reuses an authenticated token (its user, channels and permissions) without asking
# the database; a revocation or a membership change reaches every worker within this time. 0: off.
API_AUTH_CACHE_SECONDS = env_int("API_AUTH_CACHE_SECONDS", 5)
# Seconds a list's COUNT(*) is reused for the same query (same filters and visible channels);
# 0 counts on every full page. See README, "Performance".
API_COUNT_CACHE_SECONDS = env_int("API_COUNT_CACHE_SECONDS", 0)

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
# Input datetimes without a UTC offset (channel-app sends Python's str(datetime), often naive) are
# read in this zone; responses are always UTC.
API_NAIVE_DATETIME_TIME_ZONE = env_str("API_NAIVE_DATETIME_TIME_ZONE", "UTC")
ZoneInfo(API_NAIVE_DATETIME_TIME_ZONE)  # an unknown zone stops start-up instead of failing requests

# A batch request left open (initialized, commit, sent_to_remote, ongoing) this long without a change is
# failed by `manage.py fail_stale_batches` (cron), which releases its integration actions.
INTEGRATIONS_BATCH_STALE_MINUTES = env_int("INTEGRATIONS_BATCH_STALE_MINUTES", 120)

USE_I18N = True
USE_TZ = True

# --- Static files (admin, Swagger UI, Redoc) served by WhiteNoise, no internet needed ----------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# --- Request limits ---------------------------------------------------------------------------
# Bodies above this size answer 413 (JSON); applies to the JSON parser as well as forms.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("API_MAX_BODY_BYTES", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- REST framework ---------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["omnitron.authentication.HashedTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["omnitron.permissions.ModelWritePermission"],
    "DEFAULT_RENDERER_CLASSES": ["omnitron.renderers.ORJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["omnitron.parsers.ORJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "omnitron.pagination.PageLimitPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "omnitron.filters.FilterBackend",
        "omnitron.filters.SortFilter",
    ],
    "ORDERING_PARAM": "sort",
    "PAGE_SIZE": 10,
    "EXCEPTION_HANDLER": "omnitron.exceptions.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "omnitron.schema.OmnitronAutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Errors of list input are indexed by position: {"order_item": {"1": {"price": [...]}}}.
    "LIST_SERIALIZER_ERRORS_AS_DICT": True,
    # Per-token quotas in fixed windows over the shared cache ("120/min", "5/s", "off"); see omnitron/throttling.py.
    "DEFAULT_THROTTLE_CLASSES": ["omnitron.throttling.ReadThrottle", "omnitron.throttling.WriteThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "read": env_str("API_THROTTLE_READ", "1200/min"),
        "write": env_str("API_THROTTLE_WRITE", "600/min"),
        "create_orders": env_str("API_THROTTLE_CREATE_ORDERS", "300/min"),
        # Per (username, client address).
        "login": env_str("API_THROTTLE_LOGIN", "10/min"),
    },
    # Trusted proxies in front of the app: the client address is the NUM_PROXIES-th entry from the
    # right of X-Forwarded-For. 0 ignores the header (a client could forge it) and uses REMOTE_ADDR.
    "NUM_PROXIES": env_int("API_NUM_PROXIES", 0),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Omnitron order service",
    "DESCRIPTION": (
        "Sales-channel order APIs compatible with Omnitron: order items, create_orders, "
        "integration (ERP) orders and OMS-shaped order items. Authenticate with "
        "`Authorization: Token <key>` (get a key from `POST /api/v1/auth/login/`)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and Redoc from drf-spectacular-sidecar's static files: the docs work offline
    # (omnitron/docs.py keeps the pages from loading anything from another host).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # validatorUrl None: no badge image from validator.swagger.io.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "persistAuthorization": True, "validatorUrl": None},
    "REDOC_UI_SETTINGS": {
        "theme": {
            "typography": {
                "fontFamily": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
                "headings": {"fontFamily": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"},
                "code": {"fontFamily": "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace"},
            }
        }
    },
    "TAGS": [{"name": name, "description": description} for name, description in API_TAGS],
    # One component per shared choice set, whatever the field is called (currency, price_currency, ...).
    "ENUM_NAME_OVERRIDES": {
        "CurrencyEnum": "catalog.models.Currency",
        "ShippingCompanyEnum": "channels.models.ShippingCompany",
        "OrderStatusEnum": "orders.statuses.OrderStatus",
        "CancelStatusEnum": "orders.models.CancelStatus",
        "CancellationRequestStatusEnum": "orders.models.CancellationRequestStatus",
        "BatchStatusEnum": "integrations.models.BatchStatus",
        "IntegrationStatusEnum": "integrations.models.IntegrationStatus",
    },
    "SCHEMA_PATH_PREFIX": r"/api/(v1|i1)",
}

# --- Security (production: HTTPS behind a TLS-terminating load balancer) -----------------------
HTTPS = env_bool("DJANGO_HTTPS", PRODUCTION)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if HTTPS:
    # The load balancer terminates TLS and says so in X-Forwarded-Proto; it must overwrite any value
    # a client sends. Without a proxy (TLS in the app server itself) set DJANGO_SECURE_PROXY_SSL_HEADER=0.
    if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # Load balancer health checks come over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Logging ----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
