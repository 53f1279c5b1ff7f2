from django.contrib import admin

from alongside.api.models import ApiToken
from alongside.core.admin import ReadOnlyAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Shown only, without its hash: the program's settings make and revoke tokens."""

    list_display = [
        "name",
        "program",
        "prefix",
        "created_by",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["program"]
    exclude = ["token_hash"]
