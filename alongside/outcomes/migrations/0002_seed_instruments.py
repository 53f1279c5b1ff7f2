"""Seed two short instruments, their items and scoring rules as data.

Going back removes only the shipped instruments nothing uses yet: one a program chose, or a
survey was sent with, is kept with its choices and answers (removing it would take them too).
Migrating forward again refreshes the kept ones in place.
"""

from django.db import migrations

from alongside.outcomes.seed import INSTRUMENTS, seed_instruments


def seed(apps, schema_editor):
    seed_instruments(apps.get_model("outcomes", "Instrument"))


def unseed(apps, schema_editor):
    chosen = apps.get_model("outcomes", "ProgramInstrument").objects.values("instrument_id")
    apps.get_model("outcomes", "Instrument").objects.filter(
        slug__in=[fields["slug"] for fields in INSTRUMENTS], surveys__isnull=True
    ).exclude(pk__in=chosen).delete()


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
