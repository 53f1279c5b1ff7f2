"""Kinds of message that share an event's code each have their own wording key now: a program's
wording saved under the shared code is copied to each of them, as it applied to each before."""

from django.db import migrations

# The code, and the wording keys of the kinds that share it (their messages.py).
SHARED_CODES = {
    "matches.match.introduced": [
        "matches.match.introduced.supporter",
        "matches.match.introduced.in_app",
        "matches.match.introduced.peer",
    ],
    "safety.escalation": [
        "safety.escalation.urgent",
        "safety.escalation.help",
        "safety.escalation.acknowledged",
        "safety.escalation.resolved",
    ],
    "safety.sla": ["safety.sla.at_risk", "safety.sla.breached"],
}


def copy_to_each_kind(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for code, keys in SHARED_CODES.items():
        for template in MessageTemplate.objects.filter(key=code):
            for key in keys:
                MessageTemplate.objects.get_or_create(
                    program_id=template.program_id,
                    key=key,
                    language=template.language,
                    defaults={"subject": template.subject, "body": template.body},
                )
            template.delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0005_inbox")]

    operations = [migrations.RunPython(copy_to_each_kind, migrations.RunPython.noop)]
