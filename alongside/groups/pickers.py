"""Searching whom to invite to a session (core.many_pickers): the active supporters of the
session's program, by name; those already invited are shown as such and cannot be ticked."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from alongside.core.pickers import Option, Source
from alongside.groups.models import Attendance, GroupSession
from alongside.groups.queries import invitable_supporters
from alongside.supporters.models import Supporter
from alongside.supporters.pickers import supporter_source


def _described(supporter: Supporter) -> Option:
    """The name, with their site to tell two of the same name apart (all are active)."""
    detail = [supporter.site.name] if supporter.site is not None else []
    invited = bool(getattr(supporter, "already_invited", False))
    if invited:
        detail.append(_("already invited"))
    return Option(supporter.pk, supporter.display_name, " · ".join(detail), disabled=invited)


def invitee_source(session: GroupSession) -> Source[Supporter]:
    """The program's active supporters, each marked when already invited to the session."""
    invited = Attendance.objects.filter(session_id=session.pk, supporter_id=OuterRef("pk"))
    allowed = invitable_supporters(session.program).annotate(already_invited=Exists(invited))
    return supporter_source(allowed, describe=_described)
