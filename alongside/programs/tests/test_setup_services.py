"""Setting a program up: the rules each setting is held to, each message naming its field, and
the audit of every change."""

import datetime as dt
from decimal import Decimal

import pytest

from alongside.accounts.models import Membership, Role, User
from alongside.core.errors import DomainError
from alongside.core.models import AuditEvent
from alongside.programs import services
from alongside.programs.factories import ExperienceFactory
from alongside.programs.models import Program, Site
from alongside.programs.rules import rows_from_rules, rules_from_rows
from alongside.programs.services import SettingsError

pytestmark = pytest.mark.django_db

SCHEDULE = {
    "time_zone": "America/Toronto",
    "country": "CA",
    "subdivision": "ON",
    "business_day_ends_at": dt.time(17, 0),
    "sla_business_days": 2,
    "match_length_weeks": 26,
    "is_goal_based": False,
    "checkin_months": [1, 3, 6],
    "supporter_commitment_months": 12,
    "expected_hours_min": Decimal(1),
    "expected_hours_max": Decimal(4),
}


def create(by, **changes):
    settings = {
        "name": "Stroke peer support",
        "slug": "stroke",
        "description": "Talk with someone who has been there.",
        "country": "CA",
        "subdivision": "NS",
        "time_zone": "America/Halifax",
        "languages": ["en"],
        "contact_methods": ["phone"],
    } | changes
    return services.create_program(by=by, **settings)


def refused(call, **arguments) -> dict[str, list[str]]:
    with pytest.raises(SettingsError) as error:
        call(**arguments)
    return error.value.errors


def schedule_errors(program, by, **changes):
    return refused(services.change_schedule, program=program, by=by, **(SCHEDULE | changes))


# ---- creating a program ---------------------------------------------------------------------


def test_an_administrator_creates_a_program_that_takes_no_requests_yet_and_administers_it(
    administrator,
):
    program = create(administrator)

    assert program.name == "Stroke peer support"
    assert not program.accepts_public_requests
    assert not program.accepts_phone_requests
    assert not program.recruits_supporters
    assert not program.accepts_referrals
    assert Membership.objects.filter(
        user=administrator, program=program, role=Role.ADMINISTRATOR, is_active=True
    ).exists()
    assert AuditEvent.objects.filter(
        action="programs.program.created", target_id=str(program.pk)
    ).exists()


def test_an_installation_superuser_creates_a_program_without_taking_a_role_in_it(db):
    root = User.objects.create_superuser("root@example.org", "x")

    program = create(root)

    assert not Membership.objects.filter(program=program).exists()


def test_a_web_address_name_taken_by_another_program_is_refused_naming_it(administrator, program_a):
    errors = refused(create, by=administrator, slug=program_a.slug)

    assert errors == {"slug": ["Another program already has the web address name “program-a”."]}
    assert not Program.objects.filter(name="Stroke peer support").exists()


def test_a_web_address_name_with_spaces_is_refused_naming_the_field(administrator):
    errors = refused(create, by=administrator, slug="Stroke Support")

    assert errors["slug"][0].startswith("The web address name may use only small letters")


def test_a_new_program_needs_a_name_a_language_and_a_contact_method(administrator):
    errors = refused(create, by=administrator, name="  ", languages=[], contact_methods=[])

    assert errors == {
        "name": ["Give the program a name."],
        "languages": ["Languages offered: choose at least one."],
        "contact_methods": ["Contact methods: choose at least one."],
    }


def test_a_language_or_contact_method_we_do_not_know_is_refused_naming_the_field(administrator):
    errors = refused(create, by=administrator, languages=["en", "xx"], contact_methods=["fax"])

    assert errors["languages"] == ["Languages offered: these are not among the choices: xx."]
    assert errors["contact_methods"] == ["Contact methods: these are not among the choices: fax."]


