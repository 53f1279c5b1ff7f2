"""The staff forms of the pipeline: steps, background checks, trainings, matching, import."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.core.forms import NOT_IN_FUTURE, WITHIN_TEN_YEARS, AccessibleFormMixin
from alongside.programs.models import PipelineStep, Program, StepKind, TrainingModule
from alongside.supporters.models import CheckKind, CheckStatus, StepOutcome


class StepForm(AccessibleFormMixin, forms.Form):
    step = forms.ModelChoiceField(label=_("Step"), queryset=PipelineStep.objects.none())
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=StepOutcome.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Notes (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, prefix="step", **kwargs)
        self.fields["step"].queryset = program.pipeline_steps.current().exclude(  # type: ignore[attr-defined]
            kind__in=[StepKind.BACKGROUND_CHECK, StepKind.TRAINING]
        )


class BackgroundCheckForm(AccessibleFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of check"), choices=CheckKind.choices)
    status = forms.ChoiceField(
        label=_("Status"), choices=CheckStatus.choices, widget=forms.RadioSelect
    )
    requested_on = forms.DateField(
        validators=[NOT_IN_FUTURE],
        label=_("Requested on"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    cleared_on = forms.DateField(
        validators=[NOT_IN_FUTURE],
        label=_("Cleared on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    expires_on = forms.DateField(
        validators=[WITHIN_TEN_YEARS],
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="check", **kwargs)


class TrainingForm(AccessibleFormMixin, forms.Form):
    module = forms.ModelChoiceField(label=_("Training"), queryset=TrainingModule.objects.none())
    completed_on = forms.DateField(
        validators=[NOT_IN_FUTURE],
        label=_("Completed on"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, prefix="training", **kwargs)
        self.fields["module"].queryset = program.training_modules.current()  # type: ignore[attr-defined]


class ImportForm(AccessibleFormMixin, forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())
    file = forms.FileField(
        label=_("File (.csv or .xlsx)"),
        help_text=_(
            "First line: column names. Needed: email, first_name. Optional: last_name, status, "
            "languages (en;fr), experience (its code), relationship, since (a month such as "
            "2019-03, or a day such as 2019-03-15; not a year alone), work_role, region."
        ),
    )

    def __init__(self, *args: Any, programs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs  # type: ignore[attr-defined]
