"""Confidentiality scopes, over random programs, sites, roles, supporters, requests and matches
(issue 17, item 1; ADR 0013): for each person,

- the requests, matches and supporters they may see are exactly what the rules below say;
- no list page, search, detail page, export or API answer shows the name of a person the
  rules hide from them (each person asking for support has a name found nowhere else).

The rules, stated plainly here and nowhere in the code under test:

- A role with no sites is the program's central team; coordinators and administrators of it
  see everything in the program.
- Coordinators and administrators tied to sites: in an ordinary program, the requests and the
  supporters at their sites, and the matches of either; in an employer-blind program, the
  requests from a known site none of their roles is tied to, and their matches.
- In an employer-blind program, nobody holding a role tied to site S sees a request from S
  (or from a site not known), by any path: only the central team, the referrer who sent it,
  and its supporter do.
- Supervisors see the supporters they supervise and those supporters' matches: a supporter's
  named supervisor, or, when none is named, the program's central supervisors and those tied
  to the supporter's site.
- Referrers see the requests they sent; supporters themselves and their own matches.
"""

import itertools
import json
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from alongside.accounts.factories import DEMO_PASSWORD, UserFactory, give_authenticator_app
from alongside.accounts.models import SITE_SCOPED_ROLES, STAFF_ROLES, Membership, Role, User
from alongside.intake.factories import SupportRequestFactory
from alongside.intake.models import SupportRequest
from alongside.matches.factories import MatchFactory
from alongside.matches.models import Match
from alongside.programs.factories import ProgramFactory
from alongside.programs.models import Program, Site, SiteKind
from alongside.reports.exportable import exportable_lists
from alongside.supporters.factories import SupporterFactory
from alongside.supporters.models import Supporter

pytestmark = pytest.mark.django_db

counter = itertools.count()
ROLES = [Role.COORDINATOR, Role.ADMINISTRATOR, Role.SUPERVISOR, Role.REFERRER]


