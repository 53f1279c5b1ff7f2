"""System checks that refuse to start Alongside with a configuration that would bite later.

They run before `runserver`, `migrate`, `run_huey` and `check`, and config/wsgi.py runs them
before a WSGI server takes its first request; `manage.py check --tag alongside` runs only these.
Each message says which setting is wrong and how to fix it.
"""

import ipaddress
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.apps import AppConfig
from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core import checks
from django.core.checks import CheckMessage, Error, Warning, register
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, DatabaseError
from django.utils.module_loading import import_string

from alongside.core import field_keys
from alongside.core.encryption import is_valid_key
from config import test_keys
from config.error_reports import dsn_problem

TAG = "alongside"
MINIMUM_SECRET_KEY_LENGTH = 40
SUPPORTED_DATABASE_ENGINES = frozenset(
    {"django.db.backends.sqlite3", "django.db.backends.postgresql"}
)
REDIS_SCHEMES = frozenset({"redis", "rediss", "unix"})
SIGNING_KEY_HINT = 'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))"'
INDEX_KEY_HINT = 'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(32))"'
MINIMUM_INDEX_KEY_LENGTH = 32
FIELD_KEY_HINT = (
    'Generate one with: python -c "from cryptography.fernet import Fernet; '
    'print(Fernet.generate_key().decode())"'
)


def _secret_key() -> str:
    try:
        return str(settings.SECRET_KEY)
    except ImproperlyConfigured:  # Django refuses to hand out an empty SECRET_KEY.
        return ""


