"""Pages in Canadian French: the compiled catalogues are what the pages are rendered with."""

import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from config.catalogues import msgfmt, po_files


def test_the_sign_in_page_speaks_french_to_a_visitor_whose_browser_asks_for_it(client, db):
    page = client.get(reverse("account_login"), headers={"accept-language": "fr-CA,fr;q=0.9"})

    text = page.content.decode()
    assert '<html lang="fr-ca">' in text
    assert "Se connecter" in text
    assert "Mot de passe oublié?" in text
    assert "Aller au contenu principal" in text
    assert "Forgot your password?" not in text


def test_a_visitor_who_chooses_francais_in_the_header_reads_the_home_page_in_french(
    client, program_a
):
    client.post(reverse("set_language"), {"language": "fr-ca", "next": "/"})

    text = client.get(reverse("home")).content.decode()

    assert '<html lang="fr-ca">' in text
    assert "Parler avec quelqu'un qui est passé par là" in text
    assert "Demander du soutien" in text
    assert "Devenir bénévole" in text
    assert "Ask for support" not in text


def test_the_home_page_stays_in_english_for_a_visitor_who_asks_for_nothing_else(client, program_a):
    text = client.get(reverse("home")).content.decode()

    assert '<html lang="en">' in text
    assert "Ask for support" in text


@pytest.mark.parametrize("po", po_files(), ids=lambda po: str(po.parent.parent.parent.parent))
def test_each_catalogue_compiles_with_the_placeholders_of_its_english_strings(
    po: Path, tmp_path: Path
):
    checked = subprocess.run(
        [msgfmt(), "--check", "-o", str(tmp_path / "django.mo"), str(po)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert checked.returncode == 0, checked.stderr
