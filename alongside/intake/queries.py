from django.db.models import QuerySet

from alongside.accounts.models import User
from alongside.intake.models import SupportRequest


def request_queue(user: User, *, program_id: int | None = None) -> QuerySet[SupportRequest]:
    """Requests waiting for a match in the user's programs, the soonest due first."""
    queryset = (
        SupportRequest.objects.visible_to(user)
        .waiting()
        .select_related("program", "peer", "experience")
        .order_by("due_at", "received_at")
    )
    if program_id:
        queryset = queryset.filter(program_id=program_id)
    return queryset
