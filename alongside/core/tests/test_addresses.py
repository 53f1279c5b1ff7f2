"""The client's address behind a reverse proxy; the throttle counted where every process sees it."""

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from alongside.core.access import public_form_used_up
from alongside.core.addresses import client_address
from alongside.core.audit import record_event
from alongside.core.middleware import RequestOriginMiddleware
from alongside.core.models import AuditEvent
from config.checks import check_shared_cache, check_trusted_proxies

PROJECT_DIR = Path(__file__).resolve().parents[3]
PROXY = "10.0.0.5"
CLIENT_A = "203.0.113.1"
CLIENT_B = "203.0.113.2"
LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
behind_our_proxy = override_settings(ALONGSIDE_TRUSTED_PROXIES=["10.0.0.0/24"])


def request_from(peer: str, forwarded_for: str | None = None, method: str = "get") -> HttpRequest:
    headers = {"REMOTE_ADDR": peer}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return getattr(RequestFactory(), method)("/", **headers)  # type: ignore[no-any-return]


# ---- whose address ----------------------------------------------------------------------------


def test_without_trusted_proxies_the_forwarded_header_is_ignored():
    assert client_address(request_from(CLIENT_A, forwarded_for=CLIENT_B)) == CLIENT_A


def test_the_trusted_proxies_are_none_by_default(settings):
    assert settings.ALONGSIDE_TRUSTED_PROXIES == []


@behind_our_proxy
def test_behind_a_trusted_proxy_the_client_is_the_address_it_forwards_for():
    assert client_address(request_from(PROXY, forwarded_for=CLIENT_A)) == CLIENT_A


@behind_our_proxy
def test_a_stranger_who_is_not_our_proxy_cannot_claim_another_address():
    assert client_address(request_from(CLIENT_B, forwarded_for=CLIENT_A)) == CLIENT_B


@behind_our_proxy
def test_an_address_a_client_wrote_before_our_proxy_added_theirs_is_not_believed():
    # The client sent "X-Forwarded-For: 203.0.113.1"; our proxy appended the address it saw.
    assert client_address(request_from(PROXY, forwarded_for=f"{CLIENT_A}, {CLIENT_B}")) == CLIENT_B


@behind_our_proxy
def test_every_hop_through_our_own_proxies_is_skipped():
    chain = f"{CLIENT_A}, 10.0.0.7, 10.0.0.6"

    assert client_address(request_from(PROXY, forwarded_for=chain)) == CLIENT_A


@behind_our_proxy
def test_a_trusted_proxy_without_a_forwarded_header_is_the_client():
    assert client_address(request_from(PROXY)) == PROXY


@behind_our_proxy
def test_a_malformed_forwarded_header_is_not_believed():
    assert client_address(request_from(PROXY, forwarded_for="not an address")) == PROXY


@override_settings(ALONGSIDE_TRUSTED_PROXIES=["2001:db8::/32"])
def test_proxies_and_clients_may_be_ipv6():
    request = request_from("2001:db8::1", forwarded_for="2001:db8:ffff::1, [2606:4700::1111]")

    assert client_address(request) == "2606:4700::1111"


# ---- the throttle of the public forms ---------------------------------------------------------


def use_up(request_for: Callable[[], HttpRequest], times: int, group: str = "test.form") -> None:
    for _submission in range(times):
        public_form_used_up(request_for(), group, count_this_one=True)


def is_used_up(request: HttpRequest, group: str = "test.form") -> bool:
    return public_form_used_up(request, group, count_this_one=False)


@pytest.fixture
def two_per_hour(settings: Any) -> None:
    settings.PUBLIC_FORM_RATE_LIMIT = 2


def test_without_trusted_proxies_a_stranger_cannot_dodge_the_throttle_with_a_header(
    db, two_per_hour
):
    claimed = iter(["198.51.100.1", "198.51.100.2"])
    use_up(lambda: request_from(CLIENT_A, forwarded_for=next(claimed), method="post"), 2)

    assert is_used_up(request_from(CLIENT_A, forwarded_for="198.51.100.250", method="post"))


