from django.contrib import admin

from alongside.outcomes.models import Instrument, ProgramInstrument


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Items and scoring rules are JSON, checked by Instrument.clean on save."""

    list_display = ["name", "slug", "measures"]


@admin.register(ProgramInstrument)
class ProgramInstrumentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["program", "instrument", "at_start", "at_milestones", "at_closure"]
    list_filter = ["program"]
