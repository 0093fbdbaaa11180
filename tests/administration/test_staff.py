"""The administrator's staff pages: invite, change roles, deactivate, reset the second factor."""

import re
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.permissions import is_administrator
from accounts.roles import Role
from administration import services
from api.models import ApiToken
from api.tokens import issue_token, user_for_token
from complaints.models import Complaint
from organisation.models import AdminAction, AdminLogEntry
from outbox.models import OutboxMessage
from tests.conftest import PASSWORD, make_user


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def invite(client: Client, **overrides: object) -> Any:
    data = {
        "username": "dvries",
        "first_name": "Daan",
        "last_name": "de Vries",
        "email": "daan@supportoplus.nl",
        "job_title": "operationeel manager",
        "roles": [Role.RESPONSIBLE],
        **overrides,
    }
    return client.post(reverse("administration:staff_invite"), data)


def test_an_invited_staff_member_chooses_a_password_with_the_link_once(
    privacy_officer: User, quality_manager: User
) -> None:
    response = invite(client_for(privacy_officer))
    daan = User.objects.get(username="dvries")
    assert response.status_code == 302 and response["Location"] == reverse(
        "administration:staff_detail", args=[daan.pk]
    )
    assert not daan.has_usable_password()
    assert daan.roles == {Role.RESPONSIBLE} and daan.job_title == "operationeel manager"
    mail = OutboxMessage.objects.get(kind="invitation")
    assert mail.to == ["daan@supportoplus.nl"]
    assert "dvries" in mail.body_text
    link = re.search(r"http://\S+", mail.body_text).group(0)  # type: ignore[union-attr]
    path = link.removeprefix("http://127.0.0.1:8000")

    anonymous = Client()
    form_page = anonymous.get(path, follow=True)
    assert "Kies uw wachtwoord" in form_page.content.decode()
    chosen = anonymous.post(
        form_page.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD}, follow=True
    )
    assert "Uw wachtwoord is ingesteld" in chosen.content.decode()
    assert Client().login(username="dvries", password=PASSWORD)
    # The link works once.
    again = Client().get(path, follow=True)
    assert "niet meer geldig" in again.content.decode()
    entry = AdminLogEntry.objects.get(subject=daan)
    assert (entry.actor, entry.action) == (privacy_officer, AdminAction.INVITED)
    assert "Verantwoordelijke" in entry.detail


def test_an_invitation_with_a_used_address_or_name_is_refused_with_the_reason(
    privacy_officer: User, quality_manager: User
) -> None:
    client = client_for(privacy_officer)
    response = invite(client, username="karin", email="KARIN@supportoplus.nl")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Er bestaat al een gebruiker met deze gebruikersnaam" in page
    assert "Een ander account gebruikt dit e-mailadres al" in page
    empty = client.post(reverse("administration:staff_invite"), {})
    assert empty.status_code == 400 and "Dit veld is verplicht" in empty.content.decode()
    assert not OutboxMessage.objects.filter(kind="invitation").exists()


def test_the_last_quality_manager_and_the_last_administrator_keep_their_role(
    privacy_officer: User, quality_manager: User
) -> None:
    client = client_for(privacy_officer)
    url = reverse("administration:staff_detail", args=[quality_manager.pk])
    data = {"first_name": "Karin", "last_name": "Kwaliteit", "email": "karin@supportoplus.nl", "roles": []}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "laatste actieve kwaliteitsmanager" in response.content.decode()
    assert quality_manager.groups.filter(name=Role.QUALITY_MANAGER).exists()

    second = make_user("kees", Role.QUALITY_MANAGER)
    assert client.post(url, data).status_code == 302
    assert not quality_manager.groups.exists()
    entry = AdminLogEntry.objects.get(action=AdminAction.ROLES_CHANGED)
    assert entry.detail == "Kwaliteitsmanager → geen rol"
    with pytest.raises(services.AdministrationError, match="laatste actieve kwaliteitsmanager"):
        services.deactivate_staff(user=second, by=privacy_officer)
    with pytest.raises(services.AdministrationError, match="laatste actieve beheerder"):
        services.update_staff(
            user=privacy_officer, by=privacy_officer, first_name="P", last_name="", email="", job_title="", roles=[]
        )


