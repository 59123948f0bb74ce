"""Short labels are cut at a word with « … »; stored history is never cut (issue 22, item 14)."""

import pytest

from engagements import services
from engagements.models import JournalEntry, MilestoneStatus
from forum_ouvert.core.text import shorten
from tests.engagements.factories import CommitmentFactory

LONG = (
    "Organiser une première session de concertation du Forum ouvert avec les associations "
    "et les collectivités territoriales volontaires"
)


def test_shorten_cuts_at_a_word_and_adds_an_ellipsis():
    assert shorten("Court", 60) == "Court"
    cut = shorten(LONG, 60)
    assert cut == "Organiser une première session de concertation du Forum…"
    assert len(cut) <= 60 and LONG.startswith(cut[:-1])
    assert shorten("Anticonstitutionnellement", 10) == "Anticonst…"
    assert shorten("Un, deux, trois", 9) == "Un, deux…"  # no dangling comma
    assert shorten("  des   espaces\nmultiples  ", 60) == "des espaces multiples"


@pytest.mark.django_db
def test_the_journal_keeps_a_milestone_s_whole_text_and_labels_it_at_a_word(client, make_user):
    staff = make_user("ditp")
    commitment = CommitmentFactory()
    long = LONG + " " + "x" * 600
    milestone = services.milestone_create(
        actor=staff,
        commitment=commitment,
        data={"deliverable": long},
        justification="Ajouté en comité.",
    )
    services.milestone_update(
        actor=staff,
        milestone=milestone,
        changes={"status": MilestoneStatus.IN_PROGRESS},
        justification="Démarré en comité de pilotage.",
    )
    added, changed = JournalEntry.objects.order_by("id")
    assert added.new_value == long  # stored history is never cut
    assert changed.field_label.startswith("Jalon « Organiser une première session")
    assert "Forum… »" in changed.field_label and "Forum ouve" not in changed.field_label
    csv = b"".join(client.get("/donnees/journal.csv").streaming_content).decode()
    assert long in csv and "Forum ouve »" not in csv
    assert str(milestone) == shorten(long, 120) and str(milestone).endswith("…")