def test_a_time_zone_that_does_not_exist_is_refused_naming_the_field(administrator):
    errors = refused(create, by=administrator, time_zone="America/Atlantis")

    assert errors == {
        "time_zone": [
            "The time zone “America/Atlantis” is not one we know; choose one such as "
            "America/Toronto."
        ]
    }


def test_a_country_without_a_holiday_calendar_is_refused_naming_the_field(administrator):
    errors = refused(create, by=administrator, country="XX", subdivision="")

    assert errors == {"country": ["We have no holiday calendar for the country “XX”."]}


def test_a_province_the_holidays_library_does_not_know_for_the_country_is_refused(administrator):
    errors = refused(create, by=administrator, country="CA", subdivision="MA")

    assert errors["subdivision"][0].startswith(
        "The province or state “MA” is not one of CA's in the holiday calendar; choose one of AB"
    )


# ---- the schedule ---------------------------------------------------------------------------


def test_the_schedule_is_saved_and_audited_with_the_names_of_the_fields_changed(
    program_a, coordinator_a
):
    changed = services.change_schedule(
        program=program_a, by=coordinator_a, **(SCHEDULE | {"sla_business_days": 3})
    )

    assert changed.sla_business_days == 3
    event = AuditEvent.objects.get(action="programs.program.changed")
    assert event.data == {"fields": ["checkin_months", "expected_hours_min", "sla_business_days"]}


def test_nothing_is_audited_when_nothing_changes(program_a, coordinator_a):
    services.change_schedule(program=program_a, by=coordinator_a, **SCHEDULE)
    services.change_schedule(program=program_a, by=coordinator_a, **SCHEDULE)

    assert AuditEvent.objects.filter(action="programs.program.changed").count() == 1


def test_days_to_match_must_be_at_least_one(program_a, coordinator_a):
    errors = schedule_errors(program_a, coordinator_a, sla_business_days=0)

    assert errors == {"sla_business_days": ["Days to match must be a whole number from 1 to 30."]}
    program_a.refresh_from_db()
    assert program_a.sla_business_days == 2


def test_an_hours_band_upside_down_is_refused_naming_both_ends(program_a, coordinator_a):
    errors = schedule_errors(
        program_a, coordinator_a, expected_hours_min=Decimal(6), expected_hours_max=Decimal(2)
    )

    assert errors == {
        "expected_hours_max": [
            "The hours band's upper end (2) must not be below its lower end (6)."
        ]
    }


def test_check_in_months_out_of_order_or_repeated_are_refused(program_a, coordinator_a):
    for months in ([3, 1], [1, 1, 3]):
        errors = schedule_errors(program_a, coordinator_a, checkin_months=months)

        assert errors == {
            "checkin_months": ["Check-ins: list each month once, from the earliest to the latest."]
        }


def test_a_check_in_after_the_end_of_the_match_is_refused(program_a, coordinator_a):
    errors = schedule_errors(program_a, coordinator_a, match_length_weeks=13, checkin_months=[1, 6])

    assert errors == {
        "checkin_months": [
            "Check-ins: month 6 falls after the end of a 13-week match; make the match longer "
            "or the check-ins earlier."
        ]
    }


def test_a_six_month_check_in_fits_a_26_week_match(program_a, coordinator_a):
    services.change_schedule(
        program=program_a, by=coordinator_a, **(SCHEDULE | {"checkin_months": [6]})
    )


def test_a_match_without_a_set_length_takes_any_check_in_month(program_a, coordinator_a):
    program = services.change_schedule(
        program=program_a,
        by=coordinator_a,
        **(SCHEDULE | {"match_length_weeks": None, "checkin_months": [1, 12, 24]}),
    )

    assert program.checkin_months == [1, 12, 24]


def test_the_schedule_checks_the_time_zone_and_the_holidays_too(program_a, coordinator_a):
    errors = schedule_errors(
        program_a, coordinator_a, time_zone="Mars/Olympus", country="US", subdivision="ON"
    )

    assert set(errors) == {"time_zone", "subdivision"}


