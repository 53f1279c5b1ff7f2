"""The pseudo locale the page walk reads every page in (tests/test_page_walk.py): made from the
real catalogues, offered only inside the tests."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.page_text import Data, Stored, untranslated_on
from tests.pseudo_locale import PSEUDO_LANGUAGE, pseudo, pseudo_entry, pseudo_language


@pytest.fixture(scope="module")
def pseudo_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    with pseudo_language(Path(tmp_path_factory.mktemp("pseudo-locale"))) as size:
        yield size


def test_the_pseudo_translation_marks_letters_and_keeps_placeholders_and_html():
    translated = pseudo('Hello %(name)s, see <a href="/x">{count} new</a> &amp; %d more\n')

    assert translated == '⟦Ħḗŀŀǿ %(name)s, şḗḗ <a href="/x">{count} ƞḗẇ</a> &amp; %d ḿǿřḗ⟧\n'


def test_a_pseudo_plural_entry_keeps_each_form_and_its_context_out():
    assert pseudo_entry("menu\x04%(n)s file\x00%(n)s files") == "⟦%(n)s ƒɨŀḗ⟧\x00⟦%(n)s ƒɨŀḗş⟧"


def test_the_pseudo_language_is_not_offered_to_anyone(client, db):
    client.post(reverse("set_language"), {"language": PSEUDO_LANGUAGE, "next": "/"})

    assert PSEUDO_LANGUAGE not in dict(settings.LANGUAGES)
    assert '<html lang="en">' in client.get("/").content.decode()


def test_the_pseudo_catalogue_holds_ours_and_djangos_strings(pseudo_catalogue, client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = PSEUDO_LANGUAGE
    page = client.get(reverse("account_login")).content.decode()

    assert pseudo_catalogue > 1000
    assert f'<html lang="{PSEUDO_LANGUAGE}">' in page
    assert pseudo("Skip to main content") in page


def test_a_page_reports_an_english_word_and_passes_translated_words_and_data():
    data = Data.of(
        [
            Stored("Claire Bouchard", is_data=True),
            Stored("open", is_data=False),  # a choice's value
            Stored("America/Toronto", is_data=False),  # a program's zone: EST and EDT
        ]
    )
    page = (
        f"<h1>{pseudo('Hello')} Claire Bouchard</h1><p title='Status'>{pseudo('Match')} 3</p>"
        f"<p>open</p><code>sweep_outbox</code><p>12:30 EST, https://example.org/x</p>"
    )

    assert untranslated_on(page, data) == [
        "<p title>: 'Status' (Status)",
        "<p>: 'open' (open)",
    ]


def test_a_part_marked_in_another_language_is_not_read_as_the_pages():
    page = (
        '<html lang="en-xa"><body><p lang="fr">Bonjour Camille</p>'
        f"<p>{pseudo('Hello')}<br>Bonjour</p></body></html>"
    )

    assert untranslated_on(page, Data.of([])) == ["<p>: 'Bonjour' (Bonjour)"]
