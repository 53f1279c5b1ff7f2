"""Editing a supporter's profile, by themself or a coordinator."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import STAFF_ROLES, Role
from alongside.core.errors import DomainError
from alongside.supporters.forms.profile import LivedExperienceForm, ProfileForm
from alongside.supporters.models import LivedExperience, Supporter
from alongside.supporters.permissions import get_profile_for
from alongside.supporters.services import profile


def _after_profile(request: AuthenticatedRequest, supporter: Supporter) -> HttpResponse:
    """Back to where the editor came from: the supporter's page for staff, else the portal."""
    if profile.is_staff_of(request.user, supporter):
        return redirect("supporters:detail", supporter_id=supporter.pk)
    return redirect("my_page")


def _render_profile(
    request: AuthenticatedRequest,
    supporter: Supporter,
    *,
    form: ProfileForm | None = None,
    experience_form: LivedExperienceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    as_staff = profile.is_staff_of(request.user, supporter)
    context = {
        "supporter": supporter,
        "as_staff": as_staff,
        "form": form or ProfileForm(supporter=supporter, as_staff=as_staff),
        "experience_form": experience_form or LivedExperienceForm(supporter=supporter),
        "experiences": supporter.experiences.select_related("experience").order_by("pk"),
    }
    return render(request, "supporters/profile.html", context, status=status)


@signed_in(Role.SUPPORTER, *STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def edit_profile(request: AuthenticatedRequest, supporter_id: int) -> HttpResponse:
    """A supporter's own profile, or one a coordinator keeps for them."""
    supporter = get_profile_for(request.user, supporter_id)
    if request.method == "GET":
        profile.record_profile_viewed(supporter=supporter, viewer=request.user)
        return _render_profile(request, supporter)
    as_staff = profile.is_staff_of(request.user, supporter)
    form = ProfileForm(request.POST, supporter=supporter, as_staff=as_staff)
    if form.is_valid():
        try:
            changed = profile.update_profile(
                supporter=supporter, by=request.user, changes=form.changes()
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Profile saved.") if changed else _("Nothing to change: all as before.")
            )
            return _after_profile(request, supporter)
    return _render_profile(request, supporter, form=form)


@signed_in(Role.SUPPORTER, *STAFF_ROLES)
@require_POST
def add_experience(request: AuthenticatedRequest, supporter_id: int) -> HttpResponse:
    supporter = get_profile_for(request.user, supporter_id)
    form = LivedExperienceForm(request.POST, supporter=supporter)
    if form.is_valid():
        try:
            profile.add_lived_experience(
                supporter=supporter,
                by=request.user,
                experience=form.cleaned_data["experience"],
                relationship=form.cleaned_data["relationship"],
                since=form.since(),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Experience added."))
            return redirect("supporters:profile", supporter_id=supporter.pk)
    return _render_profile(request, supporter, experience_form=form)


@signed_in(Role.SUPPORTER, *STAFF_ROLES)
@require_POST
def remove_experience(
    request: AuthenticatedRequest, supporter_id: int, experience_id: int
) -> HttpResponse:
    supporter = get_profile_for(request.user, supporter_id)
    lived = get_object_or_404(LivedExperience, pk=experience_id, supporter=supporter)
    try:
        profile.remove_lived_experience(lived_experience=lived, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Experience removed."))
    return redirect("supporters:profile", supporter_id=supporter.pk)
