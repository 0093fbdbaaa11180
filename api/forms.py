from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class IssueTokenForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("User"),
        queryset=User.objects.filter(is_active=True).order_by("username"),
        help_text=_("The token acts as this user, with this user's roles."),
    )
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_('What the token is for, e.g. "CRM koppeling".'))

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if "\x00" in name:
            raise forms.ValidationError(_("Enter a plain name."))
        return name
