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
