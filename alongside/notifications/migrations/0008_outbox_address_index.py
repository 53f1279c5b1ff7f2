from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from alongside.core import blind_index


def index_stored_messages(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Fill the new index from the addresses already stored (ADR 0006), in batches."""
    model = apps.get_model("notifications", "OutboxMessage")
    blind_index.rebuild(model, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0007_outbox_given_up_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="to_address_index",
            field=blind_index.BlindIndexField(kind="email", max_length=18, source="to_address"),
        ),
        # Going back drops the column: nothing to undo.
        migrations.RunPython(index_stored_messages, migrations.RunPython.noop),
    ]
