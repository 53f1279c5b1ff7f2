"""Supervision: the conversations supervisors have with supporters, and who may read the notes."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import Membership, Role, User
from alongside.core.audit import record_event
from alongside.core.errors import DomainError
from alongside.programs.queries import holds_role_in
from alongside.supporters.models import SupervisionFormat, SupervisionSession, Supporter
from alongside.supporters.services.profile import is_staff_of


def supervises(user: User, supporter: Supporter) -> bool:
    """Whether `user` supervises the supporter or coordinates them."""
    return Supporter.objects.looked_after_by(user).filter(pk=supporter.pk).exists()


@transaction.atomic
def record_supervision(
    *,
    supporter: Supporter,
    supervisor: User,
    held_on: dt.date,
    minutes: int,
    format: SupervisionFormat | str,
    notes: str = "",
    follow_up_on: dt.date | None = None,
    answers_debriefs: bool = False,
) -> SupervisionSession:
    """Record a supervision session; may mark the supporter's open debrief requests answered."""
    if not supervises(supervisor, supporter):
        raise DomainError(_("Only the program's supervisors and coordinators record supervision."))
    if supervisor.pk == supporter.user_id:
        raise DomainError(_("A supporter cannot record their own supervision."))
    if held_on > supporter.program.calendar.today():
        raise DomainError(_("A session cannot be in the future; record it once it has happened."))
    if not 5 <= minutes <= 480:
        raise DomainError(_("Please give the length in minutes, from 5 to 480."))
    if format not in SupervisionFormat.values:
        raise DomainError(_("Choose one to one or in a group."))
    if follow_up_on is not None and follow_up_on < held_on:
        raise DomainError(_("The follow-up cannot be before the session."))
    session = SupervisionSession.objects.create(
        supporter=supporter,
        supervisor=supervisor,
        held_on=held_on,
        minutes=minutes,
        format=format,
        notes=notes.strip(),
        follow_up_on=follow_up_on,
        recorded_at=timezone.now(),
    )
    answered = 0
    if answers_debriefs:
        answered = supporter.debrief_requests.filter(answered_at__isnull=True).update(
            answered_by=supervisor, answered_at=timezone.now()
        )
    record_event(
        actor=supervisor,
        action="supporters.supervision.recorded",
        target=supporter,
        data={"session": session.pk, "debriefs_answered": answered},
    )
    return session


def readable_notes(
    user: User, supporter: Supporter, sessions: list[SupervisionSession]
) -> set[int]:
    """The sessions whose notes `user` may read: their own, or all for the coordinators."""
    is_coordinator = holds_role_in(user, {Role.COORDINATOR}, supporter.program_id)
    return {
        session.pk for session in sessions if is_coordinator or session.supervisor_id == user.pk
    }


def record_notes_read(*, supporter: Supporter, viewer: User, sessions: list[int]) -> None:
    """Notes that someone read the notes of these supervision sessions."""
    if sessions:
        record_event(
            actor=viewer,
            action="supporters.supervision.notes_viewed",
            target=supporter,
            data={"sessions": sessions},
        )


@transaction.atomic
def choose_supervisor(*, supporter: Supporter, by: User, supervisor: User | None) -> Supporter:
    """Name the supporter's supervisor, one of the program's supervisors whose sites hold the
    supporter's; None: any supervisor of the program whose scope holds them. Audited."""
    if not is_staff_of(by, supporter):
        raise DomainError(_("Only the program's coordinators choose a supporter's supervisor."))
    fresh = Supporter.objects.select_for_update().get(pk=supporter.pk)
    if supervisor is not None:
        _ensure_may_supervise(supervisor, fresh)
    before = fresh.supervisor_id
    after = supervisor.pk if supervisor is not None else None
    if before == after:
        return fresh
    fresh.supervisor = supervisor
    fresh.save(update_fields=["supervisor"])
    record_event(
        actor=by,
        action="supporters.supervisor.chosen",
        target=fresh,
        data={"supervisor": after, "before": before},
    )
    return fresh


def _ensure_may_supervise(supervisor: User, supporter: Supporter) -> None:
    """Refuses a supervisor who is not one of the program's, or whose sites leave out the
    supporter's."""
    role = (
        Membership.objects.filter(
            user_id=supervisor.pk,
            program_id=supporter.program_id,
            role=Role.SUPERVISOR,
            is_active=True,
            user__is_active=True,
        )
        .prefetch_related("sites")
        .first()
    )
    names = {"name": supervisor.display_name, "supporter": supporter.display_name}
    if role is None:
        raise DomainError(_("%(name)s is not a supervisor of this program.") % names)
    sites = list(role.sites.all())
    if not sites or supporter.site_id in {site.pk for site in sites}:
        return
    names["sites"] = ", ".join(site.name for site in sites)
    if supporter.site is None:
        raise DomainError(
            _(
                "%(name)s supervises at %(sites)s only, and %(supporter)s works at no site of "
                "the program. Choose a supervisor of the whole program, or give %(supporter)s "
                "their site first."
            )
            % names
        )
    raise DomainError(
        _(
            "%(name)s supervises at %(sites)s only, not at %(site)s where %(supporter)s works. "
            "Choose a supervisor tied to %(site)s or to the whole program."
        )
        % (names | {"site": supporter.site.name})
    )
