from django import forms
from django.utils.translation import gettext_lazy as _


class PeriodForm(forms.Form):
    van = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    tot = forms.DateField(label=_("Up to and including"), widget=forms.DateInput(attrs={"type": "date"}))
