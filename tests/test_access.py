"""Who may open what: every URL, walked for every role.

Two halves. The first walks the URL configuration and checks that every view of ours declares
who may use it (`@public` or `@signed_in(...)`), with the third-party URL sets listed, each
with its reason, and tested for what guards them. The second is a table of every one of our
named URLs against every persona, and the status each gets; a URL added without a row fails.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from alongside.accounts.models import User
from alongside.core.access import ACCESS_ATTRIBUTE
from alongside.intake.factories import SupportRequestFactory
from alongside.matches.factories import MatchFactory

# Third-party URL sets mounted in config/urls.py, and what guards them instead of our decorators.
THIRD_PARTY_URLS = {
    "admin/": "Django admin: admin_site.admin_view sends anyone who is not staff to its login.",
    "accounts/": "django-allauth: sign-in, sign-out, password reset and MFA guard themselves; "
    "sign-up is closed by InvitationOnlyAccountAdapter.",
    "api/v1/": "django-ninja: NinjaAPI(auth=django_auth) answers 401 to anonymous callers on "
    "every operation, and each operation reads through the same visible_to() queries.",
}
# Of those, the sets whose URL names are not ours to list in the table below.
NOT_IN_THE_TABLE = ("admin/", "accounts/")
# Ninja's own views inside our API namespace: the schema, its docs page, and the root.
API_SCHEMA_VIEWS = {"api:openapi-json", "api:openapi-view", "api:api-root"}


@dataclass(frozen=True)
class Route:
    mounted_under: str  # the first segment of config/urls.py it hangs from ("" for our own)
    route: str
    name: str | None
    callback: Callable[..., Any]


def walk(
    patterns: list[URLPattern | URLResolver] | None = None,
    prefix: str = "",
    namespace: str = "",
    mounted_under: str | None = None,
) -> Iterator[Route]:
    """Every URL pattern, with its full route, its namespaced name and where it is mounted."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        mount = mounted_under
        if mount is None:
            mount = str(pattern.pattern) if str(pattern.pattern) in THIRD_PARTY_URLS else ""
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, route, inner, mount)
        else:
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield Route(mount, route, name, pattern.callback)


def our_named_urls() -> set[str]:
    return {
        route.name
        for route in walk()
        if route.name and not route.mounted_under.startswith(NOT_IN_THE_TABLE)
    }


# ---- Test A: every view declares who may use it --------------------------------------------


def test_the_walk_finds_our_views_and_the_third_party_sets():
    mounts = {route.mounted_under for route in walk()}
    names = {route.name for route in walk()}

    assert {"", *THIRD_PARTY_URLS} <= mounts
    assert {"home", "intake:queue", "matches:detail", "api:matches", "admin:index"} <= names


def test_every_view_outside_the_listed_third_party_sets_declares_who_may_use_it():
    undeclared = [
        f"{route.route} ({route.callback.__module__}.{route.callback.__qualname__})"
        for route in walk()
        if route.mounted_under not in THIRD_PARTY_URLS
        and not hasattr(route.callback, ACCESS_ATTRIBUTE)
    ]

    assert undeclared == []


def test_every_view_in_our_own_code_declares_access_unless_the_admin_guards_it():
    ours = [
        route
        for route in walk()
        if route.callback.__module__.startswith(("alongside.", "config."))
        and route.mounted_under != "admin/"
    ]

    assert ours, "the walk found none of our views"
    assert [route.route for route in ours if not hasattr(route.callback, ACCESS_ATTRIBUTE)] == []


def test_the_language_switcher_is_declared_public():
    (language,) = [route for route in walk() if route.name == "set_language"]

    assert getattr(language.callback, ACCESS_ATTRIBUTE) == "public"


def test_each_third_party_url_set_has_a_stated_reason():
    assert all(len(reason) > 20 for reason in THIRD_PARTY_URLS.values())


def sample_path(route: str) -> str:
    """A concrete path for a route, with 1 in place of every path parameter."""
    return "/" + re.sub(r"<(?:\w+:)?\w+>|\{\w+\}", "1", route)


def api_operations() -> list[Route]:
    return [
        route
        for route in walk()
        if route.mounted_under == "api/v1/" and route.name not in API_SCHEMA_VIEWS
    ]


def test_every_api_operation_refuses_anonymous_callers(client, db):
    operations = api_operations()

    assert operations
    for route in operations:
        response = client.get(sample_path(route.route))
        assert response.status_code == 401, route.route


def test_the_admin_sends_every_persona_who_is_not_staff_to_its_login(client, world):
    for persona in PERSONAS:
        client.logout()
        log_in(client, world, persona)

        response = client.get(reverse("admin:index"))

        assert response.status_code == 302, persona
        assert response["Location"].startswith(reverse("admin:login")), persona


def test_the_admin_opens_for_staff(client, db):
    client.force_login(User.objects.create_superuser(email="root@example.org", password="x" * 12))

    assert client.get(reverse("admin:index")).status_code == 200


