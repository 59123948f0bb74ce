"""The demo seed is idempotent and the site says, on every page, that its figures are fictitious."""

import pytest
from django.core.management import call_command

from forum_ouvert.core.models import AuditLog, DemoDataset, User
from forum_ouvert.portal.demo import ACCOUNTS

NOTICE = (
    "Site de démonstration : les avancements, candidatures, ateliers et contributions "
    "affichés sont fictifs"
)


def _counts():
    from django.apps import apps

    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"core", "engagements", "forum", "workshops", "contributions", "cocreation", "account"}
        and model is not AuditLog
    }


@pytest.mark.django_db
def test_seed_twice_gives_the_same_rows(capsys):
    """Running the demo seed twice neither fails nor duplicates anything."""
    call_command("import_plan", "engagements/data/plan-2024-2026.json")
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first
    assert User.objects.filter(email__in=[a.email for a in ACCOUNTS]).count() == len(ACCOUNTS)
    out = capsys.readouterr().out
    for account in ACCOUNTS:
        assert account.email in out
    assert "demo-forum-ouvert-2026" in out


@pytest.mark.django_db
def test_every_role_has_a_demo_account():
    """A newcomer can try the site as each role."""
    from forum_ouvert.core.choices import Role

    assert {a.role for a in ACCOUNTS} == set(Role.values)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/engagements/", "/plans/", "/forum/", "/compte/login/", "/accessibilite/"]
)
def test_demo_notice_on_every_page_while_demo_is_loaded(client, path):
    """While demo data is loaded, every page warns that the figures are fictitious."""
    response = client.get(path)
    assert NOTICE not in response.content.decode()
    call_command("seed_demo")
    response = client.get(path)
    assert response.status_code == 200
    assert NOTICE in response.content.decode()
    assert DemoDataset.objects.exists()


@pytest.mark.django_db
def test_seed_refuses_the_production_settings(settings):
    """With the production settings, seed_demo stops with a message and creates no account."""
    from django.core.management.base import CommandError

    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="Réglages de production.*--force"):
        call_command("seed_demo")
    assert not User.objects.filter(email__in=[a.email for a in ACCOUNTS]).exists()
    assert not DemoDataset.objects.exists()


@pytest.mark.django_db
def test_seed_refuses_a_database_of_real_people(make_user):
    """On a database with real accounts and no demo loaded, seed_demo refuses."""
    from django.core.management.base import CommandError

    make_user(email="vraie.personne@exemple.fr")
    with pytest.raises(CommandError, match="1 compte.*réel.*--force"):
        call_command("seed_demo")
    assert not User.objects.filter(email__in=[a.email for a in ACCOUNTS]).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("production", [True, False])
def test_seed_with_force_loads_the_demo_anyway(settings, make_user, production):
    """``--force`` loads the demo despite the production settings or real accounts."""
    settings.PRODUCTION = production
    make_user(email="vraie.personne@exemple.fr")
    call_command("seed_demo", "--force")
    assert User.objects.filter(email__in=[a.email for a in ACCOUNTS]).count() == len(ACCOUNTS)
    assert DemoDataset.objects.exists()


@pytest.mark.django_db
def test_a_demo_database_can_be_seeded_again_after_a_sign_up(make_user):
    """Once the demo is loaded, an account created since does not stop a second run."""
    call_command("seed_demo")
    make_user(email="essai.local@exemple.fr")
    call_command("seed_demo")
    assert DemoDataset.objects.exists()


def test_the_production_settings_say_production():
    """The production settings module sets the flag seed_demo reads; the others do not."""
    import ast

    from django.conf import settings

    def assigned(name: str) -> dict:
        source = settings.BASE_DIR / "forum_ouvert" / "settings" / f"{name}.py"
        tree = ast.parse(source.read_text())
        return {
            target.id: node.value
            for node in tree.body
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }

    assert ast.literal_eval(assigned("production")["PRODUCTION"]) is True
    assert ast.literal_eval(assigned("base")["PRODUCTION"]) is False
    assert "PRODUCTION" not in assigned("development")


@pytest.mark.django_db
def test_the_demo_history_is_spread_over_the_plan_and_agrees_with_its_charts():
    """The demo's points d'étape are dated over the plan's period, and its monthly
    snapshots are read from that journal: a period report's start values, its chart and
    the commitment's page agree (issue 22: the report started at 0 beside a rising chart)."""
    import datetime as dt

    from django.utils import timezone

    from engagements.models import Commitment, JournalEntry
    from forum_ouvert.reports.content import build_report_data
    from forum_ouvert.reports.models import CommitmentSnapshot, Report

    call_command("import_plan", "engagements/data/plan-2024-2026.json")
    call_command("seed_demo")
    today = timezone.localdate()
    updated = Commitment.objects.filter(plan__is_current=True, progress__gt=1)
    assert updated.exists()
    for commitment in updated:
        days = {
            timezone.localtime(e.created_at).date()
            for e in JournalEntry.objects.filter(commitment=commitment, field="progress")
        }
        assert min(days) <= today - dt.timedelta(days=300), commitment.number
        snapshots = CommitmentSnapshot.objects.filter(commitment=commitment).order_by("date")
        assert snapshots.last().progress == commitment.progress
        start = today - dt.timedelta(days=200)
        report = Report(
            kind="engagement",
            plan=commitment.plan,
            commitment=commitment,
            title="Rapport",
            period_start=start,
            period_end=today,
        )
        section = build_report_data(report).sections[0]
        at_start = snapshots.filter(date__lte=start).last()
        assert section.progress_start == at_start.progress, commitment.number
        assert section.progress_end == commitment.progress


@pytest.mark.django_db
def test_the_demo_shows_public_profiles(client):
    """Camille D. and the association opened their public page (through the service, so
    audited once however many times the demo is loaded): their names link to it, and it
    lists what they published."""
    from django.urls import reverse

    from participation.contributions.models import Contribution, PublicationStatus

    call_command("import_plan", "engagements/data/plan-2024-2026.json")
    call_command("seed_demo")
    call_command("seed_demo")
    opened = [a for a in ACCOUNTS if a.public_profile]
    assert {a.key for a in opened} == {"citizen", "association"}
    for account in opened:
        person = User.objects.get(email=account.email)
        assert person.has_public_profile
        assert (
            AuditLog.objects.filter(
                action="core.user.public_profile", target_id=str(person.pk)
            ).count()
            == 1
        )
        url = reverse("portal:participant", kwargs={"pk": person.pk})
        published = Contribution.objects.filter(author=person, status=PublicationStatus.PUBLISHED)
        shown = published.order_by("-created_at").first()
        assert shown is not None
        page = client.get(url)
        assert page.status_code == 200 and shown.title in page.text
        assert (
            f'<a href="{url}">{person.public_name}</a>' in client.get(shown.get_absolute_url()).text
        )
    closed = User.objects.get(email=next(a.email for a in ACCOUNTS if a.key == "citizen2"))
    assert not closed.has_public_profile
