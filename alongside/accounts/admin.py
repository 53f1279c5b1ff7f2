from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.forms import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse

from alongside.accounts import services
from alongside.accounts.models import Membership, User


class MembershipForm(forms.ModelForm[Membership]):
    """A role once given keeps its program and role; unticking "active" removes it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["program"].disabled = True
            self.fields["role"].disabled = True


class MembershipInline(admin.TabularInline[Membership, User]):
    """Roles are granted and removed through accounts.services, which audits each one."""

    model = Membership
    form = MembershipForm
    fields = ["program", "role", "is_active"]
    extra = 0
    can_delete = False


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            "Person",
            {"fields": ("first_name", "last_name", "preferred_name", "language", "time_zone")},
        ),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # People leave by losing their roles and being made inactive; their history stays theirs.
        return False

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        # Django's own page saves the password itself: audited here when it changed.
        accounts = User.objects.filter(pk=unquote(id))
        before = accounts.values_list("password", flat=True).first()
        with transaction.atomic():
            response: HttpResponse = super().user_change_password(request, id, form_url)
            user = accounts.first()
            if user is not None and user.password != before:
                services.record_password_set_by_administrator(
                    user=user,
                    by=request.user,  # type: ignore[arg-type]
                )
        return response

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.save_account(
            user=obj,
            changed_fields=form.changed_data,
            created=not change,
            by=request.user,  # type: ignore[arg-type]
        )

    def save_formset(
        self,
        request: HttpRequest,
        form: Any,
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        # What the admin's own history ("change message") reads from a saved formset.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for membership_form in formset.forms:
            if not membership_form.has_changed():
                continue
            if membership_form.instance.pk is None:
                formset.new_objects.append(membership_form.instance)
            else:
                formset.changed_objects.append(
                    (membership_form.instance, membership_form.changed_data)
                )
            self._save_membership(request, membership_form.instance, form.instance)

    def _save_membership(self, request: HttpRequest, membership: Membership, user: User) -> None:
        if not membership.is_active:
            if membership.pk is not None:
                services.remove_role(
                    membership=Membership.objects.get(pk=membership.pk),
                    removed_by=request.user,  # type: ignore[arg-type]
                )
            return
        services.grant_role(
            user=user,
            program=membership.program,
            role=membership.role,  # type: ignore[arg-type]
            granted_by=request.user,  # type: ignore[arg-type]
        )
