"""Hostile input on the four forms that write: a contribution, a comment, an application
to the Forum ouvert, a commitment's update in the back-office (two forms: the lead's point
d'étape, and DITP staff's texts, dates and values).

Each form is posted 1,000 times through its real view, as the role that uses it, with
values drawn by Hypothesis (``strategies.py``): never a 5xx; either success with exactly the
expected rows (and their journal rows), or the form again with an error and nothing
written. « Nothing written » and « exactly the expected rows » are read from PostgreSQL's
own counters of the transaction (``pg_stat_xact_user_tables``), so that a write to any table
counts, not only to the tables a test thought of.

Every example runs in a savepoint rolled back afterwards; rate limits are off here only.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engagements.models import Commitment, CommitmentStatus, JournalEntry
from forum_ouvert.core.choices import Role
from forum_ouvert.core.models import AuditLog
from forum_ouvert.core.uploads import is_active_pdf
from forum_ouvert.core.validators import is_control
from participation.contributions.models import (
    BODY_MAX,
    COMMENT_MAX,
    TITLE_MAX,
    Comment,
    Contribution,
)
from participation.forum.identifiers import luhn_ok
from participation.forum.models import (
    MAX_ATTACHMENTS,
    Application,
    ApplicationStatus,
    LegalForm,
)
from tests.contributions.factories import (
    CommentFactory,
    ConsultationFactory,
    ContributionFactory,
    ThemeFactory,
)
from tests.engagements.factories import AxisFactory, CommitmentFactory, PlanFactory
from tests.forum.factories import PDF_BYTES, ApplicationFactory, CallFactory

from .strategies import (
    ACTIVE_PDFS,
    MISSING,
    broken_lines,
    dates,
    forms,
    hostile_text,
    ids,
    numbers,
    one_of_hostile,
    post_data,
    valid_line,
    valid_text,
)

pytestmark = [
    pytest.mark.long,
    pytest.mark.django_db,
    # A failing example may hold a 200 000-character value: Hypothesis warns before
    # printing it, and the failure itself must be what the report shows.
    pytest.mark.filterwarnings("ignore:Generating overly large repr"),
]

#: 1,000 in ``make test``; ``FO_HOSTILE_EXAMPLES=50`` for a quick run while developing.
EXAMPLES = int(os.environ.get("FO_HOSTILE_EXAMPLES", "1000"))
#: Each branch (success, form error) must be taken at least this often.
MIN_BRANCH = EXAMPLES // 10

HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
#: The regression tests of one field each (issue 23's ids and themes), beside the forms of
#: issue 8 that get the thousand: a quarter of it (they took a fifth of the suite's time).
REGRESSION = settings(HYPOTHESIS, max_examples=max(EXAMPLES // 4, 10))


@pytest.fixture(autouse=True)
def _no_rate_limits(settings, tmp_path):
    """A thousand posts by one person in a row: the rate limits would answer, not the forms.
    Uploaded files go to a temporary folder."""
    settings.RATE_LIMITS_ENABLED = False
    settings.MEDIA_ROOT = tmp_path


def _writes() -> Counter:
    """Rows inserted, updated and deleted so far in this transaction, per table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables"
        )
        counts = Counter()
        for table, inserted, updated, deleted in cursor.fetchall():
            counts[(table, "insert")] += inserted
            counts[(table, "update")] += updated
            counts[(table, "delete")] += deleted
        return counts


def post_in_savepoint(client: Client, url: str, data: dict, check) -> int:
    """POST ``data`` to ``url`` in a savepoint that is rolled back afterwards; call
    ``check(response, writes)`` inside it, with the writes the request made per table."""
    with transaction.atomic():
        before = _writes()
        response = client.post(url, data)
        writes = +(_writes() - before)
        assert response.status_code < 500, response.status_code
        check(response, dict(writes))
        transaction.set_rollback(True)
    return response.status_code


def _last(value):
    """What a form reads from a repeated key: the last value."""
    return value[-1] if isinstance(value, list) else value


