"""What a program's funder reports may show of the people it supports."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportedDemographic(models.TextChoices):
    """The facts already asked on a support request that a program may choose to report,
    each counted by group (never a person's own row), and hidden under the program's
    smallest reported count."""

    GENDER = "gender", _("Gender")
    AGE_GROUP = "age_group", _("Age group")
    LANGUAGE = "language", _("Language")
    RELATIONSHIP = "relationship", _("Relationship to the experience")
    EXPERIENCE = "experience", _("Experience")
    SITE = "site", _("Site (employer or facility)")
    SOURCE = "source", _("Way in")
