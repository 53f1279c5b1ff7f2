"""Pipeline steps and training modules now live in programs (see programs 0004): supporters forgets
them and its records point to programs' models, on the same tables. State only: nothing changes in
the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0004_pipeline_steps_and_trainings_move_here"),
        ("supporters", "0009_break_and_expiry_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="steprecord",
                    name="step",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="records",
                        to="programs.pipelinestep",
                    ),
                ),
                migrations.AlterField(
                    model_name="trainingrecord",
                    name="module",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="records",
                        to="programs.trainingmodule",
                    ),
                ),
                migrations.DeleteModel(
                    name="PipelineStep",
                ),
                migrations.DeleteModel(
                    name="TrainingModule",
                ),
            ],
            database_operations=[],
        ),
    ]
