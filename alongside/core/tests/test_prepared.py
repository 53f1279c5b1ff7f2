"""A prepared query answers exactly what its queryset answers, compiling each shape once."""

import datetime as dt
import threading

import pytest
from django.db import connections
from django.db.models import Count, F, Value
from django.db.models.expressions import RawSQL
from django.utils import timezone

from alongside.core.prepared import Prepared
from alongside.matches.factories import ContactLogFactory, MatchFactory
from alongside.matches.models import ContactLog
from alongside.programs.factories import ProgramFactory
from alongside.supporters.factories import SupporterFactory
from alongside.supporters.models import Supporter

pytestmark = pytest.mark.django_db


class Counted:
    """A build that counts how often it is asked to build."""

    def __init__(self, build):
        self.build, self.calls = build, 0

    def __call__(self, **values):
        self.calls += 1
        return self.build(**values)


def contacts_since(*, program_id, ids, since):
    return (
        ContactLog.objects.filter(
            match__supporter__program_id=program_id,
            match__supporter__in=ids,
            occurred_at__gte=since,
        )
        .order_by("pk")
        .values_list("pk", "match__supporter_id", "minutes", "occurred_at")
    )


@pytest.fixture
def world():
    program = ProgramFactory()
    supporters = SupporterFactory.create_batch(3, program=program)
    now = timezone.now()
    for days, supporter in enumerate(supporters * 2):
        match = MatchFactory(program=program, supporter=supporter)
        ContactLogFactory(match=match, minutes=10 + days, occurred_at=now - dt.timedelta(days))
    ContactLogFactory(minutes=99)  # another program's
    return program, supporters, now


def test_its_rows_are_the_querysets_for_other_values_of_the_same_shape(
    world, django_assert_num_queries
):
    program, supporters, now = world
    build = Counted(contacts_since)
    prepared = Prepared(build)
    for ids, days in [([supporters[0].pk], 1), ([supporters[1].pk], 9), ([supporters[2].pk], 3)]:
        values = {"program_id": program.pk, "ids": ids, "since": now - dt.timedelta(days)}
        with django_assert_num_queries(1):
            found = prepared(**values)
        assert found == list(contacts_since(**values))
        assert found
        assert all(isinstance(row[3], dt.datetime) for row in found)
    assert build.calls == 1  # built once, with markers, then only run


def test_each_length_of_a_list_is_a_shape_of_its_own(world):
    program, supporters, now = world
    build = Counted(contacts_since)
    prepared = Prepared(build)
    since = now - dt.timedelta(30)
    for ids in ([s.pk for s in supporters], [supporters[0].pk], [s.pk for s in supporters[1:]]):
        values = {"program_id": program.pk, "ids": ids, "since": since}
        assert prepared(**values) == list(contacts_since(**values))
    assert build.calls == 3
    assert prepared(program_id=program.pk, ids=[supporters[2].pk], since=since)
    assert build.calls == 3


def test_an_empty_list_answers_nothing_without_asking_the_database(
    world, django_assert_num_queries
):
    program, _supporters, now = world
    with django_assert_num_queries(0):
        assert Prepared(contacts_since)(program_id=program.pk, ids=[], since=now) == []


def test_a_value_written_into_the_sql_itself_is_built_each_time_and_still_right(world):
    program, supporters, _now = world

    def from_one_on(*, program_id, least):  # `least` is written into the SQL's text
        return (
            Supporter.objects.filter(program_id=program_id, pk__gte=RawSQL(str(least), []))  # noqa: S611
            .order_by("pk")
            .values_list("pk", Value(1))
        )

    build = Counted(from_one_on)
    prepared = Prepared(build)
    first, second, third = (supporter.pk for supporter in supporters)
    assert prepared(program_id=program.pk, least=second) == [(second, 1), (third, 1)]
    assert prepared(program_id=program.pk, least=third) == [(third, 1)]
    assert prepared(program_id=program.pk, least=first) == [(first, 1), (second, 1), (third, 1)]
    assert build.calls == 4  # once with markers, then once a call


def test_aggregates_and_expressions_come_back_as_the_queryset_gives_them(world):
    program, _supporters, now = world

    def minutes(*, program_id, since):
        return (
            ContactLog.objects.filter(
                match__supporter__program_id=program_id, occurred_at__gte=since
            )
            .values_list("match__supporter_id")
            .annotate(contacts=Count("pk"), doubled=F("minutes") * 2)
            .order_by("match__supporter_id", "doubled")
        )

    prepared = Prepared(minutes)
    for days in (0, 2, 10):
        values = {"program_id": program.pk, "since": now - dt.timedelta(days, seconds=1)}
        assert prepared(**values) == list(minutes(**values))


@pytest.mark.django_db(transaction=True)  # the other thread has its own connection
def test_each_thread_compiles_its_own_and_gets_the_same_answer(world):
    program, supporters, now = world
    build = Counted(contacts_since)
    prepared = Prepared(build)
    values = {"program_id": program.pk, "ids": [supporters[0].pk], "since": now - dt.timedelta(9)}
    here = prepared(**values)
    there = []

    def elsewhere():
        try:
            there.append(prepared(**values))
        finally:
            connections.close_all()  # this thread's own

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    assert there == [here]
    assert build.calls == 2


def test_only_plain_tuples_can_be_prepared(world):
    program, _supporters, _now = world
    with pytest.raises(TypeError):
        Prepared(lambda *, program_id: Supporter.objects.filter(program_id=program_id))(
            program_id=program.pk
        )
