"""Lifting a sign-in lock asks first: the page says who may try again from where."""

from axes.models import AccessAttempt
from django.urls import reverse

from alongside.accounts.tests.test_lockouts import lock_out
from alongside.core.models import AuditEvent


def test_lift_the_lock_opens_a_page_saying_what_it_lets_happen_and_lifts_nothing(
    client, administrator, coordinator_a
):
    attempt = lock_out(coordinator_a.email, "198.51.100.9")
    client.force_login(administrator)
    lift = reverse("accounts:lift_lockout", args=[attempt.pk])
    assert f'href="{lift}"' in client.get(reverse("accounts:lockouts")).text

    page = client.get(lift).text

    assert f"Lift the lock on {coordinator_a.email}?" in page
    assert "from 198.51.100.9 can try again at once" in page
    assert "Nobody is sent a message." in page
    assert f'href="{reverse("accounts:lockouts")}"' in page
    assert AccessAttempt.objects.count() == 1
    assert not AuditEvent.objects.filter(action="accounts.lockout.lifted").exists()


def test_lifting_twice_lifts_once(client, administrator, coordinator_a):
    attempt = lock_out(coordinator_a.email, "198.51.100.9")
    client.force_login(administrator)
    lift = reverse("accounts:lift_lockout", args=[attempt.pk])

    assert client.post(lift).status_code == 302
    second = client.post(lift)

    assert second.status_code == 404
    assert AuditEvent.objects.filter(action="accounts.lockout.lifted").count() == 1
