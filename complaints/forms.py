import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from deadlines.profiles import profile_for
from lib.forms import PlainQueryModelChoiceField

from .models import Channel, Complaint, Outcome, Status

REFERENCE_PATTERN = re.compile(r"^KL-\d{4}-\d{5,}$", re.IGNORECASE)


class ComplaintFilterForm(forms.Form):
    """The list's filters: only these keys and values ever reach the query."""

    q = forms.CharField(
        label=_("Search"), required=False, max_length=100, help_text=_("Reference, name or a word from the description")
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("all")), *Status.choices])
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", _("all")), *Channel.choices])
    cursor = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)


# The procedure's action forms. They only parse input; the services decide what is allowed.


LOCAL_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
LOCAL_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ResponsiblePersonField(PlainQueryModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name} ({obj.job_title})" if obj.job_title else obj.display_name


class AssignForm(forms.Form):
    to = ResponsiblePersonField(label=_("Responsible person"), queryset=User.objects.none())

    def __init__(self, *args: Any, complaint: Complaint, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The person the complaint is about is not offered; the service refuses them too.
        field = self.fields["to"]
        assert isinstance(field, ResponsiblePersonField)
        candidates = User.objects.filter(is_active=True, groups__name=Role.RESPONSIBLE)
        candidates = candidates.exclude(pk__in=[person.pk for person in complaint.linked_staff])
        field.queryset = candidates.order_by("first_name", "last_name", "username")


class LinkPersonForm(forms.Form):
    """A staff member the complaint is about: never its handler, and it is hidden from them."""

    person = ResponsiblePersonField(
        label=_("Staff member the complaint is about"),
        queryset=User.objects.none(),
        help_text=_(
            "That person cannot be handed the complaint and no longer sees it anywhere. A complaint about "
            "the quality manager goes to the deputy named under Organisation. Is it about more than one "
            "person? Link each of them."
        ),
    )

    def __init__(self, *args: Any, complaint: Complaint, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, ResponsiblePersonField)
        field.queryset = User.active_staff().exclude(pk__in=[person.pk for person in complaint.linked_staff])


class CallForm(forms.Form):
    at = forms.DateTimeField(label=_("When did the call take place?"), widget=LOCAL_DATETIME)
    summary = forms.CharField(label=_("Summary of the call"), widget=forms.Textarea(attrs={"rows": 3}))


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=LOCAL_DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends at"), required=False, widget=LOCAL_DATETIME)
    location = forms.CharField(label=_("Place"), required=False, max_length=200)
    video_link = forms.URLField(label=_("Video link"), required=False, max_length=500, assume_scheme="https")


class PlanMeetingForm(MeetingForm):
    participants = forms.CharField(label=_("Participants"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MeetingHeldForm(forms.Form):
    at = forms.DateTimeField(
        label=_("When did it take place?"),
        required=False,
        widget=LOCAL_DATETIME,
        help_text=_("Leave empty if it took place at the planned time."),
    )
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DiscussionForm(forms.Form):
    summary = forms.CharField(label=_("What was discussed"), widget=forms.Textarea(attrs={"rows": 4}))


class AgreementForm(forms.Form):
    description = forms.CharField(label=_("Agreement"), widget=forms.Textarea(attrs={"rows": 2}))
    owner_user = ResponsiblePersonField(
        label=_("Staff member who does it"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("(not a staff member)"),
        help_text=_("They are reminded before the date and see it under My work."),
    )
    owner = forms.CharField(
        label=_("Or: who else does it"),
        max_length=200,
        required=False,
        help_text=_("E.g. “complainant” or an outside party."),
    )
    due = forms.DateField(label=_("By when"), widget=LOCAL_DATE)

    def __init__(self, *args: Any, complaint: Complaint | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner_user"]
        assert isinstance(field, ResponsiblePersonField)
        staff = User.active_staff()
        if complaint is not None:
            staff = staff.exclude(pk__in=[person.pk for person in complaint.linked_staff])
        field.queryset = staff

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("owner_user") and not (cleaned.get("owner") or "").strip() and "owner" not in self.errors:
            self.add_error("owner", _("Choose the staff member who does it, or say who else does."))
        return cleaned


class ExtendForm(forms.Form):
    new_due = forms.DateField(label=_("New resolution deadline"), widget=LOCAL_DATE)
    reason = forms.CharField(label=_("Reason (the complainant is told)"), widget=forms.Textarea(attrs={"rows": 2}))
    # Only under a procedure that limits extensions (deadlines.profiles).
    consent = forms.CharField(
        label=_("The complainant's consent"),
        required=False,
        help_text=_(
            "Needed for a second extension, a late one, or one longer than the law allows: how and when "
            "the complainant agreed."
        ),
    )

    def __init__(self, *args: Any, complaint: Complaint, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not profile_for(complaint.procedure).extension.once_and_in_time:
            del self.fields["consent"]


AGREES_CHOICES = [("yes", _("yes")), ("no", _("no")), ("unknown", _("not known"))]


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect)
    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 3}))
    complainant_agrees = forms.ChoiceField(
        label=_("Does the complainant agree?"), choices=AGREES_CHOICES, widget=forms.RadioSelect
    )
    skip_reason = forms.CharField(
        label=_("Reason for closing without the acknowledgement or the contact"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Quality manager only, when those steps did not happen (e.g. the complainant withdrew by phone)."),
    )
    override_reason = forms.CharField(
        label=_("Reason for closing with open agreements"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Quality manager only; leave empty otherwise."),
    )

    def __init__(self, *args: Any, allow_override: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not allow_override:
            del self.fields["override_reason"]
            del self.fields["skip_reason"]

    def agrees(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data["complainant_agrees"])
