"""Every app's periodic jobs: each declares its own in `<app>/jobs.py` as `JOBS`."""

from functools import cache
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule

from alongside.core.periodic import Job


@cache
def all_jobs() -> tuple[Job, ...]:
    """The jobs of every installed app of ours, in the order of INSTALLED_APPS."""
    jobs: list[Job] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("alongside.") or config.module is None:
            continue
        if module_has_submodule(config.module, "jobs"):
            jobs.extend(getattr(import_module(f"{config.name}.jobs"), "JOBS", ()))
    names = [job.name for job in jobs]
    duplicated = {name for name in names if names.count(name) > 1}
    if duplicated:
        raise ValueError(f"Two periodic jobs share a name: {', '.join(sorted(duplicated))}")
    return tuple(jobs)


def job_named(name: str) -> Job:
    for job in all_jobs():
        if job.name == name:
            return job
    raise LookupError(f"No periodic job is named {name!r}.")
