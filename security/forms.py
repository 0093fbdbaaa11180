from django import forms
from django.utils.translation import gettext_lazy as _


class HoneypotField(forms.CharField):
    """A field people never see (the template hides it) and bots fill in. A post with a value
    in it is answered by security.middleware.PublicFormGuardMiddleware and never saved."""

    def __init__(self) -> None:
        super().__init__(
            required=False,
            label=_("Leave this field empty"),
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
