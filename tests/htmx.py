"""Helpers to compare an htmx fragment with the same region of a full page."""

from html.parser import HTMLParser

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class _Region(HTMLParser):
    def __init__(self, element_id: str):
        super().__init__(convert_charrefs=False)
        self.element_id = element_id
        self.depth = 0
        self.start = self.end = None

    def _offset(self) -> int:
        line, col = self.getpos()
        return sum(len(row) for row in self.rawdata.splitlines(keepends=True)[: line - 1]) + col

    def handle_starttag(self, tag, attrs):
        if self.end is not None:
            return
        if self.start is None:
            if dict(attrs).get("id") == self.element_id:
                self.start = self._offset()
                self.depth = 0 if tag in VOID else 1
        elif tag not in VOID:
            self.depth += 1

    def handle_endtag(self, tag):
        if self.start is None or self.end is not None or tag in VOID:
            return
        self.depth -= 1
        if self.depth == 0:
            self.end = self._offset() + len(f"</{tag}>")


def element_by_id(html: str, element_id: str) -> str:
    """The outer HTML of the element with ``id``, whitespace-normalised."""
    parser = _Region(element_id)
    parser.feed(html)
    assert parser.start is not None, f"#{element_id} absent"
    return normalise(html[parser.start : parser.end])


def normalise(html: str) -> str:
    return " ".join(html.split())
