from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from complaints.attachments import UploadedFile
from complaints.forms import REFERENCE_PATTERN
from lib.uploads import RejectedFile, check_upload, safe_display_name

from .models import LetterKind
from .placeholders import unknown_placeholders


class LetterForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Text of the letter"),
        widget=forms.Textarea(attrs={"rows": 22}),
        max_length=20000,
        help_text=_(
            "Paragraphs are separated by an empty line. The letterhead, date, reference and signature are added."
        ),
    )


class StartLetterForm(forms.Form):
    kind = forms.ChoiceField(choices=LetterKind.choices)
    contact = forms.IntegerField(required=False, min_value=1)


class TemplateForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 24}), max_length=20000)
    reference = forms.CharField(
        label=_("Preview with complaint"),
        required=False,
        max_length=20,
        help_text=_("Reference number of a real complaint, e.g. KL-2026-00042."),
    )

    def _check(self, field: str) -> str:
        value: str = self.cleaned_data[field]
        unknown = unknown_placeholders(value)
        if unknown:
            raise forms.ValidationError(
                _("Unknown placeholder(s): %(names)s. Use only the placeholders listed next to the text."),
                params={"names": ", ".join("{" + name + "}" for name in unknown)},
            )
        return value

    def clean_subject(self) -> str:
        return self._check("subject")

    def clean_body(self) -> str:
        return self._check("body")

    def clean_reference(self) -> str:
        value: str = self.cleaned_data["reference"].strip().upper()
        if value and not REFERENCE_PATTERN.match(value):
            raise forms.ValidationError(_("A reference number looks like KL-2026-00042."))
        return value


class AddInformationForm(forms.Form):
    message = forms.CharField(
        label=_("Your message"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("PDF, JPEG, PNG, Word, Excel or plain text; at most %(size)s.")
        % {"size": filesizeformat(settings.UPLOAD_MAX_FILE_BYTES)},
    )

    def __init__(self, *args: object, attachments_so_far: tuple[int, int] = (0, 0), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.attachments_so_far = attachments_so_far

    def clean_attachment(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        count, total = self.attachments_so_far
        if upload.size > settings.UPLOAD_MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is too large (%(size)s); the limit is %(limit)s."),
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(settings.UPLOAD_MAX_FILE_BYTES)},
            )
        if count >= settings.UPLOAD_MAX_FILES or total + upload.size > settings.UPLOAD_MAX_TOTAL_BYTES:
            raise forms.ValidationError(
                _("Your complaint already has as many files as we can accept here; send further documents by e-mail.")
            )
        data = upload.read()
        name = safe_display_name(upload.name or "")
        try:
            kind = check_upload(name=name, data=data)
        except RejectedFile as error:
            raise forms.ValidationError(_("%(name)s: %(reason)s"), params={"name": name, "reason": error}) from None
        return UploadedFile(name=name, content=data, content_type=kind.content_type)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if not self.errors and not (cleaned.get("message") or "").strip() and not cleaned.get("attachment"):
            raise forms.ValidationError(_("Write a message or choose a file."))
        return cleaned


class FreshLinkForm(forms.Form):
    """The complainant asks for a new link to their status page."""

    reference = forms.CharField(
        label=_("Reference number"),
        max_length=20,
        help_text=_("It is in the acknowledgement of your complaint, e.g. KL-2026-00042."),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("The address you gave with your complaint. The new link is sent there."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["reference"].widget.attrs.update(autocomplete="off", spellcheck="false")
        self.fields["email"].widget.attrs.update(autocomplete="email")

    def clean_reference(self) -> str:
        value: str = self.cleaned_data["reference"].strip().upper()
        if not REFERENCE_PATTERN.match(value):
            raise forms.ValidationError(_("A reference number looks like KL-2026-00042."))
        return value
