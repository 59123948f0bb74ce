"""The Django admin edits no field that a state machine moves or a public history records:
those change through the back-office services, which journal them."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from forum_ouvert.core.admin_guard import guarded_fields

#: Field names that hold a state: a model with one must declare it guarded.
STATE_NAMES = {"status", "state", "phase"}


def _request(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    return request


def _editable(model_admin, request, obj) -> set[str]:
    """The model fields the admin's form (add when ``obj`` is None) lets one change."""
    if obj is None and not model_admin.has_add_permission(request):
        return set()
    if obj is not None and not model_admin.has_change_permission(request, obj):
        return set()
    form = model_admin.get_form(request, obj, change=obj is not None)
    return set(form.base_fields)


def _inline_editable(inline, request, obj) -> set[str]:
    if not (inline.has_add_permission(request, obj) or inline.has_change_permission(request, obj)):
        return set()
    formset = inline.get_formset(request, obj)
    return set(formset.form.base_fields) - {formset.fk.name}


def _admins():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.fixture
def superuser(db):
    from tests.factories import UserFactory

    return UserFactory(admin=True)


def test_no_admin_form_edits_a_guarded_field(superuser):
    """On every add and change form of the admin, and their inlines, guarded fields are
    shown read-only, never as inputs."""
    request = _request(superuser)
    editable = []
    for model, model_admin in _admins():
        for obj in (None, model()):
            wrong = _editable(model_admin, request, obj) & set(guarded_fields(model))
            editable += [f"{model._meta.label}.{name}" for name in sorted(wrong)]
            for inline in model_admin.get_inline_instances(request, obj):
                wrong = _inline_editable(inline, request, obj) & set(guarded_fields(inline.model))
                editable += [
                    f"{inline.model._meta.label}.{name} (inline)" for name in sorted(wrong)
                ]
    assert sorted(set(editable)) == []


def test_every_state_field_of_an_admin_model_is_declared_guarded():
    """A model the admin shows declares its state fields (status, state, phase) guarded."""
    models = {model for model, _ in _admins()}
    for _model, model_admin in _admins():
        models.update(inline.model for inline in model_admin.inlines)
    undeclared = [
        f"{model._meta.label}.{field.name}"
        for model in models
        for field in model._meta.concrete_fields
        if field.name in STATE_NAMES and field.name not in guarded_fields(model)
    ]
    assert sorted(undeclared) == []


def test_declared_names_are_fields_of_their_model():
    """Each guarded name is a field of its model (a typo would guard nothing)."""
    unknown = []
    for model, _ in _admins():
        names = {field.name for field in model._meta.get_fields()}
        unknown += [f"{model._meta.label}.{n}" for n in guarded_fields(model) if n not in names]
    assert unknown == []


def test_what_the_services_journal_is_guarded():
    """Every field the commitment and milestone services journal is guarded in the admin."""
    from engagements import services
    from engagements.models import STAFF_FIELDS, Commitment, Milestone

    assert set(STAFF_FIELDS) | {"leads"} <= set(guarded_fields(Commitment))
    assert set(services.MILESTONE_FIELDS) <= set(guarded_fields(Milestone))


@pytest.mark.django_db
def test_a_milestone_cannot_be_abandoned_from_the_admin(client_for):
    """« Abandonné » posted to a milestone's admin page changes neither it nor its journal."""
    from engagements.models import JournalEntry, MilestoneStatus
    from forum_ouvert.core.choices import Role
    from tests.engagements.factories import MilestoneFactory

    client, _ = client_for(Role.ADMIN)
    milestone = MilestoneFactory()
    before = milestone.status
    client.post(
        f"/admin/engagements/milestone/{milestone.pk}/change/",
        {
            "commitment": milestone.commitment_id,
            "order": milestone.order,
            "deliverable": "Autre livrable",
            "status": MilestoneStatus.CANCELLED,
        },
    )
    milestone.refresh_from_db()
    assert milestone.status == before
    assert milestone.deliverable != "Autre livrable"
    assert not JournalEntry.objects.filter(milestone=milestone).exists()


