from decimal import Decimal

from django import template

from alongside.matches.queries import hours_from_minutes

register = template.Library()


@register.filter
def hours(minutes: int | None) -> Decimal:
    """Minutes shown as hours to one decimal."""
    return hours_from_minutes(minutes or 0)