def _form_error(response, meant_valid: bool, name: str = "form") -> None:
    """The form came back with at least one error, and was not meant to be valid; or
    Django refused the request body before any form saw it (400: a file name past the
    multipart header limit, a body past ``DATA_UPLOAD_MAX_MEMORY_SIZE``)."""
    if response.status_code == 400:
        assert not meant_valid, "a valid form refused as a bad request"
        return
    assert response.status_code == 200
    errors = response.context[name].errors
    assert errors, "a 200 without a form error"
    assert not meant_valid, f"a valid form refused: {errors.as_data()}"


def _chosen_id(form: dict, name: str, kind):
    """The key a select field was given, or None when left empty or out."""
    value = _last(form.get(name, MISSING))
    return None if value in (MISSING, "") else kind(value)


def _both_branches(outcomes: Counter, minimum: int = MIN_BRANCH) -> None:
    """Both branches were really taken, often."""
    assert outcomes["success"] >= minimum and outcomes["error"] >= minimum, outcomes


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Contributions -------------------------------------------------------------------


def contribution_forms(*, themes, foreign_theme, commitments):
    ids = [st.one_of(numbers(), st.just(str(foreign_theme)))]
    return forms(
        {
            "title": valid_line(min_size=5, max_size=TITLE_MAX),
            "body": valid_text(min_size=20, max_size=BODY_MAX),
            "theme": st.sampled_from([str(t) for t in themes]),
            "commitment": st.sampled_from(["", *(str(c) for c in commitments)]),
            "departement": st.sampled_from(["", "01", "2A", "2B", "69", "976"]),
        },
        {
            "title": [broken_lines(valid_line(min_size=5, max_size=TITLE_MAX - 7))],
            "theme": ids,
            "commitment": ids,
            "departement": [st.sampled_from(["2a", "20", "00", "975", "999", "69 ", "６９"])],
        },
    )


def test_hostile_contributions(make_user):
    """A thousand contributions, hostile or not: published with exactly one new row and its
    audit row, or refused with a message and nothing written; never a server error."""
    consultation = ConsultationFactory()
    themes = [ThemeFactory(consultation=consultation).pk for _ in range(2)]
    foreign_theme = ThemeFactory().pk
    plan = PlanFactory(is_current=True)
    commitments = [CommitmentFactory(plan=plan).pk for _ in range(2)]
    author = make_user(Role.CITIZEN)
    client = _logged_in(author)
    url = reverse("contributions:create", kwargs={"slug": consultation.slug})
    outcomes = Counter()

    def check(meant_valid: bool, form: dict):
        def checked(response, writes):
            if response.status_code != 302:
                _form_error(response, meant_valid)
                assert writes == {}
                outcomes["error"] += 1
                return
            assert writes == {
                ("contributions_contribution", "insert"): 1,
                ("core_auditlog", "insert"): 1,
            }
            made = Contribution.objects.get()
            assert response.url == made.get_absolute_url()
            assert (made.author_id, made.consultation_id) == (author.pk, consultation.pk)
            assert made.title == _last(form["title"]).strip()
            assert made.body == _last(form["body"]).strip()
            assert made.theme_id == int(_last(form["theme"]))
            assert made.commitment_id == _chosen_id(form, "commitment", int)
            assert made.departement_id == _chosen_id(form, "departement", str)
            assert "\x00" not in made.title + made.body
            assert not any(map(is_control, made.title)), made.title
            outcomes["success"] += 1

        return checked

    @HYPOTHESIS
    @given(
        example=contribution_forms(
            themes=themes, foreign_theme=foreign_theme, commitments=commitments
        )
    )
    def post(example):
        meant_valid, form = example
        post_in_savepoint(client, url, post_data(form), check(meant_valid, form))

    post()
    _both_branches(outcomes)


# --- Comments ------------------------------------------------------------------------


