"""The one settings module, configured by EXCEED_* environment variables.

Embedded default: SQLite (WAL) in ``EXCEED_DATA_DIR``. Production: ``EXCEED_DATABASE_URL=postgres://…``.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from exceed.env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("EXCEED_DATA_DIR", str(Path.cwd() / "data"))).resolve()

DEBUG = env_bool("EXCEED_DEBUG", False)
EXCEED_API_DOCS = env_bool("EXCEED_API_DOCS", DEBUG)  # the interactive /api/v1/docs page
# Webhooks to loopback, private or link-local addresses are refused unless this is on (webhooks/services.py).
EXCEED_WEBHOOKS_ALLOW_INTERNAL = env_bool("EXCEED_WEBHOOKS_ALLOW_INTERNAL", False)
SECRET_KEY = env_str("EXCEED_SECRET_KEY")
# Where the key lives when Exceed keeps it itself; None when it comes from the environment.
# `exceed backup` archives the key and `exceed restore` writes it back here (customer hashes and
# sessions depend on it).
SECRET_KEY_PATH = None
if not SECRET_KEY:
    if not DEBUG and env_bool("EXCEED_REQUIRE_SECRET_KEY", False):
        raise ImproperlyConfigured("EXCEED_SECRET_KEY must be set in production")
    # A key kept in the data directory survives restarts, so sessions and signed kiosk tokens stay
    # valid on an embedded install that never configured one.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    SECRET_KEY_PATH = DATA_DIR / "secret_key"
    if not SECRET_KEY_PATH.exists():
        from django.core.management.utils import get_random_secret_key

        # Created 0600 from the start: a chmod after writing would leave a moment when others can read it.
        try:
            fd = os.open(SECRET_KEY_PATH, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process (a second worker) wrote it first
            pass
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(get_random_secret_key())
    SECRET_KEY = SECRET_KEY_PATH.read_text(encoding="utf-8").strip()

# Django's test runner adds "testserver" itself; a production install must not answer to it.
ALLOWED_HOSTS = env_list("EXCEED_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("EXCEED_CSRF_TRUSTED_ORIGINS", [])
BASE_URL = env_str("EXCEED_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Serves the API docs' Swagger UI from our own static files, not a CDN (self-hosted, offline).
    "ninja",
    "exceed.core",
    "exceed.org",
    "exceed.standards",
    "exceed.feedback",
    "exceed.recovery",
    "exceed.mystery",
    "exceed.insights",
    "exceed.webhooks",
    "exceed.privacy",
    "exceed.api",
]

# The HTML site's layers that an API call (a bearer token, no session) has no use for are wrapped
# so that requests under /api/v1/ step past them (exceed.api.middleware, issue 11).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "exceed.api.middleware.StaticFiles",
    "exceed.api.middleware.Sessions",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "exceed.api.middleware.SessionUser",
    "exceed.api.middleware.SecondFactor",
    "exceed.api.middleware.Messages",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "exceed.api.middleware.ApiMethodNotAllowed",
    "exceed.core.csp.CachedPolicyMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "exceed.urls"
WSGI_APPLICATION = "exceed.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "exceed.org.context_processors.scope",
            ],
        },
    },
]

_database_url = env_str("EXCEED_DATABASE_URL")
if _database_url:
    if not _database_url.startswith(("postgres://", "postgresql://", "sqlite://")):
        raise ImproperlyConfigured("EXCEED_DATABASE_URL must start with postgres:// or sqlite://")
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=600)}
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
        # No parallel workers for the app's queries: dashboard measures read a few ten thousand
        # rollup rows, and starting workers took 30 ms of a 35 ms "by location" query, against
        # 8 ms without (benchmarks/measures.py on 2 cores). Other libpq options in the URL are kept.
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c max_parallel_workers_per_gather=0".strip()
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    _sqlite_file = DATA_DIR / "exceed.sqlite3"
    # Customers' contact details live in it: readable by its owner only (SQLite gives its -wal and
    # -shm files the same mode). Created empty here, since SQLite would create it with the umask's 0644.
    if not _sqlite_file.exists():
        os.close(os.open(_sqlite_file, os.O_WRONLY | os.O_CREAT, 0o600))
    elif _sqlite_file.stat().st_mode & 0o077 and _sqlite_file.stat().st_uid == os.getuid():
        _sqlite_file.chmod(0o600)
    DATABASES = {
        "default": {
            # Django's, with writers queueing on a file lock rather than sleeping in SQLite's busy
            # handler (core/backends/sqlite3/base.py, issue 11).
            "ENGINE": "exceed.core.backends.sqlite3",
            "NAME": _sqlite_file,
            # Keep the connection between requests: opening one runs the PRAGMAs below, and closing
            # the last one checkpoints and deletes the WAL file. Per request, that was about a third
            # of the public form's time (benchmarks/ingest.py, BENCHMARKS.md).
            "CONN_MAX_AGE": 600,
            "OPTIONS": {
                # WAL lets the dashboard read while a kiosk writes; IMMEDIATE transactions take the
                # write lock up front, so concurrent writers queue instead of failing with
                # "database is locked" when a read lock is upgraded mid-transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA cache_size=-64000;"
                    "PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "exceed",
    }
}

TASKS = {
    "default": {
        "BACKEND": env_str("EXCEED_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("EXCEED_PASSWORD_MIN_LENGTH", 10, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username and address before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed sign-ins (the site's and /admin/'s) are counted in the database, so every worker on every
# machine sees the same count; the lock is per username and address together, so a guesser cannot
# lock a colleague out from elsewhere.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("EXCEED_LOGIN_FAILURE_LIMIT", 5, minimum=1)
# Seconds a lock lasts; 0 keeps it until an owner unlocks (`exceed unlock`, or the back office).
_login_cooloff = env_int("EXCEED_LOGIN_COOLOFF", 900, minimum=0)
AXES_COOLOFF_TIME = timedelta(seconds=_login_cooloff) if _login_cooloff else None
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "exceed.logins.lockout_response"
# The same address the survey throttle sees, honouring EXCEED_TRUSTED_PROXY_COUNT.
AXES_CLIENT_IP_CALLABLE = "exceed.feedback.respondent.client_address"
AXES_VERBOSE = False
# Days django-axes' sign-in records (usernames and addresses of attempts) are kept before the
# worker's retention job deletes them; 0 keeps them.
EXCEED_LOGIN_RECORD_DAYS = env_int("EXCEED_LOGIN_RECORD_DAYS", 90, minimum=0)
# The monthly report by email on the 1st (owners choose who receives it); 0 stops the emails
# without touching the list. The report stays downloadable from the dashboard either way.
EXCEED_MONTHLY_REPORT_EMAILS = env_bool("EXCEED_MONTHLY_REPORT_EMAILS", True)
# Two-factor sign-in (django-otp, TOTP): the name authenticator apps show beside the login.
OTP_TOTP_ISSUER = "Exceed"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("da", _("Danish")),
    ("fr", _("French")),
    ("et", _("Estonian")),
    ("fi", _("Finnish")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# Dates in each reader's own format where Django's differ (src/exceed/formats/__init__.py says how).
FORMAT_MODULE_PATH = ["exceed.formats"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request without it
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names once `exceed serve` has collected the files; plain names before
        # (tests, `exceed demo`), served from the finders.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if (STATIC_ROOT / "staticfiles.json").exists()
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Tests and `exceed demo` run without collectstatic; WhiteNoise then serves from the finders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

EMAIL_BACKEND = env_str("EXCEED_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EXCEED_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EXCEED_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EXCEED_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("EXCEED_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("EXCEED_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EXCEED_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EXCEED_EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("EXCEED_EMAIL_FROM", "Exceed <exceed@localhost>")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("EXCEED_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Behind a TLS proxy (README, "Production deployment"). All off by default: the embedded install
# serves plain HTTP on loopback, and HSTS once sent cannot be taken back for its lifetime.
SECURE_HSTS_SECONDS = env_int("EXCEED_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("EXCEED_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("EXCEED_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("EXCEED_SSL_REDIRECT", False)
# The health check answers over plain HTTP, so a load balancer probing the backend is not redirected.
SECURE_REDIRECT_EXEMPT = [r"^api/v1/health$"]
_proxy_ssl_header = env_str("EXCEED_PROXY_SSL_HEADER").strip()
if _proxy_ssl_header:
    # "X-Forwarded-Proto": the proxy sets it to "https" on requests that came over TLS. Trust it only
    # when every request passes through that proxy, which must overwrite what the client sent.
    if not all(char.isalnum() or char == "-" for char in _proxy_ssl_header):
        raise ImproperlyConfigured(
            f"EXCEED_PROXY_SSL_HEADER={_proxy_ssl_header!r} is not a header name (e.g. X-Forwarded-Proto)"
        )
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")

# Content-Security-Policy (django-csp): scripts and styles only from our own static files; the
# pages carry no inline script, style or event handler, so an injected one would not run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Public survey protection: how many submissions one client may make to one link per window.
EXCEED_SURVEY_RATE_LIMIT = env_int("EXCEED_SURVEY_RATE_LIMIT", 20)
EXCEED_SURVEY_RATE_WINDOW = env_int("EXCEED_SURVEY_RATE_WINDOW", 600)
# A store tablet is throttled per tablet (not per address: every tablet of a store shares one), with
# more room, since customers queue at it: one answer every 20 seconds on average over the window.
EXCEED_KIOSK_RATE_LIMIT = env_int("EXCEED_KIOSK_RATE_LIMIT", 30)
# How many reverse proxies (nginx, a load balancer) stand before Exceed; 0 trusts no X-Forwarded-For.
EXCEED_TRUSTED_PROXY_COUNT = env_int("EXCEED_TRUSTED_PROXY_COUNT", 0)
EXCEED_MAX_TEXT_LENGTH = 4000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Django logs the path of every 404 ("Not Found: /i/<token>/"): invitation tokens and kiosk keys are cut out.
    "filters": {"redact_secrets": {"()": "exceed.access_log.RedactingFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]}},
    "root": {"handlers": ["console"], "level": env_str("EXCEED_LOG_LEVEL", "WARNING")},
}
