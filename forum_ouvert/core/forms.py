"""Forms: the DSFR rendering every form of the site uses, the base form classes, and
``add_errors``, the one way a view puts a service's ``ValidationError`` on its form.

When to use what:
- Every form subclasses ``BaseForm`` or ``BaseModelForm`` (optional fields marked, the DSFR
  markup through ``DsfrFormRenderer``); a model form whose model the service validates
  (after a state machine, under a row lock) subclasses ``ServiceModelForm``.
- A view binds its form, calls one service, and on ``ValidationError`` calls
  ``add_errors(form, exc)`` then renders the form again: field errors land on their
  field, the others at the top of the form. Never copy this helper into an app.
- Widgets (``FastSelect``, ``DateInput``, ``DateTimeInput``) are in ``core/widgets.py``.

Errors, one way for every form (issue 20, item 5):
- The error summary: ``{% error_summary form %}`` (``core/_error_summary.html``, a DSFR
  alert ``role="alert"``, class ``fo-resume-erreurs``, id ``resume-erreurs`` or
  ``resume-erreurs-<prefix>``) titled « Le formulaire contient N erreurs », listing the
  non-field errors and each faulty field's label as a link to its input. ``{{ form }}``
  prints it itself (``templates/dsfr/form_snippet.html``); a template that lays the fields
  out one by one puts the tag at the top of its ``<form>`` (formsets too:
  ``{% error_summary form formset %}``). ``site.js`` focuses it after a full page load
  and after an htmx submission that brings one in.
- The ``<title>`` starts with « Erreur : » when a bound form (or formset) of the page's
  context has errors: ``{% error_title_prefix %}`` in ``base.html``, read from the context
  by ``forms_with_errors`` (the title is printed before the summary, so it cannot wait for
  the summary to say so).
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.forms.renderers import TemplatesSetting
from django.http import QueryDict
from django.utils.html import conditional_escape
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBoundField

from . import terms
from .ids import ID_MAX
from .models import Departement, User
from .services import terms_accept, user_set_language
from .uploads import keep_uploads
from .validators import validate_one_line, web_url
from .widgets import RadioSelect


class EscapedBoundField(DsfrBoundField):
    """A bound field whose help text is escaped unless it was explicitly marked safe.

    Django's, the DSFR's and the admin's templates all print ``help_text|safe``: a help text
    built from data (an AMI criterion's description, typed by staff) would otherwise be written
    as markup. Literal help texts are plain text; the few that need markup (allauth's password
    rules) are ``SafeString`` already and pass unchanged.
    """

    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        self.help_text = conditional_escape(self.help_text)

    @property
    def help_after_input(self) -> bool:
        """Whether the help text is a link to follow rather than a description to read.

        allauth gives its current-password fields (login, re-authentication, password change)
        the « Mot de passe oublié ? » link as help text. Inside the label it became part of
        the field's name (« Mot de passe Mot de passe oublié ? », issue 20): it is shown after
        the field instead, reached by the next Tab, and not read as the field's description.
        """
        return bool(self.help_text) and (
            self.field.widget.attrs.get("autocomplete") == "current-password"
        )

    @property
    def aria_describedby(self) -> str:
        """What the input is described by: its help text (never inside the label, so that
        the name is the label alone) and, after a refusal, its error (the DSFR snippet's
        ``-desc-error`` block). Both, in that order; the DSFR's own filter kept only the
        error and dropped the help text."""
        if not self.auto_id or self.is_hidden:
            return ""
        ids = []
        if self.help_text and not self.help_after_input:
            ids.append(f"{self.auto_id}_helptext")
        if self.form._errors and self.errors:
            ids.append(f"{self.auto_id}-desc-error")
        return " ".join(ids)

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self.name in getattr(self.form, "shown_required", ()):
            attrs.pop("required", None)  # required only in some cases: the form's clean says
        if not self.use_fieldset:
            # Set here, since the DSFR's template filter writes the error's id alone into
            # the widget's attrs, which Django's own computation then defers to.
            if described_by := self.aria_describedby:
                attrs["aria-describedby"] = described_by
            else:
                attrs.pop("aria-describedby", None)
        return attrs


class DsfrFormRenderer(TemplatesSetting):
    """Renders every form (ours, allauth's, the admin's own widgets aside) with DSFR markup.

    Using the renderer rather than a base form class means third-party forms such as
    allauth's get the same accessible markup: labels, hints and errors tied to inputs.
    """

    form_template_name = "dsfr/form_snippet.html"
    bound_field_class = EscapedBoundField


class DsfrFormMixin:
    """Marks optional fields (DSFR guidance) without django-dsfr's transitional warnings.

    ``shown_required``: fields the form requires only in some cases, which its ``clean``
    checks (a moderation reason, to hide; an AMI answer, to submit). They are shown as
    required — no « (Optionnel) » — but validated as optional, before and after a refusal
    alike (issue 22, items 4 and 10)."""

    shown_required: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._show_required(True)

    def _show_required(self, shown: bool) -> None:
        for name in self.shown_required:
            if name in self.fields:
                self.fields[name].required = shown

    def full_clean(self):
        self._show_required(False)
        try:
            super().full_clean()
        finally:
            self._show_required(True)
        keep_uploads(self)  # valid files survive a refusal (core.uploads.KeptFileInput)

    def get_context(self):
        context = super().get_context()
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context


@dataclass(frozen=True)
class ErrorItem:
    """One line of an error summary: a field's label and its first error, with the id of the
    input it links to (``""`` for a non-field error or a hidden field: no link)."""

    message: str
    label: str = ""
    target: str = ""


def _field_target(bound: forms.BoundField) -> str:
    """The id of the element a summary's link goes to: the input itself, or the first of
    a group's inputs (radio buttons, checkboxes), whose label then says the group. A form
    whose template draws a field itself (the rows' checkboxes of a table) names the element
    to go to in ``error_targets``."""
    if target := getattr(bound.form, "error_targets", {}).get(bound.name):
        return target
    if bound.is_hidden or not bound.auto_id:
        return ""
    if target := bound.id_for_label:
        return target
    widgets = bound.subwidgets
    return (widgets[0].id_for_label or "") if widgets else ""


def _form_items(form: forms.BaseForm) -> list[ErrorItem]:
    items = [ErrorItem(message=str(error)) for error in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS or name not in form.fields or not errors:
            continue
        bound = form[name]
        items.append(
            ErrorItem(message=str(errors[0]), label=str(bound.label), target=_field_target(bound))
        )
    return items


def error_items(*forms_or_formsets) -> list[ErrorItem]:
    """What an error summary lists for these forms and formsets, in the page's order: the
    non-field errors first, then one line per faulty field. Unbound ones list nothing."""
    items: list[ErrorItem] = []
    for each in forms_or_formsets:
        if not getattr(each, "is_bound", False):
            continue
        if isinstance(each, forms.BaseFormSet):
            items += [ErrorItem(message=str(error)) for error in each.non_form_errors()]
            for form in each.forms:
                items += _form_items(form)
        elif isinstance(each, forms.BaseForm):
            items += _form_items(each)
    return items


def forms_with_errors(context_values) -> bool:
    """Whether one of these values (a template context's) is a bound form or formset with
    errors. Lazy values (``csrf_token``, ``user``) are never evaluated: their type is read,
    not their class, so that the check costs no query and sets no cookie."""
    return any(
        issubclass(type(value), forms.BaseForm | forms.BaseFormSet) and error_items(value)
        for value in context_values
    )


def cleaned_query(form: forms.BaseForm) -> QueryDict:
    """The query string of a bound filter form, keeping only the fields that validated.

    For the links of a filtered list (pagination, htmx): a value the form refused (an unknown
    département, a payload) is never echoed back into the page's links."""
    form.is_valid()
    query = QueryDict(mutable=True)
    for name in form.fields:
        key = form.add_prefix(name)
        if name in form.cleaned_data and name not in form.errors and key in form.data:
            query.setlist(key, [v for v in form.data.getlist(key) if v != ""])
    return query


class WebURLField(forms.URLField):
    """A link to a public web page, with one error when it is not one (``web_url``'s)
    instead of Django's « Saisissez une URL valide. » beside it."""

    default_validators = [web_url]


def add_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form: on its field when the form has
    that field, otherwise at the top of the form (a non-field error). The form's valid
    files are kept for its next submission (``core.uploads.KeptFileInput``)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
    keep_uploads(form)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, with every posted key checked against its column's range before the query.

    Django queries ``pk__in`` with the posted values as they are: one past 2^63 − 1 and
    psycopg raises ``OverflowError`` (a 500). Here a value that the key's model field would
    refuse (not a number, out of range) is an invalid choice, like an unknown id. Every form
    of the site uses this field for a list of objects (see ``core/ids.py``)."""

    def _check_values(self, value):
        meta = self.queryset.model._meta
        key = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        if key.is_relation:
            key = key.target_field
        for item in value:
            try:
                key.run_validators(key.to_python(item))
            except (ValidationError, TypeError):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                ) from None
        return super()._check_values(value)


class BaseForm(DsfrFormMixin, forms.Form):
    pass


class ConfirmForm(BaseForm):
    """A confirmation with no field (« Déposer ma proposition », « Accepter et co-écrire »):
    a service's refusal goes on it with ``add_errors`` so that the page shows it in the
    shared error summary, and its title says « Erreur : », as for any form."""


class SupportForm(BaseForm):
    """« Soutenir » and its withdrawal (a contribution, a co-creation proposal): the button
    posts which of the two it is."""

    action = forms.ChoiceField(choices=[("add", "add"), ("remove", "remove")])


class IdListField(forms.Field):
    """Row identifiers ticked in a table (checkboxes rendered by the template): positive
    integers that fit in a ``bigint`` (``core/ids.py``), at most ``MAX`` of them."""

    widget = forms.MultipleHiddenInput
    MAX = 200

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value) -> list[int]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        if len(values) > self.MAX:
            raise ValidationError(_("Sélectionnez au plus 200 éléments à la fois."))
        try:
            ids = sorted({int(v) for v in values})
        except (TypeError, ValueError):
            raise ValidationError(_("Sélection invalide.")) from None
        if any(not 0 < i <= ID_MAX for i in ids):
            raise ValidationError(_("Sélection invalide."))
        return ids


def _model_formfield(db_field, **kwargs):
    """A model's many-to-many field gets the bounded ``ModelMultipleChoiceField``."""
    if isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", ModelMultipleChoiceField)
    return db_field.formfield(**kwargs)


class BaseModelForm(DsfrFormMixin, forms.ModelForm):
    formfield_callback = _model_formfield


class ServiceModelForm(BaseModelForm):
    """A model form that cleans its fields only: the model's own checks (``full_clean``,
    uniqueness) run in the service, after its state machine or under its row lock, which
    may fill what the form leaves empty (reaching a milestone dates it). The view passes
    ``form.cleaned_data`` to the service; ``form.instance`` is not updated.
    """

    def _post_clean(self):
        # Django's hook that copies the data onto the instance and validates the model:
        # both are the service's work here.
        pass


class SignupForm(BaseForm):
    """Extra sign-up fields, added by allauth to its own form (``ACCOUNT_SIGNUP_FORM_CLASS``).
    The terms' box comes last, just before the link to them (``account/signup.html``)."""

    field_order = [
        "email",
        "display_name",
        "departement",
        "public_display_consent",
        "password1",
        "password2",
        "accept_terms",
    ]

    display_name = forms.CharField(
        label=_("Nom affiché"),
        max_length=80,
        required=False,
        help_text=_("Par exemple votre prénom et l'initiale de votre nom."),
        validators=[validate_one_line],
    )
    departement = forms.ModelChoiceField(
        label=_("Département"),
        queryset=Departement.objects.order_by("code"),
        required=False,
        empty_label=_("— Je préfère ne pas le dire —"),
    )
    public_display_consent = forms.BooleanField(
        label=_("J'accepte que mon nom affiché apparaisse à côté de mes contributions publiques"),
        required=False,
    )

    accept_terms = forms.BooleanField(
        label=_("J'ai lu et j'accepte les conditions générales d'utilisation"),
        error_messages={
            "required": _(
                "Pour créer un compte, cochez la case « J'ai lu et j'accepte les conditions "
                "générales d'utilisation »."
            )
        },
    )

    @property
    def terms(self) -> terms.TermsVersion:
        """The version the box accepts (the page links to it)."""
        return terms.current()

    def signup(self, request, user) -> None:
        user.display_name = self.cleaned_data.get("display_name", "")
        user.departement = self.cleaned_data.get("departement")
        user.public_display_consent = self.cleaned_data.get("public_display_consent", False)
        user.save(update_fields=["display_name", "departement", "public_display_consent"])
        terms_accept(user=user, version=terms.current().id)


class TermsAcceptForm(BaseForm):
    """« J'accepte » the terms of use in force (``core.views.terms_accept``). The version
    shown travels with the form: a version published meanwhile is refused by the service,
    never accepted unread."""

    #: Any other value than the version in force is refused by the service, in words.
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    accept = forms.BooleanField(
        label=_("J'ai lu et j'accepte les conditions générales d'utilisation"),
        error_messages={
            "required": _(
                "Pour continuer, cochez la case « J'ai lu et j'accepte les conditions "
                "générales d'utilisation »."
            )
        },
    )


class ProfileForm(BaseModelForm):
    """What a person may change about themselves on « Mon compte ». The language of their
    e-mails is not a model field here: it changes through ``user_set_language`` (see
    :meth:`save`), as when they switch the site's language."""

    preferred_language = forms.ChoiceField(
        label=_("Langue des e-mails"),
        choices=settings.LANGUAGES,
        widget=RadioSelect,
        required=False,  # a form posted without it keeps the language as it is
        help_text=_("Les e-mails que la plateforme vous envoie sont écrits dans cette langue."),
    )

    class Meta:
        model = User
        fields = ["display_name", "departement", "public_display_consent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].initial = self.instance.preferred_language

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=commit)
        if commit and self.cleaned_data.get("preferred_language"):
            user_set_language(user=user, language=self.cleaned_data["preferred_language"])
        return user
