"""Every change to the wording of messages: a program's own wording saved, or the default
put back."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.core.audit import record_event
from alongside.core.errors import DomainError
from alongside.notifications.models import MessageTemplate
from alongside.notifications.notify import MessageKind
from alongside.notifications.wording.queries import LanguageWording, wording_in
from alongside.notifications.wording.texts import Wording, check_wording
from alongside.programs.models import Program


@transaction.atomic
def save_wording(
    *,
    kind: MessageKind,
    program: Program | None,
    language: str,
    subject: str,
    body: str,
    by: User,
) -> MessageTemplate | None:
    """Saves the program's own wording of a kind in one of its languages (without a program,
    the wording of every program); audited. Every message of that kind queued afterwards, in
    that language, is written with it.

    Wording the same as what is sent without it puts that back instead (returns None).
    Raises WordingError when the wording cannot be sent, DomainError for another language.
    """
    current = _wording_for(kind, program, language)
    wording = Wording(subject, body).as_typed()
    check_wording(kind, wording)
    if wording == current.fallback.as_typed():
        revert_wording(kind=kind, program=program, language=language, by=by)
        return None
    template = _saved(kind, program, language) or MessageTemplate(
        program=program, key=kind.key, language=language
    )
    before = Wording(template.subject, template.body) if template.pk else None
    if before == wording:
        return template
    template.subject, template.body = wording.subject, wording.body
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError as error:
        raise DomainError(
            _("Someone saved this wording at the same moment. Check it, then save yours again.")
        ) from error
    record_event(
        actor=by,
        action="notifications.wording.changed",
        target=template,
        data={"kind": kind.key, "language": language, "before": _as_data(before)},
    )
    return template


@transaction.atomic
def revert_wording(*, kind: MessageKind, program: Program | None, language: str, by: User) -> bool:
    """Puts back the default wording of a kind in one language: the program's own is removed
    (audited, with the text it had). False when there was none."""
    _wording_for(kind, program, language)
    template = _saved(kind, program, language)
    if template is None:
        return False
    record_event(
        actor=by,
        action="notifications.wording.reverted",
        target=template,
        data={
            "kind": kind.key,
            "language": language,
            "before": _as_data(Wording(template.subject, template.body)),
        },
    )
    template.delete()
    return True


def _wording_for(kind: MessageKind, program: Program | None, language: str) -> LanguageWording:
    found = wording_in(kind, program, language)
    if found is None:
        raise DomainError(_("This language is not one of the program's languages."))
    return found


def _saved(kind: MessageKind, program: Program | None, language: str) -> MessageTemplate | None:
    return (
        MessageTemplate.objects.select_for_update()
        .filter(program=program, key=kind.key, language=language)
        .first()
    )


def _as_data(wording: Wording | None) -> dict[str, str] | None:
    return None if wording is None else {"subject": wording.subject, "body": wording.body}
