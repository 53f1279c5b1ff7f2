"""What the demo programs share: the demo logins, the seeded randomness, the taxonomy's helper.

The people, places and numbers are fictional (example.org addresses, 555-01xx phone numbers).
"""

import datetime as dt
import random
import uuid
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import slugify

from alongside.accounts.models import Role, User
from alongside.accounts.services import grant_role, open_account, save_account
from alongside.demo.names import NAMES
from alongside.programs.models import Experience, Language, Program
from alongside.programs.services import add_experience

SEED = 20240917
DEMO_DOMAIN = "alongside.example"
DEMO_PASSWORD = "alongside-demo"  # noqa: S105  (the demo's own accounts only)
# Submission tokens are derived from this namespace, so a request is never submitted twice.
TOKEN_NAMESPACE = uuid.UUID("5b0f3c1e-7d2a-4c55-9a61-2f1f0e6d9c41")

MS_SLUG = "ms-peer-support"
HCW_SLUG = "hcw-peer-support"
BC_SLUG = "vch-peer-support-workers"
DEMO_PROGRAM_SLUGS = (MS_SLUG, HCW_SLUG, BC_SLUG)


@dataclass(frozen=True)
class DemoLogin:
    """A demo account with a known e-mail address; every one uses DEMO_PASSWORD."""

    email: str
    first_name: str
    last_name: str
    role: Role
    program_slug: str | None  # None: every demo program


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(f"admin@{DEMO_DOMAIN}", "Alex", "Morgan", Role.ADMINISTRATOR, None),
    DemoLogin(f"coordinator.ms@{DEMO_DOMAIN}", "Maryse", "Tremblay", Role.COORDINATOR, MS_SLUG),
    DemoLogin(f"coordinator.hcw@{DEMO_DOMAIN}", "Dana", "Whitaker", Role.COORDINATOR, HCW_SLUG),
    DemoLogin(f"coordinator.bc@{DEMO_DOMAIN}", "Grace", "Leung", Role.COORDINATOR, BC_SLUG),
    # The coordinator of one community team (Richmond): tied to it, she sees its clients and
    # workers; matching, reports and settings stay with the program's central team (ADR 0013).
    DemoLogin(f"coordinator.richmond.bc@{DEMO_DOMAIN}", "Mei", "Chen", Role.COORDINATOR, BC_SLUG),
    DemoLogin(f"supervisor.bc@{DEMO_DOMAIN}", "Harjit", "Sandhu", Role.SUPERVISOR, BC_SLUG),
    # A manager at the network's first facility, supervising its peer supporters: tied to it,
    # she never sees a request from anyone who works there (ADR 0013).
    DemoLogin(f"manager.hcw@{DEMO_DOMAIN}", "Colleen", "Byrne", Role.SUPERVISOR, HCW_SLUG),
    DemoLogin(f"supporter.ms@{DEMO_DOMAIN}", "Claire", "Bouchard", Role.SUPPORTER, MS_SLUG),
    DemoLogin(f"supporter.hcw@{DEMO_DOMAIN}", "Renee", "Alvarez", Role.SUPPORTER, HCW_SLUG),
    DemoLogin(f"referrer.bc@{DEMO_DOMAIN}", "Priya", "Nair", Role.REFERRER, BC_SLUG),
    DemoLogin(f"privacy.hcw@{DEMO_DOMAIN}", "Noor", "Rahman", Role.PRIVACY_LEAD, HCW_SLUG),
)

PROGRAM_NAMES: dict[str, str] = {
    MS_SLUG: "MS Peer Support Program",
    HCW_SLUG: "Health Care Worker Peer Support Network",
    BC_SLUG: "Community Mental Health Peer Support Workers",
}


def demo_login(email: str) -> DemoLogin:
    return next(login for login in DEMO_LOGINS if login.email == email)


@dataclass
class ProgramSummary:
    slug: str
    name: str
    created: bool
    supporters: int = 0
    requests: int = 0
    matches: int = 0
    contacts: int = 0


