"""allauth views adapted to the platform's rules, and what allauth knows of an address."""

from allauth.account.models import EmailAddress
from allauth.account.views import LoginView as AllauthLoginView


def verified_email(user) -> str | None:
    """The account's e-mail address if the person proved it is theirs (allauth's
    confirmation link), else None: the only address a message about the account may go to
    on the account's word alone. None for a missing or deactivated account."""
    if user is None or not user.is_active or not user.email:
        return None
    confirmed = EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True)
    return user.email if confirmed.exists() else None


class LoginView(AllauthLoginView):
    """Too many failed attempts for an account: the form says so with HTTP 429."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        codes = {e.code for errors in form.errors.as_data().values() for e in errors}
        if "too_many_login_attempts" in codes:
            response.status_code = 429
            response["Retry-After"] = "900"
        return response
