"""The site's composition: home, « Mon espace », account, the staff dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from engagements import selectors as engagement_selectors
from forum_ouvert.core import access, activity, terms
from forum_ouvert.core.charts import line_chart
from forum_ouvert.core.forms import ProfileForm
from forum_ouvert.core.oidc.services import identity_list, identity_remove, provider_name
from forum_ouvert.reports.selectors import plan_progress_series
from participation.contributions import selectors as contributions_selectors
from participation.forum import selectors as forum_selectors
from participation.workshops import selectors as workshops_selectors

from . import record
from .dashboard import dashboard_context
from .forms import AccountDeleteForm
from .services import account_delete


@access.public
def home(request):
    """The current plan at a glance, and the ways to take part."""
    plan = engagement_selectors.current_plan()
    context = engagement_selectors.plan_overview(plan=plan)
    series = plan_progress_series(plan=plan) if plan else []
    if len(series) >= 2:
        context["progress_section"] = {
            "series": series,
            "chart": line_chart(
                [(d.strftime("%d/%m/%y"), v) for d, v in series],
                title="Avancement moyen du plan au fil du temps",
                unit=" %",
            ),
        }
    return render(request, "portal/home.html", context)


@access.login
def my_space(request):
    """The participant's record: what I did on the platform, one section per app."""
    sections = [
        (f"{app}/includes/_my_space.html", context)
        for app, selectors in (
            ("contributions", contributions_selectors),
            ("workshops", workshops_selectors),
            ("forum", forum_selectors),
        )
        if (context := selectors.my_space_context(user=request.user))
    ]
    return render(
        request,
        "portal/my_space.html",
        {
            "title": _("Mon espace"),
            "sections": sections,
            "record": record.summary(user=request.user),
        },
    )


@access.login
def account(request):
    """My profile (name, département, consent) and links to e-mail, password and 2FA."""
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Votre profil a été mis à jour."))
        return redirect("portal:account")
    identities = list(identity_list(user=request.user))
    for identity in identities:
        identity.provider_name = provider_name(identity.provider)
    linked = {identity.provider for identity in identities}
    return render(
        request,
        "portal/account.html",
        {
            "title": _("Mon compte"),
            "form": form,
            "identities": identities,
            "linked_providers": linked,
        },
    )


@access.login
@require_POST
def account_identity_remove(request, pk: int):
    """Unlink one of my ProConnect / FranceConnect identities (another's: 404)."""
    from allauth.socialaccount.models import SocialAccount

    identity = get_object_or_404(SocialAccount, pk=pk, user=request.user)
    try:
        identity_remove(user=request.user, identity=identity)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("L'identité %(provider)s n'est plus reliée à votre compte.")
            % {"provider": provider_name(identity.provider)},
        )
    return redirect("portal:account")


@terms.not_required  # one who refuses the terms may leave
@access.login
def account_delete_view(request):
    """Delete my account after an explicit confirmation."""
    form = AccountDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        account_delete(user=user)
        messages.success(request, _("Votre compte a été supprimé. Merci d'avoir participé."))
        return redirect("portal:home")
    return render(
        request, "portal/account_delete.html", {"title": _("Supprimer mon compte"), "form": form}
    )


@access.permission("core.access_back_office")
def dashboard(request):
    """Pilotage: the DITP's and commitment leads' home — what needs attention now."""
    context = dashboard_context(user=request.user)
    context["title"] = _("Pilotage")
    return render(request, "portal/dashboard.html", context)


@access.permission("core.access_staff")
def activity_log(request):
    """The staff activity log: who did what to which object, when (read-only)."""
    form = activity.ActivityFilters(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page_obj, entries = activity.page(filters=filters, number=request.GET.get("page"))
    return render(
        request,
        "portal/activity_log.html",
        {
            "title": _("Journal d'activité"),
            "form": form,
            "page_obj": page_obj,
            "entries": entries,
        },
    )