def test_hostile_comments(make_user):
    """A thousand comments and replies, hostile or not: published with exactly one new row
    (and the contribution's recount), or refused with nothing written."""
    contribution = ContributionFactory()
    parent = CommentFactory(contribution=contribution)
    reply = CommentFactory(contribution=contribution, parent=parent)
    elsewhere = CommentFactory()
    author = make_user(Role.CITIZEN)
    client = _logged_in(author)
    url = reverse(
        "contributions:comment",
        kwargs={"slug": contribution.consultation.slug, "pk": contribution.pk},
    )
    examples = forms(
        {
            "body": valid_text(min_size=2, max_size=COMMENT_MAX),
            "parent": st.sampled_from(["", str(parent.pk)]),
        },
        {"parent": [numbers(), st.sampled_from([str(reply.pk), str(elsewhere.pk)])]},
    )
    outcomes = Counter()

    def check(meant_valid: bool, form: dict):
        def checked(response, writes):
            if response.status_code != 302:
                _form_error(response, meant_valid, "comment_form")
                assert writes == {}
                outcomes["error"] += 1
                return
            made = Comment.objects.exclude(pk__in=[parent.pk, reply.pk, elsewhere.pk]).get()
            # The contribution's author is notified, and the answered comment's author too
            # (each notification queues its e-mail and counts on its person's row).
            told = 2 if made.parent_id else 1
            assert writes == {
                ("contributions_comment", "insert"): 1,
                ("contributions_contribution", "update"): 1,
                ("core_notification", "insert"): told,
                ("core_outboxtask", "insert"): told,
                ("core_user", "update"): told,
            }
            assert response.url.endswith(f"#commentaire-{made.pk}")
            assert (made.author_id, made.contribution_id) == (author.pk, contribution.pk)
            assert made.body == _last(form["body"]).strip()
            posted_parent = _last(form.get("parent", MISSING))
            if posted_parent in (MISSING, ""):
                assert made.parent_id is None
            else:
                assert made.parent_id == parent.pk
            outcomes["success"] += 1

        return checked

    @HYPOTHESIS
    @given(example=examples)
    def post(example):
        meant_valid, form = example
        post_in_savepoint(client, url, post_data(form), check(meant_valid, form))

    post()
    _both_branches(outcomes)


# --- Applications to the Forum ouvert ------------------------------------------------


@st.composite
def sirets(draw) -> str:
    """A SIRET with a valid Luhn checksum, sometimes typed with spaces."""
    digits = draw(st.lists(st.integers(0, 9), min_size=13, max_size=13))
    for check in range(10):
        candidate = "".join(map(str, [*digits, check]))
        if luhn_ok(candidate):
            break
    if draw(st.booleans()):
        candidate = f"{candidate[:3]} {candidate[3:6]} {candidate[6:9]} {candidate[9:]}"
    return candidate


#: RNA and SIRET values that look right to a human and must still be refused.
BAD_IDENTIFIERS = st.sampled_from(
    [
        "W75123456",
        "W7512345678",
        "X751234567",
        "W٧٥١٢٣٤٥٦٧",  # Arabic-Indic digits
        "W７５１２３４５６７",  # full-width digits
        "123 456 789 00013",  # bad checksum
        "١٢٣٤٥٦٧٨٩٠٠٠١٢",
        "１２３４５６７８９０００１２",
        "12345678900012\n",
        "12345678900012 OR 1=1",
        "７３２８２９３２００００７４",  # the existing application's SIRET, full-width
        "W７５１２３４５６７",
    ]
)
ASCII_RNA = re.compile(r"(W[0-9]{9})?", re.ASCII)
ASCII_SIRET = re.compile(r"([0-9]{14})?", re.ASCII)

