"""The supporters app's models, one module per topic; import them from here."""

from alongside.supporters.models.applications import (
    Application,
    ApplicationOutcome,
    ApplicationQuerySet,
)
from alongside.supporters.models.pipeline import (
    BackgroundCheck,
    CheckKind,
    CheckStatus,
    StepOutcome,
    StepRecord,
    TrainingRecord,
)
from alongside.supporters.models.profile import (
    CHOSEN_WITHDRAWAL_REASONS,
    LivedExperience,
    PauseReason,
    Supporter,
    SupporterQuerySet,
    SupporterStatus,
    WithdrawalReason,
    validate_availability,
)
from alongside.supporters.models.wellbeing import (
    DebriefRequest,
    SupervisionFormat,
    SupervisionSession,
    WellbeingCheckIn,
)

__all__ = [
    "CHOSEN_WITHDRAWAL_REASONS",
    "Application",
    "ApplicationOutcome",
    "ApplicationQuerySet",
    "BackgroundCheck",
    "CheckKind",
    "CheckStatus",
    "DebriefRequest",
    "LivedExperience",
    "PauseReason",
    "StepOutcome",
    "StepRecord",
    "SupervisionFormat",
    "SupervisionSession",
    "Supporter",
    "SupporterQuerySet",
    "SupporterStatus",
    "TrainingRecord",
    "WellbeingCheckIn",
    "WithdrawalReason",
    "validate_availability",
]
