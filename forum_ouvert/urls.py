"""The site's URLs: each app under its French path (a public contract: keep them stable)."""

from django.conf.urls.i18n import i18n_patterns
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

# Outside the language prefix, at one address whatever the language: the admin (staff
# only, in French), the accounts' pages (allauth's and the OpenID Connect callbacks, whose
# exact URLs are registered with ProConnect and FranceConnect: a prefixed twin would be
# refused as a redirect_uri), and the fixed files (health check, favicon, security.txt,
# the language switch).
urlpatterns = [
    path("", include("forum_ouvert.core.fixed_urls")),
    path("compte/login/", access.public(LoginView.as_view()), name="account_login"),
    path("compte/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
# Every other page in French at its usual URL and in English under /en/. The open-data
# files are in too (/en/donnees/engagements.csv is the same file as its French URL, which
# stays the canonical one): they are named in each app's namespace beside its pages, and
# their columns are stable codes whatever the language.
urlpatterns += i18n_patterns(
    path("", include("forum_ouvert.core.urls")),
    path("", include("forum_ouvert.portal.urls")),
    path("", include("engagements.urls")),
    # Each participation app owns its full paths (public pages, /mon-espace/…, /pilotage/…).
    path("", include("participation.forum.urls")),
    path("", include("participation.workshops.urls")),
    path("", include("participation.contributions.urls")),
    path("", include("participation.cocreation.urls")),
    path("", include("forum_ouvert.reports.urls")),
    prefix_default_language=False,
)
