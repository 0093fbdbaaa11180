import pytest
from django.test import Client
from django.urls import reverse

from complaints.errors import ProcedureError
from complaints.models import Outcome, Status
from complaints.services import close
from quality.models import Category, Classification, ComplaintLink, LinkReason, RootCause, Severity
from quality.selectors import related_complaints
from quality.services import classify, link_complaints, save_category

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_default_categories_and_root_causes_are_there() -> None:
    names = set(Category.objects.filter(parent=None).values_list("name", flat=True))
    assert {"bereikbaarheid", "communicatie", "kwaliteit van het werk", "facturatie", "bejegening"} <= names
    assert RootCause.objects.exists()


def test_closing_is_refused_without_a_category_and_allowed_with_one(make_complaint, quality_manager) -> None:
    complaint = make_complaint()
    with pytest.raises(ProcedureError, match="categor"):
        close(
            complaint=complaint,
            by=quality_manager,
            outcome=Outcome.WELL_FOUNDED,
            resolution="Opgelost.",
            complainant_agrees=True,
            skip_reason="Opgelost aan de telefoon.",
        )
    complaint.refresh_from_db()
    assert complaint.status != Status.CLOSED
    classify(
        complaint=complaint,
        by=quality_manager,
        category=Category.objects.get(name="communicatie"),
        root_cause=RootCause.objects.first(),
        severity=Severity.MEDIUM,
    )
    close(
        complaint=complaint,
        by=quality_manager,
        outcome=Outcome.WELL_FOUNDED,
        resolution="Opgelost.",
        complainant_agrees=True,
        skip_reason="Opgelost aan de telefoon.",
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    assert complaint.events.filter(kind="classified").count() == 1


def test_the_complaint_page_offers_the_classification_before_closing(make_complaint, quality_manager) -> None:
    complaint = make_complaint()
    client = client_for(quality_manager)
    page = client.get(reverse("complaints:detail", args=[complaint.reference])).content.decode()
    classify_url = reverse("quality:classify", args=[complaint.reference])
    assert f'<a href="{classify_url}">Classificeren</a>' in page
    assert page.index(classify_url) < page.index(reverse("complaints:close", args=[complaint.reference]))
    assert 'name="classification-category"' in client.get(classify_url).content.decode()
    category = Category.objects.get(name="facturatie")
    response = client.post(
        reverse("quality:classify", args=[complaint.reference]),
        {"classification-category": category.pk, "classification-root_cause": "", "classification-severity": "high"},
    )
    assert response.status_code == 302
    assert Classification.objects.get(complaint=complaint).category == category
    response = client.post(
        reverse("complaints:close", args=[complaint.reference]),
        {
            "close-outcome": Outcome.UNFOUNDED,
            "close-resolution": "Uitgelegd.",
            "close-complainant_agrees": "yes",
            "close-skip_reason": "Opgelost aan de telefoon.",
        },
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED


def test_an_unknown_or_retired_category_is_refused_with_a_message(make_complaint, quality_manager) -> None:
    complaint = make_complaint()
    retired = Category.objects.create(name="oud", active=False)
    response = client_for(quality_manager).post(
        reverse("quality:classify", args=[complaint.reference]), {"classification-category": retired.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Classification.objects.filter(complaint=complaint, category__isnull=False).exists()


def test_the_back_office_cannot_classify_and_the_person_it_is_about_cannot_either(
    make_complaint, back_office, director
) -> None:
    complaint = make_complaint(by=back_office)
    assert client_for(back_office).get(reverse("quality:classify", args=[complaint.reference])).status_code == 403
    # A responsible person it is not assigned to does not even see it.
    assert client_for(director).get(reverse("quality:classify", args=[complaint.reference])).status_code == 404


def test_the_category_tree_refuses_loops_and_duplicates(quality_manager) -> None:
    parent = Category.objects.get(name="communicatie")
    child = save_category(by=quality_manager, name="telefonie", parent=parent)
    assert child.path == "communicatie › telefonie"
    with pytest.raises(ProcedureError):
        save_category(by=quality_manager, category=parent, name="communicatie", parent=child)
    with pytest.raises(ProcedureError):
        save_category(by=quality_manager, name="Telefonie", parent=parent)


def test_the_quality_manager_maintains_categories_in_the_back_office(quality_manager) -> None:
    client = client_for(quality_manager)
    response = client.post(
        reverse("quality:categories"), {"name": "website", "parent": "", "position": 9, "active": "on"}
    )
    assert response.status_code == 302
    category = Category.objects.get(name="website")
    response = client.post(
        reverse("quality:category_edit", args=[category.pk]), {"name": "website", "parent": "", "position": 9}
    )
    category.refresh_from_db()
    assert category.active is False
    response = client.post(
        reverse("quality:root_causes"), {"name": "te laat gereageerd", "position": 1, "active": "on"}
    )
    assert RootCause.objects.filter(name="te laat gereageerd").exists()


def test_related_complaints_are_linked_both_ways_and_shown_only_when_visible(
    make_complaint, quality_manager, director
) -> None:
    first, second = make_complaint(), make_complaint(name="Piet Pieters")
    link_complaints(complaint=second, other=first, reason=LinkReason.SAME_CLIENT, by=quality_manager)
    assert ComplaintLink.objects.get().first == first
    assert [r.complaint for r in related_complaints(quality_manager, first)] == [second]
    assert [r.complaint for r in related_complaints(quality_manager, second)] == [first]
    with pytest.raises(ProcedureError):
        link_complaints(complaint=first, other=second, reason=LinkReason.SAME_CLIENT, by=quality_manager)
    with pytest.raises(ProcedureError):
        link_complaints(complaint=first, other=first, reason=LinkReason.SAME_CAUSE, by=quality_manager)
    # Someone who may not see the other complaint does not learn it exists.
    assert related_complaints(director, first) == []
    page = client_for(quality_manager).get(reverse("complaints:detail", args=[first.reference])).content.decode()
    assert second.reference in page


def test_linking_through_the_page_refuses_an_unknown_reference(make_complaint, quality_manager) -> None:
    complaint = make_complaint()
    response = client_for(quality_manager).post(
        reverse("quality:related", args=[complaint.reference]), {"reference": "KL-2099-00001", "reason": "same_cause"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reference"]


def test_closing_on_the_page_without_a_category_says_why_and_keeps_it_open(make_complaint, quality_manager) -> None:
    complaint = make_complaint()
    response = client_for(quality_manager).post(
        reverse("complaints:close", args=[complaint.reference]),
        {"close-outcome": Outcome.UNFOUNDED, "close-resolution": "Uitgelegd.", "close-complainant_agrees": "yes"},
        follow=True,
    )
    complaint.refresh_from_db()
    assert complaint.status != Status.CLOSED
    assert "categorie" in response.content.decode().lower() or "category" in response.content.decode().lower()


def test_the_classification_page_offers_the_categories_and_root_causes_in_use_now(
    make_complaint, quality_manager
) -> None:
    from quality.services import save_root_cause

    complaint = make_complaint()
    client = client_for(quality_manager)
    url = reverse("quality:classify", args=[complaint.reference])
    assert ">facturatie</option>" in client.get(url).content.decode()

    parent = Category.objects.get(name="communicatie")
    save_category(by=quality_manager, name="telefonie", parent=parent)
    cause = save_root_cause(by=quality_manager, name="te laat gereageerd")
    page = client.get(url).content.decode()
    assert f'<option value="{Category.objects.get(name="telefonie").pk}">\u00a0\u00a0\u00a0telefonie</option>' in page
    assert f'<option value="{cause.pk}">te laat gereageerd</option>' in page

    save_root_cause(by=quality_manager, root_cause=cause, name="te laat gereageerd", active=False)
    save_category(by=quality_manager, category=Category.objects.get(name="facturatie"), name="facturen", parent=None)
    page = client.get(url).content.decode()
    assert "te laat gereageerd" not in page
    assert ">facturen</option>" in page and ">facturatie</option>" not in page


def test_a_retired_category_of_the_classification_stays_offered_for_its_complaint(
    make_complaint, quality_manager
) -> None:
    complaint = make_complaint()
    retired = save_category(by=quality_manager, name="oude categorie", parent=None)
    classify(complaint=complaint, by=quality_manager, category=retired)
    save_category(by=quality_manager, category=retired, name="oude categorie", parent=None, active=False)

    page = client_for(quality_manager).get(reverse("quality:classify", args=[complaint.reference])).content.decode()

    assert f'<option value="{retired.pk}" selected>oude categorie</option>' in page


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_classification_page_offers_the_classification_with_its_current_values_selected(
    make_complaint, quality_manager, language: str
) -> None:
    complaint = make_complaint()
    category = Category.objects.get(name="facturatie")
    cause = RootCause.objects.filter(active=True).order_by("pk")[1]
    url = reverse("quality:classify", args=[complaint.reference])
    client = client_for(quality_manager)
    before = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    classify(complaint=complaint, by=quality_manager, category=category, root_cause=cause, severity=Severity.HIGH)

    page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert f'<option value="{category.pk}" selected>' in page
    assert f'<option value="{cause.pk}" selected>' in page
    assert f'<option value="{Severity.HIGH.value}" selected>' in page
    assert f'<option value="{category.pk}" selected>' not in before


@pytest.mark.parametrize(
    ("language", "category", "cause"), [("nl", "facturatie", "overig"), ("en", "invoicing", "other")]
)
def test_the_first_categories_and_root_causes_read_in_the_readers_language(
    make_complaint, quality_manager, language: str, category: str, cause: str
) -> None:
    from django.conf import settings

    complaint = make_complaint()
    classify(
        complaint=complaint,
        by=quality_manager,
        category=Category.objects.get(name="facturatie"),
        root_cause=RootCause.objects.get(name="overig"),
    )
    client = client_for(quality_manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("complaints:detail", args=[complaint.reference])).content.decode()
    assert f"<dd>{category}</dd>" in page and f"<dd>{cause}</dd>" in page
    form = client.get(reverse("quality:classify", args=[complaint.reference])).content.decode()
    assert f">{category}</option>" in form


def test_the_quality_manager_gives_a_new_category_its_english_name(make_complaint, quality_manager) -> None:
    from django.conf import settings

    client = client_for(quality_manager)
    response = client.post(
        reverse("quality:categories"),
        {"name": "wachttijd", "name_en": "waiting time", "parent": "", "position": "0", "active": "on"},
    )
    assert response.status_code == 302
    made = Category.objects.get(name="wachttijd")
    assert made.name_en == "waiting time"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert ">waiting time</a>" in client.get(reverse("quality:categories")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    assert ">wachttijd</a>" in client.get(reverse("quality:categories")).content.decode()
