"""Template helpers for form controls."""

from typing import Any

from django import template
from django.forms import BoundField

from alongside.core.forms import first_control_id

register = template.Library()


@register.filter
def control_id(field: Any) -> str:
    """`first_control_id` of a form's field; a summary's own entry brings its `control_id`."""
    if isinstance(field, BoundField):
        return first_control_id(field)
    return str(getattr(field, "control_id", ""))
