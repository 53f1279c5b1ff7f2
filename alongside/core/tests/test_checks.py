from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.checks import CheckMessage, Error, run_checks
from django.test import override_settings

from config import checks

GOOD_SECRET_KEY = "k" * 50
GOOD_FIELD_KEY = Fernet.generate_key().decode()


def ids(messages: list[CheckMessage]) -> list[str | None]:
    return [message.id for message in messages]


@override_settings(TESTING=False, DEBUG=False, SECRET_KEY=GOOD_SECRET_KEY)
def test_a_long_secret_key_passes() -> None:
    assert checks.check_secret_key(None) == []


@override_settings(TESTING=False, DEBUG=False, SECRET_KEY="too-short")
def test_a_short_secret_key_is_refused_outside_debug() -> None:
    messages = checks.check_secret_key(None)

    assert ids(messages) == ["alongside.E001"]
    assert "9 characters" in messages[0].msg


@override_settings(TESTING=False, DEBUG=True, SECRET_KEY="too-short")
def test_a_short_secret_key_is_allowed_in_debug() -> None:
    assert checks.check_secret_key(None) == []


@pytest.mark.parametrize("debug", [True, False])
def test_an_empty_secret_key_is_refused(debug: bool) -> None:
    with override_settings(TESTING=False, DEBUG=debug, SECRET_KEY=""):
        messages = checks.check_secret_key(None)

    assert ids(messages) == ["alongside.E001"]
    assert messages[0].msg == "SECRET_KEY is empty."


@override_settings(TESTING=True, DEBUG=False, SECRET_KEY="")
def test_the_secret_key_is_not_checked_in_the_test_suite() -> None:
    assert checks.check_secret_key(None) == []


@override_settings(FIELD_ENCRYPTION_KEYS=[GOOD_FIELD_KEY, Fernet.generate_key().decode()])
def test_valid_field_keys_pass() -> None:
    assert checks.check_field_encryption_keys(None) == []


@override_settings(FIELD_ENCRYPTION_KEYS=[])
def test_missing_field_keys_are_refused() -> None:
    assert ids(checks.check_field_encryption_keys(None)) == ["alongside.E002"]


@override_settings(FIELD_ENCRYPTION_KEYS=[GOOD_FIELD_KEY, "not-a-fernet-key"])
def test_an_invalid_field_key_is_refused_by_position_without_showing_it() -> None:
    messages = checks.check_field_encryption_keys(None)

    assert ids(messages) == ["alongside.E003"]
    assert "key number 2" in messages[0].msg
    assert "not-a-fernet-key" not in messages[0].msg


@pytest.mark.parametrize("engine", ["django.db.backends.sqlite3", "django.db.backends.postgresql"])
def test_sqlite_and_postgresql_are_supported(engine: str) -> None:
    with override_settings(DATABASES={"default": {"ENGINE": engine, "NAME": "alongside"}}):
        assert checks.check_database_engines(None) == []


def test_other_database_engines_are_refused() -> None:
    databases = {"default": {"ENGINE": "django.db.backends.mysql", "NAME": "alongside"}}
    with override_settings(DATABASES=databases):
        messages = checks.check_database_engines(None)

    assert ids(messages) == ["alongside.E004"]
    assert "django.db.backends.mysql" in messages[0].msg


@override_settings(SMS_BACKEND="django.core.mail.backends.console.EmailBackend")
def test_an_importable_sms_backend_passes() -> None:
    assert checks.check_sms_backend(None) == []


@pytest.mark.parametrize(
    "path", ["alongside.nowhere.SmsBackend", "alongside.core.calendar.NoSuchBackend", "nodots"]
)
def test_an_sms_backend_that_cannot_be_imported_is_refused(path: str) -> None:
    with override_settings(SMS_BACKEND=path):
        messages = checks.check_sms_backend(None)

    assert ids(messages) == ["alongside.E005"]
    assert path in messages[0].msg


def test_the_default_email_backend_can_be_imported() -> None:
    assert checks.check_email_backend(None) == []


