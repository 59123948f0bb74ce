"""The XSS corpus in a real Chromium: every user-text field of the site holds the payloads of
``xss_payloads.py``; every page, htmx fragment and PDF that shows them is rendered, and no
payload runs nor injects markup.

The real pages are loaded with their Content-Security-Policy header stripped (a Playwright
route), so that what is proved is the escaping itself, not the CSP hiding an escaping bug.
A deliberately unsafe page, present only in the urlconf of this test, proves that the
harness sees a payload that runs.
"""

from __future__ import annotations

import re
import time
import zlib
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.urls import reverse

from forum_ouvert.core.choices import Role
from tests.browser.documents import DocumentTap
from tests.security.conftest import build_world
from tests.security.visits import ROLE_PREFERENCE, matrix_visits

from .xss_payloads import INIT_SCRIPT, PAGE_CHECK, PAYLOADS, RAW_DETECTED

pytestmark = pytest.mark.browser

#: Project apps whose models hold what people type.
APPS = ("core", "engagements", "forum", "workshops", "contributions", "reports")
#: Reference data loaded from public sources, not typed by anyone.
REFERENCE_MODELS = {"core.Region", "core.Departement", "core.DemoDataset"}
#: Text fields that are identifiers (in URLs, keys, credentials), never shown as prose.
IDENTIFIERS = {
    "action",  # audit-log event code
    "code",
    "decision_notified",  # a status value
    "field",  # journal: the model field's name
    "language",  # a report's language code (settings.LANGUAGES)
    "ogp_id",
    "organisation_key",
    "password",
    "preferred_language",  # the language code of a person's e-mails (core.mail)
    "rna_number",
    "siren",
    "siret",
    "slug",
    "target_id",
    "terms_version",  # the id of a version of the terms of use (core.terms)
    "token",
    "zone_id",
}
#: Stored in URL fields that hold a link, alternately: an http URL that tries to leave its
#: ``href``, and a ``javascript:`` URL written behind the models' validation (the templates
#: pass stored links through ``safe_href``, which turns it into ``#``).
HOSTILE_URLS = (
    'https://exemple.fr/?"><img src=x onerror=__xss(200) id=xss-marker-200>',
    "javascript:__xss(201)",
)
#: How many payloads a long text gets: three texts of a page cover the whole corpus.
TEXT_WINDOW = 34
#: A page that does not exist, named by a payload: the 404 page must not echo it raw.
NOT_FOUND_PATH = f"/{quote(PAYLOADS[41])}/"


# --- Storing the payloads ------------------------------------------------------------------


def _pack(max_length: int | None, start: int, prefix: str) -> str:
    """As many payloads as fit, from ``start`` on, one per line (all of them in a text)."""
    if max_length is None:
        order = (PAYLOADS[start:] + PAYLOADS[:start])[:TEXT_WINDOW]
        return prefix + "\n".join(order)
    chosen, size = [], len(prefix)
    for offset in range(len(PAYLOADS)):
        payload = PAYLOADS[(start + offset) % len(PAYLOADS)]
        if size + len(payload) + 1 <= max_length:
            chosen.append(payload)
            size += len(payload) + 1
    return prefix + " ".join(chosen)


def text_fields(model) -> list[models.Field]:
    """The fields of ``model`` that hold text typed by someone."""
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not isinstance(f, models.EmailField | models.SlugField)
        and not f.choices
        and f.name not in IDENTIFIERS
    ]


def _poison_row(model, row, fields, budget: int | None, append_only: set[str], key: int) -> None:
    for number, f in enumerate(fields):
        if isinstance(f, models.URLField):
            # Only where a link is given (a link or a document, not both).
            value = HOSTILE_URLS[(key + number) % 2] if getattr(row, f.attname) else ""
        else:
            # Each row and field starts elsewhere in the corpus, so that short fields carry
            # different payloads; the prefix keeps unique texts unique.
            start = (key * 7 + number * 13) % len(PAYLOADS)
            limit = min(filter(None, (f.max_length, budget)), default=None)
            value = _pack(limit, start, prefix=f"{key} ")
        setattr(row, f.attname, value)
    if model._meta.db_table in append_only:
        # History cannot be rewritten, only written: a hostile copy is added, its numbers
        # moved out of the way of the row it copies (a version number unique per response).
        for constraint in model._meta.constraints:
            for name in getattr(constraint, "fields", ()):
                field = model._meta.get_field(name)
                if isinstance(field, models.IntegerField) and not field.is_relation:
                    setattr(row, field.attname, getattr(row, field.attname) + 10_000 + key)
        row.pk, row._state.adding = None, True
        row.save(force_insert=True)
    else:
        model.objects.filter(pk=row.pk).update(
            **{f.attname: getattr(row, f.attname) for f in fields}
        )