GOOD_PDF = ("statuts.pdf", PDF_BYTES)
#: An attachment: (name, content), posted as an uploaded file.
_HOSTILE_ATTACHMENT = st.tuples(
    st.one_of(
        st.just("statuts.pdf"),
        st.sampled_from(["statuts.PDF", "<script>.pdf", "../../etc/passwd.pdf", ".pdf"]),
        st.builds(lambda name: f"{name}.pdf", hostile_text()),
        st.sampled_from(["image.png", "statuts.pdf.exe", "statuts"]),
    ),
    st.one_of(
        st.just(PDF_BYTES),
        st.sampled_from([b"", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, b"%PDF-1.4\n"]),
        st.sampled_from(sorted(ACTIVE_PDFS.values())),
        st.binary(max_size=256),
    ),
)
#: Half the time no attachment, a quarter good PDFs (up to the limit), a quarter anything.
ATTACHMENTS = st.integers(0, 3).flatmap(
    lambda kind: (
        st.just([])
        if kind < 2
        else st.lists(st.just(GOOD_PDF), min_size=1, max_size=MAX_ATTACHMENTS)
        if kind == 2
        else st.lists(_HOSTILE_ATTACHMENT, min_size=1, max_size=MAX_ATTACHMENTS + 1)
    )
)


def application_forms(*, call, foreign_college):
    colleges = [str(pk) for pk in call.colleges.values_list("pk", flat=True)]
    return forms(
        {
            "organisation_name": valid_line(min_size=1, max_size=200),
            "legal_form": st.sampled_from(LegalForm.values),
            "rna_number": st.one_of(
                st.just(""),
                st.integers(0, 10**9 - 1).map(lambda n: f"W{n:09d}"),
                st.integers(0, 10**9 - 1).map(lambda n: f"w{n:09d}"[:4] + " " + f"{n:09d}"[3:]),
            ),
            "siret": st.one_of(st.just(""), sirets()),
            "departement": st.sampled_from(["01", "2A", "2B", "69", "75", "976"]),
            "website": st.one_of(
                st.just(""),
                st.builds(
                    lambda path: f"https://www.exemple.fr/{path}",
                    st.text(alphabet="abcdefghij-_/", max_size=40),
                ),
            ),
            "contact_name": valid_line(min_size=1, max_size=120),
            "contact_email": st.sampled_from(
                ["contact@exemple.fr", "a+b@sous.domaine.exemple.org", "nom@exemple.fr"]
            ),
            "contact_phone": st.sampled_from(["", "01 23 45 67 89", "+33 (0)1 23 45 67 89"]),
            "college": st.sampled_from(colleges),
            "motivation": valid_text(min_size=1, max_size=3000),
            "experience": valid_text(min_size=1, max_size=3000),
            "accepts_accuracy": st.just("on"),
            "accepts_privacy": st.just("on"),
            "action": st.sampled_from(["deposer", "brouillon"]),
        },
        {
            "organisation_name": [
                st.just("ASSOCIATION des Communs !"),
                broken_lines(valid_line(min_size=1, max_size=193)),
            ],
            "contact_name": [broken_lines(valid_line(min_size=1, max_size=113))],
            "legal_form": [st.sampled_from(["inconnu", "ASSOCIATION", "association "])],
            "rna_number": [BAD_IDENTIFIERS, st.just("W751234567")],
            "siret": [BAD_IDENTIFIERS, st.just(EXISTING_SIRET)],
            "departement": [st.sampled_from(["2a", "20", "00", "975", "999", "６９"])],
            "website": [
                st.sampled_from(
                    [
                        "javascript:alert(1)",
                        "data:text/html,<script>alert(1)</script>",
                        "http://",
                        "ftp://exemple.fr/",
                        "https://exemple.fr/" + "a" * 400,
                        "https://exemple.fr\r\n.evil",
                        "//evil.exemple",
                    ]
                )
            ],
            "contact_email": [
                st.sampled_from(
                    [
                        "a@b",
                        "<script>@exemple.fr",
                        "contact@exemple.fr\r\nBcc: autre@exemple.fr",
                        "contact@exemple.fr,autre@exemple.fr",
                        "@exemple.fr",
                        "prénom.nom@exemple.fr",
                    ]
                )
            ],
            "college": [numbers(), st.just(str(foreign_college))],
            "accepts_accuracy": [st.sampled_from(["", "false", "0", "off", "on"])],
            "accepts_privacy": [st.sampled_from(["", "false", "0", "off", "on"])],
            "action": [st.sampled_from(["DEPOSER", "supprimer", ""])],
        },
    )


