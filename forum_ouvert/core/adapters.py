"""allauth adapter: French e-mails, new accounts are citizens."""

from allauth.account.adapter import DefaultAccountAdapter

from .choices import Role


class AccountAdapter(DefaultAccountAdapter):
    def new_user(self, request):
        user = super().new_user(request)
        user.role = Role.CITIZEN
        return user