def test_an_email_provider_anymail_does_not_have_is_refused() -> None:
    with override_settings(
        MAILERS={"default": {"BACKEND": "anymail.backends.nobody.EmailBackend"}}
    ):
        messages = checks.check_email_backend(None)

    assert ids(messages) == ["alongside.E025"]


@override_settings(EMAIL_PROVIDER="postmark", ANYMAIL={})
def test_an_email_provider_without_a_webhook_secret_is_warned_of() -> None:
    assert ids(checks.check_providers_report_back(None)) == ["alongside.W022"]


@override_settings(
    SMS_BACKEND="alongside.notifications.sms.TwilioSmsBackend",
    TWILIO_ACCOUNT_SID="AC1",
    TWILIO_AUTH_TOKEN="",
    TWILIO_FROM_NUMBER="+15145550000",
)
def test_twilio_without_its_auth_token_is_warned_of() -> None:
    assert ids(checks.check_providers_report_back(None)) == ["alongside.W023"]


def test_providers_set_up_whole_pass() -> None:
    assert checks.check_providers_report_back(None) == []


@override_settings(TIME_ZONE="UTC")
def test_utc_passes() -> None:
    assert checks.check_time_zone(None) == []


@override_settings(TIME_ZONE="America/Toronto")
def test_a_local_time_zone_is_refused() -> None:
    assert ids(checks.check_time_zone(None)) == ["alongside.E006"]


@pytest.mark.parametrize("minutes", [1, 30, 8 * 60])
def test_a_staff_idle_timeout_within_the_absolute_session_limit_passes(minutes: int) -> None:
    with override_settings(STAFF_IDLE_MINUTES=minutes, SESSION_COOKIE_AGE=8 * 60 * 60):
        assert checks.check_staff_idle_minutes(None) == []


@pytest.mark.parametrize("minutes", [-5, 0, 8 * 60 + 1, 24 * 60])
def test_a_staff_idle_timeout_under_a_minute_or_past_the_absolute_limit_is_refused(
    minutes: int,
) -> None:
    with override_settings(STAFF_IDLE_MINUTES=minutes, SESSION_COOKIE_AGE=8 * 60 * 60):
        messages = checks.check_staff_idle_minutes(None)

    assert ids(messages) == ["alongside.E010"]
    assert f"ALONGSIDE_STAFF_IDLE_MINUTES is {minutes}; it must be between 1 and 480" in (
        messages[0].msg
    )


@pytest.mark.parametrize(
    "url",
    [
        "",
        "redis://127.0.0.1:6379/0",
        "redis://localhost",
        "rediss://:secret@redis.example.org:6380/2",
        "unix:///run/redis/redis.sock",
    ],
)
def test_usable_redis_urls_pass(url: str) -> None:
    with override_settings(HUEY_REDIS_URL=url):
        assert checks.check_huey_redis_url(None) == []


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://127.0.0.1:6379/0", "must start with redis://"),
        ("127.0.0.1:6379", "must start with redis://"),
        ("redis://", "names no host"),
        ("redis://127.0.0.1:port/0", "port is not a number"),
        ("redis://127.0.0.1:6379/zero", "database number 'zero'"),
        ("unix://", "path of the socket"),
    ],
)
def test_malformed_redis_urls_are_refused(url: str, problem: str) -> None:
    with override_settings(HUEY_REDIS_URL=url):
        messages = checks.check_huey_redis_url(None)

    assert ids(messages) == ["alongside.E007"]
    assert problem in messages[0].msg


def test_a_redis_password_is_never_shown() -> None:
    with override_settings(HUEY_REDIS_URL="redis://:hunter2@host:port/0"):
        messages = checks.check_huey_redis_url(None)

    assert "hunter2" not in messages[0].msg


@pytest.mark.django_db  # alongside.E008 reads the key-check value
def test_the_checks_are_registered_under_the_alongside_tag() -> None:
    with override_settings(
        TIME_ZONE="Europe/Paris", HUEY_REDIS_URL="http://x", STAFF_IDLE_MINUTES=0
    ):
        messages = run_checks(tags=[checks.TAG])

    assert {"alongside.E006", "alongside.E007", "alongside.E010"} <= set(ids(messages))
    assert all(isinstance(message, Error) for message in messages)


