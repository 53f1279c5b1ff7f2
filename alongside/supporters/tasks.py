"""Background tasks: each takes ids and calls one service."""

from django.tasks import task

from alongside.supporters import steps


@task
def place_program_again(program_id: int) -> None:
    steps.place_program_again(program_id)


def place_program_again_later(program_id: int) -> None:
    """Queue `place_program_again`: huey takes it once the transaction commits."""
    place_program_again.enqueue(program_id)
