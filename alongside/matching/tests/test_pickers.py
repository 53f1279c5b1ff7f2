"""Choosing a supporter on a request's page by searching (core.pickers): whom a search finds,
what the forms accept, who may search, and what the page costs however many supporters there are.
"""

import re

import pytest
from django.urls import reverse

from alongside.accounts.factories import UserFactory
from alongside.core.models import AuditEvent
from alongside.core.pickers import RESULTS
from alongside.intake.factories import SupportRequestFactory
from alongside.matches.factories import MatchFactory
from alongside.matching.forms import ConflictForm, WhyNotForm
from alongside.matching.models import HOLDING_STATUSES, Conflict, Proposal, ProposalStatus
from alongside.matching.request_page import supporters_to_ask_about
from alongside.programs.factories import ExperienceFactory
from alongside.supporters.factories import LivedExperienceFactory, SupporterFactory, make_ready
from alongside.supporters.models import SupporterStatus
from alongside.supporters.services.pipeline import create_default_pipeline

# The request page's queries for a coordinator, whatever the program's size (issue 15), and
# three for privacy's panels: the person's consents (however many they gave), whether the
# program sends questionnaires (to say plainly when none goes to the person), and the legal
# holds in force on them.
PAGE_QUERIES = 18


def named(program, first_name, last_name="Smith", **fields):
    return SupporterFactory(
        program=program, user=UserFactory(first_name=first_name, last_name=last_name), **fields
    )


def why_not_form(data, program):
    form = WhyNotForm(data)
    form.fields["supporter"].widget.source = supporters_to_ask_about(program.pk)
    return form


# ---- whom a search finds ---------------------------------------------------------------------


def test_a_search_finds_supporters_whose_names_begin_with_each_word(program_a):
    alex = named(program_a, "Alex", "Martin")
    named(program_a, "Alexandra", "Stone")
    named(program_a, "Malex", "Brown")  # "alex" inside a word is not a match
    source = supporters_to_ask_about(program_a.pk)

    by_first, _more = source.search("alex")
    by_both, _more = source.search("  Al   mar ")
    by_last, _more = source.search("MARTIN")

    assert [one.display_name for one in by_first] == ["Alex", "Alexandra"]
    assert by_both == [alex]
    assert by_last == [alex]


def test_a_search_never_finds_another_programs_or_a_gone_supporter(program_a, program_b):
    named(program_b, "Casey")
    named(program_a, "Casey", status=SupporterStatus.WITHDRAWN)

    found, more = supporters_to_ask_about(program_a.pk).search("casey")

    assert (found, more) == ([], False)


def test_a_search_shows_the_first_ten_and_says_there_are_more(program_a):
    for number in range(RESULTS + 2):
        named(program_a, f"Jo{number:02d}")

    found, more = supporters_to_ask_about(program_a.pk).search("jo")

    assert len(found) == RESULTS
    assert more


# ---- what the forms accept -------------------------------------------------------------------


def test_the_why_not_form_accepts_a_supporter_of_the_program(program_a, supporter_a):
    form = why_not_form({"supporter": str(supporter_a.pk)}, program_a)

    assert form.is_valid()
    assert form.cleaned_data["supporter"] == supporter_a


@pytest.mark.parametrize("who", ["another program", "unknown", "not a number"])
def test_the_why_not_form_refuses_anyone_else_with_a_message(program_a, program_b, who):
    value = {
        "another program": lambda: str(named(program_b, "Casey").pk),
        "unknown": lambda: "999999",
        "not a number": lambda: "'; drop table",
    }[who]()
    form = why_not_form({"supporter": value}, program_a)

    assert not form.is_valid()
    assert form.errors["supporter"] == [
        "That choice is not one you can make here. Search again and choose one of the results."
    ]


def test_the_conflict_form_asks_to_search_when_nobody_is_chosen(program_a):
    form = ConflictForm({"conflict-reason": "Cousins"}, prefix="conflict")
    form.fields["supporter"].widget.source = supporters_to_ask_about(program_a.pk)

    assert not form.is_valid()
    assert form.errors["supporter"] == ["Search by name, then choose one of the results."]


# ---- the pages -------------------------------------------------------------------------------


def search_url(support_request):
    return reverse("matching:search_supporters", args=[support_request.pk])


def test_the_search_answers_the_results_alone_with_their_count(
    client, coordinator_a, request_a, supporter_a, other_supporter_a
):
    client.force_login(coordinator_a)

    response = client.get(search_url(request_a), {"name": "supporter", "supporter-search": "rob"})

    text = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in text
    assert 'hx-swap-oob="innerHTML">1 supporter found.</p>' in text
    assert re.search(r'type="radio"\s+name="supporter"', text)
    assert f'value="{other_supporter_a.pk}"' in text
    assert f'value="{supporter_a.pk}"' not in text


