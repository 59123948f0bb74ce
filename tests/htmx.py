"""Helpers to compare an htmx fragment with the same region of a full page.

``swap`` applies an htmx answer to the page it came from, as htmx would (target, swap
style, out-of-band pieces), so that a test can compare the result with a fresh render of
the page (les-emplois' ``tests/utils/htmx/testing.py`` does the same with BeautifulSoup)::

    page = client.get(url).content.decode()
    form = trigger(page, "hx-post", action)
    answer = client.post(action, data, headers=headers_for(page, form)).content.decode()
    assert region(swap(page, form, answer)) == region(client.get(url).content.decode())
"""

import re
from collections import Counter
from dataclasses import dataclass
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


# --- Applying a swap, as htmx would, to compare with a fresh render ------------------


@dataclass
class Node:
    """An element of a page: its tag, attributes, parent and where it starts and ends."""

    tag: str
    attrs: dict
    parent: "Node | None"
    start: int
    inner_start: int
    inner_end: int | None = None
    end: int | None = None

    def inherited(self, name: str) -> "tuple[str, Node] | tuple[None, None]":
        """The value of an htmx attribute on this element or its closest ancestor."""
        node = self
        while node is not None:
            if name in node.attrs:
                return node.attrs[name], node
            node = node.parent
        return None, None

    def closest(self, tag: str) -> "Node":
        node = self
        while node is not None and node.tag != tag:
            node = node.parent
        assert node is not None, f"no <{tag}> around <{self.tag}>"
        return node


class _Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.nodes: list[Node] = []
        self.stack: list[Node] = []
        self.lines = [0]

    def feed(self, data):
        for line in data.splitlines(keepends=True):
            self.lines.append(self.lines[-1] + len(line))
        super().feed(data)
        self.close()

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.lines[line - 1] + col

    def handle_starttag(self, tag, attrs):
        start = self._offset()
        end = start + len(self.get_starttag_text())
        parent = self.stack[-1] if self.stack else None
        # The templates write htmx's attributes in their valid form, ``data-hx-…`` (RGAA
        # 8.2); htmx reads both spellings, and so do these helpers.
        attrs = {(k[5:] if k.startswith("data-hx-") else k): v or "" for k, v in attrs}
        node = Node(tag, attrs, parent, start, end)
        self.nodes.append(node)
        if tag in VOID:
            node.inner_end = node.end = end
        else:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            node = self.stack.pop()
            node.inner_end = node.end = node.inner_start

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        assert self.stack and self.stack[-1].tag == tag, f"unbalanced </{tag}>"
        node = self.stack.pop()
        node.inner_end = self._offset()
        node.end = node.inner_end + len(f"</{tag}>")


def parse(html: str) -> list[Node]:
    """Every element of ``html`` in document order (the markup must be balanced)."""
    tree = _Tree()
    tree.feed(html)
    return tree.nodes


def by_id(html: str, element_id: str) -> Node:
    found = [n for n in parse(html) if n.attrs.get("id") == element_id]
    assert len(found) == 1, f"#{element_id}: {len(found)} elements"
    return found[0]


def trigger(html: str, attribute: str, value: str) -> Node:
    """The one element whose htmx ``attribute`` (``hx-post``…) is ``value``."""
    found = [n for n in parse(html) if n.attrs.get(attribute) == value]
    assert len(found) == 1, f"[{attribute}={value}]: {len(found)} elements"
    return found[0]


def target_of(html: str, node: Node) -> Node:
    """The element htmx swaps for ``node``: its (inherited) ``hx-target``, else itself."""
    value, owner = node.inherited("hx-target")
    if value is None:
        return node
    if value == "this":
        return owner
    if value.startswith("closest "):
        return node.closest(value.removeprefix("closest "))
    assert value.startswith("#"), f"hx-target={value!r} not understood here"
    return by_id(html, value[1:])


def headers_for(html: str, node: Node) -> dict:
    """The headers htmx sends for a request from ``node``."""
    headers = {"HX-Request": "true"}
    target = target_of(html, node)
    if "id" in target.attrs:
        headers["HX-Target"] = target.attrs["id"]
    if "id" in node.attrs:
        headers["HX-Trigger"] = node.attrs["id"]
    return headers


def _splice(html: str, target: Node, style: str, content: str) -> str:
    if style == "outerHTML":
        return html[: target.start] + content + html[target.end :]
    assert style == "innerHTML", f"hx-swap={style!r} not understood here"
    return html[: target.inner_start] + content + html[target.inner_end :]


def swap(html: str, node: Node, response: str) -> str:
    """The page after htmx swapped ``response`` for a request from ``node``: out-of-band
    pieces (``hx-swap-oob="true"``) replace the element with their id, the rest goes into
    the target with the (inherited) ``hx-swap`` style (innerHTML when none)."""
    for piece in [n for n in parse(response) if n.parent is None]:
        if piece.attrs.get("hx-swap-oob") == "true":
            oob = response[piece.start : piece.end]
            response = response.replace(oob, "", 1)
            html = _splice(html, by_id(html, piece.attrs["id"]), "outerHTML", oob)
            node = trigger(html, *_locator(node))
    style = (node.inherited("hx-swap")[0] or "innerHTML").split()[0]
    return _splice(html, target_of(html, node), style, response)


def _locator(node: Node) -> tuple[str, str]:
    for attribute in ("hx-post", "hx-get"):
        if attribute in node.attrs:
            return attribute, node.attrs[attribute]
    raise AssertionError(f"<{node.tag}> makes no htmx request")


_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*|("X-CSRFToken": ")[^"]*')
_OOB = re.compile(r'\s*(?:data-)?hx-swap-oob="true"')


def region(html: str, element_id: str = "contenu", *, without: tuple[str, ...] = ()) -> str:
    """The element ``element_id`` (the page's ``<main>`` by default), whitespace-normalised,
    CSRF tokens blanked (they change at every render), ``hx-swap-oob`` markers and the
    elements with an id in ``without`` removed (a message shown once, for instance)."""
    for element_id_out in without:
        node = by_id(html, element_id_out)
        html = html[: node.start] + html[node.end :]
    html = _CSRF.sub(lambda m: m.group(1) or m.group(2), html)
    return normalise(_OOB.sub("", element_by_id(html, element_id)))


_ID = re.compile(r"""<[a-zA-Z][^>]*?\sid=["']?([^"'\s>]+)""")
_COMMENT_OR_SCRIPT = re.compile(r"<!--.*?-->|<script\b.*?</script>", re.DOTALL)


def duplicate_ids(html: str) -> list[str]:
    """The ids that more than one element of the page carries (a regular expression, not
    a parser: cheap enough to run on every page the permission matrix visits)."""
    counts = Counter(_ID.findall(_COMMENT_OR_SCRIPT.sub("", html)))
    return sorted(i for i, n in counts.items() if n > 1)


def hidden_fields(html: str, form: Node) -> dict:
    """The hidden inputs of ``form`` (CSRF aside), as the browser would post them."""
    return {
        n.attrs["name"]: n.attrs.get("value", "")
        for n in parse(html)
        if n.tag == "input"
        and n.attrs.get("type") == "hidden"
        and n.attrs.get("name") not in (None, "csrfmiddlewaretoken")
        and form.start < n.start < form.end
    }
