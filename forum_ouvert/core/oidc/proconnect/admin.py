"""The linked identities in the admin: read only. allauth's own admin would let an admin
edit or add an identity (a second road to someone's login, with no audit row), and its
« social applications » are configured from the environment here, never in the base.

This module is imported after allauth.socialaccount's admin (INSTALLED_APPS order), so
that it can replace it."""

from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ...admin_guard import ReadOnlyAdmin

for model in (SocialAccount, SocialApp, SocialToken):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(SocialAccount)
class IdentityAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Who logged in with ProConnect / FranceConnect; the SIRET and organisation help the
    admin decide on a role (given, as always, through the audited role form)."""

    list_display = ["user", "provider", "email", "siret", "organisation", "date_joined"]
    list_filter = ["provider"]
    search_fields = ["user__email", "uid"]
    list_select_related = ["user"]
    ordering = ["-date_joined", "pk"]
    fields = ["user", "provider", "uid", "extra_data", "date_joined", "last_login"]

    @admin.display(description=_("e-mail du fournisseur"))
    def email(self, obj):
        return (obj.extra_data or {}).get("email", "")

    @admin.display(description=_("SIRET"))
    def siret(self, obj):
        return (obj.extra_data or {}).get("siret", "")

    @admin.display(description=_("organisation"))
    def organisation(self, obj):
        return (obj.extra_data or {}).get("organizational_unit", "")
