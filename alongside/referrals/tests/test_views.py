"""The referrer's pages: who may open them, and a referral from the form to its end."""

from django.urls import reverse

from alongside.accounts.factories import user_with_role
from alongside.accounts.models import Role
from alongside.core.models import AuditEvent
from alongside.intake.models import ReferralConsent, Source, SupportRequest
from alongside.matches.services import lifecycle
from alongside.referrals.tests.conftest import match_and_close, refer


def referral_form(program, **overrides):
    site = program.sites.get()
    return {
        "submission_token": "6f1c1d0e-9e4e-4d43-9c1b-1b5a6f0b7a10",
        "first_name": "Kim",
        "preferred_name": "Kimmy",
        "language": "en",
        "contact_methods": ["phone"],
        "phone": "604 555 0199",
        "best_times": "Weekday mornings",
        "experience": str(program.experiences.get().pk),
        "goal_1": "Find a drop-in group close to home",
        "goal_2": "Get back to a daily walk",
        "site": str(site.pk),
        "consent_to_share": "on",
        "summary_to_referrer": "on",
    } | overrides


def test_the_home_page_sends_a_referrer_to_their_referrals(client, referrer_a):
    client.force_login(referrer_a)

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:mine")


def test_my_referrals_is_first_in_a_referrers_menu(client, referrer_a):
    client.force_login(referrer_a)

    page = client.get(reverse("referrals:mine")).text

    menu = page[page.index('class="site-nav-list') :]
    assert menu.index("My referrals") < menu.index("</ul>")
    assert reverse("intake:queue") not in page
    assert reverse("matches:list") not in page


def test_a_referrer_refers_a_client_from_the_form(client, referring_program, referrer_a):
    client.force_login(referrer_a)

    form_page = client.get(reverse("referrals:choose_program"), follow=True)
    assert form_page.redirect_chain[-1][0] == reverse(
        "referrals:refer", args=[referring_program.slug]
    )
    response = client.post(
        reverse("referrals:refer", args=[referring_program.slug]), referral_form(referring_program)
    )

    referral = SupportRequest.objects.get(source=Source.REFERRAL)
    assert response["Location"] == reverse("referrals:detail", args=[referral.pk])
    assert referral.referred_by == referrer_a
    consent = ReferralConsent.objects.get()
    assert (consent.referrer_may_know_who, consent.summary_to_referrer) == (False, True)
    detail = client.get(response["Location"]).text
    assert "Waiting for a match" in detail
    assert "Find a drop-in group close to home" in detail
    assert "Kimmy" in detail
    assert "+16045550199" not in detail


def test_a_referral_without_consent_is_refused_with_the_field_named(
    client, referring_program, referrer_a
):
    client.force_login(referrer_a)

    response = client.post(
        reverse("referrals:refer", args=[referring_program.slug]),
        referral_form(referring_program, consent_to_share=""),
    )

    assert response.status_code == 200
    assert "The client agrees to share this" in response.text
    assert "the client&#x27;s consent" in response.text
    assert not SupportRequest.objects.exists()


def test_a_referrer_cannot_open_the_form_of_a_program_they_do_not_refer_to(
    client, referrer_a, program_b
):
    program_b.accepts_referrals = True
    program_b.save()
    client.force_login(referrer_a)

    assert client.get(reverse("referrals:refer", args=[program_b.slug])).status_code == 404


def test_a_referral_only_program_has_no_public_form(client, referring_program):
    assert (
        client.get(reverse("intake:request_support", args=[referring_program.slug])).status_code
        == 404
    )
    assert reverse("intake:request_support", args=[referring_program.slug]) not in (
        client.get(reverse("home")).text
    )


def test_the_list_shows_the_match_only_as_the_client_agreed(
    client, referring_program, referrer_a, supporter_a, other_supporter_a, coordinator_a
):
    named = refer(referring_program, referrer_a, who=True, first_name="Ada")
    unnamed = refer(referring_program, referrer_a, who=False, first_name="Bo")
    lifecycle.start_match(support_request=named, supporter=supporter_a, started_by=coordinator_a)
    lifecycle.start_match(
        support_request=unnamed, supporter=other_supporter_a, started_by=coordinator_a
    )
    client.force_login(referrer_a)

    page = client.get(reverse("referrals:mine")).text

    assert page.count("with Sam") == 1
    assert reverse("referrals:detail", args=[unnamed.pk]) in page
    assert page.count("<td>\n                  Matched") == 2
    assert "/matches/" not in page


def test_the_closing_summary_shows_only_when_the_client_agreed(
    client, referring_program, referrer_a, supporter_a, other_supporter_a, coordinator_a
):
    with_summary = refer(referring_program, referrer_a, summary=True)
    without = refer(referring_program, referrer_a, summary=False, first_name="Bo")
    match_and_close(with_summary, supporter_a, coordinator_a)
    match_and_close(without, other_supporter_a, coordinator_a)
    client.force_login(referrer_a)

    shown = client.get(reverse("referrals:detail", args=[with_summary.pk])).text
    hidden = client.get(reverse("referrals:detail", args=[without.pk])).text

    assert "Closing summary" in shown
    assert "2 of 2" in shown
    assert "Closing summary" not in hidden
    assert "did not agree to a summary" in hidden
    assert AuditEvent.objects.filter(action="intake.referral.viewed", actor=referrer_a).count() == 2


def test_a_referrer_cannot_open_a_colleagues_referral(client, referring_program, referrer_a):
    referral = refer(referring_program, referrer_a)
    colleague = user_with_role(Role.REFERRER, referring_program, email="dr.ng@example.org")
    client.force_login(colleague)

    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
    assert client.get(reverse("intake:request_detail", args=[referral.pk])).status_code == 404


def test_the_coordinator_closing_a_referred_match_sees_what_the_client_agreed(
    client, referring_program, referrer_a, supporter_a, coordinator_a
):
    referral = refer(referring_program, referrer_a, summary=True)
    match = lifecycle.start_match(
        support_request=referral, supporter=supporter_a, started_by=coordinator_a
    )
    client.force_login(coordinator_a)

    page = client.get(reverse("matches:close", args=[match.pk])).text

    assert "At referral, the client agreed" in page
    assert 'name="summary_to_referrer_consented"' not in page


def test_the_coordinator_sees_the_referrals_goals_and_best_times_on_the_request(
    client, referring_program, referrer_a, coordinator_a
):
    referral = refer(referring_program, referrer_a, who=True)
    client.force_login(coordinator_a)

    page = client.get(reverse("intake:request_detail", args=[referral.pk])).text

    assert "Find a drop-in group close to home" in page
    assert "Weekday mornings" in page
    assert "Kimmy" in page
    assert "who the peer support worker is" in page
