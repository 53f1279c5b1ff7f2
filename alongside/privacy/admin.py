from django.contrib import admin

from alongside.core.admin import ReadOnlyAdmin
from alongside.privacy.models import Consent, ConsentText


@admin.register(ConsentText)
class ConsentTextAdmin(ReadOnlyAdmin):
    """Shown only: a version is kept the first time a person agrees to new words."""

    list_display = ["wording", "language", "version", "first_agreed_at"]
    list_filter = ["language"]


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    """Shown only: consents are given through the forms and withdrawn on the person's page."""

    list_display = ["pk", "program", "purpose", "given_at", "given_how", "withdrawn_at"]
    list_filter = ["program", "purpose"]
    raw_id_fields = ["support_request", "peer", "application", "text"]
