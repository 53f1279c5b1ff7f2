"""Alongside settings: one file, read from the environment (see .env.example)."""

import os
from pathlib import Path

import django_stubs_ext
import environ

from config import test_keys
from config.mail import mail_folder

# Lets generic Django classes (ModelAdmin[Program], QuerySet[Match]) be subscripted at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# Test mode only when asked for: pytest sets it (config/pytest_plugin.py), nothing guesses it.
# Importing a test library in a running server must not switch it to the test keys.
TESTING = env.bool("ALONGSIDE_TESTING", default=False)
if not TESTING:
    # The test suite ignores a developer's .env: it runs with its own fixed settings.
    environ.Env.read_env(
        env.str("ALONGSIDE_ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False
    )

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# A demo installation: only there do seed_demo and generate_province create data (their accounts
# share a published password). `make run` sets it in the .env it writes; the tests build demo data.
DEMO = env.bool("ALONGSIDE_DEMO", default=TESTING)
# Fixed keys for the test suite only; config/checks.py refuses to start without real keys
# and refuses these keys outside the test suite.
SECRET_KEY = env.str("SECRET_KEY", default=test_keys.TEST_SECRET_KEY if TESTING else "")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

# Sensitive fields are encrypted with these keys, kept apart from SECRET_KEY. The first key
# encrypts; every key decrypts, so a new key is added first and old ones retired after
# `manage.py rotate_field_keys`.
FIELD_ENCRYPTION_KEYS = env.list(
    "ALONGSIDE_FIELD_KEYS", default=[test_keys.TEST_FIELD_KEY] if TESTING else []
)
# Encrypted names, e-mail addresses and phones are searched through keyed digests made with
# these keys, apart from the field keys (ADR 0006). The first key writes; every key is searched,
# so a new key is added first and the old one retired after `manage.py rebuild_blind_indexes`.
BLIND_INDEX_KEYS = env.list(
    "ALONGSIDE_INDEX_KEYS", default=[test_keys.TEST_INDEX_KEY] if TESTING else []
)

# Alongside's apps come first: for the same English text, an app listed earlier wins the
# translation, so our catalogues' wording (docs/glossary-fr.md) beats the libraries' own.
INSTALLED_APPS = [
    "alongside.core",
    "alongside.accounts",
    "alongside.programs",
    "alongside.supporters",
    "alongside.intake",
    "alongside.matching",
    "alongside.matches",
    "alongside.resources",
    "alongside.outcomes",
    "alongside.notifications",
    "alongside.safety",
    "alongside.groups",
    "alongside.referrals",
    "alongside.privacy",
    "alongside.periodic",
    "alongside.health",
    "alongside.reports",
    "alongside.home",
    "alongside.demo",
    "alongside.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "django_htmx",
    "huey.contrib.djhuey",
    "phonenumber_field",
    # Installed for its static files: the API docs page (/api/v1/docs) serves Swagger UI from
    # them, not from a CDN our Content-Security-Policy refuses (templates/ninja/swagger.html).
    "ninja",
]

MIDDLEWARE = [
    # First, so that every line a request logs carries its id, and every request is timed.
    "alongside.core.middleware.RequestIdMiddleware",
    "alongside.core.middleware.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After sign-in and allauth: staff without two-step sign-in set it up; idle staff sign out.
    "alongside.accounts.staff_sessions.StaffSessionMiddleware",
    "alongside.core.middleware.RequestOriginMiddleware",
    "alongside.accounts.time_zones.ViewerTimeZoneMiddleware",
    "alongside.accounts.languages.ViewerLanguageMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# The production web server, gunicorn (config/gunicorn.py reads these), which also serves the
# demo `make run` starts. The defaults suit a 2-core machine: a process a core, each answering
# four requests at once in threads, and a queue of connections long enough for a burst of form
# posts; a request still running after `timeout` seconds has its process restarted.
WEB_SERVER = {
    "bind": env.list("ALONGSIDE_WEB_BIND", default=["127.0.0.1:8000"]),
    "workers": env.int("ALONGSIDE_WEB_WORKERS", default=2),
    "threads": env.int("ALONGSIDE_WEB_THREADS", default=4),
    "timeout": env.int("ALONGSIDE_WEB_TIMEOUT", default=60),
    "graceful_timeout": env.int("ALONGSIDE_WEB_GRACEFUL_TIMEOUT", default=30),
    "backlog": env.int("ALONGSIDE_WEB_BACKLOG", default=2048),
}

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "alongside" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "alongside.home.context_processors.navigation",
            ],
            "string_if_invalid": "" if not TESTING else "!!missing:%s!!",
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'alongside.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not shared memory, so that tests with several connections at once (concurrent
    # proposals, the live server) wait for SQLite's lock as production does.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No just-in-time compiling: it pays off for queries of minutes, and a report's count over a
    # year of a program spent 0.7 s compiling to run for 0.8 s (PostgreSQL turns it on by cost).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Both caches hold what every process and app server must see alike: "shared" the public forms'
# throttle and the matching snapshots, "default" what Django's and allauth's own code keeps there
# (allauth's sign-in and reset rate limits, the TOTP codes already used, which must not be
# accepted again on another server). CACHE_URL when set (Redis at scale), otherwise one table in
# the database, made by `manage.py createcachetable` (`make migrate` runs it), each cache under
# its own key prefix. Only the tests keep "default" in each process, emptied between tests.
CACHE_URL = env.str("CACHE_URL", default="")
DATABASE_CACHE_URL = "dbcache://alongside_shared_cache"
CACHES = {
    "default": env.cache_url_config(
        CACHE_URL or ("locmemcache://alongside" if TESTING else DATABASE_CACHE_URL)
    ),
    "shared": env.cache_url_config(CACHE_URL or DATABASE_CACHE_URL),
}
CACHES["shared"]["KEY_PREFIX"] = "shared"
# The table holds each program's matching snapshot and its log of changes (a few hundred keys a
# program): past MAX_ENTRIES Django deletes a third of the table's keys, whichever cache wrote
# them, so not at its 300, and the same limit for both.
for _alias in ("default", "shared"):
    if CACHES[_alias]["BACKEND"].endswith("DatabaseCache"):
        CACHES[_alias]["OPTIONS"] = {"MAX_ENTRIES": 100_000}
RATELIMIT_USE_CACHE = "shared"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
if TESTING:
    # Hashing a password properly takes most of a second; the tests create hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_FORMS = {
    "login": "alongside.accounts.forms.LoginForm",
    "reset_password": "alongside.accounts.forms.ResetPasswordForm",
}
ACCOUNT_ADAPTER = "alongside.accounts.adapters.InvitationOnlyAccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# How long the link in an invitation to choose a password works (accounts/invitations.py).
ACCOUNT_INVITATION_DAYS = env.int("ALONGSIDE_INVITATION_DAYS", default=7)
# One limiter for failed sign-ins: axes (below), whose lockouts live in the database where
# every process sees them and administrators lift them. allauth's own count of failures is off.
ACCOUNT_RATE_LIMITS = {"login_failed": None} if not TESTING else False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Required for administrators, coordinators and supervisors (alongside/accounts/mfa.py).
MFA_ADAPTER = "alongside.accounts.mfa.StaffMFAAdapter"
MFA_FORMS = {
    "activate_totp": "alongside.accounts.mfa.ActivateTOTPForm",
    "authenticate": "alongside.accounts.mfa.AuthenticateForm",
}
MFA_TOTP_ISSUER = "Alongside"
# The code just before or after the current one is accepted too (RFC 6238, section 5.2), so a
# code typed as it changes, or on a phone whose clock is a little off, still works.
MFA_TOTP_TOLERANCE = 1
# allauth refuses MFA to accounts with an unverified address, against someone signing up with
# another's address; nobody signs themselves up here, and staff must be able to set it up.
MFA_ALLOW_UNVERIFIED_EMAIL = True

