"""The admin sees the linked identities (SIRET, organisation) and cannot edit them."""

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.contrib import admin
from django.urls import reverse

from tests.oidc.fixtures import full_login

pytestmark = pytest.mark.django_db


def test_identities_are_read_only_in_the_admin(client, rf, make_user, proconnect):
    """The admin lists the agent's SIRET and organisation; no add, change or delete."""
    full_login(client, proconnect, email="agent.admin@ditp.gouv.fr")
    identity = SocialAccount.objects.get()
    assert identity.extra_data["organizational_unit"] == "DITP"
    model_admin = admin.site.get_model_admin(SocialAccount)
    request = rf.get("/admin/")
    request.user = make_user("admin")
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, identity)
    assert not model_admin.has_delete_permission(request, identity)
    assert not admin.site.is_registered(SocialApp)
    assert not admin.site.is_registered(SocialToken)


def test_identity_admin_list_shows_the_siret(client, make_user, proconnect):
    """The admin's list of identities shows the agent's SIRET."""
    full_login(client, proconnect, email="agent.liste@ditp.gouv.fr")
    client.logout()
    client.force_login(make_user("admin"))
    page = client.get(reverse("admin:socialaccount_socialaccount_changelist"))
    assert page.status_code == 200
    assert "13002526500013" in page.content.decode()
