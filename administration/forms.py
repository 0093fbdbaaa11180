import io
from pathlib import Path

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from PIL import Image

from accounts.models import User
from accounts.roles import Role
from lib.uploads import JPEG, PNG, RejectedFile, check_upload
from organisation.models import OrganisationSettings

from .services import ORGANISATION_FIELDS

LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_PIXELS = 3000


class StaffForm(forms.ModelForm[User]):
    """Name, e-mail, job title and roles of a staff member; the user name only when inviting."""

    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A person may hold several roles. Without a role, the account can log in but sees nothing."),
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "job_title"]
        labels = {"username": _("User name")}
        help_texts = {
            "username": _("Used to log in, e.g. “jdevries”. Letters, digits and @ . + - _ only."),
            "job_title": _("E.g. “directeur” or “operationeel manager”: used to suggest who a complaint is about."),
        }

    def __init__(self, *args: object, inviting: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name in ("first_name", "last_name", "email"):
            self.fields[name].required = True
        self.fields["email"].help_text = _("The invitation and notices go to this address.")
        if not inviting:
            del self.fields["username"]
        if self.instance.pk and not self.is_bound:
            self.initial["roles"] = sorted(self.instance.groups.values_list("name", flat=True))

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip()
        others = User.objects.filter(Q(email__iexact=email)).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("Another account uses this e-mail address already."))
        return email


class OrganisationForm(forms.ModelForm[OrganisationSettings]):
    logo_upload = forms.FileField(
        label=_("Letterhead logo"),
        required=False,
        help_text=_("A PNG or JPEG of at most 1 MB and 3000 × 3000 pixels, shown at the top of every letter."),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)
    retention_months = forms.IntegerField(
        label=OrganisationSettings._meta.get_field("retention_months").verbose_name.capitalize(),
        min_value=1,
        max_value=240,
        help_text=_(
            "Closed complaints lose their personal data this many months after closing. "
            "The privacy statement and every letter say so."
        ),
    )

    class Meta:
        model = OrganisationSettings
        fields = list(ORGANISATION_FIELDS)
        help_texts = {
            "quality_inbox": _("Every new complaint is announced here; replies to our mail come here."),
            "deputy": _("Handles complaints about the quality manager: another quality manager or a director."),
        }
        widgets = {
            "processors": forms.Textarea(attrs={"rows": 3}),
            "transfers": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        deputy = self.fields["deputy"]
        deputy.queryset = (  # type: ignore[attr-defined]
            User.objects.filter(is_active=True, groups__name__in=[Role.QUALITY_MANAGER, Role.RESPONSIBLE])
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        deputy.label_from_instance = lambda user: (  # type: ignore[attr-defined]
            f"{user.display_name} ({user.job_title})" if user.job_title else user.display_name
        )
        for name, field in self.fields.items():
            default = settings.ORGANISATION_DEFAULTS.get(name)
            if default is not None and name in self.Meta.fields:
                start = _("Start value from the environment: %(value)s.") % {"value": default}
                field.help_text = f"{field.help_text} {start}".strip()

    def clean_deputy(self) -> User | None:
        deputy: User | None = self.cleaned_data.get("deputy")
        if deputy is not None and deputy.has_role(Role.QUALITY_MANAGER):
            other_managers = User.objects.filter(is_active=True, groups__name=Role.QUALITY_MANAGER).exclude(
                pk=deputy.pk
            )
            if not other_managers.exists():
                raise forms.ValidationError(
                    _(
                        "%(name)s is the only quality manager and cannot handle complaints about themselves. "
                        "Choose a director or another responsible person."
                    )
                    % {"name": deputy.display_name}
                )
        return deputy

    def clean_logo_upload(self) -> tuple[str, bytes] | None:
        upload = self.cleaned_data.get("logo_upload")
        if not upload:
            return None
        if Path(upload.name).suffix.lower() not in PNG.extensions | JPEG.extensions:
            raise forms.ValidationError(_("The logo must be a PNG or JPEG image."))
        if upload.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(_("The logo is larger than 1 MB."))
        data = upload.read()
        try:
            kind = check_upload(name=upload.name, data=data)
        except RejectedFile as error:
            raise forms.ValidationError(_("The logo was not accepted: %(reason)s.") % {"reason": error}) from None
        if kind not in (PNG, JPEG):
            raise forms.ValidationError(_("The logo must be a PNG or JPEG image."))
        # check_upload has decoded the picture already, within its pixel limit.
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
        if max(width, height) > LOGO_MAX_PIXELS:
            raise forms.ValidationError(
                _("The logo is %(width)d × %(height)d pixels; at most 3000 × 3000 fits a letterhead.")
                % {"width": width, "height": height}
            )
        return upload.name, data

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if self.errors and cleaned.get("logo_upload"):
            # A browser cannot fill in a file field again: say so rather than lose it silently.
            self.add_error(
                "logo_upload", _("The logo is fine, but was not saved: choose it again after correcting the errors.")
            )
        return cleaned
