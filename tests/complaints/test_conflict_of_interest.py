"""The person a complaint is about never handles it nor sees it: the quality manager or the back
office links them (with suggestions from "Persoon / functie", never applied silently), and a
complaint about the quality manager goes to the deputy of the organisation's settings."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from complaints import errors, services
from complaints.models import Complaint
from complaints.selectors import complaints_for
from complaints.views import section_flags
from organisation.models import OrganisationSettings
from organisation.selectors import get_organisation
from outbox.models import OutboxMessage
from tests.conftest import ComplaintFactory


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_free_text_suggests_staff_but_links_no_one(
    make_complaint: ComplaintFactory, quality_manager: User, director: User, operations_manager: User
) -> None:
    complaint = make_complaint(about="de directeur")
    assert services.staff_suggestions(complaint.about) == [director]
    page = client_for(quality_manager).get(reverse("complaints:detail", args=[complaint.reference])).content.decode()
    assert "Dat kan zijn:" in page and "Dirk Directeur (Directielid)" in page
    assert not complaint.about_staff.exists()


def test_a_linked_person_cannot_be_handed_the_complaint_and_no_longer_sees_it(
    make_complaint: ComplaintFactory, quality_manager: User, director: User, operations_manager: User
) -> None:
    complaint = make_complaint(about="Dirk")
    response = client_for(quality_manager).post(
        reverse("complaints:link_person", args=[complaint.reference]), {"person-person": director.pk}
    )
    assert response.status_code == 302
    assert list(complaint.about_staff.all()) == [director]
    event = complaint.events.get(kind="person_linked")
    assert event.actor == quality_manager and "Dirk Directeur" in event.message
    with pytest.raises(errors.ProcedureError):
        services.assign(complaint=complaint, to=director, by=quality_manager)
    page = client_for(quality_manager).get(reverse("complaints:assign", args=[complaint.reference])).content.decode()
    assert f'<option value="{director.pk}"' not in page.split('id="id_assign-to"')[1].split("</select>")[0]
    services.assign(complaint=complaint, to=operations_manager, by=quality_manager)
    assert complaint not in complaints_for(director)
    assert client_for(director).get(reverse("complaints:detail", args=[complaint.reference])).status_code == 404
    assert complaint.reference not in client_for(director).get(reverse("complaints:list")).content.decode()


def test_the_handler_cannot_be_linked_without_handing_over_first(
    make_complaint: ComplaintFactory, quality_manager: User, director: User
) -> None:
    complaint = make_complaint()
    services.assign(complaint=complaint, to=director, by=quality_manager)
    with pytest.raises(errors.ProcedureError, match=r"Draag de klacht eerst over|Hand it to someone else"):
        services.link_person(complaint=complaint, person=director, by=quality_manager)


def test_a_complaint_about_the_quality_manager_goes_to_the_deputy(
    make_complaint: ComplaintFactory, quality_manager: User, back_office: User, director: User
) -> None:
    organisation = OrganisationSettings.objects.get(pk=get_organisation().pk)
    organisation.deputy = director
    organisation.save()
    complaint = make_complaint(about="kwaliteitsmanager", by=back_office)
    services.link_person(complaint=complaint, person=quality_manager, by=back_office)
    complaint.refresh_from_db()
    assert complaint.assigned_to == director
    assert complaint.events.filter(kind="assigned", data__deputy=True).exists()
    assert OutboxMessage.objects.filter(kind="handed_over", to=[director.email]).exists()
    assert complaint not in complaints_for(quality_manager)


def test_without_a_deputy_the_timeline_says_who_must_act(
    make_complaint: ComplaintFactory, quality_manager: User, back_office: User
) -> None:
    complaint = make_complaint(by=back_office)
    services.link_person(complaint=complaint, person=quality_manager, by=back_office)
    assert complaint.events.filter(kind="deputy_missing").exists()


def test_a_complaint_can_be_about_several_staff_members_and_a_link_can_be_undone(
    make_complaint: ComplaintFactory,
    quality_manager: User,
    back_office: User,
    director: User,
    operations_manager: User,
) -> None:
    complaint = make_complaint(about="Dirk en Olga")
    services.link_person(complaint=complaint, person=director, by=quality_manager)
    services.link_person(complaint=complaint, person=operations_manager, by=back_office)
    with pytest.raises(errors.ProcedureError, match=r"al gekoppeld|already linked"):
        services.link_person(complaint=complaint, person=director, by=quality_manager)
    for person in (director, operations_manager):
        assert complaint not in complaints_for(person)
        with pytest.raises(errors.ProcedureError):
            services.assign(complaint=complaint, to=person, by=quality_manager)

    response = client_for(quality_manager).post(
        reverse("complaints:unlink_person", args=[complaint.reference, operations_manager.pk])
    )
    assert response.status_code == 302
    assert list(complaint.about_staff.all()) == [director]
    event = complaint.events.get(kind="person_unlinked")
    assert event.actor == quality_manager and "Olga Operations" in event.message
    services.assign(complaint=complaint, to=operations_manager, by=quality_manager)
    assert complaint in complaints_for(operations_manager)
    assert complaint not in complaints_for(director)
    # Someone it is not linked to cannot be unlinked; the person it is about cannot touch it.
    unlink = reverse("complaints:unlink_person", args=[complaint.reference, back_office.pk])
    assert client_for(quality_manager).post(unlink).status_code == 404
    assert (
        client_for(director)
        .post(reverse("complaints:unlink_person", args=[complaint.reference, director.pk]))
        .status_code
        == 404
    )


def test_linking_someone_who_carries_out_an_agreement_hands_it_to_the_handler(
    make_complaint: ComplaintFactory, quality_manager: User, director: User, back_office: User
) -> None:
    complaint = make_complaint()
    services.assign(complaint=complaint, to=director, by=quality_manager)
    agreement = services.add_agreement(
        complaint=complaint,
        by=director,
        description="Factuur crediteren",
        owner=back_office,
        due=timezone.localdate() + timedelta(days=5),
    )
    services.link_person(complaint=complaint, person=back_office, by=quality_manager)
    agreement.refresh_from_db()
    assert agreement.owner_user == director and agreement.owner == director.display_name
    assert complaint.events.filter(kind="agreement_owner_changed").exists()


def test_a_link_counts_at_once_on_a_complaint_read_with_the_page_flags(
    make_complaint: ComplaintFactory, quality_manager: User, director: User
) -> None:
    """The complaint page reads whether anyone is linked in its own query (has_about_staff);
    a link made on that same instance must not be hidden behind the flag."""
    complaint = make_complaint(about="Dirk")
    read = Complaint.objects.annotate(**section_flags()).get(pk=complaint.pk)
    assert read.__dict__["has_about_staff"] is False and not read.is_about(director)

    services.link_person(complaint=read, person=director, by=quality_manager)

    assert read.is_about(director)
    with pytest.raises(errors.ProcedureError):
        services.assign(complaint=read, to=director, by=quality_manager)