# ---- languages, general, safety -------------------------------------------------------------


def test_languages_and_contact_methods_are_saved(program_a, coordinator_a):
    program = services.change_languages_and_methods(
        program=program_a, by=coordinator_a, languages=["fr", "en"], contact_methods=["video"]
    )

    assert program.languages == ["fr", "en"]
    assert program.contact_methods == ["video"]


def general(program, by, **changes):
    settings = {
        "name": program.name,
        "description": program.description,
        "experiences": list(program.experiences.all()),
        "accepts_public_requests": True,
        "accepts_phone_requests": True,
        "accepts_referrals": True,
        "recruits_supporters": True,
        "asks_work_role": False,
        "is_employer_blind": False,
        "contact_email": "",
        "contact_phone": "",
    } | changes
    return services.change_general_settings(program=program, by=by, **settings)


def test_the_ways_in_and_experiences_are_saved_and_audited(program_a, coordinator_a, ms):
    stroke = ExperienceFactory(slug="stroke")

    program = general(program_a, coordinator_a, experiences=[ms, stroke], accepts_referrals=True)

    assert program.accepts_referrals
    assert set(program.experiences.values_list("slug", flat=True)) == {"ms", "stroke"}
    assert AuditEvent.objects.get(action="programs.program.experiences_changed").data == {
        "added": [stroke.pk],
        "removed": [],
    }


def test_a_program_must_serve_at_least_one_experience(program_a, coordinator_a):
    errors = refused(general, program=program_a, by=coordinator_a, experiences=[])

    assert errors == {"experiences": ["Experiences served: choose at least one."]}
    program_a.refresh_from_db()
    assert not program_a.accepts_referrals


def test_a_program_e_mail_that_is_not_an_address_is_refused(program_a, coordinator_a):
    errors = refused(general, program=program_a, by=coordinator_a, contact_email="nobody")

    assert errors == {"contact_email": ["The program e-mail is not an e-mail address."]}


def test_the_crisis_lines_and_acknowledgement_time_are_saved(program_a, coordinator_a):
    program = services.change_safety_settings(
        program=program_a,
        by=coordinator_a,
        crisis_message="Call 9-8-8.",
        acknowledge_within_minutes=10,
    )

    assert (program.crisis_message, program.acknowledge_within_minutes) == ("Call 9-8-8.", 10)


SAFE_NOW = {
    "key": "safe_now",
    "question": "Are you thinking about harming yourself?",
    "answers": ["No", "Yes"],
    "crisis_answers": ["Yes"],
}


def test_the_phone_crisis_questions_are_replaced_and_only_the_field_name_audited(
    program_a, coordinator_a
):
    program = services.change_crisis_questions(
        program=program_a, by=coordinator_a, questions=[SAFE_NOW]
    )

    program_a.refresh_from_db()
    assert program.crisis_questions == program_a.crisis_questions == [SAFE_NOW]
    event = AuditEvent.objects.get(action="programs.program.changed")
    assert event.actor == coordinator_a
    assert event.data == {"fields": ["crisis_questions"]}


def test_a_crisis_question_without_its_answers_is_refused_naming_the_field(
    program_a, coordinator_a
):
    without_answers = {key: value for key, value in SAFE_NOW.items() if key != "answers"}

    errors = refused(
        services.change_crisis_questions,
        program=program_a,
        by=coordinator_a,
        questions=[without_answers],
    )

    assert list(errors) == ["crisis_questions"]
    program_a.refresh_from_db()
    assert program_a.crisis_questions == []


def test_an_acknowledgement_time_of_zero_minutes_is_refused(program_a, coordinator_a):
    errors = refused(
        services.change_safety_settings,
        program=program_a,
        by=coordinator_a,
        crisis_message="",
        acknowledge_within_minutes=0,
    )

    assert errors == {
        "acknowledge_within_minutes": [
            "Acknowledge urgent escalations within (minutes) must be a whole number from 1 to 1440."
        ]
    }


