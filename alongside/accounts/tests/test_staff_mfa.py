"""Two-step sign-in is required of administrators, coordinators and supervisors."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from alongside.accounts.factories import (
    DEMO_PASSWORD,
    UserFactory,
    authenticator_code,
    code_for_secret,
    give_authenticator_app,
    user_with_role,
)
from alongside.accounts.mfa import StaffMFAAdapter, must_use_mfa
from alongside.accounts.models import Role, User
from alongside.accounts.staff_sessions import OPEN_WITHOUT_MFA
from alongside.core.access import ACCESS_ATTRIBUTE
from tests.test_access import Route, walk

SETUP = "/accounts/2fa/totp/activate/"
SAMPLE_ARGUMENTS = {
    "int": "1",
    "slug": "a",
    "str": "a",
    "path": "a",
    "uuid": "00000000-0000-0000-0000-000000000001",
}


def concrete_path(route: str) -> str:
    return "/" + re.sub(
        r"<(?:(\w+):)?\w+>", lambda found: SAMPLE_ARGUMENTS[found.group(1) or "str"], route
    )


def open_without_mfa(route: Route) -> bool:
    return (
        getattr(route.callback, ACCESS_ATTRIBUTE, None) == "public"
        or route.name in OPEN_WITHOUT_MFA
    )


def every_page() -> list[Route]:
    # allauth's two regular-expression routes (e-mail confirmation and password reset keys)
    # are the only ones without a path converter to fill in; both are for signed-out people.
    return [route for route in walk() if "^" not in route.route]


@pytest.fixture(params=["coordinator", "supervisor", "administrator", "superuser"])
def staff_without_mfa(request: pytest.FixtureRequest, program_a) -> User:
    if request.param == "superuser":
        return User.objects.create_superuser(email="root@example.org", password="x" * 12)
    role = Role(request.param)
    return user_with_role(role, program_a, authenticator_app=False)


def test_staff_without_an_authenticator_app_are_sent_to_set_it_up_from_every_staff_page(
    client, staff_without_mfa
):
    client.force_login(staff_without_mfa)
    wrong = []

    for route in every_page():
        path = concrete_path(route.route)
        response = client.get(path)
        if open_without_mfa(route):
            if response.get("Location", "").startswith(SETUP):
                wrong.append(f"{path}: sent to set up, but it should stay open")
        elif route.mounted_under == "api/v1/":
            if response.status_code != 403 or "two-step" not in response.json()["detail"]:
                wrong.append(f"{path}: API answered {response.status_code}, not 403 JSON")
        elif response.status_code != 302 or response["Location"] != SETUP:
            wrong.append(f"{path}: answered {response.status_code}, not a redirect to set up")

    assert wrong == []


def test_the_set_up_pages_sign_out_and_public_pages_stay_open_without_an_authenticator_app(
    client, program_a
):
    coordinator = user_with_role(Role.COORDINATOR, program_a, authenticator_app=False)
    client.force_login(coordinator)

    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("intake:request_support", args=[program_a.slug])).status_code == 200
    assert client.post(reverse("account_logout"))["Location"] == "/"


def test_an_htmx_request_is_sent_to_set_up_with_a_full_page_redirect(client, program_a):
    coordinator = user_with_role(Role.COORDINATOR, program_a, authenticator_app=False)
    client.force_login(coordinator)

    response = client.get(reverse("intake:queue"), headers={"HX-Request": "true"})

    assert response["HX-Redirect"] == SETUP


def test_coordinators_supervisors_and_administrators_with_an_authenticator_app_pass(
    client, program_a, coordinator_a, administrator
):
    supervisor = user_with_role(Role.SUPERVISOR, program_a)
    superuser = User.objects.create_superuser(email="root@example.org", password="x" * 12)
    give_authenticator_app(superuser)

    for user, page in (
        (coordinator_a, reverse("intake:queue")),
        (coordinator_a, reverse("api:matches")),
        (administrator, reverse("intake:queue")),
        (supervisor, reverse("supporters:supervisees")),
        (superuser, reverse("admin:index")),
    ):
        client.force_login(user)
        assert client.get(page).status_code == 200, (user, page)


def test_supporters_and_referrers_are_not_asked_for_two_step_sign_in(
    client, program_a, supporter_a
):
    referrer = user_with_role(Role.REFERRER, program_a)

    client.force_login(supporter_a.user)
    assert client.get(reverse("matches:list")).status_code == 200
    client.force_login(referrer)
    assert client.get(reverse("resources:directory")).status_code == 200
    assert not Authenticator.objects.filter(user__in=[supporter_a.user, referrer]).exists()


def test_who_must_use_two_step_sign_in(program_a, supporter_a):
    assert must_use_mfa(user_with_role(Role.COORDINATOR, program_a))
    assert must_use_mfa(user_with_role(Role.SUPERVISOR, program_a))
    assert must_use_mfa(user_with_role(Role.ADMINISTRATOR, program_a))
    assert must_use_mfa(UserFactory(is_staff=True))
    assert not must_use_mfa(supporter_a.user)
    assert not must_use_mfa(user_with_role(Role.REFERRER, program_a))


def test_staff_cannot_turn_their_authenticator_app_off_but_a_supporter_can(
    program_a, coordinator_a, supporter_a
):
    give_authenticator_app(supporter_a.user)
    adapter = StaffMFAAdapter()

    staff_app = Authenticator.objects.get(user=coordinator_a, type=Authenticator.Type.TOTP)
    supporter_app = Authenticator.objects.get(user=supporter_a.user, type=Authenticator.Type.TOTP)
    assert not adapter.can_delete_authenticator(staff_app)
    assert adapter.can_delete_authenticator(supporter_app)


def sign_in_with_password(client, email: str):
    return client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})


def test_a_new_coordinator_sets_up_the_app_at_first_sign_in_and_types_a_code_after(
    client, program_a
):
    coordinator = user_with_role(
        Role.COORDINATOR, program_a, authenticator_app=False, email="new@example.org"
    )

    signed_in = sign_in_with_password(client, coordinator.email)
    landing = client.get(signed_in["Location"], follow=True)
    assert landing.redirect_chain[-1][0] == SETUP
    secret = re.search(r'id="setup-key"[^>]*>(\w+)<', landing.content.decode()).group(1)
    turned_on = client.post(SETUP, {"code": code_for_secret(secret)})
    assert turned_on["Location"] == reverse("mfa_view_recovery_codes")
    codes = client.get(turned_on["Location"])
    assert len(codes.context["unused_codes"]) == 10
    assert client.get(reverse("intake:queue")).status_code == 200

    client.post(reverse("account_logout"))
    second = sign_in_with_password(client, coordinator.email)
    assert second["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("intake:queue")).status_code == 302  # not signed in yet
    typed = client.post(second["Location"], {"code": authenticator_code(coordinator)})
    assert client.get(typed["Location"], follow=True).status_code == 200
    assert client.get(reverse("intake:queue")).status_code == 200


def test_a_wrong_code_keeps_the_coordinator_out_and_says_so(client, coordinator_a):
    second = sign_in_with_password(client, coordinator_a.email)

    response = client.post(second["Location"], {"code": "000000"})

    assert "That code did not work" in response.content.decode()
    assert client.get(reverse("intake:queue"))["Location"].startswith(reverse("account_login"))
