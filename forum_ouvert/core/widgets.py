"""The widgets every form of the site uses: take them from here, never copy them.

- ``FastSelect``: for a ``<select>`` with many options (départements, commitments, the
  filter bars). Django renders each ``<option>`` through its own template, which costs
  ~10 ms for a hundred départements; this writes the same markup (the DSFR renderer's
  attributes and optgroups included) in Python, in a fraction of that.
  Use it on any choice field with many options (``widget=FastSelect``); a plain
  ``forms.Select`` is fine for a handful of options.
- ``DateInput`` / ``DateTimeInput``: the browser's native date (``type="date"``) and
  date-and-time (``type="datetime-local"``) pickers, with the ISO value format these
  inputs require. Use them for every date or datetime field; times are in the site's
  time zone (Paris), as Django's form fields already convert them.
- ``CheckboxSelectMultiple``: DSFR checkboxes for a multiple choice (django-dsfr's option
  template is shadowed by ``django.forms``'s, which comes first in INSTALLED_APPS).
"""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

#: The attribute of a chosen <option> (a constant: no user text).
SELECTED = SafeString(" selected")


def _options(choices) -> SafeString:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (option["value"], SELECTED if option["selected"] else "", option["label"])
            for option in choices
        ),
    )


class FastSelect(forms.Select):
    """A ``<select>`` whose options are written in Python rather than one template each."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = SafeString()
        for group_name, choices, _index in widget["optgroups"]:
            if group_name:
                options += format_html(
                    '<optgroup label="{}">{}</optgroup>', group_name, _options(choices)
                )
            else:
                options += _options(choices)
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options
        )


class DateInput(forms.DateInput):
    """The browser's native date picker."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """The browser's native date-and-time picker (``datetime-local``), in Paris time."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """A list of DSFR checkboxes (each option in its ``fr-checkbox-group``)."""

    option_template_name = "core/widgets/checkbox_option.html"


class RadioSelect(forms.RadioSelect):
    """DSFR radio buttons, each option in its ``fr-radio-group`` (django-dsfr's option
    template is shadowed by ``django.forms``'s, which comes first in INSTALLED_APPS)."""

    option_template_name = "core/widgets/radio_option.html"
