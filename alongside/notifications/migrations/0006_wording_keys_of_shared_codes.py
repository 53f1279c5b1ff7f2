"""Kinds of message that share an event's code each have their own wording key now: a program's
wording saved under the shared code is copied to each of them, as it applied to each before.

Going back undoes exactly that: where every kind of a code has the same wording for a program
and language (as this made them), they become one wording under the code again. Kinds worded
apart since cannot share one wording without sending some of them another kind's words: they
are kept as they are, unread by the earlier code (which sends its default wording for them),
and in use again once migrated forward.
"""

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


def share_each_code_again(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for code, keys in SHARED_CODES.items():
        wordings: dict[tuple[int | None, str], dict[str, tuple[str, str]]] = {}
        rows = MessageTemplate.objects.filter(key__in=keys).values_list(
            "program_id", "language", "key", "subject", "body"
        )
        for program_id, language, key, subject, body in rows:
            wordings.setdefault((program_id, language), {})[key] = (subject, body)
        for (program_id, language), by_key in wordings.items():
            worded_alike = len(by_key) == len(keys) and len(set(by_key.values())) == 1
            same = {"program_id": program_id, "language": language}
            if not worded_alike or MessageTemplate.objects.filter(key=code, **same).exists():
                continue
            subject, body = by_key[keys[0]]
            MessageTemplate.objects.create(key=code, subject=subject, body=body, **same)
            MessageTemplate.objects.filter(key__in=keys, **same).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0005_inbox")]

    operations = [migrations.RunPython(copy_to_each_kind, share_each_code_again)]
