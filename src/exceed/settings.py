"""The one settings module, configured by EXCEED_* environment variables.

Embedded default: SQLite (WAL) in ``EXCEED_DATA_DIR``. Production: ``EXCEED_DATABASE_URL=postgres://…``.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from exceed.env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("EXCEED_DATA_DIR", str(Path.cwd() / "data"))).resolve()

DEBUG = env_bool("EXCEED_DEBUG", False)
SECRET_KEY = env_str("EXCEED_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG and env_bool("EXCEED_REQUIRE_SECRET_KEY", False):
        raise ImproperlyConfigured("EXCEED_SECRET_KEY must be set in production")
    # A key kept in the data directory survives restarts, so sessions and signed kiosk tokens stay
    # valid on an embedded install that never configured one.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        from django.core.management.utils import get_random_secret_key

        key_file.write_text(get_random_secret_key(), encoding="utf-8")
        key_file.chmod(0o600)
    SECRET_KEY = key_file.read_text(encoding="utf-8").strip()

ALLOWED_HOSTS = env_list("EXCEED_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
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
    # Serves the API docs' Swagger UI from our own static files, not a CDN (self-hosted, offline).
    "ninja",
    "exceed.org",
    "exceed.feedback",
    "exceed.recovery",
    "exceed.insights",
    "exceed.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "exceed.sqlite3",
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
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
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

# Public survey protection: how many submissions one client may make to one link per window.
EXCEED_SURVEY_RATE_LIMIT = env_int("EXCEED_SURVEY_RATE_LIMIT", 20)
EXCEED_SURVEY_RATE_WINDOW = env_int("EXCEED_SURVEY_RATE_WINDOW", 600)
# How many reverse proxies (nginx, a load balancer) stand before Exceed; 0 trusts no X-Forwarded-For.
EXCEED_TRUSTED_PROXY_COUNT = env_int("EXCEED_TRUSTED_PROXY_COUNT", 0)
EXCEED_MAX_TEXT_LENGTH = 4000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("EXCEED_LOG_LEVEL", "WARNING")},
}
