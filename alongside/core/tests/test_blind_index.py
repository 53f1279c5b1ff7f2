"""Encrypted names, e-mail addresses and phones are found by their keyed blind index (ADR 0006)."""

import logging
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from hypothesis import example, given
from hypothesis import strategies as st

from alongside.core import blind_index
from alongside.core.blind_index import Kind, fold, normalised, words
from alongside.intake.factories import PeerFactory, SupportRequestFactory
from alongside.intake.models import Peer, SupportRequest
from alongside.programs.models import Program
from alongside.supporters.factories import ApplicationFactory
from alongside.supporters.models import Application

OLD_KEY = "an-old-index-key-that-is-being-retired-now"
NEW_KEY = "a-new-index-key-put-first-for-the-rotation"
PEER_NAMES = ((Peer, "first_name", "peer__"), (Peer, "last_name", "peer__"))


def requests_named(text: str) -> list[SupportRequest]:
    query = blind_index.name_matches(text, plain=(), blind=PEER_NAMES)
    return list(SupportRequest.objects.filter(query).order_by("pk"))


def stored_column(peer: Peer, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM intake_peer WHERE id = %s", [peer.pk])  # noqa: S608
        return str(cursor.fetchone()[0])


# --- normalisation ---------------------------------------------------------------------------


def test_folding_ignores_case_accents_and_spacing() -> None:
    assert fold("  Hélène   CÔTÉ ") == "helene cote"
    assert fold("STRASSE") == fold("straße")


def test_a_compound_name_gives_each_of_its_words_and_an_apostrophe_joins() -> None:
    assert words("Gagnon-Tremblay") == ["gagnon", "tremblay"]
    assert words("D'Amours") == ["damours"]
    assert words("d\u2019Amours  St. Pierre") == ["damours", "st", "pierre"]


def test_an_address_is_one_value_and_a_phone_its_ten_digits() -> None:
    assert normalised(" Sam.Tremblay@Example.ORG ", Kind.EMAIL) == ["sam.tremblay@example.org"]
    assert normalised("+1 (416) 555-0123", Kind.PHONE) == ["4165550123"]
    assert normalised("416.555.0123", Kind.PHONE) == ["4165550123"]
    assert normalised("   ", Kind.PHONE) == []


@given(st.text(max_size=40))
@example("\U0001d5d4")  # MATHEMATICAL SANS-SERIF BOLD CAPITAL A: was "A" once, "a" twice
def test_normalising_twice_changes_nothing(text: str) -> None:
    once = words(text)

    assert words(" ".join(once)) == once


# --- what is stored --------------------------------------------------------------------------


def test_the_index_column_holds_tokens_and_never_the_name(program_a: Program) -> None:
    peer = PeerFactory(program=program_a, last_name="Gagnon-Tremblay", email="g.t@example.org")

    column = stored_column(peer, "last_name_index")

    assert "gagnon" not in column.lower()
    assert "tremblay" not in column.lower()
    assert len(column.split()) == 2
    assert all(len(token) == blind_index.TOKEN_LENGTH for token in column.split())
    assert "example" not in stored_column(peer, "email_index")


def test_the_same_name_gives_different_tokens_in_two_tables(program_a: Program) -> None:
    peer = PeerFactory(program=program_a, last_name="Tremblay")
    application = ApplicationFactory(program=program_a, last_name="Tremblay")

    assert peer.last_name_index.strip()
    assert peer.last_name_index != application.last_name_index


def test_changing_the_name_changes_the_index_on_save(program_a: Program) -> None:
    peer = PeerFactory(program=program_a, last_name="Tremblay")
    peer.last_name = "Côté"
    peer.save()

    assert Peer.objects.filter(blind_index.matches(Peer, "last_name", "cote")).get() == peer
    assert not Peer.objects.filter(blind_index.matches(Peer, "last_name", "Tremblay")).exists()


def test_rows_made_in_bulk_are_indexed(program_a: Program) -> None:
    Peer.objects.bulk_create([Peer(program=program_a, first_name="Ana", last_name="Roy")])

    assert Peer.objects.filter(blind_index.matches(Peer, "last_name", "ROY")).count() == 1


def test_a_last_name_no_field_key_opens_keeps_the_index_it_had(program_a: Program) -> None:
    lost_key = Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=[lost_key]):
        created = PeerFactory(program=program_a, first_name="Lost", last_name="Keyholder")
    peer = Peer.objects.get(pk=created.pk)

    peer.save()  # read back as "cannot be read", written back as stored

    assert Peer.objects.filter(blind_index.matches(Peer, "last_name", "Keyholder")).get() == peer


def test_rows_stored_before_their_index_existed_are_indexed_by_the_migrations_rebuild(
    program_a: Program,
) -> None:
    peer = PeerFactory(program=program_a, last_name="Bélanger", email="b@example.org")
    Peer.objects.filter(pk=peer.pk).update(last_name_index="", email_index="")

    changed = blind_index.rebuild(Peer)

    assert changed == 1
    assert Peer.objects.filter(blind_index.matches(Peer, "last_name", "belanger")).get() == peer
    assert Peer.objects.filter(blind_index.matches(Peer, "email", "B@example.org")).get() == peer


@given(st.lists(st.from_regex(r"[A-Za-zÀ-ÿ]{1,12}", fullmatch=True), min_size=1, max_size=4))
def test_every_word_of_a_compound_name_finds_it(parts: list[str]) -> None:
    name = "-".join(parts)
    label = "intake.peer.last_name"

    column = blind_index.index_value(label, name, Kind.WORDS)

    for part in parts:
        for value in words(part):
            token = blind_index.token(blind_index.index_keys()[0], label, value)
            assert f" {token} " in column


