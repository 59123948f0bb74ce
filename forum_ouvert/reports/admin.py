from django.contrib import admin

from forum_ouvert.core.admin_guard import GuardedAdmin

from .models import CommitmentSnapshot, Report, SiteSnapshot


@admin.register(Report)
class ReportAdmin(GuardedAdmin, admin.ModelAdmin):
    list_display = ["title", "kind", "state", "progress", "is_published", "created_at", "author"]
    list_filter = ["kind", "state", "is_published", "is_automatic", "plan"]
    search_fields = ["title", "error"]
    date_hierarchy = "created_at"
    list_select_related = ["author", "plan"]
    readonly_fields = ["state", "progress", "attempts", "started_at", "heartbeat_at", "finished_at"]

    def has_add_permission(self, request):
        return False  # created by a service (audited)


@admin.register(CommitmentSnapshot)
class CommitmentSnapshotAdmin(GuardedAdmin, admin.ModelAdmin):
    list_display = ["date", "commitment", "status", "progress", "is_late"]
    list_filter = ["date", "status"]
    list_select_related = ["commitment"]


@admin.register(SiteSnapshot)
class SiteSnapshotAdmin(GuardedAdmin, admin.ModelAdmin):
    list_display = ["date"]
    date_hierarchy = "date"
