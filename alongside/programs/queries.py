"""Which programs a user may act in (the base of every program-scoped query), and the reads
for the program settings pages."""

import operator
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alongside.accounts.models import (
    SITE_SCOPED_ROLES,
    STAFF_ROLES,
    Membership,
    MembershipQuerySet,
    Role,
    User,
)
from alongside.accounts.queries import roles_of, ties_of
from alongside.programs.content import TranslatedContent
from alongside.programs.models import (
    CompetencyArea,
    ContactMethod,
    Language,
    PipelineStep,
    Program,
    Site,
    TrainingModule,
)
from alongside.programs.questions import ANSWERS, QUESTIONS, crisis_answer_texts

# Where `remember_role_in` keeps what a query read of the user's roles in a program.
_KNOWN_ROLES = "_alongside_roles_in_programs"


def _memberships(user: User, roles: Collection[Role]) -> MembershipQuerySet:
    return Membership.objects.filter(
        user_id=user.pk, role__in=list(roles), is_active=True, program__is_active=True
    )


def program_ids_for(user: User, roles: Collection[Role]) -> QuerySet[Any, int]:
    """Ids of the programs where the user holds one of `roles` for the whole program (a
    subquery, not a list). A role tied to sites does not count: what it may see, each query
    asks `in_site_scope` and `from_own_sites` (ADR 0013)."""
    if user.is_superuser and Role.ADMINISTRATOR in roles:
        return Program.objects.filter(is_active=True).values_list("id", flat=True)
    return _memberships(user, roles).central().values_list("program_id", flat=True)


def program_ids_with_role(user: User, roles: Collection[Role]) -> QuerySet[Any, int]:
    """Ids of the programs where the user holds one of `roles`, whole or tied to sites: for
    what a role reaches wherever it is held (what names the user themself)."""
    if user.is_superuser and Role.ADMINISTRATOR in roles:
        return program_ids_for(user, roles)
    return _memberships(user, roles).values_list("program_id", flat=True)


def tied_program_ids(user: User, roles: Collection[Role]) -> QuerySet[Any, int]:
    """Ids of the programs where the user holds one of `roles` tied to sites."""
    return _memberships(user, roles).tied().values_list("program_id", flat=True)


def tied_site_ids(
    user: User, roles: Collection[Role], *, employer_blind: bool | None = None
) -> QuerySet[Any, int]:
    """Ids of the sites the user's roles among `roles` are tied to; only in employer-blind
    programs, or only in the others, when `employer_blind` says."""
    memberships = _memberships(user, roles).tied()
    if employer_blind is not None:
        memberships = memberships.filter(program__is_employer_blind=employer_blind)
    return memberships.values_list("sites", flat=True)


# A condition no row meets: what a tied role's condition is for a user who holds none.
NOTHING = Q(pk__in=[])


def from_own_sites(user: User, *, site: str, program: str = "program_id") -> Q:
    """The rows about a person (a request, its match) that the employer-blind rule hides from
    this user whatever else they hold: in an employer-blind program where any of their roles is
    tied to sites, those from one of those sites or from a site not known. A person at site S
    is never seen by anyone whose scope includes S but the program's central team (ADR 0013).
    `site` and `program` are the row's paths to the person's site and program."""
    if not ties_of(user):
        return NOTHING
    blind_and_tied = tied_program_ids(user, SITE_SCOPED_ROLES).filter(
        program__is_employer_blind=True
    )
    return Q(**{f"{program}__in": blind_and_tied}) & (
        Q(**{f"{site}__isnull": True})
        | Q(**{f"{site}__in": tied_site_ids(user, SITE_SCOPED_ROLES, employer_blind=True)})
    )


def in_site_scope(
    user: User, roles: Collection[Role], *, site: str, program: str = "program_id"
) -> Q:
    """The rows about a person that the user's roles among `roles` tied to sites reach: in an
    ordinary program those from one of their sites; in an employer-blind one those from a
    known site that is none of theirs (not `from_own_sites`)."""
    return reduce(operator.or_, site_scope_parts(user, roles, site=site, program=program), NOTHING)


