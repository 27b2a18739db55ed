"""Django settings for Enlace. Every value comes from the environment (README 'Configuration')."""

from __future__ import annotations

from pathlib import Path

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from portal.env import ConfigurationError, envbool, envint, envlist, envstr, parse_database_url
from portal.keys import secret

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("ENLACE_VAR_DIR", str(BASE_DIR / "var")))

# production (default), demo, test or dev. Only demo/test/dev may generate missing keys,
# and only demo exposes the demo helpers (e.g. printing a demo user's second-factor code).
ENLACE_ENV = envstr("ENLACE_ENV", "production")
if ENLACE_ENV not in {"production", "demo", "test", "dev"}:
    raise ConfigurationError(
        f"ENLACE_ENV must be production, demo, test or dev, not {ENLACE_ENV!r}"
    )
DEMO_MODE = ENLACE_ENV == "demo"
KEYS_DIR = Path(envstr("ENLACE_KEYS_DIR", str(VAR_DIR / "keys")))

DEBUG = envbool("DEBUG", ENLACE_ENV == "dev")
SECRET_KEY = secret("SECRET_KEY", "django", ENLACE_ENV, KEYS_DIR)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

# Field encryption key ring: comma-separated "id:base64key", newest first (see docs/KEYS.md).
FIELD_ENCRYPTION_KEYS = secret("ENLACE_FIELD_KEYS", "key-ring", ENLACE_ENV, KEYS_DIR)
BLIND_INDEX_KEY = secret("ENLACE_BLIND_INDEX_KEY", "hmac", ENLACE_ENV, KEYS_DIR)
AUDIT_CHAIN_KEY = secret("ENLACE_AUDIT_KEY", "hmac", ENLACE_ENV, KEYS_DIR)
# Audit entries are kept at least this long (never less than 365 days; docs/AUDIT.md).
AUDIT_RETENTION_DAYS = max(365, envint("AUDIT_RETENTION_DAYS", 365))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "guardian",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "portal",
    "audit",
    "agencies",
    "cases",
    "sharing",
    "hits",
    "notifications",
    "insight",
    "imports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.RequestIdMiddleware",
    "audit.middleware.AuditFlushMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "agencies.language.RememberedLanguageMiddleware",
    "portal.ratelimit.SignInRateLimitMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    # Innermost, so their redirects still carry the security headers above.
    "agencies.middleware.IdleSessionMiddleware",
    "agencies.middleware.SecondFactorRequiredMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- Data stores -------------------------------------------------------------------------
_database_url = envstr("DATABASE_URL", "")
if not _database_url:
    raise ConfigurationError(
        "DATABASE_URL is not set. `make demo` and `make test` start an embedded PostgreSQL "
        "and set it for you; otherwise point it at your server (README 'Configuration')."
    )
_db = parse_database_url(_database_url)
# How long a web request waits for PostgreSQL (portal/deadlines.py): to connect, and for one
# statement's answer (the server cancels a statement that runs longer; 0: no limit).
DATABASE_CONNECT_TIMEOUT_SECONDS = envint("DATABASE_CONNECT_TIMEOUT_SECONDS", 5)
DATABASE_STATEMENT_TIMEOUT_SECONDS = envint("DATABASE_STATEMENT_TIMEOUT_SECONDS", 10)
# The access door prepares its page-1 and count statements once per connection
# (portal/prepared.py); false behind a pooler that shares or resets server sessions.
DATABASE_PREPARED_STATEMENTS = envbool("DATABASE_PREPARED_STATEMENTS", True)
_server_options = _db.options.pop("options", "")
if DATABASE_PREPARED_STATEMENTS:
    # Their plans do not depend on the reader's ids: keep the one plan (PostgreSQL would
    # otherwise re-plan the count for every reader whose custom plan looks cheaper).
    _server_options = f"{_server_options} -c plan_cache_mode=force_generic_plan".strip()
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": _db.name,
        "USER": _db.user,
        "PASSWORD": _db.password,
        "HOST": _db.host,
        "PORT": _db.port,
        "CONN_MAX_AGE": envint("DATABASE_CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            "connect_timeout": DATABASE_CONNECT_TIMEOUT_SECONDS,
            **_db.options,
            **({"options": _server_options} if _server_options else {}),
        },
        "TEST": {"NAME": envstr("TEST_DATABASE_NAME", f"test_{_db.name}")},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = envstr("REDIS_URL", "")
