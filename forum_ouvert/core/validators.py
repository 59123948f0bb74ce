"""Validators every app shares.

When to use them: ``validate_one_line`` on every title and name (a workshop's title, an
organisation's name, a meeting's or a plan's title…), on the model field so that forms
and services (``full_clean``) both refuse it; ``web_url`` on every link shown to the public.
"""

import ipaddress
import unicodedata
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

#: Top-level names that no public site uses (RFC 2606, 6761, 6762 and private habits).
PRIVATE_TLDS = frozenset(
    {"localhost", "local", "localdomain", "internal", "intranet", "lan", "home", "corp"}
    | {"test", "invalid", "arpa", "onion"}
)


@deconstructible(path="forum_ouvert.core.validators.PublicWebURLValidator")
class PublicWebURLValidator(URLValidator):
    """A web page anyone can open: http(s), and a host on the public Internet.

    Refuses loopback, private, link-local and reserved addresses (``http://localhost/admin/``,
    ``http://192.168.1.1/``, ``http://[::1]/``) and names without a public domain
    (``http://intranet/``, ``http://serveur.local/``): a link published in the repository,
    a PDF or open data must lead somewhere for its readers. No DNS lookup is made."""

    host_message = _(
        "Cette adresse ne mène pas à une page publique (adresse locale ou privée) : "
        "indiquez l'adresse d'une page accessible sur Internet."
    )

    def __call__(self, value):
        super().__call__(value)
        host = (urlsplit(str(value)).hostname or "").rstrip(".").lower()
        if not is_public_host(host):
            raise ValidationError(self.host_message, code=self.code, params={"value": value})


def is_public_host(host: str) -> bool:
    """Whether ``host`` (a name or an IP literal, without brackets) is on the public Internet."""
    try:
        return ipaddress.ip_address(host).is_global
    except ValueError:
        pass
    labels = host.split(".")
    return len(labels) >= 2 and all(labels) and labels[-1] not in PRIVATE_TLDS


#: Links shown to the public (websites, sources, evidence, video calls) are web pages on
#: the public Internet: Django's URL fields also accept ftp:// and ftps://, which no browser
#: opens any more, and a local address, which leads nowhere for the public.
web_url = PublicWebURLValidator(
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


def normalise_phone(value: str, region: str = "FR") -> str:
    """A French or international phone number, stored one way: ``+33 6 12 34 56 78``
    (a French number may be typed ``06 12 34 56 78``, ``0612345678`` or ``+33612345678``;
    another country's starts with ``+`` and its code). Refuses anything that is not a
    valid number (« appelez-moi 😀 »). An empty value stays empty."""
    import phonenumbers

    text = str(value or "").strip()
    if not text:
        return ""
    message = _(
        "Saisissez un numéro de téléphone valide : 06 12 34 56 78, ou +32 2 555 12 12 "
        "pour un numéro hors de France."
    )
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise ValidationError(message, code="phone") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(message, code="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def validate_phone(value: str) -> None:
    """The model's check (admin, imports): the value is a valid number (see
    ``normalise_phone``, which forms use to store it normalised)."""
    normalise_phone(value)