@register(TAG)
def check_secret_key(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    if settings.TESTING:
        return []
    secret_key = _secret_key()
    if not secret_key:
        return [
            Error(
                "SECRET_KEY is empty.",
                hint="Set SECRET_KEY in the environment or .env (see .env.example).",
                id="alongside.E001",
            )
        ]
    if not settings.DEBUG and len(secret_key) < MINIMUM_SECRET_KEY_LENGTH:
        return [
            Error(
                f"SECRET_KEY has {len(secret_key)} characters; "
                f"at least {MINIMUM_SECRET_KEY_LENGTH} are needed outside DEBUG.",
                hint=SIGNING_KEY_HINT,
                id="alongside.E001",
            )
        ]
    return []


@register(TAG)
def check_field_encryption_keys(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    keys = list(settings.FIELD_ENCRYPTION_KEYS)
    if not keys:
        return [
            Error(
                "ALONGSIDE_FIELD_KEYS is empty: sensitive fields can be neither written nor read.",
                hint=FIELD_KEY_HINT,
                id="alongside.E002",
            )
        ]
    # Name the position, never the key itself: check output ends up in logs.
    return [
        Error(
            f"ALONGSIDE_FIELD_KEYS: key number {position} is not a valid Fernet key "
            "(32 url-safe base64-encoded bytes).",
            hint=FIELD_KEY_HINT,
            id="alongside.E003",
        )
        for position, key in enumerate(keys, start=1)
        if not is_valid_key(key)
    ]


@register(TAG)
def check_blind_index_keys(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    """The blind indexes' keys (ADR 0006): set, long, and none of the other secrets, so a leak
    of the field keys or SECRET_KEY does not also unlock the search tokens, nor the reverse."""
    keys = list(settings.BLIND_INDEX_KEYS)
    if not keys:
        return [
            Error(
                "ALONGSIDE_INDEX_KEYS is empty: encrypted names, e-mail addresses and phones "
                "can be neither indexed nor searched.",
                hint=INDEX_KEY_HINT,
                id="alongside.E011",
            )
        ]
    others = {*settings.FIELD_ENCRYPTION_KEYS, _secret_key()}
    messages: list[CheckMessage] = []
    # Name the position, never the key itself: check output ends up in logs.
    for position, key in enumerate(keys, start=1):
        if len(key) < MINIMUM_INDEX_KEY_LENGTH:
            messages.append(
                Error(
                    f"ALONGSIDE_INDEX_KEYS: key number {position} has {len(key)} characters; "
                    f"at least {MINIMUM_INDEX_KEY_LENGTH} are needed.",
                    hint=INDEX_KEY_HINT,
                    id="alongside.E012",
                )
            )
        if key in others:
            messages.append(
                Error(
                    f"ALONGSIDE_INDEX_KEYS: key number {position} is also a field key or the "
                    "SECRET_KEY; the blind indexes need a key of their own.",
                    hint=INDEX_KEY_HINT,
                    id="alongside.E013",
                )
            )
    return messages


@register(TAG)
def check_database_engines(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    return [
        Error(
            f"DATABASES[{alias!r}] uses {database['ENGINE']!r}; "
            "Alongside supports SQLite and PostgreSQL only.",
            hint="Set DATABASE_URL to sqlite:///path/to/file.sqlite3 or postgres://user@host/name.",
            id="alongside.E004",
        )
        for alias, database in settings.DATABASES.items()
        if database.get("ENGINE") not in SUPPORTED_DATABASE_ENGINES
    ]


@register(TAG)
def check_sms_backend(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    try:
        import_string(settings.SMS_BACKEND)
    except ImportError as error:
        return [
            Error(
                f"SMS_BACKEND {settings.SMS_BACKEND!r} cannot be imported: {error}",
                hint="Set SMS_BACKEND to a dotted path such as "
                "alongside.notifications.sms.ConsoleSmsBackend.",
                id="alongside.E005",
            )
        ]
    return []


@register(TAG)
def check_email_backend(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    backend = settings.MAILERS["default"]["BACKEND"]
    try:
        import_string(backend)
    except ImportError as error:
        return [
            Error(
                f"The e-mail backend {backend!r} cannot be imported: {error}",
                hint="Set EMAIL_PROVIDER to one of django-anymail's ESPs (postmark, mailgun, "
                "amazon_ses, sendgrid…), or leave it empty to send through EMAIL_URL.",
                id="alongside.E025",
            )
        ]
    return []


@register(TAG)
def check_providers_report_back(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    """A provider whose reports cannot come in: bounces go unnoticed, and are sent to again."""
    found: list[CheckMessage] = []
    if settings.EMAIL_PROVIDER and not settings.ANYMAIL.get("WEBHOOK_SECRET"):
        found.append(
            Warning(
                "EMAIL_PROVIDER is set but ANYMAIL_WEBHOOK_SECRET is not: the provider's "
                "bounces and complaints are refused, and bounced addresses are written to again.",
                hint="Set ANYMAIL_WEBHOOK_SECRET to a random user:password and give the provider "
                "its tracking webhook with it (docs/deploy.md).",
                id="alongside.W022",
            )
        )
    if settings.SMS_BACKEND.endswith(".TwilioSmsBackend") and not all(
        (settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_FROM_NUMBER)
    ):
        found.append(
            Warning(
                "SMS_BACKEND is Twilio's but TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN or "
                "TWILIO_FROM_NUMBER is empty: no text message can be sent.",
                hint="Set the three from the Twilio console.",
                id="alongside.W023",
            )
        )
    return found


@register(TAG)
def check_time_zone(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    if settings.TIME_ZONE != "UTC":
        return [
            Error(
                f"TIME_ZONE is {settings.TIME_ZONE!r}; it must be 'UTC'.",
                hint="Times are stored in UTC; each program and viewer has its own time zone.",
                id="alongside.E006",
            )
        ]
    return []


@register(TAG)
def check_staff_idle_minutes(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    idle_minutes = settings.STAFF_IDLE_MINUTES
    longest = settings.SESSION_COOKIE_AGE // 60
    if 1 <= idle_minutes <= longest:
        return []
    # Under a minute would sign staff out between two clicks; over the absolute limit, the idle
    # timeout would never be reached and only look like a protection.
    return [
        Error(
            f"ALONGSIDE_STAFF_IDLE_MINUTES is {idle_minutes}; it must be between 1 and "
            f"{longest} (a staff session ends after {longest} minutes in any case).",
            hint="Set ALONGSIDE_STAFF_IDLE_MINUTES to the minutes a staff session may stay "
            "unused, e.g. 30 (the default).",
            id="alongside.E010",
        )
    ]


def redis_url_problem(url: str) -> str | None:
    """What is wrong with a Redis URL, or None when it looks usable."""
    parts = urlsplit(url)
    if parts.scheme not in REDIS_SCHEMES:
        return "it must start with redis://, rediss:// or unix://"
    if parts.scheme == "unix":
        return None if parts.path else "a unix:// URL needs the path of the socket"
    if not parts.hostname:
        return "it names no host"
    try:
        parts.port  # noqa: B018  (raises ValueError on a port that is not a number)
    except ValueError:
        return "its port is not a number between 0 and 65535"
    database = parts.path.strip("/")
    if database and not database.isdigit():
        return f"the database number {database!r} is not a number"
    return None


@register(TAG)
def check_huey_redis_url(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    url = settings.HUEY_REDIS_URL
    problem = redis_url_problem(url) if url else None
    if problem:
        return [
            Error(
                f"HUEY_REDIS_URL is malformed: {problem}.",
                hint="For example HUEY_REDIS_URL=redis://127.0.0.1:6379/0; "
                "leave it empty to queue tasks in SQLite.",
                id="alongside.E007",
            )
        ]
    return []


@register(TAG)
def check_field_keys_open_stored_data(
    app_configs: Sequence[AppConfig] | None,
    databases: Sequence[str] | None = None,
    **kwargs: Any,
) -> list[CheckMessage]:
    """Refuse keys that cannot open the data already stored, before anything is written with
    them. Runs for every start, not only with --database: runserver and run_huey pass none."""
    if check_field_encryption_keys(app_configs):
        return []  # empty or malformed keys: alongside.E002/E003 say so
    messages: list[CheckMessage] = []
    for alias in databases or [DEFAULT_DB_ALIAS]:
        try:
            if not field_keys.database_is_set_up(alias):
                continue  # a fresh database: migrate writes the key-check value
            problem = field_keys.key_check_problem(using=alias)
            sample = field_keys.sample_stored_values(using=alias) if not problem else None
        except DatabaseError:
            continue  # an unreachable database is reported by the first thing that needs it
        if problem:
            messages.append(
                Error(
                    f"ALONGSIDE_FIELD_KEYS cannot open the data already stored: {problem}.",
                    hint="Put back the key this installation was set up with (to rotate, put "
                    "the new key first and keep the old one after it, then run "
                    '`manage.py rotate_field_keys`). See "Rotating the field keys" in the '
                    "README.",
                    id="alongside.E008",
                )
            )
        elif sample and sample.unreadable:
            messages.append(
                Warning(
                    f"{sample.unreadable} of the newest stored encrypted values cannot be read "
                    f"with ALONGSIDE_FIELD_KEYS ({', '.join(sample.unreadable_in)}); "
                    'they show as "cannot be read: key missing".',
                    hint="`manage.py list_unreadable_fields` lists every such row; add the key "
                    "they were written with after the first one and run "
                    "`manage.py rotate_field_keys`.",
                    id="alongside.W001",
                )
            )
    return messages


@register(TAG)
def check_test_keys_stay_in_tests(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    if settings.TESTING:
        return []
    messages: list[CheckMessage] = []
    if _secret_key() == test_keys.TEST_SECRET_KEY:
        messages.append(
            Error(
                "SECRET_KEY is the test suite's key, which is public.",
                hint=SIGNING_KEY_HINT,
                id="alongside.E009",
            )
        )
    if test_keys.TEST_FIELD_KEY in settings.FIELD_ENCRYPTION_KEYS:
        messages.append(
            Error(
                "ALONGSIDE_FIELD_KEYS holds the test suite's key, which is public.",
                hint=FIELD_KEY_HINT,
                id="alongside.E009",
            )
        )
    if test_keys.TEST_INDEX_KEY in settings.BLIND_INDEX_KEYS:
        messages.append(
            Error(
                "ALONGSIDE_INDEX_KEYS holds the test suite's key, which is public.",
                hint=INDEX_KEY_HINT,
                id="alongside.E009",
            )
        )
    return messages


def refuse_to_serve_on_errors() -> None:
    """Run every system check, as manage.py does, for servers that start without it, and
    refuse to serve without the static files collected.

    Warnings go to stderr; any error raises SystemCheckError, so the server does not start.
    """
    BaseCommand().check(display_num_errors=False)
    problem = static_files_problem()
    if problem:
        raise ImproperlyConfigured(problem)


def static_files_problem() -> str | None:
    """Why this server could not name its static files, or None. Outside DEBUG every page
    (the error pages too) names them by their hashed names, read from the manifest that
    collectstatic writes; without it every page fails. Not a system check: `migrate` and
    `collectstatic` itself run before there is a manifest."""
    storage = storages["staticfiles"]
    if settings.DEBUG or not isinstance(storage, ManifestFilesMixin):
        return None
    manifest = Path(settings.STATIC_ROOT) / storage.manifest_name
    if manifest.exists():
        return None
    return (
        f"The static files have not been collected: {manifest} is missing. Run "
        "`manage.py collectstatic --noinput` (`make static`) after each install or upgrade, "
        "before starting the server."
    )


@register(TAG)
def check_trusted_proxies(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    for proxy in settings.ALONGSIDE_TRUSTED_PROXIES:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            problems.append(
                Error(
                    f"ALONGSIDE_TRUSTED_PROXIES: {proxy!r} is neither an address nor a network.",
                    hint="List the reverse proxies as addresses or networks, comma-separated, "
                    "e.g. 10.0.0.0/8,127.0.0.1.",
                    id="alongside.E020",
                )
            )
    return problems


@register(TAG)
def check_shared_cache(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    """Both caches must be seen alike by every process: "shared" holds the public forms'
    throttle, "default" allauth's rate limits and the TOTP codes already used."""
    if settings.TESTING:
        return []
    in_each_process = [
        alias
        for alias in ("default", "shared")
        if settings.CACHES[alias]["BACKEND"].endswith(("locmem.LocMemCache", "dummy.DummyCache"))
    ]
    if not in_each_process:
        return []
    return [
        checks.Warning(
            f"The {' and '.join(in_each_process)} cache lives in each process: the public forms' "
            "throttle, the sign-in rate limits and the TOTP codes already used are not shared "
            "between app servers and start again at each restart.",
            hint="Leave CACHE_URL empty (a table in the database, see `createcachetable`) "
            "or point it at Redis.",
            id="alongside.W020",
        )
    ]


MINIMUM_METRICS_TOKEN_LENGTH = 32


@register(TAG)
def check_metrics(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    """/health/metrics: a token that cannot be guessed, a folder each worker can write in."""
    problems: list[CheckMessage] = []
    token, directory = settings.METRICS_TOKEN, settings.METRICS_DIR
    if token and len(token) < MINIMUM_METRICS_TOKEN_LENGTH:
        problems.append(
            Error(
                f"ALONGSIDE_METRICS_TOKEN is shorter than {MINIMUM_METRICS_TOKEN_LENGTH} "
                "characters: it could be guessed.",
                hint=INDEX_KEY_HINT + ", or leave it empty to turn /health/metrics off.",
                id="alongside.E021",
            )
        )
    if directory and not (os.path.isdir(directory) and os.access(directory, os.W_OK | os.X_OK)):
        problems.append(
            Error(
                f"ALONGSIDE_METRICS_DIR: {directory} is not a folder this process can write in.",
                hint="Create it for the user the app server runs as (e.g. "
                "/run/alongside/metrics, or RuntimeDirectory= in its systemd unit), or leave "
                "it empty with a single app server process.",
                id="alongside.E022",
            )
        )
    if token and not directory and settings.WEB_SERVER["workers"] > 1:
        problems.append(
            Warning(
                "/health/metrics is on and the app server runs "
                f"{settings.WEB_SERVER['workers']} processes without ALONGSIDE_METRICS_DIR: each "
                "scrape shows the requests of whichever process answers it.",
                hint="Set ALONGSIDE_METRICS_DIR to a folder of its own (emptied at each start).",
                id="alongside.W021",
            )
        )
    return problems


@register(TAG)
def check_log_format(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    if settings.LOG_FORMAT in settings.LOG_FORMATS:
        return []
    return [
        Error(
            f"ALONGSIDE_LOG_FORMAT is {settings.LOG_FORMAT!r}.",
            hint=f"Use one of: {', '.join(settings.LOG_FORMATS)}.",
            id="alongside.E023",
        )
    ]


@register(TAG)
def check_sentry_dsn(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    if not settings.SENTRY_DSN:
        return []
    problem = dsn_problem(settings.SENTRY_DSN)
    if problem is None:
        return []
    # The DSN itself is not repeated: it is a credential.
    return [
        Error(
            f"SENTRY_DSN cannot be used ({problem}); errors are not reported.",
            hint="Copy the DSN from the Sentry project's settings (Client Keys), of the form "
            "https://<key>@<host>/<project number>, or leave SENTRY_DSN empty.",
            id="alongside.E024",
        )
    ]
