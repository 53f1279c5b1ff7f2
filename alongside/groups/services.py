"""Every change to group sessions: schedule, change, cancel, invite, answer, take attendance."""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.core.audit import record_event
from alongside.core.errors import DomainError
from alongside.core.updates import update_and_audit
from alongside.groups import messages
from alongside.groups.models import Attendance, AttendanceStatus, GroupSession
from alongside.groups.queries import invitable_supporters
from alongside.notifications.notify import MessageKind, notify
from alongside.programs.models import Program
from alongside.supporters.models import Supporter

SESSION_FIELDS = (
    "kind",
    "title",
    "starts_at",
    "length_minutes",
    "place",
    "video_link",
    "capacity",
    "notes",
)
# Who still expects to hear about a session: not those who said they cannot come.
EXPECTING_NEWS = (AttendanceStatus.INVITED, AttendanceStatus.ATTENDING)


def _validated(session: GroupSession) -> GroupSession:
    try:
        session.full_clean(exclude=["program", "created_by"])
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from error
    return session


def _ensure_open(session: GroupSession, now: dt.datetime) -> None:
    if session.is_cancelled:
        raise DomainError(_("This session was cancelled; it cannot be changed."))
    if session.starts_at <= now:
        raise DomainError(_("This session has already started; it cannot be changed."))


def _ensure_future(starts_at: dt.datetime, now: dt.datetime) -> None:
    if starts_at <= now:
        raise DomainError(_("Choose a time that has not passed yet."))


def _ensure_place_or_link(session: GroupSession) -> None:
    if not session.place.strip() and not session.video_link.strip():
        raise DomainError(_("Give a place, a video call link, or both."))


@transaction.atomic
def schedule_session(*, program: Program, by: User, **fields: Any) -> GroupSession:
    """Put a session on the program's calendar; invites nobody yet."""
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown session fields: {sorted(unknown)}")
    if not program.is_active:
        raise DomainError(_("%(program)s is not active.") % {"program": program.name})
    session = GroupSession(program=program, created_by=by, **fields)
    _ensure_future(session.starts_at, timezone.now())
    _ensure_place_or_link(session)
    _validated(session).save()
    record_event(
        actor=by, action="groups.session.scheduled", target=session, data={"kind": session.kind}
    )
    return session


@transaction.atomic
def change_session(*, session: GroupSession, by: User, **fields: Any) -> GroupSession:
    """Change a session that is still to come; tells those invited when its time or place moves.

    Sending the same change twice changes nothing the second time.
    """
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown session fields: {sorted(unknown)}")
    session = GroupSession.objects.select_for_update().select_related("program").get(pk=session.pk)
    now = timezone.now()
    _ensure_open(session, now)
    update = update_and_audit(
        instance=session,
        changes=fields,
        actor=by,
        action="groups.session.changed",
        check=lambda changed: _check_change(session, changed, now),
    )
    if update.event and {"starts_at", "length_minutes", "place", "video_link"} & set(update.fields):
        _tell_invited(
            session,
            kind=messages.SESSION_CHANGED,
            key=("groups.session.changed", session.pk, update.event.pk),
        )
    return session


def _check_change(session: GroupSession, changed: list[str], now: dt.datetime) -> None:
    if "starts_at" in changed:
        _ensure_future(session.starts_at, now)
    _ensure_place_or_link(session)
    if session.capacity is not None:
        coming = session.attendances.filter(status=AttendanceStatus.ATTENDING).count()
        if coming > session.capacity:
            raise DomainError(
                _("%(count)d people have already said they are coming; allow at least that many.")
                % {"count": coming}
            )
    _validated(session)


@transaction.atomic
def cancel_session(*, session: GroupSession, by: User, reason: str) -> GroupSession:
    """Cancel a session still to come; tells everyone invited who had not said they can't come.

    Cancelling a cancelled session again changes nothing.
    """
    session = GroupSession.objects.select_for_update().select_related("program").get(pk=session.pk)
    if session.is_cancelled:
        return session
    if not reason.strip():
        raise DomainError(_("Say why the session is cancelled; those invited will read it."))
    _ensure_open(session, timezone.now())
    session.cancelled_at = timezone.now()
    session.cancellation_reason = reason.strip()
    session.save(update_fields=["cancelled_at", "cancellation_reason"])
    record_event(actor=by, action="groups.session.cancelled", target=session)
    _tell_invited(
        session,
        kind=messages.SESSION_CANCELLED,
        key=("groups.session.cancelled", session.pk),
    )
    return session


def _tell_invited(session: GroupSession, *, kind: MessageKind, key: Sequence[object]) -> None:
    attendances = session.attendances.filter(status__in=EXPECTING_NEWS)
    _tell(session, attendances.values_list("supporter_id", flat=True), kind=kind, key=key)


