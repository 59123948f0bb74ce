"""Public links are web pages: ftp:// and other schemes are refused with a French message
(found by the hostile-input test: an application's website « FTP://0.AA » was accepted)."""

import pytest
from django.core.exceptions import ValidationError

from engagements.models import Commitment, Evidence
from participation.forum.models import Application, Meeting, Member
from participation.workshops.models import Workshop

FIELDS = [
    (Commitment, "source"),
    (Evidence, "url"),
    (Application, "website"),
    (Member, "website"),
    (Meeting, "visio_url"),
    (Workshop, "visio_url"),
]


@pytest.mark.parametrize(("model", "name"), FIELDS)
@pytest.mark.parametrize(
    "url", ["FTP://0.AA", "ftps://exemple.fr/x", "javascript://x.fr/%0Aalert(1)"]
)
def test_other_schemes_are_refused(model, name, url):
    with pytest.raises(ValidationError, match="https://"):
        model._meta.get_field(name).run_validators(url)


@pytest.mark.parametrize(("model", "name"), FIELDS)
def test_web_addresses_pass(model, name):
    for url in ("https://www.exemple.fr/page", "http://exemple.fr"):
        model._meta.get_field(name).run_validators(url)


ONE_LINE_FIELDS = [
    ("engagements", "actionplan", "title"),
    ("engagements", "commitment", "title"),
    ("engagements", "evidence", "title"),
    ("contributions", "consultation", "title"),
    ("contributions", "theme", "title"),
    ("contributions", "contribution", "title"),
    ("cocreation", "proposal", "title"),
    ("cocreation", "proposal", "organisation"),
    ("cocreation", "proposalversion", "title"),
    ("forum", "call", "title"),
    ("forum", "application", "organisation_name"),
    ("forum", "application", "contact_name"),
    ("forum", "member", "organisation_name"),
    ("forum", "meeting", "title"),
    ("workshops", "tour", "title"),
    ("workshops", "workshop", "title"),
    ("core", "user", "display_name"),
]


@pytest.mark.parametrize(("app", "model", "name"), ONE_LINE_FIELDS)
@pytest.mark.parametrize("breaker", ["\n", "\r\n", "\r", "\t", "\x00", "\u2028"])
def test_titles_and_names_hold_one_line(app, model, name, breaker):
    """A title or a name holding a line break or a control character is refused, in French."""
    from django.apps import apps

    field = apps.get_model(app, model)._meta.get_field(name)
    field.run_validators("Atelier de Lyon")
    with pytest.raises(ValidationError, match="Ce champ tient sur une ligne"):
        field.run_validators(f"Atelier{breaker}de Lyon")
