from django import forms
from django.utils.translation import gettext_lazy as _


class ClosureDayForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    description = forms.CharField(label=_("Description"), max_length=120, help_text=_("E.g. “day after Ascension”."))


class PeriodsForm(forms.Form):
    acknowledgement_working_days = forms.IntegerField(
        label=_("Acknowledgement within (working days)"), min_value=1, max_value=60
    )
    first_contact_days = forms.IntegerField(label=_("First contact within (days)"), min_value=1, max_value=365)
    resolution_days = forms.IntegerField(label=_("Resolution within (days)"), min_value=1, max_value=365)
