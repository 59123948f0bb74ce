"""Feeds: Atom whose entry summaries are plain text.

Django's ``Atom1Feed`` writes ``<summary type="html">`` with the text escaped once for XML:
a reader decodes the XML, then reads what is left as HTML, so a justification holding
``<b>`` or ``&amp;`` was shown as markup (issue 23). The site's texts are plain text: every
feed of the site uses ``PlainTextAtom1Feed``, whose summaries are ``type="text"``.
"""

from __future__ import annotations

from django.utils.feedgenerator import Atom1Feed


class PlainTextAtom1Feed(Atom1Feed):
    """Atom 1.0 with ``<summary type="text">``: a reader shows the text as it was typed."""

    def add_item_elements(self, handler, item):
        description = item["description"]
        super().add_item_elements(handler, {**item, "description": None})
        if description is not None:
            handler.addQuickElement("summary", description, {"type": "text"})
