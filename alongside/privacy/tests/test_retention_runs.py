"""The command and the daily job run the same pass as the service: the dry run counts, the real
run removes, a hold keeps."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from alongside.accounts.models import User
from alongside.intake.models import Peer
from alongside.periodic.models import JobRun
from alongside.periodic.runner import run_job
from alongside.privacy import services
from alongside.privacy.jobs import apply_retention
from alongside.privacy.models import Deidentified, RetentionKind
from alongside.privacy.tests.test_retention import CANARY, Old, old
from alongside.programs.models import Program

__all__ = ["old"]

AT_NIGHT = dt.datetime(2026, 12, 1, 3, 40, tzinfo=dt.UTC)


def run_command(*args: str) -> str:
    out = StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def test_the_dry_run_command_counts_per_program_and_kind_and_changes_nothing(
    program_a: Program, old: Old
) -> None:
    printed = run_command("--dry-run", "--program", program_a.slug)

    assert f"{program_a.slug} (" in printed
    for kind in RetentionKind:
        assert f"  {kind.value}: 1 would go" in printed
    assert CANARY not in printed
    assert not Deidentified.objects.exists()


def test_the_command_removes_what_the_dry_run_counted_and_keeps_what_is_held(
    program_a: Program, coordinator_a: User, old: Old
) -> None:
    services.place_legal_hold(by=coordinator_a, reason="A claim.", match=old.match)

    printed = run_command("--program", program_a.slug)

    assert "  requests: 0 went" in printed
    assert "  matches: 0 went" in printed
    assert "  applications: 1 went" in printed
    assert Peer.objects.get(pk=old.request.peer_id).first_name == CANARY


def test_the_command_refuses_a_program_that_does_not_exist(db: None) -> None:
    with pytest.raises(CommandError):
        run_command("--program", "nowhere")


def test_the_daily_job_runs_each_program_and_a_hold_keeps_its_records(
    program_a: Program, program_b: Program, coordinator_a: User, old: Old
) -> None:
    peer = Peer.objects.get(pk=old.request.peer_id)
    hold = services.place_legal_hold(by=coordinator_a, reason="A complaint.", peer=peer)

    summary = run_job(apply_retention, now=AT_NIGHT)

    assert (summary.done, summary.failed) == (2, 0)  # each program an item
    assert summary.changed == 3  # the application, the message and the audit event
    assert Peer.objects.get(pk=peer.pk).first_name == CANARY
    assert JobRun.objects.get(job="apply_retention").items_done == 2

    services.lift_legal_hold(hold=hold, by=coordinator_a, reason="Settled.")
    assert run_job(apply_retention, now=AT_NIGHT).changed == 2  # the request and the match
    assert Peer.objects.get(pk=peer.pk).first_name == ""


def test_the_job_runs_once_a_day() -> None:
    minutes = [AT_NIGHT.replace(hour=0, minute=0) + dt.timedelta(minutes=m) for m in range(1440)]
    assert [moment for moment in minutes if apply_retention.schedule(moment)] == [AT_NIGHT]
