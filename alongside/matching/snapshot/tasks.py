"""The worker's part of the snapshot: rebuilding a program's, whole, away from any page."""

from django.tasks import task

from alongside.matching.snapshot import store


@task
def rebuild_snapshot(program_id: int) -> None:
    store.rebuild_program(program_id)
