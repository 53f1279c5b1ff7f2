from django.urls import reverse
from huey.contrib.djhuey import HUEY

from alongside.core.models import AuditEvent
from alongside.programs.models import Language


def test_the_shortlist_api_gives_each_score_part_and_the_reasons_for_those_left_out(
    client, coordinator_a, request_a, supporter_a, other_supporter_a
):
    other_supporter_a.languages = [Language.FRENCH]
    other_supporter_a.save()
    client.force_login(coordinator_a)

    body = client.get(reverse("api:request_shortlist", args=[request_a.pk])).json()

    (candidate,) = body["candidates"]
    assert candidate["supporter"] == "Sam"
    assert round(sum(part["points"] for part in candidate["parts"]), 1) == candidate["total"]
    assert body["left_out"] == [
        {
            "supporter_id": other_supporter_a.pk,
            "supporter": "Robin",
            "reasons": ["no shared language"],
        }
    ]


def test_the_shortlist_api_refuses_a_request_already_matched(client, coordinator_a, match_a):
    client.force_login(coordinator_a)

    response = client.get(reverse("api:request_shortlist", args=[match_a.request.pk]))

    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "This request is not waiting for a match."


def test_the_shortlist_api_asks_to_come_back_while_the_suggestions_are_prepared(
    client, coordinator_a, request_a, supporter_a, monkeypatch
):
    monkeypatch.setattr(HUEY, "immediate", False)  # a worker elsewhere builds the snapshot
    client.force_login(coordinator_a)

    response = client.get(reverse("api:request_shortlist", args=[request_a.pk]))

    assert response.status_code == 503
    assert "being prepared" in response.json()["detail"]


def test_reading_a_shortlist_through_the_api_is_audited(
    client, coordinator_a, request_a, supporter_a
):
    client.force_login(coordinator_a)

    client.get(reverse("api:request_shortlist", args=[request_a.pk]))

    event = AuditEvent.objects.get(action="matching.shortlist.viewed")
    assert event.actor == coordinator_a
    assert (event.target_type, event.target_id) == ("intake.supportrequest", str(request_a.pk))
    assert event.program_id == request_a.program_id
    assert event.data == {"candidates": 1}


def test_a_shortlist_refused_writes_no_audit_event(client, coordinator_a, match_a):
    client.force_login(coordinator_a)

    client.get(reverse("api:request_shortlist", args=[match_a.request.pk]))

    assert not AuditEvent.objects.filter(action="matching.shortlist.viewed").exists()