def poison_everything() -> dict[str, int]:
    """Every text field of every row gets payloads (a URL field gets a ``javascript:``
    URL); returns how many fields of each model were filled."""
    from forum_ouvert.core.db import append_only_tables

    append_only = set(append_only_tables())
    filled: dict[str, int] = {}
    for model in apps.get_models():
        label = model._meta.label
        if model._meta.app_label not in APPS or label in REFERENCE_MODELS:
            continue
        fields = text_fields(model)
        if not fields:
            continue
        filled[label] = len(fields)
        for row in list(model.objects.all()):
            key = row.pk
            # Length limits may also be check constraints: fewer payloads until it fits.
            for budget in (None, 1000, 300):
                try:
                    with transaction.atomic():
                        _poison_row(model, row, fields, budget, append_only, key)
                    break
                except IntegrityError:
                    continue
            else:
                raise AssertionError(f"{label} #{row.pk}: aucune charge n'a pu être enregistrée")
    return filled


def build_hostile_world(w) -> None:
    """What ``build_world`` lacks for every text to be shown somewhere."""
    from participation.forum.models import Review
    from tests.contributions.factories import ReportFactory, ResponseFactory
    from tests.engagements.factories import EvidenceFactory, JournalEntryFactory
    from tests.forum.factories import MemberFactory
    from tests.workshops.factories import WorkshopFactory

    staff = w.users[Role.STAFF]
    Review.objects.create(application=w.application_review, reviewer=staff)
    # An application nobody has scored yet: its page shows the scoring form, whose fields'
    # help texts are the criteria's descriptions (typed by staff, so poisoned below).
    from tests.forum.factories import ApplicationFactory

    w.application_unscored = ApplicationFactory(call=w.call_review)
    Review.objects.create(application=w.application_a, reviewer=staff)
    MemberFactory(application__call=w.call_review, application__applicant=w.association_b)
    JournalEntryFactory(commitment=w.commitment_a)
    EvidenceFactory(commitment=w.commitment_a, is_public=True)
    ReportFactory(contribution=w.contribution_a, reporter=w.citizen_b)
    ResponseFactory(contribution=w.contribution_a, author=staff)
    WorkshopFactory(status="annule")
    # The decision is shown to the applicant once notified.
    w.application_decided.__class__.objects.filter(pk=w.application_decided.pk).update(
        decision_notified=w.application_decided.status
    )
    # Names are shown publicly only with consent.
    w.users[Role.CITIZEN].__class__.objects.update(public_display_consent=True)
    # The JSON texts: policy areas and the attestations' participations.
    from engagements.models import Commitment
    from participation.contributions.models import Attestation

    Commitment.objects.update(policy_areas=PAYLOADS[:5])
    for attestation in Attestation.objects.all():
        attestation.participations = [
            {"kind": p, "title": p, "date": "2026-03-14", "hours": 2.0, "place": p}
            for p in PAYLOADS[::9]
        ]
        attestation.holder_name = PAYLOADS[12]
        attestation.save(update_fields=["participations", "holder_name"])


# --- The harness ---------------------------------------------------------------------------


@dataclass
class Harness:
    """One page with the hooks: CSP stripped, non-HTML documents kept aside, dialogs seen."""

    page: object
    base: str
    dialogs: list = field(default_factory=list)
    documents: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    visited: int = 0
    timings: list = field(default_factory=list)

    def install(self) -> None:
        self.page.add_init_script(INIT_SCRIPT)
        self.page.on("dialog", self._dialog)
        # Only the documents: the static files load as usual, the browser's cache included.
        self.documents = DocumentTap.install(
            self.page,
            self.base,
            strip=("content-security-policy", "content-security-policy-report-only"),
        ).documents

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def login(self, session_key: str | None) -> None:
        self.page.context.clear_cookies()
        if session_key:
            self.page.context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": self.base}]
            )

    def visit(self, path: str, *, headers: dict | None = None, who: str = "") -> dict:
        """Load ``path``, let deferred handlers run, and return what the payloads did."""
        self.page.set_extra_http_headers(headers or {})
        started = time.monotonic()
        response = self.page.goto(self.base + path, wait_until="load")
        self.page.wait_for_timeout(80)  # autofocus, ontoggle, htmx "load" triggers
        found = self.page.evaluate(PAGE_CHECK)
        self.page.set_extra_http_headers({})
        self.visited += 1
        self.timings.append((time.monotonic() - started, path))
        status = response.status if response else None
        expected = 404 if path == NOT_FOUND_PATH else 200
        if status != expected or response.request.redirected_from is not None:
            self.problems.append(f"{path} ({who}): statut {status}, pas la page attendue")
        bad = {k: v for k, v in found.items() if v}
        if bad:
            self.problems.append(f"{path} ({who}): {bad}")
        return found