def test_the_search_keeps_the_choice_already_made_first(
    client, coordinator_a, request_a, supporter_a, other_supporter_a
):
    client.force_login(coordinator_a)

    response = client.get(
        search_url(request_a),
        {
            "name": "conflict-supporter",
            "conflict-supporter-search": "rob",
            "conflict-supporter": supporter_a.pk,
        },
    )

    text = response.content.decode()
    assert text.index(f'value="{supporter_a.pk}"') < text.index(f'value="{other_supporter_a.pk}"')
    assert "checked" in text


def test_the_search_shows_ten_and_asks_for_more_of_the_name_in_few_queries(
    client, coordinator_a, request_a, program_a, django_assert_max_num_queries
):
    for number in range(30):
        named(program_a, f"Kim{number:02d}")
    client.force_login(coordinator_a)

    with django_assert_max_num_queries(8):
        response = client.get(
            search_url(request_a), {"name": "supporter", "supporter-search": "kim"}
        )

    text = response.content.decode()
    assert text.count('type="radio"') == RESULTS
    assert "The first 10 found: type more of the name to narrow the search." in text


@pytest.mark.parametrize(
    ("who", "status"), [("supporter", 403), ("other_coordinator", 404), ("nobody", 302)]
)
def test_only_the_programs_staff_may_search_its_supporters(
    client, request_a, supporter_a, coordinator_b, who, status
):
    user = {"supporter": supporter_a.user, "other_coordinator": coordinator_b, "nobody": None}[who]
    if user is not None:
        client.force_login(user)

    response = client.get(search_url(request_a), {"name": "supporter", "supporter-search": "sam"})

    assert response.status_code == status
    assert "supporter found" not in response.content.decode()


def test_a_search_sent_without_javascript_reloads_the_page_with_the_results(
    client, coordinator_a, request_a, supporter_a, other_supporter_a
):
    client.force_login(coordinator_a)
    page = reverse("intake:request_detail", args=[request_a.pk])

    why_not = client.get(page, {"supporter-search": "rob"}).content.decode()
    conflict = client.get(page, {"conflict-supporter-search": "rob"}).content.decode()

    assert 'id="id_supporter-0"' in why_not
    assert "data-error-summary" not in why_not  # a search is not a question yet
    assert '<details class="mt-4" open>' in conflict
    assert 'id="id_conflict-supporter-0"' in conflict


def test_a_conflict_with_another_programs_supporter_is_refused_with_a_message(
    client, coordinator_a, request_a, program_b
):
    stranger = named(program_b, "Casey")
    client.force_login(coordinator_a)

    response = client.post(
        reverse("matching:record_conflict", args=[request_a.pk]),
        {"conflict-supporter": stranger.pk, "conflict-reason": "Cousins"},
        follow=True,
    )

    assert "That choice is not one you can make here." in response.content.decode()
    assert not Conflict.objects.exists()
    assert not AuditEvent.objects.filter(action="matching.conflict.recorded").exists()


def test_the_request_page_lists_no_supporter_it_was_not_asked_about(
    client, coordinator_a, request_a, program_a, django_assert_max_num_queries
):
    for number in range(60):
        named(program_a, f"Lee{number:02d}", languages=["fr"])  # left out: no shared language
    client.force_login(coordinator_a)
    page = reverse("intake:request_detail", args=[request_a.pk])
    client.get(page)  # the matching snapshot is built once, then kept (matching/snapshot)

    # The pickers add none: they ask only when someone searches.
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(page)

    text = response.content.decode()
    assert response.status_code == 200
    assert "<select" not in text
    assert text.count("Lee") < 20  # the left-out list shows a few, the pickers none


def test_the_request_page_takes_a_few_queries_however_busy_its_program(
    client, coordinator_a, request_a, program_a, ms, django_assert_max_num_queries
):
    create_default_pipeline(program=program_a, created_by=None)
    # The request's experience is counted with another (a family): read with the request.
    request_a.experience = ExperienceFactory(slug="progressive-ms", allied_to=ms)
    request_a.save()
    ready = []
    for number in range(16):
        supporter = make_ready(named(program_a, f"Kai{number:02d}"))
        LivedExperienceFactory(supporter=supporter, experience=ms)
        ready.append(supporter)
    # Some are busy (matches, and proposals of other requests holding a place), two declined
    # this request before, one has a conflict with its peer.
    for supporter in ready[:4]:
        MatchFactory(program=program_a, supporter=supporter, request__experience=ms)
    for supporter, status in zip(ready[4:8], HOLDING_STATUSES, strict=False):
        Proposal.objects.create(
            program=program_a,
            request=SupportRequestFactory(program=program_a, experience=ms),
            supporter=supporter,
            status=status,
            score=50,
        )
    for supporter in ready[8:10]:
        Proposal.objects.create(
            program=program_a,
            request=request_a,
            supporter=supporter,
            status=ProposalStatus.DECLINED,
            score=50,
        )
    Conflict.objects.create(
        program=program_a, peer=request_a.peer, supporter=ready[10], reason="Neighbours"
    )
    # Many left out: some for their language, more not through the readiness gate yet.
    for number in range(3):
        make_ready(named(program_a, f"Lee{number:02d}", languages=["fr"]))
    for number in range(20):
        status = SupporterStatus.SCREENING if number % 2 else SupporterStatus.ACTIVE
        LivedExperienceFactory(
            supporter=named(program_a, f"Noa{number:02d}", status=status), experience=ms
        )
    client.force_login(coordinator_a)
    page = reverse("intake:request_detail", args=[request_a.pk])
    client.get(page)  # the matching snapshot is built once, then kept

    # The session, the user and their roles 3; the request with the viewer's place in its
    # program, its viewing recorded, its current match 3; the menu 2; the open proposal 1;
    # the shortlist at most 6: the snapshot's freshness (a cache read, a query on the
    # database's cache), the settings, the load and the barred pairs, the supporters shown,
    # and the gate's words for those it keeps off (the program's steps, their records); the
    # person's consents and whether the program sends questionnaires 2; the legal holds in
    # force on the person 1.
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(page)

    text = response.content.decode()
    assert response.status_code == 200
    assert "Noa00</strong>: has not had the screening call;" in text  # the gate's own words
    assert text.count("Kai") >= 5  # the candidates


