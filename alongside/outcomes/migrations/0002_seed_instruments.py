"""Seed two short instruments, their items and scoring rules as data."""

from django.db import migrations

from alongside.outcomes.seed import INSTRUMENTS, seed_instruments


def seed(apps, schema_editor):
    seed_instruments(apps.get_model("outcomes", "Instrument"))


def unseed(apps, schema_editor):
    apps.get_model("outcomes", "Instrument").objects.filter(
        slug__in=[fields["slug"] for fields in INSTRUMENTS], surveys__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
