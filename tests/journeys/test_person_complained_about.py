"""The quality manager links the person a complaint is about, in Chromium by the labels a person
reads: the page suggests the director from "Persoon / functie", nothing is linked until the
quality manager chooses, the director drops out of the hand-over choices, and the director
never sees the complaint: not in "Mijn werk", the list, a search, or by its address."""

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from accounts.models import User
from complaints.models import Complaint
from tests.journeys.staff import logged_in
from tests.support.browser import assert_no_axe_violations


@pytest.mark.django_db(transaction=True)
def test_the_person_a_complaint_is_about_never_handles_or_sees_it(
    live_server: Any,
    browser: Browser,
    make_complaint: Any,
    quality_manager: User,
    director: User,
    operations_manager: User,
    back_office: User,
) -> None:
    complaint: Complaint = make_complaint(received_at=timezone.now(), about="de directeur", description="Onbeleefd.")

    manager = logged_in(browser, live_server, quality_manager)
    manager.get_by_role("link", name=complaint.reference).first.click()
    suggestion = manager.locator("#person-suggestions")
    expect(suggestion).to_contain_text("Dirk Directeur (Directielid)")
    expect(suggestion).to_contain_text("Er wordt niets gekoppeld tot u kiest en opslaat.")
    assert not Complaint.objects.get(pk=complaint.pk).about_staff.exists()
    assert_no_axe_violations(manager, context="complaint page with a suggestion")

    # It is about two people, the quality manager thinks, then finds it is only about the director.
    for person in ("Dirk Directeur (Directielid)", "Bart Balie (Baliemedewerker)"):
        if person.startswith("Bart"):  # the suggestion has gone: open the section again
            manager.get_by_role("link", name="Nog een medewerker koppelen").click()
        manager.get_by_label("Medewerker over wie de klacht gaat").select_option(label=person)
        manager.get_by_role("button", name="Deze persoon koppelen").click()
        expect(manager.locator(".message.success")).to_contain_text(f"gekoppeld aan {person.split(' (')[0]}")
    expect(manager.locator(".linked-staff li")).to_have_text(
        [
            "Bart Balie (Baliemedewerker) Koppeling met Bart Balie verwijderen",
            "Dirk Directeur (Directielid) Koppeling met Dirk Directeur verwijderen",
        ]
    )
    manager.get_by_role("link", name="Nog een medewerker koppelen").click()
    linked = manager.get_by_label("Medewerker over wie de klacht gaat").locator("option").all_text_contents()
    assert not any("Dirk" in choice or "Bart" in choice for choice in linked)
    manager.get_by_role("button", name="Koppeling met Bart Balie verwijderen").click()
    expect(manager.locator(".message.success")).to_contain_text("niet meer gekoppeld aan Bart Balie")
    expect(manager.locator("main")).to_contain_text("Gekoppeld aan een medewerker over wie de klacht gaat: Dirk")
    expect(manager.locator("main")).to_contain_text("Niet meer gekoppeld aan Bart Balie")
    assert list(Complaint.objects.get(pk=complaint.pk).about_staff.all()) == [director]

    manager.get_by_role("link", name="Overdragen").click()
    choices = manager.get_by_label("Verantwoordelijke").locator("option").all_inner_texts()
    assert not any("Dirk" in choice for choice in choices)
    manager.get_by_label("Verantwoordelijke").select_option(label="Olga Operations (Operationeel manager)")
    manager.get_by_role("button", name="Overdragen").click()
    expect(manager.locator(".message.success")).to_contain_text("Olga Operations")

    dirk = logged_in(browser, live_server, director)
    expect(dirk.locator("main")).not_to_contain_text(complaint.reference)
    dirk.goto(f"{live_server.url}/backoffice/klachten/?q={complaint.reference}")
    expect(dirk.locator("main")).not_to_contain_text(complaint.reference)
    response = dirk.goto(f"{live_server.url}/backoffice/klachten/{complaint.reference}/")
    assert response is not None and response.status == 404
    for page in (manager, dirk):
        page.context.close()
