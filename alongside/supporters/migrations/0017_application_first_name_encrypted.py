from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from alongside.core import blind_index, fields


def encrypt_first_names(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Encrypt the first names stored in plain text, in batches."""
    model = apps.get_model("supporters", "Application")
    fields.encrypt_in_place(model, "first_name", using=schema_editor.connection.alias)


def decrypt_first_names(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Going back: the first names in plain text again (they were at most 100 characters)."""
    model = apps.get_model("supporters", "Application")
    fields.decrypt_in_place(model, "first_name", using=schema_editor.connection.alias)


def index_first_names(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Fill the new blind index from the first names now encrypted (ADR 0006)."""
    model = apps.get_model("supporters", "Application")
    blind_index.rebuild(model, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    """An applicant's first name is encrypted like their last name, with a blind index to
    search it: the column becomes text, its rows are encrypted, then the field reads them."""

    dependencies = [
        ("supporters", "0016_supporter_supervisor"),
    ]

    operations = [
        migrations.AlterField(
            model_name="application",
            name="first_name",
            field=models.TextField(verbose_name="first name"),
        ),
        migrations.RunPython(encrypt_first_names, decrypt_first_names),
        migrations.AlterField(
            model_name="application",
            name="first_name",
            field=fields.EncryptedCharField(verbose_name="first name"),
        ),
        migrations.AddField(
            model_name="application",
            name="first_name_index",
            field=blind_index.BlindIndexField(kind="words", max_length=137, source="first_name"),
        ),
        # Going back drops the column: nothing to undo.
        migrations.RunPython(index_first_names, migrations.RunPython.noop),
    ]