def test_nobody_can_sign_themselves_up(client, db):
    client.post(
        reverse("account_signup"),
        {
            "email": "stranger@example.org",
            "password1": "a long pass 1",
            "password2": "a long pass 1",
        },
    )

    assert not User.objects.filter(email="stranger@example.org").exists()


# ---- the personas ------------------------------------------------------------------------------

PERSONAS = (
    "anonymous",
    "peer",
    "supporter",
    "other_supporter",
    "coordinator",
    "other_coordinator",
    "administrator",
)


@pytest.fixture
def world(
    program_a,
    program_b,
    coordinator_a,
    coordinator_b,
    administrator,
    supporter_a,
    other_supporter_a,
    peer_user,
    request_a,
    match_a,
    ms,
):
    """Program A with a waiting request and a match; program B with the same, for contrast."""
    return SimpleNamespace(
        program_a=program_a,
        request_a=request_a,
        match_a=match_a,
        request_b=SupportRequestFactory(program=program_b, experience=ms),
        match_b=MatchFactory(program=program_b, request__experience=ms),
        supporter_a=supporter_a,
        users={
            "anonymous": None,
            "peer": peer_user,
            "supporter": supporter_a.user,
            "other_supporter": other_supporter_a.user,
            "coordinator": coordinator_a,
            "other_coordinator": coordinator_b,
            "administrator": administrator,
        },
    )


def log_in(client, world, persona: str) -> None:
    user = world.users[persona]
    if user is not None:
        client.force_login(user)


# ---- Test B: every named URL of ours, for every persona --------------------------------------

LOGIN = "302 to the sign-in page"
ELSEWHERE = "302 somewhere else"


def who_gets(
    *,
    anonymous: int | str,
    peer: int | str,
    supporter: int | str,
    other_supporter: int | str,
    coordinator: int | str,
    other_coordinator: int | str,
    administrator: int | str,
) -> dict[str, int | str]:
    return {
        "anonymous": anonymous,
        "peer": peer,
        "supporter": supporter,
        "other_supporter": other_supporter,
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
        "administrator": administrator,
    }


EVERYONE_200 = who_gets(
    anonymous=200,
    peer=200,
    supporter=200,
    other_supporter=200,
    coordinator=200,
    other_coordinator=200,
    administrator=200,
)
EVERYONE_404 = dict.fromkeys(EVERYONE_200, 404)


@dataclass(frozen=True)
class Visit:
    path: Callable[[SimpleNamespace], str]
    expect: dict[str, int | str]
    method: str = "get"
    data: Callable[[SimpleNamespace], dict[str, Any]] = field(default=lambda world: {})


def url(name: str, *args: Callable[[SimpleNamespace], Any]) -> Callable[[SimpleNamespace], str]:
    return lambda world: reverse(name, args=[arg(world) for arg in args])


def program_slug(world):
    return world.program_a.slug


def request_id(world):
    return world.request_a.pk


def match_id(world):
    return world.match_a.pk


SIGNED_IN_API = who_gets(
    anonymous=401,
    peer=200,
    supporter=200,
    other_supporter=200,
    coordinator=200,
    other_coordinator=200,
    administrator=200,
)

TABLE: dict[str, Visit] = {
    "home": Visit(
        url("home"),
        who_gets(
            anonymous=200,
            peer=200,
            supporter=ELSEWHERE,
            other_supporter=ELSEWHERE,
            coordinator=ELSEWHERE,
            other_coordinator=ELSEWHERE,
            administrator=ELSEWHERE,
        ),
    ),
    "health": Visit(url("health"), EVERYONE_200),
    "set_language": Visit(
        url("set_language"),
        dict.fromkeys(PERSONAS, ELSEWHERE),
        method="post",
        data=lambda world: {"language": "fr-ca", "next": "/"},
    ),
    "intake:request_support": Visit(url("intake:request_support", program_slug), EVERYONE_200),
    "intake:request_received": Visit(url("intake:request_received", program_slug), EVERYONE_200),
    "intake:queue": Visit(
        url("intake:queue"),
        who_gets(
            anonymous=LOGIN,
            peer=403,
            supporter=403,
            other_supporter=403,
            coordinator=200,
            other_coordinator=200,
            administrator=200,
        ),
    ),
    "intake:request_detail": Visit(
        url("intake:request_detail", request_id),
        who_gets(
            anonymous=LOGIN,
            peer=403,
            supporter=403,
            other_supporter=403,
            coordinator=200,
            other_coordinator=404,
            administrator=200,
        ),
    ),
    "matches:start": Visit(
        url("matches:start", request_id),
        who_gets(
            anonymous=LOGIN,
            peer=403,
            supporter=403,
            other_supporter=403,
            coordinator=ELSEWHERE,
            other_coordinator=404,
            administrator=ELSEWHERE,
        ),
        method="post",
        data=lambda world: {"supporter": world.supporter_a.pk},
    ),
    "matches:list": Visit(
        url("matches:list"),
        who_gets(
            anonymous=LOGIN,
            peer=403,
            supporter=200,
            other_supporter=200,
            coordinator=200,
            other_coordinator=200,
            administrator=200,
        ),
    ),
    "matches:detail": Visit(
        url("matches:detail", match_id),
        who_gets(
            anonymous=LOGIN,
            peer=403,
            supporter=200,
            other_supporter=404,
            coordinator=200,
            other_coordinator=404,
            administrator=200,
        ),
    ),
    "matches:log_contact": Visit(
        url("matches:log_contact", match_id),
        who_gets(
            anonymous=LOGIN,
            peer=403,
            supporter=200,
            other_supporter=404,
            coordinator=200,
            other_coordinator=404,
            administrator=200,
        ),
    ),
    "api:waiting_requests": Visit(url("api:waiting_requests"), SIGNED_IN_API),
    "api:matches": Visit(url("api:matches"), SIGNED_IN_API),
    # The schema and its docs page describe the endpoints and hold no program data.
    "api:openapi-json": Visit(url("api:openapi-json"), EVERYONE_200),
    "api:openapi-view": Visit(url("api:openapi-view"), EVERYONE_200),
    "api:api-root": Visit(url("api:api-root"), EVERYONE_404),
}


