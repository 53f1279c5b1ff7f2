"""Stores every account's address in lower case, as sign-in now compares it.

An account whose address differs from another's only by its capitals keeps its address (the
two cannot both hold the lower-case one): an administrator merges them by hand. Nothing to
undo going back: the addresses stay in lower case, which the earlier code signs in as well.
"""

from django.db import migrations
from django.db.models.functions import Lower


def lower_case_addresses(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    mixed = User.objects.exclude(email=Lower("email")).only("email")
    for user in mixed.iterator(chunk_size=500):
        lowered = user.email.lower()
        if not User.objects.filter(email=lowered).exclude(pk=user.pk).exists():
            user.email = lowered
            user.save(update_fields=["email"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(lower_case_addresses, migrations.RunPython.noop)]
