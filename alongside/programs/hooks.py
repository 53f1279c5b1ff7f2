"""What the apps above programs do when a program's configuration changes, registered in their
AppConfig.ready.

programs sits below every domain app, so it never imports them (docs/adr/0003): supporters
places the program's supporters on their way at their step again when its steps or trainings
change (supporters/steps.py).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from alongside.core.hooks import Registry

# (program id) -> None, inside the transaction that changed the program's pipeline.
PipelineChanged = Callable[[int], None]


@dataclass
class _Hooks:
    pipeline_changed: Registry[PipelineChanged] = field(default_factory=Registry)


HOOKS = _Hooks()


def on_pipeline_changed(handler: PipelineChanged) -> None:
    HOOKS.pipeline_changed.add(handler)


def pipeline_changed(program_id: int) -> None:
    """Tell every registered app that the program's steps or trainings changed."""
    for handler in HOOKS.pipeline_changed:
        handler(program_id)