def _tell(
    session: GroupSession, supporter_ids: Iterable[int], *, kind: MessageKind, key: Sequence[object]
) -> None:
    """E-mail the supporters; each one's key ends with their supporter id, as it always has."""
    supporters = Supporter.objects.filter(pk__in=list(supporter_ids)).select_related("user")
    context = {
        "title": session.title,
        "when": session.starts_at,
        "where": session.place or session.video_link,
        "reason": session.cancellation_reason,
    }
    for supporter in supporters:
        notify(
            kind=kind,
            recipients=[supporter.user],
            context=context,
            idempotency_key=(*key, supporter.pk),
            program=session.program,
        )


@transaction.atomic
def invite_supporters(
    *, session: GroupSession, by: User, supporters: Sequence[Supporter] | None = None
) -> list[Attendance]:
    """Invite the chosen supporters, or every active one of the program when none are chosen.

    Those already invited are left as they are; each new invitee gets one e-mail.
    """
    session = GroupSession.objects.select_for_update().select_related("program").get(pk=session.pk)
    _ensure_open(session, timezone.now())
    eligible = invitable_supporters(session.program)
    if supporters is None:
        chosen = list(eligible)
    else:
        eligible_ids = set(eligible.values_list("pk", flat=True))
        outside = [supporter for supporter in supporters if supporter.pk not in eligible_ids]
        if outside:
            raise DomainError(
                _("Only active supporters of %(program)s can be invited: not %(names)s.")
                % {
                    "program": session.program.name,
                    "names": ", ".join(supporter.display_name for supporter in outside),
                }
            )
        chosen = list(supporters)
    if not chosen:
        raise DomainError(_("There is nobody to invite: the program has no active supporters."))
    already = set(session.attendances.values_list("supporter_id", flat=True))
    now = timezone.now()
    invited = [
        Attendance.objects.create(session=session, supporter=supporter, invited_at=now)
        for supporter in chosen
        if supporter.pk not in already
    ]
    if invited:
        record_event(
            actor=by,
            action="groups.session.invited",
            target=session,
            data={"supporters": [attendance.supporter_id for attendance in invited]},
        )
    _tell(
        session,
        [attendance.supporter_id for attendance in invited],
        kind=messages.SESSION_INVITED,
        key=("groups.session.invited", session.pk),
    )
    return invited


@transaction.atomic
def answer_invitation(*, attendance: Attendance, by: User, coming: bool) -> Attendance:
    """A supporter says they will come, or that they can't; a full session refuses a yes."""
    attendance = (
        Attendance.objects.select_for_update()
        .select_related("session", "supporter")
        .get(pk=attendance.pk)
    )
    session = GroupSession.objects.select_for_update().get(pk=attendance.session_id)
    if attendance.supporter.user_id != by.pk:
        raise DomainError(_("Only the person invited can answer this invitation."))
    if session.is_cancelled:
        raise DomainError(_("This session was cancelled."))
    if session.starts_at <= timezone.now():
        raise DomainError(_("This session has already started."))
    status = AttendanceStatus.ATTENDING if coming else AttendanceStatus.NOT_COMING
    if attendance.status == status:
        return attendance
    if coming and session.capacity is not None:
        taken = session.attendances.filter(status=AttendanceStatus.ATTENDING).count()
        if taken >= session.capacity:
            raise DomainError(
                _("Sorry, %(title)s is full. The coordinator knows you wanted to come.")
                % {"title": session.title}
            )
    attendance.status = status
    attendance.answered_at = timezone.now()
    attendance.save(update_fields=["status", "answered_at"])
    record_event(
        actor=by,
        action="groups.attendance.answered",
        target=attendance,
        data={"status": status},
        program_id=session.program_id,
    )
    return attendance


@transaction.atomic
def record_attendance(
    *, session: GroupSession, by: User, attended: Mapping[int, bool]
) -> list[Attendance]:
    """After a session, record who came (`attended` maps attendance ids to came or not).

    Returns the attendances whose record changed; recording the same again changes nothing.
    """
    session = GroupSession.objects.select_for_update().get(pk=session.pk)
    if session.is_cancelled:
        raise DomainError(_("This session was cancelled; there is no attendance to take."))
    if session.starts_at > timezone.now():
        raise DomainError(_("Attendance can be taken once the session has started."))
    attendances = {
        attendance.pk: attendance
        for attendance in session.attendances.filter(pk__in=list(attended)).select_for_update()
    }
    unknown = set(attended) - set(attendances)
    if unknown:
        raise DomainError(_("Some of those people were not invited to this session."))
    now = timezone.now()
    changed = []
    for attendance_id, came in attended.items():
        attendance = attendances[attendance_id]
        status = AttendanceStatus.ATTENDED if came else AttendanceStatus.ABSENT
        if attendance.status == status:
            continue
        attendance.status = status
        attendance.recorded_by = by
        attendance.recorded_at = now
        attendance.save(update_fields=["status", "recorded_by", "recorded_at"])
        record_event(
            actor=by,
            action="groups.attendance.recorded",
            target=attendance,
            data={"status": status},
            program_id=session.program_id,
        )
        changed.append(attendance)
    return changed