if not REDIS_URL:
    raise ConfigurationError(
        "REDIS_URL is not set. `make demo` and `make test` start an embedded Redis and set "
        "it for you; otherwise point it at your server (README 'Configuration')."
    )
# How long the portal waits for Redis (cache and broker) to connect and to answer, and how long a
# process leaves Redis alone after it failed to (portal/deadlines.py).
REDIS_CONNECT_TIMEOUT_SECONDS = envint("REDIS_CONNECT_TIMEOUT_SECONDS", 2)
REDIS_TIMEOUT_SECONDS = envint("REDIS_TIMEOUT_SECONDS", 3)
REDIS_BACKOFF_SECONDS = envint("REDIS_BACKOFF_SECONDS", 5)
CACHES = {
    "default": {
        "BACKEND": "portal.cache.GuardedRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": envstr("CACHE_KEY_PREFIX", "enlace"),
        "TIMEOUT": 300,
        # An unreachable Redis fails a cache call in seconds instead of hanging the request.
        "OPTIONS": {
            "socket_connect_timeout": REDIS_CONNECT_TIMEOUT_SECONDS,
            "socket_timeout": REDIS_TIMEOUT_SECONDS,
        },
    }
}

# --- Celery --------------------------------------------------------------------------------
# kombu names a Unix-socket Redis "redis+socket://" where redis-py says "unix://".
CELERY_BROKER_URL = envstr(
    "CELERY_BROKER_URL",
    "redis+socket://" + REDIS_URL.removeprefix("unix://")
    if REDIS_URL.startswith("unix://")
    else REDIS_URL,
)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a task killed mid-way is delivered again
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 300),
    # A broker behind a partition fails a publish in seconds (the relay sends it later).
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT_SECONDS,
    "socket_timeout": REDIS_TIMEOUT_SECONDS,
}
CELERY_TASK_DEFAULT_QUEUE = envstr("CELERY_QUEUE", "enlace")
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
WORKER_HEARTBEAT_MAX_AGE = envint("WORKER_HEARTBEAT_MAX_AGE", 90)
# Periodic work. Each app adds its entries here, so the whole schedule reads in one place.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "worker-heartbeat": {"task": "portal.tasks.heartbeat", "schedule": 20.0},
    "sharing-expire-grants": {
        "task": "sharing.tasks.expire_grants",
        "schedule": float(envint("GRANT_EXPIRY_INTERVAL_SECONDS", 60)),
    },
    "sharing-warn-expiring-grants": {
        "task": "sharing.tasks.warn_expiring_grants",
        "schedule": 3600.0,
    },
    "pseudonymise-personal-data": {
        "task": "portal.tasks.pseudonymise_personal_data",
        "schedule": 24 * 3600.0,
    },
    "imports-erase-stale": {"task": "imports.tasks.erase_stale_imports", "schedule": 3600.0},
    "audit-chain": {
        "task": "audit.tasks.chain_audit_log",
        "schedule": float(envint("AUDIT_CHAIN_INTERVAL_SECONDS", 5)),
    },
}
# /healthz answers 503 when an audit entry has waited longer than this to be chained.
AUDIT_CHAIN_MAX_LAG_SECONDS = envint("AUDIT_CHAIN_MAX_LAG_SECONDS", 300)
# People linked to a case closed this many days ago are pseudonymised (0: never).
PERSONAL_DATA_RETENTION_DAYS = envint("ENLACE_PERSONAL_DATA_RETENTION_DAYS", 5 * 365)

# --- Authentication --------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "agencies.backends.MemberBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user object
GUARDIAN_RAISE_403 = False

