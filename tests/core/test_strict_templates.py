"""Undefined template variables fail the tests in our templates, not in third-party ones
(style guide, rule 18; issue 14)."""

from pathlib import Path

import django
import pytest
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.template import Context, engines
from django.template.base import Origin, Template
from django.template.loader import render_to_string

from forum_ouvert.core.templates_strict import UndefinedTemplateVariable, is_project_template

ENGINE = engines["django"].engine
OURS = Path(settings.BASE_DIR) / "templates" / "includes" / "_essai.html"
THEIRS = Path(django.__file__).parent / "contrib" / "admin" / "templates" / "admin" / "essai.html"


def _render(source: str, origin: Path, **context) -> str:
    template = Template(source, origin=Origin(str(origin)), engine=ENGINE)
    return template.render(Context(context))


def test_the_test_settings_use_the_strict_value():
    assert "%s" in ENGINE.string_if_invalid
    assert str(ENGINE.string_if_invalid) == ""  # outside a rendering: harmless


def test_where_a_template_comes_from_decides():
    assert is_project_template(str(OURS))
    assert is_project_template(str(Path(settings.BASE_DIR) / "forum" / "templates" / "f.html"))
    assert not is_project_template(str(THEIRS))
    assert not is_project_template(str(Path(settings.BASE_DIR) / ".venv/lib/site-packages/x"))
    assert not is_project_template("/usr/share/ailleurs/x.html")
    assert not is_project_template("<unknown source>")
    assert not is_project_template(None)


def test_an_undefined_variable_in_our_template_raises_with_its_place():
    with pytest.raises(UndefinedTemplateVariable) as raised:
        _render("Bonjour\n{{ nom }}", OURS)
    message = str(raised.value)
    assert "« nom »" in message
    assert "templates/includes/_essai.html, ligne 2" in message


@pytest.mark.parametrize(
    "source",
    [
        "{{ nom|upper }}",
        "{{ nom|default:'personne' }}",  # |default covers an empty value, not an absent one
        "{% url 'home' nom %}",
        "{% with n=nom %}{% endwith %}",
        "{% load i18n %}{% blocktranslate %}Bonjour {{ nom }}{% endblocktranslate %}",
        "{% load i18n %}{% blocktranslate with n=nom %}Bonjour {{ n }}{% endblocktranslate %}",
    ],
)
def test_every_way_of_using_an_undefined_variable_raises_in_ours(source):
    with pytest.raises(UndefinedTemplateVariable):
        _render(source, OURS)


def test_testing_for_absence_is_allowed_in_ours():
    source = (
        "{% if nom %}{{ nom }}{% else %}personne{% endif %}"
        "{% for x in liste %}{{ x }}{% empty %}, rien{% endfor %}"
        "{% firstof nom 'ni' %}"
    )
    assert _render(source, OURS) == "personne, rienni"
    assert _render("{{ nom|default:'personne' }}", OURS, nom="") == "personne"
    assert _render("{{ nom|default:'personne' }}", OURS, nom=None) == "personne"


def test_a_real_template_of_ours_raises_when_its_context_lacks_what_it_prints():
    badge = "contributions/includes/_response_badge.html"
    assert render_to_string(badge, {}).strip() == ""  # ``{% if response %}``: may be absent
    with pytest.raises(UndefinedTemplateVariable, match="response.get_status_display"):
        render_to_string(badge, {"response": object()})


class _Contribution:
    """Like a model whose reverse one-to-one is missing: Django's lookup swallows the
    ``DoesNotExist`` (a « silent » failure) and hands ``string_if_invalid`` over as the value."""

    @property
    def response(self):
        raise ObjectDoesNotExist


def test_a_missing_related_object_is_false_as_in_production_and_raises_when_printed():
    contribution = _Contribution()
    source = "{% if contribution.response %}oui{% else %}non{% endif %}"
    assert _render(source, OURS, contribution=contribution) == "non"
    assert (
        _render("{{ contribution.response|default:'—' }}", OURS, contribution=contribution) == "—"
    )
    included = (
        "{% with r=contribution.response %}{% if r %}oui{% else %}non{% endif %}{% endwith %}"
    )
    assert _render(included, OURS, contribution=contribution) == "non"
    with pytest.raises(UndefinedTemplateVariable):
        _render("{{ contribution.response }}", OURS, contribution=contribution)
    assert _render("[{{ contribution.response }}]", THEIRS, contribution=contribution) == "[]"


def test_a_third_party_template_renders_as_in_production():
    assert _render("[{{ nom }}]", THEIRS) == "[]"
    # The filters run on "" as they would in production: |default shows its value.
    assert _render("{{ nom|default:'personne' }}", THEIRS) == "personne"
    assert (
        _render("{% load i18n %}{% blocktranslate %}a{{ nom }}b{% endblocktranslate %}", THEIRS)
        == "ab"
    )
    # A real one: Django's own input widget, rendered without its widget.
    html = render_to_string("django/forms/widgets/input.html", {})
    assert html.startswith('<input type="" name=""')
