"""The shared snapshot: built from plain values as the model objects would build it, stored once
for every process, patched for the one supporter that changed, rebuilt in the worker."""

import datetime as dt
import gc
import threading

import pytest
import time_machine
from django.db import DatabaseError, connection
from django.urls import reverse
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from alongside.matches.factories import ContactLogFactory, MatchFactory
from alongside.matching.scoring import NONE
from alongside.matching.snapshot import (
    build_pool,
    cache,
    program_supporters,
    snapshot_for,
    store,
    stored_snapshot,
)
from alongside.matching.snapshot.rows import read_rows
from alongside.matching.snapshot.table import Table
from alongside.programs.factories import ExperienceFactory, SiteFactory
from alongside.programs.models import (
    ContactMethod,
    Gender,
    Language,
    PipelineStep,
    Relationship,
)
from alongside.supporters.factories import (
    LivedExperienceFactory,
    SupporterFactory,
    make_ready,
    not_ready_supporter,
)
from alongside.supporters.models import Supporter, SupporterStatus

EVENINGS = [{"day": day, "start": "18:00", "end": "21:00"} for day in range(5)]


@pytest.fixture
def varied(program_a, ms):
    """Supporters who differ in everything the snapshot reads."""
    allied = ExperienceFactory(slug="allied", allied_to=ms)
    other = ExperienceFactory(slug="grief")
    north = SiteFactory(program=program_a, name="North", region="Nord")
    nurse = SupporterFactory(program=program_a, work_role=" Nurse ", site=north, region="")
    far = SupporterFactory(
        program=program_a,
        time_zone="America/Vancouver",
        availability=EVENINGS,
        languages=[Language.FRENCH, Language.ENGLISH],
        contact_methods=[ContactMethod.VIDEO],
        gender=Gender.WOMAN,
        birth_year=1970,
        supports_genders=[Gender.WOMAN],
        supports_relationships=[Relationship.FAMILY],
        expected_hours_per_month=4,
        max_concurrent_matches=5,
    )
    SupporterFactory(program=program_a, status=SupporterStatus.WITHDRAWN)
    SupporterFactory(program=program_a, away_until=timezone.localdate() + dt.timedelta(days=3))
    not_ready_supporter(program=program_a)  # the program has a pipeline from now on
    make_ready(nurse)
    make_ready(far)
    for supporter in program_a.supporters.all()[:3]:
        LivedExperienceFactory(supporter=supporter, experience=ms, relationship=Relationship.SELF)
        LivedExperienceFactory(supporter=supporter, experience=allied, since=None)
        LivedExperienceFactory(supporter=supporter, experience=other, relationship="family")
    return program_a


def in_words(pool, vocabulary, gone=None):
    """A pool with its codes put back into words, so pools of two vocabularies compare."""
    roles = {code: word for word, code in vocabulary.roles.items()} | {NONE: ""}
    regions = {code: word for word, code in vocabulary.regions.items()} | {NONE: ""}
    families = {code: word for word, code in vocabulary.families.items()}
    found = {}
    for row, supporter_id in enumerate(pool.ids):
        experiences = {
            families[code]: (
                int(pool.relationships[row, code]),
                round(float(pool.years_lived[row, code]), 3),
            )
            for code in families
            if pool.relationships[row, code] or pool.years_lived[row, code]
        }
        found[int(supporter_id)] = {
            "role": roles[int(pool.role[row])],
            "region": regions[int(pool.region[row])],
            "experiences": experiences,
            **{
                name: getattr(pool, name)[row].item()
                for name in (
                    "ready",
                    "languages",
                    "methods",
                    "site",
                    "utc_offset_minutes",
                    "birth_year",
                    "gender",
                    "availability",
                    "capacity",
                    "accepts_genders",
                    "accepts_relationships",
                    "pledge_used",
                )
            },
        }
        if gone is not None:
            found[int(supporter_id)]["gone"] = bool(gone[row])
    return found


def from_model_objects(program):
    pool, vocabulary = build_pool(program, program_supporters(program.pk), now=timezone.now())
    return in_words(pool, vocabulary)


def from_snapshot(snapshot):
    return in_words(snapshot.pool, snapshot.vocabulary)


def test_the_snapshot_from_values_is_the_pool_the_model_objects_give(varied):
    table: Table = store.build(varied, timezone.now())

    expected = from_model_objects(varied)
    assert in_words(table.pool, table.vocabulary) == expected
    assert sum(row["ready"] for row in expected.values()) == 2  # the others are not: each why
    assert len(table.vocabulary.families) == 2  # allied counts with ms


def test_the_build_pauses_the_collector_and_gives_it_back_as_it_was_even_when_it_fails(
    varied, monkeypatch
):
    seen = []

    def reading(program, now):
        seen.append(gc.isenabled())
        if len(seen) == 2:
            raise DatabaseError("the server went away")
        return read_rows(program, now)

    monkeypatch.setattr(store, "read_rows", reading)
    store.build(varied, timezone.now())
    with pytest.raises(DatabaseError):
        store.build(varied, timezone.now())
    assert gc.isenabled()
    gc.disable()
    try:
        store.build(varied, timezone.now())
        assert not gc.isenabled()  # whoever turned it off turns it back on
    finally:
        gc.enable()
    assert seen == [False, False, False]