def _good_files(files: list) -> bool:
    return len(files) <= MAX_ATTACHMENTS and all(f == GOOD_PDF for f in files)


#: The application already made in the call, which a new one may not duplicate.
EXISTING_SIRET = "73282932000074"


def test_hostile_applications(make_user):
    """A thousand applications (drafts and submissions, with or without attachments),
    hostile or not: saved with their journal rows, or refused with nothing written."""
    call = CallFactory()
    ApplicationFactory(
        call=call,
        organisation_name="Association des Communs",
        rna_number="W751234567",
        siret=EXISTING_SIRET,
    )
    foreign_college = CallFactory().colleges.first().pk
    applicant = make_user(Role.ASSOCIATION)
    client = _logged_in(applicant)
    url = reverse("forum:apply", kwargs={"slug": call.slug})
    known = set(Application.objects.values_list("pk", flat=True))
    outcomes = Counter()

    def check(meant_valid: bool, form: dict, files: list):
        def checked(response, writes):
            if response.status_code != 302:
                _form_error(response, meant_valid and _good_files(files))
                # Refused: nothing written but the valid files kept for the next try.
                kept = writes.pop(("core_pendingupload", "insert"), 0)
                assert writes == {} and kept <= len(files)
                outcomes["error"] += 1
                return
            submitted = _last(form.get("action", MISSING)) == "deposer"
            expected = Counter(
                {
                    ("forum_application", "insert"): 1,
                    ("forum_application", "update"): int(submitted),
                    ("core_auditlog", "insert"): 1 + submitted,
                    ("forum_attachment", "insert"): len(files),
                    # The acknowledgement e-mail, queued in the transactional outbox.
                    ("core_outboxtask", "insert"): int(submitted),
                }
            )
            assert writes == dict(+expected)
            made = Application.objects.exclude(pk__in=known).get()
            assert response.url == made.get_absolute_url()
            assert made.applicant_id == applicant.pk and made.call_id == call.pk
            assert made.status == (
                ApplicationStatus.SUBMITTED if submitted else ApplicationStatus.DRAFT
            )
            assert made.organisation_name == _last(form["organisation_name"]).strip()
            assert not any(map(is_control, made.organisation_name + made.contact_name))
            # Identifiers are stored in their plain ASCII form, or not at all.
            assert ASCII_RNA.fullmatch(made.rna_number), made.rna_number
            assert ASCII_SIRET.fullmatch(made.siret), made.siret
            assert made.website == "" or made.website.startswith(("https://", "http://"))
            assert made.attachments.count() == len(files)
            assert not any(is_active_pdf(content) for _, content in files)
            actions = AuditLog.objects.filter(target_id=str(made.pk)).values_list(
                "action", flat=True
            )
            assert sorted(actions) == ["forum.application.create"] + (
                ["forum.application.submit"] if submitted else []
            )
            outcomes["success"] += 1

        return checked

    @HYPOTHESIS
    @given(example=application_forms(call=call, foreign_college=foreign_college), files=ATTACHMENTS)
    def post(example, files):
        meant_valid, form = example
        data = post_data(form)
        if files:
            data["attachments"] = [SimpleUploadedFile(n, c) for n, c in files]
        post_in_savepoint(client, url, data, check(meant_valid, form, files))

    post()
    _both_branches(outcomes)


# --- A commitment's update in the back-office -----------------------------------------

#: What the public journal records for a commitment (the fields the two forms change).
JOURNALED = (
    "status",
    "progress",
    "title",
    "title_confirmed",
    "ogp_id",
    "axis_id",
    "problem",
    "description",
    "how_it_helps",
    "why_relevant",
    "starts_on",
    "ends_on",
    "value_transparency",
    "value_participation",
    "value_accountability",
    "value_technology",
)


