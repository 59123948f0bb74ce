"""The site's URLs plus ``/__verify__/hello`` (settings ``forum_ouvert.settings.verify``)."""

from django.http import HttpResponse
from django.urls import path

from forum_ouvert.core import access
from forum_ouvert.urls import handler429
from forum_ouvert.urls import urlpatterns as site_urlpatterns

__all__ = ["handler429", "urlpatterns"]


@access.public
def hello(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("__verify__/hello", hello), *site_urlpatterns]