def test_a_few_supporters_rows_are_the_whole_programs_rows_read_in_four_queries(
    varied, django_assert_num_queries
):
    now = timezone.now()
    far = varied.supporters.get(time_zone="America/Vancouver")
    match = MatchFactory(program=varied, supporter=far)
    ContactLogFactory(match=match, minutes=90)  # this past month's
    ContactLogFactory(match=match, minutes=600, occurred_at=now - dt.timedelta(days=40))
    whole = {row.id: row for row in read_rows(varied, now)}
    assert whole[far.pk].pledge_used == 1.5 / 4
    stranger = SupporterFactory()  # another program's: never read for this one
    asked = [*sorted(whole)[:3], stranger.pk]

    with django_assert_num_queries(4):
        few = read_rows(varied, now, only=asked)

    assert few == [whole[pk] for pk in sorted(whole)[:3]]
    assert [read_rows(varied, now, only=[pk]) for pk in whole] == [[row] for row in whole.values()]
    assert {row.ready for row in whole.values()} == {True, False}


def test_a_page_reads_the_stored_snapshot_and_keeps_its_copy(varied, django_assert_max_num_queries):
    built = stored_snapshot(varied)
    assert built is not None
    store.forget_copies()  # another process: it reads what the first one stored

    with django_assert_max_num_queries(3):
        read = stored_snapshot(varied)
    with django_assert_max_num_queries(1):  # the head alone, when nothing changed
        again = stored_snapshot(varied)

    assert from_snapshot(read) == from_snapshot(built) == from_model_objects(varied)
    assert again is read


def test_one_supporters_change_is_logged_and_every_copy_follows_it(
    varied, ms, django_capture_on_commit_callbacks
):
    stored_snapshot(varied)
    supporter = varied.supporters.filter(status=SupporterStatus.ACTIVE).first()
    newcomer_experience = ExperienceFactory(slug="new-family")

    with django_capture_on_commit_callbacks(execute=True):
        supporter.languages = [Language.FRENCH]
        supporter.work_role = "Paramedic"
        supporter.save()
        LivedExperienceFactory(supporter=supporter, experience=newcomer_experience)
        newcomer = SupporterFactory(program=varied, region="Far north")

    head = store.read_head(varied.pk)
    assert (head.generation, head.patches) == (1, 1)  # one commit: one change logged
    patched = stored_snapshot(varied)
    assert from_snapshot(patched) == from_model_objects(varied)
    assert newcomer.pk in patched.row_of
    assert "new-family" in patched.vocabulary.families
    store.forget_copies()
    assert from_snapshot(stored_snapshot(varied)) == from_model_objects(varied)


def test_a_deleted_supporter_is_never_ready_nor_shown(varied, django_capture_on_commit_callbacks):
    stored_snapshot(varied)
    supporter = varied.supporters.filter(status=SupporterStatus.ACTIVE).first()
    supporter_id = supporter.pk

    with django_capture_on_commit_callbacks(execute=True):
        supporter.experiences.all().delete()
        supporter.delete()

    snapshot = stored_snapshot(varied)
    row = snapshot.row_of[supporter_id]
    assert not snapshot.pool.ready[row]
    assert snapshot.gone[row]


def test_a_change_logged_while_the_worker_rebuilds_is_in_what_it_publishes(varied, monkeypatch):
    stored_snapshot(varied)
    supporter = varied.supporters.filter(status=SupporterStatus.ACTIVE).first()
    read_everyone = store.read_rows

    def read_then_another_process_changes_someone(program, now, *, only=None):
        rows = read_everyone(program, now, only=only)
        if only is None:  # the rebuild's read: the change commits just after it
            supporter.languages = [Language.FRENCH]
            supporter.save()
            assert store.log_change(program, [supporter.pk], now)
        return rows

    monkeypatch.setattr(store, "read_rows", read_then_another_process_changes_someone)
    published = store.rebuild(varied, timezone.now())

    assert published.head.generation == 2
    assert from_snapshot(published) == from_model_objects(varied)


def test_changes_from_two_processes_are_both_kept_in_order(varied):
    stored_snapshot(varied)
    first, second = varied.supporters.filter(status=SupporterStatus.ACTIVE)[:2]
    now = timezone.now()

    first.languages = [Language.FRENCH]
    first.save()
    store.log_change(varied, [first.pk], now)
    store.forget_copies()  # the second process
    second.languages = [Language.FRENCH]
    second.save()
    store.log_change(varied, [second.pk], now)
    first.languages = [Language.ENGLISH]  # and the first again, later
    first.save()
    store.log_change(varied, [first.pk], now)

    assert store.read_head(varied.pk).patches == 3
    assert from_snapshot(store.current(varied.pk)) == from_model_objects(varied)


