"""The pages of match everyone waiting: start, progress, the paged review, send."""

from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alongside.intake.factories import SupportRequestFactory
from alongside.matching import runs, services
from alongside.matching.models import MatchingRun, Proposal, ProposalStatus, RunStage, RunStatus
from alongside.matching.run_pages import DRAFTS_PER_PAGE
from alongside.supporters.factories import LivedExperienceFactory, SupporterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued_run(program_a, coordinator_a):
    run, _new = runs.start_run(program=program_a, started_by=coordinator_a)
    return run


def test_starting_a_run_takes_the_coordinator_to_its_progress_in_plain_words(
    client, coordinator_a, program_a, queued_run
):
    client.force_login(coordinator_a)

    page = client.get(reverse("matching:run_progress", args=[queued_run.batch]))

    content = page.content.decode()
    assert 'aria-live="polite"' in content
    assert "Waiting for its turn" in content
    assert f'hx-get="{reverse("matching:run_progress", args=[queued_run.batch])}"' in content
    assert ">Refresh</a>" in content  # without JavaScript


def test_the_start_page_says_a_run_is_under_way_and_a_second_start_joins_it(
    client, coordinator_a, program_a, queued_run, ms
):
    SupportRequestFactory(program=program_a, experience=ms)
    client.force_login(coordinator_a)

    start_page = client.get(reverse("matching:everyone")).content.decode()
    again = client.post(reverse("matching:everyone"), {"program": program_a.pk}, follow=True)

    assert reverse("matching:run_progress", args=[queued_run.batch]) in start_page
    assert "Propose matches for everyone waiting" not in start_page
    assert again.redirect_chain[0][0] == reverse("matching:run_progress", args=[queued_run.batch])
    assert "already under way" in again.content.decode()
    assert MatchingRun.objects.count() == 1


def test_the_progress_polled_in_place_shows_the_stage_then_sends_the_browser_to_the_review(
    client, coordinator_a, queued_run
):
    client.force_login(coordinator_a)
    url = reverse("matching:run_progress", args=[queued_run.batch])
    MatchingRun.objects.filter(pk=queued_run.pk).update(
        status=RunStatus.RUNNING, stage=RunStage.SOLVING, waiting=12
    )

    polled = client.get(url, headers={"HX-Request": "true"})

    assert "Finding the best set of matches" in polled.content.decode()
    assert "12 people waiting are being matched." in polled.content.decode()
    assert "<html" not in polled.content.decode()

    MatchingRun.objects.filter(pk=queued_run.pk).update(
        status=RunStatus.FINISHED, stage=RunStage.DONE
    )
    finished = client.get(url, headers={"HX-Request": "true"})
    assert finished["HX-Redirect"] == reverse("matching:run", args=[queued_run.batch])


def test_a_failed_run_says_so_and_offers_to_try_again(client, coordinator_a, queued_run):
    client.force_login(coordinator_a)
    MatchingRun.objects.filter(pk=queued_run.pk).update(
        status=RunStatus.FAILED, error="MemoryError"
    )
    url = reverse("matching:run_progress", args=[queued_run.batch])

    polled = client.get(url, headers={"HX-Request": "true"})
    page = client.get(url).content.decode()

    assert polled["HX-Refresh"] == "true"
    assert "stopped before the end because of an error. Nothing was proposed." in page
    assert "Try again" in page
    assert "MemoryError" not in page


def test_another_programs_coordinator_cannot_see_or_send_a_run(client, coordinator_b, queued_run):
    client.force_login(coordinator_b)

    for name in ("matching:run_progress", "matching:run"):
        assert client.get(reverse(name, args=[queued_run.batch])).status_code == 404
    assert client.post(reverse("matching:send_run", args=[queued_run.batch])).status_code == 404


def test_the_review_of_a_large_run_is_paged_and_send_all_sends_every_page(
    client, coordinator_a, program_a, ms, django_capture_on_commit_callbacks
):
    count = DRAFTS_PER_PAGE + 5
    for supporter in SupporterFactory.create_batch(count, program=program_a):
        LivedExperienceFactory(supporter=supporter, experience=ms)
    SupportRequestFactory.create_batch(count, program=program_a, experience=ms)
    run, _new = runs.start_run(program=program_a, started_by=coordinator_a)
    runs.run_matching(run.pk)
    client.force_login(coordinator_a)
    review = reverse("matching:run", args=[run.batch])

    with CaptureQueriesContext(connection) as queries:
        first = client.get(review).content.decode()
    second = client.get(review, {"page": 2}).content.decode()

    assert len(queries.captured_queries) <= 15
    assert first.count('data-testid="draft"') == DRAFTS_PER_PAGE
    assert second.count('data-testid="draft"') == 5
    assert f"Approve and send {count} proposals" in second
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("matching:send_run", args=[run.batch]), follow=True)
    assert f"{count} proposals are on their way." in sent.content.decode()
    statuses = set(Proposal.objects.filter(batch=run.batch).values_list("status", flat=True))
    assert statuses == {ProposalStatus.PROPOSED}


def test_the_review_tells_what_the_fresh_check_changed(client, coordinator_a, program_a):
    run = MatchingRun.objects.create(
        program=program_a,
        started_by=coordinator_a,
        status=RunStatus.FINISHED,
        stage=RunStage.DONE,
        waiting=5,
        changed_unavailable=3,
        no_longer_waiting=1,
    )
    client.force_login(coordinator_a)

    page = client.get(reverse("matching:run", args=[run.batch])).content.decode()

    assert "3 suggestions changed because a supporter was no longer available" in page
    assert "1 person was left out: they were proposed to someone or closed" in page


def test_drafts_made_before_runs_were_rows_get_a_finished_run_to_review_them(
    client, coordinator_a, request_a, supporter_a
):
    draft = services.propose(
        support_request=request_a,
        supporter=supporter_a,
        proposed_by=coordinator_a,
        send=False,
        batch=Proposal.new_batch(),
    )
    migration = import_module("alongside.matching.migrations.0004_runs_of_earlier_batches")

    migration.runs_for_earlier_batches(apps, None)
    migration.runs_for_earlier_batches(apps, None)  # twice: still one run a batch

    run = MatchingRun.objects.get()
    assert (run.batch, run.program_id, run.status) == (draft.batch, draft.program_id, "finished")
    client.force_login(coordinator_a)
    review = client.get(reverse("matching:run", args=[draft.batch])).content.decode()
    assert review.count('data-testid="draft"') == 1
