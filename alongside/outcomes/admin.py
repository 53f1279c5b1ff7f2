from django.contrib import admin

from alongside.core.admin import AuditedAdmin, ReadOnlyAdmin
from alongside.outcomes.models import Instrument, ProgramInstrument


@admin.register(Instrument)
class InstrumentAdmin(AuditedAdmin):
    """Items and scoring rules are JSON, checked by Instrument.clean on save; each save audited."""

    list_display = ["name", "slug", "measures"]


@admin.register(ProgramInstrument)
class ProgramInstrumentAdmin(ReadOnlyAdmin):
    """Shown only: the program's outcomes page chooses instruments through outcomes.services."""

    list_display = ["program", "instrument", "at_start", "at_milestones", "at_closure"]
    list_filter = ["program"]
