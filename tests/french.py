"""The mistakes of French a rule can catch in a page's visible text (issue 22, « French »).

``french_mistakes(html)`` lists them: a number followed by a noun in the wrong number
(« 1 contributions », « 0 engagements » instead of « aucun engagement »), « 1 janvier »
instead of « 1er janvier », raw ``snake_case`` codes, and the English words of third-party
screens (« Authenticators », « target type »). The permission matrix runs it on every page
it visits, as every role."""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: Nouns the site counts.
NOUNS = (
    "contributions|personnes|engagements|commentaires|soutiens|jalons|candidatures|"
    "inscriptions|places|ateliers|éléments|séances|membres|propositions|participants|"
    "participantes|consultations|rapports|justificatifs|documents|pages|signalements|"
    "réponses|thèmes|indicateurs|étapes|collèges|évaluations|organisations|fichiers"
)
#: « 0 engagement » is no better than « 0 engagements »: « Aucun engagement ».
SINGULARS = "|".join(noun.removesuffix("s") for noun in NOUNS.split("|"))
MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
RULES = [
    (re.compile(rf"(?<![\d,.])1\s+({NOUNS})\b", re.I), "« 1 » suivi d'un pluriel"),
    (re.compile(rf"(?<![\d,.])0\s+({SINGULARS})s?\b", re.I), "« 0 » suivi d'un nom : « aucun·e »"),
    (re.compile(rf"(?<![\d,.])1\s+({MONTHS})\b", re.I), "« 1 » pour « 1er »"),
    (
        re.compile(
            r"\b\d{1,2}\s+(jan|fév|mar|avr|jui|jul|aoû|sep|oct|nov|déc|dec|feb|apr|aug)\.?\s+\d{4}",
            re.I,
        ),
        "mois abrégé (« 1 Jan 2027 ») : la date en toutes lettres, comme partout",
    ),
    (re.compile(r"\b[a-z]{2,}_[a-z_]{2,}\b"), "code brut"),
    (re.compile(r"\b(Authenticators|target type|Select all|Add another)\b"), "anglais"),
]


class _Text(HTMLParser):
    """The text a reader sees (no script, style, template, nor attributes)."""

    SKIP = {"script", "style", "template", "code", "pre", "textarea", "noscript"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_texts(html: str) -> list[str]:
    """Each text node a reader sees, whitespace collapsed (a rule reads one node at a time:
    two table cells side by side, « 1 » then « Jalons en retard », are not a sentence)."""
    parser = _Text()
    parser.feed(html)
    return [text for part in parser.parts if (text := " ".join(part.split()))]


#: Words that look like codes but are the site's own vocabulary or addresses.
ALLOWED = re.compile(r"\S*@\S*|https?://\S+|\S+\.(?:csv|json|atom|pdf|ics)\b")


def french_mistakes(html: str) -> list[str]:
    found = []
    for node in visible_texts(html):
        text = ALLOWED.sub(" ", node)
        for pattern, what in RULES:
            for match in pattern.finditer(text):
                start = max(0, match.start() - 30)
                found.append(f"{what} : « …{text[start : match.end() + 20]}… »")
    return found
