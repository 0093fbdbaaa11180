"""Who may open a complaint and its attachments: need to know, and the access log of each read."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from complaints.models import Complaint
from correspondence.models import Letter, LetterKind, LetterStatus
from outbox.services import queue_mail
from privacy.anonymise import anonymise_complaint
from privacy.models import AccessAction, AccessLog
from tests.conftest import make_user
from tests.privacy.conftest import close, hand_over

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def detail(complaint: Complaint) -> str:
    return reverse("complaints:detail", args=[complaint.reference])


def attachment(complaint: Complaint) -> str:
    return reverse("complaints:attachment", args=[complaint.reference, complaint.attachments.get().pk])


def test_the_back_office_reads_what_it_registered_until_it_is_handed_over(
    phoned_in: Complaint, back_office: User
) -> None:
    client = client_for(back_office)
    response = client.get(detail(phoned_in))
    assert response.status_code == 200
    assert "Jan Jansen" in response.content.decode()
    assert client.get(attachment(phoned_in)).status_code == 200


def test_after_hand_over_the_back_office_sees_only_reference_and_status(
    phoned_in: Complaint, back_office: User, director: User
) -> None:
    hand_over(phoned_in, director)
    client = client_for(back_office)
    response = client.get(detail(phoned_in))
    page = response.content.decode()
    assert response.status_code == 200
    assert phoned_in.reference in page
    assert "Jan Jansen" not in page and "monteur" not in page and "06 12345678" not in page
    assert client.get(attachment(phoned_in)).status_code == 404
    listing = client.get(reverse("complaints:list")).content.decode()
    assert phoned_in.reference in listing and "Jan Jansen" not in listing
    # Searching by name must not reveal that the handed-over complaint matches.
    assert phoned_in.reference not in client.get(reverse("complaints:list"), {"q": "Jansen"}).content.decode()


@pytest.mark.parametrize(
    ("who", "page", "attachment_answer"),
    [
        ("quality_manager", 200, 200),
        ("director", 200, 200),  # the responsible person it was handed to
        ("operations_manager", 404, 404),  # another responsible person
        ("privacy_officer", 404, 404),  # manages users, no complaint role
        ("outsider", 404, 404),
    ],
)
def test_each_role_gets_its_answer_for_a_handed_over_complaint(
    request: pytest.FixtureRequest, phoned_in: Complaint, director: User, who: str, page: int, attachment_answer: int
) -> None:
    hand_over(phoned_in, director)
    client = client_for(request.getfixturevalue(who))
    assert client.get(detail(phoned_in)).status_code == page
    assert client.get(attachment(phoned_in)).status_code == attachment_answer


def test_management_reads_no_complaint(phoned_in: Complaint) -> None:
    client = client_for(make_user("mona", Role.MANAGEMENT))
    assert client.get(detail(phoned_in)).status_code == 404
    assert client.get(attachment(phoned_in)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login_page(phoned_in: Complaint) -> None:
    response = Client().get(detail(phoned_in))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_person_a_complaint_is_about_never_sees_it_whatever_their_role(
    phoned_in: Complaint, quality_manager: User, director: User
) -> None:
    hand_over(phoned_in, director)
    for person in (quality_manager, director):
        phoned_in.about_staff.add(person)
        client = client_for(person)
        assert client.get(detail(phoned_in)).status_code == 404
        assert client.get(attachment(phoned_in)).status_code == 404
        assert phoned_in.reference not in client.get(reverse("complaints:list")).content.decode()


def test_an_administrator_who_is_also_quality_manager_reads_complaints(phoned_in: Complaint) -> None:
    admin = make_user("ada", Role.PRIVACY_OFFICER, Role.QUALITY_MANAGER, is_staff=True)
    assert client_for(admin).get(detail(phoned_in)).status_code == 200


def test_every_opening_and_download_is_written_to_the_access_log(
    phoned_in: Complaint, quality_manager: User, back_office: User, director: User
) -> None:
    client = client_for(quality_manager)
    client.get(detail(phoned_in))
    client.get(attachment(phoned_in))
    entries = list(AccessLog.objects.filter(complaint=phoned_in).order_by("pk"))
    assert [(e.user, e.action) for e in entries] == [
        (quality_manager, AccessAction.VIEW),
        (quality_manager, AccessAction.ATTACHMENT),
    ]
    assert entries[1].detail == f"attachment {phoned_in.attachments.get().pk}"
    hand_over(phoned_in, director)
    client_for(back_office).get(detail(phoned_in))
    assert (
        AccessLog.objects.filter(complaint=phoned_in, user=back_office, action=AccessAction.VIEW_LIMITED).count() == 1
    )


def test_a_refused_read_is_logged_as_refused_not_as_a_read(
    phoned_in: Complaint, operations_manager: User, director: User
) -> None:
    hand_over(phoned_in, director)
    client = client_for(operations_manager)
    assert client.get(detail(phoned_in)).status_code == 404
    assert client.get(attachment(phoned_in)).status_code == 404
    assert client.get(reverse("complaints:detail", args=["KL-2099-99999"])).status_code == 404
    logged = AccessLog.objects.filter(user=operations_manager).order_by("pk")
    assert [(log.action, log.complaint, log.detail) for log in logged] == [
        (AccessAction.DENIED, phoned_in, detail(phoned_in)),
        (AccessAction.DENIED, phoned_in, attachment(phoned_in)),
    ]
    # The privacy officer reads it in the complaint's log.
    page = client_for(make_user("fg-test", Role.PRIVACY_OFFICER)).get(
        reverse("privacy:access_log_complaint", args=[phoned_in.reference])
    )
    assert "kreeg geen toegang" in page.content.decode()


@pytest.mark.parametrize("who", ["quality_manager", "privacy_officer"])
def test_the_log_per_complaint_and_per_user_is_readable_for_quality_and_privacy(
    request: pytest.FixtureRequest, phoned_in: Complaint, quality_manager: User, who: str
) -> None:
    client_for(quality_manager).get(detail(phoned_in))
    reader = client_for(request.getfixturevalue(who))
    per_complaint = reader.get(reverse("privacy:access_log_complaint", args=[phoned_in.reference]))
    assert per_complaint.status_code == 200
    assert quality_manager.display_name in per_complaint.content.decode()
    # The log shows who read, not what the complaint says.
    assert "Jan Jansen" not in per_complaint.content.decode()
    per_user = reader.get(reverse("privacy:access_log_user", args=[quality_manager.pk]))
    assert per_user.status_code == 200 and phoned_in.reference in per_user.content.decode()


@pytest.mark.parametrize("who", ["back_office", "director", "outsider"])
def test_the_log_is_closed_to_other_roles(request: pytest.FixtureRequest, phoned_in: Complaint, who: str) -> None:
    user = request.getfixturevalue(who)
    client = client_for(user)
    assert client.get(reverse("privacy:access_log_complaint", args=[phoned_in.reference])).status_code == 403
    assert client.get(reverse("privacy:access_log_user", args=[user.pk])).status_code == 403


def test_a_letter_download_is_written_to_the_access_log(phoned_in: Complaint, quality_manager: User) -> None:
    letter = Letter(
        complaint=phoned_in,
        kind=LetterKind.ACKNOWLEDGEMENT,
        status=LetterStatus.SENT,
        subject="Ontvangstbevestiging",
        body="Beste Jan Jansen,",
        sent_at=timezone.now(),
        channel="post",
        sha256="0" * 64,
        filename="ontvangstbevestiging.pdf",
    )
    letter.pdf.save("brief.pdf", ContentFile(b"%PDF-1.7 brief"), save=False)
    letter.save()
    url = reverse("correspondence:download", args=[phoned_in.reference, letter.pk])
    assert client_for(quality_manager).get(url).status_code == 200
    entry = AccessLog.objects.get(action=AccessAction.LETTER)
    assert (entry.user, entry.complaint, entry.detail) == (quality_manager, phoned_in, f"letter {letter.pk}")
    # A preview (here of the letter as sent) is a read too.
    preview = reverse("correspondence:preview", args=[phoned_in.reference, letter.pk])
    assert client_for(quality_manager).get(preview).status_code == 200
    assert AccessLog.objects.get(action=AccessAction.LETTER_PREVIEW).detail == f"letter {letter.pk}"
    # The log shows the letter's kind and the attachment's name for the numbers it stored.
    client_for(quality_manager).get(attachment(phoned_in))
    page = client_for(quality_manager).get(reverse("privacy:access_log_complaint", args=[phoned_in.reference]))
    text = page.content.decode()
    assert f"brief {letter.pk}: ontvangstbevestiging" in text
    upload = phoned_in.attachments.get()
    assert f"bijlage {upload.pk}: {upload.original_name}" in text


def test_opening_a_sent_e_mail_about_a_complaint_is_written_to_the_access_log(
    phoned_in: Complaint, quality_manager: User
) -> None:
    message = queue_mail(
        kind="acknowledgement", to=["jan@example.nl"], subject="Uw klacht", text="Beste Jan,", complaint=phoned_in
    )
    assert client_for(quality_manager).get(reverse("outbox:detail", args=[message.pk])).status_code == 200
    entry = AccessLog.objects.get(action=AccessAction.MAIL)
    assert (entry.user, entry.complaint, entry.detail) == (quality_manager, phoned_in, f"e-mail {message.pk}")


def test_the_files_of_an_anonymised_complaint_are_gone_not_broken(phoned_in: Complaint, quality_manager: User) -> None:
    close(phoned_in)
    anonymise_complaint(complaint_pk=phoned_in.pk, reason="retention")
    assert client_for(quality_manager).get(attachment(phoned_in)).status_code == 404
    assert client_for(quality_manager).get(detail(phoned_in)).status_code == 200