# ---- eligibility rules ----------------------------------------------------------------------

MS_RULES = [
    {"kind": "minimum_age", "years": 18},
    {
        "kind": "any_of",
        "rules": [
            {
                "kind": "lived_experience",
                "experiences": ["ms"],
                "relationships": ["self"],
                "minimum_years": 2,
            },
            {
                "kind": "lived_experience",
                "experiences": ["ms"],
                "relationships": ["family"],
                "minimum_years": 0,
            },
        ],
    },
    {"kind": "work_role", "roles": ["Nurse", "Physician"]},
    {"kind": "self_assessment", "statement": "I am ready to support others."},
]


def rules_errors(program, by, rules):
    return refused(services.change_eligibility_rules, program=program, by=by, rules=rules)


def test_rules_of_every_kind_are_saved_and_audited(program_a, coordinator_a, ms):
    program = services.change_eligibility_rules(program=program_a, by=coordinator_a, rules=MS_RULES)

    assert program.eligibility_rules == MS_RULES
    assert AuditEvent.objects.get(action="programs.program.changed").data == {
        "fields": ["eligibility_rules"]
    }


def test_a_minimum_age_out_of_range_is_refused_naming_the_rule_and_its_field(
    program_a, coordinator_a
):
    errors = rules_errors(program_a, coordinator_a, [{"kind": "minimum_age", "years": 150}])

    assert errors == {
        "eligibility_rules": [
            "Rule 1 (A minimum age), Minimum age (years): Give the minimum age as whole years, "
            "from 0 to 120."
        ]
    }


def test_a_lived_experience_rule_needs_known_experiences_and_a_relationship(
    program_a, coordinator_a, ms
):
    rule = {"kind": "lived_experience", "experiences": ["ms", "gout"], "relationships": []}

    errors = rules_errors(program_a, coordinator_a, [{"kind": "minimum_age", "years": 18}, rule])

    assert errors == {
        "eligibility_rules": [
            "Rule 2 (Lived experience), Experiences: These are not experiences we know: gout.",
            "Rule 2 (Lived experience), How they lived it: Choose at least one way they lived it.",
        ]
    }


def test_a_work_role_rule_needs_a_role(program_a, coordinator_a):
    errors = rules_errors(program_a, coordinator_a, [{"kind": "work_role", "roles": [" "]}])

    assert errors["eligibility_rules"] == [
        "Rule 1 (A role at work), Roles at work: Give at least one role, one a line."
    ]


def test_a_statement_too_short_is_refused(program_a, coordinator_a):
    errors = rules_errors(
        program_a, coordinator_a, [{"kind": "self_assessment", "statement": "ok"}]
    )

    assert errors["eligibility_rules"] == [
        "Rule 1 (A statement they agree with), Statement: Write the statement in 5 to 500 "
        "characters."
    ]


def test_a_rule_of_a_kind_the_engine_does_not_know_is_refused(program_a, coordinator_a):
    errors = rules_errors(program_a, coordinator_a, [{"kind": "star_sign", "sign": "leo"}])

    assert errors["eligibility_rules"] == [
        "Rule 1 (unknown kind), Kind of rule: Choose the kind of rule."
    ]


def test_an_either_or_rule_names_the_choice_that_is_wrong(program_a, coordinator_a):
    group = {
        "kind": "any_of",
        "rules": [{"kind": "minimum_age", "years": 18}, {"kind": "minimum_age", "years": -1}],
    }

    errors = rules_errors(program_a, coordinator_a, [group])

    assert errors["eligibility_rules"][0].startswith("Rule 1, choice 2 (A minimum age)")


