"""Django settings, read from the environment.

Every deployment choice comes from an environment variable with a safe default, so
`make demo` needs none and a council's deployment sets the few that say where it runs
(docs/deployment.md, "Production settings"). Safe means: debug off, cookies and headers
as strict as a plain-HTTP local run allows, and no secret key shipped in the code.
Without SCRUTINEER_SECRET_KEY the app runs locally only (docs/decisions/0010).
"""

from __future__ import annotations

import os
import secrets
from decimal import Decimal
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF


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

# Debug pages show settings and code: only for a developer who asks for them.
DEBUG = env_bool("SCRUTINEER_DEBUG", default=False)


def _local_secret_key() -> str:
    """A random key made once and kept in var/ (never committed), for runs on this
    machine: the demo and the command line. A deployment sets SCRUTINEER_SECRET_KEY;
    `scrutineer.wsgi` and `scrutineer check --deploy` refuse to go on without it."""
    path = VAR_DIR / "local-only-secret-key"
    try:
        if path.exists():
            return path.read_text().strip()
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        # Written whole under a private name, then linked into place: two processes
        # starting at once both end up with the first one's key.
        draft = path.with_name(f"{path.name}.{os.getpid()}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_urlsafe(50))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
        return path.read_text().strip()
    except OSError:
        # A read-only folder: a key for this process only (sessions end with it).
        return secrets.token_urlsafe(50)


# True when no SCRUTINEER_SECRET_KEY is set: a run on this machine, not a deployment.
SCRUTINEER_LOCAL_ONLY = not os.environ.get("SCRUTINEER_SECRET_KEY")
SECRET_KEY = os.environ.get("SCRUTINEER_SECRET_KEY") or _local_secret_key()
ALLOWED_HOSTS = env_list("SCRUTINEER_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    # First, so its password-reset pages replace the admin's.
    "scrutineer.security",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "axes",
    "simple_history",
    "scrutineer.catalogue",
    "scrutineer.collection",
    "scrutineer.reports",
    "scrutineer.exchange",
    "scrutineer.demo",
    "scrutineer.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A new site's home and sign-in pages lead to its first-run page (/setup/).
    "scrutineer.catalogue.setup_views.FirstRunMiddleware",
    # Signs out after the idle time or the session's whole lifetime, whichever comes first.
    "scrutineer.security.sessions.SessionTimeoutMiddleware",
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
# Sign-in lockout (django-axes): after this many failures for a username from one
# address, or this many for any usernames from one address, that address waits.
AXES_FAILURE_LIMIT = env_int("SCRUTINEER_SIGNIN_FAILURE_LIMIT", 5)
SCRUTINEER_SIGNIN_ADDRESS_FAILURE_LIMIT = env_int("SCRUTINEER_SIGNIN_ADDRESS_FAILURE_LIMIT", 30)
AXES_COOLOFF_TIME = float(os.environ.get("SCRUTINEER_SIGNIN_LOCKOUT_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "scrutineer.security.signin.SignInLimits"
AXES_CLIENT_IP_CALLABLE = "scrutineer.security.signin.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# How many reverse proxies in front of the app append the address they saw to
# X-Forwarded-For. 0: the connecting address is the client's (no proxy). Set it to
# exactly the number there are: one more lets a client choose its own address.
SCRUTINEER_PROXY_COUNT = env_int("SCRUTINEER_PROXY_COUNT", 0)

# --- Sign in with the council's accounts: OpenID Connect (docs/sign-in.md) -------------
# Off until SCRUTINEER_OIDC_CLIENT_ID is set. Then the sign-in page offers "Sign in with
# <SCRUTINEER_OIDC_PROVIDER_NAME>" (mozilla-django-oidc), which signs in the one active
# account whose email, or whose person's email, is the provider's verified email; it never
# makes accounts. Endpoints are found from SCRUTINEER_OIDC_ISSUER's
# /.well-known/openid-configuration at the first sign-in, or set one by one. A system
# check refuses a half-made configuration (scrutineer.security.checks).
SCRUTINEER_OIDC_ISSUER = os.environ.get("SCRUTINEER_OIDC_ISSUER", "").strip().rstrip("/")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("SCRUTINEER_OIDC_AUTHORIZATION_ENDPOINT", "").strip()
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("SCRUTINEER_OIDC_TOKEN_ENDPOINT", "").strip()
OIDC_OP_USER_ENDPOINT = os.environ.get("SCRUTINEER_OIDC_USERINFO_ENDPOINT", "").strip()
OIDC_OP_JWKS_ENDPOINT = os.environ.get("SCRUTINEER_OIDC_JWKS_ENDPOINT", "").strip()
OIDC_RP_CLIENT_ID = os.environ.get("SCRUTINEER_OIDC_CLIENT_ID", "").strip()
OIDC_RP_CLIENT_SECRET = os.environ.get("SCRUTINEER_OIDC_CLIENT_SECRET", "").strip()
OIDC_RP_SIGN_ALGO = os.environ.get("SCRUTINEER_OIDC_SIGN_ALGO", "").strip() or "RS256"
OIDC_RP_SCOPES = os.environ.get("SCRUTINEER_OIDC_SCOPES", "").strip() or "openid email profile"
# The button's words: "Sign in with <this>", e.g. "Microsoft" or "your council account".
SCRUTINEER_OIDC_PROVIDER_NAME = (
    os.environ.get("SCRUTINEER_OIDC_PROVIDER_NAME", "").strip() or "your council account"
)
# Usernames and passwords kept here: on unless a site signs in through its provider only.
SCRUTINEER_PASSWORD_SIGN_IN = env_bool("SCRUTINEER_PASSWORD_SIGN_IN", True)
OIDC_CREATE_USER = False  # people are invited by performance officers, never made at sign-in
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env_int("SCRUTINEER_OIDC_TIMEOUT_SECONDS", 10)
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc-callback"
LOGIN_REDIRECT_URL_FAILURE = "oidc-refused"
# django-axes first, so a locked-out address is refused before either way of signing in.
if not SCRUTINEER_PASSWORD_SIGN_IN:
    AUTHENTICATION_BACKENDS.remove("django.contrib.auth.backends.ModelBackend")
AUTHENTICATION_BACKENDS.append("scrutineer.security.oidc.CouncilAccountBackend")
# --- end of OpenID Connect ---------------------------------------------------------------

# HTTPS. SCRUTINEER_HTTPS=true (a deployment behind TLS) turns on secure cookies, the
# redirect to https and a year of HSTS with subdomains and preload, as the GDS Way
# recommends for government services; each can then be set on its own.
SCRUTINEER_HTTPS = env_bool("SCRUTINEER_HTTPS")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SCRUTINEER_SECURE_COOKIES", SCRUTINEER_HTTPS)
SECURE_SSL_REDIRECT = env_bool("SCRUTINEER_SSL_REDIRECT", SCRUTINEER_HTTPS)
SECURE_HSTS_SECONDS = env_int("SCRUTINEER_HSTS_SECONDS", 31_536_000 if SCRUTINEER_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SCRUTINEER_HSTS_INCLUDE_SUBDOMAINS", SCRUTINEER_HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SCRUTINEER_HSTS_PRELOAD", SCRUTINEER_HTTPS)
# The header a TLS-terminating proxy sets to say the request came over https, e.g.
# X-Forwarded-Proto. The proxy must overwrite it, never pass on the client's.
_proxy_ssl_header = os.environ.get("SCRUTINEER_PROXY_SSL_HEADER", "").strip()
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https") if _proxy_ssl_header else None
)
USE_X_FORWARDED_HOST = env_bool("SCRUTINEER_USE_X_FORWARDED_HOST")
# Origins (scheme and host) that may post forms, e.g. https://scrutineer.example.gov.uk.
CSRF_TRUSTED_ORIGINS = env_list("SCRUTINEER_CSRF_TRUSTED_ORIGINS")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"

# Sessions end after a working day however busy, and after this long without a request.
SESSION_COOKIE_AGE = env_int("SCRUTINEER_SESSION_HOURS", 8) * 3600
SCRUTINEER_SESSION_IDLE_SECONDS = env_int("SCRUTINEER_SESSION_IDLE_MINUTES", 30) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Content Security Policy (django-csp) on every response: only this site's own files;
# no inline script or style anywhere. The committee report pages, which carry their
# stylesheet inside them, allow that one stylesheet by its hash (scrutineer.security.csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

ROOT_URLCONF = "scrutineer.urls"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
# None: `runserver` (the demo's server) builds its own application. scrutineer.wsgi is
# the deployments' entry point, which refuses the local-only key and debug pages.
WSGI_APPLICATION = None

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
# Seconds after which a build still queued or running is shown as failed, to be built again.
SCRUTINEER_REPORT_BUILD_TIME_LIMIT = env_int("SCRUTINEER_REPORT_BUILD_TIME_LIMIT", 15 * 60)
# The council's own area code in LG Inform comparison files (its ONS code, e.g. E07000096);
# blank: the area marked as the council at the last benchmark import.
SCRUTINEER_BENCHMARK_AREA = os.environ.get("SCRUTINEER_BENCHMARK_AREA", "").strip()
SCRUTINEER_COUNCIL_NAME = os.environ.get("SCRUTINEER_COUNCIL_NAME", "")
# The address people reach the site at: links in reminder emails start with it.
SCRUTINEER_SITE_URL = os.environ.get("SCRUTINEER_SITE_URL", "http://127.0.0.1:8000")

# Email, for password reset and the collection rounds' reminders. Reset by email is
# offered only when email can be sent: SCRUTINEER_EMAIL_HOST (SMTP), GOV.UK Notify or
# SCRUTINEER_EMAIL_BACKEND is set, or the run is local, where messages are printed in the
# terminal. Otherwise the sign-in page says to ask a performance officer or administrator.
EMAIL_HOST = os.environ.get("SCRUTINEER_EMAIL_HOST", "")
EMAIL_PORT = env_int("SCRUTINEER_EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("SCRUTINEER_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SCRUTINEER_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("SCRUTINEER_EMAIL_USE_TLS", True)
# GOV.UK Notify, which many councils use, instead of SMTP: an API key and the id of a
# Notify email template whose subject is ((subject)) and body ((body)) (docs/deployment.md).
SCRUTINEER_NOTIFY_API_KEY = os.environ.get("SCRUTINEER_NOTIFY_API_KEY", "")
SCRUTINEER_NOTIFY_TEMPLATE_ID = os.environ.get("SCRUTINEER_NOTIFY_TEMPLATE_ID", "")
SCRUTINEER_NOTIFY_BASE_URL = os.environ.get("SCRUTINEER_NOTIFY_BASE_URL", "")
EMAIL_BACKEND = os.environ.get("SCRUTINEER_EMAIL_BACKEND") or (
    "scrutineer.notify.NotifyEmailBackend"
    if SCRUTINEER_NOTIFY_API_KEY
    else "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
    if SCRUTINEER_LOCAL_ONLY
    else "django.core.mail.backends.dummy.EmailBackend"
)
DEFAULT_FROM_EMAIL = SERVER_EMAIL = os.environ.get("SCRUTINEER_EMAIL_FROM", "scrutineer@localhost")
SCRUTINEER_PASSWORD_RESET = EMAIL_BACKEND != "django.core.mail.backends.dummy.EmailBackend"
PASSWORD_RESET_TIMEOUT = 3600  # seconds a reset link works
# Days an invitation's link works (security/tokens.py): it may be read the next morning.
SCRUTINEER_INVITATION_DAYS = env_int("SCRUTINEER_INVITATION_DAYS", 7)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SCRUTINEER_LOG_LEVEL", "WARNING")},
}