@pytest.mark.django_db
def test_every_admin_list_and_add_page_opens(client_for):
    """Each admin list, and each add page the admin offers, opens for an administrator."""
    from django.urls import reverse

    from forum_ouvert.core.choices import Role

    client, admin_user = client_for(Role.ADMIN)
    failures = []
    for model, model_admin in _admins():
        opts = model._meta
        urls = [reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")]
        if model_admin.has_add_permission(_request(admin_user)):
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        failures += [url for url in urls if client.get(url).status_code != 200]
    assert failures == []


@pytest.mark.django_db
def test_an_evidence_admin_page_shows_it_without_inputs(client_for):
    """An evidence's admin page shows its title and public flag as text, with no input."""
    from forum_ouvert.core.choices import Role
    from tests.engagements.factories import EvidenceFactory

    client, _ = client_for(Role.ADMIN)
    evidence = EvidenceFactory()
    response = client.get(f"/admin/engagements/evidence/{evidence.pk}/change/")
    assert response.status_code == 200
    assert evidence.title in response.text
    assert 'name="is_public"' not in response.text
    assert 'name="title"' not in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "label",
    [
        "core.AuditLog",
        "core.MailDelivery",
        "engagements.JournalEntry",
        "core.UserBlock",
        "contributions.Statement",
    ],
)
def test_the_records_the_admin_only_reads(client, make_user, label):
    """The audit log, the e-mails sent and the public journal: a superuser lists them, and
    may neither add, change nor delete one."""
    from django.apps import apps

    from forum_ouvert.core.admin_guard import ReadOnlyAdmin

    model = apps.get_model(label)
    model_admin = admin.site._registry[model]
    assert isinstance(model_admin, ReadOnlyAdmin)
    superuser = make_user("admin")
    request = _request(superuser)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, None)
    assert not model_admin.has_delete_permission(request, None)
    client.force_login(superuser)
    opts = model._meta
    assert client.get(f"/admin/{opts.app_label}/{opts.model_name}/").status_code == 200
    assert client.get(f"/admin/{opts.app_label}/{opts.model_name}/add/").status_code == 403


@pytest.mark.django_db
def test_blocks_and_statements_list_with_constant_queries(
    client, make_user, django_assert_max_num_queries
):
    """The blocks' and the statements of reasons' admin lists show who and what, read-only
    (no input on a row's page), and cost the same with 2 rows or 8."""
    from participation.contributions import services
    from tests.contributions.factories import ContributionFactory

    staff = make_user("ditp")
    superuser = make_user("admin")
    client.force_login(superuser)

    def add(n):
        for _i in range(n):
            contribution = ContributionFactory()
            services.contribution_moderate(
                actor=staff, contribution=contribution, act="hide", reason="Spam", rule="spam"
            )
            services.person_block(actor=staff, user=contribution.author, reason="Spam répété")

    add(2)
    lists = ["/admin/core/userblock/", "/admin/contributions/statement/"]
    small = {}
    for url in lists:
        with django_assert_max_num_queries(20) as captured:
            response = client.get(url)
        assert response.status_code == 200
        small[url] = len(captured.captured_queries)
    add(6)
    for url in lists:
        with django_assert_max_num_queries(small[url]):
            assert client.get(url).status_code == 200
    from forum_ouvert.core.models import UserBlock
    from participation.contributions.models import Statement

    block = UserBlock.objects.first()
    page = client.get(f"/admin/core/userblock/{block.pk}/change/").text
    assert "Spam répété" in page and 'name="reason"' not in page
    statement = Statement.objects.first()
    page = client.get(f"/admin/contributions/statement/{statement.pk}/change/").text
    assert "Spam" in page and 'name="reason"' not in page
