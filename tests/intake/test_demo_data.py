"""`manage.py load_demo`: demo accounts for every role and some complaints, idempotent."""

import logging
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from accounts.roles import Role
from complaints.models import Channel, Complaint

pytestmark = pytest.mark.django_db

EXPECTED_ROLES = {
    "kwaliteit": {Role.QUALITY_MANAGER},
    "backoffice": {Role.BACK_OFFICE},
    "directie": {Role.RESPONSIBLE},
    "operations": {Role.RESPONSIBLE},
    "privacy": {Role.PRIVACY_OFFICER},
}


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_it_creates_the_five_demo_accounts_with_password_demo_and_their_roles() -> None:
    output = load()

    for username, roles in EXPECTED_ROLES.items():
        user = User.objects.get(username=username)
        assert user.check_password("demo"), username
        assert roles <= set(user.roles), username
        assert username in output
    assert "demo" in output


def test_it_loads_demo_complaints_from_several_channels_with_their_notices(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        load()

    # Writing the demo's notices itself is nothing to warn a newcomer about.
    assert not caplog.records, caplog.text

    complaints = Complaint.objects.all()
    assert complaints.count() >= 3
    assert {Channel.WEB, Channel.PHONE, Channel.LETTER} <= set(complaints.values_list("channel", flat=True))
    for complaint in complaints:
        assert complaint.events.filter(kind="received").exists()
        assert complaint.outbox_messages.filter(kind="new_complaint").exists()


def test_running_it_again_changes_nothing() -> None:
    load()
    complaints = set(Complaint.objects.values_list("reference", flat=True))
    users = set(User.objects.values_list("pk", flat=True))
    User.objects.filter(username="kwaliteit").update(first_name="Karin (gewijzigd)")

    load()

    assert set(Complaint.objects.values_list("reference", flat=True)) == complaints
    assert set(User.objects.values_list("pk", flat=True)) == users
    # What someone changed in the meantime stays as it is.
    assert User.objects.get(username="kwaliteit").first_name == "Karin (gewijzigd)"


def test_it_refuses_to_run_outside_development(settings: object) -> None:
    settings.DEMO_ACCOUNTS_ALLOWED = False  # type: ignore[attr-defined]

    with pytest.raises(CommandError):
        load()

    assert not User.objects.filter(username="kwaliteit").exists()
