"""A staff member cannot be locked out by someone elsewhere: wrong passwords count per account
and client address together (and per address), and the holder hears of many failures by mail."""

from typing import Any

from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from accounts.models import User
from outbox.models import OutboxMessage
from tests.conftest import PASSWORD

ATTACKER = "203.0.113.66"
OFFICE = "198.51.100.10"


def login(username: str, password: str, address: str) -> Any:
    client = Client(REMOTE_ADDR=address)
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    return response, client


def test_wrong_passwords_from_elsewhere_do_not_lock_out_the_quality_manager(quality_manager: User) -> None:
    for _ in range(6):
        login("karin", "wrong password", ATTACKER)
    refused, _ = login("karin", PASSWORD, ATTACKER)
    assert refused.status_code == 429
    response, client = login("karin", PASSWORD, OFFICE)
    assert response.status_code == 302
    assert SESSION_KEY in client.session


def test_the_holder_is_told_once_of_many_failed_logins(quality_manager: User, settings: object) -> None:
    settings.THROTTLES = {  # type: ignore[attr-defined]
        **settings.THROTTLES,  # type: ignore[attr-defined]
        "login_failures_notice": {"limit": 4, "window": 3600},
    }
    for number in range(8):
        login("karin", "wrong password", f"203.0.113.{number}")
    notices = OutboxMessage.objects.filter(kind="login_failures")
    assert [notice.to for notice in notices] == [["karin@supportoplus.nl"]]
    notice = notices.get()
    assert "4 keer of vaker" in notice.body_text and "karin" in notice.body_text
    assert "203.0.113" not in notice.body_text
    assert notice.headers.get("X-Auto-Response-Suppress") == "All"


def test_failures_for_a_name_that_is_no_account_mail_no_one(db: None, settings: object) -> None:
    settings.THROTTLES = {  # type: ignore[attr-defined]
        **settings.THROTTLES,  # type: ignore[attr-defined]
        "login_failures_notice": {"limit": 2, "window": 3600},
    }
    for _ in range(4):
        login("nobody", "wrong password", ATTACKER)
    assert not OutboxMessage.objects.filter(kind="login_failures").exists()
