from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.core.forms import AccessibleFormMixin
from alongside.programs.forms.translations import TranslationsMixin
from alongside.programs.models import CompetencyArea, PipelineStep, StepKind, TrainingModule


class PipelineStepForm(TranslationsMixin, AccessibleFormMixin, forms.Form):
    translated = ("name",)

    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("As coordinators and supporters will read it.")
    )
    kind = forms.ChoiceField(
        label=_("Kind of step"),
        choices=StepKind.choices,
        help_text=_(
            "A background check step is met by a cleared check, a training step by every "
            "required training; the others when you record them done."
        ),
    )
    is_required = forms.BooleanField(
        label=_("Required before a supporter can be matched"), required=False, initial=True
    )

    @classmethod
    def for_step(cls, step: PipelineStep, *args: Any, **kwargs: Any) -> "PipelineStepForm":
        initial = {"name": step.name, "kind": step.kind, "is_required": step.is_required}
        return cls(*args, initial=initial, **kwargs)


class TrainingModuleForm(TranslationsMixin, AccessibleFormMixin, forms.Form):
    translated = ("name",)

    name = forms.CharField(label=_("Name"), max_length=150)
    competency_areas = forms.MultipleChoiceField(
        label=_("What it covers"),
        choices=CompetencyArea.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one competency area.")},
    )
    validity_months = forms.IntegerField(
        label=_("Valid for (months, optional)"),
        required=False,
        min_value=1,
        max_value=120,
        help_text=_(
            "Leave empty when it never needs renewing. A change applies to trainings "
            "recorded from now on."
        ),
    )
    is_required = forms.BooleanField(
        label=_("Required before a supporter can be matched"), required=False, initial=True
    )

    @classmethod
    def for_module(cls, module: TrainingModule, *args: Any, **kwargs: Any) -> "TrainingModuleForm":
        initial = {
            "name": module.name,
            "competency_areas": module.competency_areas,
            "validity_months": module.validity_months,
            "is_required": module.is_required,
        }
        return cls(*args, initial=initial, **kwargs)


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])
