"""Wellbeing: the supporter's self-care check-in and their call for a debrief."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.core.audit import record_event
from alongside.core.errors import DomainError
from alongside.notifications.team import tell_coordinators, tell_supervisors
from alongside.supporters import messages
from alongside.supporters.models import DebriefRequest, Supporter, WellbeingCheckIn
from alongside.supporters.queries import supervisors_of

LOW_WELLBEING_SCORE = 2


@transaction.atomic
def record_wellbeing(*, supporter: Supporter, score: int, note: str, by: User) -> WellbeingCheckIn:
    """Keep a supporter's self-care check-in; a low score tells the coordinators at once."""
    if supporter.user_id != by.pk:
        raise DomainError(_("Only supporters themselves can fill in their check-in."))
    if not 1 <= score <= 5:
        raise DomainError(_("Please choose a number from 1 to 5."))
    checkin = WellbeingCheckIn.objects.create(
        supporter=supporter, score=score, note=note, created_at=timezone.now()
    )
    record_event(
        actor=by, action="supporters.wellbeing.recorded", target=supporter, data={"score": score}
    )
    if score <= LOW_WELLBEING_SCORE:
        tell_coordinators(
            supporter.program,
            kind=messages.WELLBEING_LOW,
            context={"name": supporter.display_name, "score": score},
            key=("supporters.wellbeing.low", checkin.pk),
        )
    return checkin


@transaction.atomic
def request_debrief(*, supporter: Supporter, note: str, by: User) -> DebriefRequest:
    """Ask for a debrief after a hard contact; tells the supervisors (or else the coordinators)."""
    if supporter.user_id != by.pk:
        raise DomainError(_("Only supporters themselves can ask for a debrief."))
    debrief = DebriefRequest.objects.create(
        supporter=supporter, note=note, requested_at=timezone.now()
    )
    record_event(actor=by, action="supporters.debrief.requested", target=supporter)
    tell_supervisors(
        supporter.program,
        supervisors=supervisors_of(supporter),
        kind=messages.DEBRIEF_REQUESTED,
        context={"name": supporter.display_name},
        key=("supporters.debrief", debrief.pk),
    )
    return debrief
