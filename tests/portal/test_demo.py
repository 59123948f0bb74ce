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
        in {"core", "engagements", "forum", "workshops", "contributions", "account"}
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