# --- searching -------------------------------------------------------------------------------


def test_a_request_is_found_by_a_word_of_its_peers_last_name(program_a: Program) -> None:
    wanted = SupportRequestFactory(
        program=program_a, peer__first_name="Marie", peer__last_name="Gagnon-Tremblay"
    )
    SupportRequestFactory(program=program_a, peer__first_name="Marie", peer__last_name="Roy")

    assert requests_named("tremblay") == [wanted]
    assert requests_named("Gagnon-Tremblay") == [wanted]
    assert requests_named("Marie TREMBLAY") == [wanted]
    assert requests_named("marie") == [wanted, *requests_named("roy")]
    assert requests_named("Mar tremblay") == []  # a first name is encrypted: whole words too


def test_only_whole_words_of_an_encrypted_name_match_never_a_prefix(program_a: Program) -> None:
    SupportRequestFactory(program=program_a, peer__first_name="Ana", peer__last_name="Tremblay")

    assert requests_named("Tremb") == []
    assert requests_named("Tremblayy") == []


def test_a_search_never_finds_a_stranger_of_another_program(
    program_a: Program, program_b: Program, coordinator_a: object
) -> None:
    ours = SupportRequestFactory(program=program_a, peer__last_name="Tremblay")
    SupportRequestFactory(program=program_b, peer__last_name="Tremblay")
    query = blind_index.name_matches("Tremblay", plain=(), blind=PEER_NAMES)

    found = SupportRequest.objects.visible_to(coordinator_a).filter(query)  # type: ignore[arg-type]

    assert list(found) == [ours]


def test_an_address_and_a_phone_are_found_whole(program_a: Program) -> None:
    application = ApplicationFactory(
        program=program_a, email="Sam@Example.org", phone="(416) 555-0199"
    )

    by_email = Application.objects.filter(
        blind_index.matches(Application, "email", "sam@example.ORG")
    )
    by_phone = Application.objects.filter(blind_index.matches(Application, "phone", "4165550199"))
    by_part = Application.objects.filter(blind_index.matches(Application, "email", "sam"))

    assert list(by_email) == [application]
    assert list(by_phone) == [application]
    assert list(by_part) == []


def test_nothing_typed_finds_nothing_by_an_encrypted_field(program_a: Program) -> None:
    PeerFactory(program=program_a, last_name="")

    assert not Peer.objects.filter(blind_index.matches(Peer, "last_name", " - ")).exists()


def test_an_index_written_with_another_key_matches_nothing(program_a: Program) -> None:
    with override_settings(BLIND_INDEX_KEYS=[OLD_KEY]):
        PeerFactory(program=program_a, last_name="Tremblay")

    with override_settings(BLIND_INDEX_KEYS=[NEW_KEY]):
        assert not Peer.objects.filter(blind_index.matches(Peer, "last_name", "Tremblay")).exists()


def test_neither_the_sql_nor_the_logs_hold_the_encrypted_name_searched(
    program_a: Program, caplog: pytest.LogCaptureFixture
) -> None:
    SupportRequestFactory(program=program_a, peer__last_name="Tremblay")
    caplog.set_level(logging.DEBUG)
    query = blind_index.matches(Peer, "last_name", "Tremblay", path="peer__")

    with CaptureQueriesContext(connection) as queries:
        assert SupportRequest.objects.filter(query).count() == 1

    assert queries.captured_queries
    assert all("tremblay" not in query["sql"].lower() for query in queries.captured_queries)
    assert "tremblay" not in caplog.text.lower()


# --- rotation --------------------------------------------------------------------------------


def test_after_a_new_key_and_the_rebuild_every_name_is_found_with_the_new_key_alone(
    program_a: Program,
) -> None:
    with override_settings(BLIND_INDEX_KEYS=[OLD_KEY]):
        peer = PeerFactory(program=program_a, last_name="Tremblay", phone="416 555 0100")

    with override_settings(BLIND_INDEX_KEYS=[NEW_KEY, OLD_KEY]):
        # Before the rebuild, the old key still finds the row.
        assert Peer.objects.filter(blind_index.matches(Peer, "last_name", "Tremblay")).exists()
        output = StringIO()
        call_command("rebuild_blind_indexes", stdout=output)

    with override_settings(BLIND_INDEX_KEYS=[NEW_KEY]):
        found = Peer.objects.filter(blind_index.matches(Peer, "last_name", "Tremblay"))
        by_phone = Peer.objects.filter(blind_index.matches(Peer, "phone", "4165550100"))
        assert list(found) == [peer]
        assert list(by_phone) == [peer]
    assert "intake.Peer: 1 rows re-indexed" in output.getvalue()
    assert "Tremblay" not in output.getvalue()


def test_the_rebuild_leaves_the_encrypted_values_as_stored(program_a: Program) -> None:
    peer = PeerFactory(program=program_a, last_name="Tremblay")
    stored = stored_column(peer, "last_name")

    with override_settings(BLIND_INDEX_KEYS=[NEW_KEY]):
        call_command("rebuild_blind_indexes", stdout=StringIO())

    assert stored_column(peer, "last_name") == stored
    assert Peer.objects.get(pk=peer.pk).last_name == "Tremblay"


def test_a_second_rebuild_has_nothing_left_to_do(program_a: Program) -> None:
    PeerFactory(program=program_a, last_name="Tremblay")
    output = StringIO()

    call_command("rebuild_blind_indexes", stdout=output)

    assert "Done: 0 rows re-indexed." in output.getvalue()
