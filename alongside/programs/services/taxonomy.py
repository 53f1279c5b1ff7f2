"""The shared list of experiences programs serve (MS, an adverse event at work, grief...).

An experience is shared across programs; each program then picks, in its general settings, the
ones it serves. Adding one is checked (each message naming its field) and audited.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.core.audit import record_event
from alongside.programs.models import Experience, ExperienceCategory
from alongside.programs.services.checks import SLUG_PATTERN, SettingsError


def _problems(experience: Experience) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not SLUG_PATTERN.match(experience.slug) or len(experience.slug) > 50:
        problems["slug"] = [
            _(
                "The code may use only small letters, numbers and single hyphens, up to 50 "
                "characters (for example adverse-event)."
            )
        ]
    elif Experience.objects.filter(slug=experience.slug).exists():
        problems["slug"] = [
            _("Another experience already has the code “%(slug)s”.") % {"slug": experience.slug}
        ]
    if not experience.name:
        problems["name"] = [_("Give the experience a name.")]
    if experience.category not in ExperienceCategory.values:
        problems["category"] = [_("Choose the kind of experience this is.")]
    allied_to = experience.allied_to
    if allied_to is not None and allied_to.allied_to_id is not None:
        problems["allied_to"] = [
            _("“%(name)s” is itself allied to another experience: choose that one.")
            % {"name": allied_to.name}
        ]
    return problems


@transaction.atomic
def add_experience(
    *,
    by: User,
    slug: str,
    name: str,
    category: str,
    allied_to: Experience | None = None,
) -> Experience:
    """Add an experience programs can serve; an allied condition names the one it is counted
    with (NMOSD with MS), which must not be allied to another itself."""
    experience = Experience(
        slug=slug.strip(), name=" ".join(name.split()), category=category, allied_to=allied_to
    )
    problems = _problems(experience)
    if problems:
        raise SettingsError(problems)
    experience.save()
    record_event(
        actor=by,
        action="programs.experience.added",
        target=experience,
        data={"slug": experience.slug},
    )
    return experience
