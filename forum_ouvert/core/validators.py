"""Validators every app shares."""

from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

#: Links shown to the public (websites, sources, evidence, video calls) are web pages:
#: Django's URL fields also accept ftp:// and ftps://, which no browser opens any more.
web_url = URLValidator(
    schemes=["http", "https"],
    message=_("Saisissez une adresse web complète, commençant par https:// ou http://."),
    # Its own code: a ModelForm would otherwise show its URL field's generic message instead.
    code="web_url",
)
