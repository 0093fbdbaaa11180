import re
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from complaints.models import Complaint
from lib.forms import PlainQueryModelChoiceField

from .models import Category, Effectiveness, LinkReason, RootCause, Severity
from .selectors import active_root_causes, all_categories, category_choices

REFERENCE = re.compile(r"KL-\d{4}-\d{5,}", re.IGNORECASE)


class CategoryChoiceField(PlainQueryModelChoiceField[Category]):
    def label_from_instance(self, obj: Category) -> str:
        return self.label_from_depth(obj.label, getattr(obj, "depth", 0))

    @staticmethod
    def label_from_depth(name: str, depth: int) -> str:
        # Indent subcategories with non-breaking spaces, which a <select> keeps.
        return "\u00a0\u00a0\u00a0" * depth + name


def _offer_categories(field: forms.Field, choices: list[Category], empty_label: str) -> None:
    """Offer `choices` in tree order (with their depth), not the queryset's order."""
    category_field = cast(CategoryChoiceField, field)
    category_field.queryset = Category.objects.filter(pk__in=[c.pk for c in choices])
    category_field.choices = [("", empty_label)] + [(str(c.pk), category_field.label_from_instance(c)) for c in choices]


class ClassificationForm(forms.Form):
    prefix = "classification"

    category = CategoryChoiceField(label=_("Category"), queryset=Category.objects.none(), empty_label="–")
    root_cause = PlainQueryModelChoiceField(
        label=_("Root cause"), queryset=RootCause.objects.none(), required=False, empty_label="–"
    )
    severity = forms.ChoiceField(label=_("Severity"), choices=[("", "–"), *Severity.choices], required=False)

    def __init__(self, *args: object, current: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # The active choices, and the current ones even when they have been retired since.
        category = getattr(current, "category", None)
        root_cause = getattr(current, "root_cause", None)
        _offer_categories(self.fields["category"], category_choices(include=category), "–")
        cast(forms.ModelChoiceField[RootCause], self.fields["root_cause"]).queryset = active_root_causes(
            include=root_cause
        )
        if current is not None and not self.is_bound:
            self.initial = {
                "category": getattr(current, "category_id", None),
                "root_cause": getattr(current, "root_cause_id", None),
                "severity": getattr(current, "severity", ""),
            }


class LinkForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference of the related complaint"), max_length=20, help_text=_("For example KL-2026-00042.")
    )
    reason = forms.ChoiceField(label=_("Related because of"), choices=LinkReason.choices)

    def clean_reference(self) -> str:
        value: str = self.cleaned_data["reference"].strip().upper()
        if not REFERENCE.fullmatch(value):
            raise forms.ValidationError(_("Enter a reference like KL-2026-00042."))
        return value


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    name_en = forms.CharField(
        label=_("Name in English"), max_length=120, required=False, help_text=_("Shown on the English pages.")
    )
    parent = forms.ModelChoiceField(
        label=_("Part of"), queryset=Category.objects.all(), required=False, empty_label=_("(top level)")
    )
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=32767, initial=0)
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        parent = cast(forms.ModelChoiceField[Category], self.fields["parent"])
        parent.choices = [("", _("(top level)"))] + [(str(c.pk), c.path) for c in all_categories()]


class RootCauseForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    name_en = forms.CharField(
        label=_("Name in English"), max_length=120, required=False, help_text=_("Shown on the English pages.")
    )
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=32767, initial=0)
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)


class ActionForm(forms.Form):
    title = forms.CharField(label=_("What will be done"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    owner = forms.ModelChoiceField(label=_("Who"), queryset=User.objects.none())
    due = forms.DateField(label=_("By when"), widget=forms.DateInput(attrs={"type": "date"}))
    check_due = forms.DateField(
        label=_("Check the effect on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        required=False,
        help_text=_("A later date on which you look whether the complaints stopped."),
    )
    category = CategoryChoiceField(
        label=_("Category to watch"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("(the category of the first complaint)"),
    )
    references = forms.CharField(
        label=_("Complaints"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or more references, separated by spaces or commas."),
    )

    def __init__(self, *args: object, complaints: QuerySet[Complaint], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.complaints_scope = complaints
        owner = cast(forms.ModelChoiceField[User], self.fields["owner"])
        owner.queryset = User.objects.filter(is_active=True).order_by("first_name", "last_name")
        owner.label_from_instance = lambda u: u.display_name  # type: ignore[method-assign,assignment]
        _offer_categories(self.fields["category"], category_choices(), str(_("(the category of the first complaint)")))

    def clean_references(self) -> list[Complaint]:
        raw = self.cleaned_data["references"].upper()
        references = list(dict.fromkeys(REFERENCE.findall(raw)))
        leftovers = REFERENCE.sub("", raw).replace(",", " ").split()
        if leftovers or not references:
            raise forms.ValidationError(_("Enter references like KL-2026-00042, separated by spaces or commas."))
        found = {c.reference: c for c in self.complaints_scope.filter(reference__in=references)}
        missing = [r for r in references if r not in found]
        if missing:
            raise forms.ValidationError(
                _("No complaint found with reference %(references)s.") % {"references": ", ".join(missing)}
            )
        return [found[r] for r in references]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("due") and data.get("check_due") and data["check_due"] < data["due"]:
            self.add_error("check_due", _("The effectiveness check comes after the action is due."))
        return data


class CompleteActionForm(forms.Form):
    check_due = forms.DateField(
        label=_("Check the effect on"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )


class EffectivenessForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Did the complaints stop?"), choices=Effectiveness.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    early_reason = forms.CharField(
        label=_("Why check before the date?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Only needed when you check before the planned date."),
    )
    new_due = forms.DateField(
        label=_("Not effective: to be done again by"),
        widget=forms.DateInput(attrs={"type": "date"}),
        required=False,
        help_text=_("The action opens again with this date."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("result") == Effectiveness.NOT_EFFECTIVE and not data.get("new_due"):
            self.add_error("new_due", _("Give the date by which the action is done again."))
        return data


class SurveyForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with the way your complaint was handled?"),
        help_text=_("1 = very dissatisfied, 5 = very satisfied"),
        choices=[
            (1, _("1 – very dissatisfied")),
            (2, _("2 – dissatisfied")),
            (3, _("3 – neutral")),
            (4, _("4 – satisfied")),
            (5, _("5 – very satisfied")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how satisfied you are, from 1 to 5.")},
    )
    comment = forms.CharField(
        label=_("Would you like to tell us anything else?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=2000,
    )


class FlagForm(forms.Form):
    reopen_reason = forms.CharField(
        label=_("Reason for reopening"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("Leave empty to keep the complaint closed."),
    )
