from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.core.forms import NOT_IN_FUTURE, AccessibleFormMixin
from alongside.programs.forms.translations import TranslationsMixin
from alongside.programs.models import Language, Program
from alongside.resources.models import ResourceCategory


class ResourceForm(TranslationsMixin, AccessibleFormMixin, forms.Form):
    translated = ("name", "offers", "contact", "eligibility")

    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())
    name = forms.CharField(label=_("Name"), max_length=200)
    offers = forms.CharField(
        label=_("What it offers"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    category = forms.ChoiceField(label=_("Category"), choices=ResourceCategory.choices)
    region = forms.CharField(label=_("Region (optional)"), required=False, max_length=100)
    languages = forms.MultipleChoiceField(
        label=_("Languages (optional)"),
        required=False,
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    contact = forms.CharField(label=_("How to reach it (optional)"), required=False, max_length=300)
    eligibility = forms.CharField(
        label=_("Who it is for (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    last_reviewed_on = forms.DateField(
        validators=[NOT_IN_FUTURE],
        label=_("Last reviewed (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    is_active = forms.BooleanField(label=_("Listed in the directory"), required=False, initial=True)

    def __init__(self, *args: Any, programs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        program = self.fields["program"]
        assert isinstance(program, forms.ModelChoiceField)
        program.queryset = programs


class ImportForm(AccessibleFormMixin, forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: name, offers, category, region, languages (codes separated by ;), "
            "contact, eligibility, last_reviewed (YYYY-MM-DD)."
        ),
    )

    def __init__(self, *args: Any, programs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        program = self.fields["program"]
        assert isinstance(program, forms.ModelChoiceField)
        program.queryset = programs

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > 2_000_000:
            raise forms.ValidationError(_("The file is too large (at most 2 MB)."))
        try:
            return str(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("Save the file as CSV in UTF-8.")) from error