@behind_our_proxy
def test_two_clients_behind_the_trusted_proxy_have_their_own_throttles(db, two_per_hour):
    use_up(lambda: request_from(PROXY, forwarded_for=CLIENT_A, method="post"), 2)

    assert is_used_up(request_from(PROXY, forwarded_for=CLIENT_A, method="post"))
    assert not is_used_up(request_from(PROXY, forwarded_for=CLIENT_B, method="post"))


def test_the_throttle_is_counted_in_the_shared_cache_not_in_the_process(db, two_per_hour):
    use_up(lambda: request_from(CLIENT_A, method="post"), 2)
    for cache in caches.all(initialized_only=True):
        if cache is not caches["shared"]:
            cache.clear()

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM alongside_shared_cache")
        (rows,) = cursor.fetchone()
    assert rows >= 1
    assert is_used_up(request_from(CLIENT_A, method="post"))


def _database_url() -> str:
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    credentials = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    return (
        f"postgres://{credentials}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
        f"/{database['NAME']}"
    )


def test_another_process_sees_the_throttle_count(transactional_db, two_per_hour):
    use_up(lambda: request_from(CLIENT_A, method="post"), 2)
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings; settings.PUBLIC_FORM_RATE_LIMIT = 2\n"
        "from django.test import RequestFactory\n"
        "from alongside.core.access import public_form_used_up\n"
        f"request = RequestFactory().post('/', REMOTE_ADDR='{CLIENT_A}')\n"
        "print(public_form_used_up(request, 'test.form', count_this_one=False))\n"
    )
    environment = {
        **os.environ,
        "ALONGSIDE_TESTING": "true",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": _database_url(),
    }
    environment.pop("CACHE_URL", None)

    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == "True"


# ---- audit events say where the request came from ---------------------------------------------


def _recording(program: Any) -> Callable[[HttpRequest], HttpResponse]:
    def view(request: HttpRequest) -> HttpResponse:
        record_event(actor=None, action="test.something.done", target=program)
        return HttpResponse()

    return view


@behind_our_proxy
def test_behind_the_trusted_proxy_audit_events_carry_each_clients_own_address(program_a):
    middleware = RequestOriginMiddleware(_recording(program_a))

    middleware(request_from(PROXY, forwarded_for=CLIENT_A))
    middleware(request_from(PROXY, forwarded_for=CLIENT_B))

    assert list(
        AuditEvent.objects.filter(action="test.something.done")
        .order_by("pk")
        .values_list("ip_address", flat=True)
    ) == [CLIENT_A, CLIENT_B]


def test_without_trusted_proxies_nobody_frames_another_address_in_the_audit(program_a):
    RequestOriginMiddleware(_recording(program_a))(request_from(CLIENT_A, forwarded_for=CLIENT_B))

    assert AuditEvent.objects.get(action="test.something.done").ip_address == CLIENT_A


# ---- the configuration is checked at start ----------------------------------------------------


@override_settings(ALONGSIDE_TRUSTED_PROXIES=["10.0.0.0/8", "10.0.0.0/33", "nginx"])
def test_the_system_check_names_each_trusted_proxy_that_is_no_address():
    errors = check_trusted_proxies(None)

    assert [error.id for error in errors] == ["alongside.E020", "alongside.E020"]
    assert "'10.0.0.0/33'" in errors[0].msg
    assert "'nginx'" in errors[1].msg


def test_the_system_check_warns_when_the_shared_cache_lives_in_each_process(settings):
    settings.TESTING = False
    settings.CACHES = {**settings.CACHES, "shared": {"BACKEND": LOCMEM}}

    assert [warning.id for warning in check_shared_cache(None)] == ["alongside.W020"]


def test_the_system_check_warns_when_the_default_cache_lives_in_each_process(settings):
    settings.TESTING = False
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": LOCMEM}}

    warnings = check_shared_cache(None)

    assert [warning.id for warning in warnings] == ["alongside.W020"]
    assert warnings[0].msg.startswith("The default cache lives in each process")


def test_the_database_cache_is_shared_by_default(settings):
    assert settings.CACHES["shared"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert settings.RATELIMIT_USE_CACHE == "shared"
