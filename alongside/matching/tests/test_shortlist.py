"""The shortlist, "why not?" and "match everyone waiting", read from the database."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from alongside.accounts.factories import UserFactory
from alongside.core.errors import DomainError
from alongside.intake.factories import SupportRequestFactory
from alongside.matching import runs, services
from alongside.matching.models import MatchingSettings, Proposal, ProposalStatus
from alongside.matching.queries import check_pair, shortlist, why_not
from alongside.notifications.models import OutboxMessage
from alongside.programs.factories import ProgramFactory, SiteFactory
from alongside.programs.models import Gender, Language, Relationship, TrainingModule
from alongside.supporters.factories import (
    LivedExperienceFactory,
    SupporterFactory,
    not_ready_supporter,
)
from alongside.supporters.models import TrainingRecord


@pytest.fixture
def network(ms):
    """A health-care workers' network that matches across facilities."""
    program = ProgramFactory(slug="hcw", name="HCW network", experiences=[ms])
    MatchingSettings.objects.create(program=program, exclude_same_site=True)
    return program


def worker(program, experience, *, name, role, site, **fields):
    supporter = SupporterFactory(
        program=program,
        user=UserFactory(first_name=name),
        work_role=role,
        site=site,
        **fields,
    )
    LivedExperienceFactory(
        supporter=supporter, experience=experience, relationship=Relationship.COLLEAGUE
    )
    return supporter


def match_everyone_now(program, coordinator):
    """Starts a run and works it here, as the worker would."""
    run, _new = runs.start_run(program=program, started_by=coordinator)
    runs.run_matching(run.pk)
    run.refresh_from_db()
    return run


@pytest.fixture
def facilities(network):
    return SiteFactory(program=network, name="General"), SiteFactory(program=network, name="North")


@pytest.fixture
def nurse_request(network, facilities, ms):
    general, _north = facilities
    return SupportRequestFactory(
        program=network,
        experience=ms,
        relationship=Relationship.COLLEAGUE,
        work_role="Nurse",
        site=general,
    )


def names(found):
    return [candidate.supporter.display_name for candidate in found.candidates]


def test_a_nurse_is_offered_nurses_from_other_facilities_first_with_the_reasons(
    network, facilities, nurse_request, ms
):
    general, north = facilities
    worker(network, ms, name="Ana", role="nurse", site=north)
    worker(network, ms, name="Bo", role="physician", site=north)
    worker(network, ms, name="Cy", role="nurse", site=general)

    found = shortlist(nurse_request)

    assert names(found) == ["Ana", "Bo"]
    best = found.candidates[0]
    assert "works in a similar role" in best.score_parts
    assert round(sum(best.score_parts.values()), 1) == best.total
    assert best.total > found.candidates[1].total
    (left_out,) = found.left_out
    assert left_out.supporter.display_name == "Cy"
    assert left_out.reasons == ("works at the same site, and this program matches across sites",)


def test_why_not_answers_for_a_supporter_left_out_and_for_one_on_the_list(
    network, facilities, nurse_request, ms
):
    general, north = facilities
    ana = worker(network, ms, name="Ana", role="nurse", site=north)
    cy = worker(network, ms, name="Cy", role="nurse", site=general, languages=[Language.FRENCH])

    left_out = why_not(nurse_request, cy)
    listed = why_not(nurse_request, ana)

    assert left_out.reasons == (
        "no shared language",
        "works at the same site, and this program matches across sites",
    )
    assert listed.reasons == ()
    assert listed.candidate is not None
    assert listed.candidate.place == 1


def test_why_not_names_what_the_readiness_gate_still_misses(network, nurse_request, ms):
    pending = not_ready_supporter(program=network, user=UserFactory(first_name="Dee"))

    answer = why_not(nurse_request, pending)

    assert any("background check" in reason for reason in answer.reasons)
    assert pending.pk not in [item.supporter.pk for item in shortlist(nurse_request).candidates]


def test_a_supporter_of_another_program_is_never_asked_about(nurse_request, program_b, ms):
    elsewhere = SupporterFactory(program=program_b)

    assert why_not(nurse_request, elsewhere).reasons == ("belongs to another program",)
    assert check_pair(nurse_request, elsewhere).reasons == ("belongs to another program",)


