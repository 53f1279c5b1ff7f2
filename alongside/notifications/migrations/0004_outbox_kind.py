from django.db import migrations, models
from django.db.models import Case, F, Value, When
from django.db.models.functions import Left, StrIndex


def kind_from_idempotency_key(apps, schema_editor):
    """Until now a message's kind was the part of its idempotency key before the first colon."""
    OutboxMessage = apps.get_model("notifications", "OutboxMessage")
    OutboxMessage.objects.update(
        kind=Left(
            Case(
                When(
                    idempotency_key__contains=":",
                    then=Left("idempotency_key", StrIndex("idempotency_key", Value(":")) - 1),
                ),
                default=F("idempotency_key"),
            ),
            100,
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_outbox_lease"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="kind",
            field=models.CharField(blank=True, max_length=100, verbose_name="kind of message"),
        ),
        migrations.RunPython(kind_from_idempotency_key, migrations.RunPython.noop),
    ]
