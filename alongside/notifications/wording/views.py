"""The wording pages: every kind of message a program sends, and each kind's wording in each of
its languages, with a preview. A program's coordinators word their program's messages; an
administrator words them for every program (a program's own wording wins)."""

from collections.abc import Mapping
from dataclasses import asdict, dataclass

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import STAFF_ROLES, Role
from alongside.core.confirm import Confirmation, confirmation_page
from alongside.core.errors import DomainError
from alongside.notifications.forms import WordingForm
from alongside.notifications.notify import MessageKind
from alongside.notifications.wording import services
from alongside.notifications.wording.kinds import kind_or_404
from alongside.notifications.wording.queries import (
    LanguageWording,
    Source,
    channels_of,
    wording_overview,
    wordings_of,
)
from alongside.notifications.wording.texts import (
    Preview,
    WordingError,
    placeholders,
    preview,
    written_from_details,
)
from alongside.programs.models import Program
from alongside.programs.permissions import get_program_for

DEFAULT_AGAIN = gettext_lazy("“%(name)s”, %(language)s: the default wording is sent again.")


@signed_in(*STAFF_ROLES)
@require_GET
def program_wording(request: AuthenticatedRequest, program_id: int) -> HttpResponse:
    return _overview(request, get_program_for(request.user, program_id))


@signed_in(Role.ADMINISTRATOR)
@require_GET
def installation_wording(request: AuthenticatedRequest) -> HttpResponse:
    return _overview(request, None)


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def edit_program_wording(request: AuthenticatedRequest, program_id: int, key: str) -> HttpResponse:
    return _edit(request, get_program_for(request.user, program_id), kind_or_404(key))