def test_a_change_waits_for_the_lock_and_gives_up_rather_than_lose_order(varied, monkeypatch):
    stored_snapshot(varied)
    supporter = varied.supporters.first()
    monkeypatch.setattr(store, "LOCK_WAIT_SECONDS", 0.05)

    with store.locked(varied.pk), pytest.raises(store.LockBusyError):
        store.log_change(varied, [supporter.pk], timezone.now())

    assert store.read_head(varied.pk).patches == 0
    assert store.log_change(varied, [supporter.pk], timezone.now())


def test_the_next_day_the_snapshot_is_rebuilt(varied):
    first = stored_snapshot(varied)

    with time_machine.travel(timezone.now() + dt.timedelta(days=1)):
        next_day = stored_snapshot(varied)

    assert next_day.head.generation == first.head.generation + 1
    assert next_day.built_on == first.built_on + dt.timedelta(days=1)


@pytest.fixture
def worker_elsewhere(monkeypatch):
    """Tasks go to a worker (queued when the transaction commits), as in production."""
    monkeypatch.setattr(HUEY, "immediate", False)


def test_a_stale_snapshot_is_used_while_one_rebuild_is_queued(
    varied, worker_elsewhere, django_capture_on_commit_callbacks
):
    store.rebuild(varied, timezone.now())
    with (
        time_machine.travel(timezone.now() + dt.timedelta(days=1)),
        django_capture_on_commit_callbacks() as queued,
    ):
        first = stored_snapshot(varied)
        second = stored_snapshot(varied)

    assert first is second
    assert first.head.generation == 1
    assert len(queued) == 1  # one rebuild waits, however many pages ask


def test_the_request_page_says_suggestions_are_being_prepared_until_they_are(
    client,
    coordinator_a,
    request_a,
    supporter_a,
    worker_elsewhere,
    django_capture_on_commit_callbacks,
):
    client.force_login(coordinator_a)
    page = reverse("intake:request_detail", args=[request_a.pk])

    with django_capture_on_commit_callbacks() as queued:
        waiting = client.get(page)
        asked = client.get(page, {"suggestions": "ready"}, HTTP_HX_REQUEST="true")
    store.rebuild_program(request_a.program_id)  # the worker's turn
    ready = client.get(page, {"suggestions": "ready"}, HTTP_HX_REQUEST="true")
    shown = client.get(page)

    assert waiting.status_code == 200
    assert "Suggestions are being prepared" in waiting.content.decode()
    assert "Ask Sam" not in waiting.content.decode()
    assert len(queued) == 1
    assert asked.status_code == 204
    assert ready.headers["HX-Refresh"] == "true"
    assert "Ask Sam" in shown.content.decode()


def test_the_worker_builds_the_snapshot_it_needs_without_queueing_another(
    varied, worker_elsewhere, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        built = snapshot_for(varied)

    assert from_snapshot(built) == from_model_objects(varied)
    assert queued == []
    assert stored_snapshot(varied) is built


@pytest.mark.django_db(transaction=True)
def test_two_processes_changing_supporters_at_once_lose_no_change(program_a):
    supporters = [SupporterFactory(program=program_a) for _number in range(8)]
    stored_snapshot(program_a)
    halves = [supporters[:4], supporters[4:]]
    failures = []

    def change_each_three_times(mine):  # its own connection to the database, as a process has
        try:
            for round_ in range(3):
                for supporter in mine:
                    Supporter.objects.filter(pk=supporter.pk).update(birth_year=1960 + round_)
                    store.log_change(program_a, [supporter.pk], timezone.now())
        except Exception as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=change_each_three_times, args=(half,)) for half in halves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert store.read_head(program_a.pk).patches == 24
    store.forget_copies()
    assert from_snapshot(store.current(program_a.pk)) == from_model_objects(program_a)


class _Queue:
    """The worker's queue: remembers what is asked of it, runs nothing."""

    def __init__(self):
        self.asked = []

    def enqueue(self, program_id):
        self.asked.append(program_id)


def test_a_change_to_what_every_supporter_is_measured_against_asks_the_worker_to_rebuild(
    varied, monkeypatch, django_capture_on_commit_callbacks
):
    stored_snapshot(varied)
    queue = _Queue()
    monkeypatch.setattr(cache, "_runs_here", lambda: False)
    monkeypatch.setattr(cache, "rebuild_snapshot", queue)
    supporter = varied.supporters.first()

    with django_capture_on_commit_callbacks(execute=True):
        supporter.languages = [Language.FRENCH]
        supporter.save()
    assert queue.asked == []  # one supporter: patched, not rebuilt
    with django_capture_on_commit_callbacks(execute=True):
        step = PipelineStep.objects.filter(program=varied).first()
        step.is_required = False
        step.save()
        SiteFactory(program=varied, name="South")

    assert queue.asked == [varied.pk]  # however many rows changed, one rebuild waits
