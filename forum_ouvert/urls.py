"""The site's URLs: each app under its French path (a public contract: keep them stable)."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from forum_ouvert.core import access
from forum_ouvert.core.accounts import LoginView

handler400 = "forum_ouvert.core.views.bad_request"
handler429 = "forum_ouvert.core.views.too_many_requests"
handler500 = "forum_ouvert.core.views.server_error"

admin.site.site_header = _("Forum ouvert — administration")
admin.site.site_title = _("Forum ouvert")

urlpatterns = [
    path("", include("forum_ouvert.core.urls")),
    path("", include("forum_ouvert.portal.urls")),
    path("", include("engagements.urls")),
    # Each participation app owns its full paths (public pages, /mon-espace/…, /pilotage/…).
    path("", include("participation.forum.urls")),
    path("", include("participation.workshops.urls")),
    path("", include("participation.contributions.urls")),
    path("", include("participation.cocreation.urls")),
    path("", include("forum_ouvert.reports.urls")),
    path("compte/login/", access.public(LoginView.as_view()), name="account_login"),
    path("compte/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
