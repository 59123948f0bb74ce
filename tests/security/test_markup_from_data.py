"""Data never becomes markup where Django does not escape by itself: help texts built from
data (an AMI criterion's description), labels, and every form rendered by the site's renderer."""

from __future__ import annotations

import pytest
from django import forms
from django.utils.safestring import mark_safe

from forum_ouvert.core.choices import Role
from forum_ouvert.core.forms import BaseForm
from tests.forum.factories import ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db

SCRIPT = '<script id="xss-criterion">alert(1)</script><img src=x onerror=alert(2)>'


def test_a_criterion_description_is_shown_as_text_on_the_review_form(client, make_user):
    """A reviewer sees the criterion's description as text: a script typed into it by
    staff is not written into « Mon évaluation » as markup."""
    call = CallFactory(review=True)
    criterion = call.criteria.order_by("order").first()
    criterion.description = SCRIPT
    criterion.name = "Ancrage <b>local</b>"
    criterion.save(update_fields=["description", "name"])
    application = ApplicationFactory(call=call)
    client.force_login(make_user(Role.STAFF))

    page = client.get(application.get_staff_url()).content.decode()

    assert f"criterion_{criterion.pk}" in page, "the scoring form is on the page"
    assert '<script id="xss-criterion">' not in page
    assert "<img src=x" not in page
    assert "&lt;script id=&quot;xss-criterion&quot;&gt;" in page
    assert "<b>local</b>" not in page


class _DataForm(BaseForm):
    text = forms.CharField()
    choice = forms.ChoiceField(choices=[("a", "<i>a</i>")])
    flag = forms.BooleanField(required=False)


@pytest.mark.parametrize("name", ["text", "choice", "flag"])
def test_a_help_text_from_data_is_escaped_in_every_widget(name):
    """Whatever the widget (input, select, checkbox), a help text that is not marked safe is
    printed as text, and a label or a choice from data too."""
    form = _DataForm()
    form.fields[name].help_text = SCRIPT
    form.fields[name].label = "<u>label</u>"
    html = str(form[name].as_field_group())
    assert "<script" not in html and "<img" not in html
    assert "&lt;script" in html
    assert "<u>label</u>" not in html
    assert "<i>a</i>" not in html


def test_a_help_text_marked_safe_keeps_its_markup():
    """The few help texts written as markup on purpose (allauth's password rules) keep it."""
    form = _DataForm()
    form.fields["text"].help_text = mark_safe("<ul><li>8 caractères</li></ul>")
    assert "<ul><li>8 caractères</li></ul>" in str(form["text"].as_field_group())


def test_the_admin_escapes_help_texts_from_data(admin_client):
    """The Django admin prints help texts with ``|safe`` too: its forms use the same bound
    field, so a help text from data is escaped there as well."""
    from django.contrib.admin import site

    from forum_ouvert.core.models import User

    model_admin = site._registry[User]
    form_class = model_admin.get_form(request=None, obj=None)
    form = form_class()
    name = next(iter(form.fields))
    form.fields[name].help_text = SCRIPT
    assert "&lt;script" in str(form[name].help_text)


@pytest.mark.parametrize(
    "justification",
    ["<b>&amp;", "Budget &lt; 5 k€ & <i>délai</i>", SCRIPT, "« Tom & Jerry » &#60;3"],
)
def test_the_atom_feed_gives_a_justification_back_as_typed(client, justification):
    """Issue 23: the journal's feed said ``<summary type="html">`` over text escaped once,
    so a reader decoded ``<b>&amp;`` as markup. Its summaries are ``type="text"`` and the
    XML decodes back to exactly what was typed, as do the titles."""
    import xml.etree.ElementTree as ET

    from django.urls import reverse

    from tests.engagements.factories import CommitmentFactory, JournalEntryFactory, PlanFactory

    commitment = CommitmentFactory(plan=PlanFactory(is_current=True))
    JournalEntryFactory(commitment=commitment, justification=justification, new_value="<b>&amp;")

    body = client.get(reverse("engagements:export_journal_atom")).content
    atom = "{http://www.w3.org/2005/Atom}"
    entry = ET.fromstring(body).find(f"{atom}entry")  # noqa: S314 (our own feed)
    summary = entry.find(f"{atom}summary")
    assert summary.get("type") == "text"
    assert summary.text == justification
    assert entry.find(f"{atom}title").get("type", "text") == "text"
    assert entry.find(f"{atom}title").text.endswith("10 % → <b>&amp;")
    assert b'type="html"' not in body
