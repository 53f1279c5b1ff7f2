"""What a funder report covers: one program the reader coordinates or all of them, and a
period (the dashboard's choices, or days of one's own), read from the page's GET."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.core.calendar import today_in
from alongside.core.forms import AccessibleFormMixin
from alongside.programs.models import Program
from alongside.reports.periods import DEFAULT_PERIOD, Period, PeriodChoice

ALL_PROGRAMS = "all"
CUSTOM = "custom"
LONGEST_DAYS = 366 * 2


class FunderReportForm(AccessibleFormMixin, forms.Form):
    program = forms.ChoiceField(label=_("Program"))
    period = forms.ChoiceField(
        label=_("Period"),
        choices=[*PeriodChoice.choices, (CUSTOM, _("Days I choose"))],
        initial=DEFAULT_PERIOD,
    )
    start = forms.DateField(
        label=_("From (for days you choose)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=_("To, included"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, programs: Sequence[Program], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(program.pk), program.name) for program in programs]
        if len(programs) > 1:
            choices.insert(0, (ALL_PROGRAMS, str(_("All my programs"))))
        field = self.fields["program"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        field.initial = choices[0][0] if choices else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("period") != CUSTOM:
            return data
        start, end = data.get("start"), data.get("end")
        if not start or not end:
            raise forms.ValidationError(_("Give the first and the last day of the period."))
        if end < start:
            self.add_error("end", _("The last day must not be before the first."))
        elif (end - start).days > LONGEST_DAYS:
            self.add_error("end", _("A report covers two years at most."))
        return data


@dataclass(frozen=True)
class Coverage:
    programs: tuple[Program, ...]
    period: Period
    program_value: str
    period_value: str


def coverage(
    form: FunderReportForm, programs: Sequence[Program], now: dt.datetime | None = None
) -> Coverage:
    """The programs and period a valid form chose (each program's day read in its own zone)."""
    chosen_value = form.cleaned_data["program"]
    chosen = (
        tuple(programs)
        if chosen_value == ALL_PROGRAMS
        else tuple(program for program in programs if str(program.pk) == chosen_value)
    )
    today = today_in(chosen[0].time_zone, now or timezone.now())
    period_value = form.cleaned_data["period"]
    if period_value == CUSTOM:
        period = Period(form.cleaned_data["start"], form.cleaned_data["end"])
    else:
        period = Period.of(PeriodChoice(period_value), today)
    return Coverage(chosen, period, chosen_value, period_value)