def site_scope_parts(
    user: User, roles: Collection[Role], *, site: str, program: str = "program_id"
) -> tuple[Q, ...]:
    """`in_site_scope`'s conditions, ordinary programs' and employer-blind ones' (none for a
    user who holds none of `roles` tied to sites), each driven by a few ids: a query that
    reads the rows through a subquery reads each in its own, which the database answers from
    an index (one subquery of both would scan the table)."""
    if not ties_of(user) & set(roles):
        return ()
    ordinary = Q(**{f"{site}__in": tied_site_ids(user, roles, employer_blind=False)})
    blind = Q(
        **{f"{program}__in": tied_program_ids(user, roles).filter(program__is_employer_blind=True)}
    ) & ~from_own_sites(user, site=site, program=program)
    return ordinary, blind


def members_of(program: Program | int, roles: Collection[Role]) -> QuerySet[User]:
    """The active people holding one of `roles` for the whole program, each once (one query):
    a role tied to sites is told only what its sites allow, by whoever tells it."""
    return User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(program=program, role__in=list(roles), is_active=True)
        .central()
        .values("user_id"),
    ).order_by("pk")


def holds_role_in(user: User, roles: Collection[Role], program_id: int) -> bool:
    """Whether the user holds one of `roles` in this one program (superusers administer all).

    Ask this rather than filtering `program_ids_for`, whose rows differ for a superuser. A
    query that read the answer with its row (`role_in_program`) saves asking again for the
    same user object, which each request loads afresh (`remember_role_in`).
    """
    known = getattr(user, _KNOWN_ROLES, {}).get((frozenset(roles), program_id))
    if known is not None:
        return bool(known)
    return Program.objects.filter(pk=program_id, pk__in=program_ids_for(user, roles)).exists()


def role_in_program(user: User, roles: Collection[Role], field: str = "program_id") -> Any:
    """An annotation: whether the user holds one of `roles` in the row's program, read in the
    row's own query (`remember_role_in` keeps the answer for `holds_role_in`)."""
    return ExpressionWrapper(
        Q(**{f"{field}__in": program_ids_for(user, roles)}), output_field=BooleanField()
    )


def remember_role_in(user: User, roles: Collection[Role], program_id: int, holds: bool) -> None:
    """Keeps, on this user object, whether they hold one of `roles` in the program."""
    known: dict[tuple[frozenset[Role], int], bool] = getattr(user, _KNOWN_ROLES, {})
    known[frozenset(roles), program_id] = bool(holds)
    setattr(user, _KNOWN_ROLES, known)


def programs_staffed_by(user: User) -> QuerySet[Program]:
    """The programs the user coordinates or administers, by name: those whose settings,
    supporters, requests, sessions and rota they manage."""
    return Program.objects.filter(pk__in=program_ids_for(user, STAFF_ROLES)).order_by("name")


def pipeline_steps_of(program: Program) -> QuerySet[PipelineStep]:
    """The program's current steps in order, each with how many records supporters have of it."""
    return (
        PipelineStep.objects.current()
        .filter(program=program)
        .select_related("program")
        .annotate(record_count=Count("records"))
        .order_by("order")
    )


@dataclass(frozen=True)
class TrainingRow:
    module: TrainingModule
    record_count: int
    covers: list[str]


def training_modules_of(program: Program) -> list[TrainingRow]:
    """The program's current trainings by name: how often completed, what each covers."""
    labels = dict(CompetencyArea.choices)
    return [
        TrainingRow(
            module=module,
            record_count=module.record_count,
            covers=[str(labels.get(area, area)) for area in module.competency_areas],
        )
        for module in TrainingModule.objects.current()
        .filter(program=program)
        .select_related("program")
        .annotate(record_count=Count("records"))
        .order_by("name")
    ]


def retired_names(program: Program) -> dict[str, list[str]]:
    """The steps and trainings retired from the program, kept for supporters' records."""
    return {
        "steps": list(
            PipelineStep.objects.filter(program=program, retired_at__isnull=False)
            .order_by("name")
            .values_list("name", flat=True)
        ),
        "trainings": list(
            TrainingModule.objects.filter(program=program, retired_at__isnull=False)
            .order_by("name")
            .values_list("name", flat=True)
        ),
    }


def can_create_programs(user: User) -> bool:
    """Administrators (of any program, or of the installation) may create programs."""
    return Role.ADMINISTRATOR in roles_of(user)


def administers(user: User, program: Program) -> bool:
    return holds_role_in(user, [Role.ADMINISTRATOR], program.pk)