def test_deactivating_stops_the_session_and_the_api_tokens_at_once(privacy_officer: User, director: User) -> None:
    session = client_for(director)
    assert session.get(reverse("complaints:home")).status_code == 200
    _token, raw = issue_token(user=director, name="script", by=privacy_officer)
    admin = client_for(privacy_officer)
    url = reverse("administration:staff_deactivate", args=[director.pk])

    unconfirmed = admin.post(url, follow=True)
    assert "Vink het vakje aan" in unconfirmed.content.decode()
    director.refresh_from_db()
    assert director.is_active

    page = admin.post(url, {"confirm": "yes"}, follow=True).content.decode()
    assert "is gedeactiveerd" in page
    director.refresh_from_db()
    assert not director.is_active and director.deactivated_at is not None  # the term of privacy.retention
    response = session.get(reverse("complaints:home"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert user_for_token(raw) is None
    assert ApiToken.objects.get(user=director).revoked_by == privacy_officer
    assert Session.objects.exists()  # the row may stay; it no longer logs anyone in
    assert not Client().login(username=director.username, password=PASSWORD)

    admin.post(reverse("administration:staff_reactivate", args=[director.pk]))
    director.refresh_from_db()
    assert director.is_active and director.deactivated_at is None
    assert user_for_token(raw) is None, "a revoked token stays revoked"
    actions = list(AdminLogEntry.objects.filter(subject=director).values_list("action", flat=True))
    assert actions == [AdminAction.REACTIVATED, AdminAction.DEACTIVATED]


def test_an_administrator_cannot_deactivate_themselves(privacy_officer: User) -> None:
    with pytest.raises(services.AdministrationError, match="eigen account"):
        services.deactivate_staff(user=privacy_officer, by=privacy_officer)


def test_the_work_in_hand_is_listed_by_reference_for_handing_over(
    privacy_officer: User, director: User, make_complaint: object
) -> None:
    complaint = make_complaint()  # type: ignore[operator]
    Complaint.objects.filter(pk=complaint.pk).update(assigned_to=director)
    page = client_for(privacy_officer).get(reverse("administration:staff_detail", args=[director.pk])).content.decode()
    assert complaint.reference in page
    assert complaint.description not in page, "the administrator does not read complaints"


def test_resetting_the_second_factor_makes_the_person_enrol_again(privacy_officer: User, director: User) -> None:
    TOTPDevice.objects.create(user=director, name="authenticator", confirmed=True)
    client = client_for(privacy_officer)
    client.post(reverse("administration:staff_reset_second_factor", args=[director.pk]))
    assert not TOTPDevice.objects.filter(user=director).exists()
    assert AdminLogEntry.objects.filter(subject=director, action=AdminAction.SECOND_FACTOR_RESET).exists()
    again = client.post(reverse("administration:staff_reset_second_factor", args=[director.pk]), follow=True)
    assert "niets te herstellen" in again.content.decode()


def test_only_administrators_manage_staff(quality_manager: User, director: User) -> None:
    client = client_for(quality_manager)
    assert client.get(reverse("administration:staff_list")).status_code == 403
    assert (
        client.post(reverse("administration:staff_deactivate", args=[director.pk]), {"confirm": "yes"}).status_code
        == 403
    )
    director.refresh_from_db()
    assert director.is_active
    with pytest.raises(services.AdministrationError):
        services.reset_second_factor(user=director, by=quality_manager)


def test_an_unknown_staff_member_is_not_found(privacy_officer: User) -> None:
    assert client_for(privacy_officer).get(reverse("administration:staff_detail", args=[9999])).status_code == 404


def test_the_staff_list_shows_roles_and_state(privacy_officer: User, quality_manager: User, director: User) -> None:
    services.deactivate_staff(user=director, by=privacy_officer)
    page = client_for(privacy_officer).get(reverse("administration:staff_list")).content.decode()
    assert "Kwaliteitsmanager" in page and "gedeactiveerd" in page


def test_an_invitation_not_yet_accepted_does_not_count_as_the_remaining_holder(
    privacy_officer: User, quality_manager: User
) -> None:
    client = client_for(privacy_officer)
    invite(client, username="kees", email="kees@supportoplus.nl", roles=[Role.QUALITY_MANAGER])
    url = reverse("administration:staff_detail", args=[quality_manager.pk])
    data = {"first_name": "Karin", "last_name": "Kwaliteit", "email": "karin@supportoplus.nl", "roles": []}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "laatste actieve kwaliteitsmanager" in response.content.decode()
    assert quality_manager.groups.filter(name=Role.QUALITY_MANAGER).exists()


def test_the_django_admin_rights_go_with_the_administrator_role(quality_manager: User) -> None:
    first = services.create_administrator(
        username="beheer", email="beheer@supportoplus.nl", first_name="Bea", last_name="Beheer"
    )
    first.set_password(PASSWORD)
    first.save()
    second = make_user("peter", Role.PRIVACY_OFFICER)
    services.update_staff(
        user=first, by=second, first_name="Bea", last_name="Beheer", email=first.email, job_title="", roles=[]
    )
    first.refresh_from_db()
    assert not (first.is_staff or first.is_superuser)
    assert not is_administrator(first)
    response = client_for(first).get(reverse("administration:staff_list"))
    assert response.status_code == 403


def test_the_first_administrator_needs_a_name_and_an_unused_address(privacy_officer: User) -> None:
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="EMAIL: Een ander account gebruikt dit e-mailadres al"):
        call_command(
            "create_administrator", "beheer2", privacy_officer.email.upper(), "--first-name", "B", "--last-name", "C"
        )
    with pytest.raises(ValidationError):
        services.create_administrator(username="beheer3", email="nieuw@supportoplus.nl", first_name=" ", last_name="")
    assert not User.objects.filter(username__in=["beheer2", "beheer3"]).exists()


def test_opening_a_button_address_in_the_browser_explains_itself(privacy_officer: User, director: User) -> None:
    response = client_for(privacy_officer).get(reverse("administration:staff_deactivate", args=[director.pk]))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "Dit adres werkt alleen met een formulier" in response.content.decode()