def _commitment_row(commitment) -> dict:
    return Commitment.objects.filter(pk=commitment.pk).values(*JOURNALED).get()


def _check_commitment_update(commitment, actor, outcomes, meant_valid, form):
    """The checks shared by both back-office forms: one journal row per changed field,
    with the actor and the justification; or a form error and nothing written."""
    before = _commitment_row(commitment)

    def checked(response, writes):
        if response.status_code != 302:
            _form_error(response, meant_valid)
            assert writes == {}
            assert _commitment_row(commitment) == before
            outcomes["error"] += 1
            return
        after = _commitment_row(commitment)
        changed = {
            "axis" if name == "axis_id" else name
            for name in JOURNALED
            if before[name] != after[name]
        }
        entries = list(JournalEntry.objects.filter(commitment=commitment))
        assert sorted(e.field for e in entries) == sorted(changed)
        justification = _last(form["justification"]).strip()
        assert all(e.actor_id == actor.pk and e.justification == justification for e in entries)
        expected = Counter(
            {
                ("engagements_commitment", "update"): int(bool(changed)),
                ("engagements_journalentry", "insert"): len(changed),
                # The followers' notification, queued in the transactional outbox.
                ("core_outboxtask", "insert"): int(bool(changed)),
                # A change of state is a move of the state machine: one audit row.
                ("core_auditlog", "insert"): int("status" in changed),
            }
        )
        assert writes == dict(+expected)
        assert after["progress"] in range(101)
        assert (after["status"] == CommitmentStatus.COMPLETE) == (after["progress"] == 100)
        outcomes["success"] += 1
        outcomes["journal rows"] += len(changed)

    return checked


JUSTIFICATION = valid_text(min_size=10, max_size=2000)


def test_hostile_progress_updates(make_user):
    """A thousand points d'étape by a commitment's lead, hostile or not: saved with one
    journal row per changed field, or refused with nothing written."""
    lead = make_user(Role.LEAD)
    commitment = CommitmentFactory(plan=PlanFactory(), leads=[lead])
    client = _logged_in(lead)
    url = reverse("engagements:bo_progress", kwargs={"slug": commitment.slug})
    S = CommitmentStatus
    consistent = st.one_of(
        st.just((S.NOT_STARTED, "0")),
        st.tuples(st.sampled_from([S.LIMITED, S.SUBSTANTIAL]), st.integers(0, 99).map(str)),
        st.just((S.COMPLETE, "100")),
    )
    valid = consistent.flatmap(
        lambda pair: st.fixed_dictionaries(
            {
                "status": st.just(pair[0]),
                "progress": st.just(pair[1]),
                "justification": JUSTIFICATION,
            }
        )
    )
    hostile = st.fixed_dictionaries(
        {
            "status": one_of_hostile(
                st.sampled_from(S.values), [st.sampled_from(["en_retard", "ACHEVE", "acheve "])]
            ),
            "progress": one_of_hostile(st.integers(0, 100).map(str), [numbers()]),
            "justification": one_of_hostile(JUSTIFICATION),
        }
    )
    examples = st.one_of(st.tuples(st.just(True), valid), st.tuples(st.just(False), hostile))
    outcomes = Counter()

    @HYPOTHESIS
    @given(example=examples)
    def post(example):
        meant_valid, form = example
        check = _check_commitment_update(commitment, lead, outcomes, meant_valid, form)
        post_in_savepoint(client, url, post_data(form), check)

    post()
    _both_branches(outcomes)
    assert outcomes["journal rows"] >= MIN_BRANCH, outcomes