@pytest.fixture
def harness(page, live_server):
    made = Harness(page=page, base=live_server.url)
    made.install()
    return made


# --- The pages -----------------------------------------------------------------------------


def query_visits(w) -> list[tuple[object, str, dict | None]]:
    """Searches and filters with payloads as their values, as pages and as htmx fragments."""
    hx = {"HX-Request": "true"}
    visits = []
    for n in (36, 80):
        q = quote(PAYLOADS[n][:190])
        visits += [
            (None, f"{reverse('engagements:commitment_list')}?q={q}&status={q}&axis={q}", None),
            (None, f"{reverse('engagements:commitment_list')}?q={q}", hx),
            (None, f"{reverse('contributions:index')}?q={q}&status={q}&theme={q}", None),
            (None, f"{reverse('contributions:index')}?q={q}&page={q}", hx),
        ]
    q = quote(PAYLOADS[36])
    visits += [
        (None, f"{reverse('engagements:repository')}?commitment={q}&start={q}", None),
        (None, f"{reverse('engagements:repository')}?start={q}", hx),
        (None, f"{reverse('workshops:list')}?departement={q}&region={q}&page={q}", None),
        (None, f"{reverse('workshops:list')}?departement={q}", hx),
        (None, f"{reverse('workshops:tour')}?tour={q}", None),
        (None, f"{reverse('portal:attestation_lookup')}?code={q}", None),
        (Role.STAFF, f"{reverse('forum:queue')}?etat={q}&appel={q}&college={q}", None),
        (Role.STAFF, f"{reverse('forum:queue')}?etat={q}&page={q}", hx),
        (Role.STAFF, f"{reverse('contributions:moderation')}?q={q}&page={q}", None),
        (Role.STAFF, f"{reverse('workshops:staff_list')}?page={q}", None),
        (None, NOT_FOUND_PATH, None),
        (Role.STAFF, w.application_unscored.get_staff_url(), None),
        # Fragments of the pages that show stored texts.
        (
            None,
            reverse("engagements:commitment_detail", args=[w.commitment_a.slug]),
            {**hx, "HX-Target": "historique"},
        ),
        (Role.LEAD, reverse("engagements:bo_progress", args=[w.commitment_a.slug]), hx),
        (Role.LEAD, reverse("engagements:bo_milestone_add", args=[w.commitment_a.slug]), hx),
        (Role.LEAD, reverse("engagements:bo_evidence_add", args=[w.commitment_a.slug]), hx),
        (Role.STAFF, reverse("reports:staff_state", args=[w.report_draft.pk]), hx),
        (Role.STAFF, reverse("forum:queue"), hx),
        (None, reverse("workshops:list"), hx),
        (None, reverse("contributions:index"), hx),
    ]
    return visits


# --- PDFs ----------------------------------------------------------------------------------