# Sign-in lockout: five failures for one typed e-mail from one address lock that pair, never
# the account everywhere nor the address for everyone.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "alongside.accounts.lockouts.typed_email"
AXES_CLIENT_IP_CALLABLE = "alongside.core.addresses.client_address"
AXES_LOCKOUT_CALLABLE = "alongside.accounts.lockouts.locked_out_page"
# Tries while locked out do not push the end of the lockout back, so the page can say when.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
# Never write a typed e-mail or an address into logs or the stored form data.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "login", "email"]
AXES_VERBOSE = False
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr-ca", "Français (Canada)")]
LOCALE_PATHS = [BASE_DIR / "alongside" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("ALONGSIDE_STATIC_ROOT", default=VAR_DIR / "static")
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "alongside" / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/chart.js", NODE_MODULES / "chart.js" / "dist"),
]
# Outside the tests, static files are served under hashed names, compressed, cached for good
# (alongside/core/static_files.py): `collectstatic` must run first, as `make run` does. The
# tests serve the files where they lie, through the finders, with no collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if TESTING
        else "alongside.core.static_files.HashedCompressedStorage"
    },
}
WHITENOISE_USE_FINDERS = TESTING or DEBUG
WHITENOISE_KEEP_ONLY_HASHED_FILES = True

