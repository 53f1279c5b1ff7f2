"""Every change to group sessions: schedule, change, cancel, invite, answer, take attendance."""

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.core.audit import record_event
from alongside.core.errors import DomainError
from alongside.groups.models import Attendance, AttendanceStatus, GroupSession
from alongside.groups.queries import invitable_supporters, local_start_text
from alongside.notifications.models import Channel
from alongside.notifications.services import queue_message
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
    changed = sorted(name for name, value in fields.items() if getattr(session, name) != value)
    if not changed:
        return session
    for name in changed:
        setattr(session, name, fields[name])
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
    _validated(session).save()
    event = record_event(
        actor=by, action="groups.session.changed", target=session, data={"fields": changed}
    )
    if {"starts_at", "length_minutes", "place", "video_link"} & set(changed):
        _tell_invited(
            session,
            key=f"groups.session.changed:{session.pk}:{event.pk}",
            subject=_("Changed: %(title)s") % {"title": session.title},
            body=_(
                "Hello %(name)s,\n\n%(title)s has changed. It is now on %(when)s, %(where)s.\n"
                "Sign in to Alongside to see the details.\n"
            ),
        )
    return session


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
        key=f"groups.session.cancelled:{session.pk}",
        subject=_("Cancelled: %(title)s") % {"title": session.title},
        body=_(
            "Hello %(name)s,\n\n%(title)s on %(when)s is cancelled.\n\n%(reason)s\n",
        ),
    )
    return session


def _tell_invited(session: GroupSession, *, key: str, subject: str, body: str) -> None:
    attendances = session.attendances.filter(status__in=EXPECTING_NEWS).select_related(
        "supporter__user"
    )
    for attendance in attendances:
        _tell(attendance, key=f"{key}:{attendance.supporter_id}", subject=subject, body=body)


def _tell(attendance: Attendance, *, key: str, subject: str, body: str) -> None:
    session = attendance.session
    user = attendance.supporter.user
    queue_message(
        channel=Channel.EMAIL,
        to_address=user.email,
        recipient=user,
        subject=subject,
        body=body
        % {
            "name": user.display_name,
            "title": session.title,
            "when": local_start_text(session),
            "where": session.place or session.video_link,
            "reason": session.cancellation_reason,
        },
        idempotency_key=key,
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
    for attendance in invited:
        _tell(
            attendance,
            key=f"groups.session.invited:{session.pk}:{attendance.supporter_id}",
            subject=_("You are invited: %(title)s") % {"title": session.title},
            body=_(
                "Hello %(name)s,\n\nYou are invited to %(title)s on %(when)s, %(where)s.\n"
                "Sign in to Alongside and open My page to say whether you can come.\n"
            ),
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