def sites_of(program: Program) -> QuerySet[Site]:
    return Site.objects.filter(program=program).order_by("name")


@dataclass(frozen=True)
class SetupRow:
    """One section of a program's settings: its page and what it says now, in a few words."""

    url_name: str
    title: str
    now: str


def _ways_in(program: Program) -> str:
    ways = [
        str(label)
        for accepted, label in (
            (program.accepts_public_requests, _("the public request form")),
            (program.accepts_phone_requests, _("phone")),
            (program.accepts_referrals, _("referrals")),
        )
        if accepted
    ]
    return ", ".join(ways) if ways else str(_("none yet: the program takes no requests"))


def _blindness(program: Program) -> str:
    if program.is_employer_blind:
        return str(_("Employer-blind: a request is hidden from the team at the person's site."))
    return str(_("Not employer-blind."))


def texts_not_written(program: Program, parts: Sequence[TranslatedContent]) -> dict[str, int]:
    """For each of the program's other languages, how many of its own texts (name,
    description, crisis lines, crisis questions and answers, and those of `parts`: its
    current steps and trainings) are not written in it yet."""
    missing: dict[str, int] = {}
    for row in [program, *parts]:
        row_missing = row.missing_translations(program.content_languages()[1:])
        for language, fields in row_missing.items():
            missing[language] = missing.get(language, 0) + len(fields)
    phrases = [
        *((QUESTIONS, question["key"]) for question in program.crisis_questions or []),
        *((ANSWERS, answer) for answer in crisis_answer_texts(program)),
    ]
    for group, key in phrases:
        written = program.phrases(group, key)
        for language in program.content_languages()[1:]:
            if language not in written:
                missing[language] = missing.get(language, 0) + 1
    return missing


def _languages_now(program: Program, parts: Sequence[TranslatedContent]) -> str:
    languages = dict(Language.choices)
    methods = dict(ContactMethod.choices)
    now = (
        ", ".join(str(languages.get(code, code)) for code in program.languages)
        + "; "
        + ", ".join(str(methods.get(code, code)) for code in program.contact_methods)
    )
    for language, count in texts_not_written(program, parts).items():
        now += " " + ngettext(
            "%(language)s: %(count)d text not written yet.",
            "%(language)s: %(count)d texts not written yet.",
            count,
        ) % {"language": languages.get(language, language), "count": count}
    return now


def setup_summary(program: Program, parts: Sequence[TranslatedContent] = ()) -> list[SetupRow]:
    """The sections of a program's settings, each with a summary of what it holds (how many
    of its texts, and of `parts`', are not written in each of its languages yet)."""
    rules = len(program.eligibility_rules or [])
    return [
        SetupRow(
            "programs:edit_general",
            _("General and ways in"),
            " ".join([_("Ways in: %(ways)s.") % {"ways": _ways_in(program)}, _blindness(program)]),
        ),
        SetupRow(
            "programs:edit_languages",
            _("Languages and contact methods"),
            _languages_now(program, parts),
        ),
        SetupRow(
            "programs:edit_rules",
            _("Eligibility rules"),
            ngettext("%(count)d rule.", "%(count)d rules.", rules) % {"count": rules},
        ),
        SetupRow(
            "programs:edit_schedule",
            _("Schedule and calendar"),
            ngettext(
                "Contact within %(days)d business day, %(zone)s.",
                "Contact within %(days)d business days, %(zone)s.",
                program.sla_business_days,
            )
            % {"days": program.sla_business_days, "zone": program.time_zone},
        ),
        SetupRow(
            "programs:edit_safety",
            _("Safety"),
            _("Crisis lines set.") if program.crisis_message else _("No crisis lines yet."),
        ),
        SetupRow(
            "programs:edit_reporting",
            _("Funder reports"),
            _("Counts below %(minimum)d are shown as “fewer than %(minimum)d”.")
            % {"minimum": program.report_minimum_count},
        ),
    ]


def active_programs() -> QuerySet[Program]:
    """The programs that are running, for visitors to ask for support or apply."""
    return Program.objects.filter(is_active=True)


def current_step_names(programs: Iterable[Program]) -> list[str]:
    """The names of the programs' current pipeline steps, in order, each once."""
    names = (
        PipelineStep.objects.current()
        .filter(program__in=list(programs))
        .order_by("order")
        .values_list("name", flat=True)
    )
    return list(dict.fromkeys(names))
