"""The programs app's models, one module per topic; import them from here."""

from alongside.programs.models.pipeline import (
    CompetencyArea,
    PipelineStep,
    RetirableQuerySet,
    StepKind,
    TrainingModule,
)
from alongside.programs.models.program import (
    ChoiceListValidator,
    ContactMethod,
    Experience,
    ExperienceCategory,
    Gender,
    Language,
    MonthListValidator,
    Program,
    Relationship,
    Site,
    SiteKind,
    validate_time_zone,
)
from alongside.programs.models.reporting import ReportedDemographic

__all__ = [
    "ChoiceListValidator",
    "CompetencyArea",
    "ContactMethod",
    "Experience",
    "ExperienceCategory",
    "Gender",
    "Language",
    "MonthListValidator",
    "PipelineStep",
    "Program",
    "Relationship",
    "ReportedDemographic",
    "RetirableQuerySet",
    "Site",
    "SiteKind",
    "StepKind",
    "TrainingModule",
    "validate_time_zone",
]
