"""Validators every app shares.

When to use them: ``validate_one_line`` on every title and name (a workshop's title, an
organisation's name, a meeting's or a plan's title…), on the model field so that forms
and services (``full_clean``) both refuse it; ``web_url`` on every link shown to the public.
"""

import unicodedata

from django.core.exceptions import ValidationError
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

#: Unicode categories that break or hide a line: control characters (CR, LF, tab, NUL,
#: DEL, C1) and the line and paragraph separators.
_CONTROL_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})


def is_control(char: str) -> bool:
    """A control character (CR, LF, tab, NUL, DEL, C1…) or a line/paragraph separator."""
    return unicodedata.category(char) in _CONTROL_CATEGORIES


def validate_one_line(value: str) -> None:
    """A title or a name holds one line: no line break, tab or other control character
    (it goes into e-mail subjects, headings, calendar files and CSV cells)."""
    if any(is_control(char) for char in str(value)):
        raise ValidationError(
            _(
                "Ce champ tient sur une ligne : retirez les retours à la ligne, tabulations "
                "et caractères de contrôle."
            ),
            code="one_line",
        )
