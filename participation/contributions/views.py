"""Pages of consultations and contributions: thin views that bind a form and call a service."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpResponseNotAllowed,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from forum_ouvert.core import access, htmx, opendata, spreadsheet, supports
from forum_ouvert.core.charts import Bar, bar_chart
from forum_ouvert.core.forms import add_errors
from forum_ouvert.core.links import safe_next
from forum_ouvert.core.models import User
from forum_ouvert.core.notification_views import follow_context, follow_toggle_view

from . import selectors, services
from .forms import (
    BlockForm,
    CommentForm,
    ConsultationForm,
    ContestForm,
    ContributionForm,
    FilterForm,
    ItemModerationForm,
    ModerationForm,
    ReportForm,
    ResponseForm,
    StatementAnswerForm,
    UnblockForm,
)
from .models import (
    Comment,
    Consultation,
    Contribution,
    PublicationStatus,
    Statement,
    allowed_acts,
)
from .pagination import capped_page

PAGE_SIZE = 20

INDEX = htmx.Page("contributions/index.html", htmx.Fragment("results", target="resultats"))
CONSULTATION = htmx.Page(
    "contributions/consultation_detail.html", htmx.Fragment("results", target="resultats")
)
SUPPORT = htmx.Page(
    "contributions/includes/_support.html", htmx.Fragment("support", target="soutien-*")
)
MODERATION = htmx.Page(
    "contributions/moderation.html", htmx.Fragment("queue", target="file-moderation")
)
#: The inline moderation form of one contribution or comment, on the contribution's page.
MODERATE_ONE = htmx.Page(
    "contributions/includes/_moderation_form.html", htmx.Fragment("form", target="moderer-*")
)

#: How the journal names the acts recorded on a contribution.
ACTION_LABELS = {
    "contributions.contribution.submit": _lazy("Envoyée par son auteur"),
    "contributions.contribution.approve": _lazy("Publiée par la modération"),
    "contributions.contribution.hide": _lazy("Masquée par la modération"),
    "contributions.contribution.restore": _lazy("Rétablie par la modération"),
    "contributions.contribution.confirm": _lazy("Masquage confirmé par la modération"),
    "contributions.contribution.auto_hide": _lazy("Masquée après plusieurs signalements"),
    "contributions.contribution.review": _lazy("Remise en modération (auteur bloqué)"),
    "contributions.contribution.dismiss_reports": _lazy("Signalements écartés"),
    "contributions.contribution.edit": _lazy("Modifiée par son auteur"),
    "contributions.contribution.withdraw": _lazy("Retirée par son auteur"),
    "contributions.response.set": _lazy("Retour argumenté"),
}


# --- helpers -------------------------------------------------------------------------


def _published_consultation(request, slug: str, **kwargs) -> Consultation:
    return get_object_or_404(selectors.published_consultations(), slug=slug)


def _contribution(request, slug: str, pk: int, **kwargs) -> Contribution:
    contribution = selectors.contribution_detail(slug=slug, pk=pk)
    if contribution is None:
        raise Http404
    return contribution


def _any_contribution(request, pk: int, **kwargs) -> Contribution:
    return get_object_or_404(
        Contribution.objects.select_related("consultation", "author", "theme", "response"), pk=pk
    )


def _abilities(user, contribution: Contribution) -> dict:
    """What the current person may do with this contribution (buttons shown accordingly)."""
    can = access.abilities(
        user,
        contribution,
        edit="contributions.change_contribution",
        withdraw="contributions.withdraw_contribution",
        support="contributions.support_contribution",
        comment="contributions.comment_contribution",
        report="contributions.report",
        moderate="contributions.moderate",
        respond="contributions.respond",
    )
    can["respond"] &= contribution.status in (
        PublicationStatus.PUBLISHED,
        PublicationStatus.WITHDRAWN,
    )
    return can | {"acts": allowed_acts(contribution.status)}


def _list_context(request, form: FilterForm, *, consultation=None) -> dict:
    qs = selectors.contribution_list(filters=form.filters, consultation=consultation)
    page = capped_page(qs, request.GET.get("page"), per_page=PAGE_SIZE)
    supported = selectors.supported_ids(
        user=request.user, contribution_ids=[c.pk for c in page.object_list]
    )
    return {"form": form, "page": page, "supported": supported}


# --- public pages --------------------------------------------------------------------


@access.public
def index(request):
    """Open consultations first, then every contribution: searchable, filtered, sorted."""
    form = FilterForm(request.GET or None)
    context = _list_context(request, form)
    if not INDEX.fragment_for(request):
        context.update(
            title=_("Contributions"),
            consultations=selectors.open_consultations_cached(),
            can_moderate=access.may(request.user, "contributions.moderate"),
        )
    return INDEX.render(request, context)


@access.public
def consultation_detail(request, slug: str):
    """A consultation: its presentation and questions, then its contributions."""
    consultation = _published_consultation(request, slug)
    form = FilterForm(request.GET or None, consultation=consultation)
    context = _list_context(request, form, consultation=consultation)
    context["consultation"] = consultation
    if not CONSULTATION.fragment_for(request):
        context.update(
            title=consultation.title,
            themes=list(consultation.themes.order_by("order", "id")),
            can_contribute=access.may(request.user, "contributions.add_contribution", consultation),
            follow=_follow_consultation(request, consultation),
        )
    return CONSULTATION.render(request, context)


@access.public
def synthesis(request, slug: str):
    """The reasoned response made public: counts by status, theme, département; responses."""
    consultation = _published_consultation(request, slug)
    data = selectors.synthesis(consultation=consultation)
    data["responses"] = capped_page(data["responses"], request.GET.get("page"), per_page=50)
    departements = data["departement_rows"][:15]
    chart = bar_chart(
        [Bar(label=f"{name} ({code})", value=n) for name, code, n in departements],
        title=_("Contributions par département"),
    )
    status_chart = bar_chart(
        [Bar(label=label, value=n, colour="green") for label, n in data["status_rows"]],
        title=_("Contributions par décision"),
    )
    return render(
        request,
        "contributions/synthesis.html",
        {
            "title": _("Synthèse — %(title)s") % {"title": consultation.title},
            "consultation": consultation,
            "departement_chart": chart,
            "status_chart": status_chart,
            **data,
        },
    )


def _render_detail(
    request, contribution: Contribution, *, comment_form=None, moderation_form=None, status=200
):
    abilities = _abilities(request.user, contribution)
    reply_to = None
    if abilities["comment"]:
        if comment_form is None:
            parent = request.GET.get("repondre", "")
            comment_form = CommentForm(
                initial={"parent": parent} if parent.isdigit() and len(parent) < 19 else None
            )
        parent_id = comment_form["parent"].value()
        if parent_id and str(parent_id).isdigit() and len(str(parent_id)) < 19:
            reply_to = Comment.objects.filter(
                pk=int(parent_id), contribution=contribution, parent__isnull=True
            ).first()
    shown = contribution.title if not contribution.is_hidden else _("Contribution masquée")
    context = {
        # The consultation's name too: two consultations may each hold « Plus de pistes ».
        "title": _("%(title)s — %(consultation)s")
        % {"title": shown, "consultation": contribution.consultation.title},
        "contribution": contribution,
        "consultation": contribution.consultation,
        "thread": selectors.comment_thread(contribution=contribution, user=request.user),
        "comment_form": comment_form,
        # Refused, an inline moderation form comes back filled in, with its errors.
        "moderation_form": moderation_form,
        "reply_to": reply_to,
        "abilities": abilities,
        "supported": selectors.supported_ids(user=request.user, contribution_ids=[contribution.pk]),
        "is_author": request.user.is_authenticated and contribution.author_id == request.user.pk,
        "follow": _follow_contribution(request, contribution),
        "history": [
            (entry, ACTION_LABELS.get(entry.action, entry.action))
            for entry in selectors.moderation_history(contribution=contribution)
        ]
        if abilities["moderate"]
        else [],
    }
    return render(request, "contributions/contribution_detail.html", context, status=status)


@access.public
def contribution_detail(request, slug: str, pk: int):
    """One contribution, its reasoned response, its supports and its comments.

    Awaiting moderation, it exists only for its author and the moderators (404 otherwise).
    """
    contribution = _contribution(request, slug, pk)
    if not access.may(request.user, "contributions.view_contribution", contribution):
        raise Http404
    return _render_detail(request, contribution)


@access.permission("contributions.add_contribution", get_object=_published_consultation)
def contribution_create(request, slug: str):
    """Write a contribution to an open consultation."""
    consultation = request.permission_object
    initial = {"departement": request.user.departement_id}
    form = ContributionForm(request.POST or None, consultation=consultation, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            contribution = services.contribution_submit(
                author=request.user, consultation=consultation, **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(form, exc)
            # Over the hourly limit: the form and its text come back, with HTTP 429.
            if getattr(exc, "code", None) == "rate_limited":
                status = 429
        else:
            if contribution.is_pending:
                messages.info(
                    request,
                    _(
                        "Merci ! Votre contribution sera publiée après validation par "
                        "l'équipe de modération."
                    ),
                )
            else:
                messages.success(request, _("Merci ! Votre contribution est publiée."))
            return redirect(contribution)
    return render(
        request,
        "contributions/contribution_form.html",
        {
            "title": _("Contribuer — %(title)s") % {"title": consultation.title},
            "consultation": consultation,
            "form": form,
        },
        status=status,
    )


@access.permission("contributions.change_contribution", get_object=_contribution)
def contribution_edit(request, slug: str, pk: int):
    """Change one's contribution (30 minutes, until someone supports it)."""
    contribution = request.permission_object
    initial = {
        "title": contribution.title,
        "body": contribution.body,
        "theme": contribution.theme_id,
        "commitment": contribution.commitment_id,
        "departement": contribution.departement_id,
    }
    form = ContributionForm(
        request.POST or None, consultation=contribution.consultation, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contribution_edit(
                author=request.user, contribution=contribution, **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Votre contribution a été modifiée."))
            return redirect(contribution)
    return render(
        request,
        "contributions/contribution_form.html",
        {
            "title": _("Modifier ma contribution"),
            "consultation": contribution.consultation,
            "contribution": contribution,
            "form": form,
        },
    )


@access.permission("contributions.withdraw_contribution", get_object=_contribution)
def contribution_withdraw(request, slug: str, pk: int):
    """Withdraw one's contribution, after a confirmation."""
    contribution = request.permission_object
    if request.method == "POST":
        try:
            kept = services.contribution_withdraw(author=request.user, contribution=contribution)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(contribution)
        if kept is None:
            messages.success(request, _("Votre contribution a été retirée et supprimée."))
            return redirect(contribution.consultation)
        messages.success(
            request,
            _(
                "Votre contribution a été retirée. Elle reste visible, marquée « retirée par "
                "son auteur », car elle a reçu des réponses."
            ),
        )
        return redirect(kept)
    return render(
        request,
        "contributions/contribution_withdraw.html",
        {"title": _("Retirer ma contribution"), "contribution": contribution},
    )


@access.permission("contributions.support_contribution", get_object=_contribution)
def contribution_support(request, slug: str, pk: int):
    """Support or stop supporting: the count updates in place (htmx), or the page reloads."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    contribution = request.permission_object
    return supports.toggle(
        request,
        target=contribution,
        add=lambda: services.support_add(user=request.user, contribution=contribution),
        remove=lambda: services.support_remove(user=request.user, contribution=contribution),
        page=SUPPORT,
        region="soutien-*",
        context=lambda: {
            "contribution": contribution,
            "supported": selectors.supported_ids(
                user=request.user, contribution_ids=[contribution.pk]
            ),
        },
    )


def _follow_contribution(request, contribution: Contribution) -> dict:
    url = reverse("contributions:follow", args=[contribution.consultation.slug, contribution.pk])
    return follow_context(request, contribution, url=url, label=_("Suivre cette contribution"))


def _follow_consultation(request, consultation: Consultation) -> dict:
    url = reverse("contributions:consultation_follow", args=[consultation.slug])
    return follow_context(request, consultation, url=url, label=_("Suivre cette consultation"))


@require_POST
@access.permission(
    "contributions.follow_contribution",
    get_object=_contribution,
    private="contributions.view_contribution",
)
def contribution_follow(request, slug: str, pk: int):
    """Follow a contribution: its comments and its response reach my notifications."""
    contribution = request.permission_object
    follow = _follow_contribution(request, contribution)
    return follow_toggle_view(request, contribution, url=follow["url"], label=follow["label"])


@require_POST
@access.permission("contributions.follow_consultation", get_object=_published_consultation)
def consultation_follow(request, slug: str):
    """Follow a consultation: its new contributions reach my notifications."""
    consultation = request.permission_object
    follow = _follow_consultation(request, consultation)
    return follow_toggle_view(request, consultation, url=follow["url"], label=follow["label"])


@access.permission("contributions.comment_contribution", get_object=_contribution)
def contribution_comment(request, slug: str, pk: int):
    """Post a comment or a reply; on error the page shows the form with the text kept."""
    contribution = request.permission_object
    if request.method != "POST":
        return redirect(contribution.get_absolute_url() + "#commenter")
    form = CommentForm(request.POST)
    status = 200
    if form.is_valid():
        parent = None
        if form.cleaned_data.get("parent"):
            parent = Comment.objects.filter(
                pk=form.cleaned_data["parent"], contribution=contribution
            ).first()
            if parent is None:
                form.add_error(None, _("Le commentaire auquel vous répondez n'existe plus."))
        if not form.errors:
            try:
                comment = services.comment_post(
                    author=request.user,
                    contribution=contribution,
                    body=form.cleaned_data["body"],
                    parent=parent,
                )
            except ValidationError as exc:
                add_errors(form, exc)
                # Over the hourly limit: the page and the text come back, with HTTP 429.
                if getattr(exc, "code", None) == "rate_limited":
                    status = 429
            else:
                if comment.is_pending:
                    messages.info(
                        request, _("Merci ! Votre commentaire sera publié après modération.")
                    )
                else:
                    messages.success(request, _("Votre commentaire est publié."))
                return redirect(f"{contribution.get_absolute_url()}#commentaire-{comment.pk}")
    return _render_detail(request, contribution, comment_form=form, status=status)


def _report(request, *, contribution=None, comment=None):
    target = contribution or comment.contribution
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(
                reporter=request.user,
                contribution=contribution,
                comment=comment,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("Merci : votre signalement a été transmis à l'équipe de modération.")
            )
            return redirect(target)
    return render(
        request,
        "contributions/report_form.html",
        {
            "title": (
                _("Signaler un commentaire sur « %(title)s »")
                if comment
                else _("Signaler la contribution « %(title)s »")
            )
            % {"title": target.title},
            "form": form,
            "contribution": target,
            "comment": comment,
        },
    )


@access.permission("contributions.report", get_object=_contribution)
def contribution_report(request, slug: str, pk: int):
    """Report a contribution to the moderators."""
    contribution = request.permission_object
    if contribution.is_pending:
        raise PermissionDenied
    return _report(request, contribution=contribution)


def _comment(request, pk: int, **kwargs) -> Comment:
    return get_object_or_404(
        Comment.objects.select_related("contribution__consultation").filter(
            contribution__consultation__is_published=True,
            status__in=[PublicationStatus.PUBLISHED],
        ),
        pk=pk,
    )


@access.permission("contributions.report", get_object=_comment)
def comment_report(request, pk: int):
    """Report a comment to the moderators."""
    return _report(request, comment=request.permission_object)


# --- open data -----------------------------------------------------------------------


@access.public
def open_data_csv(request):
    """Every public contribution as CSV (UTF-8, no personal data), streamed."""
    return spreadsheet.csv_response(
        selectors.open_data_rows(),
        header=selectors.OPEN_DATA_FIELDS,
        filename="contributions.csv",
        bom=True,
    )


@access.public
def open_data_json(request):
    """Every public contribution as a JSON array (no personal data), streamed."""
    return opendata.json_response(selectors.open_data_rows(), filename="contributions.json")


# --- staff ---------------------------------------------------------------------------


@access.permission("contributions.manage_consultations")
def staff_home(request):
    """Pilotage of consultations: every consultation, and what waits for moderation."""
    consultations = Consultation.objects.order_by("-opens_on", "slug").select_related("commitment")
    queue = selectors.moderation_counts()
    return render(
        request,
        "contributions/staff_home.html",
        {
            "title": _("Pilotage des consultations"),
            "consultations": consultations,
            "queue_size": queue["contribution_count"] + queue["comment_count"],
        },
    )


def _consultation_form(request, consultation: Consultation | None):
    form = ConsultationForm(request.POST or None, instance=consultation)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.consultation_save(
                actor=request.user, consultation=form.save(commit=False), themes=form.theme_titles
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("La consultation est enregistrée."))
            return redirect(reverse("contributions:staff_home") + f"#consultation-{saved.pk}")
    return render(
        request,
        "contributions/consultation_form.html",
        {
            "title": _("Modifier la consultation") if consultation else _("Nouvelle consultation"),
            "form": form,
            "consultation": consultation,
        },
    )


@access.permission("contributions.manage_consultations")
def consultation_create(request):
    """Create a consultation (draft until published)."""
    return _consultation_form(request, None)


@access.permission("contributions.manage_consultations")
def consultation_edit(request, slug: str):
    """Change a consultation: dates, questions, moderation mode, publication."""
    return _consultation_form(request, get_object_or_404(Consultation, slug=slug))


@access.permission("contributions.moderate")
def moderation(request):
    """The moderation queue; one form applies an act to the ticked items (htmx or not)."""
    form = ModerationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done, skipped = services.moderation_bulk(
                actor=request.user,
                act=data["act"],
                contribution_ids=data["contributions"],
                comment_ids=data["comments"],
                reason=data["reason"],
                rule=data["rule"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            text = ngettext("%(done)d élément traité.", "%(done)d éléments traités.", done) % {
                "done": done
            }
            if skipped:
                text += " " + ngettext(
                    "%(n)d ignoré : son état ne le permet pas.",
                    "%(n)d ignorés : leur état ne le permet pas.",
                    skipped,
                ) % {"n": skipped}
            messages.success(request, text)
            if not request.htmx:
                return redirect(safe_next(request, reverse("contributions:moderation")))
            form = ModerationForm()
    context = {
        "title": _("Modération des contributions"),
        "form": form,
        # Refused: the ticked rows stay ticked (a success starts from a fresh form).
        "ticked_contributions": form.ticked("contributions"),
        "ticked_comments": form.ticked("comments"),
    }
    context.update(selectors.moderation_queue())
    return MODERATION.render(request, context)


def _moderated_contribution(request, pk: int, **kwargs) -> Contribution:
    contribution = selectors.contribution_detail(pk=pk)
    if contribution is None:
        raise Http404
    return contribution


def _moderated_comment(request, pk: int, **kwargs) -> Comment:
    return get_object_or_404(Comment.objects.select_related("contribution"), pk=pk)


def _moderate_one(request, *, contribution: Contribution, item: Contribution | Comment):
    """One item moderated from its page (its inline form). Refused, the form comes back
    with what was chosen and typed and says which field is missing: the whole page, or with
    htmx the form alone (``site.js`` focuses its error summary). Done, the page is loaded
    again: its badges, notice, comments and journal all change."""
    comment = isinstance(item, Comment)
    prefix = ItemModerationForm.prefix_for("commentaire" if comment else "contribution", item.pk)
    form = ItemModerationForm(request.POST, prefix=prefix)
    if form.is_valid():
        service = services.comment_moderate if comment else services.contribution_moderate
        target = {"comment": item} if comment else {"contribution": item}
        try:
            service(
                actor=request.user,
                act=form.cleaned_data["act"],
                reason=form.cleaned_data["reason"],
                rule=form.cleaned_data["rule"],
                **target,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("La décision de modération est inscrite au journal."))
            url = contribution.get_absolute_url() + (f"#commentaire-{item.pk}" if comment else "")
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    if MODERATE_ONE.fragment_for(request):
        context = {"moderation": ItemModerationForm.for_item(item, form)}
        return MODERATE_ONE.render_fragment(request, "moderer-*", context)
    response = _render_detail(request, contribution, moderation_form=form)
    patch_vary_headers(response, htmx.VARY)  # the same URL answers the fragment to htmx
    return response


@require_POST
@access.permission("contributions.moderate", get_object=_moderated_contribution, private=True)
def contribution_moderate(request, pk: int):
    """Publish, hide, confirm or restore one contribution from its page."""
    contribution = request.permission_object
    return _moderate_one(request, contribution=contribution, item=contribution)


@require_POST
@access.permission("contributions.moderate", get_object=_moderated_comment, private=True)
def comment_moderate(request, pk: int):
    """Publish, hide, confirm or restore one comment from its contribution's page."""
    comment = request.permission_object
    contribution = selectors.contribution_detail(pk=comment.contribution_id)
    if contribution is None:
        raise Http404
    return _moderate_one(request, contribution=contribution, item=comment)


# --- statements of reasons (DSA art. 17) ---------------------------------------------


def _statement(request, pk: int, **kwargs) -> Statement:
    return get_object_or_404(selectors.statements_with_targets(), pk=pk)


@access.login
def my_statements(request):
    """The author's moderation decisions: what was hidden, why, and how to contest."""
    return render(
        request,
        "contributions/my_statements.html",
        {
            "title": _("Décisions de modération sur mes contenus"),
            "statements": selectors.statements_with_targets().filter(author=request.user),
        },
    )


@access.permission("contributions.view_statement", get_object=_statement, private=True)
def statement_detail(request, pk: int):
    """One statement of reasons; its author may contest it once, with a text."""
    statement = request.permission_object
    form = ContestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.statement_contest(
                author=request.user, statement=statement, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Votre contestation est transmise à l'équipe de modération, qui vous répondra."),
            )
            return redirect(statement)
    return render(
        request,
        "contributions/statement_detail.html",
        {"title": _("Décision de modération"), "statement": statement, "form": form},
    )


@access.permission("contributions.moderate", get_object=_statement)
def statement_answer(request, pk: int):
    """Staff answer a contest: uphold the decision or restore the content."""
    statement = request.permission_object
    form = StatementAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.statement_answer(actor=request.user, statement=statement, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("La réponse est enregistrée ; l'auteur est prévenu."))
            return redirect("contributions:moderation")
    return render(
        request,
        "contributions/statement_answer.html",
        {"title": _("Répondre à une contestation"), "statement": statement, "form": form},
    )


@access.permission("contributions.respond", get_object=_any_contribution)
def respond(request, pk: int):
    """Give or change the reasoned response; the author and supporters get an e-mail."""
    contribution = request.permission_object
    response = getattr(contribution, "response", None)
    initial = {"status": response.status, "text": response.text} if response else None
    form = ResponseForm(request.POST or None, initial=initial, correcting=response is not None)
    if request.method == "POST" and form.is_valid():
        notify = form.cleaned_data.get("notify", True)
        try:
            services.response_set(
                actor=request.user,
                contribution=contribution,
                status=form.cleaned_data["status"],
                text=form.cleaned_data["text"],
                notify=notify,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Le retour argumenté est publié ; l'auteur et les soutiens sont prévenus.")
                if notify
                else _("La correction est publiée, sans nouvel e-mail."),
            )
            return redirect(contribution)
    return render(
        request,
        "contributions/response_form.html",
        {"title": _("Retour argumenté"), "contribution": contribution, "form": form},
    )


# --- blocking a person (staff) -------------------------------------------------------


def _person(request, pk: int, **kwargs) -> User:
    return get_object_or_404(User.objects.filter(anonymised_at__isnull=True), pk=pk)


def _end_of(day: datetime.date) -> datetime.datetime:
    """The first moment after ``day`` (the block includes the whole day), local time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min)) + (
        datetime.timedelta(days=1)
    )


@access.permission("contributions.moderate", get_object=_person)
def person_block(request, pk: int):
    """Block a person (read only, until a date or indefinitely) or lift their block."""
    person = request.permission_object
    block = access.active_block(person)
    block_form = BlockForm(request.POST if request.POST.get("action") == "block" else None)
    unblock_form = UnblockForm(request.POST if request.POST.get("action") == "unblock" else None)
    if request.method == "POST":
        form = block_form if block is None else unblock_form
        if form.is_bound and form.is_valid():
            try:
                if block is None:
                    until = form.cleaned_data.get("until")
                    _block, moved = services.person_block(
                        actor=request.user,
                        user=person,
                        reason=form.cleaned_data["reason"],
                        until=_end_of(until) if until else None,
                    )
                    messages.success(
                        request,
                        ngettext(
                            "La personne est bloquée ; %(n)d contenu remis en modération.",
                            "La personne est bloquée ; %(n)d contenus remis en modération.",
                            moved,
                        )
                        % {"n": moved},
                    )
                else:
                    services.person_unblock(
                        actor=request.user, user=person, reason=form.cleaned_data["reason"]
                    )
                    messages.success(request, _("La personne est débloquée."))
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                return redirect("contributions:person_block", pk=person.pk)
    return render(
        request,
        "contributions/person_block.html",
        {
            "title": _("Blocage — %(name)s") % {"name": person.public_name},
            "person": person,
            "current_block": block,
            "form": block_form if block is None else unblock_form,
            "blocks": list(person.blocks.select_related("blocked_by", "lifted_by")),
        },
    )
