"""A start with field keys that cannot open the stored data is refused (alongside.E008), with
the check run in process and by real `manage.py` and WSGI processes against the test database."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import override_settings

from alongside.core import field_keys
from alongside.core.models import FieldKeyCheck
from alongside.core.tests.web_server import collected_static
from config import checks, test_keys

BASE_DIR = Path(settings.BASE_DIR)
KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
INDEX_KEY = secrets.token_urlsafe(32)
REFUSAL = "ALONGSIDE_FIELD_KEYS cannot open the data already stored"


def stored_peer(*, key: str, email: str = "sam@x.example") -> int:
    """A peer whose contact details were encrypted with `key`; returns its pk."""
    program_model = apps.get_model("programs", "Program")
    peer_model = apps.get_model("intake", "Peer")
    with override_settings(FIELD_ENCRYPTION_KEYS=[key]):
        program, _ = program_model.objects.get_or_create(slug="keys", defaults={"name": "Keys"})
        return int(peer_model.objects.create(program=program, first_name="Sam", email=email).pk)


def ids(messages: list[checks.CheckMessage]) -> list[str | None]:
    return [message.id for message in messages]


# --- the check, in process -------------------------------------------------------------------


@pytest.mark.django_db
def test_migrate_records_the_key_in_use() -> None:
    token = FieldKeyCheck.objects.get().token

    assert field_keys.opens(token)


@pytest.mark.django_db
def test_keys_that_open_the_key_check_value_pass() -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        field_keys.write_key_check()

    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        assert checks.check_field_keys_open_stored_data(None) == []


@pytest.mark.django_db
def test_keys_that_cannot_open_the_key_check_value_are_refused() -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        field_keys.write_key_check()

    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B]):
        messages = checks.check_field_keys_open_stored_data(None)

    assert ids(messages) == ["alongside.E008"]
    assert messages[0].msg.startswith(f"{REFUSAL}: none of its keys opens the key-check value")
    assert KEY_A not in messages[0].msg
    assert KEY_B not in messages[0].msg


@pytest.mark.django_db
def test_without_a_key_check_value_stored_values_no_key_opens_are_refused() -> None:
    FieldKeyCheck.objects.all().delete()
    stored_peer(key=KEY_A)

    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B]):
        messages = checks.check_field_keys_open_stored_data(None)
        assert not field_keys.write_key_check_if_missing()

    assert ids(messages) == ["alongside.E008"]
    assert "intake.Peer" in messages[0].msg
    assert not FieldKeyCheck.objects.exists()


@pytest.mark.django_db
def test_a_few_unreadable_values_among_readable_ones_only_warn() -> None:
    stored_peer(key=test_keys.TEST_FIELD_KEY)
    stored_peer(key=KEY_B)

    messages = checks.check_field_keys_open_stored_data(None)

    assert ids(messages) == ["alongside.W001"]
    assert "intake.Peer" in messages[0].msg
    assert "list_unreadable_fields" in str(messages[0].hint)


@pytest.mark.django_db
def test_empty_or_invalid_keys_are_left_to_their_own_checks() -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=["not-a-key"]):
        assert checks.check_field_keys_open_stored_data(None) == []


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        (
            {
                "SECRET_KEY": test_keys.TEST_SECRET_KEY,
                "FIELD_ENCRYPTION_KEYS": [KEY_A],
                "BLIND_INDEX_KEYS": [INDEX_KEY],
            },
            "SECRET_KEY is the test suite's key",
        ),
        (
            {
                "SECRET_KEY": "k" * 50,
                "FIELD_ENCRYPTION_KEYS": [KEY_A, test_keys.TEST_FIELD_KEY],
                "BLIND_INDEX_KEYS": [INDEX_KEY],
            },
            "ALONGSIDE_FIELD_KEYS holds the test suite's key",
        ),
        (
            {
                "SECRET_KEY": "k" * 50,
                "FIELD_ENCRYPTION_KEYS": [KEY_A],
                "BLIND_INDEX_KEYS": [test_keys.TEST_INDEX_KEY],
            },
            "ALONGSIDE_INDEX_KEYS holds the test suite's key",
        ),
    ],
)
def test_the_test_suites_keys_are_refused_outside_the_tests(
    changes: dict[str, object], problem: str
) -> None:
    with override_settings(TESTING=False, **changes):
        messages = checks.check_test_keys_stay_in_tests(None)

    assert ids(messages) == ["alongside.E009"]
    assert messages[0].msg.startswith(problem)


# --- real processes --------------------------------------------------------------------------


def database_url() -> str:
    """The test database, as a URL another process can open."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    user = database.get("USER") or ""
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host = database.get("HOST") or "127.0.0.1"
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{database['NAME']}"