# Security: secure by default; a local demo over plain HTTP opts out with ALONGSIDE_HTTPS=false.
HTTPS = env.bool("ALONGSIDE_HTTPS", default=not (DEBUG or TESTING))
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env.bool("SECURE_SSL_REDIRECT", default=True)
# The health probes answer over plain HTTP too: a load balancer asks them from inside.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
# The reverse proxies in front of Alongside (addresses or networks). Only a request arriving
# from one of them has its client read from X-Forwarded-For; empty, the header is ignored.
ALONGSIDE_TRUSTED_PROXIES = env.list("ALONGSIDE_TRUSTED_PROXIES", default=[])
RATELIMIT_IP_META_KEY = "alongside.core.addresses.client_address"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
# A staff session unused this long is signed out (SESSION_COOKIE_AGE still bounds it in all).
STAFF_IDLE_MINUTES = env.int("ALONGSIDE_STAFF_IDLE_MINUTES", default=30)
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}

# Outgoing mail and SMS (every message goes through the outbox first).
EMAIL_URL = env.str("EMAIL_URL", default="filemail://")
_email = env.email_url_config(EMAIL_URL)
_email_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS"),
    "use_ssl": _email.get("EMAIL_USE_SSL"),
    "timeout": 10,
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": (
            {key: value for key, value in _email_options.items() if value not in (None, "")}
            if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
            else {"file_path": str(mail_folder(EMAIL_URL, VAR_DIR))}
            if _email["EMAIL_BACKEND"].endswith("filebased.EmailBackend")
            else {}
        ),
    }
}
# An e-mail provider of django-anymail ("postmark", "mailgun", "amazon_ses", "sendgrid", "brevo"…)
# sends the e-mail in place of EMAIL_URL, and reports bounces and complaints to its webhook.
EMAIL_PROVIDER = env.str("EMAIL_PROVIDER", default="")
if EMAIL_PROVIDER:
    MAILERS["default"] = {"BACKEND": f"anymail.backends.{EMAIL_PROVIDER}.EmailBackend"}
# Anymail's settings, each from ANYMAIL_<NAME>: ANYMAIL_POSTMARK_SERVER_TOKEN,
# ANYMAIL_WEBHOOK_SECRET (the webhooks' basic auth, "user:password")…
ANYMAIL: dict[str, str] = {
    name.removeprefix("ANYMAIL_"): value
    for name, value in os.environ.items()
    if name.startswith("ANYMAIL_")
}
if TESTING:
    ANYMAIL.setdefault("WEBHOOK_SECRET", "anymail:test-webhook-secret")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Alongside <no-reply@localhost>")
SMS_BACKEND = env.str("SMS_BACKEND", default="alongside.notifications.sms.ConsoleSmsBackend")
# Webhooks go to public addresses only (alongside/notifications/webhooks/addresses.py); a
# developer's receiver on localhost needs this, never a production server.
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env.bool(
    "ALONGSIDE_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", default=DEBUG or TESTING
)
# alongside.notifications.sms.TwilioSmsBackend's account; the auth token also checks the
# signature of Twilio's delivery reports.
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM_NUMBER = env.str("TWILIO_FROM_NUMBER", default="")
# A worker holds a message it is sending this long, renewing it every third; if it dies, the
# minute's sweep sends the message again once the lease has run out.
OUTBOX_LEASE_SECONDS = env.float("ALONGSIDE_OUTBOX_LEASE_SECONDS", default=60.0)

# A periodic run takes no new batch after this many seconds; the next run goes on at once
# (periodic/runner.py). Tests run each job whole, unless a test sets it.
PERIODIC_RUN_SECONDS: float | None = (
    None if TESTING else env.float("ALONGSIDE_PERIODIC_RUN_SECONDS", default=1.0)
)

