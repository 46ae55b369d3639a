"""Django settings, read from the environment.

Every deployment choice comes from an environment variable with a safe local default,
so `make demo` needs none and a council's deployment sets them all.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import dj_database_url


def _project_root() -> Path:
    """The source checkout when running from one (editable install), else the working folder."""
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "pyproject.toml").exists():
        return checkout
    return Path.cwd()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated variable as a list, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return default if raw is None or raw.strip() == "" else int(raw)


BASE_DIR = _project_root()
VAR_DIR = Path(os.environ.get("SCRUTINEER_VAR_DIR") or BASE_DIR / "var")
OUT_DIR = Path(os.environ.get("SCRUTINEER_OUT_DIR") or BASE_DIR / "out")

DEBUG = env_bool("SCRUTINEER_DEBUG", default=True)
SECRET_KEY = os.environ.get("SCRUTINEER_SECRET_KEY") or "insecure-local-only-key-set-SCRUTINEER_SECRET_KEY"
if not DEBUG and SECRET_KEY.startswith("insecure-"):
    raise RuntimeError("Set SCRUTINEER_SECRET_KEY when SCRUTINEER_DEBUG is off.")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("SCRUTINEER_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    # First, so its password-reset pages replace the admin's.
    "scrutineer.security",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "simple_history",
    "scrutineer.catalogue",
    "scrutineer.collection",
    "scrutineer.reports",
    "scrutineer.demo",
    "scrutineer.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Audit trail: history rows record the signed-in user of the request that changed them.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it locks out repeated failed sign-ins.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in lockout: after this many failures for a username from one address, wait.
AXES_FAILURE_LIMIT = int(os.environ.get("SCRUTINEER_SIGNIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("SCRUTINEER_SIGNIN_LOCKOUT_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

ROOT_URLCONF = "scrutineer.urls"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
WSGI_APPLICATION = "scrutineer.wsgi.application"

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
                "scrutineer.web.context_processors.navigation",
            ],
        },
    },
]


def _database() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL")
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{VAR_DIR / 'scrutineer.sqlite3'}"
    # Seconds a connection is kept between requests (0: closed after each request).
    max_age = int(os.environ.get("SCRUTINEER_DB_CONN_MAX_AGE", "60"))
    config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=max_age))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            # Every transaction takes SQLite's write lock when it begins, so two saves at
            # once queue (up to `timeout` seconds) instead of one failing with "database
            # is locked"; the second then meets the first's change and is refused as a
            # stale edit, with what its author typed kept (scrutineer.changes).
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        config["CONN_MAX_AGE"] = 0
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

# The amber band used for indicators that do not set their own tolerance:
# "absolute" or "percentage", and its amount (10 = within 10% of target).
SCRUTINEER_DEFAULT_TOLERANCE_KIND = os.environ.get("SCRUTINEER_DEFAULT_TOLERANCE_KIND", "percentage")
SCRUTINEER_DEFAULT_TOLERANCE_AMOUNT = Decimal(os.environ.get("SCRUTINEER_DEFAULT_TOLERANCE_AMOUNT", "10"))
# How draft reports are built from the web app: "thread" (in the web process),
# "sync" (during the request) or "worker" (queued for `scrutineer build_reports`).
SCRUTINEER_REPORT_BUILDS = os.environ.get("SCRUTINEER_REPORT_BUILDS", "thread")
SCRUTINEER_COUNCIL_NAME = os.environ.get("SCRUTINEER_COUNCIL_NAME", "Dacorum Borough Council")

# Email, for password reset. Reset by email is offered only when email can be sent:
# SCRUTINEER_EMAIL_HOST (SMTP) or SCRUTINEER_EMAIL_BACKEND is set, or debug is on,
# when messages are printed in the terminal. Otherwise the sign-in page says to ask a
# performance officer or administrator.
EMAIL_HOST = os.environ.get("SCRUTINEER_EMAIL_HOST", "")
EMAIL_PORT = env_int("SCRUTINEER_EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("SCRUTINEER_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SCRUTINEER_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("SCRUTINEER_EMAIL_USE_TLS", True)
EMAIL_BACKEND = os.environ.get("SCRUTINEER_EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.dummy.EmailBackend"
)
DEFAULT_FROM_EMAIL = SERVER_EMAIL = os.environ.get("SCRUTINEER_EMAIL_FROM", "scrutineer@localhost")
SCRUTINEER_PASSWORD_RESET = EMAIL_BACKEND != "django.core.mail.backends.dummy.EmailBackend"
PASSWORD_RESET_TIMEOUT = 3600  # seconds a reset link works

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SCRUTINEER_LOG_LEVEL", "WARNING")},
}
