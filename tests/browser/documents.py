"""The documents a browser test loads, seen as they arrive, and nothing else intercepted.

The page walks (axe and reflow, the XSS corpus) must tell a download (a PDF, a CSV, an ICS)
from a page, keep its body, and show a stub page in its place; the XSS walk also strips the
Content-Security-Policy header of every page. A Playwright route did that, but a route
intercepts every request of the page (stylesheets, scripts, fonts, images) and turns the
browser's HTTP cache off: each page load then fetched all the static files again, through
the route, and took twice as long (34 pages: 34 s routed, 17 s without a route).

``DocumentTap`` asks Chromium's DevTools ``Fetch`` domain to pause only the responses of
the documents of the site under test: the static files load as in a real browser, cache
included, and the documents get exactly the treatment the route gave them.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

#: What the browser shows in place of a download.
STUB_PAGE = base64.b64encode(b"<!doctype html><p>-</p>").decode()


@dataclass
class DocumentTap:
    """``DocumentTap.install(page, base)``: every document from ``base`` that answers 200
    with something other than HTML is kept in ``documents`` (url → (content type, body))
    and replaced by a stub page; the headers named in ``strip`` are removed from the
    others."""

    cdp: object
    strip: frozenset[str] = frozenset()
    documents: dict[str, tuple[str, bytes]] = field(default_factory=dict)

    @classmethod
    def install(cls, page, base: str, *, strip: tuple[str, ...] = ()) -> DocumentTap:
        tap = cls(
            cdp=page.context.new_cdp_session(page),
            strip=frozenset(name.lower() for name in strip),
        )
        tap.cdp.on("Fetch.requestPaused", tap._paused)
        documents = {"urlPattern": f"{base}/*", "resourceType": "Document"}
        tap.cdp.send("Fetch.enable", {"patterns": [{**documents, "requestStage": "Response"}]})
        return tap

    def _paused(self, event: dict) -> None:
        request_id = event["requestId"]
        status = event.get("responseStatusCode")
        headers = event.get("responseHeaders") or []
        kind = next((h["value"] for h in headers if h["name"].lower() == "content-type"), "")
        if status == 200 and not kind.startswith("text/html"):
            got = self.cdp.send("Fetch.getResponseBody", {"requestId": request_id})
            body = got["body"]
            raw = base64.b64decode(body) if got["base64Encoded"] else body.encode()
            self.documents[event["request"]["url"]] = (kind, raw)
            self.cdp.send(
                "Fetch.fulfillRequest",
                {
                    "requestId": request_id,
                    "responseCode": 200,
                    "responseHeaders": [{"name": "Content-Type", "value": "text/html"}],
                    "body": STUB_PAGE,
                },
            )
            return
        kept = [h for h in headers if h["name"].lower() not in self.strip]
        if status is None or 300 <= status < 400 or len(kept) == len(headers):
            # Unchanged (a redirect goes on to its target, which is paused in turn).
            self.cdp.send("Fetch.continueRequest", {"requestId": request_id})
            return
        # Served again without the stripped headers (``Fetch.continueResponse`` with fewer
        # headers still left the page under its Content-Security-Policy).
        got = self.cdp.send("Fetch.getResponseBody", {"requestId": request_id})
        body = got["body"] if got["base64Encoded"] else base64.b64encode(got["body"].encode())
        self.cdp.send(
            "Fetch.fulfillRequest",
            {
                "requestId": request_id,
                "responseCode": status,
                "responseHeaders": kept,
                "body": body if isinstance(body, str) else body.decode(),
            },
        )
