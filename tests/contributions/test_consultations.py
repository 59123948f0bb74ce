"""DITP staff create and change consultations; the synthesis makes the responses public."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from forum_ouvert.core.extensions import VerifiedParticipation
from forum_ouvert.core.models import AuditLog
from participation.contributions.models import Consultation, Contribution, ResponseStatus

from .factories import ContributionFactory, ResponseFactory

pytestmark = pytest.mark.django_db


def _data(**extra):
    today = timezone.localdate()
    return {
        "title": "Le numérique au service de la participation",
        "slug": "numerique-participation",
        "presentation": "Comment le numérique peut-il aider chacun à participer ?",
        "opens_on": today.isoformat(),
        "closes_on": (today + datetime.timedelta(days=30)).isoformat(),
        "moderation_mode": "a_priori",
        "is_published": "on",
        "themes": "Accessibilité\nDonnées ouvertes\n\nAccessibilité",
        **extra,
    }


def test_staff_creates_a_consultation(client, make_user):
    """A new consultation gets its themes in order (duplicates dropped) and a journal row."""
    client.force_login(make_user("ditp"))
    response = client.post("/pilotage/contributions/consultations/nouvelle/", _data())
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert list(consultation.themes.values_list("title", flat=True)) == [
        "Accessibilité",
        "Données ouvertes",
    ]
    assert consultation.is_open
    assert AuditLog.objects.filter(action="contributions.consultation.create").exists()
    assert "Le numérique au service" in client.get("/contributions/").content.decode()


def test_dates_must_be_ordered(client, make_user):
    """A closing date before the opening date is refused in French."""
    client.force_login(make_user("ditp"))
    today = timezone.localdate()
    response = client.post(
        "/pilotage/contributions/consultations/nouvelle/",
        _data(closes_on=(today - datetime.timedelta(days=1)).isoformat()),
    )
    assert response.status_code == 200
    assert "La clôture doit suivre l&#x27;ouverture." in response.content.decode()


@pytest.mark.parametrize(
    ("theme", "message"),
    [("T" * 201, "au plus 200 caractères"), ("Thème\tcaché", "tient sur une ligne")],
    ids=["201-characters", "tab"],
)
def test_a_wrong_theme_is_reported_on_the_themes_not_the_title(client, make_user, theme, message):
    """Issue 23: a theme of more than 200 characters was reported under the consultation's
    « Titre ». The error is on « Thèmes ou questions », naming the line; nothing is saved."""
    import html

    client.force_login(make_user("ditp"))
    response = client.post(
        "/pilotage/contributions/consultations/nouvelle/",
        _data(themes=f"Accessibilité\n{theme}"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["themes"], errors
    assert errors["themes"][0].startswith("Thème n° 2 : ")
    assert message in errors["themes"][0]
    assert message in html.unescape(response.content.decode())
    assert not Consultation.objects.exists()


def test_answered_theme_is_kept(client, make_user, consultation):
    """Removing a theme that contributions answer keeps it (their question must stay)."""
    theme = consultation.themes.get(title="Transparence")
    ContributionFactory(consultation=consultation, theme=theme)
    client.force_login(make_user("ditp"))
    url = f"/pilotage/contributions/consultations/{consultation.slug}/modifier/"
    response = client.post(
        url, _data(slug=consultation.slug, title=consultation.title, themes="Nouveau thème")
    )
    assert response.status_code == 302
    titles = set(consultation.themes.values_list("title", flat=True))
    assert titles == {"Nouveau thème", "Transparence"}
    row = AuditLog.objects.get(action="contributions.consultation.update")
    assert "moderation_mode" in row.changes


def test_synthesis_counts_and_chart(client, consultation):
    """The synthesis counts by decision, theme and département, draws a chart with its
    table, and lists the responses."""
    theme = consultation.themes.first()
    answered = ContributionFactory(
        consultation=consultation, theme=theme, departement_id="69", responded_at=timezone.now()
    )
    ResponseFactory(contribution=answered, status=ResponseStatus.PARTLY_ACCEPTED, text="En partie.")
    ContributionFactory(consultation=consultation, departement_id="69")
    ContributionFactory(consultation=consultation, hidden=True, departement_id="2A")
    html = client.get(f"/contributions/{consultation.slug}/synthese/").content.decode()
    assert "2 contributions publiées, dont 1 avec un retour argumenté." in html
    assert "<svg" in html and "Contributions par département" in html
    assert "<td>Rhône (69)</td><td>2</td>" in html
    assert "Corse-du-Sud" not in html
    assert "En partie." in html


def test_synthesis_queries_are_bounded(client, consultation, django_assert_max_num_queries):
    """The synthesis costs the same with 2 or 30 contributions."""

    def add(n):
        for i in range(n):
            c = ContributionFactory(
                consultation=consultation, departement_id="69", responded_at=timezone.now()
            )
            if i % 2:
                ResponseFactory(contribution=c)

    add(2)
    with django_assert_max_num_queries(12) as small:
        client.get(f"/contributions/{consultation.slug}/synthese/")
    add(28)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(f"/contributions/{consultation.slug}/synthese/")


def test_demo_populates_this_capability(client):
    """After ``seed_demo``, the contributions pages show consultations, answers, a queue."""
    call_command("import_plan", "engagements/data/plan-2024-2026.json")
    call_command("seed_demo")
    call_command("seed_demo")
    assert Consultation.objects.count() == 3
    assert Contribution.objects.filter(responded_at__isnull=False).count() == 4
    html = client.get("/contributions/").content.decode()
    assert "Préparer le prochain plan d" in html
    assert (
        "Consultation de démonstration"
        in client.get("/contributions/prochain-plan-d-action/").content.decode()
    )


@pytest.mark.parametrize(
    "model", ["consultation", "contribution", "report", "response", "attestation"]
)
def test_admin_pages_are_read_only(client, make_user, contribution, model):
    """The administrator can browse this app's rows in the admin, not change them there."""
    from participation.contributions import services
    from participation.contributions.models import Report

    Report.objects.create(reporter=make_user("citoyen"), contribution=contribution, reason="spam")
    ResponseFactory(contribution=contribution)
    services.attestation_issue(
        user=contribution.author,
        holder_name="Nom",
        participations=[
            VerifiedParticipation(kind="Atelier", title="A", date=timezone.localdate())
        ],
    )
    client.force_login(make_user("admin"))
    assert client.get(f"/admin/contributions/{model}/").status_code == 200
    assert client.get(f"/admin/contributions/{model}/add/").status_code == 403
