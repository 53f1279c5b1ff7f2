from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from alongside.core import blind_index, fields

BATCH_SIZE = 500
# Every role but "supporter", as accounts.Role spells them when this migration was written.
STAFF_AND_REFERRER_ROLES = [
    "administrator",
    "coordinator",
    "supervisor",
    "referrer",
    "privacy_lead",
]


def move_last_names_off_accounts(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Each supporter's last name, copied in plain text onto their account when they were
    admitted or imported, is kept encrypted on the supporter (and indexed, ADR 0006); accounts
    that are only supporters' then keep no last name. Staff keep theirs: they sign in to the
    staff pages under it."""
    alias = schema_editor.connection.alias
    supporter_model = apps.get_model("supporters", "Supporter")
    user_model = apps.get_model("accounts", "User")
    supporters = (
        supporter_model.objects.using(alias)
        .exclude(user__last_name="")
        .select_related("user")
        .only("pk", "last_name", "user__last_name")
        .order_by("pk")
    )
    batch = []
    for supporter in supporters.iterator(chunk_size=BATCH_SIZE):
        supporter.last_name = supporter.user.last_name
        batch.append(supporter)
        if len(batch) == BATCH_SIZE:
            supporter_model.objects.using(alias).bulk_update(batch, ["last_name"])
            batch = []
    supporter_model.objects.using(alias).bulk_update(batch, ["last_name"])
    blind_index.rebuild(supporter_model, using=alias)
    only_supporters = (
        user_model.objects.using(alias)
        .filter(supporter_profiles__isnull=False, is_staff=False, is_superuser=False)
        .exclude(memberships__role__in=STAFF_AND_REFERRER_ROLES)
    )
    user_model.objects.using(alias).filter(pk__in=only_supporters.values("pk")).update(last_name="")


def give_last_names_back_to_accounts(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Going back: an account without a last name takes its supporter's again."""
    alias = schema_editor.connection.alias
    supporter_model = apps.get_model("supporters", "Supporter")
    user_model = apps.get_model("accounts", "User")
    supporters = (
        supporter_model.objects.using(alias)
        .filter(user__last_name="")
        .only("pk", "user_id", "last_name")
        .order_by("pk")
    )
    for supporter in supporters.iterator(chunk_size=BATCH_SIZE):
        if not supporter.last_name:
            continue
        user_model.objects.using(alias).filter(pk=supporter.user_id, last_name="").update(
            last_name=str(supporter.last_name)[:150]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_privacy_lead_role"),
        ("supporters", "0017_application_first_name_encrypted"),
    ]

    operations = [
        migrations.AddField(
            model_name="supporter",
            name="last_name",
            field=fields.EncryptedCharField(blank=True, verbose_name="last name"),
        ),
        migrations.AddField(
            model_name="supporter",
            name="last_name_index",
            field=blind_index.BlindIndexField(kind="words", max_length=137, source="last_name"),
        ),
        migrations.RunPython(move_last_names_off_accounts, give_last_names_back_to_accounts),
    ]
