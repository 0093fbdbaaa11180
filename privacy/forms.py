from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from complaints.models import Complaint

from .models import RequestKind
from .services import RECTIFIABLE


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of request"), choices=RequestKind.choices)
    received_at = forms.DateTimeField(
        label=_("Received on"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("The answer is due one month after this date."),
    )
    requester_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    requester_email = forms.EmailField(label=_("E-mail address"), required=False)
    requester_phone = forms.CharField(label=_("Phone number"), max_length=40, required=False)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example how the person's identity was checked."),
    )

    def clean_received_at(self) -> object:
        value = self.cleaned_data["received_at"]
        if value > timezone.now():
            raise forms.ValidationError(_("The date of receipt cannot be in the future."))
        return value

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not any(data.get(k) for k in ("requester_name", "requester_email", "requester_phone")):
            raise forms.ValidationError(_("Give at least the name, e-mail address or phone number of the person."))
        return data


class SearchForm(forms.Form):
    email = forms.CharField(label=_("E-mail address"), required=False)
    phone = forms.CharField(label=_("Phone number"), required=False)
    name = forms.CharField(label=_("Name"), required=False)


class LinkForm(forms.Form):
    complaints = forms.ModelMultipleChoiceField(
        label=_("Complaints of this person"), queryset=Complaint.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: object, found: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["complaints"].queryset = found  # type: ignore[attr-defined]


class _OneOfTheComplaints(forms.Form):
    complaint = forms.ModelChoiceField(
        label=_("Complaint"), queryset=Complaint.objects.none(), to_field_name="reference"
    )

    def __init__(self, *args: object, linked: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["complaint"].queryset = linked  # type: ignore[attr-defined]


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("zip", _("ZIP: the PDF, the machine-readable file and the files themselves")),
            ("json", _("JSON (machine-readable)")),
            ("pdf", _("PDF")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason for the export"), max_length=500, help_text=_("Recorded in the access log.")
    )


class ExtendForm(forms.Form):
    # On the request's page beside the export form, which has a `reason` too.
    prefix = "extend"

    reason = forms.CharField(
        label=_("Why more time is needed"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The person is told this reason."),
    )
    notice = forms.CharField(
        label=_("How the person was told"),
        max_length=200,
        required=False,
        help_text=_("There is no e-mail address to write to: for instance “by letter of 3 December”."),
    )


class RectifyForm(_OneOfTheComplaints):
    field = forms.ChoiceField(label=_("Field"))
    value = forms.CharField(
        label=_("Correct value"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [  # type: ignore[attr-defined]
            (name, getattr(Complaint._meta.get_field(name), "verbose_name", name)) for name in RECTIFIABLE
        ]


class RestrictForm(_OneOfTheComplaints):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(_OneOfTheComplaints):
    reason = forms.CharField(
        label=_("How the person asked for the erasure"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Written on the complaint's timeline, which its handlers and the complainant read."),
    )


class EraseForm(_OneOfTheComplaints):
    confirm = forms.BooleanField(
        label=_("I have checked the person's identity and there is no reason to keep the data.")
    )


class CompleteForm(forms.Form):
    outcome = forms.CharField(label=_("Answer given"), widget=forms.Textarea(attrs={"rows": 3}))
    refused = forms.BooleanField(label=_("The request was refused"), required=False)


class HoldForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), max_length=20)
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_reference(self) -> Complaint:
        reference = self.cleaned_data["reference"].strip().upper()
        complaint = Complaint.objects.filter(reference=reference).first()
        if complaint is None:
            raise forms.ValidationError(_("There is no complaint with this reference."))
        return complaint


class AccessLogSearchForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), max_length=20, required=False)
    user = forms.ModelChoiceField(label=_("User"), queryset=User.objects.order_by("username"), required=False)
