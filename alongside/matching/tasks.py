"""Background tasks: each takes ids and calls one service."""

import uuid

from django.tasks import task

from alongside.accounts.models import User
from alongside.matching import runs
from alongside.programs.models import Program


@task
def match_everyone(run_id: int) -> None:
    runs.run_matching(run_id)


@task
def send_run(program_id: int, batch: str, sent_by_id: int) -> None:
    runs.send_batch(
        program=Program.objects.get(pk=program_id),
        batch=uuid.UUID(batch),
        sent_by=User.objects.get(pk=sent_by_id),
    )
