"""In a real Chromium: hostile titles, texts, comments, names and answers never run a script
nor inject markup, on any page that shows them."""

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from forum_ouvert.core.extensions import VerifiedParticipation
from participation.contributions import services
from participation.contributions.models import Comment, Contribution
from tests.contributions.factories import ConsultationFactory, ThemeFactory
from tests.security.xss_payloads import INIT_SCRIPT, PAGE_CHECK, PAYLOADS

pytestmark = [pytest.mark.browser, pytest.mark.long]


def _body(payload: str) -> str:
    return f"{payload}\n\nTexte de la contribution : {payload}"


@pytest.fixture
def hostile(settings, make_user):
    """Every payload submitted through the forms: as a title, a text, a comment and a reply;
    also as a display name, a theme, a report, a reasoned response and an attestation."""
    settings.RATE_LIMITS_ENABLED = False
    author = make_user("citoyen", display_name=PAYLOADS[10][:80], public_display_consent=True)
    commenter = make_user("citoyen", display_name=PAYLOADS[0][:80], public_display_consent=True)
    staff = make_user("ditp")
    consultation = ConsultationFactory(
        title="Consultation <script>alert(1)</script>", presentation=_body(PAYLOADS[2])
    )
    ThemeFactory(consultation=consultation, title=PAYLOADS[11])
    theme = consultation.themes.get()

    as_author, as_commenter, as_staff = Client(), Client(), Client()
    as_author.force_login(author)
    as_commenter.force_login(commenter)
    as_staff.force_login(staff)
    create = reverse("contributions:create", args=[consultation.slug])
    for i, payload in enumerate(PAYLOADS):
        # A title holds one line (validate_one_line): its line breaks become spaces there,
        # while the body keeps the payload exactly.
        title = re.sub(r"[\x00-\x1f\x7f\u2028\u2029]", " ", f"{i:02d} {payload}")[:160]
        response = as_author.post(
            create, {"title": title, "body": _body(payload), "theme": theme.pk}
        )
        assert response.status_code == 302, (i, payload)
    contributions = list(Contribution.objects.order_by("id"))
    assert len(contributions) == len(PAYLOADS)
    for contribution, payload in zip(contributions, PAYLOADS, strict=True):
        url = reverse("contributions:comment", args=[consultation.slug, contribution.pk])
        assert as_commenter.post(url, {"body": payload}).status_code == 302
    first = contributions[0]
    parent = Comment.objects.filter(contribution=first).first()
    as_author.post(
        reverse("contributions:comment", args=[consultation.slug, first.pk]),
        {"body": PAYLOADS[12], "parent": parent.pk},
    )
    for contribution, payload in list(zip(contributions, PAYLOADS, strict=True))[:10]:
        as_commenter.post(
            reverse("contributions:report", args=[consultation.slug, contribution.pk]),
            {"reason": "autre", "details": payload},
        )
        as_staff.post(
            reverse("contributions:respond", args=[contribution.pk]),
            {"status": "retenue", "text": _body(payload)},
        )
    hidden = contributions[20]
    as_staff.post(
        reverse("contributions:moderation"),
        {
            "act": "hide",
            "rule": "injurieux",
            "reason": PAYLOADS[16][:500],
            "contributions": [hidden.pk],
        },
    )
    hidden.refresh_from_db()
    assert hidden.is_hidden
    attestation = services.attestation_issue(
        user=author,
        holder_name=PAYLOADS[13][:120],
        participations=[
            VerifiedParticipation(
                kind=PAYLOADS[14], title=PAYLOADS[15], date=datetime.date(2026, 3, 1), hours=2
            )
        ],
    )
    return {
        "author": author,
        "staff": staff,
        "consultation": consultation,
        "contributions": contributions,
        "attestation": attestation,
    }


def login_with_session(page, live_server, user) -> None:
    """Log the browser in with a session cookie (no login page, hence no allauth message:
    « Connexion réussie en tant que <nom> » is the foundation's, not this app's)."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def _check(page, url: str, axe) -> None:
    page.goto(url)
    found = page.evaluate(PAGE_CHECK)
    assert not any(found.values()), f"{url}: {found}"


def test_no_payload_runs_or_injects_markup(page, live_server, hostile, axe, csp_violations):
    """Every page that shows hostile input shows it as text: no script, no injected tag."""
    page.add_init_script(INIT_SCRIPT)
    base = live_server.url
    consultation = hostile["consultation"]
    public_pages = [
        "/contributions/",
        "/contributions/?page=2",
        "/contributions/?page=3",
        "/contributions/?page=4",
        "/contributions/?sort=reponse",
        consultation.get_absolute_url(),
        reverse("contributions:synthesis", args=[consultation.slug]),
        reverse("portal:attestation_verify", args=[hostile["attestation"].code]),
        *[f"/contributions/?q={p[:60]}" for p in PAYLOADS[:5]],
    ]
    for path in public_pages:
        _check(page, base + path, axe)

    for contribution, payload in zip(hostile["contributions"], PAYLOADS, strict=True):
        _check(page, base + contribution.get_absolute_url(), axe)
        if contribution.pk == hostile["contributions"][20].pk:
            continue  # hidden: its notice shows the moderator's (hostile) reason instead
        shown = page.locator("#texte-contribution").inner_text()
        assert "Texte de la contribution" in shown
        assert " ".join(payload.split())[:15] in " ".join(shown.split()), payload

    login_with_session(page, live_server, hostile["author"])
    first = hostile["contributions"][0]
    for path in [
        "/mon-espace/",
        "/mon-espace/attestation/",
        first.get_absolute_url(),
        reverse("contributions:edit", args=[consultation.slug, first.pk]),
        reverse("contributions:withdraw", args=[consultation.slug, first.pk]),
        first.get_absolute_url() + f"?repondre={first.comments.first().pk}",
        reverse("contributions:report", args=[consultation.slug, hostile["contributions"][1].pk]),
        reverse("contributions:comment_report", args=[first.comments.first().pk]),
    ]:
        _check(page, base + path, axe)

    login_with_session(page, live_server, hostile["staff"])
    for path in [
        reverse("contributions:moderation"),
        reverse("contributions:staff_home"),
        reverse("contributions:respond", args=[first.pk]),
        reverse("contributions:consultation_edit", args=[consultation.slug]),
        reverse("contributions:consultation_create"),
        first.get_absolute_url(),
        hostile["contributions"][20].get_absolute_url(),
    ]:
        _check(page, base + path, axe)
    assert csp_violations == []
