"""The pages of a match's life: access and the happy path of each."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from alongside.core.models import AuditEvent
from alongside.matches.factories import (
    CheckInFactory,
    ContactLogFactory,
    GoalFactory,
    HoursReportFactory,
    MatchFactory,
)
from alongside.matches.models import (
    ClosureReason,
    GoalStatus,
    MatchStatus,
)
from alongside.resources.factories import ResourceFactory
from alongside.resources.models import Referral
from alongside.safety.models import Escalation


def contact_answers(**overrides) -> dict[str, object]:
    return {
        "occurred_at": timezone.localtime(timezone.now() - dt.timedelta(hours=1)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "was_made": "yes",
        "minutes": "40",
        "method": "phone",
        "support_types": ["emotional"],
        "note": "",
    } | overrides


def test_a_supporter_shares_a_resource_and_asks_for_the_coordinator_in_one_contact(
    client, match_a, program_a
):
    resource = ResourceFactory(program=program_a, name="Peer café")
    client.force_login(match_a.supporter.user)

    response = client.post(
        reverse("matches:log_contact", args=[match_a.pk]),
        contact_answers(
            resources=[resource.pk],
            needs_coordinator="on",
            what_happened="They asked about housing law.",
            follow_up_on=(timezone.localdate() + dt.timedelta(days=3)).isoformat(),
            follow_up_what="Send the clinic's number",
        ),
    )

    assert response.status_code == 302
    assert Referral.objects.get().resource == resource
    assert Escalation.objects.get().urgency == "beyond_role"
    detail = client.get(reverse("matches:detail", args=[match_a.pk])).content.decode()
    assert "Peer café" in detail
    assert "Raised with the coordinator" in detail


def test_asking_for_the_coordinator_without_a_word_shows_the_error_by_the_field(client, match_a):
    client.force_login(match_a.supporter.user)

    response = client.post(
        reverse("matches:log_contact", args=[match_a.pk]),
        contact_answers(needs_coordinator="on"),
    )

    assert response.status_code == 200
    assert "Tell the coordinator what happened" in response.content.decode()
    assert not match_a.contacts.exists()


def test_a_supervisor_comments_on_a_contact_from_the_match_page(client, match_a, supervisor_a):
    contact = ContactLogFactory(match=match_a)
    client.force_login(supervisor_a)
    detail = client.get(reverse("matches:detail", args=[match_a.pk])).content.decode()
    assert "Add comment" in detail

    response = client.post(reverse("matches:comment", args=[contact.pk]), {"body": "Well done."})

    assert response.status_code == 302
    assert contact.comments.get().body == "Well done."


def test_a_supervisor_of_another_program_gets_404_on_a_comment(client, match_a, supervisor_b):
    client.force_login(supervisor_b)

    response = client.post(
        reverse("matches:comment", args=[ContactLogFactory(match=match_a).pk]), {"body": "x"}
    )

    assert response.status_code == 404


def test_a_comment_added_in_place_answers_the_contacts_comments_alone(
    client, match_a, supervisor_a
):
    contact = ContactLogFactory(match=match_a)
    client.force_login(supervisor_a)

    response = client.post(
        reverse("matches:comment", args=[contact.pk]),
        {"body": "Well done."},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "<html" not in text
    assert text.lstrip().startswith(f'<div id="contact-{contact.pk}-comments"')
    assert "Well done." in text
    assert "Comment added." in text  # into the page's live region
    assert contact.comments.get().body == "Well done."


def test_an_empty_comment_in_place_says_why_beside_the_form_and_keeps_nothing(
    client, match_a, supervisor_a
):
    contact = ContactLogFactory(match=match_a)
    client.force_login(supervisor_a)

    response = client.post(
        reverse("matches:comment", args=[contact.pk]), {"body": ""}, HTTP_HX_REQUEST="true"
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "data-error-summary" in text
    assert "Write a comment first." in text
    assert f'aria-describedby="comment-{contact.pk}-errors"' in text
    assert not contact.comments.exists()


def test_an_empty_comment_without_javascript_goes_back_to_the_page_with_the_error(
    client, match_a, supervisor_a
):
    contact = ContactLogFactory(match=match_a)
    client.force_login(supervisor_a)

    response = client.post(reverse("matches:comment", args=[contact.pk]), {"body": ""}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("matches:detail", args=[match_a.pk])
    assert "Write a comment first." in response.content.decode()
    assert "!!missing" not in response.content.decode()  # the page's comment box starts empty


def test_a_supervisor_of_another_program_gets_404_on_a_comment_in_place(
    client, match_a, supervisor_b
):
    client.force_login(supervisor_b)

    response = client.post(
        reverse("matches:comment", args=[ContactLogFactory(match=match_a).pk]),
        {"body": "x"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 404


def test_pausing_in_place_answers_the_matchs_state_with_resume_in_its_place(
    client, match_a, coordinator_a
):
    client.force_login(coordinator_a)

    response = client.post(reverse("matches:pause", args=[match_a.pk]), HTTP_HX_REQUEST="true")

    text = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in text
    assert text.lstrip().startswith('<div id="match-plan"')
    assert "Paused" in text
    assert f'hx-post="{reverse("matches:resume", args=[match_a.pk])}"' in text
    assert "The match is paused." in text
    match_a.refresh_from_db()
    assert match_a.status == MatchStatus.PAUSED


def test_resuming_in_place_answers_the_matchs_state_with_pause_in_its_place(
    client, match_a, coordinator_a
):
    client.force_login(coordinator_a)
    client.post(reverse("matches:pause", args=[match_a.pk]))

    response = client.post(reverse("matches:resume", args=[match_a.pk]), HTTP_HX_REQUEST="true")

    text = response.content.decode()
    assert "The match is active again." in text
    assert f'hx-post="{reverse("matches:pause", args=[match_a.pk])}"' in text
    match_a.refresh_from_db()
    assert match_a.status == MatchStatus.ACTIVE


def test_pausing_a_paused_match_in_place_says_why_in_the_live_region(
    client, match_a, coordinator_a
):
    client.force_login(coordinator_a)
    client.post(reverse("matches:pause", args=[match_a.pk]))

    response = client.post(reverse("matches:pause", args=[match_a.pk]), HTTP_HX_REQUEST="true")

    assert "Only an active match can be paused." in response.content.decode()


def test_pausing_without_javascript_still_goes_back_to_the_match_page(
    client, match_a, coordinator_a
):
    client.force_login(coordinator_a)

    response = client.post(reverse("matches:pause", args=[match_a.pk]))

    assert response.status_code == 302
    assert response.url == reverse("matches:detail", args=[match_a.pk])


def test_another_programs_coordinator_gets_404_pausing_in_place(client, match_a, coordinator_b):
    client.force_login(coordinator_b)

    response = client.post(reverse("matches:pause", args=[match_a.pk]), HTTP_HX_REQUEST="true")

    assert response.status_code == 404
    match_a.refresh_from_db()
    assert match_a.status == MatchStatus.ACTIVE


def test_the_coordinator_pauses_resumes_and_extends_from_the_match_page(
    client, match_a, coordinator_a
):
    client.force_login(coordinator_a)
    client.post(reverse("matches:pause", args=[match_a.pk]))
    match_a.refresh_from_db()
    assert match_a.status == MatchStatus.PAUSED
    client.post(reverse("matches:resume", args=[match_a.pk]))
    later = timezone.localdate() + dt.timedelta(weeks=40)

    response = client.post(reverse("matches:extend", args=[match_a.pk]), {"until": later})

    assert response.status_code == 302
    match_a.refresh_from_db()
    assert (match_a.status, match_a.planned_end_on) == (MatchStatus.ACTIVE, later)


def test_the_coordinator_records_a_check_in(client, match_a, coordinator_a):
    checkin = CheckInFactory(match=match_a)
    client.force_login(coordinator_a)

    response = client.post(
        reverse("matches:checkin", args=[checkin.pk]),
        {"method": "call", "with_peer": "on", "with_supporter": "on", "notes": "Fine"},
    )

    assert response.status_code == 302
    checkin.refresh_from_db()
    assert checkin.is_done


def test_the_coordinator_closes_a_match_with_its_closure_check_in(client, match_a, coordinator_a):
    client.force_login(coordinator_a)

    response = client.post(
        reverse("matches:close", args=[match_a.pk]),
        {
            "reason": ClosureReason.SUPPORTER_UNAVAILABLE,
            "checkin_method": "call",
            "heard_from_peer": "on",
            "heard_from_supporter": "on",
        },
        follow=True,
    )

    match_a.refresh_from_db()
    assert match_a.status == MatchStatus.CLOSED
    assert "The supporter became unavailable" in response.content.decode()


def test_closing_without_hearing_from_the_supporter_explains_why_and_keeps_it_open(
    client, match_a, coordinator_a
):
    client.force_login(coordinator_a)

    response = client.post(
        reverse("matches:close", args=[match_a.pk]),
        {"reason": ClosureReason.COMPLETED, "checkin_method": "call", "heard_from_peer": "on"},
    )

    assert response.status_code == 200
    assert "must hear from the supporter" in response.content.decode()
    match_a.refresh_from_db()
    assert match_a.status == MatchStatus.ACTIVE


def test_a_supporter_adds_a_goal_and_marks_progress(client, program_a, supporter_a):
    program_a.is_goal_based = True
    program_a.save()
    match = MatchFactory(program=program_a, supporter=supporter_a)
    client.force_login(supporter_a.user)

    client.post(reverse("matches:add_goal", args=[match.pk]), {"description": "Sleep better"})
    goal = match.goals.get()
    response = client.post(
        reverse("matches:goal", args=[goal.pk]), {"note": "Better", "status": "achieved"}
    )

    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACHIEVED


def test_another_supporter_cannot_open_a_goal(client, program_a, other_supporter_a):
    goal = GoalFactory(match__program=program_a)
    client.force_login(other_supporter_a.user)

    assert client.get(reverse("matches:goal", args=[goal.pk])).status_code == 404


def test_the_supporter_sees_the_report_prefilled_and_confirms_it(client, match_a, supporter_a):
    ContactLogFactory(match=match_a, occurred_at=timezone.now() - dt.timedelta(days=40))
    report = HoursReportFactory(supporter=supporter_a)
    client.force_login(supporter_a.user)

    page = client.get(reverse("matches:hours_report", args=[report.pk]))
    assert "The program expects 2.0\N{EN DASH}4.0 hours a month." in page.content.decode()
    response = client.post(
        reverse("matches:hours_report", args=[report.pk]),
        {"hours": "3.5", "contacts": "4", "anything_to_know": ""},
    )

    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.confirmed_minutes, report.confirmed_contacts) == (210, 4)


def test_a_coordinator_can_read_but_not_confirm_a_supporters_report(
    client, supporter_a, coordinator_a
):
    report = HoursReportFactory(supporter=supporter_a)
    client.force_login(coordinator_a)

    assert client.get(reverse("matches:hours_report", args=[report.pk])).status_code == 200
    response = client.post(
        reverse("matches:hours_report", args=[report.pk]), {"hours": "1", "contacts": "1"}
    )

    assert response.status_code == 404
    report.refresh_from_db()
    assert not report.is_confirmed


def test_the_hours_list_keeps_its_queries_flat(
    client, program_a, coordinator_a, django_assert_max_num_queries
):
    for _ in range(30):
        HoursReportFactory(supporter=MatchFactory(program=program_a).supporter)
    client.force_login(coordinator_a)

    with django_assert_max_num_queries(6):
        client.get(reverse("matches:hours_reports"))


def test_a_coordinator_reading_a_supporters_report_leaves_an_audit_event(
    client, supporter_a, coordinator_a
):
    report = HoursReportFactory(supporter=supporter_a, anything_to_know="I am tired.")
    client.force_login(coordinator_a)

    client.get(reverse("matches:hours_report", args=[report.pk]))

    event = AuditEvent.objects.get(action="matches.hours_report.viewed")
    assert (event.actor, event.target_id) == (coordinator_a, str(report.pk))
