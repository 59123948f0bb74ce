"""The one error summary of every form (issue 20, item 5): what it lists, where its links
go, and the « Erreur : » of the page's title."""

from django import forms
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import RequestFactory
from django.utils.functional import SimpleLazyObject

from forum_ouvert.core.forms import BaseForm, ErrorItem, error_items, forms_with_errors


class _Form(BaseForm):
    title = forms.CharField(label="Titre")
    kind = forms.ChoiceField(
        label="Type", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )
    token = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        raise ValidationError("Ce formulaire ne passe pas.")


def _summary(*forms_or_formsets) -> str:
    template = Template("{% load forum_ouvert %}{% error_summary form %}")
    return template.render(Context({"form": forms_or_formsets[0]}))


def test_the_summary_lists_the_form_errors_then_each_faulty_field():
    """The form's own error comes first, then each field by its label; a radio group links
    to its first button; a hidden field is named but has no link."""
    form = _Form(data={})
    assert error_items(form) == [
        ErrorItem(message="Ce formulaire ne passe pas."),
        ErrorItem(message="Ce champ est obligatoire.", label="Titre", target="id_title"),
        ErrorItem(message="Ce champ est obligatoire.", label="Type", target="id_kind_0"),
        ErrorItem(message="Ce champ est obligatoire.", label="Token", target=""),
    ]


def test_the_summary_is_an_alert_that_counts_and_links():
    """A refused form starts with « Le formulaire contient 4 erreurs », a focusable alert
    whose links lead to the fields."""
    html = _summary(_Form(data={}))
    assert 'role="alert"' in html and 'tabindex="-1"' in html and 'id="resume-erreurs"' in html
    assert "Le formulaire contient 4 erreurs" in html
    assert '<a href="#id_title">Titre</a> : Ce champ est obligatoire.' in html
    assert '<a href="#id_kind_0">Type</a>' in html


def test_one_error_is_singular_and_a_prefixed_form_has_its_own_id():
    """« 1 erreur », and two forms of a page have two summaries with two ids."""

    class One(BaseForm):
        name = forms.CharField(label="Nom")

    html = _summary(One(data={}, prefix="autre"))
    assert "Le formulaire contient 1 erreur<" in html
    assert 'id="resume-erreurs-autre"' in html and 'href="#id_autre-name"' in html


def test_no_summary_for_an_unbound_or_valid_form():
    """A form shown for the first time, or accepted, shows no summary."""

    class One(BaseForm):
        name = forms.CharField(label="Nom")

    assert _summary(One()).strip() == ""
    assert _summary(One(data={"name": "Camille"})).strip() == ""


def test_a_formset_lists_its_own_errors_and_its_forms():
    """A formset's « too many » error and its forms' fields are listed too."""

    class One(BaseForm):
        name = forms.CharField(label="Nom")

    OneSet = forms.formset_factory(One, min_num=1, max_num=1, validate_max=True, extra=0)
    data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0", "form-0-name": ""}
    items = error_items(OneSet(data=data))
    assert items[0].target == "" and "1" in items[0].message
    assert (
        ErrorItem(message="Ce champ est obligatoire.", label="Nom", target="id_form-0-name")
        in items
    )


def test_the_title_says_erreur_only_when_a_form_of_the_page_is_refused():
    """« Erreur : » starts the page's title while a form of the page has errors; lazy
    values of the context (the CSRF token) are not evaluated to find out."""

    class One(BaseForm):
        name = forms.CharField(label="Nom")

    calls = []
    token = SimpleLazyObject(lambda: calls.append(1) or "jeton")
    assert forms_with_errors([One(data={}), "x"])
    assert not forms_with_errors([One(), One(data={"name": "A"}), token])
    assert calls == []
    template = Template("{% load forum_ouvert %}<title>{% error_title_prefix %}Page</title>")
    request = RequestFactory().get("/")
    assert template.render(Context({"form": One(data={}), "request": request})) == (
        "<title>Erreur : Page</title>"
    )
    assert template.render(Context({"form": One(), "request": request})) == "<title>Page</title>"


class _Groups(BaseForm):
    kind = forms.ChoiceField(
        label="Type",
        choices=[("a", "A"), ("b", "B")],
        widget=forms.RadioSelect,
        help_text="Un seul choix.",
    )
    topics = forms.MultipleChoiceField(
        label="Thèmes",
        choices=[("a", "A"), ("b", "B")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Plusieurs choix possibles.",
    )


def test_a_group_in_error_is_described_by_its_help_text_and_its_error():
    """Radio buttons and checkbox groups: the group is named by its legend alone and
    described by its help text then its error, both of which exist on the page."""
    html = str(_Groups(data={}))
    for name in ("kind", "topics"):
        assert f'aria-labelledby="id_{name}-legend"' in html
        assert f'aria-describedby="id_{name}_helptext id_{name}-desc-error"' in html
        assert f'id="id_{name}_helptext"' in html and f'id="id_{name}-desc-error"' in html
    assert '-messages"' not in html and "-messages " not in html
    legend = html.split('id="id_kind-legend">')[1].split("</legend>")[0]
    assert "Un seul choix." not in legend
