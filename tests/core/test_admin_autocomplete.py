"""The admin's autocomplete fields answer a value that is not a key with the form and its
error, not a 500 (found by sqlmap on /admin/workshops/workshop/add/)."""

import pytest

from forum_ouvert.core.choices import Role
from tests.engagements.factories import CommitmentFactory

pytestmark = pytest.mark.django_db

HOSTILE = ["' AND 6851=CAST((CHR(113)) AS NUMERIC)", "') AND 1=1 AND ('a'='a", "12abc", ""]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_many_to_many_autocomplete_with_a_value_that_is_not_a_key(client_for, value):
    client, _ = client_for(Role.ADMIN)
    commitment = CommitmentFactory()
    response = client.post(
        "/admin/workshops/workshop/add/",
        {"title": "Atelier", "commitments": [str(commitment.pk), value]},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors  # refused, with a message
    assert str(commitment) in response.text  # the valid choice is still shown


def test_a_foreign_key_autocomplete_with_a_value_that_is_not_a_key(client_for):
    client, admin = client_for(Role.ADMIN)
    response = client.post(
        f"/admin/core/user/{admin.pk}/change/",
        {"email": admin.email, "departement": "' AND 1=1--", "role": admin.role},
    )
    assert response.status_code == 200
    assert "departement" in response.context["adminform"].form.errors


def test_every_admin_with_autocomplete_fields_uses_the_safe_widgets():
    from django.contrib import admin

    from forum_ouvert.core.admin_autocomplete import SafeAutocompleteAdmin

    unsafe = [
        type(model_admin).__name__
        for model_admin in admin.site._registry.values()
        if model_admin.autocomplete_fields and not isinstance(model_admin, SafeAutocompleteAdmin)
    ]
    assert unsafe == []