def test_hostile_commitment_texts(make_user):
    """A thousand edits of a commitment's texts, dates and values by DITP staff, hostile or
    not: saved with one journal row per changed field, or refused with nothing written."""
    staff = make_user(Role.STAFF)
    plan = PlanFactory()
    axes = [AxisFactory(plan=plan).pk for _ in range(2)]
    foreign_axis = AxisFactory(plan=PlanFactory(slug="autre-plan", is_current=False)).pk
    commitment = CommitmentFactory(plan=plan)
    client = _logged_in(staff)
    url = reverse("engagements:bo_texts", kwargs={"slug": commitment.slug})
    text = valid_text(min_size=0, max_size=3000)
    checkbox = st.sampled_from(["on", MISSING])
    start = st.dates(dt.date(2020, 1, 1), dt.date(2026, 12, 31))
    end = st.dates(dt.date(2027, 1, 1), dt.date(2030, 12, 31))
    fields = {
        "title": valid_line(min_size=1, max_size=500),
        "title_confirmed": checkbox,
        "ogp_id": st.sampled_from(["", "FR0001", "FR0123"]),
        "axis": st.sampled_from(["", *map(str, axes)]),
        "problem": text,
        "description": text,
        "how_it_helps": text,
        "why_relevant": text,
        # Any start is before any end.
        "starts_on": st.one_of(st.just(""), start.map(dt.date.isoformat)),
        "ends_on": st.one_of(st.just(""), end.map(dt.date.isoformat)),
        "value_transparency": checkbox,
        "value_participation": checkbox,
        "value_accountability": checkbox,
        "value_technology": checkbox,
        "justification": JUSTIFICATION,
    }
    extra = {
        "ogp_id": [st.just("FR" + "0" * 30)],
        "axis": [numbers(), st.just(str(foreign_axis))],
        "starts_on": [dates()],
        "ends_on": [dates()],
        "title_confirmed": [st.sampled_from(["false", "0", "", "off"])],
        "title": [broken_lines(valid_line(min_size=1, max_size=493))],
    }
    outcomes = Counter()

    @HYPOTHESIS
    @given(example=forms(fields, extra))
    def post(example):
        meant_valid, form = example
        check = _check_commitment_update(commitment, staff, outcomes, meant_valid, form)
        post_in_savepoint(client, url, post_data(form), check)

    post()
    _both_branches(outcomes)
    assert outcomes["journal rows"] >= MIN_BRANCH, outcomes


# --- Ids -------------------------------------------------------------------------------


