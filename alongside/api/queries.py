from django.db.models import QuerySet

from alongside.api.models import ApiToken
from alongside.programs.models import Program


def tokens_of(program: Program) -> QuerySet[ApiToken]:
    """The program's tokens, the newest first, with who made and revoked each."""
    return (
        ApiToken.objects.filter(program=program)
        .select_related("program", "created_by", "revoked_by")
        .order_by("-created_at", "-pk")
    )