# ---- the supporter page: a waiting request to match them with --------------------------------


def supporter_page(supporter):
    return reverse("supporters:detail", args=[supporter.pk])


def test_the_supporter_page_offers_the_longest_waiting_requests_not_all(
    client, coordinator_a, supporter_a, program_a, ms
):
    waiting = [SupportRequestFactory(program=program_a, experience=ms) for _ in range(8)]
    client.force_login(coordinator_a)

    text = client.get(supporter_page(supporter_a)).content.decode()

    assert text.count('name="match-request"') == 5
    assert f"· #{waiting[0].pk}" in text
    assert f"· #{waiting[-1].pk}" not in text
    assert "The requests waiting longest." in text


def test_a_waiting_request_is_found_by_its_number_or_a_whole_word_of_the_persons_name(
    client, coordinator_a, supporter_a, program_a, ms
):
    dana = SupportRequestFactory(
        program=program_a, experience=ms, peer__first_name="Dana", peer__last_name="Okafor"
    )
    SupportRequestFactory(program=program_a, experience=ms, peer__first_name="Eli")
    url = reverse("matching:search_waiting_requests", args=[supporter_a.pk])
    client.force_login(coordinator_a)

    by_number = client.get(url, {"name": "match-request", "match-request-search": f"#{dana.pk}"})
    by_name = client.get(url, {"name": "match-request", "match-request-search": "dana"})
    by_last_name = client.get(url, {"name": "match-request", "match-request-search": "OKAFOR"})
    by_a_start = client.get(url, {"name": "match-request", "match-request-search": "dan"})

    for response in (by_number, by_name, by_last_name):
        assert f"Dana · #{dana.pk}" in response.content.decode()
        assert "Eli ·" not in response.content.decode()
    # Both names are encrypted: found by whole words only, and the status says so.
    assert "Dana ·" not in by_a_start.content.decode()
    assert "by a whole first or last name, never by its start" in by_a_start.content.decode()


def test_another_programs_request_is_refused_on_the_supporter_page(
    client, coordinator_a, supporter_a, program_b, ms
):
    elsewhere = SupportRequestFactory(program=program_b, experience=ms)
    client.force_login(coordinator_a)

    response = client.post(
        reverse("matching:match_supporter", args=[supporter_a.pk]), {"match-request": elsewhere.pk}
    )

    assert response.status_code == 200
    assert "That choice is not one you can make here." in response.content.decode()


@pytest.mark.parametrize(("who", "status"), [("supporter", 403), ("other_coordinator", 404)])
def test_only_the_programs_staff_may_search_its_waiting_requests(
    client, supporter_a, request_a, coordinator_b, who, status
):
    client.force_login({"supporter": supporter_a.user, "other_coordinator": coordinator_b}[who])

    response = client.get(
        reverse("matching:search_waiting_requests", args=[supporter_a.pk]),
        {"name": "match-request", "match-request-search": str(request_a.pk)},
    )

    assert response.status_code == status


def test_the_choice_already_made_stays_first_when_the_search_finds_it_too(
    client, coordinator_a, request_a, supporter_a, other_supporter_a
):
    # "rob" finds Robin and Sam Roberts alike; by name Robin comes first, but Sam is chosen.
    # (A generated last name such as Robertson did this at random.)
    supporter_a.user.last_name = "Roberts"
    supporter_a.user.save()
    client.force_login(coordinator_a)

    response = client.get(
        search_url(request_a),
        {
            "name": "conflict-supporter",
            "conflict-supporter-search": "rob",
            "conflict-supporter": supporter_a.pk,
        },
    )

    text = response.content.decode()
    assert "2 supporters found." in text
    assert text.index(f'value="{supporter_a.pk}"') < text.index(f'value="{other_supporter_a.pk}"')