# Sign-in policy (CJIS): lock after 5 failures in 15 minutes, idle end after 30 minutes.
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_WINDOW_SECONDS = envint("LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60)
SESSION_IDLE_TIMEOUT_SECONDS = envint("SESSION_IDLE_TIMEOUT_SECONDS", 30 * 60)
# Sign-in rate limits (portal/ratelimit.py): POSTs to these steps, per address and per name.
SIGNIN_RATE_LIMIT_URL_NAMES = ["login", "two_factor", "two_factor_setup", "two_factor_verify"]
SIGNIN_RATE_LIMIT_PER_IP = envstr("SIGNIN_RATE_LIMIT_PER_IP", "20/min")
SIGNIN_RATE_LIMIT_PER_USERNAME = envstr("SIGNIN_RATE_LIMIT_PER_USERNAME", "10/min")
# Requests whose path starts with one of these do not count as activity for the idle clock
# (background polls such as the unread-notification count add themselves here).
SESSION_IDLE_EXEMPT_PATHS: list[str] = ["/healthz", "/static/"]
OTP_TOTP_ISSUER = "Enlace"

# --- Sessions, cookies, transport security ---------------------------------------------------
SECURE_TRANSPORT = envbool("ENLACE_HTTPS", ENLACE_ENV == "production")
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# The idle end (30 minutes) is the middleware's (agencies.middleware); this is the longest a
# session lives however active it is, after which the user signs in again.
SESSION_COOKIE_AGE = envint("SESSION_MAX_AGE_SECONDS", 12 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "portal.failures.csrf_failure"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if SECURE_TRANSPORT:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-enlace-session"
    CSRF_COOKIE_NAME = "__Host-enlace-csrf"
    LANGUAGE_COOKIE_NAME = "__Host-enlace-language"
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 63072000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if envbool("ENLACE_BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
else:
    SESSION_COOKIE_NAME = "enlace-session"
    CSRF_COOKIE_NAME = "enlace-csrf"
    LANGUAGE_COOKIE_NAME = "enlace-language"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
ATTACHMENT_MAX_BYTES = envint("ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(VAR_DIR / "media")))

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("pt", _("Portuguese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers follow the reader's language; English keeps ISO short dates.
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if ENLACE_ENV == "production"
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = ENLACE_ENV != "production"

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = envstr(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if ENLACE_ENV == "production"
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Enlace <no-reply@enlace.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
PORTAL_BASE_URL = envstr("PORTAL_BASE_URL", "http://127.0.0.1:8000")

# --- Notifications (docs/NOTIFICATIONS.md) ----------------------------------------------------
# The relay re-enqueues what the broker lost: events undispatched after NOTIFY_RELAY_AFTER_SECONDS,
# e-mails unsent, webhook attempts due. A claim older than the lease may be taken again.
NOTIFY_RELAY_INTERVAL_SECONDS = envint("NOTIFY_RELAY_INTERVAL_SECONDS", 5)
NOTIFY_RELAY_AFTER_SECONDS = envint("NOTIFY_RELAY_AFTER_SECONDS", 5)
NOTIFY_CLAIM_LEASE_SECONDS = envint("NOTIFY_CLAIM_LEASE_SECONDS", 60)
NOTIFY_EMAIL_MAX_ATTEMPTS = envint("NOTIFY_EMAIL_MAX_ATTEMPTS", 8)
NOTIFY_DIGEST_HOUR_UTC = envint("NOTIFY_DIGEST_HOUR_UTC", 6)
NOTIFY_POLL_SECONDS = envint("NOTIFY_POLL_SECONDS", 5)
NOTIFY_RETENTION_DAYS = envint("NOTIFY_RETENTION_DAYS", 400)
# Webhooks: timeout per attempt, retries with exponential backoff, and the SSRF guard.
WEBHOOK_TIMEOUT_SECONDS = envint("WEBHOOK_TIMEOUT_SECONDS", 10)
WEBHOOK_MAX_ATTEMPTS = envint("WEBHOOK_MAX_ATTEMPTS", 10)
WEBHOOK_BACKOFF_BASE_SECONDS = envint("WEBHOOK_BACKOFF_BASE_SECONDS", 10)
WEBHOOK_BACKOFF_MAX_SECONDS = envint("WEBHOOK_BACKOFF_MAX_SECONDS", 3600)
WEBHOOK_ALLOWED_HOSTS = envlist("WEBHOOK_ALLOWED_HOSTS", [])
WEBHOOK_ALLOWED_NETWORKS = envlist("WEBHOOK_ALLOWED_NETWORKS", [])
WEBHOOK_ALLOW_PRIVATE_NETWORKS = envbool(
    "WEBHOOK_ALLOW_PRIVATE_NETWORKS", ENLACE_ENV != "production"
)
WEBHOOK_REQUIRE_HTTPS = envbool("WEBHOOK_REQUIRE_HTTPS", ENLACE_ENV == "production")
CELERY_BEAT_SCHEDULE.update(
    {
        "notifications-relay": {
            "task": "notifications.tasks.relay_outbox",
            "schedule": float(NOTIFY_RELAY_INTERVAL_SECONDS),
        },
        "notifications-daily-digest": {
            "task": "notifications.tasks.send_daily_digests",
            "schedule": crontab(minute=0, hour=NOTIFY_DIGEST_HOUR_UTC),
        },
        "notifications-purge": {
            "task": "notifications.tasks.purge_old_events",
            "schedule": crontab(minute=30, hour=3),
        },
    }
)
# Polling the unread count must not keep an idle session alive (the idle-timeout middleware
# leaves the idle clock alone for these paths).
SESSION_IDLE_EXEMPT_PATHS += [
    "/notifications/unread-count/",
    "/api/v1/notifications/unread_count/",
]

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_PARSER_CLASSES": [
        "portal.api.parsers.PortalJSONParser",  # DRF's, with too-deep nesting a 400
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "portal.api.authentication.VerifiedTokenAuthentication",
        "portal.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["portal.api.permissions.IsVerifiedMember"],
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.PortalPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "portal.api.throttling.AnonRateThrottle",  # DRF's, letting requests through while
        "portal.api.throttling.UserRateThrottle",  # Redis is down (portal/api/throttling.py)
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": envstr("API_THROTTLE_ANON", "60/min"),
        "user": envstr("API_THROTTLE_USER", "1200/min"),
        "login": envstr("LOGIN_THROTTLE", "20/min"),
    },
    "EXCEPTION_HANDLER": "portal.api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Enlace API",
    "DESCRIPTION": "Inter-agency sharing of drug-law-enforcement cases and seizures.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "/static/vendor/swagger-ui",
    "SWAGGER_UI_FAVICON_HREF": "/static/favicon.svg",
    # Accessibility (tests/browser/test_accessibility.py sweeps /api/docs/ with axe-core): no
    # deep links, which put a link inside each operation's toggle button (nested interactive
    # controls), and no syntax colouring, whose number colour fails contrast on its dark
    # background. The rest is templates/drf_spectacular/swagger_ui.html and api-docs.css/.js.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "syntaxHighlight": False},
    "REDOC_DIST": "/static/vendor/redoc",
    # One name per choice set, so a generated client gets stable, unique enum types.
    "ENUM_NAME_OVERRIDES": {
        "CountryEnum": "portal.countries.COUNTRY_CHOICES",
        "TlpEnum": "cases.markings.Tlp",
        "HandlingCodeEnum": "cases.markings.HandlingCode",
        "SourceReliabilityEnum": "cases.markings.SourceReliability",
        "InformationCredibilityEnum": "cases.markings.InformationCredibility",
        "CaseStatusEnum": "cases.models.Case.Status",
        "CrimeTypeEnum": "cases.models.CrimeType",
        "TransportModeEnum": "cases.models.TransportMode",
        "SeizureItemKindEnum": "cases.models.SeizureItem.Kind",
        "PersonRoleEnum": "cases.models.Person.PersonRole",
        "OrganisationRoleEnum": "cases.models.Organisation.OrganisationRole",
        "AttachmentKindEnum": "cases.models.Attachment.AttachmentKind",
        "SubstanceEnum": "cases.vocabularies.SUBSTANCE_CHOICES",
        "UnitEnum": "cases.vocabularies.UNIT_CHOICES",
        "FirearmTypeEnum": "cases.vocabularies.FIREARM_TYPE_CHOICES",
        "AccessLevelEnum": "cases.api.serializers.ACCESS_LEVEL_CHOICES",
        "AgencyKindEnum": "agencies.models.Agency.Kind",
        "ShareRequestKindEnum": "sharing.models.ShareRequest.Kind",
        "HitStatusEnum": "hits.models.Hit.Status",
        "ImportStatusEnum": "imports.models.SeizureImport.Status",
        "ImportFormatEnum": "imports.models.SeizureImport.Format",
    },
}

# --- Logging ------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
