"""Forms of this app: they validate input; services do the writing."""

from __future__ import annotations

import contextlib

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from engagements.models import Commitment
from forum_ouvert.core.forms import BaseForm, BaseModelForm, IdListField
from forum_ouvert.core.ids import ID_MAX
from forum_ouvert.core.models import Departement
from forum_ouvert.core.text import shorten
from forum_ouvert.core.validators import validate_one_line
from forum_ouvert.core.widgets import DateInput, FastSelect

from .models import (
    BODY_MAX,
    COMMENT_MAX,
    CONTRIBUTION_DECISIONS,
    TITLE_MAX,
    Comment,
    Consultation,
    ContestOutcome,
    Contribution,
    ModerationRule,
    ReportReason,
    Theme,
    allowed_acts,
    decision_choices,
)
from .selectors import NO_RESPONSE, WITHDRAWN, filter_choices


def _commitments():
    return Commitment.objects.filter(plan__is_current=True).order_by("number")


class ThemeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Theme) -> str:
        return obj.title


class CommitmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Commitment) -> str:
        title = obj.display_title
        return f"{obj.number}. {shorten(title, 90)}"


class ContributionForm(BaseForm):
    """Title, text, theme or question, and optionally a commitment and a département."""

    title = forms.CharField(
        label=_("Titre"),
        min_length=5,
        max_length=TITLE_MAX,
        help_text=_("Une phrase qui résume votre proposition."),
        validators=[validate_one_line],
    )
    body = forms.CharField(
        label=_("Votre contribution"),
        min_length=20,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Texte simple : séparez les paragraphes par une ligne vide ; les adresses web "
            "deviennent des liens. Le HTML n'est pas interprété."
        ),
    )
    theme = ThemeChoiceField(
        label=_("Thème ou question"), queryset=Theme.objects.none(), required=True
    )
    commitment = CommitmentChoiceField(
        label=_("Engagement concerné"),
        queryset=Commitment.objects.none(),
        required=False,
        empty_label=_("— Aucun en particulier —"),
    )
    departement = forms.ModelChoiceField(
        label=_("Département"),
        queryset=Departement.objects.order_by("code"),
        required=False,
        empty_label=_("— Je préfère ne pas le dire —"),
        help_text=_("Pour voir les contributions d'un territoire."),
        # A hundred départements, re-rendered with every refused form.
        widget=FastSelect,
    )

    def __init__(self, *args, consultation: Consultation, **kwargs):
        super().__init__(*args, **kwargs)
        themes = consultation.themes.order_by("order", "id")
        self.fields["theme"].queryset = themes
        if not themes.exists():
            del self.fields["theme"]
        self.fields["commitment"].queryset = _commitments()
        if consultation.commitment_id and not self.is_bound:
            self.initial.setdefault("commitment", consultation.commitment_id)


class CommentForm(BaseForm):
    body = forms.CharField(
        label=_("Votre commentaire"),
        min_length=2,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Texte simple ; restez courtois et ne citez pas de données personnelles."),
    )
    parent = forms.IntegerField(
        required=False, min_value=1, max_value=ID_MAX, widget=forms.HiddenInput
    )