@dataclass
class Seeder:
    """What building one program needs: the clock, seeded randomness, names already taken."""

    now: dt.datetime
    rng: random.Random
    password_hash: str
    admin: User | None = None
    used_emails: set[str] = field(default_factory=set)

    @property
    def by(self) -> User:
        """Who the demo acts as when nobody in particular does: its administrator (whose
        account is opened first, when a program is built on its own)."""
        if self.admin is None:
            return self.open_admin(demo_login(f"admin@{DEMO_DOMAIN}"))
        return self.admin

    @property
    def today(self) -> dt.date:
        return timezone.localdate(self.now)

    def name(self, language: str) -> tuple[str, str]:
        """A made-up first and last name for someone who speaks `language` (English when the
        demo has no names in that language)."""
        first_names, last_names = NAMES.get(language, NAMES[Language.ENGLISH])
        return self.rng.choice(first_names), self.rng.choice(last_names)

    def email(self, first_name: str, last_name: str, domain: str = "example.org") -> str:
        base = f"{slugify(first_name)}.{slugify(last_name)}".replace("-", "")
        candidate, number = f"{base}@{domain}", 1
        while candidate in self.used_emails or (
            domain == "example.org" and User.objects.filter(email=candidate).exists()
        ):
            number += 1
            candidate = f"{base}{number}@{domain}"
        self.used_emails.add(candidate)
        return candidate

    def account(
        self,
        *,
        email: str,
        first_name: str,
        last_name: str,
        time_zone: str,
        language: str = "en",
        staff: bool = False,
    ) -> User:
        """The account for `email`, opened through the accounts service unless it exists, then
        given the demo password (hashed once: hashing is slow), time zone and language by the
        demo administrator, as an administrator edits an account. Demo staff set up their
        authenticator app at first sign-in, as real staff do."""
        user, created = open_account(
            email=email, first_name=first_name, last_name=last_name, opened_by=self.admin
        )
        if not created:
            return user
        user.password = self.password_hash
        user.time_zone = time_zone
        user.language = language
        fields = ["password", "time_zone", "language"]
        if staff:
            user.is_staff = user.is_superuser = True
            fields += ["is_staff", "is_superuser"]
        # The first account, the demo administrator's, is set up by nobody but itself.
        return save_account(user=user, changed_fields=fields, created=False, by=self.admin or user)

    def person(self, language: str, time_zone: str) -> User:
        """An account with a made-up name and an example.org address."""
        first_name, last_name = self.name(language)
        return self.account(
            email=self.email(first_name, last_name),
            first_name=first_name,
            last_name=last_name,
            time_zone=time_zone,
            language="fr-ca" if language == Language.FRENCH else "en",
        )

    def person_with_role(self, role: Role, program: Program) -> User:
        """Someone with a made-up name holding `role` in `program`."""
        user = self.person(Language.ENGLISH, program.time_zone)
        grant_role(user=user, program=program, role=role, granted_by=self.by)
        return user

    def open_admin(self, login: DemoLogin) -> User:
        """The demo administrator, who administers every demo program (and the Django admin)."""
        self.admin = self.account(
            email=login.email,
            first_name=login.first_name,
            last_name=login.last_name,
            time_zone="America/Toronto",
            staff=True,
        )
        return self.admin

    def account_for(self, login: DemoLogin, program: Program) -> User:
        """The demo login's account, in `program`'s time zone."""
        return self.account(
            email=login.email,
            first_name=login.first_name,
            last_name=login.last_name,
            time_zone=program.time_zone,
        )

    def login_user(self, login: DemoLogin, program: Program) -> User:
        """The demo login's account, holding its role in `program`."""
        user = self.account_for(login, program)
        grant_role(user=user, program=program, role=login.role, granted_by=self.by)
        return user

    def years_ago(self, low: float, high: float) -> dt.date:
        return self.today - dt.timedelta(days=round(365.25 * self.rng.uniform(low, high)))

    def moment(self, program: Program, days_ago: float, *, office_hours: bool) -> dt.datetime:
        """A past moment about `days_ago` days back, at a plausible local hour."""
        local = (self.now - dt.timedelta(days=days_ago)).astimezone(program.calendar.zone)
        hour = self.rng.randint(9, 16) if office_hours else self.rng.randint(7, 21)
        moment = local.replace(hour=hour, minute=self.rng.randint(0, 59), second=0, microsecond=0)
        while moment > self.now - dt.timedelta(minutes=30):
            moment -= dt.timedelta(days=1)
        return moment.astimezone(dt.UTC)

    def between(
        self, program: Program, start: dt.datetime, end: dt.datetime, hours: tuple[int, int]
    ) -> dt.datetime:
        """A moment after `start` and before `end`, at a local hour within `hours` if we can."""
        if end <= start:
            return start
        span = (end - start).total_seconds()
        for _attempt in range(40):
            local = (start + dt.timedelta(seconds=self.rng.uniform(0, span))).astimezone(
                program.calendar.zone
            )
            moment = local.replace(hour=self.rng.randint(*hours), minute=self.rng.randint(0, 59))
            if start < moment < end:
                return moment.astimezone(dt.UTC)
        return start + dt.timedelta(seconds=self.rng.uniform(0, span))


# --- The taxonomy and phone numbers ----------------------------------------------------------


def experience(
    seeder: Seeder, slug: str, name: str, category: str, allied_to: Experience | None = None
) -> Experience:
    """The experience with this code, added through the programs service unless it exists."""
    existing = Experience.objects.filter(slug=slug).first()
    if existing is not None:
        return existing
    return add_experience(
        by=seeder.by, slug=slug, name=name, category=category, allied_to=allied_to
    )


def phone(area_code: str, rng: random.Random) -> str:
    """A fictional number: 555-0100 to 555-0199 is set aside for fiction."""
    return f"+1{area_code}55501{rng.randint(0, 99):02d}"


def login_rows() -> list[tuple[str, str, str, str]]:
    """(e-mail, role, program, password) for each demo login."""
    rows = []
    for login in DEMO_LOGINS:
        program = (
            PROGRAM_NAMES[login.program_slug]
            if login.program_slug
            else "All demo programs + Django admin"
        )
        rows.append((login.email, str(login.role.label), program, DEMO_PASSWORD))
    return rows