def test_the_shortlist_follows_a_change_to_a_supporter_once_it_commits(
    network, facilities, nurse_request, ms, django_capture_on_commit_callbacks
):
    _general, north = facilities
    ana = worker(network, ms, name="Ana", role="nurse", site=north)
    assert names(shortlist(nurse_request)) == ["Ana"]

    with django_capture_on_commit_callbacks(execute=True):
        ana.languages = [Language.FRENCH]
        ana.save()

    assert names(shortlist(nurse_request)) == []
    assert why_not(nurse_request, ana).reasons == ("no shared language",)


def test_an_open_proposal_holds_the_last_place_on_the_next_shortlist(
    network, facilities, nurse_request, ms, coordinator_a
):
    general, north = facilities
    ana = worker(network, ms, name="Ana", role="nurse", site=north, max_concurrent_matches=1)
    shortlist(nurse_request)  # the snapshot is warm
    other = SupportRequestFactory(program=network, experience=ms, site=general)

    services.propose(support_request=other, supporter=ana, proposed_by=coordinator_a)

    assert names(shortlist(nurse_request)) == []
    assert why_not(nurse_request, ana).reasons == ("has no room for another match",)


def test_the_persons_firm_wish_for_a_gender_is_kept(network, facilities, nurse_request, ms):
    _general, north = facilities
    ana = worker(network, ms, name="Ana", role="nurse", site=north, gender=Gender.WOMAN)
    bo = worker(network, ms, name="Bo", role="nurse", site=north, gender=Gender.MAN)
    nurse_request.wanted_gender = Gender.MAN
    nurse_request.wanted_gender_is_firm = True
    nurse_request.save()

    assert names(shortlist(nurse_request)) == ["Bo"]
    assert check_pair(nurse_request, ana).reasons == ("is not the gender the person asked for",)
    assert check_pair(nurse_request, bo).can_match


def test_a_supporters_own_preference_about_who_they_support_is_kept(
    network, facilities, nurse_request, ms
):
    _general, north = facilities
    ana = worker(network, ms, name="Ana", role="nurse", site=north, supports_genders=[Gender.MAN])
    nurse_request.gender = Gender.WOMAN
    nurse_request.save()

    assert check_pair(nurse_request, ana).reasons == ("only supports people of another gender",)


def test_availability_must_overlap_in_real_time_across_time_zones(
    network, facilities, nurse_request, ms
):
    _general, north = facilities
    evenings_in_vancouver = [{"day": day, "start": "18:00", "end": "21:00"} for day in range(5)]
    mornings_in_toronto = [{"day": day, "start": "09:00", "end": "11:00"} for day in range(5)]
    late = worker(
        network,
        ms,
        name="Ana",
        role="nurse",
        site=north,
        time_zone="America/Vancouver",
        availability=evenings_in_vancouver,
    )
    early = worker(
        network,
        ms,
        name="Bo",
        role="nurse",
        site=north,
        time_zone="America/Toronto",
        availability=mornings_in_toronto,
    )
    nurse_request.availability = ["weekday_morning"]  # the program's zone: Toronto
    nurse_request.save()

    assert check_pair(nurse_request, late).reasons == ("is never free when the person is",)
    assert check_pair(nurse_request, early).can_match


def test_a_declined_pair_stays_off_the_shortlist(
    network, facilities, nurse_request, ms, coordinator_a
):
    _general, north = facilities
    ana = worker(network, ms, name="Ana", role="nurse", site=north)
    proposal = services.propose(
        support_request=nurse_request, supporter=ana, proposed_by=coordinator_a
    )
    services.respond(proposal=proposal, supporter_user=ana.user, accept=False, reason="I know her")

    assert names(shortlist(nurse_request)) == []
    assert why_not(nurse_request, ana).reasons == ("declined this person before",)


# ---- Match everyone waiting ----------------------------------------------------------------


