"""The review: queue and filters, decisions and seats, notices sent once, bulk actions,
CSV export and the application's PDF."""

from __future__ import annotations

import csv
import html
import io
import re
import subprocess

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from forum_ouvert.core.models import AuditLog
from participation.forum.models import Application, ApplicationStatus, Review
from participation.forum.services.reviews import application_decide, applications_notify
from participation.forum.tasks import send_decision

from .factories import ApplicationFactory, AttachmentFactory, CallFactory, bulk_applications

pytestmark = pytest.mark.django_db

QUEUE = reverse("forum:queue")
ACTIONS = reverse("forum:queue_actions")


@pytest.fixture
def review_call():
    return CallFactory(review=True, colleges=[("Associations", 1), ("Chercheurs", 1)])


def test_decision_is_journaled_with_who_when_why(review_call, staff):
    """A decision records who decided, when, and the reasoned message."""
    application = ApplicationFactory(call=review_call)
    application_decide(
        actor=staff,
        application=application,
        decision=ApplicationStatus.REJECTED,
        message="Le collège est complet.",
    )
    entry = AuditLog.objects.get(action="forum.application.decide")
    assert entry.actor == staff
    assert entry.changes["status"] == ["deposee", "non_retenue"]
    assert entry.reason == "Le collège est complet."
    application.refresh_from_db()
    assert application.decided_by == staff and application.decided_at is not None


def test_a_decision_needs_a_reasoned_message(review_call, staff):
    """Without a message to the applicant, the decision is refused."""
    application = ApplicationFactory(call=review_call)
    with pytest.raises(ValidationError, match="message motivé"):
        application_decide(actor=staff, application=application, decision="retenue", message="   ")


def test_retaining_beyond_the_seats_asks_for_confirmation(client, review_call, staff):
    """With one seat taken, retaining a second organisation shows a warning and asks for
    confirmation; confirmed, it goes through."""
    college = review_call.colleges.get(name="Associations")
    ApplicationFactory(call=review_call, college=college, status=ApplicationStatus.RETAINED)
    second = ApplicationFactory(call=review_call, college=college)
    client.force_login(staff)
    url = reverse("forum:application_decide", args=[second.pk])
    data = {"decision-decision": "retenue", "decision-message": "Bravo."}
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Plus de retenues que de sièges" in page
    assert "Je confirme dépasser le nombre de sièges" in page
    second.refresh_from_db()
    assert second.status == ApplicationStatus.SUBMITTED
    response = client.post(url, {**data, "decision-allow_over_seats": "on"})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == ApplicationStatus.RETAINED


