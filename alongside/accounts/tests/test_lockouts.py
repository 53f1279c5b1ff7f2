"""Sign-in lockouts: how failures are counted, who sees the locks, who lifts them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from alongside.accounts import services
from alongside.accounts.factories import UserFactory, user_with_role
from alongside.accounts.lockouts import typed_email
from alongside.accounts.models import Role, User
from alongside.accounts.queries import lockouts_visible_to
from alongside.core.models import AuditEvent

PROJECT_DIR = Path(__file__).resolve().parents[3]


def lock_out(email: str | None, address: str = "198.51.100.1") -> AccessAttempt:
    return AccessAttempt.objects.create(
        username=email,
        ip_address=address,
        user_agent="test",
        get_data="",
        post_data="",
        http_accept="*/*",
        path_info="/accounts/login/",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
    )


@pytest.fixture
def superuser(db: None) -> User:
    return User.objects.create_superuser(email="root@example.org", password="x" * 12)


# ---- counting against the typed e-mail ------------------------------------------------------


def test_the_lockout_counts_against_the_email_allauth_hands_over():
    assert typed_email(None, {"email": "Alex@Example.org", "password": "***"}) == "alex@example.org"


def test_the_lockout_counts_against_the_email_axes_hands_over_after_a_sign_in():
    assert typed_email(None, {"login": " alex@example.org "}) == "alex@example.org"


def test_the_lockout_reads_the_posted_email_when_no_credentials_are_given():
    request = RequestFactory().post("/accounts/login/", {"login": "ALEX@example.org"})

    assert typed_email(request, None) == "alex@example.org"


def test_no_typed_email_is_none_never_an_empty_name_shared_by_everyone():
    request = RequestFactory().post("/accounts/login/", {"login": "  "})

    assert typed_email(request, {"email": ""}) is None


def test_allauths_count_of_failed_sign_ins_is_off_in_production_so_axes_is_the_one_limiter():
    environment = {
        **os.environ,
        "ALONGSIDE_TESTING": "false",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "a-production-like-secret-key-for-this-one-check-0123456789",
    }
    script = (
        "import django; django.setup(); "
        "from allauth.account import app_settings; "
        "print(app_settings.RATE_LIMITS.get('login_failed'))"
    )

    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == "None"


# ---- who sees the locks ---------------------------------------------------------------------


def test_an_administrator_sees_the_locks_of_people_in_their_programs(
    administrator, coordinator_a, coordinator_b
):
    lock_out(coordinator_a.email)
    lock_out(coordinator_b.email)
    lock_out("nobody@example.org")

    assert [row["username"] for row in lockouts_visible_to(administrator)] == [coordinator_a.email]


def test_a_superuser_sees_every_lock_even_of_emails_without_an_account(superuser, coordinator_a):
    lock_out(coordinator_a.email)
    lock_out("nobody@example.org")

    assert {row["username"] for row in lockouts_visible_to(superuser)} == {
        coordinator_a.email,
        "nobody@example.org",
    }


def test_fewer_failures_than_the_limit_are_not_a_lock(administrator, coordinator_a):
    attempt = lock_out(coordinator_a.email)
    AccessAttempt.objects.filter(pk=attempt.pk).update(failures_since_start=1)

    assert list(lockouts_visible_to(administrator)) == []


def test_a_lock_ends_after_the_cool_off(administrator, coordinator_a):
    lock_out(coordinator_a.email)

    with time_machine.travel(timezone.now() + timezone.timedelta(hours=1, minutes=1)):
        assert list(lockouts_visible_to(administrator)) == []


# ---- the page and lifting -------------------------------------------------------------------


def test_the_locks_page_lists_the_lock_with_a_button_to_lift_it(
    client, administrator, coordinator_a
):
    attempt = lock_out(coordinator_a.email, "198.51.100.9")
    client.force_login(administrator)

    response = client.get(reverse("accounts:lockouts"))

    assert response.status_code == 200
    assert coordinator_a.email in response.text
    assert "198.51.100.9" in response.text
    assert reverse("accounts:lift_lockout", args=[attempt.pk]) in response.text


def test_the_administrators_menu_links_to_the_locks_page(client, administrator):
    client.force_login(administrator)

    response = client.get(reverse("matches:list"))

    assert reverse("accounts:lockouts") in response.text


def test_a_coordinators_menu_does_not_link_to_the_locks_page(client, coordinator_a):
    client.force_login(coordinator_a)

    response = client.get(reverse("matches:list"))

    assert reverse("accounts:lockouts") not in response.text


@pytest.mark.parametrize("persona", ["coordinator_a", "supporter_a", "peer_user"])
def test_nobody_but_an_administrator_opens_the_locks_page(client, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user if isinstance(user, User) else user.user)

    assert client.get(reverse("accounts:lockouts")).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in_from_the_locks_page(client, db):
    response = client.get(reverse("accounts:lockouts"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_an_administrator_lifts_a_lock_and_the_lift_is_audited(
    client, administrator, coordinator_a
):
    attempt = lock_out(coordinator_a.email, "198.51.100.9")
    client.force_login(administrator)

    response = client.post(reverse("accounts:lift_lockout", args=[attempt.pk]))

    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    event = AuditEvent.objects.get(action="accounts.lockout.lifted")
    assert event.actor == administrator
    assert event.target_id == str(coordinator_a.pk)
    assert event.data == {"address": "198.51.100.9", "failures": settings.AXES_FAILURE_LIMIT}


def test_lifting_leaves_the_same_email_locked_from_another_address(administrator, coordinator_a):
    attempt = lock_out(coordinator_a.email, "198.51.100.9")
    lock_out(coordinator_a.email, "198.51.100.10")

    services.lift_lockout(attempt=attempt, lifted_by=administrator)

    assert [row["ip_address"] for row in lockouts_visible_to(administrator)] == ["198.51.100.10"]


def test_an_administrator_cannot_lift_the_lock_of_someone_in_another_program(
    client, administrator, coordinator_b
):
    attempt = lock_out(coordinator_b.email)
    client.force_login(administrator)

    response = client.post(reverse("accounts:lift_lockout", args=[attempt.pk]))

    assert response.status_code == 404
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_a_lift_of_an_email_without_an_account_is_audited_against_the_lock(superuser):
    attempt = lock_out("nobody@example.org")

    services.lift_lockout(attempt=attempt, lifted_by=superuser)

    event = AuditEvent.objects.get(action="accounts.lockout.lifted")
    assert (event.target_type, event.target_id) == ("axes.accessattempt", str(attempt.pk))
    assert "nobody@example.org" not in str(event.data)


def test_a_coordinator_cannot_lift_a_lock(client, program_a, coordinator_a):
    colleague = user_with_role(Role.COORDINATOR, program_a, email="colleague@example.org")
    attempt = lock_out(colleague.email)
    client.force_login(coordinator_a)

    assert client.post(reverse("accounts:lift_lockout", args=[attempt.pk])).status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_a_person_without_a_role_is_not_in_a_program_administrators_list(administrator):
    lock_out(UserFactory(email="peer.person@example.org").email)

    assert list(lockouts_visible_to(administrator)) == []
