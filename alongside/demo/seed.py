"""Build every demo program that does not exist yet: `manage.py seed_demo` calls `seed_demo()`.

Seeding is idempotent: a program whose slug already exists is left as it is. It is deterministic:
names and our own random choices are seeded per program, so they are the same on every machine.
"""

import datetime as dt
import random
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from alongside.demo.bc import build_bc_program
from alongside.demo.hcw import build_hcw_program
from alongside.demo.ms import build_ms_program
from alongside.demo.shared import (
    BC_SLUG,
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    HCW_SLUG,
    MS_SLUG,
    SEED,
    DemoLogin,
    ProgramSummary,
    Seeder,
    demo_login,
)
from alongside.programs.models import Program

BUILDERS: dict[str, Callable[[Seeder, DemoLogin], ProgramSummary]] = {
    MS_SLUG: build_ms_program,
    HCW_SLUG: build_hcw_program,
    BC_SLUG: build_bc_program,
}


def seed_demo(now: dt.datetime | None = None) -> list[ProgramSummary]:
    """Build every demo program that does not exist yet, in one transaction."""
    now = now or timezone.now()
    password_hash = ""
    admin_login = demo_login(f"admin@{DEMO_DOMAIN}")
    summaries: list[ProgramSummary] = []
    with transaction.atomic():
        for number, (slug, build) in enumerate(BUILDERS.items()):
            existing = Program.objects.filter(slug=slug).first()
            if existing is not None:
                summaries.append(ProgramSummary(slug, existing.name, created=False))
                continue
            # Seed per program, so each program's people are the same whatever else exists.
            password_hash = password_hash or make_password(DEMO_PASSWORD)
            seeder = Seeder(now=now, rng=random.Random(SEED + number), password_hash=password_hash)
            summaries.append(build(seeder, admin_login))
    return summaries
