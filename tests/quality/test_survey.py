import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from complaints.models import Outcome, Status
from complaints.services import close
from outbox.models import OutboxMessage
from quality.models import Category, SurveyInvitation
from quality.services import classify, token_hash

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s\"<]+/tevredenheid/([A-Za-z0-9_-]+)/")


def closed_complaint(make_complaint, quality_manager, **details):
    complaint = make_complaint(**details)
    classify(complaint=complaint, by=quality_manager, category=Category.objects.get(name="bejegening"))
    close(
        complaint=complaint,
        by=quality_manager,
        outcome=Outcome.PARTLY_WELL_FOUNDED,
        resolution="Excuses gemaakt.",
        complainant_agrees=True,
        skip_reason="Opgelost aan de telefoon.",
    )
    return complaint


def survey_token(complaint) -> str:
    message = OutboxMessage.objects.get(complaint=complaint, kind="satisfaction_survey")
    return LINK.search(message.body_text).group(1)  # type: ignore[union-attr]


def test_closing_sends_the_survey_link_through_the_outbox_and_stores_only_a_hash(
    make_complaint, quality_manager, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        complaint = closed_complaint(make_complaint, quality_manager)
    message = OutboxMessage.objects.get(complaint=complaint, kind="satisfaction_survey")
    assert message.to == ["jan@example.nl"]
    token = survey_token(complaint)
    assert len(token) >= 43  # 32 random bytes: 256 bits
    invitation = SurveyInvitation.objects.get(complaint=complaint)
    assert invitation.token_hash == token_hash(token)
    assert token not in invitation.token_hash
    # Delivered for real by the outbox worker (the test settings run tasks at once).
    assert any(token in m.body for m in mail.outbox)


def test_no_survey_without_an_email_address(make_complaint, quality_manager) -> None:
    complaint = closed_complaint(make_complaint, quality_manager, email="", postal_address="Dorpsstraat 1, Ede")
    assert not SurveyInvitation.objects.filter(complaint=complaint).exists()


def test_no_survey_to_a_machine_that_wrote_the_complaint(make_complaint, quality_manager) -> None:
    from django.utils import timezone

    from mailintake.models import InboundMessage
    from mailintake.models import Outcome as MailOutcome

    complaint = make_complaint(email="noreply@leverancier.example")
    InboundMessage.objects.create(
        folder="INBOX",
        uidvalidity=1,
        uid=1,
        message_id="<auto-1@leverancier.example>",
        received_at=timezone.now(),
        outcome=MailOutcome.COMPLAINT,
        auto_generated=True,
        complaint=complaint,
    )
    classify(complaint=complaint, by=quality_manager, category=Category.objects.get(name="bejegening"))
    close(
        complaint=complaint,
        by=quality_manager,
        outcome=Outcome.PARTLY_WELL_FOUNDED,
        resolution="Excuses gemaakt.",
        complainant_agrees=True,
        skip_reason="Opgelost aan de telefoon.",
    )
    assert not SurveyInvitation.objects.filter(complaint=complaint).exists()
    assert not OutboxMessage.objects.filter(kind="satisfaction_survey").exists()
    assert complaint.events.filter(kind="survey_skipped").exists()


def test_the_link_works_once(make_complaint, quality_manager) -> None:
    complaint = closed_complaint(make_complaint, quality_manager)
    url = reverse("satisfaction:survey", args=[survey_token(complaint)])
    client = Client()
    assert client.get(url).status_code == 200
    response = client.post(url, {"score": "4", "comment": "Netjes opgelost."})
    assert response.status_code == 200
    invitation = SurveyInvitation.objects.get(complaint=complaint)
    assert (invitation.score, invitation.comment, invitation.flagged) == (4, "Netjes opgelost.", False)
    again = client.post(url, {"score": "1", "comment": "Nog een keer"})
    assert again.status_code == 410
    assert client.get(url).status_code == 410
    invitation.refresh_from_db()
    assert invitation.score == 4


def test_an_unknown_token_is_not_found(db: None) -> None:
    assert Client().get(reverse("satisfaction:survey", args=["x" * 43])).status_code == 404


def test_a_score_out_of_range_is_refused_with_a_message(make_complaint, quality_manager) -> None:
    complaint = closed_complaint(make_complaint, quality_manager)
    url = reverse("satisfaction:survey", args=[survey_token(complaint)])
    for score in ("", "0", "6", "abc"):
        response = Client().post(url, {"score": score})
        assert response.status_code == 200
        assert response.context["form"].errors["score"]
    assert SurveyInvitation.objects.get(complaint=complaint).answered_at is None


def test_an_unhappy_answer_flags_the_complaint_and_the_quality_manager_may_reopen_it(
    make_complaint, quality_manager
) -> None:
    complaint = closed_complaint(make_complaint, quality_manager)
    Client().post(
        reverse("satisfaction:survey", args=[survey_token(complaint)]),
        {"score": "2", "comment": "Niemand belde terug."},
    )
    assert SurveyInvitation.objects.get(complaint=complaint).flagged
    staff = Client()
    staff.force_login(quality_manager)
    home = staff.get(reverse("complaints:home")).content.decode()
    assert reverse("quality:survey_answer", args=[complaint.reference]) in home
    response = staff.post(
        reverse("quality:survey_answer", args=[complaint.reference]),
        {"reopen_reason": "Klager is ontevreden over de afhandeling."},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status in (Status.RECEIVED, Status.IN_PROGRESS)
    invitation = SurveyInvitation.objects.get(complaint=complaint)
    assert not invitation.flagged and invitation.flag_handled_by == quality_manager
    assert (
        reverse("quality:survey_answer", args=[complaint.reference])
        not in staff.get(reverse("complaints:home")).content.decode()
    )
    # Closing it again does not send a second survey: one answer per complaint.
    close(
        complaint=complaint,
        by=quality_manager,
        outcome=Outcome.WELL_FOUNDED,
        resolution="Alsnog gebeld.",
        complainant_agrees=True,
        skip_reason="Opgelost aan de telefoon.",
    )
    assert OutboxMessage.objects.filter(complaint=complaint, kind="satisfaction_survey").count() == 1


def test_a_happy_answer_does_not_flag(make_complaint, quality_manager) -> None:
    complaint = closed_complaint(make_complaint, quality_manager)
    Client().post(reverse("satisfaction:survey", args=[survey_token(complaint)]), {"score": "3"})
    assert not SurveyInvitation.objects.get(complaint=complaint).flagged


def test_a_link_older_than_sixty_days_no_longer_takes_an_answer(make_complaint, quality_manager) -> None:
    import time_machine
    from django.utils import timezone

    complaint = closed_complaint(make_complaint, quality_manager)
    url = reverse("satisfaction:survey", args=[survey_token(complaint)])
    with time_machine.travel(timezone.now() + timedelta(days=61)):
        response = Client().post(url, {"score": "5"})
    assert response.status_code == 410
    assert SurveyInvitation.objects.get(complaint=complaint).answered_at is None