def test_the_table_has_a_row_for_every_named_url_of_ours_and_no_other():
    assert set(TABLE) == our_named_urls()


def test_every_row_of_the_table_says_what_every_persona_gets():
    assert [name for name, visit in TABLE.items() if set(visit.expect) != set(PERSONAS)] == []


@pytest.mark.parametrize(
    ("url_name", "persona"), [(name, persona) for name in TABLE for persona in PERSONAS]
)
def test_who_gets_what(client, world, url_name, persona):
    visit = TABLE[url_name]
    log_in(client, world, persona)

    response = getattr(client, visit.method)(visit.path(world), visit.data(world))

    expected = visit.expect[persona]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif expected == ELSEWHERE:
        assert response.status_code == 302
        assert not response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    ("method", "url_name", "args"),
    [
        ("get", "matches:start", (request_id,)),
        ("post", "intake:queue", ()),
        ("post", "intake:request_detail", (request_id,)),
        ("post", "matches:list", ()),
        ("post", "matches:detail", (match_id,)),
        ("post", "health", ()),
    ],
)
def test_a_coordinator_gets_405_for_a_method_the_page_does_not_take(
    client, world, method, url_name, args
):
    log_in(client, world, "coordinator")

    response = getattr(client, method)(url(url_name, *args)(world))

    assert response.status_code == 405


def test_an_anonymous_visitor_is_sent_to_sign_in_even_with_a_method_the_page_does_not_take(
    client, world
):
    response = client.get(url("matches:start", request_id)(world))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# ---- the API scopes what it returns -------------------------------------------------------


def api_ids(client, world, persona: str, name: str) -> set[int]:
    log_in(client, world, persona)
    response = client.get(reverse(name))
    assert response.status_code == 200
    return {item["id"] for item in response.json()}


def test_the_api_lists_a_coordinator_only_their_programs_waiting_requests(client, world):
    assert api_ids(client, world, "coordinator", "api:waiting_requests") == {world.request_a.pk}


def test_the_api_lists_another_programs_coordinator_only_theirs(client, world):
    assert api_ids(client, world, "other_coordinator", "api:waiting_requests") == {
        world.request_b.pk
    }


@pytest.mark.parametrize("persona", ["peer", "supporter", "other_supporter"])
def test_the_api_lists_no_waiting_requests_to_people_without_a_staff_role(client, world, persona):
    assert api_ids(client, world, persona, "api:waiting_requests") == set()


def test_the_api_lists_a_supporter_only_their_own_matches(client, world):
    assert api_ids(client, world, "supporter", "api:matches") == {world.match_a.pk}


def test_the_api_lists_a_supporter_of_another_match_none_of_match_a(client, world):
    assert api_ids(client, world, "other_supporter", "api:matches") == set()


def test_the_api_lists_a_coordinator_only_their_programs_matches(client, world):
    assert api_ids(client, world, "coordinator", "api:matches") == {world.match_a.pk}
    assert api_ids(client, world, "other_coordinator", "api:matches") == {world.match_b.pk}


def test_the_api_lists_a_peer_without_a_role_no_matches(client, world):
    assert api_ids(client, world, "peer", "api:matches") == set()


def test_a_deactivated_membership_loses_access_at_once(client, world):
    world.users["coordinator"].memberships.update(is_active=False)
    log_in(client, world, "coordinator")

    assert client.get(reverse("intake:queue")).status_code == 403
    assert client.get(url("intake:request_detail", request_id)(world)).status_code == 403
