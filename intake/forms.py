import re
import uuid
from datetime import timedelta
from typing import cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from complaints.attachments import UploadedFile
from complaints.models import Channel, Subject
from intake.registration import ComplaintDetails
from lib.uploads import RejectedFile, check_upload, safe_display_name
from security.forms import HoneypotField

PHONE_PATTERN = re.compile(r"^\+?[0-9 ()\-.]{6,25}$")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: object, initial: object = None) -> list[object]:
        if not data:
            return []
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class ComplaintForm(forms.Form):
    """The seed's form: the fields the published procedure asks for, labelled as it labels them."""

    name = forms.CharField(label=_("Name"), max_length=200)
    company = forms.CharField(label=_("Company"), max_length=200, required=False)
    complaint_date = forms.DateField(
        label=_("Date of complaint"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The day you are reporting the complaint."),
    )
    about = forms.CharField(
        label=_("Person / position"),
        max_length=200,
        required=False,
        help_text=_("Whom or what is the complaint about?"),
    )
    email = forms.EmailField(label=_("E-mail address"), required=False, max_length=254)
    postal_address = forms.CharField(
        label=_("Postal address"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=25,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    # The form's own wording for the choices, addressed to the complainant.
    subject = forms.ChoiceField(
        label=_("The complaint concerns"),
        choices=[(Subject.SERVICE, _("Our service delivery")), (Subject.WORKING_METHOD, _("Our way of working"))],
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=_("Description of the complaint"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    desired_outcome = forms.CharField(
        label=_("What outcome would you like?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        # Empty files reach clean_attachments, whose message names the file.
        allow_empty_file=True,
    )

    # The fields that belong to "Contactgegevens", shown together under that heading.
    contact_fields = ("email", "postal_address")
    no_contact_message = _("Give at least one way to reach you: an e-mail address, a postal address or a phone number.")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["company"].widget.attrs["autocomplete"] = "organization"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["attachments"].help_text = gettext(
            "At most %(count)s files of %(size)s each (PDF, JPEG, PNG, DOCX, XLSX or plain text)."
        ) % {"count": settings.UPLOAD_MAX_FILES, "size": filesizeformat(settings.UPLOAD_MAX_FILE_BYTES)}
        if not self.is_bound:
            self.initial.setdefault("complaint_date", timezone.localdate())

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_phone(self) -> str:
        phone: str = self.cleaned_data["phone"].strip()
        if phone and (not PHONE_PATTERN.match(phone) or sum(c.isdigit() for c in phone) < 6):
            raise ValidationError(_("Enter a phone number with digits only, for example 06 12345678."))
        return phone

    def clean_complaint_date(self) -> object:
        value = self.cleaned_data["complaint_date"]
        if value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        if value < timezone.localdate() - timedelta(days=3 * 365):
            raise ValidationError(_("The date is too far in the past."))
        return value

    def clean_attachments(self) -> list[UploadedFile]:
        files = self.cleaned_data["attachments"]
        errors: list[ValidationError] = []
        if len(files) > settings.UPLOAD_MAX_FILES:
            raise ValidationError(
                _("You can add at most %(count)s files; you chose %(chosen)s."),
                params={"count": settings.UPLOAD_MAX_FILES, "chosen": len(files)},
            )
        if sum(f.size for f in files) > settings.UPLOAD_MAX_TOTAL_BYTES:
            raise ValidationError(
                _("The files together are larger than %(size)s."),
                params={"size": filesizeformat(settings.UPLOAD_MAX_TOTAL_BYTES)},
            )
        uploads: list[UploadedFile] = []
        for upload in files:
            name = safe_display_name(upload.name or "")
            if upload.size > settings.UPLOAD_MAX_FILE_BYTES:
                errors.append(
                    ValidationError(
                        _("%(name)s is larger than %(size)s."),
                        params={"name": name, "size": filesizeformat(settings.UPLOAD_MAX_FILE_BYTES)},
                    )
                )
                continue
            data = upload.read()
            try:
                kind = check_upload(name=name, data=data)
            except RejectedFile as reason:
                errors.append(ValidationError(_("%(name)s: %(reason)s."), params={"name": name, "reason": reason}))
                continue
            uploads.append(UploadedFile(name=name, content=data, content_type=kind.content_type))
        if errors:
            raise ValidationError(errors)
        return uploads

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if not any(cleaned.get(name) for name in ("email", "postal_address", "phone")) and not any(
            name in self.errors for name in ("email", "phone", "postal_address")
        ):
            self.add_error(
                "email",
                ValidationError(
                    self.no_contact_message,
                    code="no_contact",
                ),
            )
        return cleaned

    def details(self) -> ComplaintDetails:
        data = self.cleaned_data
        return ComplaintDetails(
            name=data["name"],
            company=data["company"].strip(),
            complaint_date=data["complaint_date"],
            about=data["about"].strip(),
            email=data["email"],
            postal_address=data["postal_address"].strip(),
            phone=data["phone"],
            description=data["description"].strip(),
            subject=Subject(data["subject"]),
            desired_outcome=data["desired_outcome"].strip(),
            files=tuple(data["attachments"]),
        )


def _keep_or_renew_submission_key(form: forms.Form) -> None:
    """Give a bound form a fresh key when the posted one is missing or malformed.

    The complainant cannot repair a hidden field, so an error on it would block them;
    with a fresh key the post goes through and a repeat of the re-shown form still
    carries one key."""
    try:
        uuid.UUID(str(form.data.get("submission_key", "")))
    except ValueError:
        data = cast(QueryDict, form.data).copy()
        data["submission_key"] = str(uuid.uuid4())
        form.data = data


class PublicComplaintForm(ComplaintForm):
    # One key per form shown; a second post with the same key finds the first complaint.
    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    website = HoneypotField()

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:
            _keep_or_renew_submission_key(self)
        else:
            self.initial["submission_key"] = uuid.uuid4()


class RegistrationForm(ComplaintForm):
    """A complaint taken by phone or received by letter, registered by the back office."""

    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(Channel.PHONE, _("Phone call")), (Channel.LETTER, _("Letter"))],
        widget=forms.RadioSelect,
    )
    received_at = forms.DateTimeField(
        label=_("Received on"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("When the call came in or the letter arrived; the deadlines count from this moment."),
    )
    received_by = forms.ModelChoiceField(
        label=_("Taken by"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("(the person registering)"),
        help_text=_("Who took the call or opened the letter."),
    )
    about_staff = forms.ModelMultipleChoiceField(
        label=_("Staff members the complaint is about"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Leave empty when it is not about a staff member. Whoever is ticked cannot be handed the complaint "
            "and does not see it. Can also be set later, on the complaint's page."
        ),
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    field_order = ["channel", "received_at", "received_by"]
    no_contact_message = _(
        "Fill in at least one way to reach the complainant: an e-mail address, a postal address or a phone number."
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # The back office fills in the form for the complainant: it speaks about them.
        self.fields["complaint_date"].help_text = _(
            "The day the complainant reported the complaint, in the call or in the letter."
        )
        self.fields["desired_outcome"].label = _("What outcome would the complainant like?")
        received_by = cast(forms.ModelChoiceField[User], self.fields["received_by"])
        received_by.queryset = (
            User.objects.filter(is_active=True, groups__name__in=[Role.BACK_OFFICE, Role.QUALITY_MANAGER])
            .distinct()
            .order_by("first_name", "username")
        )
        received_by.label_from_instance = lambda u: u.display_name  # type: ignore[method-assign,assignment]
        about_staff = cast(forms.ModelMultipleChoiceField[User], self.fields["about_staff"])
        about_staff.queryset = User.active_staff()
        about_staff.label_from_instance = lambda u: (  # type: ignore[method-assign,assignment]
            f"{u.display_name} ({u.job_title})" if u.job_title else u.display_name
        )
        if self.is_bound:
            _keep_or_renew_submission_key(self)
        else:
            self.initial.update(
                received_at=timezone.localtime().replace(second=0, microsecond=0),
                received_by=user.pk,
                submission_key=uuid.uuid4(),
            )

    def clean_received_at(self) -> object:
        value = self.cleaned_data["received_at"]
        if value > timezone.now() + timedelta(minutes=5):
            raise ValidationError(_("The moment of receipt cannot be in the future."))
        if value < timezone.now() - timedelta(days=365):
            raise ValidationError(_("The moment of receipt is more than a year ago."))
        return value

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        if (
            cleaned.get("channel") == Channel.LETTER
            and not cleaned.get("attachments")
            and "attachments" not in self.errors
        ):
            self.add_error("attachments", _("Add the scan of the letter."))
        return cleaned