def test_hostile_bulk_action_ids(make_user):
    """The AMI queue's bulk assignment with hostile ids in its checkboxes (issue 23: one past
    2^63 − 1 was a 500): the known applications assigned, or a 400 with nothing written."""
    staff = make_user(Role.STAFF)
    reviewer = make_user(Role.STAFF)
    call = CallFactory(review=True)
    # Enough applications that the valid selections are many (Hypothesis draws each once).
    known = [ApplicationFactory(call=call).pk for _ in range(8)]
    draft = ApplicationFactory(call=call, draft=True).pk
    client = _logged_in(staff)
    url = reverse("forum:queue_actions")
    valid_ids = st.lists(st.sampled_from([str(pk) for pk in known]), min_size=1, max_size=4)
    hostile_ids = st.lists(ids([*known, draft]), min_size=1, max_size=3).filter(
        lambda values: any(v not in {str(pk) for pk in known} for v in values)
    )
    outcomes = Counter()

    def check(meant_valid: bool, chosen: list[str]):
        def checked(response, writes):
            if meant_valid:
                assert response.status_code == 302
                assert writes[("forum_review", "insert")] == len(set(chosen))
                outcomes["success"] += 1
            else:
                _form_error(response, meant_valid, "bulk_form")
                assert writes == {}
                outcomes["error"] += 1

        return checked

    @REGRESSION
    @given(st.one_of(st.tuples(st.just(True), valid_ids), st.tuples(st.just(False), hostile_ids)))
    def run(drawn):
        meant_valid, chosen = drawn
        data = {"ids": chosen, "action": "assigner", "reviewer": str(reviewer.pk)}
        post_in_savepoint(client, url, data, check(meant_valid, chosen))

    run()
    _both_branches(outcomes, REGRESSION.max_examples // 10)


def test_huge_ids_in_urls_are_not_found(client, make_user):
    """Every id in a URL is an ``<id:…>`` (core/ids.py): past 2^63 − 1 the URL does not
    match, a 404 before any query, for every route that takes an id."""
    from django.urls import NoReverseMatch, get_resolver

    from forum_ouvert.core.ids import IdConverter

    client.force_login(make_user(Role.ADMIN))
    routes = []

    def walk(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                walk(pattern, route)
            elif any(isinstance(c, IdConverter) for c in pattern.pattern.converters.values()):
                routes.append(route)

    walk(get_resolver())
    assert len(routes) >= 30, routes
    for route in routes:
        url = "/" + re.sub(r"<id:\w+>", "9223372036854775808", route)
        url = re.sub(r"<slug:\w+>", "exemple", url)
        url = re.sub(r"<str:\w+>", "exemple.pdf", url)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 404, (method, url, response.status_code)
    with pytest.raises(NoReverseMatch):
        reverse("forum:my_application", kwargs={"pk": 2**63})


def test_every_id_goes_through_the_kit():
    """No app takes an id past the kit's bounds (``core/ids.py``): no ``<int:…pk>`` in a
    URL (``<id:…>``), no Django ``ModelMultipleChoiceField`` (the kit's), no bound of its own."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    kit = {root / "forum_ouvert/core/forms.py", root / "forum_ouvert/core/ids.py"}
    patterns = (r"<int:\w*pk>", r"forms\.ModelMultipleChoiceField", r"2\s*\*\*\s*63")
    offences = [
        (str(path.relative_to(root)), pattern)
        for folder in ("engagements", "participation", "forum_ouvert")
        for path in (root / folder).rglob("*.py")
        if "migrations" not in path.parts and path not in kit
        for pattern in patterns
        if re.search(pattern, path.read_text())
    ]
    assert offences == []


# --- Consultation themes -----------------------------------------------------------------


def test_hostile_consultation_themes(make_user):
    """Staff's consultation form with hostile themes, one per line (issue 23: a theme past
    200 characters was reported under « Titre »): saved with exactly the themes typed, or
    refused with the error on « Thèmes ou questions » only, and nothing written."""
    from participation.contributions.models import Consultation

    client = _logged_in(make_user(Role.STAFF))
    url = reverse("contributions:consultation_create")
    today = timezone.localdate()
    base = {
        "title": "Consultation de test",
        "slug": "consultation-de-test",
        "presentation": "Une consultation pour les tests de saisie hostile.",
        "opens_on": today.isoformat(),
        "closes_on": (today + dt.timedelta(days=30)).isoformat(),
        "moderation_mode": "a_priori",
    }
    line = st.one_of(
        valid_line(min_size=1, max_size=200),
        valid_line(min_size=1, max_size=200).map(lambda text: text + "x" * (201 - len(text))),
        broken_lines(valid_line(min_size=1, max_size=150)).filter(lambda t: "\t" in t),
        st.builds(lambda n: "é" * n, st.integers(190, 260)),
    )
    outcomes = Counter()

    def expected_titles(lines: list[str]) -> list[str] | None:
        titles = list(dict.fromkeys(t.strip() for t in "\n".join(lines).splitlines() if t.strip()))
        fine = all(len(t) <= 200 and not any(map(is_control, t)) for t in titles)
        return titles if fine and len(titles) <= 30 else None

    def check(titles):
        def checked(response, writes):
            if response.status_code == 302:
                assert titles is not None
                made = Consultation.objects.get(slug="consultation-de-test")
                assert list(made.themes.values_list("title", flat=True)) == titles
                outcomes["success"] += 1
                return
            assert response.status_code == 200
            errors = response.context["form"].errors
            assert titles is None, errors
            assert list(errors) == ["themes"], errors
            assert writes == {}
            outcomes["error"] += 1

        return checked

    @REGRESSION
    @given(st.lists(line, min_size=1, max_size=4))
    def run(lines):
        titles = expected_titles(lines)
        data = {**base, "themes": "\n".join(lines)}
        post_in_savepoint(client, url, data, check(titles))

    run()
    _both_branches(outcomes, REGRESSION.max_examples // 10)
