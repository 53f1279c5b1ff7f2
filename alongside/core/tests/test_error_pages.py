"""The error pages people meet with DEBUG off: in the site's layout, in plain words, with a way
back. The 500 page stands alone: Django renders it with an empty context and no request. The
expired-form page is Django's own CSRF failure view, which renders 403_csrf.html with the
request, so the layout knows who is signed in."""

from django.http import HttpRequest, HttpResponse
from django.template.loader import get_template
from django.test import Client, override_settings
from django.urls import path, reverse
from django.utils import translation

from alongside.core.access import public
from config.urls import urlpatterns as site_urlpatterns

SKIP_LINK = 'href="#main"'
MAIN_LANDMARK = '<main id="main"'
# The page's own way back, not the menu's links: reverse("home"), written out as the 500 page does.
HOME_LINK = 'href="/">Go to the home page</a>'
MISSING = "!!missing:"  # string_if_invalid under test: a variable the page did not have


@public
def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a fault for the 500 page")


# A URL configuration of the site's own URLs and one view that fails.
urlpatterns = [*site_urlpatterns, path("test-only/broken/", broken)]


@override_settings(DEBUG=False)
def test_a_missing_page_answers_404_in_the_sites_layout_with_a_link_home(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert SKIP_LINK in page
    assert MAIN_LANDMARK in page
    assert "We cannot find this page" in page
    assert HOME_LINK in page
    assert MISSING not in page


@override_settings(DEBUG=False)
def test_a_signed_in_supporter_who_meets_a_404_is_offered_their_matches(client, supporter_a):
    client.force_login(supporter_a.user)

    page = client.get("/no-such-page/").content.decode()

    assert f'href="{reverse("matches:list")}">Go to your matches</a>' in page
    assert HOME_LINK in page


@override_settings(DEBUG=False)
def test_a_visitor_who_meets_a_404_is_offered_only_the_home_page(client, db):
    page = client.get("/no-such-page/").content.decode()

    assert HOME_LINK in page
    assert "Go to your matches" not in page
    assert "Go to your requests" not in page


@override_settings(DEBUG=False)
def test_a_supporter_opening_a_coordinators_page_gets_the_403_page_in_the_layout(
    client, supporter_a
):
    client.force_login(supporter_a.user)

    response = client.get(reverse("intake:queue"))

    assert response.status_code == 403
    page = response.content.decode()
    assert MAIN_LANDMARK in page
    assert "This page is not open to you" in page
    assert HOME_LINK in page
    assert f'href="{reverse("matches:list")}">Go to your matches</a>' in page
    assert MISSING not in page


def test_the_500_page_renders_with_an_empty_context():
    page = get_template("500.html").render({})

    assert '<html lang="en">' in page
    assert "Something went wrong on our side" in page
    assert HOME_LINK in page
    assert "/static/alongside/site.css" in page
    assert MISSING not in page


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_a_view_that_fails_answers_500_with_the_standalone_page(db):
    client = Client(raise_request_exception=False)

    response = client.get("/test-only/broken/")

    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert HOME_LINK in page
    assert MISSING not in page


def test_the_500_page_names_the_language_it_is_shown_in():
    with translation.override("fr-ca"):
        page = get_template("500.html").render({})

    assert '<html lang="fr-ca">' in page


@override_settings(DEBUG=False)
def test_a_form_sent_without_its_security_token_gets_the_expired_form_page_in_the_layout(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("set_language"), {"language": "fr-ca", "next": "/"})

    assert response.status_code == 403
    page = response.content.decode()
    assert MAIN_LANDMARK in page
    assert "This form has expired" in page
    assert "reload the page" in page
    assert HOME_LINK in page
    assert MISSING not in page


@override_settings(DEBUG=False)
def test_a_signed_in_supporter_whose_form_expired_is_offered_their_matches(supporter_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(supporter_a.user)

    response = client.post(reverse("set_language"), {"language": "fr-ca", "next": "/"})

    assert response.status_code == 403
    assert f'href="{reverse("matches:list")}">Go to your matches</a>' in response.content.decode()
