"""The site's URLs plus one deliberately unsafe page, for the XSS harness's positive control.

Used only through ``@pytest.mark.urls("tests.security.xss_unsafe_urls")`` in
``test_xss_browser.py``: nothing else imports it, so the page never exists on the site.
``/__xss-unsafe__/`` pastes every payload unescaped into the body, each in its own
paragraph, without a Content-Security-Policy, as a template that forgot escaping would.
"""

from django.http import HttpResponse
from django.urls import path
from django.utils.safestring import mark_safe
from django.views.decorators.csp import csp_override

from forum_ouvert.core import access
from forum_ouvert.urls import urlpatterns as site_urlpatterns

from .xss_payloads import PAYLOADS


@access.public
@csp_override({})
def unsafe_page(request):
    """The payloads, marked safe: the bug the harness must catch."""
    # Deliberately unsafe (a test page that exists only in this urlconf).
    payloads = mark_safe("".join(f"<p>{p}</p>" for p in PAYLOADS))  # noqa: S308  # nosec  # nosemgrep
    html = (
        "<!doctype html><html lang=fr><head><title>Page non sûre</title>"
        '<script src="/static/django_htmx/htmx-2.min.js" defer></script></head>'
        f"<body><main>{payloads}</main></body></html>"
    )
    return HttpResponse(html)


urlpatterns = [
    path("__xss-unsafe__/", unsafe_page, name="xss_unsafe"),
    *site_urlpatterns,
]
