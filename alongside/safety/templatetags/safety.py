from typing import Any

from django import template

from alongside.safety import queries

register = template.Library()


@register.inclusion_tag("safety/_coverage_gaps.html", takes_context=True)
def on_call_warning(context: dict[str, Any]) -> dict[str, Any]:
    """A warning for staff when, in the next 7 days, nobody is on call in one of their programs."""
    user = context["request"].user
    if not user.is_authenticated:
        return {"gaps": []}
    return {"gaps": queries.coverage_gaps_for(user), "show_rota_link": True}
