"""Read-mostly admin: changes go through the site's pages, which call the audited services."""

from django.contrib import admin

from forum_ouvert.core.admin_guard import ReadOnlyAdmin

from .models import (
    Attestation,
    Consultation,
    Contribution,
    Report,
    Response,
    Statement,
    Theme,
)


class ThemeInline(ReadOnlyAdmin, admin.TabularInline):
    model = Theme
    extra = 0


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["title", "opens_on", "closes_on", "moderation_mode", "is_published"]
    list_filter = ["is_published", "moderation_mode"]
    search_fields = ["title", "slug"]
    inlines = [ThemeInline]


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["title", "consultation", "status", "support_count", "created_at"]
    list_filter = ["status", "consultation"]
    search_fields = ["title"]
    exclude = ["search_vector"]
    list_select_related = ["consultation"]
    raw_id_fields = ["author", "commitment"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["reason", "status", "created_at"]
    list_filter = ["status", "reason"]


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["contribution", "proposal", "status", "updated_at"]
    list_filter = ["status"]
    raw_id_fields = ["contribution", "proposal", "author"]


@admin.register(Attestation)
class AttestationAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["code", "issued_at"]
    exclude = ["user"]


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only: statements of reasons (DSA art. 17) are written by the moderation
    services, contested by their author on « Mon espace » and answered from the queue."""

    list_display = [
        "created_at",
        "decision",
        "rule",
        "author",
        "decided_by",
        "contested_at",
        "outcome",
        "answered_at",
    ]
    list_filter = [
        "decision",
        "rule",
        "outcome",
        ("contested_at", admin.EmptyFieldListFilter),
    ]
    date_hierarchy = "created_at"
    list_select_related = ["author", "decided_by"]
