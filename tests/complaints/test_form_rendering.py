"""The complaint page builds its form fields in Python (complaints/form_rendering.py); they
must come out as includes/field.html renders them."""

from collections.abc import Callable

import pytest
from django import forms
from django.template.loader import render_to_string
from django.test.html import parse_html

from complaints import forms as complaint_forms
from complaints.form_rendering import field_html
from quality.forms import ClassificationForm
from quality.models import Category, RootCause

pytestmark = pytest.mark.django_db

AWKWARD = '<b>"Tom & Jerry\'s"</b>'


class EveryWidget(forms.Form):
    text = forms.CharField(label=AWKWARD, help_text=AWKWARD, max_length=20)
    number = forms.IntegerField(required=False, widget=forms.NumberInput(attrs={"step": 2, "data-x": True}))
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email", "disabled": False}))
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    grouped = forms.ChoiceField(
        choices=[("", "–"), (AWKWARD, [("a", "A & B"), ("b", AWKWARD)]), ("c", "C")], required=False
    )
    several = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], required=False)
    radio_groups = forms.ChoiceField(
        choices=[("Group", [("1", "one"), ("2", "two")]), ("3", AWKWARD)],
        widget=forms.RadioSelect(attrs={"class": "inline"}),
        help_text="Pick one",
    )
    tick = forms.BooleanField(required=False, label="Tick (optional)")
    text_area = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


def detail_page_forms(director) -> list[Callable[..., forms.Form]]:
    from complaints.models import Complaint

    complaint = Complaint()
    return [
        lambda **kw: complaint_forms.AssignForm(complaint=complaint, prefix="assign", **kw),
        lambda **kw: complaint_forms.CallForm(prefix="call", **kw),
        lambda **kw: complaint_forms.PlanMeetingForm(prefix="meeting", **kw),
        lambda **kw: complaint_forms.MeetingHeldForm(prefix="held", **kw),
        lambda **kw: complaint_forms.DiscussionForm(prefix="discussion", initial={"summary": AWKWARD}, **kw),
        lambda **kw: complaint_forms.AgreementForm(prefix="agreement", **kw),
        lambda **kw: complaint_forms.ExtendForm(prefix="extend", **kw),
        lambda **kw: complaint_forms.CloseForm(prefix="close", allow_override=True, **kw),
        lambda **kw: complaint_forms.ReasonForm(prefix="reopen", **kw),
        lambda **kw: ClassificationForm(**kw),
        lambda **kw: EveryWidget(**kw),
    ]


SENT = {
    # Some valid, some not, some with markup: errors, values and selections all show.
    "assign-to": "999",
    "call-at": "gisteren",
    "call-summary": AWKWARD,
    "meeting-starts_at": "2026-03-06T10:00",
    "meeting-video_link": "not a url",
    "held-summary": "",
    "agreement-description": AWKWARD,
    "agreement-due": "2026-13-40",
    "extend-reason": "",
    "close-outcome": "unfounded",
    "close-complainant_agrees": "maybe",
    "classification-severity": "high",
    "text": AWKWARD * 3,
    "number": "4",
    "email": "not@valid",
    "hidden": AWKWARD,
    "grouped": "b",
    "several": ["x", "y"],
    "radio_groups": "3",
    "tick": "on",
    "text_area": "\n" + AWKWARD,
}


@pytest.fixture
def catalogue() -> None:
    top = Category.objects.create(name="Service & <planning>")
    Category.objects.create(name="Te laat", parent=top)
    RootCause.objects.create(name='Afspraak "vergeten"')


@pytest.mark.parametrize("bound", [False, True], ids=["blank", "sent"])
def test_fields_render_as_includes_field_html_does(catalogue, director, bound: bool) -> None:
    for make in detail_page_forms(director):
        form = make(**({"data": SENT} if bound else {}))
        for field in form:
            expected = render_to_string("includes/field.html", {"field": field})
            assert parse_html(field_html(field)) == parse_html(expected), f"{type(form).__name__}.{field.name}"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_fields_kept_per_process_come_out_as_rendered_each_time(make_complaint, director, language) -> None:
    from django.utils import translation

    from complaints.form_rendering import kept_field_html

    complaint = make_complaint()
    with translation.override(language):
        for form in (
            complaint_forms.AssignForm(complaint=complaint, prefix="assign"),
            complaint_forms.CloseForm(prefix="close", allow_override=True),
            complaint_forms.CallForm(prefix="call"),
            complaint_forms.PlanMeetingForm(prefix="meeting"),
            complaint_forms.AgreementForm(prefix="agreement"),
            complaint_forms.ExtendForm(prefix="extend"),
            complaint_forms.ReasonForm(prefix="reopen"),
            complaint_forms.ReasonForm(prefix="withdraw"),
            EveryWidget(),
        ):
            for name in form.fields:
                expected = field_html(form[name])
                assert kept_field_html(form[name]) == expected, name
                assert kept_field_html(form[name]) == expected, name  # and again, kept


def test_a_kept_select_offers_a_new_responsible_person_at_once(make_complaint, director) -> None:
    from accounts.roles import Role
    from complaints.form_rendering import kept_field_html
    from tests.conftest import make_user

    complaint = make_complaint()
    before = kept_field_html(complaint_forms.AssignForm(complaint=complaint, prefix="assign")["to"])
    make_user("nieuw", Role.RESPONSIBLE, first_name="Nieuwe", last_name="Collega")
    after = kept_field_html(complaint_forms.AssignForm(complaint=complaint, prefix="assign")["to"])

    assert "Nieuwe Collega" not in before and "Nieuwe Collega" in after


def test_a_field_with_a_complainants_words_is_rendered_each_time_and_not_kept() -> None:
    from complaints.form_rendering import _kept_fields, kept_field_html

    words = "De klager vertelde over haar moeder."
    first = complaint_forms.DiscussionForm(prefix="discussion", initial={"summary": words})
    second = complaint_forms.DiscussionForm(prefix="discussion", initial={"summary": words + " Meer."})

    assert words in kept_field_html(first["summary"])
    assert words + " Meer." in kept_field_html(second["summary"])
    assert not any(words in str(key) or words in html for key, html in _kept_fields._items.items())


def test_a_posted_choice_field_is_rendered_each_time_with_its_own_errors(make_complaint) -> None:
    from complaints.form_rendering import kept_field_html

    data = {"close-outcome": "well_founded"}
    first = complaint_forms.CloseForm(data, prefix="close")
    first.is_valid()
    assert 'class="errorlist"' not in kept_field_html(first["outcome"])
    second = complaint_forms.CloseForm(data, prefix="close")
    second.is_valid()
    second.add_error("outcome", "Kies opnieuw.")

    html = kept_field_html(second["outcome"])

    assert html == field_html(second["outcome"])
    assert "Kies opnieuw." in html


def test_kept_fragments_forget_the_least_recently_used_beyond_their_size() -> None:
    from lib.rendering import KeptFragments

    fragments = KeptFragments(maxsize=2)
    rendered: list[str] = []

    def render(text: str) -> Callable[[], str]:
        def rendering() -> str:
            rendered.append(text)
            return text

        return rendering

    assert fragments.get("a", render("A")) == "A"
    assert fragments.get("b", render("B")) == "B"
    assert fragments.get("a", render("A again")) == "A"  # kept; "a" is now the most recent
    fragments.get("c", render("C"))  # "b" goes
    assert fragments.get("b", render("B again")) == "B again"
    assert rendered == ["A", "B", "C", "B again"]
    assert len(fragments) == 2
