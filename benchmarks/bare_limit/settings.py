"""Settings of the bare reference: the same database set-up as Exceed's (SQLite in WAL with
IMMEDIATE transactions, or PostgreSQL), kept connections, nothing else."""

import os

SECRET_KEY = "benchmark-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["bare_limit"]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "bare_limit.urls"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if os.environ.get("BARE_DATABASE_URL"):
    import dj_database_url

    DATABASES = {"default": dj_database_url.parse(os.environ["BARE_DATABASE_URL"], conn_max_age=600)}
else:
    DATABASES = {
        "default": {
            # django.db.backends.sqlite3, or Exceed's (writers queue on a file lock): --bare-engine.
            "ENGINE": os.environ.get("BARE_SQLITE_ENGINE", "django.db.backends.sqlite3"),
            "NAME": os.environ["BARE_SQLITE"],
            "CONN_MAX_AGE": 600,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=20000;",
            },
        }
    }
