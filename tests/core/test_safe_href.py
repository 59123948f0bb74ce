"""Stored URLs are written into hrefs only with a safe scheme."""

import pytest
from django.template import Context, Template


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.data.gouv.fr/", "https://www.data.gouv.fr/"),
        ("http://exemple.fr/a?b=c", "http://exemple.fr/a?b=c"),
        ("mailto:contact@exemple.fr", "mailto:contact@exemple.fr"),
        ("/engagements/", "/engagements/"),
        ("javascript:alert(1)", "#"),
        (" JaVaScRiPt:alert(1)", "#"),
        ("data:text/html,<script>alert(1)</script>", "#"),
        ("vbscript:msgbox", "#"),
        ("//evil.example/", "#"),
        ("file:///etc/passwd", "#"),
        ("http://[::1", "#"),
        ("", "#"),
        (None, "#"),
    ],
)
def test_safe_href(url, expected):
    rendered = Template("{% load forum_ouvert %}{{ url|safe_href }}").render(Context({"url": url}))
    assert rendered == Template("{{ e }}").render(Context({"e": expected}))
