"""A supporter's profile: who may change what, the rules it keeps, and the audit trail."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.models import Membership, Role
from alongside.core.calendar import add_months
from alongside.core.errors import DomainError
from alongside.core.models import AuditEvent
from alongside.notifications.models import OutboxMessage
from alongside.programs.factories import ExperienceFactory
from alongside.programs.models import Relationship, Site, SiteKind
from alongside.supporters.factories import LivedExperienceFactory
from alongside.supporters.models import LivedExperience, Supporter, SupporterStatus
from alongside.supporters.services.profile import (
    add_lived_experience,
    add_supporter,
    remove_lived_experience,
    update_profile,
)

pytestmark = pytest.mark.django_db

TUESDAY_EVENING = {"day": 1, "start": "18:00", "end": "21:00"}


# ---- update_profile -----------------------------------------------------------------------


def test_a_supporter_changes_their_availability_and_only_field_names_are_audited(supporter_a):
    changed = update_profile(
        supporter=supporter_a,
        by=supporter_a.user,
        changes={"availability": [TUESDAY_EVENING], "region": "Ottawa"},
    )

    supporter_a.refresh_from_db()
    assert sorted(changed) == ["availability", "region"]
    assert supporter_a.availability == [TUESDAY_EVENING]
    event = AuditEvent.objects.get(action="supporters.profile.updated")
    assert event.actor == supporter_a.user
    assert event.data == {"fields": ["availability", "region"]}
    assert "Ottawa" not in str(event.data)


def test_saving_the_same_values_changes_nothing_and_writes_no_event(supporter_a):
    changed = update_profile(
        supporter=supporter_a, by=supporter_a.user, changes={"region": supporter_a.region}
    )

    assert changed == []
    assert not AuditEvent.objects.filter(action="supporters.profile.updated").exists()


def test_a_coordinator_edits_any_supporter_of_their_program(supporter_a, coordinator_a):
    update_profile(supporter=supporter_a, by=coordinator_a, changes={"max_concurrent_matches": 4})

    supporter_a.refresh_from_db()
    assert supporter_a.max_concurrent_matches == 4


@pytest.mark.parametrize("who", ["coordinator_b", "other_supporter_a"])
def test_nobody_else_may_edit_a_profile(request, supporter_a, who):
    someone = request.getfixturevalue(who)
    user = someone if who == "coordinator_b" else someone.user

    with pytest.raises(DomainError, match="Only the supporter and their program"):
        update_profile(supporter=supporter_a, by=user, changes={"region": "Elsewhere"})


def test_only_staff_set_the_role_at_work_and_the_site(supporter_a, coordinator_a, program_a):
    site = Site.objects.create(program=program_a, name="General", kind=SiteKind.FACILITY)

    with pytest.raises(DomainError, match="You cannot change these here: site, work_role"):
        update_profile(
            supporter=supporter_a, by=supporter_a.user, changes={"work_role": "Nurse", "site": site}
        )
    update_profile(
        supporter=supporter_a, by=coordinator_a, changes={"work_role": "Nurse", "site": site}
    )

    supporter_a.refresh_from_db()
    assert (supporter_a.work_role, supporter_a.site) == ("Nurse", site)


def test_a_site_of_another_program_is_refused(supporter_a, coordinator_a, program_b):
    site = Site.objects.create(program=program_b, name="Elsewhere", kind=SiteKind.CLINIC)

    with pytest.raises(DomainError, match="That site belongs to another program"):
        update_profile(supporter=supporter_a, by=coordinator_a, changes={"site": site})


@pytest.mark.parametrize(
    ("availability", "message"),
    [
        ([{"day": 1, "start": "21:00", "end": "18:00"}], "A window must end after it starts."),
        ([{"day": 9, "start": "18:00", "end": "21:00"}], "from 0 \\(Monday\\) to 6"),
        ([{"day": 1, "start": "six", "end": "21:00"}], "hours and minutes"),
    ],
)
def test_availability_windows_are_checked(supporter_a, availability, message):
    with pytest.raises(DomainError, match=message):
        update_profile(
            supporter=supporter_a, by=supporter_a.user, changes={"availability": availability}
        )

    supporter_a.refresh_from_db()
    assert supporter_a.availability == []


def test_free_times_need_a_time_zone(supporter_a):
    with pytest.raises(DomainError, match="Please give a time zone"):
        update_profile(
            supporter=supporter_a,
            by=supporter_a.user,
            changes={"availability": [TUESDAY_EVENING], "time_zone": ""},
        )


def test_an_unknown_time_zone_is_refused(supporter_a):
    with pytest.raises(DomainError, match="is not a time zone we know"):
        update_profile(
            supporter=supporter_a, by=supporter_a.user, changes={"time_zone": "Mars/Base"}
        )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"languages": ["xx"]}, "Languages: These are not among the choices: xx."),
        ({"contact_methods": ["pigeon"]}, "These are not among the choices: pigeon"),
        ({"max_concurrent_matches": 0}, "Most matches at once"),
        ({"supports_genders": ["robot"]}, "These are not among the choices: robot"),
        ({"supports_relationships": ["neighbour"]}, "These are not among the choices: neighbour"),
    ],
)
def test_the_models_own_rules_come_back_as_plain_messages(supporter_a, changes, message):
    with pytest.raises(DomainError, match=message):
        update_profile(supporter=supporter_a, by=supporter_a.user, changes=changes)


def test_preferences_about_who_they_support_may_be_left_empty(supporter_a):
    update_profile(
        supporter=supporter_a,
        by=supporter_a.user,
        changes={"supports_genders": ["woman"], "supports_relationships": ["family"]},
    )
    update_profile(
        supporter=supporter_a,
        by=supporter_a.user,
        changes={"supports_genders": [], "supports_relationships": []},
    )

    supporter_a.refresh_from_db()
    assert supporter_a.supports_genders == []
    assert supporter_a.supports_relationships == []


def test_a_commitment_must_end_after_it_starts(supporter_a):
    start = timezone.localdate()

    with pytest.raises(DomainError, match="The commitment must end after it starts"):
        update_profile(
            supporter=supporter_a,
            by=supporter_a.user,
            changes={"commitment_starts_on": start, "commitment_ends_on": start},
        )


def test_a_commitment_without_an_end_lasts_the_programs_commitment(supporter_a, program_a):
    start = dt.date(2026, 1, 31)

    changed = update_profile(
        supporter=supporter_a,
        by=supporter_a.user,
        changes={"commitment_starts_on": start, "commitment_ends_on": None},
    )

    supporter_a.refresh_from_db()
    assert "commitment_ends_on" in changed
    assert supporter_a.commitment_ends_on == add_months(
        start, program_a.supporter_commitment_months
    )


def test_a_break_cannot_end_in_the_past(supporter_a):
    with pytest.raises(DomainError, match="A break must end today or later"):
        update_profile(
            supporter=supporter_a,
            by=supporter_a.user,
            changes={"away_until": timezone.localdate() - dt.timedelta(days=1)},
        )


def test_a_supporter_taking_a_break_tells_the_coordinators(supporter_a, coordinator_a):
    back = timezone.localdate() + dt.timedelta(days=30)

    update_profile(supporter=supporter_a, by=supporter_a.user, changes={"away_until": back})

    message = OutboxMessage.objects.get(recipient=coordinator_a)
    assert message.subject == "A supporter is taking a break"
    assert "Sam will take no new matches until" in message.body


def test_a_break_set_by_the_coordinator_sends_them_nothing(supporter_a, coordinator_a):
    back = timezone.localdate() + dt.timedelta(days=30)

    update_profile(supporter=supporter_a, by=coordinator_a, changes={"away_until": back})

    assert not OutboxMessage.objects.exists()


# ---- lived experiences ----------------------------------------------------------------------


def test_a_supporter_adds_an_experience_of_their_program(supporter_a, program_a):
    grief = ExperienceFactory(slug="grief", name="Grief")
    program_a.experiences.add(grief)

    lived = add_lived_experience(
        supporter=supporter_a,
        by=supporter_a.user,
        experience=grief,
        relationship=Relationship.FAMILY,
        since=dt.date(2019, 1, 1),
    )

    assert lived.supporter == supporter_a
    event = AuditEvent.objects.get(action="supporters.experience.added")
    assert event.data == {"lived_experience": lived.pk}


def test_an_experience_the_program_does_not_serve_is_refused(supporter_a):
    other = ExperienceFactory(slug="other", name="Other")

    with pytest.raises(DomainError, match="does not offer support with that experience"):
        add_lived_experience(
            supporter=supporter_a,
            by=supporter_a.user,
            experience=other,
            relationship=Relationship.SELF,
            since=None,
        )


def test_the_same_experience_and_relationship_is_listed_once(supporter_a, ms):
    with pytest.raises(DomainError, match="already listed with that relationship"):
        add_lived_experience(
            supporter=supporter_a,
            by=supporter_a.user,
            experience=ms,
            relationship=Relationship.SELF,
            since=None,
        )


def test_an_experience_cannot_begin_in_the_future(supporter_a, ms):
    with pytest.raises(DomainError, match="a year that has already begun"):
        add_lived_experience(
            supporter=supporter_a,
            by=supporter_a.user,
            experience=ms,
            relationship=Relationship.FAMILY,
            since=timezone.localdate() + dt.timedelta(days=400),
        )


def test_an_experience_is_removed_and_the_removal_audited(supporter_a, ms):
    extra = LivedExperienceFactory(supporter=supporter_a, experience=ms, relationship="family")

    remove_lived_experience(lived_experience=extra, by=supporter_a.user)

    assert not LivedExperience.objects.filter(pk=extra.pk).exists()
    assert AuditEvent.objects.filter(action="supporters.experience.removed").exists()


def test_the_last_experience_cannot_be_removed(supporter_a):
    (only,) = supporter_a.experiences.all()

    with pytest.raises(DomainError, match="at least one lived experience"):
        remove_lived_experience(lived_experience=only, by=supporter_a.user)


def test_another_programs_coordinator_cannot_remove_an_experience(supporter_a, ms, coordinator_b):
    extra = LivedExperienceFactory(supporter=supporter_a, experience=ms, relationship="family")

    with pytest.raises(DomainError):
        remove_lived_experience(lived_experience=extra, by=coordinator_b)


# ---- the page -------------------------------------------------------------------------------


def profile_url(supporter) -> str:
    return reverse("supporters:profile", args=[supporter.pk])


def form_data(supporter, **changes) -> dict[str, object]:
    data: dict[str, object] = {
        "languages": supporter.languages,
        "contact_methods": supporter.contact_methods,
        "region": supporter.region,
        "time_zone": supporter.time_zone,
        "max_concurrent_matches": supporter.max_concurrent_matches,
        "expected_hours_per_month": "",
        "away_until": "",
        "commitment_starts_on": supporter.commitment_starts_on.isoformat(),
        "commitment_ends_on": supporter.commitment_ends_on.isoformat(),
    }
    return data | changes


def test_a_supporter_opens_their_profile_and_the_read_is_audited(client, supporter_a):
    client.force_login(supporter_a.user)

    response = client.get(profile_url(supporter_a))

    assert response.status_code == 200
    assert "My profile" in response.text
    assert "Role at work" not in response.text
    assert AuditEvent.objects.filter(action="supporters.profile.viewed").exists()


def test_a_supporter_saves_free_times_and_a_break_and_returns_to_their_page(client, supporter_a):
    client.force_login(supporter_a.user)
    back = timezone.localdate() + dt.timedelta(days=14)

    response = client.post(
        profile_url(supporter_a),
        form_data(
            supporter_a,
            window_0_day="1",
            window_0_start="18:00",
            window_0_end="21:00",
            window_1_day="5",
            window_1_start="09:30",
            window_1_end="00:00",
            away_until=back.isoformat(),
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("my_page")
    supporter_a.refresh_from_db()
    assert supporter_a.availability == [
        TUESDAY_EVENING,
        {"day": 5, "start": "09:30", "end": "00:00"},
    ]
    assert supporter_a.away_until == back


def test_a_half_filled_free_time_gets_a_plain_message_and_nothing_is_saved(client, supporter_a):
    client.force_login(supporter_a.user)

    response = client.post(
        profile_url(supporter_a), form_data(supporter_a, window_1_day="2", region="Changed")
    )

    assert response.status_code == 200
    assert "Free time 2, day: Free time 2: choose a day, a start and an end" in response.text
    supporter_a.refresh_from_db()
    assert supporter_a.region == "Ontario"


def test_a_free_time_ending_before_it_starts_is_explained(client, supporter_a):
    client.force_login(supporter_a.user)

    response = client.post(
        profile_url(supporter_a),
        form_data(supporter_a, window_0_day="0", window_0_start="20:00", window_0_end="08:00"),
    )

    assert response.status_code == 200
    assert "A window must end after it starts." in response.text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"languages": []}, "Choose at least one language."),
        ({"max_concurrent_matches": "many"}, "Enter a whole number."),
        ({"time_zone": "Mars/Base"}, "Select a valid choice."),
        ({"commitment_ends_on": "2000-01-01"}, "The commitment must end after it starts."),
        ({"away_until": "2000-01-01"}, "Please give a day from today on"),
    ],
)
def test_bad_answers_come_back_with_a_clear_message(client, supporter_a, changes, message):
    client.force_login(supporter_a.user)

    response = client.post(profile_url(supporter_a), form_data(supporter_a, **changes))

    assert response.status_code == 200
    assert message in response.text


def test_a_coordinator_sets_role_and_site_and_returns_to_the_supporter_page(
    client, supporter_a, coordinator_a, program_a
):
    program_a.asks_work_role = True
    program_a.save()
    site = Site.objects.create(program=program_a, name="General", kind=SiteKind.FACILITY)
    client.force_login(coordinator_a)

    page = client.get(profile_url(supporter_a))
    response = client.post(
        profile_url(supporter_a), form_data(supporter_a, work_role="Nurse", site=site.pk)
    )

    assert "Profile of Sam" in page.text
    assert "Languages they can support people in" in page.text
    assert "Role at work" in page.text
    assert response["Location"] == reverse("supporters:detail", args=[supporter_a.pk])
    supporter_a.refresh_from_db()
    assert (supporter_a.work_role, supporter_a.site) == ("Nurse", site)


def test_a_supporter_cannot_slip_a_role_into_their_own_form(client, supporter_a):
    client.force_login(supporter_a.user)

    client.post(profile_url(supporter_a), form_data(supporter_a, work_role="Chief"))

    supporter_a.refresh_from_db()
    assert supporter_a.work_role == ""


def test_another_supporters_profile_is_not_found(client, supporter_a, other_supporter_a):
    client.force_login(other_supporter_a.user)

    assert client.get(profile_url(supporter_a)).status_code == 404
    assert client.post(profile_url(supporter_a), form_data(supporter_a)).status_code == 404


def test_experiences_are_added_and_removed_from_the_page(client, supporter_a, ms):
    client.force_login(supporter_a.user)

    added = client.post(
        reverse("supporters:add_experience", args=[supporter_a.pk]),
        {
            "experience-experience": ms.pk,
            "experience-relationship": "family",
            "experience-since_month": "3",
            "experience-since_year": "2018",
        },
    )
    lived = LivedExperience.objects.get(supporter=supporter_a, relationship="family")
    removed = client.post(
        reverse("supporters:remove_experience", args=[supporter_a.pk, lived.pk]), follow=True
    )

    assert added.status_code == 302
    assert lived.since == dt.date(2018, 3, 1)
    assert "Experience removed." in removed.text
    assert not LivedExperience.objects.filter(pk=lived.pk).exists()


def test_adding_an_experience_twice_is_explained_on_the_page(client, supporter_a, ms):
    client.force_login(supporter_a.user)

    response = client.post(
        reverse("supporters:add_experience", args=[supporter_a.pk]),
        {"experience-experience": ms.pk, "experience-relationship": "self"},
    )

    assert response.status_code == 200
    assert "Multiple sclerosis is already listed with that relationship." in response.text


def test_removing_the_last_experience_is_explained(client, supporter_a):
    (only,) = supporter_a.experiences.all()
    client.force_login(supporter_a.user)

    response = client.post(
        reverse("supporters:remove_experience", args=[supporter_a.pk, only.pk]), follow=True
    )

    assert "at least one lived experience" in response.text
    assert LivedExperience.objects.filter(pk=only.pk).exists()


def test_an_experience_of_another_supporter_is_not_found(client, supporter_a, other_supporter_a):
    (theirs,) = other_supporter_a.experiences.all()
    client.force_login(supporter_a.user)

    response = client.post(
        reverse("supporters:remove_experience", args=[supporter_a.pk, theirs.pk])
    )

    assert response.status_code == 404


def test_the_portal_links_to_the_profile_and_shows_a_break(client, supporter_a):
    supporter_a.away_until = timezone.localdate() + dt.timedelta(days=3)
    supporter_a.save()
    client.force_login(supporter_a.user)

    response = client.get(reverse("my_page"))

    assert profile_url(supporter_a) in response.text
    assert "On a break until" in response.text


# ---- add_supporter --------------------------------------------------------------------------


def test_a_coordinator_adds_someone_as_a_supporter_who_then_holds_the_role(
    coordinator_a, program_a, peer_user
):
    supporter = add_supporter(
        program=program_a,
        user=peer_user,
        by=coordinator_a,
        status=SupporterStatus.SCREENING,
        languages=["en", "fr"],
        contact_methods=["phone"],
        gender="woman",
        birth_year=1980,
        about="Met at the spring information night.",
    )

    supporter.refresh_from_db()
    assert supporter.program == program_a
    assert supporter.status == SupporterStatus.SCREENING
    assert supporter.languages == ["en", "fr"]
    assert supporter.about == "Met at the spring information night."
    assert Membership.objects.filter(
        user=peer_user, program=program_a, role=Role.SUPPORTER, is_active=True
    ).exists()
    event = AuditEvent.objects.get(action="supporters.supporter.added")
    assert event.actor == coordinator_a
    assert event.target_id == str(supporter.pk)


def test_only_the_programs_staff_may_add_a_supporter(coordinator_b, program_a, peer_user):
    with pytest.raises(DomainError, match="Only the program's coordinators"):
        add_supporter(
            program=program_a,
            user=peer_user,
            by=coordinator_b,
            status=SupporterStatus.ACTIVE,
            languages=["en"],
            contact_methods=["phone"],
        )

    assert not Supporter.objects.filter(user=peer_user).exists()
    assert not Membership.objects.filter(user=peer_user).exists()


def test_someone_is_a_programs_supporter_only_once(coordinator_a, program_a, supporter_a):
    with pytest.raises(DomainError, match="already a supporter of this program"):
        add_supporter(
            program=program_a,
            user=supporter_a.user,
            by=coordinator_a,
            status=SupporterStatus.ACTIVE,
            languages=["en"],
            contact_methods=["phone"],
        )


def test_a_break_or_leaving_is_not_a_status_to_add_someone_with(
    coordinator_a, program_a, peer_user
):
    with pytest.raises(DomainError, match="applied, in screening, active or paused"):
        add_supporter(
            program=program_a,
            user=peer_user,
            by=coordinator_a,
            status=SupporterStatus.ON_BREAK,
            languages=["en"],
            contact_methods=["phone"],
        )


def test_an_unknown_language_is_refused_naming_the_field(coordinator_a, program_a, peer_user):
    with pytest.raises(DomainError, match="Languages"):
        add_supporter(
            program=program_a,
            user=peer_user,
            by=coordinator_a,
            status=SupporterStatus.ACTIVE,
            languages=["klingon"],
            contact_methods=["phone"],
        )

    assert not Supporter.objects.filter(user=peer_user).exists()
