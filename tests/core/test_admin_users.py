"""In the Django admin, a role (and the admin powers that come with it) changes only
through the audited service, with a reason; the change form cannot grant powers."""

import pytest
from django.contrib.contenttypes.models import ContentType

from forum_ouvert.core.choices import Role
from forum_ouvert.core.models import AuditLog, User

pytestmark = pytest.mark.django_db


def _change_form_data(user: User, **overrides) -> dict:
    data = {
        "email": user.email,
        "display_name": user.display_name,
        "is_active": "on",
        "departement": "",
    }
    data.update(overrides)
    return data


def test_changing_a_role_in_the_admin_writes_the_audit_row(client_for, make_user):
    """The admin's « Changer le rôle » form records who, the old and new role, and the reason."""
    client, admin = client_for(Role.ADMIN)
    person = make_user(Role.CITIZEN)
    response = client.post(
        f"/admin/core/user/{person.pk}/role/",
        {"role": Role.ADMIN, "reason": "Reprend l'administration de la plateforme."},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.role, person.is_staff, person.is_superuser) == (Role.ADMIN, True, True)
    row = AuditLog.objects.get(action="core.user.set_role", target_id=str(person.pk))
    assert row.actor == admin
    assert row.target_type == ContentType.objects.get_for_model(User)
    assert row.changes == {
        "role": [Role.CITIZEN, Role.ADMIN],
        "is_staff": [False, True],
        "is_superuser": [False, True],
    }
    assert row.reason == "Reprend l'administration de la plateforme."


def test_a_role_change_without_a_reason_is_refused(client_for, make_user):
    """Without a reason the form is shown again with its error, and nothing changes."""
    client, _ = client_for(Role.ADMIN)
    person = make_user(Role.CITIZEN)
    response = client.post(
        f"/admin/core/user/{person.pk}/role/", {"role": Role.STAFF, "reason": "  "}
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    person.refresh_from_db()
    assert person.role == Role.CITIZEN
    assert not AuditLog.objects.filter(action="core.user.set_role").exists()


def test_the_change_form_links_to_the_role_form(client_for, make_user):
    """The user's admin page shows the role as text with a link to « Changer le rôle »."""
    client, _ = client_for(Role.ADMIN)
    person = make_user(Role.LEAD)
    response = client.get(f"/admin/core/user/{person.pk}/change/")
    assert response.status_code == 200
    assert f"/admin/core/user/{person.pk}/role/" in response.text
    form = response.context["adminform"].form
    assert not {"role", "is_staff", "is_superuser", "groups"} & set(form.fields)
    role_page = client.get(f"/admin/core/user/{person.pk}/role/")
    assert role_page.status_code == 200
    assert "Motif" in role_page.text


def test_posting_powers_to_the_change_form_does_not_grant_them(client_for, make_user):
    """is_superuser=on, is_staff=on and role=admin sent to the change form change nothing."""
    client, _ = client_for(Role.ADMIN)
    person = make_user(Role.CITIZEN)
    response = client.post(
        f"/admin/core/user/{person.pk}/change/",
        _change_form_data(person, is_superuser="on", is_staff="on", role=Role.ADMIN),
    )
    assert response.status_code == 302  # the rest of the form was saved
    person.refresh_from_db()
    assert (person.role, person.is_staff, person.is_superuser) == (Role.CITIZEN, False, False)


def test_a_new_account_from_the_admin_is_a_citizen(client_for):
    """Adding an account in the admin cannot give it a role: it starts as a citizen."""
    client, _ = client_for(Role.ADMIN)
    response = client.post(
        "/admin/core/user/add/",
        {
            "email": "nouvelle@exemple.fr",
            "password1": "un-mot-de-passe-solide-42",
            "password2": "un-mot-de-passe-solide-42",
            "usable_password": "true",
            "role": Role.ADMIN,
            "is_superuser": "on",
        },
    )
    assert response.status_code == 302
    created = User.objects.get(email="nouvelle@exemple.fr")
    assert (created.role, created.is_staff, created.is_superuser) == (Role.CITIZEN, False, False)


@pytest.mark.parametrize("role", [Role.STAFF, Role.LEAD, Role.CITIZEN])
def test_only_admins_reach_the_role_form(client_for, make_user, role):
    """Someone who is not an admin is sent to the admin's login page, not to the form."""
    client, _ = client_for(role)
    person = make_user(Role.CITIZEN)
    response = client.get(f"/admin/core/user/{person.pk}/role/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
