"""Personal API tokens: issued by administrators or the command line, stored as a hash only,
refused once revoked."""

import hashlib
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from accounts.models import User
from api.models import ApiToken
from api.tokens import issue_token, revoke_token
from tests.api.conftest import ApiClient
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
LIST = "/api/v1/complaints"


def test_the_command_prints_a_token_that_works_and_stores_only_its_hash(quality_manager: User) -> None:
    out = StringIO()
    call_command("create_api_token", "karin", stdout=out)
    raw = out.getvalue().strip()
    token = ApiToken.objects.get(user=quality_manager)
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {token.name, token.prefix, token.token_hash}
    assert ApiClient(raw).get(LIST).status_code == 200


def test_the_command_refuses_an_unknown_user(db: None) -> None:
    with pytest.raises(CommandError, match="No user"):
        call_command("create_api_token", "nobody", stdout=StringIO())


def test_it_answers_401_in_json_without_a_token(db: None) -> None:
    response = Client().get(LIST)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "token" in response.json()["message"]


@pytest.mark.parametrize(
    "header", ["Bearer nonsense", "Bearer kl_" + "x" * 43, "Basic a2FyaW46cHc=", "Bearer ", "Bearer kl_\u00e9"]
)
def test_it_refuses_a_wrong_token(quality_manager: User, header: str) -> None:
    response = Client().get(LIST, headers={"Authorization": header})
    assert response.status_code == 401


def test_it_refuses_a_revoked_token(quality_manager: User) -> None:
    token, raw = issue_token(user=quality_manager, name="crm", by=None)
    assert ApiClient(raw).get(LIST).status_code == 200
    assert revoke_token(token=token, by=None) is True
    assert revoke_token(token=token, by=None) is False
    assert ApiClient(raw).get(LIST).status_code == 401


def test_it_refuses_the_token_of_a_deactivated_user(quality_manager: User) -> None:
    _token, raw = issue_token(user=quality_manager, name="crm", by=None)
    User.objects.filter(pk=quality_manager.pk).update(is_active=False)
    assert ApiClient(raw).get(LIST).status_code == 401


def test_it_records_when_a_token_was_last_used_without_writing_on_every_request(quality_manager: User) -> None:
    token, raw = issue_token(user=quality_manager, name="crm", by=None)
    with time_machine.travel("2026-05-04 10:00 +02:00", tick=False):
        ApiClient(raw).get(LIST)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    with time_machine.travel("2026-05-04 10:01 +02:00", tick=False):
        ApiClient(raw).get(LIST)
    token.refresh_from_db()
    assert token.last_used_at == first
    with time_machine.travel("2026-05-04 10:30 +02:00", tick=False):
        ApiClient(raw).get(LIST)
    token.refresh_from_db()
    assert token.last_used_at > first


def test_an_administrator_issues_a_token_in_the_back_office_and_sees_it_once(
    privacy_officer: User, quality_manager: User
) -> None:
    client = Client()
    client.login(username="priya", password=PASSWORD)
    page = client.get("/backoffice/api-sleutels/")
    assert page.status_code == 200
    response = client.post("/backoffice/api-sleutels/", {"user": quality_manager.pk, "name": "CRM koppeling"})
    assert response.status_code == 200
    raw = response.context["new_token"]
    assert raw.startswith("kl_")
    assert raw in response.content.decode()
    assert ApiClient(raw).get(LIST).status_code == 200
    token = ApiToken.objects.get()
    assert (token.user, token.created_by, token.name) == (quality_manager, privacy_officer, "CRM koppeling")
    assert raw not in client.get("/backoffice/api-sleutels/").content.decode()


def test_an_administrator_revokes_a_token_in_the_back_office(privacy_officer: User, quality_manager: User) -> None:
    token, raw = issue_token(user=quality_manager, name="crm", by=None)
    client = Client()
    client.login(username="priya", password=PASSWORD)
    response = client.post(f"/backoffice/api-sleutels/{token.pk}/intrekken/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == privacy_officer
    assert ApiClient(raw).get(LIST).status_code == 401


def test_the_token_page_shows_what_is_wrong_with_the_form(privacy_officer: User) -> None:
    client = Client()
    client.login(username="priya", password=PASSWORD)
    response = client.post("/backoffice/api-sleutels/", {"user": "999999", "name": ""})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"user", "name"}
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("persona", ["quality_manager", "back_office", "director", "outsider"])
def test_other_roles_may_not_issue_or_revoke_tokens(request: pytest.FixtureRequest, persona: str) -> None:
    user: User = request.getfixturevalue(persona)
    token, _raw = issue_token(user=user, name="own", by=None)
    client = Client()
    client.force_login(user)
    assert client.get("/backoffice/api-sleutels/").status_code == 403
    assert client.post("/backoffice/api-sleutels/", {"user": user.pk, "name": "x"}).status_code == 403
    assert client.post(f"/backoffice/api-sleutels/{token.pk}/intrekken/").status_code == 403
    assert ApiToken.objects.count() == 1
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_admin_site_issues_a_hashed_token_and_cannot_delete_one(db: None) -> None:
    admin = User.objects.create_superuser("beheer", "beheer@supportoplus.nl", PASSWORD)
    owner = User.objects.create_user("crm", password=PASSWORD)
    client = Client()
    client.force_login(admin)
    response = client.post("/admin/api/apitoken/add/", {"user": owner.pk, "name": "CRM"}, follow=True)
    assert response.status_code == 200
    token = ApiToken.objects.get()
    shown = next(str(message) for message in response.context["messages"]).rsplit(" ", 1)[-1]
    assert token.token_hash == hashlib.sha256(shown.encode()).hexdigest()
    assert ApiClient(shown).get(LIST).status_code == 200
    assert client.post(f"/admin/api/apitoken/{token.pk}/delete/", {"post": "yes"}).status_code == 403
