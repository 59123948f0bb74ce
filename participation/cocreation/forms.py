"""Forms of the co-creation: the proposal in the OGP template, its milestones, the diff."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from engagements.models import ActionPlan, OgpValue, PlanStatus
from forum_ouvert.core.forms import BaseForm
from forum_ouvert.core.validators import validate_one_line
from forum_ouvert.core.widgets import CheckboxSelectMultiple, DateInput, RadioSelect
from participation.contributions.models import PROPOSAL_DECISIONS, decision_choices
from participation.forum.models import Member

from .models import (
    AMENDABLE_SECTIONS,
    MILESTONES_MAX,
    SECTION_MAX,
    TITLE_MAX,
    PhaseKind,
    Proposal,
    ProposalFate,
    ProposalStatus,
    Verdict,
)

#: Blank milestone rows offered under those already written (no JavaScript needed).
BLANK_MILESTONES = 2


def _textarea(name: str, help_text: str = "", *, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=Proposal._meta.get_field(name).verbose_name,
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=SECTION_MAX,
        required=required,
        help_text=help_text,
    )


class ProposalForm(BaseForm):
    """The sections of the OGP commitment template. Only the title is needed for a draft;
    the service asks for the problem, the commitment and its effects before submission."""

    title = forms.CharField(
        label=_("Titre de la proposition"),
        max_length=TITLE_MAX,
        validators=[validate_one_line],
        help_text=_("Une phrase qui dit ce que l'engagement ferait."),
    )
    organisation = forms.CharField(
        label=Proposal._meta.get_field("organisation").verbose_name,
        max_length=200,
        required=False,
        validators=[validate_one_line],
        help_text=Proposal._meta.get_field("organisation").help_text,
    )
    problem = _textarea("problem", _("Le constat, avec ses sources si possible."))
    description = _textarea("description", _("Ce que l'administration s'engagerait à faire."))
    how_it_helps = _textarea("how_it_helps", _("Ce qui changerait, pour qui."))
    ogp_values = forms.MultipleChoiceField(
        label=_("Valeurs du gouvernement ouvert auxquelles il répond"),
        choices=OgpValue.choices,
        widget=CheckboxSelectMultiple,
        required=False,
    )
    lead_institution = forms.CharField(
        label=Proposal._meta.get_field("lead_institution").verbose_name,
        max_length=200,
        required=False,
        validators=[validate_one_line],
        help_text=_("Par exemple : un ministère, une autorité, une collectivité."),
    )
    partners = _textarea("partners", _("Les organisations qui pourraient y contribuer."))
    #: The revision the editor started from (``services.proposal_edit`` compares it).
    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def text(self) -> dict:
        """The template's sections, ready for the services (milestones apart)."""
        data = dict(self.cleaned_data)
        data.pop("base_revision", None)
        data.pop("organisation", None)
        return data


class MilestoneForm(BaseForm):
    deliverable = forms.CharField(
        label=_("Livrable"), max_length=300, required=False, validators=[validate_one_line]
    )
    starts_on = forms.DateField(label=_("Début"), required=False, widget=DateInput)
    ends_on = forms.DateField(label=_("Fin"), required=False, widget=DateInput)


MilestoneFormSet = forms.formset_factory(
    MilestoneForm, extra=0, max_num=MILESTONES_MAX, validate_max=True, absolute_max=MILESTONES_MAX
)


def milestone_formset(data=None, *, milestones: list[dict] | None = None) -> forms.BaseFormSet:
    """The written milestones and ``BLANK_MILESTONES`` empty rows (up to the maximum)."""
    initial = [
        {
            "deliverable": row["deliverable"],
            "starts_on": row["starts_on"],
            "ends_on": row["ends_on"],
        }
        for row in milestones or []
    ]
    initial += [{}] * max(0, min(BLANK_MILESTONES, MILESTONES_MAX - len(initial)))
    return MilestoneFormSet(data, initial=initial, prefix="jalons")


def milestones_from(formset: forms.BaseFormSet) -> list[dict]:
    return [form.cleaned_data for form in formset.forms if form.cleaned_data]


class CompareForm(BaseForm):
    """Which two versions to compare (a GET form: the comparison has its own URL)."""

    de = forms.TypedChoiceField(label=_("Version de départ"), coerce=int)
    a = forms.TypedChoiceField(label=_("Version d'arrivée"), coerce=int)

    def __init__(self, *args, numbers: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, _("Version %(n)d") % {"n": n}) for n in numbers]
        self.fields["de"].choices = choices
        self.fields["a"].choices = choices


