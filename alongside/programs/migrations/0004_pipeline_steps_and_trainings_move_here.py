"""Pipeline steps and training modules move from supporters to programs, whose settings pages own
their rules. Their tables keep their names (db_table), so only Django's state changes: no row
moves and no table is renamed."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

import alongside.programs.models.program


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0003_program_accepts_phone_requests"),
        ("supporters", "0009_break_and_expiry_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PipelineStep",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=100, verbose_name="name")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("screening_call", "Screening call"),
                                    ("interview", "Interview"),
                                    ("references", "References"),
                                    ("background_check", "Background check"),
                                    ("training", "Training"),
                                    ("agreement", "Agreement signed"),
                                ],
                                max_length=30,
                                verbose_name="kind",
                            ),
                        ),
                        ("order", models.PositiveSmallIntegerField(verbose_name="order")),
                        (
                            "is_required",
                            models.BooleanField(
                                default=True, verbose_name="required before matching"
                            ),
                        ),
                        (
                            "retired_at",
                            models.DateTimeField(
                                blank=True,
                                help_text="A retired step no longer counts; supporters' records of it are kept.",
                                null=True,
                                verbose_name="retired",
                            ),
                        ),
                        (
                            "program",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="pipeline_steps",
                                to="programs.program",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "pipeline step",
                        "verbose_name_plural": "pipeline steps",
                        "db_table": "supporters_pipelinestep",
                        "ordering": ["program", "order"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("program", "order"), name="pipeline_step_order_unique"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="TrainingModule",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=150, verbose_name="name")),
                        (
                            "competency_areas",
                            models.JSONField(
                                default=list,
                                validators=[
                                    alongside.programs.models.program.ChoiceListValidator(
                                        "alongside.programs.models.CompetencyArea"
                                    )
                                ],
                                verbose_name="competency areas",
                            ),
                        ),
                        (
                            "validity_months",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                help_text="Leave empty when it never needs renewing.",
                                null=True,
                                validators=[
                                    django.core.validators.MinValueValidator(1),
                                    django.core.validators.MaxValueValidator(120),
                                ],
                                verbose_name="valid for (months)",
                            ),
                        ),
                        (
                            "is_required",
                            models.BooleanField(
                                default=True, verbose_name="required before matching"
                            ),
                        ),
                        (
                            "retired_at",
                            models.DateTimeField(
                                blank=True,
                                help_text="A retired training no longer counts; supporters' records of it are kept.",
                                null=True,
                                verbose_name="retired",
                            ),
                        ),
                        (
                            "program",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="training_modules",
                                to="programs.program",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "training module",
                        "verbose_name_plural": "training modules",
                        "db_table": "supporters_trainingmodule",
                        "ordering": ["program", "name"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("program", "name"), name="training_module_unique_name"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
