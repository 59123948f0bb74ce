"""Who may open each URL of the Forum ouvert: every role, plus the applicant and another
applicant, over every path (attachment downloads included)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from tests.conftest import ROLES

from .factories import (
    PDF_BYTES,
    ApplicationFactory,
    AttachmentFactory,
    CallFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db

ACTORS = [*ROLES, "owner", "other_applicant"]
STAFF = {"ditp", "admin"}
LOGIN = 302


@pytest.fixture
def world(make_user):
    """An open call with the owner's application and attachment, a call under review with
    an application, a past meeting with published minutes."""
    owner = make_user("citoyen")
    other = make_user("association")
    open_call = CallFactory()
    own = ApplicationFactory(call=open_call, applicant=owner)
    ApplicationFactory(call=open_call, applicant=other)
    attachment = AttachmentFactory(application=own)
    review_call = CallFactory(review=True)
    in_review = ApplicationFactory(call=review_call, applicant=owner, status="retenue")
    meeting = MeetingFactory(starts_at=timezone.now() - dt.timedelta(days=3))
    meeting.minutes_pdf.save("cr.pdf", ContentFile(PDF_BYTES))
    meeting.minutes_published_at = timezone.now()
    meeting.save()
    return {
        "owner": owner,
        "other_applicant": other,
        "open_call": open_call,
        "own": own,
        "attachment": attachment,
        "review_call": review_call,
        "in_review": in_review,
        "meeting": meeting,
        "college": review_call.colleges.first(),
        "criterion": review_call.criteria.first(),
    }


def _public(actor):
    return 200


def _applicant_only(actor):
    if actor is None:
        return LOGIN
    return 200 if actor in ("citoyen", "association", "owner", "other_applicant") else 403


def _logged_in(actor):
    return LOGIN if actor is None else 200


# An application is private: who may not see it gets 404, as for an id that does not exist.
def _owner_or_staff(actor):
    if actor is None:
        return LOGIN
    return 200 if actor == "owner" or actor in STAFF else 404


def _owner_only(actor):
    """Staff read the application but do not change it (403); others do not see it."""
    if actor is None:
        return LOGIN
    return 200 if actor == "owner" else 403 if actor in STAFF else 404


def _staff(actor):
    if actor is None:
        return LOGIN
    return 200 if actor in STAFF else 403


def _staff_on_application(actor):
    """A review page: staff only; its applicant (who sees the application) gets 403."""
    if actor is None:
        return LOGIN
    return 200 if actor in STAFF else 403 if actor == "owner" else 404


GET_CASES = [
    ("forum:index", lambda w: [], _public),
    ("forum:call_list", lambda w: [], _public),
    ("forum:call_detail", lambda w: [w["open_call"].slug], _public),
    ("forum:meeting_detail", lambda w: [w["meeting"].pk], _public),
    ("forum:meeting_minutes_pdf", lambda w: [w["meeting"].pk], _public),
    ("forum:apply", lambda w: [w["open_call"].slug], _applicant_only),
    ("forum:my_applications", lambda w: [], _logged_in),
    ("forum:my_application", lambda w: [w["own"].pk], _owner_or_staff),
    ("forum:application_edit", lambda w: [w["own"].pk], _owner_only),
    ("forum:application_withdraw", lambda w: [w["own"].pk], _owner_only),
    ("forum:attachment", lambda w: [w["own"].pk, w["attachment"].pk], _owner_or_staff),
    ("forum:staff_home", lambda w: [], _staff),
    ("forum:charter_edit", lambda w: [], _staff),
    ("forum:call_create", lambda w: [], _staff),
    ("forum:call_manage", lambda w: [w["review_call"].slug], _staff),
    ("forum:call_edit", lambda w: [w["review_call"].slug], _staff),
    ("forum:college_edit", lambda w: [w["review_call"].slug, w["college"].pk], _staff),
    ("forum:criterion_edit", lambda w: [w["review_call"].slug, w["criterion"].pk], _staff),
    ("forum:queue", lambda w: [], _staff),
    ("forum:queue_export", lambda w: [], _staff),
    ("forum:review_application", lambda w: [w["in_review"].pk], _staff_on_application),
    ("forum:application_pdf", lambda w: [w["in_review"].pk], _staff_on_application),
    ("forum:meeting_list", lambda w: [], _staff),
    ("forum:meeting_manage", lambda w: [w["meeting"].pk], _staff),
]

#: POST-only URLs: non-staff are refused; staff get through (a redirect or a form). The
#: review actions are on an application: private, so 404 for all but its applicant.
POST_CASES = [
    ("forum:call_phase", lambda w: [w["review_call"].slug], {"action": "examiner"}),
    ("forum:call_notify", lambda w: [w["review_call"].slug], {}),
    ("forum:college_add", lambda w: [w["review_call"].slug], {}),
    ("forum:criterion_add", lambda w: [w["review_call"].slug], {}),
    ("forum:queue_actions", lambda w: [], {}),
    ("forum:review_score", lambda w: [w["in_review"].pk], {}),
    ("forum:review_conflict", lambda w: [w["in_review"].pk], {}),
    ("forum:application_decide", lambda w: [w["in_review"].pk], {}),
    ("forum:application_notify", lambda w: [w["in_review"].pk], {}),
    ("forum:meeting_minutes", lambda w: [w["meeting"].pk], {}),
    ("forum:meeting_invite", lambda w: [w["meeting"].pk], {}),
    ("forum:meeting_attendance", lambda w: [w["meeting"].pk], {}),
]


REVIEW_ACTIONS = {
    "forum:review_score",
    "forum:review_conflict",
    "forum:application_decide",
    "forum:application_notify",
}


def _login(client, world, make_user, actor):
    if actor is None:
        return
    user = world[actor] if actor in ("owner", "other_applicant") else make_user(actor)
    client.force_login(user)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("name", "args", "rule"), GET_CASES, ids=[c[0] for c in GET_CASES])
def test_who_may_open_each_page(client, world, make_user, actor, name, args, rule):
    """Each page answers 200 to whoever may use it, 403 to the others (404 to those who may
    not see the application it shows), and sends anonymous visitors to the login page
    (public pages aside)."""
    _login(client, world, make_user, actor)
    response = client.get(reverse(name, args=args(world)))
    assert response.status_code == rule(actor)
    if response.status_code == LOGIN:
        assert response["Location"].startswith("/compte/login/")


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("name", "args", "data"), POST_CASES, ids=[c[0] for c in POST_CASES])
def test_who_may_post_each_action(client, world, make_user, actor, name, args, data):
    """Staff actions refuse everyone but DITP staff and admins."""
    _login(client, world, make_user, actor)
    response = client.post(reverse(name, args=args(world)), data)
    if actor is None:
        assert response.status_code == LOGIN
    elif actor in STAFF:
        assert response.status_code in (200, 302, 400)
    elif name in REVIEW_ACTIONS and actor != "owner":
        assert response.status_code == 404
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("actor", ACTORS)
def test_only_the_owner_removes_an_attachment(client, world, make_user, actor):
    """Removing an attachment is for its applicant only (not even reviewers)."""
    _login(client, world, make_user, actor)
    attachment = world["attachment"]
    response = client.post(
        reverse("forum:attachment_delete", args=[world["own"].pk, attachment.pk])
    )
    expected = {None: LOGIN, "owner": 302}.get(actor, 403 if actor in STAFF else 404)
    assert response.status_code == expected
    assert world["own"].attachments.exists() == (actor != "owner")


@pytest.mark.parametrize("method", ["get", "post"])
def test_get_only_and_post_only(client, world, staff, method):
    """POST-only actions refuse GET with 405."""
    client.force_login(staff)
    response = getattr(client, method)(
        reverse("forum:call_notify", args=[world["review_call"].slug])
    )
    assert response.status_code == (405 if method == "get" else 302)
