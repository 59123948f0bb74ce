"""Read-only admin: the calendar and the proposals change through the audited services."""

from django.contrib import admin

from forum_ouvert.core.admin_guard import GuardedAdmin

from .models import (
    Amendment,
    CalendarPhase,
    CoAuthorInvitation,
    Opinion,
    Process,
    Proposal,
    ProposalVersion,
)


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PhaseInline(ReadOnlyMixin, GuardedAdmin, admin.TabularInline):
    model = CalendarPhase
    extra = 0


@admin.register(Process)
class ProcessAdmin(ReadOnlyMixin, GuardedAdmin, admin.ModelAdmin):
    list_display = ["plan", "calendar_published_at", "is_demo"]
    inlines = [PhaseInline]


class VersionInline(ReadOnlyMixin, GuardedAdmin, admin.TabularInline):
    model = ProposalVersion
    extra = 0
    fields = ["number", "author", "created_at", "title"]


class CoAuthorInline(ReadOnlyMixin, GuardedAdmin, admin.TabularInline):
    model = CoAuthorInvitation
    fk_name = "proposal"
    extra = 0
    fields = ["email", "invited_by", "created_at", "accepted_by", "accepted_at"]


class AmendmentInline(ReadOnlyMixin, GuardedAdmin, admin.TabularInline):
    model = Amendment
    fk_name = "proposal"
    extra = 0
    fields = ["section", "author", "created_at", "status", "decided_by", "result_version"]


class OpinionInline(ReadOnlyMixin, GuardedAdmin, admin.TabularInline):
    model = Opinion
    fk_name = "proposal"
    extra = 0
    fields = ["member", "verdict", "author", "created_at", "updated_at"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyMixin, GuardedAdmin, admin.ModelAdmin):
    list_display = ["title", "process", "status", "fate", "version_count", "submitted_at"]
    list_filter = ["status", "fate", "process"]
    search_fields = ["title"]
    raw_id_fields = ["author", "merged_into", "commitment"]
    inlines = [CoAuthorInline, AmendmentInline, OpinionInline, VersionInline]
