"""The login and callback views allauth's URL builder looks up for this provider."""

from ..base import views_for

oauth2_login, oauth2_callback = views_for("proconnect")
