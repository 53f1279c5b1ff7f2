"""Inviting a person: one e-mail with a link that sets a password once and expires."""

import re

import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.factories import UserFactory
from alongside.accounts.invitations import LinkState, open_link
from alongside.accounts.models import Membership, Role, User
from alongside.accounts.services import invite_person, renew_invitation
from alongside.core.models import AuditEvent
from alongside.notifications.models import OutboxMessage

LINK = re.compile(r"https?://[^/\s]+(/welcome/(\w+)/([\w-]+)/)")


def link_in(body: str) -> tuple[str, str, str]:
    found = LINK.search(body)
    assert found, body
    return found.group(1), found.group(2), found.group(3)


def invite(program=None, role=None, by=None, email="sam@example.org"):
    return invite_person(email=email, first_name="Sam", program=program, role=role, invited_by=by)


def test_inviting_a_new_person_opens_an_account_without_a_password(db):
    invitation = invite()

    user = User.objects.get(email="sam@example.org")
    assert invitation.user == user
    assert invitation.created
    assert invitation.sent
    assert not user.has_usable_password()
    assert user.first_name == "Sam"


def test_the_invitation_is_an_email_with_a_link_to_choose_a_password(
    db, program_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(program=program_a, role=Role.SUPPORTER)

    (email,) = mail.outbox
    assert email.to == ["sam@example.org"]
    assert "choose your password" in email.subject
    assert program_a.name in email.body
    assert "7 days" in email.body
    _path, account, token = link_in(email.body)
    assert open_link(account, token).state == LinkState.VALID


def test_the_invitation_is_sent_once_however_often_the_person_is_invited(
    db, program_a, program_b, coordinator_a
):
    invite(program=program_a, role=Role.SUPPORTER, by=coordinator_a)
    again = invite(program=program_a, role=Role.SUPPORTER, by=coordinator_a)
    elsewhere = invite(program=program_b, role=Role.REFERRER, by=coordinator_a)

    assert not again.sent
    assert not elsewhere.sent
    assert not again.created
    assert OutboxMessage.objects.filter(kind="accounts.invitation.sent").count() == 1
    assert AuditEvent.objects.filter(action="accounts.invitation.sent").count() == 1


def test_inviting_gives_the_role_in_the_program_and_audits_it(db, program_a, coordinator_a):
    invitation = invite(program=program_a, role=Role.COORDINATOR, by=coordinator_a)

    assert Membership.objects.filter(
        user=invitation.user, program=program_a, role=Role.COORDINATOR, is_active=True
    ).exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"accounts.user.created", "accounts.role.granted", "accounts.invitation.sent"} <= (
        actions
    )


def test_a_person_who_already_has_a_password_gets_the_role_but_no_invitation(
    db, program_a, coordinator_a
):
    existing = UserFactory(email="sam@example.org")

    invitation = invite(program=program_a, role=Role.REFERRER, by=coordinator_a)

    assert invitation.user == existing
    assert not invitation.sent
    assert not invitation.created
    assert existing.memberships.filter(role=Role.REFERRER).exists()
    assert not OutboxMessage.objects.exists()


def test_the_link_expires_after_seven_days(db):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        invitation = invite()
        _path, account, token = link_in(OutboxMessage.objects.get().body)

        traveller.shift(timezone.timedelta(days=6, hours=23))
        assert open_link(account, token).state == LinkState.VALID
        traveller.shift(timezone.timedelta(hours=2))
        opened = open_link(account, token)

    assert opened.state == LinkState.EXPIRED
    assert opened.user == invitation.user


def test_the_link_stops_working_once_a_password_is_chosen(db):
    invite()
    _path, account, token = link_in(OutboxMessage.objects.get().body)
    user = User.objects.get()
    user.set_password("a long new password 7")
    user.save()

    assert open_link(account, token).state == LinkState.UNUSABLE


def test_a_link_with_a_changed_token_does_not_work(db):
    invite()
    _path, account, token = link_in(OutboxMessage.objects.get().body)

    assert open_link(account, token[:-1] + ("a" if token[-1] != "a" else "b")).state == (
        LinkState.UNUSABLE
    )
    assert open_link("zzzzzz", token).user is None


