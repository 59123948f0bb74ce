"""allauth views adapted to the platform's rules."""

from allauth.account.views import LoginView as AllauthLoginView


class LoginView(AllauthLoginView):
    """Too many failed attempts for an account: the form says so with HTTP 429."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        codes = {e.code for errors in form.errors.as_data().values() for e in errors}
        if "too_many_login_attempts" in codes:
            response.status_code = 429
            response["Retry-After"] = "900"
        return response
