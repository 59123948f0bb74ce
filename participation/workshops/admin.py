from django.contrib import admin

from forum_ouvert.core.admin_autocomplete import SafeAutocompleteAdmin
from forum_ouvert.core.admin_guard import GuardedAdmin

from .models import Indicator, IndicatorValue, Outcome, Registration, Tour, TourStop, Workshop


@admin.register(Workshop)
class WorkshopAdmin(GuardedAdmin, SafeAutocompleteAdmin, admin.ModelAdmin):
    list_display = ["title", "starts_at", "city", "departement", "capacity", "status"]
    list_filter = ["status", "format", "audience"]
    search_fields = ["title", "city"]
    autocomplete_fields = ["commitments"]
    raw_id_fields = ["created_by", "tour_stop"]


@admin.register(Registration)
class RegistrationAdmin(GuardedAdmin, admin.ModelAdmin):
    list_display = ["workshop", "user", "status", "created_at", "attended"]
    list_filter = ["status"]
    raw_id_fields = ["workshop", "user", "attendance_marked_by"]

    def has_add_permission(self, request):
        return False  # created by a service (audited)


@admin.register(Tour)
class TourAdmin(GuardedAdmin, admin.ModelAdmin):
    list_display = ["title", "starts_on", "ends_on"]


@admin.register(TourStop)
class TourStopAdmin(GuardedAdmin, admin.ModelAdmin):
    list_display = ["city", "date", "departement", "tour"]
    list_filter = ["tour"]


@admin.register(Outcome)
class OutcomeAdmin(GuardedAdmin, admin.ModelAdmin):
    list_display = ["workshop", "published_at"]
    raw_id_fields = ["workshop", "published_by"]

    def has_add_permission(self, request):
        return False  # created by a service (audited)


@admin.register(Indicator)
class IndicatorAdmin(GuardedAdmin, admin.ModelAdmin):
    list_display = ["code", "name", "theme", "chantier", "value_unit", "higher_is_better"]
    list_select_related = ["chantier"]
    search_fields = ["code", "name"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(GuardedAdmin, admin.ModelAdmin):
    list_display = ["indicator", "maille", "zone_id", "date", "current_value", "target_value"]
    list_filter = ["maille"]
    raw_id_fields = ["indicator"]