@signed_in(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def edit_installation_wording(request: AuthenticatedRequest, key: str) -> HttpResponse:
    return _edit(request, None, kind_or_404(key))


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def revert_program_wording(
    request: AuthenticatedRequest, program_id: int, key: str
) -> HttpResponse:
    return _revert(request, get_program_for(request.user, program_id), kind_or_404(key))


@signed_in(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def revert_installation_wording(request: AuthenticatedRequest, key: str) -> HttpResponse:
    return _revert(request, None, kind_or_404(key))


def _overview(request: AuthenticatedRequest, program: Program | None) -> HttpResponse:
    return render(
        request,
        "notifications/wording_list.html",
        {"program": program, "topics": wording_overview(program)},
    )


@dataclass(frozen=True)
class Column:
    """One language on a kind's page: its wordings, the form, and a preview."""

    wording: LanguageWording
    form: WordingForm
    preview: Preview | None  # None when the wording typed cannot be sent
    previewing: bool  # the preview is of the wording typed, not yet saved
    default_preview: Preview | None  # a default written from each message's details
    source_label: str  # where what is sent now comes from
    revert_url: str  # empty when there is no wording of one's own to remove

    @property
    def text_warning(self) -> str:
        """Why the text message is long, when it goes in several parts."""
        if self.preview is None or self.preview.text_parts < 2:
            return ""
        return _text_message_warning(self.preview)


def _edit(
    request: AuthenticatedRequest, program: Program | None, kind: MessageKind
) -> HttpResponse:
    wordings = wordings_of(kind, program)
    posted = request.POST.get("language") if request.method == "POST" else None
    if posted is not None and posted not in {wording.language.code for wording in wordings}:
        raise Http404
    columns = [_column(request, program, kind, wording, posted) for wording in wordings]
    if request.POST.get("action") == "save":
        (column,) = [column for column in columns if column.wording.language.code == posted]
        saved = _save(request, program, kind, column)
        if saved is not None:
            return saved
    return render(
        request,
        "notifications/wording_edit.html",
        {
            "program": program,
            "kind": kind,
            "columns": columns,
            "placeholders": placeholders(kind, program=program),
            "channels": channels_of(kind),
            "back_url": _list_url(program),
        },
    )


def _column(
    request: AuthenticatedRequest,
    program: Program | None,
    kind: MessageKind,
    wording: LanguageWording,
    posted: str | None,
) -> Column:
    code = wording.language.code
    typed = posted == code
    form = WordingForm(
        request.POST if typed else None,
        initial=asdict(wording.current),
        kind=kind,
        language=wording.language.label,
        language_code=code,
        prefix=code,
    )
    shown = wording.current if wording.source != Source.DEFAULT else None
    if typed:
        shown = form.wording if form.is_valid() else None
    return Column(
        wording=wording,
        form=form,
        preview=(
            preview(kind, program=program, language=code, wording=shown)
            if not typed or form.is_valid()
            else None
        ),
        previewing=typed,
        source_label=wording.source.label(program),
        default_preview=(
            preview(kind, program=program, language=code, wording=None)
            if written_from_details(kind)
            else None
        ),
        revert_url=(
            f"{_revert_url(program, kind)}?language={code}" if wording.own is not None else ""
        ),
    )


def _save(
    request: AuthenticatedRequest, program: Program | None, kind: MessageKind, column: Column
) -> HttpResponse | None:
    """Saves the wording typed and goes back to the page; None to show the page again."""
    form, language = column.form, column.wording.language
    if not form.is_valid():
        return None
    try:
        saved = services.save_wording(
            kind=kind,
            program=program,
            language=language.code,
            subject=form.wording.subject,
            body=form.wording.body,
            by=request.user,
        )
    except WordingError as problems:
        for field, found in problems.problems.items():
            for problem in found:
                form.add_error(field, problem)
        return None
    except DomainError as error:
        form.add_error(None, error.message)
        return None
    names = {"language": language.label, "name": kind.name}
    if saved is None:
        messages.success(request, DEFAULT_AGAIN % names)
    else:
        messages.success(
            request,
            _(
                "Saved: “%(name)s”, %(language)s. Every message of this kind in this language "
                "is now written this way."
            )
            % names,
        )
    if column.text_warning:
        messages.warning(request, column.text_warning)
    return redirect(f"{_edit_url(program, kind)}#wording-{language.code}")


def _revert(
    request: AuthenticatedRequest, program: Program | None, kind: MessageKind
) -> HttpResponse:
    code = request.POST.get("language", request.GET.get("language", ""))
    wording = next((w for w in wordings_of(kind, program) if w.language.code == code), None)
    if wording is None:
        raise Http404
    back = f"{_edit_url(program, kind)}#wording-{code}"
    names = {"language": wording.language.label, "name": kind.name}
    if request.method == "GET":
        return confirmation_page(request, _revert_confirmation(program, wording, names, back))
    if services.revert_wording(kind=kind, program=program, language=code, by=request.user):
        messages.success(request, DEFAULT_AGAIN % names)
    else:
        messages.info(
            request, _("“%(name)s”, %(language)s: the default wording was already sent.") % names
        )
    return redirect(back)


def _revert_confirmation(
    program: Program | None, wording: LanguageWording, names: Mapping[str, object], back: str
) -> Confirmation:
    fallback = (
        _("the wording for every program")
        if wording.everywhere is not None
        else _("the default wording")
    )
    return Confirmation(
        title=_("Go back to the default wording of “%(name)s” (%(language)s)?") % names,
        happens=[
            _("Your program's own wording in this language is removed.")
            if program is not None
            else _("The wording for every program in this language is removed."),
            _("Messages queued from now on use %(fallback)s; those already queued keep theirs.")
            % {"fallback": fallback},
            _("The removed wording is kept in the audit log."),
        ],
        button=_("Go back to the default"),
        back_url=back,
        carry={"language": wording.language.code},
    )


def _text_message_warning(preview: Preview) -> str:
    return _(
        "By text message, this goes in %(parts)d parts (%(length)d characters with the sample "
        "details): a part holds 160 characters, or 70 when the text has a letter such as ê, ç "
        "or œ, and some phones show the parts apart."
    ) % {"parts": preview.text_parts, "length": preview.text_length}


def _list_url(program: Program | None) -> str:
    if program is None:
        return reverse("notifications:installation_wording")
    return reverse("notifications:wording", args=[program.pk])


def _edit_url(program: Program | None, kind: MessageKind) -> str:
    if program is None:
        return reverse("notifications:edit_installation_wording", args=[kind.key])
    return reverse("notifications:edit_wording", args=[program.pk, kind.key])


def _revert_url(program: Program | None, kind: MessageKind) -> str:
    if program is None:
        return reverse("notifications:revert_installation_wording", args=[kind.key])
    return reverse("notifications:revert_wording", args=[program.pk, kind.key])
