"""The kit's form pieces: one form-errors helper and one set of widgets for every app."""

import datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test.html import parse_html

from forum_ouvert.core.forms import BaseForm, add_errors
from forum_ouvert.core.widgets import DateInput, DateTimeInput, FastSelect

CHOICES = [
    ("", "Tous"),
    ("01", "Ain"),
    ("Outre-mer", [("971", "Guadeloupe"), ("974", "La Réunion")]),
    ("<b>", "Texte <script>"),
]


class _Form(BaseForm):
    title = forms.CharField(label="Titre")
    departement = forms.ChoiceField(label="Département", choices=CHOICES, widget=FastSelect)


def test_fast_select_writes_the_same_select_as_django():
    """A long list of départements reads exactly as Django's own select would, groups,
    the chosen option and escaped labels included."""
    for value in ("", "01", "974", "<b>"):
        fast = FastSelect(attrs={"class": "fr-select"}, choices=CHOICES)
        slow = forms.Select(attrs={"class": "fr-select"}, choices=CHOICES)
        rendered = fast.render("departement", value, attrs={"id": "id_departement"})
        assert parse_html(rendered) == parse_html(
            slow.render("departement", value, attrs={"id": "id_departement"})
        )
        assert "<script>" not in rendered


def test_fast_select_keeps_the_dsfr_markup_in_a_form():
    """In a form, the select keeps its DSFR class, its id and its label."""
    html = str(_Form({"departement": "971"}))
    assert 'class="fr-select' in html
    assert 'id="id_departement"' in html
    assert '<option value="971" selected>Guadeloupe</option>' in html


def test_date_widgets_are_the_browsers_pickers():
    """Dates and times show the browser's native pickers with the values they expect."""
    date_html = DateInput().render("d", datetime.date(2026, 3, 1))
    assert 'type="date"' in date_html and 'value="2026-03-01"' in date_html
    when = datetime.datetime(2026, 3, 1, 18, 30)  # noqa: DTZ001 - a naive value, as a form holds it
    time_html = DateTimeInput().render("t", when)
    assert 'type="datetime-local"' in time_html and 'value="2026-03-01T18:30"' in time_html


@pytest.mark.parametrize(
    ("error", "field_errors", "top_errors"),
    [
        (ValidationError({"title": "Titre trop court."}), ["Titre trop court."], []),
        (ValidationError({"other": "Refusé."}), [], ["Refusé."]),
        (ValidationError("Consultation close."), [], ["Consultation close."]),
    ],
)
def test_service_errors_land_on_their_field_or_on_top(error, field_errors, top_errors):
    """A service's refusal shows beside the field it names, or at the top of the form."""
    form = _Form({"title": "Un titre", "departement": "01"})
    assert form.is_valid()
    add_errors(form, error)
    assert form.errors.get("title", []) == field_errors
    assert form.non_field_errors() == top_errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value", ["9223372036854775808", "-9223372036854775809", "1" + "0" * 40, "9" * 5000, "1.5"]
)
def test_a_list_of_objects_refuses_an_id_out_of_range_before_any_query(
    value, django_assert_num_queries
):
    """Issue 23: an id past 2^63 − 1 in a list of checkboxes reached ``pk__in`` (an
    ``OverflowError`` with psycopg). The kit's field refuses it as an invalid choice without
    a query; ``IdListField`` too; a real id still passes."""
    from forum_ouvert.core.forms import IdListField, ModelMultipleChoiceField
    from forum_ouvert.core.models import User
    from tests.factories import UserFactory

    user = UserFactory()
    field = ModelMultipleChoiceField(queryset=User.objects.all())
    with django_assert_num_queries(0), pytest.raises(ValidationError) as refused:
        field.clean([str(user.pk), value])
    assert refused.value.code == "invalid_choice"
    with pytest.raises(ValidationError):
        IdListField().clean([value])
    assert list(field.clean([str(user.pk)])) == [user]
    assert IdListField().clean([str(user.pk)]) == [user.pk]


class _HintedForm(BaseForm):
    code = forms.CharField(label="Code postal", help_text="Cinq chiffres.")


def test_help_text_describes_a_field_outside_its_label_even_after_an_error():
    """A hint is not part of the field's name, and stays its description once the field
    is refused, alongside the error."""
    form = _HintedForm(data={"code": ""})
    form.is_valid()
    html = str(form["code"].as_field_group())
    label = html.split("<label", 1)[1].split("</label>", 1)[0]
    assert "Cinq chiffres." not in label
    assert 'id="id_code_helptext"' in html
    assert 'aria-describedby="id_code_helptext id_code-desc-error"' in html
    assert 'id="id_code-desc-error"' in html
