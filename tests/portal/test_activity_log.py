"""The staff activity log, built on the audit rows (issue 19, item 11)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from forum_ouvert.core import activity
from forum_ouvert.core.audit import audit_log
from forum_ouvert.core.models import AuditLog
from participation.contributions import services as contributions_services
from tests.contributions.factories import ContributionFactory
from tests.engagements.factories import CommitmentFactory

pytestmark = pytest.mark.django_db

URL = reverse("portal:activity_log")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def acts(make_user):
    """A moderator hid a contribution, a lead changed a commitment, a week ago."""
    moderator = make_user("ditp", display_name="Camille Modère")
    lead = make_user("pilote", display_name="Pierre Pilote")
    contribution = ContributionFactory(title="Une contribution masquée")
    contributions_services.contribution_moderate(
        actor=moderator,
        contribution=contribution,
        act="hide",
        reason="Propos injurieux",
        rule="injurieux",
    )
    commitment = CommitmentFactory(title="Ouvrir les données")
    # Written a week ago (the table is append-only: the row is created with its date).
    AuditLog.objects.create(
        created_at=timezone.now() - dt.timedelta(days=7),
        actor=lead,
        action="engagements.commitment.update",
        target_type=ContentType.objects.get_for_model(commitment),
        target_id=str(commitment.pk),
        target_repr=str(commitment),
        changes={"title": ["Ouvrir", "Ouvrir les données"]},
    )
    return moderator, lead, contribution, commitment


def test_staff_read_who_did_what_to_which_object(client, make_user, acts):
    moderator, lead, contribution, commitment = acts
    client.force_login(make_user("ditp"))
    page = client.get(URL).content.decode()
    assert "Camille Modère" in page and "Pierre Pilote" in page
    assert "<td>a masqué</td>" in page
    assert f'Contribution : <a href="{contribution.get_absolute_url()}">« {contribution}' in page
    assert "Motif : Propos injurieux" in page
    assert "<td>a modifié</td>" in page
    assert f'Engagement : <a href="{commitment.get_absolute_url()}">' in page
    assert "Intitulé : Ouvrir → Ouvrir les données" in page
    assert "contributions.contribution.hide" not in page  # sentences, not codes


def test_keys_that_are_not_fields_read_in_french(client, make_user, acts):
    """A response's status is recorded under ``response_status``, not a field of the
    proposal: the log names it in words, never by its code."""
    moderator, _, contribution, _ = acts
    AuditLog.objects.create(
        actor=moderator,
        action="cocreation.proposal.respond",
        target_type=ContentType.objects.get_for_model(contribution),
        target_id=str(contribution.pk),
        target_repr=str(contribution),
        changes={"response_status": ["", "retenue"]},
    )
    client.force_login(make_user("ditp"))
    page = client.get(URL).content.decode()
    assert "Réponse du gouvernement : — → " in page
    assert "esponse status" not in page


def _rows(client, filters) -> str:
    """The log's table only (the filters' options name everyone)."""
    page = client.get(URL, filters).content.decode()
    return page[page.index('<p class="fr-mt-3w">') :]


def test_filters_by_person_kind_and_date(client, make_user, acts):
    moderator, lead, _contribution, commitment = acts
    client.force_login(make_user("ditp"))
    page = _rows(client, {"personne": lead.pk})
    assert "Pierre Pilote" in page and "Camille Modère" not in page
    kind = AuditLog.objects.get(actor=moderator, action__endswith=".hide").target_type_id
    page = _rows(client, {"objet": kind})
    assert "a masqué" in page and "Pierre Pilote" not in page
    today = timezone.localdate().isoformat()
    page = _rows(client, {"du": today})
    assert "Camille Modère" in page and "Pierre Pilote" not in page
    last_week = (timezone.localdate() - dt.timedelta(days=7)).isoformat()
    page = _rows(client, {"au": last_week})
    assert "Pierre Pilote" in page and "a masqué" not in page


def test_bad_filters_are_said_and_nothing_breaks(client, make_user, acts):
    client.force_login(make_user("ditp"))
    response = client.get(URL, {"du": "2027-02-01", "au": "2027-01-01", "personne": "x"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "La date de fin précède la date de début." in page
    assert "Camille Modère" in page  # the log is shown unfiltered meanwhile


@pytest.mark.parametrize("role", [None, "citoyen", "pilote"])
def test_only_staff_read_it(client, make_user, role):
    if role:
        client.force_login(make_user(role))
    response = client.get(URL)
    assert response.status_code == (302 if role is None else 403)


def test_queries_do_not_grow_with_the_rows(client, make_user, acts, django_assert_max_num_queries):
    client.force_login(make_user("ditp"))
    with django_assert_max_num_queries(20) as first:
        client.get(URL)
    moderator = acts[0]
    for _ in range(10):
        contributions_services.contribution_moderate(
            actor=moderator,
            contribution=ContributionFactory(),
            act="hide",
            reason="Hors sujet",
            rule="hors_sujet",
        )
        with transaction.atomic():
            audit_log(
                actor=moderator, action="engagements.commitment.update", target=CommitmentFactory()
            )
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(URL)


def test_every_verb_written_in_the_code_has_its_sentence():
    """A new action code needs its verb in ``activity.VERBS`` (else the log says « a agi sur »)."""
    pattern = re.compile(r'action="[a-z_]+\.[a-z_]+\.([a-z_]+)"')
    verbs = set()
    for folder in ("forum_ouvert", "engagements", "participation"):
        for path in (ROOT / folder).rglob("*.py"):
            verbs |= set(pattern.findall(path.read_text()))
    from participation.contributions.models import TRANSITIONS

    # The codes written with an f-string: their verbs, as the services spell them.
    verbs |= set(TRANSITIONS) | {"create", "update", "auto_hide", "review", "dismiss_reports"}
    assert verbs and sorted(verbs - set(activity.VERBS)) == []
    assert activity.verb_of("forum.application.decide") == "a pris une décision sur"
    assert activity.verb_of("x.y.unknown") == "a agi sur"
