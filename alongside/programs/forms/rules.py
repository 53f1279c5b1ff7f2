"""The eligibility rules page: one row per rule, rows added and removed without JavaScript."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.core.forms import AccessibleFormMixin
from alongside.programs.forms.translations import in_language_label
from alongside.programs.models import Program, Relationship
from alongside.programs.questions import STATEMENTS
from alongside.programs.rules import (
    FIELD_LABELS,
    FIELDS_OF_KIND,
    GROUPS,
    RuleKind,
    problems_of_rule,
)

PREFIX = "rules"


def group_choices() -> list[tuple[str, str]]:
    """The groups a rule may join, named in the reader's language (as the form is shown, not
    as the module is loaded)."""
    return [
        ("", str(_("None: this rule must hold on its own"))),
        *((letter, _("Group %(letter)s") % {"letter": letter}) for letter in GROUPS),
    ]


class RuleRowForm(AccessibleFormMixin, forms.Form):
    """One rule. Only the fields of its kind are read; the others are left as they are."""

    kind = forms.ChoiceField(
        label=FIELD_LABELS["kind"],
        choices=[("", _("Choose a kind of rule")), *RuleKind.choices],
        required=False,
    )
    years = forms.IntegerField(
        label=FIELD_LABELS["years"],
        required=False,
        help_text=_("For a minimum age: supporters must be at least this old."),
    )
    experiences = forms.MultipleChoiceField(
        label=FIELD_LABELS["experiences"],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("For lived experience: any one of these counts (allied ones too)."),
    )
    relationships = forms.MultipleChoiceField(
        label=FIELD_LABELS["relationships"],
        choices=Relationship.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("For lived experience: themselves, as family, or as a colleague."),
    )
    minimum_years = forms.DecimalField(
        label=FIELD_LABELS["minimum_years"],
        required=False,
        max_digits=3,
        decimal_places=1,
        help_text=_("For lived experience: leave empty when any length of time counts."),
    )
    roles = forms.CharField(
        label=FIELD_LABELS["roles"],
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a role at work: one role a line, for example Nurse."),
    )
    statement = forms.CharField(
        label=FIELD_LABELS["statement"],
        required=False,
        max_length=500,
        help_text=_("For a statement: what supporters say is true of them when they apply."),
    )
    group = forms.ChoiceField(
        label=FIELD_LABELS["group"],
        choices=group_choices,
        required=False,
        help_text=_("Rules in the same group are alternatives: meeting one of them is enough."),
    )

    def __init__(
        self,
        *args: Any,
        experiences: Sequence[tuple[str, str]],
        program: Program | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["experiences"].choices = list(experiences)  # type: ignore[attr-defined]
        self.rule: dict[str, Any] | None = None
        self.statement_languages: list[str] = []
        if program is not None:
            self._offer_statement_languages(program)

    def _offer_statement_languages(self, program: Program) -> None:
        """The statement in each of the program's other languages, right after it."""
        main, others = program.main_language, program.content_languages()[1:]
        if not others:
            return
        statement = self.fields["statement"]
        label = FIELD_LABELS["statement"]
        statement.label = in_language_label(label, main)
        statement.widget.attrs["lang"] = main
        stored = str(self.initial.get("statement") or "")
        written = program.phrases(STATEMENTS, stored) if stored else {}
        fields: dict[str, forms.Field] = {}
        for name, field in self.fields.items():
            fields[name] = field
            if name != "statement":
                continue
            for language in others:
                fields[f"statement_{language}"] = forms.CharField(
                    label=in_language_label(
                        label, language, missing=bool(stored) and language not in written
                    ),
                    required=False,
                    max_length=500,
                    initial=written.get(language, ""),
                    widget=forms.TextInput(
                        attrs={"lang": language, "class": "form-control form-control-lg"}
                    ),
                )
        self.fields = fields
        self.statement_languages = others

    def statement_translations(self) -> dict[str, str]:
        """{language: the statement in it} for a statement rule (after is_valid)."""
        if not self.rule or self.rule["kind"] != RuleKind.SELF_ASSESSMENT:
            return {}
        return {
            language: str(self.cleaned_data.get(f"statement_{language}") or "")
            for language in self.statement_languages
        }

    def _value(self, name: str) -> Any:
        value = self.cleaned_data.get(name)
        if name == "roles":
            return [line.strip() for line in (value or "").splitlines() if line.strip()]
        if name == "minimum_years":
            years = value or Decimal(0)
            return int(years) if years == int(years) else float(years)
        return value if value is not None else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        if not kind:
            if self.has_changed():
                self.add_error("kind", _("Choose the kind of rule, or tick “Remove this rule”."))
            return cleaned
        rule = {"kind": kind, **{name: self._value(name) for name in FIELDS_OF_KIND[kind]}}
        known = {value for value, _label in self.fields["experiences"].choices}  # type: ignore[attr-defined]
        for name, problem in problems_of_rule(rule, known_experiences=known).items():
            if name not in self.errors:
                self.add_error(name, problem)
        self.rule = {**rule, "group": cleaned.get("group") or ""}
        return cleaned


class BaseRuleFormSet(forms.BaseFormSet[RuleRowForm]):
    def add_fields(self, form: RuleRowForm, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this rule")
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def clean(self) -> None:
        if any(self.errors):
            return
        sizes: dict[str, int] = {}
        for row in self.rows():
            if row["group"]:
                sizes[row["group"]] = sizes.get(row["group"], 0) + 1
        lonely = sorted(letter for letter, size in sizes.items() if size == 1)
        if lonely:
            raise forms.ValidationError(
                _(
                    "Either/or group %(groups)s has only one rule: put at least two rules in a "
                    "group, or set its rule's group to “None”."
                )
                % {"groups": ", ".join(lonely)}
            )

    def statement_phrases(self) -> dict[str, dict[str, dict[str, str]]]:
        """The statements in the program's other languages, as the service takes them."""
        phrases: dict[str, dict[str, dict[str, str]]] = {}
        for form in self.forms:
            if form.rule is None or self._should_delete_form(form):  # type: ignore[attr-defined]
                continue
            for language, text in form.statement_translations().items():
                statements = phrases.setdefault(language, {}).setdefault(STATEMENTS, {})
                statements[form.rule["statement"]] = text
        return phrases

    def rows(self) -> list[dict[str, Any]]:
        """The rules in the order of the page, each with its group letter (none when empty)."""
        return [
            form.rule
            for form in self.forms
            if form.rule is not None and not self._should_delete_form(form)  # type: ignore[attr-defined]
        ]


RuleFormSet = forms.formset_factory(
    RuleRowForm,
    formset=BaseRuleFormSet,
    extra=1,
    can_delete=True,
    can_delete_extra=False,
    max_num=30,
    validate_max=True,
)


def rule_formset(
    *,
    data: Any = None,
    rows: list[dict[str, Any]],
    experiences: Sequence[tuple[str, str]],
    add_row: bool = False,
    program: Program | None = None,
) -> BaseRuleFormSet:
    """The rows of the page: the stored rules (or those sent), and an empty one to fill in.
    `add_row` asks for one more empty row, without saving."""
    if data is not None and add_row:
        data = data.copy()
        total = f"{PREFIX}-TOTAL_FORMS"
        data[total] = str(int(data.get(total) or 0) + 1)
    initial = [{**row, "roles": "\n".join(row["roles"])} if "roles" in row else row for row in rows]
    formset = RuleFormSet(
        data,
        initial=initial,
        prefix=PREFIX,
        form_kwargs={"experiences": experiences, "program": program},
    )
    assert isinstance(formset, BaseRuleFormSet)
    return formset
