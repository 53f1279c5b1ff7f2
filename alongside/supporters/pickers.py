"""Searching a program's supporters by name, for the pickers that choose one (core.pickers).

Names live on the account (accounts.User: first, last and preferred name, e-mail), in plain
columns. A search is scoped to one program first (the supporter's program index), then each
word typed must begin one of those names: a prefix match, which an index can serve, and which
finds "Al" in "Alex Martin" and "Mar" in his last name without matching inside words.
"""

from collections.abc import Callable

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils.translation import ngettext

from alongside.core.pickers import Option, Source
from alongside.supporters.models import Supporter


def by_name(supporters: QuerySet[Supporter], words: list[str]) -> QuerySet[Supporter]:
    """The supporters each of whose words begins one of their names, by the name shown."""
    for word in words:
        supporters = supporters.filter(
            Q(user__first_name__istartswith=word)
            | Q(user__last_name__istartswith=word)
            | Q(user__preferred_name__istartswith=word)
            | Q(user__email__istartswith=word)
        )
    shown = Lower(Coalesce(NullIf("user__preferred_name", Value("")), "user__first_name"))
    return supporters.select_related("user", "site").order_by(shown, "user__last_name", "pk")


def status_and_site(supporter: Supporter) -> Option:
    """The name, with their status and site to tell two of the same name apart."""
    detail = [str(supporter.get_status_display())]
    if supporter.site is not None:
        detail.append(supporter.site.name)
    return Option(supporter.pk, supporter.display_name, " · ".join(detail))


def supporters_found(count: int) -> str:
    return ngettext("%(count)d supporter found.", "%(count)d supporters found.", count) % {
        "count": count
    }


def supporter_source(
    allowed: QuerySet[Supporter], *, describe: Callable[[Supporter], Option] = status_and_site
) -> Source[Supporter]:
    """A picker over `allowed`, searched by name; `describe` says what each result shows."""
    return Source(
        allowed=allowed.select_related("user", "site"),
        matching=by_name,
        describe=describe,
        found=supporters_found,
    )
