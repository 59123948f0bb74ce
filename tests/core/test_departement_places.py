"""Each département's place with its French preposition (« dans le Rhône », « à Paris »)."""

import pytest

from forum_ouvert.core.models import Departement
from forum_ouvert.core.territories import read_departements

pytestmark = pytest.mark.django_db


def test_every_departement_has_its_place_with_a_preposition():
    """All 101 départements say « dans … », « en … » or « à … » followed by their name."""
    departements = list(Departement.objects.order_by("code"))
    assert len(departements) == 101
    for departement in departements:
        preposition, _, rest = departement.in_name.partition(" ")
        assert preposition in {"dans", "en", "à"}, departement.in_name
        assert departement.in_name.endswith(departement.name[1:]), departement.in_name
        assert rest, departement.in_name


def test_the_data_file_and_the_database_agree():
    """The data migration loaded the form written in the data file for every département."""
    expected = {row["code"]: row["dans"] for row in read_departements()}
    assert dict(Departement.objects.values_list("code", "in_name")) == expected


@pytest.mark.parametrize(
    ("code", "place"),
    [
        ("69", "dans le Rhône"),
        ("75", "à Paris"),
        ("974", "à La Réunion"),
        ("19", "en Corrèze"),
        ("13", "dans les Bouches-du-Rhône"),
        ("01", "dans l'Ain"),
        ("34", "dans l'Hérault"),
        ("90", "dans le Territoire de Belfort"),
        ("2A", "en Corse-du-Sud"),
        ("976", "à Mayotte"),
        ("973", "en Guyane"),
    ],
)
def test_known_places(code, place):
    """A few forms as French usage has them, not as a rule on the name would guess."""
    assert Departement.objects.get(code=code).in_name == place
