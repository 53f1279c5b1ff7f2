"""Every kind of message an app declares is on the wording pages, described, sampled and in French.

The kinds are found here the plain way, by reading every app's messages.py, so a kind that the
pages' own discovery missed fails as surely as one without a sample or a French default.
"""

import datetime as dt
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path

import pytest
from django.utils import translation

import alongside
from alongside.notifications.models import Channel
from alongside.notifications.notify import CHANNEL, Contact, MessageKind, notify
from alongside.notifications.sms import parts_of
from alongside.notifications.wording.kinds import all_kinds, kind_or_404
from alongside.notifications.wording.texts import (
    DEFAULT_PLACEHOLDER,
    default_wording,
    placeholder_names,
    preview,
)


def declared_kinds() -> Iterator[tuple[str, MessageKind]]:
    """Every MessageKind in any app's messages.py, with the name it is declared under."""
    for path in sorted(Path(alongside.__file__).parent.glob("*/messages.py")):
        module = import_module(f"alongside.{path.parent.name}.messages")
        for name, value in vars(module).items():
            if isinstance(value, MessageKind):
                yield f"{module.__name__}.{name}", value


DECLARED = list(declared_kinds())
NAMES = [name for name, _kind in DECLARED]


def test_the_walk_finds_the_kinds_of_every_app_that_sends_messages():
    apps = {name.split(".")[1] for name in NAMES}

    assert {"intake", "matching", "matches", "safety", "supporters", "groups"} <= apps
    assert len(DECLARED) >= 40


@pytest.mark.parametrize(("name", "kind"), DECLARED, ids=NAMES)
def test_every_declared_kind_is_listed_for_the_wording_pages(name, kind):
    assert any(listed is kind for listed in all_kinds()), name
    assert kind_or_404(kind.key) is kind


def test_no_two_kinds_share_a_wording_key():
    keys = [kind.key for kind in all_kinds()]

    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(("name", "kind"), DECLARED, ids=NAMES)
def test_every_kind_says_when_it_is_sent_to_whom_and_how(name, kind):
    assert str(kind.name).startswith("When "), name
    assert str(kind.to).startswith("to "), name
    assert kind.channels, name
    assert set(kind.channels) <= set(Channel), name


@pytest.mark.parametrize(("name", "kind"), DECLARED, ids=NAMES)
def test_every_kind_has_a_sample_with_each_value_its_default_text_uses(name, kind):
    assert kind.sample is not None, f"{name} has no sample: its preview cannot be shown"
    for text in (kind.subject, kind.body):
        if not callable(text):
            used = set(DEFAULT_PLACEHOLDER.findall(str(text))) - {"recipient", "program"}
            assert used <= set(kind.sample), name
    shown = preview(kind, program=None, language="en", wording=None)
    assert shown.subject
    assert shown.body
    assert "!!missing" not in shown.subject + shown.body


@pytest.mark.parametrize(("name", "kind"), DECLARED, ids=NAMES)
def test_every_kind_ships_with_its_french_default(name, kind):
    english = preview(kind, program=None, language="en", wording=None)
    french = preview(kind, program=None, language="fr", wording=None)

    assert french.subject != english.subject, f"{name}: its subject has no French"
    assert french.body != english.body, f"{name}: its text has no French"
    with translation.override("fr-ca"):
        french_name, french_to = str(kind.name), str(kind.to)
    assert french_name != str(kind.name), f"{name}: its name has no French"
    assert french_to != str(kind.to), f"{name}: who receives it has no French"


def test_the_french_default_is_shown_with_placeholders_in_double_braces():
    kind = kind_or_404("intake.request.received")

    wording = default_wording(kind, "fr")

    assert wording.subject == "Nous avons bien reçu votre demande de soutien par les pairs"
    assert wording.body.startswith("Bonjour {{ recipient }},")
    assert "{{ due }}" in wording.body
    assert "%(" not in wording.body


def test_a_default_written_from_the_details_is_kept_whole_by_its_placeholder():
    kind = kind_or_404("supporters.application.received")

    assert default_wording(kind, "en").body == "{{ body }}"
    assert "reasons" not in placeholder_names(kind)  # a list: the default words it


def test_a_value_a_sender_passes_without_declaring_it_in_the_sample_is_refused_in_tests(
    program_a,
):
    kind = MessageKind("tests.sampled", subject="Hi", body="%(when)s", sample={"day": 1})

    with pytest.raises(ValueError, match="the sample leaves out when"):
        notify(
            kind=kind,
            recipients=[Contact(email="camille@example.net")],
            context={"when": dt.datetime(2026, 6, 3, tzinfo=dt.UTC)},
            idempotency_key=("tests.sampled", CHANNEL),
            program=program_a,
        )


def test_a_text_message_part_holds_160_plain_characters_or_70_with_a_letter_like_e_circumflex():
    assert parts_of("a" * 160) == 1
    assert parts_of("a" * 161) == 2
    assert parts_of("é" * 160) == 1  # é is in the text message alphabet
    assert parts_of("ê" * 70) == 1
    assert parts_of("ê" * 71) == 2
    assert parts_of("ê" * 135) == 3
