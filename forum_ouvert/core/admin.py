from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .admin_autocomplete import SafeAutocompleteAdmin
from .models import AuditLog, DemoDataset, Departement, Region, User


@admin.register(User)
class UserAdmin(SafeAutocompleteAdmin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "role", "departement", "is_active", "date_joined"]
    list_filter = ["role", "is_active", "departement__region"]
    search_fields = ["email", "display_name"]
    autocomplete_fields = ["departement"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Profil"),
            {"fields": ["display_name", "public_display_consent", "departement", "role"]},
        ),
        (_("Accès"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["date_joined", "last_login", "anonymised_at"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "role", "password1", "password2"]})
    ]
    readonly_fields = ["date_joined", "last_login", "anonymised_at"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name"]


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only in the database too."""

    list_display = ["created_at", "action", "actor", "target_repr", "reason"]
    list_filter = ["action", "target_type"]
    search_fields = ["action", "target_repr", "reason", "actor__email"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DemoDataset)
class DemoDatasetAdmin(admin.ModelAdmin):
    list_display = ["name", "loaded_at"]
