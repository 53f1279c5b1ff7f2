"""The public home page: every active program, with the ways in it offers."""

from django.conf import settings
from django.urls import reverse

from alongside.programs.factories import ProgramFactory


def test_a_visitor_sees_ask_for_support_and_volunteer_with_us_for_an_open_program(
    client, program_a
):
    page = client.get(reverse("home")).content.decode()

    assert program_a.name in page
    assert f'href="{reverse("intake:request_support", args=[program_a.slug])}"' in page
    assert f'href="{reverse("supporters:apply", args=[program_a.slug])}"' in page
    assert "Ask for support" in page
    assert "Volunteer with us" in page


def test_a_program_that_does_not_recruit_shows_no_volunteer_link(client, program_a):
    program_a.recruits_supporters = False
    program_a.save()

    page = client.get(reverse("home")).content.decode()

    assert "Ask for support" in page
    assert reverse("supporters:apply", args=[program_a.slug]) not in page


def test_a_referral_only_program_shows_how_to_be_referred_and_no_request_form(client, db):
    program = ProgramFactory(
        slug="peers", name="Peer workers", accepts_public_requests=False, accepts_referrals=True
    )

    page = client.get(reverse("home")).content.decode()

    assert "Peer workers" in page
    assert "ask someone on your care team to refer you" in page
    assert reverse("intake:request_support", args=[program.slug]) not in page
    assert f'href="{reverse("supporters:apply", args=[program.slug])}"' in page


def test_an_inactive_program_is_not_listed(client, db):
    ProgramFactory(slug="closed", name="Closed program", is_active=False)

    page = client.get(reverse("home")).content.decode()

    assert "Closed program" not in page


def test_the_application_form_of_a_program_that_does_not_recruit_answers_404(client, program_a):
    program_a.recruits_supporters = False
    program_a.save()

    response = client.get(reverse("supporters:apply", args=[program_a.slug]))

    assert response.status_code == 404


def test_a_visitor_gets_no_empty_list_of_menu_links_and_no_menu_button(client, program_a):
    page = client.get(reverse("home")).content.decode()

    assert 'aria-label="Main"' in page
    assert "site-nav-list" not in page
    assert "data-menu-toggle" not in page  # nothing to fold behind a Menu button


def test_the_language_switch_names_each_language_in_that_language(client, program_a):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr-ca"

    page = client.get(reverse("home")).content.decode()

    assert '<html lang="fr-ca">' in page
    assert 'lang="en">English</button>' in page
