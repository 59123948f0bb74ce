"""Participants' text: escaped paragraphs, safe links, nothing else."""

from html.parser import HTMLParser

import pytest

from participation.contributions.text import render_plain_text
from tests.security.xss_payloads import PAYLOADS


def test_paragraphs_and_line_breaks():
    """Blank lines make paragraphs, single newlines line breaks."""
    assert render_plain_text("Un\ndeux\n\n\nTrois") == "<p>Un<br>deux</p><p>Trois</p>"


def test_links_are_made_safe():
    """Addresses become links with rel=nofollow; trailing punctuation stays outside."""
    html = render_plain_text("Voir https://exemple.fr/a?b=1&c=2. Et www.data.gouv.fr !")
    assert (
        '<a href="https://exemple.fr/a?b=1&amp;c=2" rel="nofollow noopener ugc">'
        "https://exemple.fr/a?b=1&amp;c=2</a>." in html
    )
    assert '<a href="https://www.data.gouv.fr" rel="nofollow noopener ugc">' in html


def test_long_links_are_shortened_in_text_only():
    """A very long address is shortened on screen, complete in the link."""
    url = "https://exemple.fr/" + "a" * 100
    html = render_plain_text(url)
    assert f'href="{url}"' in html
    assert "…</a>" in html


class _Tags(HTMLParser):
    """Every start tag and its attributes, as a browser's tokenizer would see them."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_never_become_markup(payload):
    """No payload of the corpus produces a tag other than p, br and a with an http link."""
    parser = _Tags()
    parser.feed(render_plain_text(payload))
    for tag, attrs in parser.tags:
        assert tag in {"p", "br", "a"}, payload
        if tag == "a":
            assert set(attrs) == {"href", "rel"}, payload
            assert attrs["href"].startswith(("http://", "https://")), payload
        else:
            assert attrs == {}, payload
