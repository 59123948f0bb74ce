from allauth.socialaccount.providers.oauth2.urls import default_urlpatterns

from .provider import FranceConnectProvider

urlpatterns = default_urlpatterns(FranceConnectProvider)
