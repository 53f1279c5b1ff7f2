"""Wording saved under a code that several kinds share goes, when migrating, to each of them."""

from importlib import import_module

import pytest
from django.apps import apps

from alongside.notifications.models import MessageTemplate
from alongside.notifications.wording.kinds import kind_or_404

pytestmark = pytest.mark.django_db

migration = import_module("alongside.notifications.migrations.0006_wording_keys_of_shared_codes")


def test_a_programs_wording_of_a_shared_code_is_kept_for_each_kind_that_shares_it(program_a):
    MessageTemplate.objects.create(
        program=program_a, key="safety.sla", language="fr", subject="Délai", body="{{ body }}"
    )
    MessageTemplate.objects.create(key="intake.request.received", language="fr", body="Merci")

    migration.copy_to_each_kind(apps, None)

    moved = MessageTemplate.objects.filter(program=program_a).order_by("key")
    assert [template.key for template in moved] == ["safety.sla.at_risk", "safety.sla.breached"]
    assert {template.subject for template in moved} == {"Délai"}
    assert all(kind_or_404(template.key) for template in moved)
    assert MessageTemplate.objects.filter(key="intake.request.received").exists()


def test_going_back_gives_a_shared_code_its_wording_again_where_its_kinds_are_worded_alike(
    program_a,
):
    MessageTemplate.objects.create(
        program=program_a, key="safety.sla", language="fr", subject="Délai", body="{{ body }}"
    )
    migration.copy_to_each_kind(apps, None)

    migration.share_each_code_again(apps, None)

    (shared,) = MessageTemplate.objects.filter(program=program_a)
    assert (shared.key, shared.language, shared.subject) == ("safety.sla", "fr", "Délai")


def test_going_back_keeps_kinds_worded_apart_and_gives_none_of_them_anothers_words(program_a):
    MessageTemplate.objects.create(
        program=program_a, key="safety.sla.at_risk", language="en", body="Soon"
    )
    MessageTemplate.objects.create(
        program=program_a, key="safety.sla.breached", language="en", body="Late"
    )
    MessageTemplate.objects.create(key="safety.escalation.urgent", language="en", body="Now")

    migration.share_each_code_again(apps, None)

    kept = MessageTemplate.objects.order_by("key").values_list("key", "body")
    assert list(kept) == [
        ("safety.escalation.urgent", "Now"),
        ("safety.sla.at_risk", "Soon"),
        ("safety.sla.breached", "Late"),
    ]