def production_environment(*, field_keys: str, url: str) -> dict[str, str]:
    """Settings as an installation has them: not test mode, its own keys, this database."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("PYTEST", "ALONGSIDE_", "DJANGO_"))
    }
    environment.update(
        ALONGSIDE_TESTING="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALONGSIDE_FIELD_KEYS=field_keys,
        ALONGSIDE_INDEX_KEYS=secrets.token_urlsafe(32),
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="config.settings",
        ALONGSIDE_HTTPS="false",
        DJANGO_DEBUG="false",
        HUEY_REDIS_URL="",
        PYTHONUNBUFFERED="1",
    )
    return environment


def run(arguments: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(environment: dict[str, str]) -> tuple[subprocess.Popen[str], int]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return server, port


def first_answer(server: subprocess.Popen[str], port: int) -> int | None:
    """The status of the login page once the server answers; None if it exits first."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return None
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/accounts/login/", timeout=5
            ) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)
        except OSError:
            time.sleep(0.3)
    raise AssertionError("runserver neither answered nor exited within 60 seconds")


@pytest.fixture
def data_stored_with_key_a(transactional_db: None) -> str:
    """The test database, committed, holding a peer and the key-check value under key A."""
    stored_peer(key=KEY_A)
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        field_keys.write_key_check()
    return database_url()


def test_manage_py_check_refuses_a_key_that_cannot_open_the_stored_data(
    data_stored_with_key_a: str,
) -> None:
    refused = run(
        ["manage.py", "check"], production_environment(field_keys=KEY_B, url=data_stored_with_key_a)
    )
    accepted = run(
        ["manage.py", "check"], production_environment(field_keys=KEY_A, url=data_stored_with_key_a)
    )

    assert refused.returncode == 1, refused.stdout
    assert "alongside.E008" in refused.stderr
    assert REFUSAL in refused.stderr
    assert KEY_B not in refused.stderr
    assert accepted.returncode == 0, accepted.stderr


def test_runserver_refuses_to_start_with_the_wrong_key_and_serves_with_the_right_one(
    data_stored_with_key_a: str,
) -> None:
    wrong, wrong_port = serve(production_environment(field_keys=KEY_B, url=data_stored_with_key_a))
    try:
        assert first_answer(wrong, wrong_port) is None
        _, errors = wrong.communicate(timeout=30)
    finally:
        wrong.kill()
        wrong.wait()
    assert wrong.returncode == 1
    assert REFUSAL in errors

    right, right_port = serve(
        collected_static(production_environment(field_keys=KEY_A, url=data_stored_with_key_a))
    )
    try:
        status = first_answer(right, right_port)
    finally:
        right.terminate()
        _, errors = right.communicate(timeout=30)
    assert status == 200, errors


def test_the_wsgi_application_refuses_to_load_with_the_wrong_key(
    data_stored_with_key_a: str,
) -> None:
    load = ["-c", "import config.wsgi"]
    both_keys = production_environment(field_keys=f"{KEY_B},{KEY_A}", url=data_stored_with_key_a)

    refused = run(load, production_environment(field_keys=KEY_B, url=data_stored_with_key_a))
    accepted = run(load, collected_static(both_keys))

    assert refused.returncode != 0
    assert "alongside.E008" in refused.stderr
    assert accepted.returncode == 0, accepted.stderr


@pytest.fixture
def fresh_database_url(tmp_path: Path) -> Iterator[str]:
    """An empty database nobody has migrated: a new SQLite file, or a new PostgreSQL database."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    name = f"alongside_fresh_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url().rsplit("/", 1)[0] + f"/{name}"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_migrate_works_on_a_fresh_database_and_records_its_key(fresh_database_url: str) -> None:
    url = fresh_database_url
    fresh_check = run(["manage.py", "check"], production_environment(field_keys=KEY_A, url=url))
    migrated = run(
        ["manage.py", "migrate", "--noinput"], production_environment(field_keys=KEY_A, url=url)
    )
    refused = run(["manage.py", "check"], production_environment(field_keys=KEY_B, url=url))

    assert fresh_check.returncode == 0, fresh_check.stderr
    assert migrated.returncode == 0, migrated.stderr
    assert refused.returncode == 1
    assert REFUSAL in refused.stderr


def test_importing_pytest_does_not_turn_on_test_mode() -> None:
    environment = production_environment(field_keys=KEY_A, url="sqlite:///:memory:")
    del environment["ALONGSIDE_TESTING"]

    shown = run(
        [
            "-c",
            "import pytest, django; django.setup(); from django.conf import settings; "
            "print(settings.TESTING, settings.FIELD_ENCRYPTION_KEYS == "
            f"[{test_keys.TEST_FIELD_KEY!r}])",
        ],
        environment,
    )

    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split() == ["False", "False"]


def test_the_test_suite_runs_in_test_mode() -> None:
    assert os.environ["ALONGSIDE_TESTING"] == "true"
    assert settings.TESTING
