"""The matching pages: access is in tests/test_access.py; here, what each page does."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alongside.core.models import AuditEvent
from alongside.intake.factories import SupportRequestFactory
from alongside.intake.models import RequestStatus, SupportRequest
from alongside.matches.models import Match
from alongside.matching import services
from alongside.matching.models import MatchingSettings, Proposal, ProposalStatus
from alongside.notifications.models import OutboxMessage
from alongside.programs.models import Language


def test_the_request_page_says_why_a_supporter_is_not_on_the_list(
    client, coordinator_a, request_a, supporter_a, other_supporter_a
):
    other_supporter_a.languages = [Language.FRENCH]
    other_supporter_a.save()
    client.force_login(coordinator_a)
    page = reverse("intake:request_detail", args=[request_a.pk])

    listed = client.get(page).content.decode()
    asked = client.get(page, {"supporter": other_supporter_a.pk}).content.decode()

    assert "Ask Sam" in listed
    assert "<strong>Robin</strong>: no shared language" in listed
    assert "Robin: no shared language." in asked


def test_asking_about_someone_not_in_the_program_gets_a_clear_message(
    client, coordinator_a, request_a, supporter_a
):
    client.force_login(coordinator_a)

    response = client.get(
        reverse("intake:request_detail", args=[request_a.pk]), {"supporter": "999999"}
    )

    assert response.status_code == 200
    assert "That choice is not one you can make here." in response.content.decode()


def test_why_not_asked_in_place_answers_under_the_form_alone(
    client, coordinator_a, request_a, supporter_a, other_supporter_a
):
    other_supporter_a.languages = [Language.FRENCH]
    other_supporter_a.save()
    client.force_login(coordinator_a)

    response = client.get(
        reverse("intake:request_detail", args=[request_a.pk]),
        {"supporter": other_supporter_a.pk},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "<html" not in text
    assert text.lstrip().startswith('<div id="why-not">')
    assert "Robin: no shared language." in text
    assert "Ask Sam" not in text  # the shortlist above is not sent again


def test_why_not_asked_in_place_about_nobody_shows_the_error_in_its_summary(
    client, coordinator_a, request_a, supporter_a
):
    client.force_login(coordinator_a)

    response = client.get(
        reverse("intake:request_detail", args=[request_a.pk]),
        {"supporter": "999999"},
        HTTP_HX_REQUEST="true",
    )

    text = response.content.decode()
    assert "<html" not in text
    assert "data-error-summary" in text
    assert "That choice is not one you can make here." in text


def test_another_programs_coordinator_gets_404_asking_why_not_in_place(
    client, coordinator_b, request_a, supporter_a
):
    client.force_login(coordinator_b)

    response = client.get(
        reverse("intake:request_detail", args=[request_a.pk]),
        {"supporter": supporter_a.pk},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 404


def test_why_not_asked_in_place_after_a_proposal_reloads_the_whole_page(
    client, coordinator_a, request_a, supporter_a
):
    services.propose(support_request=request_a, supporter=supporter_a, proposed_by=coordinator_a)
    client.force_login(coordinator_a)

    response = client.get(
        reverse("intake:request_detail", args=[request_a.pk]),
        {"supporter": supporter_a.pk},
        HTTP_HX_REQUEST="true",
    )

    assert response.headers["HX-Refresh"] == "true"


def test_asking_a_supporter_sends_them_the_proposal(client, coordinator_a, request_a, supporter_a):
    client.force_login(coordinator_a)

    response = client.post(
        reverse("matching:propose", args=[request_a.pk]), {"supporter": supporter_a.pk}
    )

    proposal = Proposal.objects.get(request=request_a)
    assert response.url == reverse("matching:proposal", args=[proposal.pk])
    assert proposal.status == ProposalStatus.PROPOSED
    assert OutboxMessage.objects.filter(recipient=supporter_a.user).exists()


def test_a_refused_proposal_goes_back_to_the_request_with_the_reason(
    client, coordinator_a, request_a, supporter_a
):
    supporter_a.languages = [Language.FRENCH]
    supporter_a.save()
    client.force_login(coordinator_a)

    response = client.post(
        reverse("matching:propose", args=[request_a.pk]),
        {"supporter": supporter_a.pk},
        follow=True,
    )

    assert "Sam cannot be proposed: no shared language." in response.content.decode()
    assert not Proposal.objects.exists()


def start_a_run(client, program, capture):
    """Presses "Propose matches for everyone waiting"; the worker (huey, immediate in tests)
    works the run once the request's transaction commits. Returns the progress page's URL."""
    with capture(execute=True):
        return client.post(reverse("matching:everyone"), {"program": program.pk}).url


def test_match_everyone_drafts_then_the_coordinator_removes_one_and_sends_the_rest(
    client,
    coordinator_a,
    program_a,
    ms,
    supporter_a,
    other_supporter_a,
    django_capture_on_commit_callbacks,
):
    first, second = SupportRequestFactory.create_batch(2, program=program_a, experience=ms)
    client.force_login(coordinator_a)

    page = client.get(reverse("matching:everyone"))
    assert "2 people are waiting for a supporter." in page.content.decode()
    progress = start_a_run(client, program_a, django_capture_on_commit_callbacks)

    drafts = Proposal.objects.filter(status=ProposalStatus.DRAFT)
    assert drafts.count() == 2
    batch = drafts.first().batch
    assert progress == reverse("matching:run_progress", args=[batch])
    review = client.get(progress, follow=True)
    assert review.redirect_chain == [(reverse("matching:run", args=[batch]), 302)]
    assert review.content.decode().count('data-testid="draft"') == 2

    removed = drafts.get(request=first)
    client.post(reverse("matching:withdraw", args=[removed.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("matching:send_run", args=[batch]))

    removed.refresh_from_db()
    kept = Proposal.objects.get(request=second)
    assert removed.status == ProposalStatus.WITHDRAWN
    assert kept.status == ProposalStatus.PROPOSED


def test_match_everyone_with_nobody_who_fits_says_so(
    client, coordinator_a, program_a, ms, django_capture_on_commit_callbacks
):
    SupportRequestFactory(program=program_a, experience=ms)
    client.force_login(coordinator_a)

    progress = start_a_run(client, program_a, django_capture_on_commit_callbacks)
    response = client.get(progress, follow=True)

    assert "Nobody waiting could be matched right now" in response.content.decode()


def test_match_everyone_for_a_program_that_is_not_yours_proposes_nothing(
    client, coordinator_b, program_a, ms, supporter_a
):
    SupportRequestFactory(program=program_a, experience=ms)
    client.force_login(coordinator_b)

    response = client.post(reverse("matching:everyone"), {"program": program_a.pk}, follow=True)

    assert "Please choose a program." in response.content.decode()
    assert not Proposal.objects.exists()


@pytest.fixture
def sent_proposal(request_a, supporter_a, coordinator_a):
    return services.propose(
        support_request=request_a, supporter=supporter_a, proposed_by=coordinator_a
    )


def test_declining_without_a_reason_asks_for_one_and_changes_nothing(
    client, sent_proposal, supporter_a
):
    client.force_login(supporter_a.user)

    response = client.post(
        reverse("matching:answer", args=[sent_proposal.pk]), {"answer": "no", "reason": " "}
    )

    sent_proposal.refresh_from_db()
    assert "Please say briefly why" in response.content.decode()
    assert sent_proposal.status == ProposalStatus.PROPOSED


def test_the_supporter_sees_the_person_without_their_own_words(
    client, sent_proposal, supporter_a, request_a
):
    request_a.about = "Something private I wrote."
    request_a.save()
    client.force_login(supporter_a.user)

    page = client.get(reverse("matching:proposal", args=[sent_proposal.pk])).content.decode()

    assert "Send my answer" in page
    assert "Something private I wrote." not in page


def test_accepted_then_confirmed_starts_the_match_and_introduces_both(
    client, sent_proposal, supporter_a, coordinator_a, request_a
):
    client.force_login(supporter_a.user)
    client.post(reverse("matching:answer", args=[sent_proposal.pk]), {"answer": "yes"})
    sent_proposal.refresh_from_db()
    assert sent_proposal.status == ProposalStatus.ACCEPTED

    client.force_login(coordinator_a)
    response = client.post(reverse("matching:confirm", args=[sent_proposal.pk]))

    match = Match.objects.get(request=request_a)
    assert response.url == reverse("matches:detail", args=[match.pk])
    introductions = OutboxMessage.objects.filter(
        idempotency_key__startswith=f"matches.match.introduced:{match.pk}:"
    )
    assert {message.idempotency_key.split(":")[2] for message in introductions} == {
        "supporter",
        "peer",
    }


def test_confirming_a_proposal_not_yet_accepted_is_refused_with_the_reason(
    client, sent_proposal, coordinator_a
):
    client.force_login(coordinator_a)

    response = client.post(reverse("matching:confirm", args=[sent_proposal.pk]), follow=True)

    assert "Only a proposal the supporter accepted can be confirmed." in response.content.decode()
    assert not Match.objects.exists()


def test_the_proposals_page_lists_open_proposals_accepted_first(
    client, sent_proposal, coordinator_a
):
    client.force_login(coordinator_a)

    page = client.get(reverse("matching:proposals")).content.decode()

    assert "Waiting for the supporter" in page
    assert 'aria-sort="ascending"' in page
    assert reverse("matching:proposal", args=[sent_proposal.pk]) in page


def test_matching_settings_refuse_a_weight_out_of_range_and_save_a_good_one(
    client, coordinator_a, program_a
):
    client.force_login(coordinator_a)
    page = reverse("matching:settings", args=[program_a.pk])
    form = client.get(page).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not False}
    data["weight_similar_role"] = 150

    refused = client.post(page, data)

    assert "Ensure this value is less than or equal to 100." in refused.content.decode()
    assert not MatchingSettings.objects.filter(weights__similar_role=150).exists()

    data["weight_similar_role"] = 40
    data["exclude_same_site"] = "on"
    client.post(page, data)

    saved = MatchingSettings.objects.get(program=program_a)
    assert saved.weights["similar_role"] == 40
    assert saved.exclude_same_site
    assert AuditEvent.objects.filter(action="matching.settings.updated").exists()


def test_recording_a_conflict_from_the_request_page_bars_the_supporter(
    client, coordinator_a, request_a, supporter_a
):
    client.force_login(coordinator_a)

    response = client.post(
        reverse("matching:record_conflict", args=[request_a.pk]),
        {"conflict-supporter": supporter_a.pk, "conflict-reason": "They are cousins."},
        follow=True,
    )

    content = response.content.decode()
    assert "Recorded: Sam will never be proposed to this person." in content
    assert "<strong>Sam</strong>: has a recorded conflict with this person" in content


def test_a_conflict_without_a_reason_is_refused_with_a_message(
    client, coordinator_a, request_a, supporter_a
):
    client.force_login(coordinator_a)

    response = client.post(
        reverse("matching:record_conflict", args=[request_a.pk]),
        {"conflict-supporter": supporter_a.pk},
        follow=True,
    )

    assert "Please choose a supporter and say why." in response.content.decode()
    assert not AuditEvent.objects.filter(action="matching.conflict.recorded").exists()


def test_the_coordinator_swaps_the_supporter_of_a_draft_before_sending(
    client,
    coordinator_a,
    program_a,
    ms,
    supporter_a,
    other_supporter_a,
    django_capture_on_commit_callbacks,
):
    SupportRequestFactory(program=program_a, experience=ms)
    client.force_login(coordinator_a)
    progress = start_a_run(client, program_a, django_capture_on_commit_callbacks)
    draft = Proposal.objects.get(status=ProposalStatus.DRAFT)
    other = other_supporter_a if draft.supporter == supporter_a else supporter_a
    assert f"{other.display_name} (" in client.get(progress, follow=True).content.decode()

    client.post(reverse("matching:replace", args=[draft.pk]), {"supporter": other.pk})

    draft.refresh_from_db()
    replaced = Proposal.objects.get(status=ProposalStatus.DRAFT)
    assert draft.status == ProposalStatus.WITHDRAWN
    assert (replaced.supporter, replaced.batch) == (other, draft.batch)


def test_a_sent_proposal_cannot_be_swapped(client, sent_proposal, coordinator_a, other_supporter_a):
    client.force_login(coordinator_a)

    response = client.post(
        reverse("matching:replace", args=[sent_proposal.pk]),
        {"supporter": other_supporter_a.pk},
        follow=True,
    )

    assert "Only a draft that has not been sent can be changed." in response.content.decode()
    sent_proposal.refresh_from_db()
    assert sent_proposal.status == ProposalStatus.PROPOSED


def test_the_review_of_a_run_reads_its_drafts_in_a_fixed_number_of_queries(
    client,
    coordinator_a,
    program_a,
    ms,
    supporter_a,
    other_supporter_a,
    django_capture_on_commit_callbacks,
):
    for supporter in (supporter_a, other_supporter_a):
        supporter.max_concurrent_matches = 6
        supporter.save()
    client.force_login(coordinator_a)

    def review_of_a_run_of(count: int) -> tuple[int, str]:
        Proposal.objects.update(status=ProposalStatus.WITHDRAWN)
        SupportRequest.objects.update(status=RequestStatus.CLOSED)
        SupportRequestFactory.create_batch(count, program=program_a, experience=ms)
        progress = start_a_run(client, program_a, django_capture_on_commit_callbacks)
        page = client.get(progress).url
        with CaptureQueriesContext(connection) as queries:
            content = client.get(page).content.decode()
        return len(queries.captured_queries), content

    few, _ = review_of_a_run_of(2)
    many, content = review_of_a_run_of(8)

    assert content.count('data-testid="draft"') == 8
    assert many == few