def test_an_expired_link_is_renewed_once(db):
    invitation = invite()

    first = renew_invitation(user=invitation.user, expired_link_issued_at=12345)
    second = renew_invitation(user=invitation.user, expired_link_issued_at=12345)

    assert first
    assert not second
    renewed = OutboxMessage.objects.get(kind="accounts.invitation.renewed")
    _path, account, token = link_in(renewed.body)
    assert open_link(account, token).state == LinkState.VALID


def test_no_new_link_is_sent_to_a_person_who_has_chosen_a_password(db):
    user = UserFactory(email="sam@example.org")

    assert not renew_invitation(user=user, expired_link_issued_at=12345)
    assert not OutboxMessage.objects.exists()


# ---- the pages ----------------------------------------------------------------------------------


def test_an_invited_person_chooses_a_password_then_signs_in(client, db):
    invite()
    path, _account, _token = link_in(OutboxMessage.objects.get().body)

    page = client.get(path)
    assert page.status_code == 200
    assert "sam@example.org" in page.content.decode()
    response = client.post(
        path, {"new_password1": "a quiet harbour 42", "new_password2": "a quiet harbour 42"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert AuditEvent.objects.filter(action="accounts.invitation.accepted").exists()
    signed_in = client.post(
        reverse("account_login"), {"login": "sam@example.org", "password": "a quiet harbour 42"}
    )
    assert signed_in.status_code == 302
    assert client.get(reverse("home")).wsgi_request.user.email == "sam@example.org"
    assert "no longer works" in client.get(path).content.decode()


def test_a_too_short_password_is_refused_with_a_message_naming_the_field(client, db):
    invite()
    path, _account, _token = link_in(OutboxMessage.objects.get().body)

    response = client.post(path, {"new_password1": "short", "new_password2": "short"})

    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert not User.objects.get().has_usable_password()


def test_an_expired_link_shows_a_page_offering_a_new_link(client, db):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        invite()
        path, account, token = link_in(OutboxMessage.objects.get().body)
        traveller.shift(timezone.timedelta(days=8))

        page = client.get(path)
        assert "This link has expired" in page.content.decode()
        sent = client.post(
            reverse("accounts:renew_invitation", kwargs={"account": account, "token": token})
        )

    assert sent.status_code == 200
    assert "A new link is on its way" in sent.content.decode()
    assert OutboxMessage.objects.filter(kind="accounts.invitation.renewed").count() == 1


def test_a_forged_link_cannot_ask_for_a_new_one(client, db):
    invite()
    _path, account, _token = link_in(OutboxMessage.objects.get().body)

    response = client.post(
        reverse("accounts:renew_invitation", kwargs={"account": account, "token": "1-ab"})
    )

    assert response.status_code == 302
    assert not OutboxMessage.objects.filter(kind="accounts.invitation.renewed").exists()


def test_a_person_invited_with_capitals_in_their_address_signs_in_however_they_type_it(client, db):
    invite(email="  Sam.Rivers@Example.ORG ")
    path, _account, _token = link_in(OutboxMessage.objects.get().body)
    client.post(
        path, {"new_password1": "a quiet harbour 42", "new_password2": "a quiet harbour 42"}
    )

    assert User.objects.get().email == "sam.rivers@example.org"
    for typed in ("Sam.Rivers@Example.ORG", "sam.rivers@example.org", "SAM.RIVERS@EXAMPLE.ORG"):
        client.logout()
        signed_in = client.post(
            reverse("account_login"), {"login": typed, "password": "a quiet harbour 42"}
        )
        assert signed_in.status_code == 302, typed
        assert client.get(reverse("home")).wsgi_request.user.is_authenticated, typed


def test_the_same_address_in_other_capitals_is_the_same_account(db):
    first = invite(email="Sam.Rivers@example.org")
    again = invite(email="sam.rivers@EXAMPLE.org")

    assert again.user == first.user
    assert not again.created
    assert User.objects.count() == 1
