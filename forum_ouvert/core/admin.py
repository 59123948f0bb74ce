from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .admin_autocomplete import SafeAutocompleteAdmin
from .admin_guard import GuardedAdmin, ReadOnlyAdmin
from .choices import Role
from .models import AuditLog, DemoDataset, Departement, MailDelivery, Region, User, UserBlock
from .services import user_set_role


class UserRoleForm(forms.Form):
    """The admin's only road to a role (and with it ``is_staff``/``is_superuser``)."""

    role = forms.ChoiceField(label=_("Nouveau rôle"), choices=Role.choices)
    reason = forms.CharField(
        label=_("Motif"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Inscrit au journal d'audit avec votre nom, l'ancien et le nouveau rôle."),
    )


@admin.register(User)
class UserAdmin(GuardedAdmin, SafeAutocompleteAdmin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "role", "departement", "is_active", "date_joined"]
    list_filter = ["role", "is_active", "departement__region"]
    search_fields = ["email", "display_name"]
    autocomplete_fields = ["departement"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Profil"),
            {"fields": ["display_name", "public_display_consent", "departement"]},
        ),
        (
            _("Accès"),
            {"fields": ["role_and_link", "is_active", "is_staff", "is_superuser", "groups"]},
        ),
        (_("Dates"), {"fields": ["date_joined", "last_login", "anonymised_at"]}),
        (
            _("Conditions générales d'utilisation"),
            {"fields": ["terms_version", "terms_accepted_at"]},
        ),
    ]
    # A new account is a citizen; its role is then given through the audited form.
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    # Powers change only through ``user_set_role`` (audited, with a reason): never here.
    readonly_fields = [
        "role_and_link",
        "is_staff",
        "is_superuser",
        "groups",
        "date_joined",
        "last_login",
        "anonymised_at",
        # Accepted by the person only (core.services.terms_accept).
        "terms_version",
        "terms_accepted_at",
    ]

    @admin.display(description=_("rôle"))
    def role_and_link(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        url = reverse("admin:core_user_role", args=[obj.pk])
        return format_html(
            '{} — <a href="{}">{}</a>', obj.get_role_display(), url, _("Changer le rôle")
        )

    def get_urls(self):
        view = self.admin_site.admin_view(self.change_role_view)
        # The admin site's own gate (an active admin, with 2FA), stated as every view's is.
        view.access = "admin"
        return [
            path("<path:object_id>/role/", view, name="core_user_role"),
            *super().get_urls(),
        ]

    def change_role_view(self, request, object_id):
        """Change a role through the audited service, with a required reason."""
        user = self.get_object(request, unquote(object_id))
        if user is None:
            raise Http404
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        form = UserRoleForm(request.POST or None, initial={"role": user.role})
        if request.method == "POST" and form.is_valid():
            try:
                user_set_role(
                    actor=request.user,
                    user=user,
                    role=form.cleaned_data["role"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(
                    request,
                    gettext("Rôle de %(user)s : %(role)s.")
                    % {"user": user, "role": user.get_role_display()},
                )
                return HttpResponseRedirect(reverse("admin:core_user_change", args=[user.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Changer le rôle de %(user)s") % {"user": user},
            "opts": self.opts,
            "original": user,
            "form": form,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/core/user/change_role.html", context)


@admin.register(Region)
class RegionAdmin(GuardedAdmin, admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Departement)
class DepartementAdmin(GuardedAdmin, admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name"]


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only: the audit log is append-only in the database too."""

    list_display = ["created_at", "action", "actor", "target_repr", "reason"]
    list_filter = ["action", "target_type"]
    search_fields = ["action", "target_repr", "reason", "actor__email"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]


@admin.register(MailDelivery)
class MailDeliveryAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only: the e-mails sent once (``core.mail.mail_send(once=…)``); deleting a row
    would let the task send it again."""

    list_display = ["sent_at", "key", "recipient", "subject"]
    search_fields = ["key", "subject", "recipient__email"]
    date_hierarchy = "sent_at"
    list_select_related = ["recipient"]


@admin.register(UserBlock)
class UserBlockAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only: blocks are set and lifted by staff on the person's page (« Bloquer
    l'auteur », ``core.services.user_block``/``user_unblock``, audited with a reason).
    Searched as the accounts' own list is (e-mail, display name)."""

    list_display = ["user", "created_at", "until", "in_force", "lifted_at", "blocked_by"]
    list_filter = [
        ("lifted_at", admin.EmptyFieldListFilter),
        ("until", admin.EmptyFieldListFilter),
    ]
    search_fields = ["user__email", "user__display_name"]
    date_hierarchy = "created_at"
    list_select_related = ["user", "blocked_by"]

    @admin.display(boolean=True, description=_("en vigueur"))
    def in_force(self, obj: UserBlock) -> bool:
        return obj.is_active_on(timezone.now())


@admin.register(DemoDataset)
class DemoDatasetAdmin(GuardedAdmin, admin.ModelAdmin):
    list_display = ["name", "loaded_at"]
