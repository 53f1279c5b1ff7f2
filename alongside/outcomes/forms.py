from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.core.forms import AccessibleFormMixin
from alongside.outcomes.models import Instrument, ProgramInstrument
from alongside.outcomes.services import InstrumentChoice
from alongside.programs.content import marked


class AnswerForm(AccessibleFormMixin, forms.Form):
    """One radio group per item of the instrument, every one required, in the reader's
    language, else the program's first (`fallbacks`), else the instrument's own."""

    def __init__(
        self, *args: Any, instrument: Instrument, fallbacks: Sequence[str] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for item in instrument.item_list:
            text = instrument.phrase_in("items", item.key, item.text, fallbacks=fallbacks)
            self.fields[item.key] = forms.TypedChoiceField(
                label=marked(text),
                choices=[
                    (
                        str(choice.value),
                        marked(
                            instrument.phrase_in(
                                "labels", choice.label, choice.label, fallbacks=fallbacks
                            )
                        ),
                    )
                    for choice in item.choices
                ],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Please choose an answer.")},
            )
        # AccessibleFormMixin styled the fields it saw at its own __init__; style these too.
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-check-input")

    def answers(self) -> dict[str, int]:
        return {key: int(value) for key, value in self.cleaned_data.items()}


OCCASIONS = (
    ("at_start", _("At the start")),
    ("at_milestones", _("At milestone check-ins")),
    ("at_closure", _("At closure")),
)


class InstrumentChoiceForm(AccessibleFormMixin, forms.Form):
    """For each instrument, when the program sends it (none: not used)."""

    def __init__(
        self,
        *args: Any,
        instruments: list[Instrument],
        chosen: dict[int, ProgramInstrument],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instruments = instruments
        for instrument in instruments:
            current = chosen.get(instrument.pk)
            self.fields[f"instrument_{instrument.pk}"] = forms.MultipleChoiceField(
                label=instrument.name,
                choices=OCCASIONS,
                required=False,
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                initial=[name for name, _label in OCCASIONS if current and getattr(current, name)],
            )

    def choices(self) -> dict[Instrument, InstrumentChoice]:
        return {
            instrument: InstrumentChoice(
                **{
                    name: name in self.cleaned_data[f"instrument_{instrument.pk}"]
                    for name, _label in OCCASIONS
                }
            )
            for instrument in self.instruments
        }
