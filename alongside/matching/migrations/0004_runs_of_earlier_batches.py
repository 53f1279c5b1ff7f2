"""Drafts made before runs were rows carry a batch with no run: give each batch its finished
run, so its review page (found by the run) still opens."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models import Count


def runs_for_earlier_batches(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    proposal_model = apps.get_model("matching", "Proposal")
    run_model = apps.get_model("matching", "MatchingRun")
    known = set(run_model.objects.values_list("batch", flat=True))
    batches = (
        proposal_model.objects.filter(batch__isnull=False)
        .values("program_id", "batch")
        .annotate(count=Count("pk"))
    )
    run_model.objects.bulk_create(
        [
            run_model(
                program_id=found["program_id"],
                batch=found["batch"],
                status="finished",
                stage="done",
                waiting=found["count"],
                drafted=found["count"],
            )
            for found in batches
            if found["batch"] not in known
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("matching", "0003_matching_run")]

    operations = [migrations.RunPython(runs_for_earlier_batches, migrations.RunPython.noop)]
