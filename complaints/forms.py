import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Channel, Status

REFERENCE_PATTERN = re.compile(r"^KL-\d{4}-\d{5,}$", re.IGNORECASE)


class ComplaintFilterForm(forms.Form):
    """The list's filters: only these keys and values ever reach the query."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100, help_text=_("Reference or name"))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("all")), *Status.choices])
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", _("all")), *Channel.choices])
    cursor = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
