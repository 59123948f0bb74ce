"""allauth adapter: French e-mails, new accounts are citizens."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.shortcuts import resolve_url

from .choices import Role


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        """Where a login without ``?next=`` lands: the role's own start page when the site
        names one (``LOGIN_REDIRECT_BY_ROLE``: a lead goes straight to « Mes engagements »),
        else ``LOGIN_REDIRECT_URL``."""
        target = settings.LOGIN_REDIRECT_BY_ROLE.get(getattr(request.user, "role", None))
        return resolve_url(target) if target else super().get_login_redirect_url(request)

    def new_user(self, request):
        user = super().new_user(request)
        user.role = Role.CITIZEN
        return user
