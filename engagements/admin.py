from django.contrib import admin

from forum_ouvert.core.admin_guard import GuardedAdmin, ReadOnlyAdmin

from .models import (
    ActionPlan,
    Axis,
    Commitment,
    Evidence,
    Follow,
    Institution,
    JournalEntry,
    Milestone,
)


class AxisInline(GuardedAdmin, admin.TabularInline):
    model = Axis
    extra = 0


@admin.register(ActionPlan)
class ActionPlanAdmin(GuardedAdmin, admin.ModelAdmin):
    list_display = ["title", "slug", "status", "is_current", "starts_on", "ends_on"]
    list_filter = ["status", "is_current"]
    search_fields = ["title", "slug"]
    inlines = [AxisInline]


@admin.register(Axis)
class AxisAdmin(GuardedAdmin, admin.ModelAdmin):
    list_display = ["number", "title", "plan"]
    list_filter = ["plan"]
    search_fields = ["title"]


@admin.register(Institution)
class InstitutionAdmin(GuardedAdmin, admin.ModelAdmin):
    list_display = ["name", "is_civil_society"]
    list_filter = ["is_civil_society"]
    search_fields = ["name"]


@admin.register(Commitment)
class CommitmentAdmin(GuardedAdmin, admin.ModelAdmin):
    """Status, progress, texts and leads change through the back-office (journaled), not here."""

    list_display = [
        "number",
        "display_title",
        "plan",
        "axis",
        "status",
        "progress",
        "title_confirmed",
    ]
    list_filter = ["plan", "axis", "status", "title_confirmed"]
    search_fields = ["title", "ogp_id", "slug"]
    filter_horizontal = ["lead_institutions", "supporting_institutions"]
    list_select_related = ["plan", "axis"]


@admin.register(Milestone)
class MilestoneAdmin(GuardedAdmin, admin.ModelAdmin):
    """Status, dates and deliverable change in the back-office, which journals them."""

    list_display = ["deliverable", "commitment", "ends_on", "status", "reached_on"]
    list_filter = ["status", "commitment__plan"]
    search_fields = ["deliverable", "commitment__title"]
    list_select_related = ["commitment"]

    def has_add_permission(self, request):
        return False


@admin.register(Evidence)
class EvidenceAdmin(GuardedAdmin, admin.ModelAdmin):
    """Read-only: evidence_add journals an evidence, public or internal, as it was added."""

    list_display = ["title", "commitment", "dated_on", "is_public"]
    list_filter = ["is_public", "commitment__plan"]
    search_fields = ["title", "url"]
    date_hierarchy = "dated_on"
    list_select_related = ["commitment"]

    def has_add_permission(self, request):
        return False


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only: the journal is append-only in the database too."""

    list_display = ["created_at", "commitment", "field_label", "old_value", "new_value", "actor"]
    list_filter = ["field", "commitment__plan"]
    search_fields = ["justification", "commitment__title"]
    date_hierarchy = "created_at"
    list_select_related = ["commitment", "actor"]


@admin.register(Follow)
class FollowAdmin(GuardedAdmin, admin.ModelAdmin):
    list_display = ["user", "commitment", "created_at"]
    list_select_related = ["user", "commitment"]