class ReportForm(BaseForm):
    reason = forms.ChoiceField(label=_("Motif du signalement"), choices=ReportReason.choices)
    details = forms.CharField(
        label=_("Précisions"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ResponseForm(BaseForm):
    status = forms.ChoiceField(
        label=_("Décision"), choices=decision_choices(CONTRIBUTION_DECISIONS)
    )
    text = forms.CharField(
        label=_("Retour argumenté"),
        min_length=10,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Expliquez comment la contribution a été prise en compte, et pourquoi. "
            "Ce texte est public et envoyé à l'auteur et aux soutiens."
        ),
    )
    notify = forms.BooleanField(
        label=_("Prévenir l'auteur et les soutiens de cette correction par e-mail"),
        required=False,
        help_text=_(
            "La version précédente reste lisible sur la page de la contribution. Une simple "
            "correction (coquille, lien) peut être publiée sans nouvel e-mail."
        ),
    )

    def __init__(self, *args, correcting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not correcting:
            del self.fields["notify"]  # a first response always goes to them


class ItemModerationForm(BaseForm):
    """Moderating one item, from its page: an act, the rule concerned and a reason.

    The rule and the reason are required to hide (``clean`` says so on their fields); they
    are shown without « (Optionnel) », their labels say when they are needed. Each item's
    form has its own prefix (``moderer-contribution-3``, ``moderer-commentaire-7``), so that
    a page's ids stay unique and a refusal comes back on the form that was sent."""

    ACTS = [
        ("approve", _("Publier")),
        ("hide", _("Masquer (règle et motif obligatoires)")),
        ("confirm", _("Confirmer le masquage (règle et motif obligatoires)")),
        ("restore", _("Rétablir")),
        ("dismiss", _("Écarter les signalements")),
    ]
    act = forms.ChoiceField(label=_("Action"), choices=ACTS)
    rule = forms.ChoiceField(
        label=_("Règle concernée (obligatoire pour masquer)"),
        choices=[("", _("— Aucune —")), *ModerationRule.choices],
        required=False,
        help_text=_("Citée à l'auteur dans l'exposé des motifs qui lui est envoyé."),
    )
    reason = forms.CharField(
        label=_("Motif (obligatoire pour masquer)"),
        max_length=500,
        required=False,
        help_text=_(
            "Pour masquer, il est affiché à la place du contenu masqué "
            "(« masquée par la modération : … ») et envoyé à son auteur. Pour les autres "
            "actions, il est "
            "facultatif et inscrit au journal."
        ),
    )
    shown_required = ("rule", "reason")  # required to hide: checked by clean()

    @staticmethod
    def prefix_for(kind: str, pk: int) -> str:
        """The prefix of the form moderating this item (``kind``: contribution, commentaire)."""
        return f"moderer-{kind}-{pk}"

    @classmethod
    def for_item(cls, item: Contribution | Comment, refused: ItemModerationForm | None = None):
        """What the inline form of ``item`` draws: the form (the refused one when it is this
        item's, else a blank one), the URL it posts to, and the acts its state allows."""
        comment = isinstance(item, Comment)
        prefix = cls.prefix_for("commentaire" if comment else "contribution", item.pk)
        form = refused if refused is not None and refused.prefix == prefix else cls(prefix=prefix)
        name = "contributions:comment_moderate" if comment else "contributions:moderate"
        return {
            "form": form,
            "action": reverse(name, args=[item.pk]),
            "acts": allowed_acts(item.status),
        }

    def clean(self):
        data = super().clean()
        if data.get("act") in ("hide", "confirm"):
            if not data.get("rule"):
                self.add_error(
                    "rule", _("Choisissez la règle concernée : elle est citée à l'auteur.")
                )
            if not (data.get("reason") or "").strip():
                self.add_error(
                    "reason",
                    _("Indiquez le motif public du masquage : il sera affiché à sa place."),
                )
        return data


class ModerationForm(ItemModerationForm):
    """Bulk moderation, in the queue: the item form's act, rule and reason, applied to the
    ticked items."""

    contributions = IdListField(label=_("Sélection"))
    comments = IdListField(label=_("Sélection de commentaires"))
    # The ticks are the rows' checkboxes, drawn by the queue's tables (moderation.html).
    error_targets = {"contributions": "elements-a-traiter", "comments": "elements-a-traiter"}

    def clean(self):
        data = super().clean()
        unreadable = "contributions" in self.errors or "comments" in self.errors
        if not unreadable and not data.get("contributions") and not data.get("comments"):
            self.add_error(
                "contributions", _("Cochez au moins une contribution ou un commentaire.")
            )
        return data

    def ticked(self, name: str) -> set[int]:
        """The rows ticked in what was submitted, to tick them again when the form is
        refused (an unreadable value ticks nothing)."""
        if not self.is_bound:
            return set()
        ticked = set()
        for value in self.data.getlist(self.add_prefix(name)):
            with contextlib.suppress(TypeError, ValueError):
                ticked.add(int(value))
        return ticked


class ContestForm(BaseForm):
    """The author contests a moderation decision, once."""

    text = forms.CharField(
        label=_("Pourquoi contestez-vous cette décision ?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Une seule contestation est possible : l'équipe de modération la réexamine et "
            "vous répond par e-mail et sur cette page."
        ),
    )


class StatementAnswerForm(BaseForm):
    """Staff answer a contest: uphold or restore, with a text sent to the author."""

    outcome = forms.ChoiceField(
        label=_("Réponse"), choices=ContestOutcome.choices, widget=forms.RadioSelect
    )
    answer = forms.CharField(
        label=_("Explication envoyée à l'auteur"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class BlockForm(BaseForm):
    """Staff block a person: a reason (required, journaled), an end date or none."""

    reason = forms.CharField(
        label=_("Motif du blocage"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Inscrit au journal et montré à la personne quand elle essaie d'écrire."),
    )
    until = forms.DateField(
        label=_("Bloquer jusqu'au (inclus)"),
        required=False,
        widget=DateInput(),
        help_text=_("Laissez vide pour bloquer sans limite de durée."),
    )


class UnblockForm(BaseForm):
    """Staff lift a block, with a reason."""

    reason = forms.CharField(
        label=_("Motif du déblocage"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


def _int_choice(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, required=False, coerce=int, empty_value=None, widget=FastSelect
    )


class FilterForm(BaseForm):
    """The filters of a list: every field optional, invalid values are reported, not 500.

    Choices come from ``selectors.filter_choices`` (cached): rendering the filter bar costs
    no query on the large tables and none on the reference ones.
    """

    q = forms.CharField(label=_("Rechercher"), max_length=200, required=False)
    consultation = _int_choice(_("Consultation"))
    theme = _int_choice(_("Thème"))
    commitment = _int_choice(_("Engagement"))
    departement = forms.ChoiceField(label=_("Département"), required=False, widget=FastSelect)
    status = forms.ChoiceField(
        label=_("Retour"),
        required=False,
        widget=FastSelect,
        choices=[
            ("", _("Tous")),
            (NO_RESPONSE, _("Sans réponse")),
            *decision_choices(CONTRIBUTION_DECISIONS),
            (WITHDRAWN, _("Retirée par son auteur")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Trier par"),
        required=False,
        widget=FastSelect,
        choices=[
            ("recent", _("Les plus récentes")),
            ("soutiens", _("Les plus soutenues")),
            ("reponse", _("A reçu une réponse")),
        ],
    )

    def __init__(self, *args, consultation: Consultation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = filter_choices()
        self.fields["commitment"].choices = [("", _("Tous")), *choices["commitments"]]
        self.fields["departement"].choices = [("", _("Tous")), *choices["departements"]]
        if consultation is not None:
            del self.fields["consultation"]
            themes = consultation.themes.order_by("order", "id").values_list("pk", "title")
            self.fields["theme"].choices = [("", _("Tous")), *themes]
        else:
            self.fields["consultation"].choices = [("", _("Toutes")), *choices["consultations"]]
            del self.fields["theme"]

    @property
    def filters(self) -> dict:
        """The valid filters (an invalid one is dropped and its error shown)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class ConsultationForm(BaseModelForm):
    themes = forms.CharField(
        label=_("Thèmes ou questions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Un par ligne, dans l'ordre d'affichage."),
    )

    class Meta:
        model = Consultation
        fields = [
            "title",
            "slug",
            "presentation",
            "commitment",
            "opens_on",
            "closes_on",
            "moderation_mode",
            "is_published",
        ]
        widgets = {
            "opens_on": DateInput(),
            "closes_on": DateInput(),
            "presentation": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment"].queryset = _commitments()
        if self.instance.pk and not self.is_bound:
            self.initial["themes"] = "\n".join(
                self.instance.themes.order_by("order", "id").values_list("title", flat=True)
            )

    @property
    def theme_titles(self) -> list[str]:
        return [line for line in self.cleaned_data.get("themes", "").splitlines() if line.strip()]
