"""The demo data shows the procedure at different steps, made through the real services."""

from io import StringIO

from django.core.management import call_command

from complaints.models import Complaint, Status


def test_the_demo_complaints_show_various_steps(db) -> None:
    call_command("load_demo", stdout=StringIO())
    new, called, closed, waiting = Complaint.objects.order_by("pk")
    assert new.acknowledged_at and new.first_contact_at is None
    assert new.assigned_to is not None and new.assigned_to.username == "directie"
    assert called.first_contact_at and called.agreements.count() == 2
    assert called.agreements.filter(done_at__isnull=True).count() == 1
    assert closed.status == Status.CLOSED and closed.confirmed_at
    assert waiting.status == Status.RECEIVED and waiting.acknowledged_at is None
    assert closed.events.filter(kind="closed").exists()