def test_match_everyone_drafts_one_proposal_per_place_and_sends_nothing(
    network, facilities, ms, coordinator_a
):
    general, north = facilities
    worker(network, ms, name="Ana", role="nurse", site=north, max_concurrent_matches=1)
    worker(network, ms, name="Bo", role="nurse", site=north, max_concurrent_matches=1)
    now = timezone.now()
    waiting = [
        SupportRequestFactory(
            program=network,
            experience=ms,
            site=general,
            received_at=now - dt.timedelta(hours=hours),
            due_at=now + dt.timedelta(hours=48 - hours),
        )
        for hours in (1, 40, 20)
    ]
    outbox_before = OutboxMessage.objects.count()

    run = match_everyone_now(network, coordinator_a)

    drafts = Proposal.objects.filter(batch=run.batch)
    assert (run.waiting, run.drafted, run.changed_unavailable, run.changed_other) == (3, 2, 0, 0)
    assert {draft.status for draft in drafts} == {ProposalStatus.DRAFT}
    # Places are short: the two nearest their promised time are placed.
    assert {draft.request_id for draft in drafts} == {waiting[1].pk, waiting[2].pk}
    assert len({draft.supporter_id for draft in drafts}) == 2
    assert OutboxMessage.objects.count() == outbox_before

    sent = runs.send_batch(program=network, batch=run.batch, sent_by=coordinator_a)

    assert sent == 2
    assert set(drafts.values_list("status", flat=True)) == {ProposalStatus.PROPOSED}


def test_match_everyone_leaves_out_requests_already_proposed_and_never_overfills(
    network, facilities, ms, coordinator_a
):
    general, north = facilities
    ana = worker(network, ms, name="Ana", role="nurse", site=north, max_concurrent_matches=2)
    first, second = SupportRequestFactory.create_batch(
        2, program=network, experience=ms, site=general
    )
    services.propose(support_request=first, supporter=ana, proposed_by=coordinator_a)

    run = match_everyone_now(network, coordinator_a)

    (draft,) = Proposal.objects.filter(batch=run.batch)
    assert draft.request_id == second.pk
    again = match_everyone_now(network, coordinator_a)
    assert again.drafted == 0
    with pytest.raises(DomainError, match="has no room"):
        services.propose(
            support_request=SupportRequestFactory(program=network, experience=ms, site=general),
            supporter=ana,
            proposed_by=coordinator_a,
        )


def test_changing_the_weights_changes_who_comes_first(
    network, facilities, nurse_request, ms, coordinator_a
):
    _general, north = facilities
    worker(network, ms, name="Ana", role="nurse", site=north, birth_year=1960)
    worker(network, ms, name="Bo", role="physician", site=north, birth_year=1990)
    nurse_request.birth_year = 1990
    nurse_request.save()
    assert names(shortlist(nurse_request)) == ["Ana", "Bo"]

    weights = dict.fromkeys(MatchingSettings.objects.get(program=network).weights, 0.0)
    weights["age_band"] = 50.0
    services.update_settings(
        program=network,
        by=coordinator_a,
        weights=weights,
        exclude_same_site=True,
        proposal_response_hours=48,
    )

    assert names(shortlist(nurse_request)) == ["Bo", "Ana"]


def test_a_recorded_conflict_withdraws_the_open_proposal_and_bars_the_pair(
    network, facilities, nurse_request, ms, coordinator_a
):
    _general, north = facilities
    ana = worker(network, ms, name="Ana", role="nurse", site=north)
    proposal = services.propose(
        support_request=nurse_request, supporter=ana, proposed_by=coordinator_a
    )

    services.record_conflict(
        support_request=nurse_request, supporter=ana, reason="Neighbours", by=coordinator_a
    )

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert why_not(nurse_request, ana).reasons == ("has a recorded conflict with this person",)
    with pytest.raises(DomainError, match="already recorded"):
        services.record_conflict(
            support_request=nurse_request, supporter=ana, reason="Again", by=coordinator_a
        )


def test_a_training_that_expires_overnight_takes_the_supporter_off_the_next_days_list(
    network, facilities, nurse_request, ms
):
    _general, north = facilities
    ana = worker(network, ms, name="Ana", role="nurse", site=north)
    module = TrainingModule.objects.create(program=network, name="Boundaries", validity_months=12)
    today = timezone.localdate(timezone=network.calendar.zone)  # the program's day
    TrainingRecord.objects.create(
        supporter=ana,
        module=module,
        completed_on=today - dt.timedelta(days=365),
        expires_on=today,
        recorded_at=timezone.now(),
    )
    assert names(shortlist(nurse_request)) == ["Ana"]

    with time_machine.travel(timezone.now() + dt.timedelta(days=1)):
        answer = why_not(nurse_request, ana)
        assert names(shortlist(nurse_request)) == []

    assert answer.reasons == (
        f"has not completed the Boundaries training (expired {today:%-d %B %Y})",
    )
