"""The province's programs and their staff, set up through the services as the demo's are.

The programs take the demo's three shapes in turn (setup.py): the MS program's (public form and
phone, six-month matches, check-ins), the health care workers' network (roles at work, four
facilities, matched across facilities) and the community mental health teams' (referrals only,
four clinics, goal-based). The largest program is the first, of the MS shape.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from alongside.accounts.models import Role, User
from alongside.demo.bc import BC_SITES, bc_experiences, bc_setup
from alongside.demo.hcw import HCW_SITES, hcw_experiences, hcw_setup, match_across_facilities
from alongside.demo.ms import ms_experiences, ms_setup
from alongside.demo.province.sizes import PROVINCE_DOMAIN, PROVINCE_SLUG_PREFIX, ProvinceSizes
from alongside.demo.setup import ProgramSetup, add_sites, set_up_program
from alongside.demo.shared import DemoLogin, Seeder
from alongside.programs.models import Experience, Program, Site, SiteKind
from alongside.supporters.services.pipeline import create_default_pipeline

ADMIN_LOGIN = DemoLogin(f"admin@{PROVINCE_DOMAIN}", "Sam", "Okafor", Role.ADMINISTRATOR, None)
COORDINATOR_EMAIL = f"coordinator@{PROVINCE_DOMAIN}"

REGIONS = (
    "Toronto",
    "Ottawa",
    "Hamilton",
    "London",
    "Sudbury",
    "Kingston",
    "Windsor",
    "Thunder Bay",
    "Barrie",
    "Peterborough",
)


@dataclass(frozen=True)
class Shape:
    name: str
    experiences: Callable[[Seeder], list[Experience]]
    setup: Callable[[list[Experience]], ProgramSetup]
    sites: tuple[tuple[str, str], ...] = ()
    site_kind: str = SiteKind.FACILITY


MS = Shape("ms", ms_experiences, ms_setup)
HCW = Shape("hcw", hcw_experiences, hcw_setup, HCW_SITES, SiteKind.FACILITY)
BC = Shape("bc", bc_experiences, bc_setup, BC_SITES, SiteKind.CLINIC)
SHAPES = (MS, HCW, BC)


@dataclass
class ProvinceProgram:
    """One program of the province, with what building its people needs."""

    number: int  # 1 for the largest
    shape: Shape
    program: Program
    experiences: list[Experience]
    coordinators: list[User]
    sites: list[Site] = field(default_factory=list)
    referrer: User | None = None

    @property
    def coordinator(self) -> User:
        return self.coordinators[0]

    @property
    def takes_referrals_only(self) -> bool:
        return self.program.accepts_referrals and not self.program.accepts_public_requests


def coordinator_email(program_number: int, coordinator_number: int) -> str:
    """coordinator@, coordinator2@ … for the largest program; coordinator.p3@ … for the others."""
    if program_number == 1:
        suffix = "" if coordinator_number == 1 else str(coordinator_number)
        return f"coordinator{suffix}@{PROVINCE_DOMAIN}"
    return f"coordinator.p{program_number}@{PROVINCE_DOMAIN}"


def province_slug(number: int) -> str:
    return f"{PROVINCE_SLUG_PREFIX}{number:02d}"


def _setup_for(shape: Shape, experiences: list[Experience], number: int) -> ProgramSetup:
    """The shape's settings under the program's own name, slug and address."""
    setup = shape.setup(experiences)
    region = REGIONS[(number - 1) % len(REGIONS)]
    translations = {
        language: {**texts, **({"name": f"{texts['name']} ({region})"} if "name" in texts else {})}
        for language, texts in setup.translations.items()
    }
    return replace(
        setup,
        slug=province_slug(number),
        name=f"{setup.name} ({region})",
        contact_email=f"program{number}@{PROVINCE_DOMAIN}",
        translations=translations,
    )


def set_up_programs(seeder: Seeder, sizes: ProvinceSizes) -> list[ProvinceProgram]:
    """Every program of the province, with its administrator, coordinators, pipeline, sites
    and (for a referral program) a referrer."""
    seeder.open_admin(ADMIN_LOGIN)
    return [
        _set_up_program(seeder, number, SHAPES[(number - 1) % len(SHAPES)], sizes)
        for number in range(1, sizes.programs + 1)
    ]


def _set_up_program(
    seeder: Seeder, number: int, shape: Shape, sizes: ProvinceSizes
) -> ProvinceProgram:
    experiences = shape.experiences(seeder)
    program = set_up_program(seeder, _setup_for(shape, experiences, number))
    seeder.login_user(ADMIN_LOGIN, program)
    count = sizes.coordinators if number == 1 else 1
    coordinators = [
        _staff(seeder, program, coordinator_email(number, index), Role.COORDINATOR)
        for index in range(1, count + 1)
    ]
    create_default_pipeline(program=program, created_by=coordinators[0])
    built = ProvinceProgram(number, shape, program, experiences, coordinators)
    if shape.sites:
        built.sites = add_sites(seeder, program, shape.sites, kind=shape.site_kind)
    if shape is HCW:
        match_across_facilities(program, coordinators[0])
    if program.accepts_referrals:
        built.referrer = _staff(
            seeder, program, f"referrer.p{number}@{PROVINCE_DOMAIN}", Role.REFERRER
        )
    return built


def _staff(seeder: Seeder, program: Program, email: str, role: Role) -> User:
    """An account with the demo password holding `role` in `program`, through the services
    (staff set up their authenticator app at first sign-in, as the demo's do)."""
    first_name, last_name = seeder.name("en")
    login = DemoLogin(email, first_name, last_name, role, program.slug)
    return seeder.login_user(login, program)
