"""The error summary's links land on a control that exists: a group's first choice."""

from django import forms
from django.template.loader import render_to_string

from alongside.core.forms import AccessibleFormMixin


class AnswersForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(label="Your name")
    contact = forms.ChoiceField(
        label="How to reach you",
        choices=[("e", "E-mail"), ("p", "Phone")],
        widget=forms.RadioSelect,
    )
    days = forms.MultipleChoiceField(
        label="Days",
        choices=[("mon", "Monday"), ("tue", "Tuesday")],
        widget=forms.CheckboxSelectMultiple,
    )
    agree = forms.BooleanField(label="I agree")
    kind = forms.ChoiceField(label="Kind", choices=[("", "Choose"), ("a", "A")])


def test_each_summary_link_points_at_a_control_on_the_page():
    form = AnswersForm(data={})
    assert not form.is_valid()

    summary = render_to_string("core/_error_summary.html", {"form": form})
    fields = "".join(
        render_to_string("core/_field.html", {"field": field}) for field in form.visible_fields()
    )

    for target in ("id_name", "id_contact_0", "id_days_0", "id_agree", "id_kind"):
        assert f'href="#{target}"' in summary
        assert f'id="{target}"' in fields


def test_a_group_of_choices_is_reached_at_its_first_choice_not_at_the_missing_group_id():
    summary = render_to_string("core/_error_summary.html", {"form": AnswersForm(data={})})

    assert 'href="#id_contact"' not in summary
    assert 'href="#id_days"' not in summary
