"""Searching a program's supporters by name, for the pickers that choose one (core.pickers).

The names a supporter is greeted by live on the account (accounts.User: first and preferred
name, e-mail), in plain columns; their last name on the supporter, encrypted (a staff member's
account keeps theirs). A search is scoped to one program first (the supporter's program index),
then each word typed must begin one of the account's names, a prefix match which an index can
serve ("Al" finds "Alex"), or be a whole word of the encrypted last name, found through its
blind index (ADR 0006: "Martin" finds Alex Martin, "Mar" does not).
"""

from collections.abc import Callable

from django.db.models import QuerySet, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils.translation import ngettext

from alongside.core.blind_index import name_matches
from alongside.core.pickers import Option, Source
from alongside.supporters.models import Supporter

ACCOUNT_NAMES = ["user__first_name", "user__last_name", "user__preferred_name", "user__email"]


def by_name(supporters: QuerySet[Supporter], words: list[str]) -> QuerySet[Supporter]:
    """The supporters each of whose words begins one of their names, by the name shown."""
    for word in words:
        supporters = supporters.filter(
            name_matches(word, plain=ACCOUNT_NAMES, blind=[(Supporter, "last_name", "")])
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
