"""Starting a match sends introductions to two people: it asks first, and a second press sends
nothing again."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from alongside.intake.models import RequestStatus
from alongside.matches.models import Match
from alongside.notifications.models import OutboxMessage


def confirm_url(support_request, supporter) -> str:
    return f"{reverse('matches:start', args=[support_request.pk])}?supporter={supporter.pk}"


def test_the_shortlists_match_button_opens_the_confirmation_and_starts_nothing(
    client, coordinator_a, request_a, supporter_a
):
    client.force_login(coordinator_a)
    detail = client.get(reverse("intake:request_detail", args=[request_a.pk])).text
    assert f'href="{confirm_url(request_a, supporter_a)}"' in detail.replace("&amp;", "&")

    response = client.get(confirm_url(request_a, supporter_a))

    assert response.status_code == 200
    page = response.text
    peer = request_a.peer.first_name
    assert f"Match {peer} with Sam?" in page
    assert "Two people hear from us at once" in page
    assert f"{peer} gets a message introducing Sam" in page
    assert f"Sam gets a message introducing {peer}" in page
    assert "Start the match and send both messages" in page
    assert f'href="{reverse("intake:request_detail", args=[request_a.pk])}"' in page
    assert not Match.objects.exists()
    assert not OutboxMessage.objects.exists()
    request_a.refresh_from_db()
    assert request_a.status == RequestStatus.NEW


def test_confirming_starts_the_match_and_a_second_press_sends_nothing_again(
    client, coordinator_a, request_a, supporter_a
):
    client.force_login(coordinator_a)
    start = reverse("matches:start", args=[request_a.pk])
    client.post(start, {"supporter": supporter_a.pk})
    match = Match.objects.get()
    sent = OutboxMessage.objects.count()

    response = client.post(start, {"supporter": supporter_a.pk}, follow=True)

    assert response.redirect_chain == [(reverse("matches:detail", args=[match.pk]), 302)]
    assert "Sam is already matched with this person. Nothing was sent again." in response.text
    assert Match.objects.count() == 1
    assert OutboxMessage.objects.count() == sent
    assert sent >= 2


def test_the_confirmation_of_a_pair_that_cannot_match_goes_back_with_the_reason(
    client, coordinator_a, request_a, supporter_a
):
    supporter_a.away_until = timezone.localdate() + dt.timedelta(days=7)
    supporter_a.save()
    client.force_login(coordinator_a)

    response = client.get(confirm_url(request_a, supporter_a), follow=True)

    assert response.redirect_chain == [(reverse("intake:request_detail", args=[request_a.pk]), 302)]
    assert "Sam cannot be matched: is away until" in response.text


def test_the_confirmation_is_for_the_requests_program_staff_only(
    client, coordinator_b, supporter_a, request_a
):
    client.force_login(coordinator_b)
    assert client.get(confirm_url(request_a, supporter_a)).status_code == 404
    client.force_login(supporter_a.user)
    assert client.get(confirm_url(request_a, supporter_a)).status_code == 403


def test_matching_from_a_supporters_page_asks_for_confirmation_first(
    client, coordinator_a, request_a, supporter_a
):
    client.force_login(coordinator_a)

    response = client.post(
        reverse("matching:match_supporter", args=[supporter_a.pk]), {"match-request": request_a.pk}
    )

    assert response.status_code == 302
    assert response["Location"] == confirm_url(request_a, supporter_a)
    assert not Match.objects.exists()


def test_the_close_form_says_closing_cannot_be_undone_and_what_is_sent(
    client, coordinator_a, match_a
):
    client.force_login(coordinator_a)

    page = client.get(reverse("matches:close", args=[match_a.pk])).text

    assert "Closing cannot be undone." in page
    assert "closing questionnaire" in page
