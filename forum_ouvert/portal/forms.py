from django import forms
from django.utils.translation import gettext_lazy as _

from forum_ouvert.core.forms import BaseForm


class AccountDeleteForm(BaseForm):
    confirm = forms.BooleanField(
        label=_("Je comprends que mon compte sera supprimé définitivement"),
        help_text=_("Vos contributions publiques resteront visibles, signées « Participant·e »."),
    )
