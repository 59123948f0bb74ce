from django.contrib import admin

from .models import CommitmentSnapshot, Report, SiteSnapshot


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "state", "progress", "is_published", "created_at", "author"]
    list_filter = ["kind", "state", "is_published", "is_automatic", "plan"]
    search_fields = ["title", "error"]
    date_hierarchy = "created_at"
    list_select_related = ["author", "plan"]
    readonly_fields = ["state", "progress", "attempts", "started_at", "heartbeat_at", "finished_at"]


@admin.register(CommitmentSnapshot)
class CommitmentSnapshotAdmin(admin.ModelAdmin):
    list_display = ["date", "commitment", "status", "progress", "is_late"]
    list_filter = ["date", "status"]
    list_select_related = ["commitment"]


@admin.register(SiteSnapshot)
class SiteSnapshotAdmin(admin.ModelAdmin):
    list_display = ["date"]
    date_hierarchy = "date"