def test_an_either_or_rule_with_one_choice_is_refused(program_a, coordinator_a):
    group = {"kind": "any_of", "rules": [{"kind": "minimum_age", "years": 18}]}

    errors = rules_errors(program_a, coordinator_a, [group])

    assert errors["eligibility_rules"] == [
        "Rule 1 is an either/or group with fewer than two rules in it."
    ]


def test_rules_become_rows_and_rows_become_the_same_rules():
    rows = rows_from_rules(MS_RULES)

    assert [row["group"] for row in rows] == ["", "A", "A", "", ""]
    assert rules_from_rows(rows) == MS_RULES


# ---- sites and the first coordinator --------------------------------------------------------


def test_a_site_is_added_renamed_and_audited(program_a, coordinator_a):
    site = services.add_site(
        program=program_a, by=coordinator_a, name="Halifax  Infirmary", kind="facility", region=""
    )
    services.change_site(site=site, by=coordinator_a, name="QEII", kind="facility", region="NS")

    site.refresh_from_db()
    assert (site.name, site.region) == ("QEII", "NS")
    actions = AuditEvent.objects.filter(target_id=str(site.pk)).values_list("action", flat=True)
    assert sorted(actions) == ["programs.site.added", "programs.site.changed"]


def test_two_sites_of_a_program_cannot_share_a_name(program_a, coordinator_a):
    services.add_site(program=program_a, by=coordinator_a, name="QEII", kind="facility", region="")

    errors = refused(
        services.add_site,
        program=program_a,
        by=coordinator_a,
        name="qeii",
        kind="clinic",
        region="",
    )

    assert errors == {"name": ["The program already has a site called “qeii”."]}
    assert Site.objects.filter(program=program_a).count() == 1


def test_appointing_a_new_person_opens_an_account_without_a_password(program_a, administrator):
    person, created = services.appoint_coordinator(
        program=program_a, by=administrator, email="Robin@Example.org", first_name="Robin"
    )

    assert created
    assert not person.has_usable_password()
    assert Membership.objects.filter(user=person, program=program_a, role=Role.COORDINATOR)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"accounts.user.created", "accounts.role.granted", "accounts.invitation.sent"} <= (
        actions
    )


def test_appointing_someone_with_an_account_gives_them_the_role(program_a, administrator):
    existing = User.objects.create_user("robin@example.org", "secret-enough-1")

    person, created = services.appoint_coordinator(
        program=program_a, by=administrator, email="ROBIN@example.org", first_name=""
    )

    assert (person, created) == (existing, False)
    assert existing.check_password("secret-enough-1")


def test_a_privacy_lead_is_appointed_to_the_team_and_the_grant_is_audited(program_a, administrator):
    person, _created = services.appoint_coordinator(
        program=program_a,
        by=administrator,
        email="pat.privacy@example.org",
        first_name="Pat",
        role=Role.PRIVACY_LEAD,
    )

    assert Membership.objects.filter(user=person, program=program_a, role=Role.PRIVACY_LEAD)
    event = AuditEvent.objects.get(action="accounts.role.granted", data__user=person.pk)
    assert event.actor == administrator
    assert event.data["role"] == Role.PRIVACY_LEAD


def test_a_closed_account_is_not_appointed(program_a, administrator):
    User.objects.create_user("robin@example.org", is_active=False)

    with pytest.raises(DomainError, match="is closed"):
        services.appoint_coordinator(
            program=program_a, by=administrator, email="robin@example.org", first_name=""
        )


def test_a_referrer_added_by_email_gets_an_invitation_and_the_referrer_role(
    program_a, administrator, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        person, created = services.appoint_coordinator(
            program=program_a,
            by=administrator,
            email="kim.nurse@example.org",
            first_name="Kim",
            role=Role.REFERRER,
        )

    assert created
    assert Membership.objects.filter(user=person, program=program_a, role=Role.REFERRER)
    assert not Membership.objects.filter(user=person, role=Role.COORDINATOR).exists()
    assert [message.to for message in mailoutbox] == [["kim.nurse@example.org"]]
