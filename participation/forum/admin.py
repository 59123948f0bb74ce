"""The Django admin, for administrators' repairs: journaled work goes through the site."""

from django.contrib import admin

from forum_ouvert.core.admin_guard import GuardedAdmin

from .models import Application, Call, College, Criterion, Meeting, Member


class CollegeInline(GuardedAdmin, admin.TabularInline):
    model = College
    extra = 0


class CriterionInline(GuardedAdmin, admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Call)
class CallAdmin(GuardedAdmin, admin.ModelAdmin):
    list_display = ["title", "phase", "opens_at", "closes_at"]
    list_filter = ["phase"]
    inlines = [CollegeInline, CriterionInline]
    readonly_fields = ["phase", "results_published_at"]


@admin.register(Application)
class ApplicationAdmin(GuardedAdmin, admin.ModelAdmin):
    list_display = ["organisation_name", "call", "college", "status", "submitted_at"]
    list_filter = ["call", "status"]
    search_fields = ["organisation_name"]
    list_select_related = ["call", "college"]
    readonly_fields = [f.name for f in Application._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Member)
class MemberAdmin(GuardedAdmin, admin.ModelAdmin):
    list_display = ["organisation_name", "college", "joined_on", "left_on"]
    list_select_related = ["college"]
    readonly_fields = ["application", "call", "college", "joined_on"]


@admin.register(Meeting)
class MeetingAdmin(GuardedAdmin, admin.ModelAdmin):
    list_display = ["title", "starts_at", "is_cancelled", "minutes_published_at"]
