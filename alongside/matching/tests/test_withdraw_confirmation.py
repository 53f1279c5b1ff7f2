"""Withdrawing a proposal asks first, and a supporter who was asked hears it is taken back."""

from django.urls import reverse

from alongside.core.models import AuditEvent
from alongside.matching import services
from alongside.matching.models import Proposal, ProposalStatus
from alongside.notifications.models import OutboxMessage


def withdrawn_messages(proposal):
    return OutboxMessage.objects.filter(
        idempotency_key__startswith=f"matching.proposal.withdrawn:{proposal.pk}"
    )


def test_withdraw_opens_a_page_saying_the_supporter_is_told_and_withdraws_nothing(
    client, request_a, supporter_a, coordinator_a
):
    proposal = services.propose(
        support_request=request_a, supporter=supporter_a, proposed_by=coordinator_a
    )
    client.force_login(coordinator_a)
    withdraw = reverse("matching:withdraw", args=[proposal.pk])
    back = reverse("matching:proposal", args=[proposal.pk])
    assert f'href="{withdraw}"' in client.get(back).text

    page = client.get(withdraw).text

    peer = request_a.peer.first_name
    assert f"Withdraw the proposal of Sam for {peer}?" in page
    assert f"{peer}&#x27;s request waits again" in page
    assert "Sam gets a message, by e-mail and in their inbox, that it is taken back." in page
    assert f'href="{back}"' in page
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED
    assert not withdrawn_messages(proposal).exists()


def test_withdrawing_tells_the_supporter_once_even_when_pressed_twice(
    client, request_a, supporter_a, coordinator_a
):
    proposal = services.propose(
        support_request=request_a, supporter=supporter_a, proposed_by=coordinator_a
    )
    client.force_login(coordinator_a)
    withdraw = reverse("matching:withdraw", args=[proposal.pk])

    client.post(withdraw)
    second = client.post(withdraw, follow=True)

    assert "This proposal is already closed." in second.text
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert sorted(withdrawn_messages(proposal).values_list("channel", flat=True)) == [
        "email",
        "in_app",
    ]
    assert AuditEvent.objects.filter(action="matching.proposal.withdrawn").count() == 1


def test_withdrawing_a_draft_says_nobody_was_asked_and_sends_nothing(
    client, request_a, supporter_a, coordinator_a
):
    proposal = services.propose(
        support_request=request_a,
        supporter=supporter_a,
        proposed_by=coordinator_a,
        send=False,
        batch=Proposal.new_batch(),
    )
    client.force_login(coordinator_a)
    withdraw = reverse("matching:withdraw", args=[proposal.pk])

    assert "Sam was never asked: nobody is sent a message." in client.get(withdraw).text
    client.post(withdraw)

    assert not withdrawn_messages(proposal).exists()
    assert not OutboxMessage.objects.filter(recipient=supporter_a.user).exists()


def test_the_withdraw_page_is_for_the_programs_staff_only(
    client, request_a, supporter_a, coordinator_a, coordinator_b
):
    proposal = services.propose(
        support_request=request_a, supporter=supporter_a, proposed_by=coordinator_a
    )
    client.force_login(coordinator_b)
    assert client.get(reverse("matching:withdraw", args=[proposal.pk])).status_code == 404
    client.force_login(supporter_a.user)
    assert client.get(reverse("matching:withdraw", args=[proposal.pk])).status_code in (403, 404)
