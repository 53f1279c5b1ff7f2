"""Every page of every demo person, walked: no link leads nowhere, no text is left in English.

The demo is built in the test database with its own seed (every role is in it: administrator,
coordinators, a supervisor, supporters, a referrer). Each demo person, and a visitor, starts from
the home page and follows links and GET forms page after page (tests/walk.py: each page kind is
opened at most a few times, so a program's size does not matter); each kind of form that
requires an answer is also sent empty once, to show its errors. One walk per person (one
test, so the walk is not repeated) checks both:

- every `<a href>` and GET form's action on the pages they reach answers neither 403 nor 404;
- read in a pseudo locale made from the real catalogues (tests/pseudo_locale.py), every word on
  those pages is translated or data (tests/page_text.py): anything else would reach a French
  reader in English. Mark it for translation and give it its French.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from pytest_django import DjangoDbBlocker

from alongside.accounts.models import User
from alongside.demo.shared import DEMO_LOGINS
from tests.page_text import Data, sample_strings, stored_strings, untranslated_on
from tests.pseudo_locale import MARKED_LETTERS, PSEUDO_LANGUAGE, pseudo_language
from tests.walk import Walk, internal_path, signed_in_client, url_name

CONTROLS = {"input", "select", "textarea"}
VISITOR = "visitor"
PEOPLE = [*(login.email for login in DEMO_LOGINS), VISITOR]


@dataclass
class PostForm:
    action: str
    hidden: dict[str, str] = field(default_factory=dict)
    asks_for_something: bool = False  # a visible control is required


class PostForms(HTMLParser):
    """A page's POST forms: where each goes, its hidden fields, whether it requires an answer."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[PostForm] = []
        self._current: PostForm | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            post = attributes.get("method", "get").lower() == "post"
            self._current = PostForm(attributes.get("action", "")) if post else None
            if self._current is not None:
                self.forms.append(self._current)
        elif tag in CONTROLS and self._current is not None:
            if attributes.get("type") == "hidden":
                self._current.hidden[attributes.get("name", "")] = attributes.get("value", "")
            elif "required" in attributes:
                self._current.asks_for_something = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


@dataclass
class PseudoWalk(Walk):
    """A walk that reads every page's text, and sends each kind of form empty once."""

    data: Data | None = None
    sent: set[str] = field(default_factory=set)
    stray: dict[str, list[str]] = field(default_factory=dict)  # page -> pieces of text

    def visit(self, where: str, page: str) -> None:
        self.read(where, page)
        parser = PostForms()
        parser.feed(page)
        for form in parser.forms:
            action = internal_path(form.action, where)
            if action is None or not form.asks_for_something or url_name(action) in self.sent:
                continue
            self.sent.add(url_name(action))
            response = self.client.post(action, form.hidden)
            if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
                self.read(f"{action} (sent empty)", response.content.decode())

    def read(self, where: str, page: str) -> None:
        assert self.data is not None
        found = untranslated_on(page, self.data)
        if found:
            self.stray.setdefault(where, []).extend(found)

    def report(self) -> str:
        pages = self.stray.items()
        return "\n".join(f"{page}\n  " + "\n  ".join(dict.fromkeys(texts)) for page, texts in pages)


@pytest.fixture(scope="module")
def pseudo_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    with pseudo_language(Path(tmp_path_factory.mktemp("pseudo-locale"))) as size:
        yield size


@pytest.fixture(scope="module")
def world_data(seeded_demo: None, django_db_blocker: DjangoDbBlocker) -> Data:
    """The demo's data, read once it is built, and the message previews' sample details."""
    with django_db_blocker.unblock():
        return Data.of([*stored_strings(), *sample_strings()])


@pytest.fixture
def in_pseudo(pseudo_catalogue: int, demo: None) -> None:
    """Everyone's language is the pseudo one, for this test."""
    User.objects.update(language=PSEUDO_LANGUAGE)


def walk_of(person: str, data: Data) -> PseudoWalk:
    """A person's walk through every page they reach, in the pseudo language."""
    client = Client() if person == VISITOR else signed_in_client(person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = PSEUDO_LANGUAGE
    walk = PseudoWalk(client, data=data)
    walk.run("/")
    return walk


def test_no_data_of_the_demo_is_written_in_the_pseudo_locales_letters(world_data):
    assert [value for value in world_data.values if MARKED_LETTERS & set(value)] == []


@pytest.mark.parametrize("person", PEOPLE)
def test_every_page_a_demo_person_reaches_links_only_to_pages_they_may_open_and_is_translated(
    in_pseudo, world_data, person
):
    walk = walk_of(person, world_data)

    assert len(walk.opened) > 1, "the walk went nowhere from the home page"
    assert walk.dead_ends == [], "\n".join(walk.dead_ends)
    assert walk.sent or person == VISITOR, "the walk sent no form"
    assert walk.stray == {}, walk.report()