# Background work: django.tasks on huey; SQLite storage by default, Redis when HUEY_REDIS_URL set.
HUEY_REDIS_URL = env.str("HUEY_REDIS_URL", default="")
HUEY_IMMEDIATE = env.bool("HUEY_IMMEDIATE", default=TESTING)
HUEY: dict[str, object] = {
    "name": "alongside",
    "immediate": HUEY_IMMEDIATE,
    "utc": True,
    "consumer": {"workers": env.int("HUEY_WORKERS", default=2), "worker_type": "thread"},
}
if HUEY_REDIS_URL:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": HUEY_REDIS_URL})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "huey.sqlite3")})
# Huey's own django.tasks backend: a task is queued when the transaction that enqueues it commits,
# and its result (status, return value, errors) is kept in huey's storage for pages to show.
TASKS = {
    "default": {
        "BACKEND": "huey.contrib.djhuey.tasks_backend.HueyBackend",
        "OPTIONS": {"enqueue_on_commit": True},
    }
}

# /health/ready fails when the workers' heartbeat is older than this many seconds, when more
# messages than this are over five minutes late, or when more than this were given up on in the
# last day (alongside/health/readiness.py).
HEALTH_HEARTBEAT_SECONDS = env.int("ALONGSIDE_HEALTH_HEARTBEAT_SECONDS", default=60)
HEALTH_OUTBOX_BACKLOG = env.int("ALONGSIDE_HEALTH_OUTBOX_BACKLOG", default=200)
HEALTH_GIVEN_UP_MESSAGES = env.int("ALONGSIDE_HEALTH_GIVEN_UP_MESSAGES", default=50)

# Public forms: how many submissions one address may make per hour.
PUBLIC_FORM_RATE_LIMIT = env.int("ALONGSIDE_PUBLIC_FORM_RATE_LIMIT", default=10)

# API tokens: how many calls one token may make per minute (django-ratelimit, the shared cache).
API_TOKEN_RATE_LIMIT = env.int("ALONGSIDE_API_TOKEN_RATE_LIMIT", default=120)

# Logs: one line a record on the standard error, each with its request's id ("-" outside a
# request). "plain" reads well in a terminal; "json" (python-json-logger) is one JSON object a
# line for a log collector, which the deployment guide recommends. No line holds a query string.
LOG_FORMAT = env.str("ALONGSIDE_LOG_FORMAT", default="plain")
LOG_FORMATS = ("plain", "json")
LOG_LINE = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "alongside.core.request_log.JsonLines",
            "fmt": LOG_LINE,
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "filters": {
        "request_id": {"()": "alongside.core.request_log.RequestIdFilter"},
        # The development server's request lines keep their path, never a search's text.
        "without_query_strings": {"()": "alongside.core.request_log.WithoutQueryStrings"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            # An unknown format is refused by a system check (alongside.E023); until then, plain.
            "formatter": LOG_FORMAT if LOG_FORMAT in LOG_FORMATS else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.server": {"filters": ["without_query_strings"]},
        "axes": {"level": "WARNING"},
        # WeasyPrint logs each step of every PDF (and of its own stylesheet, on import).
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # The consumer adds its own handler; one line per task is enough.
        "huey": {"level": env.str("HUEY_LOG_LEVEL", default="WARNING"), "propagate": False},
    },
}

# /health/metrics (docs/adr/0011): answered only with `Authorization: Bearer <this token>`;
# without a token set it is not there (404). With several gunicorn workers each writes its
# requests' numbers under METRICS_DIR and a scrape adds them up: prometheus-client's
# multiprocess mode, which it reads from PROMETHEUS_MULTIPROC_DIR before its first metric is
# made, so it is set here, before any app is loaded. config/gunicorn.py empties the folder
# when the server starts and forgets each worker that ends.
METRICS_TOKEN = env.str("ALONGSIDE_METRICS_TOKEN", default="")
METRICS_DIR = env.str("ALONGSIDE_METRICS_DIR", default="")
if METRICS_DIR:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = METRICS_DIR

# Error reports to Sentry when SENTRY_DSN is set (config/error_reports.py): without request
# bodies, cookies, query strings, users or local variables; never from the tests.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="production")
SENTRY_RELEASE = env.str("SENTRY_RELEASE", default="") or None
if SENTRY_DSN and not TESTING:
    from config.error_reports import start_error_reports

    start_error_reports(dsn=SENTRY_DSN, environment=SENTRY_ENVIRONMENT, release=SENTRY_RELEASE)

NINJA_PAGINATION_PER_PAGE = 50
