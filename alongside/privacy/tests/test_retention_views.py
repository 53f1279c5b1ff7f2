"""A program's staff set its retention, see what would go today (counts, never names), and place
and lift legal holds from a person's request page and a match's page; nobody else opens them."""

import pytest
from django.urls import reverse

from alongside.core.models import AuditEvent
from alongside.intake.models import Peer
from alongside.privacy.models import LegalHold, RetentionPolicy
from alongside.privacy.tests.test_retention import CANARY, Old, old
from alongside.privacy.tests.test_views import words

__all__ = ["old"]

HOLD_LINK = "Place a legal hold"


def test_a_coordinator_sets_the_programs_retention(client, coordinator_a, program_a):
    client.force_login(coordinator_a)
    url = reverse("privacy:retention", args=[program_a.pk])
    assert "Read and change the retention" in words(
        client.get(reverse("programs:settings", args=[program_a.pk]))
    )

    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "requests_months": 96,
            "matches_months": 96,
            "applications_months": 12,
            "messages_months": 12,
            "audit_events_months": 96,
        },
    )

    assert response.status_code == 302
    policy = RetentionPolicy.objects.get(program=program_a)
    assert (policy.requests_months, policy.audit_events_months) == (96, 96)
    assert AuditEvent.objects.filter(action="privacy.retention.changed").exists()


def test_a_retention_below_the_minimum_is_refused_beside_the_form(client, coordinator_a, program_a):
    client.force_login(coordinator_a)
    response = client.post(
        reverse("privacy:retention", args=[program_a.pk]),
        {
            "requests_months": 0,
            "matches_months": 84,
            "applications_months": 12,
            "messages_months": 12,
            "audit_events_months": 84,
        },
    )

    assert response.status_code == 200
    assert "Keep them at least 6 months." in words(response)
    assert not RetentionPolicy.objects.exists()


@pytest.mark.parametrize("name", ["retention", "retention_dry_run"])
def test_another_programs_coordinator_and_a_supporter_cannot_open_the_retention(
    client, coordinator_b, supporter_a, program_a, name
):
    url = reverse(f"privacy:{name}", args=[program_a.pk])
    client.force_login(coordinator_b)
    assert client.get(url).status_code == 404
    client.force_login(supporter_a.user)
    assert client.get(url).status_code == 403


def test_the_dry_run_page_counts_what_would_go_and_names_nobody(
    client, coordinator_a, program_a, old: Old
):
    client.force_login(coordinator_a)

    response = client.get(reverse("privacy:retention_dry_run", args=[program_a.pk]))

    text = words(response)
    assert response.status_code == 200
    assert CANARY not in text
    assert "0 legal holds in force keep their records." in text
    assert Peer.objects.get(pk=old.request.peer_id).first_name == CANARY  # nothing changed


def test_a_coordinator_places_a_hold_from_the_request_page_and_lifts_it(
    client, coordinator_a, old: Old
):
    client.force_login(coordinator_a)
    page = reverse("intake:request_detail", args=[old.request.pk])
    assert HOLD_LINK in words(client.get(page))

    response = client.post(
        reverse("privacy:hold_person", args=[old.request.pk]), {"reason": "A complaint is open."}
    )

    assert response.status_code == 302
    assert response["Location"] == page
    hold = LegalHold.objects.get()
    assert hold.peer_id == old.request.peer_id
    assert hold.in_force
    text = words(client.get(page))
    assert "This person's records are kept" in text
    assert HOLD_LINK not in text

    response = client.post(reverse("privacy:lift_hold", args=[hold.pk]), {"reason": "Settled."})

    assert response.status_code == 302
    assert response["Location"] == page
    hold.refresh_from_db()
    assert not hold.in_force


def test_a_coordinator_places_a_hold_from_the_match_page(client, coordinator_a, old: Old):
    client.force_login(coordinator_a)
    page = reverse("matches:detail", args=[old.match.pk])
    assert HOLD_LINK in words(client.get(page))

    response = client.post(
        reverse("privacy:hold_match", args=[old.match.pk]), {"reason": "A claim."}
    )

    assert response.status_code == 302
    assert response["Location"] == page
    assert LegalHold.objects.get().match_id == old.match.pk
    assert "This match is kept" in words(client.get(page))


def test_a_hold_without_a_reason_is_refused(client, coordinator_a, old: Old):
    client.force_login(coordinator_a)

    response = client.post(reverse("privacy:hold_match", args=[old.match.pk]), {"reason": ""})

    assert response.status_code == 200
    assert "Say why the records must be kept." in words(response)
    assert not LegalHold.objects.exists()


def test_the_supporter_of_the_match_sees_no_hold_and_cannot_place_one(client, old: Old):
    client.force_login(old.match.supporter.user)

    assert HOLD_LINK not in words(client.get(reverse("matches:detail", args=[old.match.pk])))
    assert client.get(reverse("privacy:hold_match", args=[old.match.pk])).status_code == 403


def test_another_programs_coordinator_cannot_place_or_lift_a_hold(
    client, coordinator_a, coordinator_b, old: Old
):
    client.force_login(coordinator_a)
    client.post(reverse("privacy:hold_match", args=[old.match.pk]), {"reason": "A claim."})
    hold = LegalHold.objects.get()
    client.force_login(coordinator_b)

    assert client.get(reverse("privacy:hold_match", args=[old.match.pk])).status_code == 404
    assert client.get(reverse("privacy:hold_person", args=[old.request.pk])).status_code == 404
    assert (
        client.post(reverse("privacy:lift_hold", args=[hold.pk]), {"reason": "x"}).status_code
        == 404
    )
    hold.refresh_from_db()
    assert hold.in_force