#: PDF names are case-sensitive tokens: ``/JavaScript`` as an action, not the words
#: "text/javascript" of a payload shown as text (in the XMP title or a bookmark).
_NAME = rb"(?<![A-Za-z0-9])"
PDF_DANGERS = {
    "/JavaScript": _NAME + rb"/JavaScript\b",
    "/JS": _NAME + rb"/JS\b",
    "/Launch": _NAME + rb"/Launch\b",
    "/EmbeddedFile": _NAME + rb"/EmbeddedFiles?\b",
    "/OpenAction": _NAME + rb"/OpenAction\b",
    "/AA": _NAME + rb"/AA\b",
    "/SubmitForm": _NAME + rb"/SubmitForm\b",
    "/URI javascript:": _NAME + rb"/URI\s*\(\s*(?i:javascript|vbscript|data|file):",
    "/FileAttachment": _NAME + rb"/FileAttachment\b",
}


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's bytes with every Flate stream (content and object streams) decompressed."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        start = match.end()
        end = pdf.find(b"endstream", start)
        try:
            parts.append(zlib.decompressobj().decompress(pdf[start:end]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def pdf_dangers(pdf: bytes) -> list[str]:
    assert pdf.startswith(b"%PDF-"), pdf[:20]
    text = pdf_objects(pdf)
    found = []
    for name, pattern in PDF_DANGERS.items():
        for match in re.finditer(pattern, text):
            found.append(f"{name} in {text[match.start() - 60 : match.end() + 60]!r}")
    return found


# --- Tests ---------------------------------------------------------------------------------


@pytest.mark.urls("tests.security.xss_unsafe_urls")
def test_harness_sees_payloads_run_on_an_unsafe_page(harness):
    """On a page that pastes each payload unescaped and without a CSP, the harness sees every
    payload meant for an HTML body, most of them running: detection works."""
    found = harness.visit(reverse("xss_unsafe"), who="page non sûre")
    ran = {int(re.search(r"(\d+)$", hit).group(1)) for hit in found["hits"]}
    markers = {int(marker.rsplit("-", 1)[1]) for marker in found["markers"]}
    detected = ran | markers
    assert detected == set(RAW_DETECTED), (
        f"détectés en trop : {sorted(detected - RAW_DETECTED)}, "
        f"manqués : {sorted(RAW_DETECTED - detected)}"
    )
    assert len(ran) >= len(RAW_DETECTED) // 2, sorted(ran)
    print(f"page non sûre : {len(detected)} charges détectées, dont {len(ran)} exécutées")


def test_harness_strips_the_content_security_policy(harness):
    """A real page reaches the browser without its CSP: an inline handler added to it runs,
    so that the walk below proves the escaping, not the CSP."""
    response = harness.page.goto(harness.base + "/")
    assert "content-security-policy" not in response.all_headers()
    ran = harness.page.evaluate(
        """() => new Promise(done => {
            const img = document.createElement("img");
            img.setAttribute("onerror", "window.__inline_ran = true");
            img.src = "data:,x";
            document.body.append(img);
            setTimeout(() => done(window.__inline_ran === true), 300);
        })"""
    )
    assert ran


@pytest.mark.long
def test_no_payload_runs_on_any_page_htmx_fragment_or_pdf(harness, settings, tmp_path):
    """Every page, fragment and PDF that shows the stored payloads shows them as text."""
    from forum_ouvert.reports import services as report_services
    from forum_ouvert.reports.models import Report, ReportKind, ReportState

    settings.MEDIA_ROOT = tmp_path
    settings.RATE_LIMITS_ENABLED = False
    w = build_world()
    build_hostile_world(w)
    filled = poison_everything()
    assert sum(filled.values()) >= 60, filled
    # The accountability reports, rendered (eagerly) from the poisoned texts.
    for kind in (ReportKind.ACCOUNTABILITY, ReportKind.COMMITMENT):
        report_services.report_request(
            author=w.users[Role.STAFF],
            kind=kind,
            plan=w.plan,
            period_start=w.report_draft.period_start,
            period_end=w.report_draft.period_end,
            commitment=w.commitment_a,
        )
    # The plan's documents (issue 16, item 8): the plan, and a co-creation's record.
    for kind, plan in (
        (ReportKind.PLAN, w.plan),
        (ReportKind.COCREATION, w.process_deliberation.plan),
    ):
        report_services.report_request(
            author=w.users[Role.STAFF],
            kind=kind,
            plan=plan,
            period_start=w.report_draft.period_start,
            period_end=w.report_draft.period_end,
        )
    rendered = list(Report.objects.filter(state=ReportState.READY, author__isnull=False))
    assert len(rendered) == 4, [(r.state, r.error) for r in Report.objects.all()]

    visits = [(role, path, None) for role, path in matrix_visits(w)] + query_visits(w)
    visits += [(Role.STAFF, reverse("reports:staff_detail", args=[r.pk]), None) for r in rendered]
    visits += [
        (Role.STAFF, reverse("reports:download", args=[r.pk, "rapport.pdf"]), None)
        for r in rendered
    ]
    visits.sort(key=lambda v: ROLE_PREFERENCE.index(v[0]))
    current = object()
    for role, path, headers in visits:
        if role != current:
            harness.login(w.session_keys[role])
            current = role
        harness.visit(path, headers=headers, who=str(role))
    assert harness.dialogs == []
    # The scoring form was among the pages: its criteria's descriptions were checked.
    harness.login(w.session_keys[Role.STAFF])
    harness.visit(w.application_unscored.get_staff_url(), who="évaluateur")
    assert harness.page.locator("input[name^='review-criterion_']").count() >= 1

    pdfs = {url: body for url, (kind, body) in harness.documents.items() if "pdf" in kind}
    # The four reports, the application and the attestation, and the uploaded PDFs.
    assert len(pdfs) >= 8, sorted(harness.documents)
    for url, body in pdfs.items():
        dangers = pdf_dangers(body)
        if dangers:
            harness.problems.append(f"PDF {url}: {dangers}")
    for report in rendered:
        with report.pdf.open("rb") as fh:
            dangers = pdf_dangers(fh.read())
        if dangers:
            harness.problems.append(f"PDF {report.pdf.name}: {dangers}")

    print(
        f"{harness.visited} pages et fragments, {len(pdfs)} PDF, "
        f"{len(PAYLOADS)} charges dans {sum(filled.values())} champs de {len(filled)} modèles"
    )
    slowest = sorted(harness.timings, reverse=True)[:5]
    print("les plus lentes : " + ", ".join(f"{path} {t:.1f} s" for t, path in slowest))
    assert harness.problems == [], "\n".join(harness.problems)