class ProcessForm(BaseForm):
    """Open the co-creation of a plan being co-constructed."""

    plan = forms.ModelChoiceField(
        label=_("Plan d'action"),
        queryset=ActionPlan.objects.none(),
        help_text=_("Un plan « en co-construction » qui n'a pas encore de co-construction."),
    )
    presentation = forms.CharField(
        label=_("Présentation publique"), widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = ActionPlan.objects.filter(
            status=PlanStatus.CO_CONSTRUCTION, cocreation__isnull=True
        ).order_by("title")


class PhaseForm(BaseForm):
    """One phase of the calendar: its dates and what anyone can do in it."""

    kind = forms.ChoiceField(label=_("Phase"), choices=PhaseKind.choices)
    starts_on = forms.DateField(label=_("Premier jour"), widget=DateInput)
    ends_on = forms.DateField(label=_("Dernier jour"), widget=DateInput)
    activities = forms.CharField(
        label=_("Ce que chacun peut faire"), widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(
        label=_("Raison du changement"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Obligatoire une fois le calendrier publié ; elle est journalisée."),
    )


class PublishForm(BaseForm):
    override_reason = forms.CharField(
        label=_("Raison d'une ouverture à moins de 14 jours"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Seulement si la participation ouvre moins de 14 jours après aujourd'hui : "
            "cette raison sera publiée sur la page de la co-construction."
        ),
    )


class CoAuthorInviteForm(BaseForm):
    email = forms.EmailField(
        label=_("Adresse électronique de la personne à inviter"),
        max_length=254,
        help_text=_(
            "Elle recevra un lien pour accepter, valable 14 jours. Son adresse n'est montrée "
            "qu'à vous."
        ),
        # Someone else's address: not the reader's own, never filled in from their data.
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


def _section_choices():
    return [(name, Proposal._meta.get_field(name).verbose_name) for name in AMENDABLE_SECTIONS]


class AmendmentForm(BaseForm):
    """A proposed rewrite of one section, with its reason (the service checks the rest)."""

    section = forms.ChoiceField(label=_("Section à amender"), choices=_section_choices)
    text = forms.CharField(
        label=_("Texte proposé pour cette section"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=SECTION_MAX,
        help_text=_("Le texte entier de la section, tel que vous le proposez."),
    )
    reason = forms.CharField(
        label=_("Pourquoi ce changement ?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=SECTION_MAX,
        help_text=_("Votre motif est public, comme l'amendement."),
    )


class AmendmentDecisionForm(BaseForm):
    decision = forms.ChoiceField(
        label=_("Votre décision"),
        choices=[
            ("accepter", _("Accepter : une nouvelle version, au nom de l'auteur de l'amendement")),
            ("refuser", _("Refuser, avec un motif public")),
        ],
        widget=RadioSelect,
    )
    decision_reason = forms.CharField(
        label=_("Motif"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=SECTION_MAX,
        required=False,
        help_text=_("Obligatoire pour un refus ; public."),
    )


class OpinionForm(BaseForm):
    """A member's opinion on a proposal: the member it speaks for (a choice only for
    someone who represents several), the verdict and its argument."""

    member = forms.ModelChoiceField(
        label=_("Au nom de l'organisation"),
        queryset=Member.objects.none(),
        widget=RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Choisissez l'organisation au nom de laquelle vous donnez l'avis."),
            "invalid_choice": _("Vous ne représentez pas cette organisation au Forum ouvert."),
        },
    )
    verdict = forms.ChoiceField(label=_("Avis"), choices=Verdict.choices, widget=RadioSelect)
    argument = forms.CharField(
        label=_("Argument"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=SECTION_MAX,
        help_text=_("Ce qui fonde l'avis de votre organisation. Il est public, avec l'avis."),
    )

    def __init__(self, *args, members: list[Member], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        field.queryset = (
            Member.objects.filter(pk__in=[m.pk for m in members])
            .select_related("college")
            .order_by("organisation_name", "id")
        )
        field.label_from_instance = lambda m: f"{m.organisation_name} ({m.college.name})"
        if len(members) == 1:
            field.widget = forms.HiddenInput()


class ProposalResponseForm(BaseForm):
    """The government's reasoned response to a proposal: the decision, the proposal it is
    merged with when it is « fusionnée », the reasons, and for a correction whether to
    e-mail the people concerned again."""

    status = forms.ChoiceField(
        label=_("Décision"),
        choices=decision_choices(PROPOSAL_DECISIONS),
        widget=RadioSelect,
        error_messages={"required": _("Choisissez une décision.")},
    )
    merged_into = forms.ModelChoiceField(
        label=_("Fusionnée avec la proposition"),
        queryset=Proposal.objects.none(),
        required=False,
        help_text=_("Seulement pour une proposition fusionnée : celle qui en est le résultat."),
        error_messages={"invalid_choice": _("Choisissez une proposition de la liste.")},
    )
    text = forms.CharField(
        label=_("Retour argumenté"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=SECTION_MAX,
        help_text=_(
            "Comment la proposition a été prise en compte, et pourquoi. Ce texte est public "
            "et envoyé à ses auteurs, co-auteurs et amendeurs."
        ),
        error_messages={"required": _("Expliquez la décision : ses motifs sont publics.")},
    )
    #: The revision of the response the editor read (0: none yet), to refuse a save made
    #: over a colleague's newer one.
    base_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    notify = forms.BooleanField(
        label=_("Prévenir à nouveau par e-mail de cette correction"),
        required=False,
        help_text=_("La version précédente reste lisible sur la page de la proposition."),
    )

    def __init__(self, *args, proposal: Proposal, correcting: bool, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["merged_into"]
        field.queryset = (
            Proposal.objects.filter(process_id=proposal.process_id, status=ProposalStatus.SUBMITTED)
            .exclude(pk=proposal.pk)
            .exclude(fate=ProposalFate.MERGED)
            .order_by("pk")
        )
        field.label_from_instance = lambda p: f"n° {p.pk} — {p.title}"
        if not correcting:
            del self.fields["notify"]