def test_decision_email_goes_out_once_even_if_the_task_runs_twice(
    review_call, staff, django_capture_on_commit_callbacks
):
    """Notifying queues one e-mail; running the task a second time sends nothing more."""
    application = ApplicationFactory(call=review_call)
    application_decide(
        actor=staff, application=application, decision="attente", message="Liste d'attente."
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert applications_notify(actor=staff, applications=[application]) == 1
    assert len(mail.outbox) == 1
    assert "Liste d'attente" in mail.outbox[0].body
    send_decision.delay(application.pk)
    send_decision(application.pk)
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert applications_notify(actor=staff, applications=[application]) == 0
    application.refresh_from_db()
    assert application.decision_notified == "attente"


def test_a_revised_decision_is_notified_again(review_call, staff):
    """After a decision changes, the applicant is told the new one (once)."""
    application = ApplicationFactory(call=review_call)
    application_decide(actor=staff, application=application, decision="attente", message="a")
    send_decision(application.pk)
    application_decide(actor=staff, application=application, decision="retenue", message="b")
    send_decision(application.pk)
    send_decision(application.pk)
    assert [m.body.count("Décision : Retenue") for m in mail.outbox] == [0, 1]


def test_the_applicant_sees_the_decision_only_once_told(client, review_call, staff, applicant):
    """Before notification the applicant sees « En cours d'examen »; after, the decision
    and its message."""
    application = ApplicationFactory(call=review_call, applicant=applicant)
    application_decide(
        actor=staff, application=application, decision="retenue", message="Bienvenue au forum."
    )
    client.force_login(applicant)
    page = html.unescape(client.get(application.get_absolute_url()).content.decode())
    assert "En cours d'examen" in page and "Bienvenue au forum" not in page
    send_decision(application.pk)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Décision : Retenue" in page and "Bienvenue au forum" in page


# --- The queue ---------------------------------------------------------------------------


def test_queue_filters_and_search(client, review_call, staff):
    """Staff filter by collège, status, département and reviewer, and search a name
    without accents."""
    chercheurs = review_call.colleges.get(name="Chercheurs")
    target = ApplicationFactory(
        call=review_call, organisation_name="Éducation Populaire Lyonnaise", college=chercheurs
    )
    ApplicationFactory(call=review_call, organisation_name="Autre Association", departement_id="33")
    ApplicationFactory(call=review_call, status=ApplicationStatus.DRAFT, submitted_at=None)
    Review.objects.create(application=target, reviewer=staff)
    client.force_login(staff)

    def names(**params):
        response = client.get(QUEUE, params)
        assert response.status_code == 200
        return {a.organisation_name for a in response.context["page"].object_list}

    assert len(names()) == 2  # drafts are the applicant's own
    assert names(q="education populaire") == {target.organisation_name}
    assert names(college=chercheurs.pk) == {target.organisation_name}
    assert names(departement="33") == {"Autre Association"}
    assert names(evaluateur=staff.pk) == {target.organisation_name}
    assert names(etat="retenue") == set()
    assert names(appel="9999", tri="n'importe quoi") == {
        target.organisation_name,
        "Autre Association",
    }


def test_the_queue_answers_htmx_with_its_fragment(client, review_call, staff):
    """An htmx request gets only the results, and the page says it varies on HX-Request."""
    ApplicationFactory(call=review_call)
    client.force_login(staff)
    response = client.get(QUEUE, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="queue-results"')
    assert "<html" not in body
    assert "HX-Request" in response["Vary"]
    full = client.get(QUEUE).content.decode()
    assert '<div id="queue-results"' in full and "<html" in full


@pytest.mark.parametrize("size", [10, 1000])
def test_the_queue_uses_a_bounded_number_of_queries(
    client, review_call, staff, size, django_assert_max_num_queries
):
    """The review queue runs the same few queries with 10 or 1,000 applications."""
    bulk_applications(review_call, size, reviewer=staff)
    client.force_login(staff)
    with django_assert_max_num_queries(16):
        response = client.get(QUEUE, {"appel": review_call.pk})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == size


def test_bulk_assign_with_htmx(client, review_call, staff, make_user):
    """Checking applications and assigning a reviewer returns the refreshed results with a
    message; the assignments are journaled."""
    reviewer = make_user("ditp")
    a, b = bulk_applications(review_call, 2)
    client.force_login(staff)
    response = client.post(
        ACTIONS,
        {
            "ids": [a.pk, b.pk],
            "action": "assigner",
            "reviewer": reviewer.pk,
            "filters": f"appel={review_call.pk}",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="queue-results"')
    assert "2 candidatures assignées" in body
    assert Review.objects.filter(reviewer=reviewer).count() == 2
    assert AuditLog.objects.filter(action="forum.review.assign").count() == 2


def test_bulk_decide_without_javascript_redirects_to_the_same_filters(client, review_call, staff):
    """Without htmx, a bulk decision redirects to the queue with its filters."""
    apps = bulk_applications(review_call, 2)
    client.force_login(staff)
    response = client.post(
        ACTIONS,
        {
            "ids": [x.pk for x in apps],
            "action": "non_retenue",
            "message": "Merci.",
            "filters": "etat=deposee",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{QUEUE}?etat=deposee"
    assert set(Application.objects.values_list("status", flat=True)) == {"non_retenue"}


def test_bulk_retain_beyond_seats_is_refused_all_or_nothing(client, review_call, staff):
    """Retaining three organisations in a one-seat collège is refused as a whole, with the
    warning; confirmed, it goes through."""
    college = review_call.colleges.get(name="Associations")
    apps = [ApplicationFactory(call=review_call, college=college) for _ in range(3)]
    client.force_login(staff)
    data = {
        "ids": [x.pk for x in apps],
        "action": "retenue",
        "message": "Bienvenue.",
        "filters": "",
    }
    response = client.post(ACTIONS, data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "compte 1 siège et" in response.content.decode()
    assert not Application.objects.filter(status="retenue").exists()
    response = client.post(
        ACTIONS, {**data, "allow_over_seats": "on"}, headers={"HX-Request": "true"}
    )
    assert Application.objects.filter(status="retenue").count() == 3


def test_bulk_action_errors_are_shown(client, review_call, staff):
    """No application checked, or a decision without message: French errors, nothing done."""
    ApplicationFactory(call=review_call)
    client.force_login(staff)
    response = client.post(ACTIONS, {"action": "retenue", "filters": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Cochez au moins une candidature" in page
    assert "Rédigez le message motivé" in page


def test_bulk_notify_sends_each_decision_once(
    client, review_call, staff, django_capture_on_commit_callbacks
):
    """« Notifier » e-mails each decided application once; undecided ones are skipped."""
    decided = ApplicationFactory(call=review_call)
    application_decide(actor=staff, application=decided, decision="non_retenue", message="Non.")
    undecided = ApplicationFactory(call=review_call)
    client.force_login(staff)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                ACTIONS, {"ids": [decided.pk, undecided.pk], "action": "notifier", "filters": ""}
            )
    assert len(mail.outbox) == 1


def test_csv_export_with_scores(client, review_call, staff):
    """The CSV lists applications with their mean, spread and per-criterion means; a cell
    that looks like a formula is neutralised; the export is journaled."""
    from participation.forum.services.reviews import review_score

    application = ApplicationFactory(call=review_call, organisation_name='=HYPERLINK("x")')
    first, second = review_call.criteria.order_by("order")
    review_score(
        reviewer=staff,
        application=application,
        marks={first.pk: 4, second.pk: 5},
        declares_no_conflict=True,
    )
    client.force_login(staff)
    response = client.get(reverse("forum:queue_export"), {"appel": review_call.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, row = rows[0], rows[1]
    assert "note moyenne /20" in header and "Pertinence (moyenne /5)" in header
    assert row[header.index("organisation")] == '\'=HYPERLINK("x")'
    assert row[header.index("note moyenne /20")] == "14.00"
    assert row[header.index("Pertinence (moyenne /5)")] == "4.00"
    assert AuditLog.objects.filter(action="forum.application.export").exists()


def test_application_pdf(client, review_call, staff, tmp_path):
    """Staff download one application as a PDF carrying its content."""
    application = ApplicationFactory(call=review_call, organisation_name="Maison des Communs")
    AttachmentFactory(application=application, original_name="statuts-2024.pdf")
    client.force_login(staff)
    response = client.get(reverse("forum:application_pdf", args=[application.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "dossier.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Maison des Communs" in text
    assert "statuts-2024.pdf" in text


def test_staff_application_page_shows_scores_and_forms(client, review_call, staff):
    """The application page shows the content, the scoring form with the conflict
    declaration, and the decision form."""
    application = ApplicationFactory(call=review_call)
    client.force_login(staff)
    page = html.unescape(client.get(application.get_staff_url()).content.decode())
    assert "Je déclare n'avoir aucun conflit d'intérêts" in page
    assert "Enregistrer la décision" in page
    response = client.post(
        reverse("forum:review_score", args=[application.pk]),
        {"review-no_conflict": "on", f"review-criterion_{review_call.criteria.first().pk}": "9"},
    )
    assert response.status_code == 400
    assert "Assurez-vous que cette valeur est inférieure ou égale à 5" in response.content.decode()


def _without_csrf(text: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


def test_the_htmx_fragment_is_the_same_as_the_full_page_part(client, review_call, staff):
    """Swapping the htmx fragment gives what a fresh full page shows."""
    bulk_applications(review_call, 3)
    client.force_login(staff)
    params = {"appel": review_call.pk, "tri": "nom"}
    fragment = client.get(QUEUE, params, headers={"HX-Request": "true"}).content.decode()
    full = client.get(QUEUE, params).content.decode()
    start = full.index('<div id="queue-results"')
    part = full[start : start + len(fragment.strip())]
    assert _without_csrf(part) == _without_csrf(fragment.strip())


@pytest.mark.parametrize(
    "params",
    [
        {"appel": "' OR 1=1 --"},
        {"page": "abc"},
        {"page": "999999"},
        {"q": "x" * 500},
        {"q": "市民 🌍 é"},
        {"evaluateur": "-1", "college": "0", "departement": "ZZ"},
        {"etat": "brouillon"},
    ],
)
def test_strange_filters_never_break_the_queue_or_the_export(client, review_call, staff, params):
    """Odd or hostile filter values give a page (and a CSV), never a server error; an
    invalid filter is ignored and the others still apply."""
    ApplicationFactory(call=review_call)
    client.force_login(staff)
    assert client.get(QUEUE, params).status_code == 200
    assert client.get(reverse("forum:queue_export"), params).status_code == 200


def test_the_history_reads_as_french_not_as_codes(
    client, review_call, staff, django_capture_on_commit_callbacks
):
    """The application's history says « Statut : Déposée → Retenue », « Décision notifiée »
    and « Note : … 15,33 », never ``status : deposee → retenue``, ``decision_notifiee`` nor
    ``15.33`` (issue 22, French)."""
    from django.db import transaction

    from forum_ouvert.core.audit import audit_log

    application = ApplicationFactory(call=review_call)
    application_decide(
        actor=staff, application=application, decision="retenue", message="Profil complet."
    )
    with django_capture_on_commit_callbacks(execute=True):
        applications_notify(actor=staff, applications=[application])
    with transaction.atomic():
        audit_log(
            actor=staff,
            action="forum.review.score",
            target=application,
            changes={"Pertinence": [None, 4], "note": [None, "15.33"]},
        )
    client.force_login(staff)
    page = client.get(reverse("forum:review_application", args=[application.pk])).content
    text = html.unescape(re.sub(r"<[^>]+>", " ", page.decode()))
    history = " ".join(text[text.index("Historique") :].split())
    for raw in ("decision_notifiee", "deposee →", "→ retenue", "15.33", "status :"):
        assert raw not in history, raw
    for said in ("Décision notifiée", "Déposée → Retenue", "Note totale : — → 15,33"):
        assert said in history, said
