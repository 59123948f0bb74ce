"""« Identité vérifiée par FranceConnect » on the participant record (issue 17, item 5):
« Mon espace », the attestation PDF and its public verification page, name and date only."""

import datetime

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse
from django.utils import timezone

from forum_ouvert.core.oidc.services import franceconnect_verification
from participation.contributions import services

from .test_record import FORUM, WORKSHOP, _pdf_text

pytestmark = pytest.mark.django_db

LOGGED_IN_ON = datetime.datetime(2026, 11, 20, 10, 30, tzinfo=datetime.UTC)


@pytest.fixture
def verified(monkeypatch):
    from participation.forum import selectors as forum
    from participation.workshops import selectors as workshops

    monkeypatch.setattr(workshops, "verified_participations", lambda *, user: [WORKSHOP])
    monkeypatch.setattr(forum, "verified_participations", lambda *, user: [FORUM])


def _franceconnect(user, **claims):
    """The identity a FranceConnect login links (what ``extract_extra_data`` keeps)."""
    identity = SocialAccount.objects.create(
        user=user,
        provider="franceconnect",
        uid=f"pairwise-{user.pk}",
        extra_data={"email": user.email, "acr": "eidas1", **claims},
    )
    # allauth dates ``last_login`` itself (auto_now): set the day of that login apart.
    SocialAccount.objects.filter(pk=identity.pk).update(last_login=LOGGED_IN_ON)
    identity.refresh_from_db()
    return identity


def test_the_verification_is_the_name_and_the_day_of_the_last_franceconnect_login(make_user):
    me = make_user("citoyen")
    assert franceconnect_verification(user=me) is None
    SocialAccount.objects.create(user=me, provider="proconnect", uid="agent", extra_data={})
    assert franceconnect_verification(user=me) is None  # ProConnect verifies agents, not this
    _franceconnect(me, given_name="Angela  Claire", family_name="Dubois")
    verified = franceconnect_verification(user=me)
    assert verified.name == "Angela Claire Dubois"
    assert verified.verified_on == datetime.date(2026, 11, 20)


def test_an_identity_without_a_name_verifies_nothing(make_user):
    me = make_user("citoyen")
    _franceconnect(me)
    assert franceconnect_verification(user=me) is None


def test_my_space_says_the_identity_is_verified(client, make_user, verified):
    me = make_user("citoyen")
    client.force_login(me)
    assert "Identité vérifiée par FranceConnect" not in client.get("/mon-espace/").content.decode()
    _franceconnect(me, given_name="Angela", family_name="Dubois")
    page = client.get("/mon-espace/").content.decode()
    assert "Identité vérifiée par FranceConnect" in page
    assert "Angela Dubois, le 20 novembre 2026" in page


def test_the_attestation_and_its_public_page_carry_the_verification(
    client, make_user, verified, tmp_path
):
    me = make_user("citoyen", email="angela@exemple.fr")
    _franceconnect(me, given_name="Angela", family_name="Dubois", birthdate="1962-08-24")
    attestation = services.attestation_issue(
        user=me, holder_name="Angela Dubois", participations=[WORKSHOP, FORUM]
    )
    assert (attestation.verified_name, attestation.verified_on) == (
        "Angela Dubois",
        datetime.date(2026, 11, 20),
    )
    client.force_login(me)
    pdf = client.get(reverse("portal:attestation_pdf", args=[attestation.code]))
    text = " ".join(_pdf_text(pdf.content, tmp_path).split())
    assert "Identité vérifiée par FranceConnect" in text
    assert "Angela Dubois, le 20 novembre 2026" in text
    client.logout()
    page = client.get(f"/attestations/{attestation.code}/").content.decode()
    assert "Identité vérifiée par FranceConnect" in page
    assert "Angela Dubois, le 20 novembre 2026" in page
    # Name and date only: no birth date, no e-mail, no identifier of the person.
    for private in ("1962", "angela@exemple.fr", "pairwise"):
        assert private not in page and private not in text


def test_a_new_verification_gives_a_new_attestation(make_user):
    """Same participations, but verified since: the next attestation says so."""
    me = make_user("citoyen")
    before = services.attestation_issue(user=me, holder_name="Moi", participations=[WORKSHOP])
    assert before.verified_name == ""
    identity = _franceconnect(me, given_name="Angela", family_name="Dubois")
    after = services.attestation_issue(user=me, holder_name="Moi", participations=[WORKSHOP])
    assert after.code != before.code and after.verified_name == "Angela Dubois"
    again = services.attestation_issue(user=me, holder_name="Moi", participations=[WORKSHOP])
    assert again.code == after.code
    identity.save()  # a new FranceConnect login dates it today
    renewed = services.attestation_issue(user=me, holder_name="Moi", participations=[WORKSHOP])
    assert renewed.code != after.code and renewed.verified_on == timezone.localdate()


def test_my_data_holds_the_verification_of_each_attestation(client, make_user):
    me = make_user("citoyen")
    _franceconnect(me, given_name="Angela", family_name="Dubois")
    services.attestation_issue(user=me, holder_name="Moi", participations=[WORKSHOP])
    client.force_login(me)
    data = client.get(reverse("portal:data_export")).json()
    (attestation,) = data["contributions"]["attestations"]
    assert attestation["identite_verifiee_par_franceconnect"] == "Angela Dubois"
    assert attestation["identite_verifiee_le"] == "2026-11-20"
