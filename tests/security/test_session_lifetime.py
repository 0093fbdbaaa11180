"""Finding: back-office sessions lasted 14 days with no idle timeout. A staff session now ends
after STAFF_SESSION_IDLE of inactivity and after STAFF_SESSION_MAX_AGE whatever happens."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts.models import User
from klachtenregeling.settings import base
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def real_limits(settings: Any) -> None:
    """The test settings lift the limits for the rest of the suite; here the real ones apply."""
    settings.STAFF_SESSION_IDLE = base.STAFF_SESSION_IDLE
    settings.STAFF_SESSION_MAX_AGE = base.STAFF_SESSION_MAX_AGE


def logged_in(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_a_session_left_idle_ends_and_the_login_page_says_why(quality_manager: User) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = logged_in(quality_manager)
        assert client.get("/backoffice/").status_code == 200
    with time_machine.travel(start + settings.STAFF_SESSION_IDLE + timedelta(minutes=1), tick=False):
        response = client.get("/backoffice/", follow=True)
        assert response.redirect_chain[-1][0].startswith("/accounts/login/")
        assert "te lang niet gebruikt" in response.content.decode()
        assert client.get("/backoffice/").status_code == 302


def test_a_session_in_use_lasts_until_its_maximum_age(quality_manager: User) -> None:
    start = timezone.now()
    step = settings.STAFF_SESSION_IDLE - timedelta(minutes=5)
    with time_machine.travel(start, tick=False):
        client = logged_in(quality_manager)
    moment = start
    while moment + step < start + settings.STAFF_SESSION_MAX_AGE:
        moment += step
        with time_machine.travel(moment, tick=False):
            assert client.get("/backoffice/").status_code == 200, f"still in use after {moment - start}"
    with time_machine.travel(start + settings.STAFF_SESSION_MAX_AGE + timedelta(minutes=1), tick=False):
        assert client.get("/backoffice/").status_code == 302


def test_the_limits_have_sensible_defaults() -> None:
    assert timedelta(minutes=15) <= base.STAFF_SESSION_IDLE <= timedelta(hours=2)
    assert timedelta(hours=8) <= base.STAFF_SESSION_MAX_AGE <= timedelta(hours=24)
    assert base.STAFF_SESSION_MAX_AGE.total_seconds() >= base.SESSION_COOKIE_AGE
