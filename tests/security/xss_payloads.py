"""An indexed corpus of XSS payloads, and the browser hooks that tell which ones ran.

Every payload carries its own number (``{n}`` in the templates below): if it runs, it calls
``__xss(n)``, ``alert(n)``/``confirm(n)``/``prompt(n)``, ``console.log(n)`` or sets
``document.documentElement.dataset.xss<n>``; if it only injects markup, the element carries
``id="xss-marker-<n>"``. ``INIT_SCRIPT`` (installed before any page script, in every frame)
records the calls; ``PAGE_CHECK`` reads them back with the markers, the injected event
handlers and the ``javascript:`` URLs left in the page.

``RAW`` is the number of payloads that a page showing them unescaped, without a CSP, lets
through (runs or leaves a marker): the positive control in ``test_xss_browser.py`` asserts
exactly this number on a deliberately unsafe page.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Payload:
    template: str
    #: Detected (ran, or left a marker) when pasted raw into an HTML body: the context
    #: the unsafe page gives it. False for payloads aimed at other contexts (attribute
    #: values, URLs, scripts, templates, encodings that only a decoding bug would undo).
    raw: bool = True

    def render(self, n: int) -> str:
        return self.template.replace("{n}", str(n))


_CORPUS: list[Payload] = [
    # --- 0-11: script elements ------------------------------------------------------------
    Payload("<script>__xss({n})</script>"),
    Payload("<script>alert({n})</script>"),
    Payload("<SCRIPT>confirm({n})</SCRIPT>"),
    Payload("<script>prompt({n})</script>"),
    Payload("<script>console.log({n})</script>"),
    Payload("<script>document.documentElement.dataset.xss{n}=1</script>"),
    Payload("<script>alert`{n}`</script>"),
    Payload("<script id=xss-marker-{n}>/* marker only */</script>"),
    Payload("<scr<script>ipt>__xss({n})</scr</script>ipt>", raw=False),
    Payload("<script\n>__xss({n})</script\n>"),
    Payload("<script src=data:text/javascript,__xss({n}) id=xss-marker-{n}></script>"),
    Payload("<svg><script id=xss-marker-{n}>__xss({n})</script></svg>"),
    # --- 12-35: event handlers on injected elements ---------------------------------------
    Payload("<img src=x onerror=__xss({n}) id=xss-marker-{n}>"),
    Payload("<img src=x onerror=alert({n}) id=xss-marker-{n}>"),
    Payload('<IMG SRC="x" ONERROR="console.log({n})" id=xss-marker-{n}>'),
    Payload("<img src=x\tonerror=__xss({n}) id=xss-marker-{n}>"),
    Payload('<img/src="x"/id="xss-marker-{n}"/onerror=__xss({n})>'),
    Payload("<svg onload=__xss({n}) id=xss-marker-{n}>"),
    Payload("<svg/onload=alert({n})>"),
    Payload("<body onload=__xss({n}) id=xss-marker-{n}>"),
    Payload("<details open ontoggle=__xss({n}) id=xss-marker-{n}>x</details>"),
    Payload("<video><source onerror=__xss({n}) id=xss-marker-{n}></video>"),
    Payload("<audio src=x onerror=__xss({n}) id=xss-marker-{n}>"),
    Payload("<input autofocus onfocus=__xss({n}) id=xss-marker-{n}>"),
    Payload("<select onfocus=__xss({n}) autofocus id=xss-marker-{n}></select>"),
    Payload("<textarea onfocus=__xss({n}) autofocus id=xss-marker-{n}></textarea>"),
    Payload("<marquee onstart=__xss({n}) id=xss-marker-{n}>x</marquee>"),
    Payload("<div onmouseover=__xss({n}) id=xss-marker-{n}>survolez</div>"),
    Payload("<a href=# onclick=__xss({n}) id=xss-marker-{n}>cliquez</a>"),
    Payload("<math><mtext><img src=x onerror=__xss({n}) id=xss-marker-{n}></mtext></math>"),
    Payload("<math><a xlink:href=javascript:__xss({n}) id=xss-marker-{n}>x</a></math>"),
    Payload("<object data=x onerror=__xss({n}) id=xss-marker-{n}></object>"),
    Payload("<style onload=__xss({n}) id=xss-marker-{n}></style>"),
    Payload("<iframe onload=__xss({n}) id=xss-marker-{n}></iframe>"),
    Payload("<image src=x onerror=__xss({n}) id=xss-marker-{n}>"),
    Payload("<svg><animate onbegin=__xss({n}) attributeName=x dur=1s id=xss-marker-{n}>"),
    # --- 36-45: attribute breakouts (an attribute value, a tag, a comment, a raw-text element)
    Payload('"><img src=x onerror=__xss({n}) id=xss-marker-{n}>'),
    Payload("'><img src=x onerror=__xss({n}) id=xss-marker-{n}>"),
    Payload('" autofocus onfocus="__xss({n})" id="xss-marker-{n}', raw=False),
    Payload("' onmouseover='__xss({n})' id='xss-marker-{n}", raw=False),
    Payload("x onmouseover=__xss({n}) id=xss-marker-{n}", raw=False),
    Payload("</textarea><img src=x onerror=__xss({n}) id=xss-marker-{n}>"),
    Payload("</title><img src=x onerror=__xss({n}) id=xss-marker-{n}>"),
    Payload("</style><img src=x onerror=__xss({n}) id=xss-marker-{n}>"),
    Payload("--><img src=x onerror=__xss({n}) id=xss-marker-{n}>"),
    Payload("</script><script>__xss({n})</script>"),
    # --- 46-57: javascript: and data: URLs -------------------------------------------------
    Payload("javascript:__xss({n})", raw=False),
    Payload('<a href="javascript:__xss({n})" id=xss-marker-{n}>lien</a>'),
    Payload('<a href="JaVaScRiPt:__xss({n})" id=xss-marker-{n}>lien</a>'),
    Payload("<a href=&#106;avascript:__xss({n}) id=xss-marker-{n}>lien</a>"),
    Payload('<a href=" &#14; javascript:__xss({n})" id=xss-marker-{n}>lien</a>'),
    Payload("<iframe src=javascript:top.__xss({n}) id=xss-marker-{n}></iframe>"),
    Payload('<iframe srcdoc="<script>top.__xss({n})</script>" id=xss-marker-{n}></iframe>'),
    Payload(
        '<iframe src="data:text/html,<script>top.__xss({n})</script>" id=xss-marker-{n}></iframe>'
    ),
    Payload('<embed src="data:text/html,<script>top.__xss({n})</script>" id=xss-marker-{n}>'),
    Payload('<form action="javascript:__xss({n})" id=xss-marker-{n}><button>Go</button></form>'),
    Payload('<meta http-equiv="refresh" content="0;url=javascript:__xss({n})" id=xss-marker-{n}>'),
    Payload("<base href=javascript:__xss({n})// id=xss-marker-{n}>"),
    # --- 58-63: template and framework injection -----------------------------------------
    # (their markup is caught on a raw page too; on a real one, only a template evaluation
    # of user text would make them run)
    Payload('{{ "<b id=xss-marker-{n}>"|safe }}'),
    Payload('{% autoescape off %}{{ "<b id=xss-marker-{n}>" }}{% endautoescape %}'),
    Payload("{{constructor.constructor('__xss({n})')()}}", raw=False),
    Payload("${__xss({n})}", raw=False),
    Payload("{{ 7*7 }} {% debug %} {{ request.user.password }} #{n}", raw=False),
    Payload("<%= __xss({n}) %>", raw=False),
    # --- 64-69: htmx attributes ------------------------------------------------------------
    Payload('<div hx-on::load="__xss({n})" id=xss-marker-{n}>htmx</div>'),
    Payload('<div hx-on:click="__xss({n})" id=xss-marker-{n}>htmx</div>'),
    Payload('<div hx-get="/" hx-trigger="load" hx-swap="none" id=xss-marker-{n}>htmx</div>'),
    Payload('<a hx-post="/compte/logout/" hx-trigger="load" id=xss-marker-{n}>htmx</a>'),
    Payload('<div hx-vals="js:{a:__xss({n})}" id=xss-marker-{n}>htmx</div>'),
    Payload('" hx-on::load="__xss({n})" id="xss-marker-{n}', raw=False),
    # --- 70-74: markdown and linkification tricks -----------------------------------------
    Payload("[cliquez](javascript:__xss({n})) ![img](x onerror=__xss({n}))", raw=False),
    Payload('Voir https://exemple.fr/"><img src=x onerror=__xss({n}) id=xss-marker-{n}>'),
    Payload('Voir https://exemple.fr/" onmouseover="__xss({n})" id="xss-marker-{n}', raw=False),
    Payload("www.exemple.fr/'onmouseover='__xss({n})'id='xss-marker-{n}", raw=False),
    Payload("<https://exemple.fr/?<img src=x onerror=__xss({n}) id=xss-marker-{n}>>"),
    # --- 75-79: CSS ------------------------------------------------------------------------
    Payload('<div style="width:expression(__xss({n}))" id=xss-marker-{n}>css</div>'),
    Payload('<div style="background:url(javascript:__xss({n}))" id=xss-marker-{n}>css</div>'),
    Payload("<style id=xss-marker-{n}>@import 'javascript:__xss({n})';</style>"),
    Payload("<link rel=stylesheet href=data:text/css,body{background:red} id=xss-marker-{n}>"),
    Payload("<svg><style>{font-family:'<img/src=x onerror=__xss({n})>'}</style></svg>"),
    # --- 80-84: polyglots -------------------------------------------------------------------
    Payload(
        "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=__xss({n}) )//%0D%0A%0d%0a//"
        "</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=__xss({n})//>\\x3e"
    ),
    Payload('\'"><svg/onload=__xss({n})>-->"><img src=x onerror=__xss({n})>'),
    Payload("\"'--></style></script><script>__xss({n})</script>"),
    Payload('<!--<img src="--><img src=x onerror=__xss({n}) id=xss-marker-{n}>-->'),
    Payload('<noscript><p title="</noscript><img src=x onerror=__xss({n}) id=xss-marker-{n}>">'),
    # --- 85-95: encoded and unicode variants ----------------------------------------------
    Payload("&lt;img src=x onerror=__xss({n}) id=xss-marker-{n}&gt;", raw=False),
    Payload("&#60;img src=x onerror=__xss({n}) id=xss-marker-{n}&#62;", raw=False),
    Payload("&#x3C;script&#x3E;__xss({n})&#x3C;/script&#x3E;", raw=False),
    Payload("%3Cimg%20src%3Dx%20onerror%3D__xss({n})%20id%3Dxss-marker-{n}%3E", raw=False),
    Payload("\\u003cimg src=x onerror=__xss({n}) id=xss-marker-{n}\\u003e", raw=False),
    Payload("\\x3cscript\\x3e__xss({n})\\x3c/script\\x3e", raw=False),
    Payload("\u202e<img src=x onerror=__xss({n}) id=xss-marker-{n}>\u202c"),
    Payload("＜script＞__xss({n})＜/script＞", raw=False),
    Payload("<scr\u0131pt>__xss({n})</scr\u0131pt>", raw=False),
    Payload("<img src=x onerror=&#95;&#95;xss&#40;{n}&#41; id=xss-marker-{n}>"),
    Payload("<img src=x onerror=\\u005f_xss({n}) id=xss-marker-{n}>"),
    # --- 96-99: WeasyPrint (PDF) features that must never reach a rendered PDF -------------
    Payload("<link rel=attachment href=file:///etc/passwd id=xss-marker-{n}>"),
    Payload('<a rel=attachment href="data:text/plain,secret" id=xss-marker-{n}>pj</a>'),
    Payload('<img src="file:///etc/passwd" id=xss-marker-{n}>'),
    Payload('<a href="javascript:app.alert({n})" id=xss-marker-{n}>pdf</a>'),
]

#: The payloads, each rendered with its own number.
PAYLOADS: list[str] = [p.render(i) for i, p in enumerate(_CORPUS)]

#: The numbers of the payloads that an unescaped HTML body without a CSP lets through.
RAW_DETECTED: frozenset[int] = frozenset(i for i, p in enumerate(_CORPUS) if p.raw)

assert len(set(PAYLOADS)) == len(PAYLOADS) >= 80

#: Installed before any page script, in every frame: records every way a payload reports.
INIT_SCRIPT = """
(() => {
  const hits = [];
  const record = (how) => function (...args) {
    hits.push([how, String(args[0] === undefined ? "" : args[0]).slice(0, 20)]);
  };
  Object.defineProperty(window, "__xssHits", {value: hits});
  window.__xss = record("__xss");
  for (const name of ["alert", "confirm", "prompt"]) window[name] = record(name);
  for (const name of ["log", "info", "warn", "error", "debug"]) {
    const original = console[name].bind(console);
    console[name] = function (...args) {
      if (typeof args[0] === "number") hits.push(["console." + name, String(args[0])]);
      return original(...args);
    };
  }
})();
"""

#: Evaluated on a page: what the payloads did or left behind, in every frame of the page.
PAGE_CHECK = """
() => {
  const found = {hits: [], markers: [], handlers: [], urls: []};
  const scan = (win) => {
    let doc;
    try { doc = win.document; } catch (e) { return; }  // a cross-origin frame
    if (!doc) return;
    (win.__xssHits || []).forEach(h => found.hits.push(h.join(":")));
    for (const key of Object.keys(doc.documentElement ? doc.documentElement.dataset : {})) {
      if (key.startsWith("xss")) found.hits.push("dataset:" + key);
    }
    doc.querySelectorAll("[id^=xss-marker-]").forEach(e => found.markers.push(e.id));
    for (const el of doc.querySelectorAll("*")) {
      for (const attr of el.attributes) {
        const name = attr.name.toLowerCase();
        if (name.startsWith("on") || name.startsWith("hx-on")) {
          found.handlers.push(el.tagName + "[" + name + "]");
        }
        if (["href", "src", "action", "formaction", "data", "xlink:href"].includes(name)
            && /^[\\s\\x00-\\x20]*(javascript|vbscript|data:text\\/html)/i.test(attr.value)) {
          found.urls.push(el.tagName + "[" + name + "=" + attr.value.slice(0, 30) + "]");
        }
      }
    }
    for (let i = 0; i < win.frames.length; i++) scan(win.frames[i]);
  };
  scan(window);
  return found;
}
"""
