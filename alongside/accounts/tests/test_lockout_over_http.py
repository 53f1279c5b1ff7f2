"""Sign-in lockout, tried from outside as the finding was: a real server, plain HTTP requests.

The live server listens on 127.0.0.1; trusting it as a reverse proxy lets each test speak for
several clients through X-Forwarded-For, as a proxy in front of Alongside would.
"""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, override_settings

from alongside.accounts.factories import DEMO_PASSWORD, user_with_role
from alongside.accounts.models import Role, User
from alongside.core.models import AuditEvent

ADDRESS_A = "198.51.100.10"
ADDRESS_B = "198.51.100.20"
ADMIN_ADDRESS = "203.0.113.7"
LOGIN_PATH = "/accounts/login/"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class Answer:
    status: int
    location: str
    body: str


@dataclass
class Visitor:
    """One browser behind the proxy: its own cookies, its own forwarded address."""

    base_url: str
    address: str
    cookies: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)

    def __post_init__(self) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects()
        )

    def request(self, path: str, data: dict[str, str] | None = None) -> Answer:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(  # noqa: S310  (our own live server)
            self.base_url + path, data=body, headers={"X-Forwarded-For": self.address}
        )
        try:
            with self.opener.open(request, timeout=20) as response:
                return Answer(response.status, "", response.read().decode())
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx and 5xx
            return Answer(error.code, error.headers.get("Location", ""), error.read().decode())

    def post_form(self, path: str, data: dict[str, str]) -> Answer:
        page = self.request(path)
        token = CSRF_INPUT.search(page.body)
        assert token, f"no CSRF token on {path} ({page.status})"
        return self.request(path, {**data, "csrfmiddlewaretoken": token.group(1)})

    def sign_in(self, email: str, password: str) -> Answer:
        return self.post_form(LOGIN_PATH, {"login": email, "password": password})


def password_accepted(answer: Answer) -> bool:
    """Sent on (home, or the second step for staff), not back to the form nor refused."""
    return answer.status == 302 and not answer.location.startswith(LOGIN_PATH)


def fail_five_times(visitor: Visitor, email: str) -> None:
    """Four wrong passwords bring the form back with its error; the fifth locks."""
    answers = [
        visitor.sign_in(email, "not the password").status
        for _attempt in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert answers == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]


@pytest.fixture
def behind_proxy(live_server: Any) -> Any:
    with override_settings(ALONGSIDE_TRUSTED_PROXIES=["127.0.0.1"]):
        yield live_server


@pytest.fixture
def coordinator(program_a: Any) -> User:
    return user_with_role(Role.COORDINATOR, program_a, email="on.call@example.org")


@pytest.fixture
def other_coordinator(program_a: Any) -> User:
    return user_with_role(Role.COORDINATOR, program_a, email="colleague@example.org")


def test_five_wrong_passwords_for_a_stranger_address_lock_no_real_coordinator_out(
    live_server: Any, coordinator: User
) -> None:
    stranger = Visitor(live_server.url, ADDRESS_A)

    fail_five_times(stranger, "nobody-here@example.org")

    assert password_accepted(
        Visitor(live_server.url, ADDRESS_A).sign_in(coordinator.email, DEMO_PASSWORD)
    )


def test_five_wrong_passwords_lock_that_email_from_that_address_only(
    behind_proxy: Any, coordinator: User, other_coordinator: User
) -> None:
    fail_five_times(Visitor(behind_proxy.url, ADDRESS_A), coordinator.email.upper())

    locked = Visitor(behind_proxy.url, ADDRESS_A).sign_in(coordinator.email, DEMO_PASSWORD)
    from_elsewhere = Visitor(behind_proxy.url, ADDRESS_B).sign_in(coordinator.email, DEMO_PASSWORD)
    colleague = Visitor(behind_proxy.url, ADDRESS_A).sign_in(other_coordinator.email, DEMO_PASSWORD)

    assert locked.status == 429
    assert password_accepted(from_elsewhere)
    assert password_accepted(colleague)


def test_the_locked_out_page_is_in_the_sites_layout_and_says_for_how_long(
    behind_proxy: Any, coordinator: User
) -> None:
    visitor = Visitor(behind_proxy.url, ADDRESS_A)
    fail_five_times(visitor, coordinator.email)

    page = visitor.sign_in(coordinator.email, DEMO_PASSWORD)

    assert page.status == 429
    assert 'id="main"' in page.body
    assert 'aria-label="Main"' in page.body
    assert "<h1" in page.body
    assert "Signing in is paused" in page.body
    assert re.search(r"You can try again in (60|59) minutes, at \d", page.body)


def test_tries_during_a_lockout_do_not_push_its_end_back(
    behind_proxy: Any, coordinator: User
) -> None:
    visitor = Visitor(behind_proxy.url, ADDRESS_A)
    fail_five_times(visitor, coordinator.email)
    first = re.search(r"at ([\d:apm. ]+)", visitor.sign_in(coordinator.email, "again").body)
    later = re.search(r"at ([\d:apm. ]+)", visitor.sign_in(coordinator.email, "again").body)

    assert first
    assert later
    assert first.group(1) == later.group(1)


def test_an_administrator_lifts_the_lock_and_the_person_signs_in_and_the_lift_is_audited(
    behind_proxy: Any, coordinator: User, administrator: User
) -> None:
    person = Visitor(behind_proxy.url, ADDRESS_A)
    fail_five_times(person, coordinator.email)
    assert person.sign_in(coordinator.email, DEMO_PASSWORD).status == 429
    admin = Visitor(behind_proxy.url, ADMIN_ADDRESS)
    admin_session = Client()
    admin_session.force_login(administrator)
    admin.cookies.set_cookie(_session_cookie(admin_session, behind_proxy.url))

    listing = admin.request("/sign-in-locks/")
    lift_path = re.search(r'href="(/sign-in-locks/\d+/lift/)"', listing.body)
    assert listing.status == 200
    assert coordinator.email in listing.body
    assert ADDRESS_A in listing.body
    assert lift_path
    confirmation = admin.request(lift_path.group(1))
    assert "Lift the lock on" in confirmation.body
    token = CSRF_INPUT.search(confirmation.body)
    assert token
    lifted = admin.request(lift_path.group(1), {"csrfmiddlewaretoken": token.group(1)})

    assert lifted.status == 302
    assert password_accepted(person.sign_in(coordinator.email, DEMO_PASSWORD))
    event = AuditEvent.objects.get(action="accounts.lockout.lifted")
    assert event.actor == administrator
    assert (event.target_type, event.target_id) == ("accounts.user", str(coordinator.pk))
    assert event.data["address"] == ADDRESS_A
    assert event.ip_address == ADMIN_ADDRESS


def _session_cookie(client: Client, base_url: str) -> http.cookiejar.Cookie:
    """The test client's session cookie, for the live server's host (as the cookie jar names it)."""
    morsel = client.cookies[settings.SESSION_COOKIE_NAME]
    host = urllib.parse.urlsplit(base_url).hostname or ""
    return http.cookiejar.Cookie(
        version=0,
        name=morsel.key,
        value=morsel.value,
        port=None,
        port_specified=False,
        domain=host if "." in host else f"{host}.local",
        domain_specified=False,
        domain_initial_dot=False,
        path="/",
        path_specified=True,
        secure=False,
        expires=None,
        discard=True,
        comment=None,
        comment_url=None,
        rest={},
    )