def person_name() -> str:
    """A name nothing else on any page contains: a fixed start and four letters."""
    number = next(counter)
    letters = "".join(string.ascii_lowercase[(number // 26**k) % 26] for k in range(4))
    return f"Qwyx{letters}"


# ---- The world ------------------------------------------------------------------------------

# Indexes into the drawn world: (program, site or None).
memberships = st.lists(
    st.tuples(
        st.integers(0, 1),  # program
        st.sampled_from(ROLES),
        st.sets(st.integers(0, 2), max_size=2),  # sites it is tied to (none: central)
    ),
    min_size=1,
    max_size=2,
)
worlds = st.fixed_dictionaries(
    {
        "blind": st.tuples(st.booleans(), st.booleans()),
        "members": st.lists(memberships, min_size=1, max_size=4),
        # (program, site, referred by a member, or None)
        "requests": st.lists(
            st.tuples(
                st.integers(0, 1), st.none() | st.integers(0, 2), st.none() | st.integers(0, 3)
            ),
            min_size=1,
            max_size=5,
        ),
        # (program, site, named supervisor: a member, or None)
        "supporters": st.lists(
            st.tuples(
                st.integers(0, 1), st.none() | st.integers(0, 2), st.none() | st.integers(0, 3)
            ),
            max_size=3,
        ),
        # (request, supporter): kept when both are in one program and the request has no match
        "matches": st.lists(st.tuples(st.integers(0, 4), st.integers(0, 2)), max_size=3),
    }
)


@dataclass
class World:
    programs: list[Program]
    members: list[User]
    requests: list[SupportRequest] = field(default_factory=list)
    supporters: list[Supporter] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    held: list[Membership] = field(default_factory=list)
    sites: dict[int, set[int]] = field(default_factory=dict)  # membership: site ids


def build(drawn: dict) -> World:
    programs, sites = [], []
    for blind in drawn["blind"]:
        program = ProgramFactory(slug=f"scopes-{next(counter)}", is_employer_blind=blind)
        programs.append(program)
        sites.append(
            [
                Site.objects.create(
                    program=program, name=f"Facility {letter}", kind=SiteKind.FACILITY
                )
                for letter in "ABC"
            ]
        )
    world = World(programs=programs, members=[])
    for roles in drawn["members"]:
        user = UserFactory(email=f"member{next(counter)}@example.org", first_name="Member")
        give_authenticator_app(user)  # staff must have one, or every page sends them to set it up
        world.members.append(user)
        for program_index, role, tied in roles:
            if holds(world, user, programs[program_index].pk, {role}):
                continue  # one role in a program is held once
            membership = Membership.objects.create(
                user=user, program=programs[program_index], role=role
            )
            membership.sites.add(*(sites[program_index][index] for index in tied))
            world.held.append(membership)
            world.sites[membership.pk] = {sites[program_index][index].pk for index in tied}

    def member(index: int | None) -> User | None:
        return world.members[index] if index is not None and index < len(world.members) else None

    for program_index, site, referrer in drawn["requests"]:
        world.requests.append(
            SupportRequestFactory(
                program=programs[program_index],
                site=None if site is None else sites[program_index][site],
                referred_by=member(referrer),
                peer__first_name=person_name(),
                peer__last_name="Canary",
            )
        )
    for program_index, site, supervisor in drawn["supporters"]:
        world.supporters.append(
            SupporterFactory(
                program=programs[program_index],
                site=None if site is None else sites[program_index][site],
                supervisor=member(supervisor),
                user__first_name="Supporter",
            )
        )
    matched = set()
    for request_index, supporter_index in drawn["matches"]:
        if request_index >= len(world.requests) or supporter_index >= len(world.supporters):
            continue
        support_request = world.requests[request_index]
        supporter = world.supporters[supporter_index]
        if support_request.program_id != supporter.program_id or request_index in matched:
            continue
        matched.add(request_index)
        world.matches.append(
            MatchFactory(
                program=support_request.program, request=support_request, supporter=supporter
            )
        )
    return world


# ---- The rules, stated plainly --------------------------------------------------------------


def holds(world: World, user: User, program_id: int, roles) -> list[Membership]:
    return [
        held
        for held in world.held
        if held.user_id == user.pk and held.program_id == program_id and held.role in roles
    ]


def central(world: World, user: User, program_id: int, roles) -> bool:
    return any(
        not world.sites[held.pk] or held.role not in SITE_SCOPED_ROLES
        for held in holds(world, user, program_id, roles)
    )


def tied_sites(world: World, user: User, program_id: int, roles) -> set[int]:
    return {
        site
        for held in holds(world, user, program_id, set(roles) & SITE_SCOPED_ROLES)
        for site in world.sites[held.pk]
    }


def blind(world: World, program_id: int) -> bool:
    return next(p for p in world.programs if p.pk == program_id).is_employer_blind


def hidden_from_own_sites(world: World, user: User, request: SupportRequest) -> bool:
    own = tied_sites(world, user, request.program_id, SITE_SCOPED_ROLES)
    return (
        blind(world, request.program_id)
        and bool(own)
        and (request.site_id is None or request.site_id in own)
    )


def staff_may_see(world: World, user: User, request: SupportRequest) -> bool:
    if central(world, user, request.program_id, STAFF_ROLES):
        return True
    sites = tied_sites(world, user, request.program_id, STAFF_ROLES)
    if not sites:
        return False
    if blind(world, request.program_id):
        return not hidden_from_own_sites(world, user, request)
    return request.site_id in sites


def may_see_request(world: World, user: User, request: SupportRequest) -> bool:
    return staff_may_see(world, user, request) or (
        request.referred_by_id == user.pk
        and bool(holds(world, user, request.program_id, {Role.REFERRER}))
    )


def supervises(world: World, user: User, supporter: Supporter) -> bool:
    if supporter.supervisor_id is not None:
        return supporter.supervisor_id == user.pk and bool(
            holds(world, user, supporter.program_id, {Role.SUPERVISOR})
        )
    return central(world, user, supporter.program_id, {Role.SUPERVISOR}) or (
        supporter.site_id in tied_sites(world, user, supporter.program_id, {Role.SUPERVISOR})
    )


def may_see_supporter(world: World, user: User, supporter: Supporter) -> bool:
    return (
        central(world, user, supporter.program_id, STAFF_ROLES)
        or supporter.site_id in tied_sites(world, user, supporter.program_id, STAFF_ROLES)
        or supervises(world, user, supporter)
        or supporter.user_id == user.pk
    )


def may_see_match(world: World, user: User, match: Match) -> bool:
    supporter, request = match.supporter, match.request
    return (
        staff_may_see(world, user, request)
        or supporter.user_id == user.pk
        or (
            not blind(world, match.program_id)
            and supporter.site_id in tied_sites(world, user, match.program_id, STAFF_ROLES)
        )
        or (supervises(world, user, supporter) and not hidden_from_own_sites(world, user, request))
    )


def hidden_names(world: World, user: User) -> set[str]:
    """The names of the people whose request and matches the rules hide from `user`."""
    shown = {r.pk for r in world.requests if may_see_request(world, user, r)} | {
        m.request_id for m in world.matches if may_see_match(world, user, m)
    }
    return {r.peer.first_name for r in world.requests if r.pk not in shown}


# ---- What each person is shown --------------------------------------------------------------


def ids(queryset, world_rows) -> set[int]:
    return set(queryset.filter(pk__in=[row.pk for row in world_rows]).values_list("pk", flat=True))


def list_pages() -> list[str]:
    pages = []
    for definition in exportable_lists().values():
        try:
            pages.append(reverse(definition.page))
        except NoReverseMatch:
            continue  # a list of one thing (a group session's invitations): not a person's list
    return pages


def pages_for(world: World, hidden: set[str]) -> list[str]:
    """Every page, list, search, export and API answer to read, as each person would."""
    pages = ["/", reverse("supporters:supervisees"), "/api/v1/programs/"]
    for page in list_pages():
        pages.append(f"{page}?per_page=100")
        # Searches for each hidden person by name, in lower case: the search box shows what
        # was typed, and only a row shows the name as it was given, with its capital.
        pages += [f"{page}?q={name.lower()}" for name in sorted(hidden)]
    pages += [reverse("intake:request_detail", args=[r.pk]) for r in world.requests]
    pages += [f"/api/v1/requests/{r.pk}/shortlist" for r in world.requests]
    pages += [reverse("matches:detail", args=[m.pk]) for m in world.matches]
    pages += [reverse("supporters:detail", args=[s.pk]) for s in world.supporters]
    for name in exportable_lists():
        pages.append(reverse("reports:export", args=[name]) + "?format=csv")
    return pages


def api_lists(world: World) -> dict[str, tuple[list[Any], Callable[..., bool]]]:
    """The API's lists (read as each person: a list the pages do not show them is empty),
    each with the world's rows it may hold and the rule that says who may see each."""
    return {
        "/api/v1/requests/waiting?limit=200": (world.requests, may_see_request),
        "/api/v1/matches/?limit=200": (world.matches, may_see_match),
        "/api/v1/supporters/?limit=200": (world.supporters, may_see_supporter),
    }


def api_records(world: World) -> list[tuple[str, Callable[..., bool], Any]]:
    """Each record of the world read alone through the API, with the rule that says who
    may see it: an answer of 200 to anyone else is a row their pages would not show."""
    return (
        [(f"/api/v1/requests/{r.pk}", may_see_request, r) for r in world.requests]
        + [(f"/api/v1/requests/{r.pk}/proposals", may_see_request, r) for r in world.requests]
        + [(f"/api/v1/matches/{m.pk}", may_see_match, m) for m in world.matches]
        + [(f"/api/v1/matches/{m.pk}/contacts", may_see_match, m) for m in world.matches]
        + [(f"/api/v1/matches/{m.pk}/goals", may_see_match, m) for m in world.matches]
        + [(f"/api/v1/supporters/{s.pk}", may_see_supporter, s) for s in world.supporters]
    )


def check_api_rows(world: World, user: User, client: Client, hidden: set[str]) -> None:
    """The API answers `user` no row their pages would not show: each list holds only rows
    the rules let them see and no hidden person's name; each record they may not see, read
    alone, is a 404."""
    for path, (rows, rule) in api_lists(world).items():
        response = client.get(path)
        listed = {item["id"] for item in response.json()["items"]}
        assert listed & {row.pk for row in rows} <= {
            row.pk for row in rows if rule(world, user, row)
        }, path
        assert not {name for name in hidden if name in shown_text(response)}, path
    for path, rule, row in api_records(world):
        if not rule(world, user, row):
            assert client.get(path).status_code == 404, f"{path} answers {user.email}"


def shown_text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    content = response.content.decode()
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(json.loads(content), ensure_ascii=False)
    return content


def check(world: World) -> None:
    viewers = world.members + [supporter.user for supporter in world.supporters]
    for user in viewers:
        assert ids(SupportRequest.objects.visible_to(user), world.requests) == {
            r.pk for r in world.requests if may_see_request(world, user, r)
        }
        assert ids(Match.objects.visible_to(user), world.matches) == {
            m.pk for m in world.matches if may_see_match(world, user, m)
        }
        assert ids(Supporter.objects.visible_to(user), world.supporters) == {
            s.pk for s in world.supporters if may_see_supporter(world, user, s)
        }
        hidden = hidden_names(world, user)
        if not hidden:
            continue  # they may see every request and match of the world
        client = Client()
        client.force_login(user)
        check_api_rows(world, user, client, hidden)
        client.post(reverse("account_reauthenticate"), {"password": DEMO_PASSWORD})
        for page in pages_for(world, hidden):
            response = client.get(page)
            assert response.status_code < 500, page
            assert "/2fa/" not in response.get("Location", ""), "staff must reach the pages"
            text = shown_text(response)
            shown = {name for name in hidden if name in text}
            assert not shown, f"{page} shows {shown} to {user.email}"


# The health-care network: a manager at Facility A, a supervisor tied to it, and a colleague at
# Facility A asking for support, matched with a supporter the manager supervises.
MANAGER_AT_A = {
    "blind": (True, False),
    "members": [[(0, Role.SUPERVISOR, {0})], [(0, Role.COORDINATOR, set())]],
    "requests": [(0, 0, None), (0, 1, None), (0, None, None)],
    "supporters": [(0, 0, 0), (0, 1, None)],
    "matches": [(0, 0), (1, 0), (2, 1)],
}


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(drawn=worlds)
@example(drawn=MANAGER_AT_A)
def test_nobody_is_shown_a_row_their_scope_forbids(ms, drawn):
    check(build(drawn))


def test_the_rules_are_not_empty_words(ms):
    """The manager's world above: the rules hide the colleague at Facility A and the person
    whose site is not known from the manager, and nobody from the central coordinator."""
    world = build(MANAGER_AT_A)
    manager, coordinator = world.members
    colleague, _elsewhere, unknown = world.requests
    assert hidden_names(world, manager) == {colleague.peer.first_name, unknown.peer.first_name}
    assert hidden_names(world, coordinator) == set()
    assert may_see_match(world, manager, world.matches[1])  # their supervisee, a person at B
    check(world)
    # The searches the check reads find what they look for: the central coordinator finds the
    # colleague by name, on the request queue and on the match list.
    client = Client()
    client.force_login(coordinator)
    name = colleague.peer.first_name
    for page in (reverse("intake:queue"), reverse("matches:list")):
        assert name in client.get(f"{page}?q={name.lower()}").content.decode()
