from django.shortcuts import get_object_or_404

from alongside.accounts.models import User
from alongside.groups.models import Attendance, GroupSession


def get_session_for(user: User, session_id: int, *, manage: bool = False) -> GroupSession:
    """A session the user may see: program staff, or a supporter invited to it (404 otherwise).

    Managing it (change, cancel, invite, take attendance) is for the program's staff only.
    """
    sessions = GroupSession.objects.select_related("program", "created_by")
    sessions = sessions.managed_by(user) if manage else sessions.visible_to(user)
    return get_object_or_404(sessions, pk=session_id)


def get_invitation_for(user: User, attendance_id: int) -> Attendance:
    """The user's own invitation to a session (404 for anyone else's)."""
    return get_object_or_404(
        Attendance.objects.select_related("session__program", "supporter"),
        pk=attendance_id,
        supporter__user_id=user.pk,
    )
