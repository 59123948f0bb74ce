"""``access.permission``: a refusal on a private object looks like a missing object (404);
on an object one may see, it is a 403; anonymous visitors go to the login page."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from forum_ouvert.core import access

#: What each person may do with the document « doc ».
RIGHTS = {"alice": {"see", "act"}, "bruno": {"see"}, "chloé": set()}


def _may(what):
    @rules.predicate
    def predicate(user, obj):
        return obj == "doc" and what in RIGHTS.get(getattr(user, "username", ""), set())

    return predicate


@pytest.fixture(autouse=True)
def _test_rules():
    for what in ("see", "act"):
        rules.add_perm(f"test_access.{what}", _may(what))
    yield
    for what in ("see", "act"):
        rules.remove_perm(f"test_access.{what}")


class User:
    is_authenticated = is_active = True

    def __init__(self, username):
        self.username = username


def _call(view, user):
    request = RequestFactory().get("/x/")
    request.user = user
    return view(request)


def _view(perm, **kwargs):
    @access.permission(perm, lambda request: "doc", **kwargs)
    def view(request):
        return HttpResponse("ok")

    return view


def test_who_may_not_see_a_private_object_gets_404():
    view = _view("test_access.act", private="test_access.see")
    assert _call(view, User("alice")).status_code == 200
    with pytest.raises(PermissionDenied):
        _call(view, User("bruno"))  # sees it, may not act: 403
    with pytest.raises(Http404):
        _call(view, User("chloé"))  # does not see it: as if it did not exist


def test_private_true_means_the_permission_itself():
    view = _view("test_access.see", private=True)
    assert _call(view, User("bruno")).status_code == 200
    with pytest.raises(Http404):
        _call(view, User("chloé"))
    assert view.access == "perm:test_access.see"


def test_anonymous_visitors_refused_a_private_object_get_404():
    """A private object refused to an anonymous visitor looks missing: a redirect to the
    login page would tell that the id exists."""
    with pytest.raises(Http404):
        _call(_view("test_access.see", private=True, anonymous=True), AnonymousUser())


def test_without_private_a_refusal_stays_403():
    with pytest.raises(PermissionDenied):
        _call(_view("test_access.see"), User("chloé"))


def test_private_needs_an_object():
    with pytest.raises(ValueError, match="get_object"):
        access.permission("test_access.see", private=True)


# --- may, require, abilities: the one way to ask ---------------------------------------


def test_may_asks_the_rule_for_anyone():
    """The rule answers for each person; a missing user may nothing."""
    assert access.may(User("alice"), "test_access.act", "doc")
    assert not access.may(User("bruno"), "test_access.act", "doc")
    assert not access.may(AnonymousUser(), "test_access.see", "doc")
    assert not access.may(None, "test_access.see", "doc")


@pytest.mark.django_db
def test_a_superuser_gets_no_blanket_yes(make_user):
    """An admin (superuser) is bound by ownership like anyone: Django's ``has_perm`` would
    say yes, ``may`` says what the rule says."""
    admin = make_user("admin")
    assert admin.is_superuser and admin.has_perm("test_access.act", "doc")
    assert not access.may(admin, "test_access.act", "doc")
    with pytest.raises(PermissionDenied):
        access.require(admin, "test_access.act", "doc")


def test_abilities_are_the_same_answers_by_name():
    """A template's abilities are ``may`` for each named permission."""
    assert access.abilities(User("bruno"), "doc", see="test_access.see", act="test_access.act") == {
        "see": True,
        "act": False,
    }


def test_the_may_tag_asks_the_same_question():
    """``{% may %}`` in a template gives the same answer as ``access.may``."""
    from django.template import Context, Template

    template = Template(
        '{% load forum_ouvert %}{% may "test_access.act" obj as yes %}{{ yes|yesno:"oui,non" }}'
    )
    assert template.render(Context({"user": User("alice"), "obj": "doc"})) == "oui"
    assert template.render(Context({"user": User("bruno"), "obj": "doc"})) == "non"


def test_apps_ask_through_access_only():
    """No app asks ``user.has_perm``, bare ``rules.has_perm`` or ``perms.*``: one way only."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for folder in ("engagements", "participation", "forum_ouvert", "templates"):
        for path in (root / folder).rglob("*"):
            if path.suffix not in (".py", ".html") or "devtools" in path.parts:
                continue
            if path == root / "forum_ouvert/core/access.py":
                continue
            text = path.read_text(encoding="utf-8")
            asks = ".has_perm(" if path.suffix == ".py" else "perms."
            if asks in text:
                offenders.append(str(path.relative_to(root)))
    assert offenders == []