GOOD_INDEX_KEY = "i" * 43


@override_settings(BLIND_INDEX_KEYS=[GOOD_INDEX_KEY], FIELD_ENCRYPTION_KEYS=[GOOD_FIELD_KEY])
def test_a_long_index_key_of_its_own_passes() -> None:
    assert checks.check_blind_index_keys(None) == []


@override_settings(BLIND_INDEX_KEYS=[])
def test_missing_index_keys_are_refused() -> None:
    assert ids(checks.check_blind_index_keys(None)) == ["alongside.E011"]


@override_settings(BLIND_INDEX_KEYS=[GOOD_INDEX_KEY, "short-key"])
def test_a_short_index_key_is_refused_by_position_without_showing_it() -> None:
    messages = checks.check_blind_index_keys(None)

    assert ids(messages) == ["alongside.E012"]
    assert "key number 2 has 9 characters" in messages[0].msg
    assert "short-key" not in messages[0].msg


@pytest.mark.parametrize("setting", ["FIELD_ENCRYPTION_KEYS", "SECRET_KEY"])
def test_an_index_key_that_is_also_another_secret_is_refused(setting: str) -> None:
    other = [GOOD_FIELD_KEY] if setting == "FIELD_ENCRYPTION_KEYS" else GOOD_FIELD_KEY
    with override_settings(BLIND_INDEX_KEYS=[GOOD_FIELD_KEY], **{setting: other}):
        messages = checks.check_blind_index_keys(None)

    assert ids(messages) == ["alongside.E013"]
    assert GOOD_FIELD_KEY not in messages[0].msg


# --- /health/metrics, logs and error reports ----------------------------------------------------


@override_settings(METRICS_TOKEN="", METRICS_DIR="")
def test_metrics_left_off_pass() -> None:
    assert checks.check_metrics(None) == []


@override_settings(METRICS_TOKEN="short-token", METRICS_DIR="")
def test_a_short_metrics_token_is_refused() -> None:
    messages = checks.check_metrics(None)

    assert "alongside.E021" in ids(messages)
    assert "short-token" not in str([message.msg for message in messages])


def test_a_metrics_folder_that_cannot_be_written_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "not-made"
    with override_settings(METRICS_TOKEN="t" * 40, METRICS_DIR=str(missing)):
        assert ids(checks.check_metrics(None)) == ["alongside.E022"]
    with override_settings(METRICS_TOKEN="t" * 40, METRICS_DIR=str(tmp_path)):
        assert checks.check_metrics(None) == []


def test_metrics_of_several_processes_without_a_folder_are_warned_of(settings: Any) -> None:
    settings.METRICS_TOKEN, settings.METRICS_DIR = "t" * 40, ""
    settings.WEB_SERVER = {**settings.WEB_SERVER, "workers": 2}

    assert ids(checks.check_metrics(None)) == ["alongside.W021"]

    settings.WEB_SERVER = {**settings.WEB_SERVER, "workers": 1}
    assert checks.check_metrics(None) == []


@pytest.mark.parametrize("log_format", ["plain", "json"])
def test_the_known_log_formats_pass(log_format: str) -> None:
    with override_settings(LOG_FORMAT=log_format):
        assert checks.check_log_format(None) == []


@override_settings(LOG_FORMAT="xml")
def test_an_unknown_log_format_is_refused() -> None:
    assert ids(checks.check_log_format(None)) == ["alongside.E023"]


@pytest.mark.parametrize("dsn", ["", "https://0123abcd@o1.ingest.example.org/42"])
def test_no_dsn_or_a_well_formed_one_passes(dsn: str) -> None:
    with override_settings(SENTRY_DSN=dsn):
        assert checks.check_sentry_dsn(None) == []


@pytest.mark.parametrize(
    "dsn", ["sentry.example.org", "https://o1.ingest.example.org/42", "https://key@host/project"]
)
def test_a_malformed_dsn_is_refused_without_repeating_it(dsn: str) -> None:
    with override_settings(SENTRY_DSN=dsn):
        messages = checks.check_sentry_dsn(None)

    assert ids(messages) == ["alongside.E024"]
    assert dsn not in messages[0].msg
