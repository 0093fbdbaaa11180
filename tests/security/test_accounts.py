"""Accounts: throttled login, rotated sessions, ended accounts, two-step login and password reset."""

import re
import time
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor
from accounts.models import User
from outbox.models import OutboxMessage
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


def login(client: Client, username: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


# Login with username and password (the development demo accounts log in this way).


def test_a_user_without_an_authenticator_logs_in_with_username_and_password(
    client: Client, quality_manager: User
) -> None:
    response = login(client, "karin")
    assert response.status_code == 302
    assert response["Location"] == "/backoffice/"
    assert client.get("/backoffice/").status_code == 200


def test_login_gives_a_new_session_key(client: Client, quality_manager: User) -> None:
    client.get(LOGIN)
    client.session["before"] = "x"
    session = client.session
    session["marker"] = "anonymous"
    session.save()
    before = session.session_key
    login(client, "karin")
    after = client.session.session_key
    assert before and after and before != after
    assert client.session[SESSION_KEY] == str(quality_manager.pk)


def test_it_refuses_the_sixth_wrong_password_for_an_account_with_429_even_when_it_is_right(
    client: Client, quality_manager: User
) -> None:
    for _ in range(5):
        assert login(client, "karin", "wrong password").status_code == 200
    response = login(client, "karin")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert SESSION_KEY not in client.session
    assert "Te veel pogingen" in response.content.decode()


def test_the_account_limit_counts_the_user_name_in_any_case_and_spacing(client: Client, quality_manager: User) -> None:
    for name in ("karin", "KARIN", " Karin", "karin ", "kArIn"):
        login(client, name, "wrong password")
    assert login(client, "karin").status_code == 429


def test_a_throttled_account_does_not_lock_out_other_accounts(
    client: Client, quality_manager: User, back_office: User
) -> None:
    for _ in range(6):
        login(client, "karin", "wrong password")
    assert login(client, "bart").status_code == 302


def test_it_throttles_one_client_address_trying_many_accounts(client: Client, settings: object, db: None) -> None:
    settings.THROTTLES = {**settings.THROTTLES, "login_address": {"limit": 4, "window": 900}}  # type: ignore[attr-defined]
    User.objects.create_user("victim", password=PASSWORD)
    for number in range(4):
        login(client, f"guess{number}", "wrong", REMOTE_ADDR="203.0.113.7")
    assert login(client, "victim", REMOTE_ADDR="203.0.113.7").status_code == 429
    # Another address is not affected.
    assert login(Client(), "victim", REMOTE_ADDR="198.51.100.1").status_code == 302


def test_the_admin_login_is_throttled_too(client: Client, privacy_officer: User) -> None:
    for _ in range(5):
        client.post("/admin/login/", {"username": "priya", "password": "wrong"})
    response = client.post("/admin/login/", {"username": "priya", "password": PASSWORD})
    assert response.status_code == 200  # the admin shows its form again: not logged in
    assert SESSION_KEY not in client.session


# A deactivated user's sessions end at once.


def test_a_deactivated_users_session_ends_on_the_next_request(client: Client, quality_manager: User) -> None:
    login(client, "karin")
    assert client.get("/backoffice/").status_code == 200
    User.objects.filter(pk=quality_manager.pk).update(is_active=False)
    response = client.get("/backoffice/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert SESSION_KEY not in client.session


def test_a_deleted_users_session_ends_on_the_next_request(client: Client, back_office: User) -> None:
    login(client, "bart")
    back_office.delete()
    assert client.get("/backoffice/").status_code == 302
    assert SESSION_KEY not in client.session


# Roles come with the user, read afresh on every request.


def test_a_taken_role_stops_working_on_the_next_request(client: Client, quality_manager: User) -> None:
    login(client, "karin")
    assert client.get(reverse("outbox:list")).status_code == 200
    quality_manager.groups.clear()
    assert client.get(reverse("outbox:list")).status_code == 403


def test_a_given_role_works_on_the_next_request(client: Client, back_office: User) -> None:
    from django.contrib.auth.models import Group

    login(client, "bart")
    assert client.get(reverse("outbox:list")).status_code == 403
    back_office.groups.add(Group.objects.get(name="kwaliteitsmanager"))
    assert client.get(reverse("outbox:list")).status_code == 200


def test_the_request_reads_the_user_and_their_roles_in_one_query(client: Client, quality_manager: User) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, "karin")
    client.get("/backoffice/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/backoffice/").status_code == 200
    user_queries = [q["sql"] for q in queries.captured_queries if '"accounts_user_groups"' in q["sql"]]
    assert len(user_queries) == 1, "\n".join(user_queries)
    assert '"accounts_user"."id"' in user_queries[0]


# Two-step login.


def enrol(client: Client, user: User) -> list[str]:
    page = client.get(reverse("accounts:otp_enrol"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:otp_enrol"), {"token": current_code(device)})
    assert response.status_code == 200, response.content.decode()
    return re.findall(r"<code>([A-Z0-9]{5}-[A-Z0-9]{5})</code>", response.content.decode())


def test_enrolment_shows_an_inline_qr_code_and_the_key_for_typing(client: Client, quality_manager: User) -> None:
    login(client, "karin")
    response = client.get(reverse("accounts:otp_enrol"))
    html = response.content.decode()
    assert 'src="data:image/svg+xml' in html
    device = TOTPDevice.objects.get(user=quality_manager)
    assert twofactor.manual_key(device) in html
    assert response["Cache-Control"] == "no-store"
    # Reloading keeps the same secret, so a code already scanned stays valid.
    client.get(reverse("accounts:otp_enrol"))
    assert TOTPDevice.objects.filter(user=quality_manager).count() == 1


def test_enrolment_with_a_wrong_code_confirms_nothing(client: Client, quality_manager: User) -> None:
    login(client, "karin")
    client.get(reverse("accounts:otp_enrol"))
    response = client.post(reverse("accounts:otp_enrol"), {"token": "000000"})
    assert response.status_code == 400
    assert not twofactor.has_confirmed_device(quality_manager)


def test_enrolment_gives_ten_recovery_codes_shown_once_and_stored_only_as_hashes(
    client: Client, quality_manager: User
) -> None:
    login(client, "karin")
    codes = enrol(client, quality_manager)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert twofactor.has_confirmed_device(quality_manager)
    stored = set(quality_manager.recoverycodedevice_set.get().codes.values_list("digest", flat=True))
    assert not any(code.replace("-", "") in digest for code in codes for digest in stored)
    # Not shown again: the enrolment page now offers to replace the app, without codes.
    again = client.get(reverse("accounts:otp_enrol")).content.decode()
    assert not any(code in again for code in codes)


def test_after_a_password_a_user_with_an_authenticator_must_give_a_code(client: Client, quality_manager: User) -> None:
    login(client, "karin")
    enrol(client, quality_manager)
    client.post(reverse("accounts:logout"))
    login(client, "karin")
    response = client.get("/backoffice/klachten/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    device = TOTPDevice.objects.get(user=quality_manager)
    # The code used at enrolment cannot be replayed; wait for the next window's code.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    before = client.session.session_key
    response = client.post(
        reverse("accounts:otp_verify"), {"token": current_code(device), "next": "/backoffice/klachten/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/backoffice/klachten/"
    assert client.session.session_key != before
    assert client.get("/backoffice/klachten/").status_code == 200


def test_a_wrong_code_is_refused_and_the_user_stays_unverified(client: Client, quality_manager: User) -> None:
    login(client, "karin")
    enrol(client, quality_manager)
    client.post(reverse("accounts:logout"))
    login(client, "karin")
    response = client.post(reverse("accounts:otp_verify"), {"token": "123456"})
    assert response.status_code == 400
    assert "niet juist" in response.content.decode()
    assert client.get("/backoffice/").status_code == 302


def test_a_recovery_code_works_once(client: Client, quality_manager: User) -> None:
    login(client, "karin")
    codes = enrol(client, quality_manager)
    client.post(reverse("accounts:logout"))
    login(client, "karin")
    assert client.post(reverse("accounts:otp_verify"), {"token": codes[0].lower()}).status_code == 302
    assert client.get("/backoffice/").status_code == 200
    client.post(reverse("accounts:logout"))
    login(client, "karin")
    assert client.post(reverse("accounts:otp_verify"), {"token": codes[0]}).status_code == 400
    assert twofactor.remaining_recovery_codes(quality_manager) == 9


def test_a_password_alone_cannot_replace_the_authenticator(client: Client, quality_manager: User) -> None:
    login(client, "karin")
    enrol(client, quality_manager)
    client.post(reverse("accounts:logout"))
    login(client, "karin")
    response = client.get(reverse("accounts:otp_enrol"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:otp_verify")
    assert TOTPDevice.objects.filter(user=quality_manager).count() == 1


def test_second_factor_guessing_is_throttled(client: Client, quality_manager: User) -> None:
    login(client, "karin")
    enrol(client, quality_manager)
    client.post(reverse("accounts:logout"))
    login(client, "karin")
    for _ in range(5):
        client.post(reverse("accounts:otp_verify"), {"token": "ABCDE-FGHJK"})
    assert client.post(reverse("accounts:otp_verify"), {"token": "ABCDE-FGHJK"}).status_code == 429


def test_new_recovery_codes_replace_the_old_ones(client: Client, quality_manager: User) -> None:
    login(client, "karin")
    old = enrol(client, quality_manager)
    response = client.post(reverse("accounts:recovery_codes"))
    new = re.findall(r"<code>([A-Z0-9]{5}-[A-Z0-9]{5})</code>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert twofactor.verify_second_factor(user=quality_manager, token=new[1]) is not None
    assert twofactor.verify_second_factor(user=quality_manager, token=old[1]) is None


def test_when_two_factor_is_required_a_user_without_an_authenticator_must_set_one_up(
    client: Client, quality_manager: User, settings: object
) -> None:
    settings.TWO_FACTOR_REQUIRED = True  # type: ignore[attr-defined]
    login(client, "karin")
    response = client.get("/backoffice/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_enrol"))
    enrol(client, quality_manager)
    assert client.get("/backoffice/").status_code == 200


def test_production_settings_require_two_factor_and_development_settings_do_not() -> None:
    import subprocess
    import sys

    def value(module: str) -> str:
        env = {
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": module,
            "SECRET_KEY": "x" * 64,
            "ALLOWED_HOSTS": "klachten.example.nl",
        }
        code = "import django;django.setup();from django.conf import settings;print(settings.TWO_FACTOR_REQUIRED)"
        return subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        ).stdout.strip()

    assert value("klachtenregeling.settings.production") == "True"
    assert value("klachtenregeling.settings.local") == "False"


# Password reset.


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client: Client, quality_manager: User) -> None:
    known = client.post(reverse("accounts:password_reset"), {"email": "karin@supportoplus.nl"})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@supportoplus.nl"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("accounts:password_reset_done")
    sent = OutboxMessage.objects.filter(kind="password_reset")
    assert [m.to for m in sent] == [["karin@supportoplus.nl"]]


def test_the_reset_link_from_the_outbox_sets_a_new_password(
    client: Client, quality_manager: User, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        client.post(reverse("accounts:password_reset"), {"email": "karin@supportoplus.nl"})
    message = OutboxMessage.objects.get(kind="password_reset")
    assert len(mail.outbox) == 1  # delivered by the outbox task
    link = re.search(r"http://127\.0\.0\.1:8000(/accounts/\S+/)", message.body_text)
    assert link is not None
    response = client.get(link.group(1), follow=True)
    assert response.status_code == 200
    new = "a brand new long passphrase"
    response = client.post(response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    quality_manager.refresh_from_db()
    assert quality_manager.check_password(new)


def test_the_reset_link_ignores_a_forged_host_header(client: Client, quality_manager: User, settings: object) -> None:
    settings.ALLOWED_HOSTS = ["*"]  # type: ignore[attr-defined]
    client.post(reverse("accounts:password_reset"), {"email": "karin@supportoplus.nl"}, HTTP_HOST="evil.example")
    assert "evil.example" not in OutboxMessage.objects.get(kind="password_reset").body_text


def test_password_reset_is_throttled_per_target_address_without_telling(client: Client, quality_manager: User) -> None:
    for _ in range(5):
        response = client.post(reverse("accounts:password_reset"), {"email": "karin@supportoplus.nl"})
        assert response.status_code == 302
    assert OutboxMessage.objects.filter(kind="password_reset").count() == 3


def test_password_reset_is_throttled_per_client_address(client: Client, db: None) -> None:
    for number in range(10):
        assert client.post(reverse("accounts:password_reset"), {"email": f"n{number}@example.nl"}).status_code == 302
    response = client.post(reverse("accounts:password_reset"), {"email": "n11@example.nl"})
    assert response.status_code == 429
    assert response["Retry-After"]


def test_the_throttle_window_ends(db: None) -> None:
    from security import throttle

    limit = throttle.Limit(limit=1, window=1)
    assert throttle.hit("t", "a", limit).allowed
    assert not throttle.hit("t", "a", limit).allowed
    time.sleep(1.05)
    assert throttle.hit("t", "a", limit).allowed


@pytest.mark.parametrize(
    ("header", "meta", "expected"),
    [
        ("", {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "10.0.0.1"),
        ("HTTP_X_FORWARDED_FOR", {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4"}, "1.2.3.4"),
        ("HTTP_X_FORWARDED_FOR", {"REMOTE_ADDR": "10.0.0.1"}, "10.0.0.1"),
    ],
)
def test_the_client_address_comes_from_the_configured_proxy_header_only(
    settings: object, header: str, meta: dict[str, Any], expected: str
) -> None:
    from django.test import RequestFactory

    from security.throttle import client_address

    settings.CLIENT_IP_HEADER = header  # type: ignore[attr-defined]
    request = RequestFactory().get("/", **meta)
    assert client_address(request) == expected


def test_the_back_office_links_to_two_step_login_and_shows_codes_left(client: Client, quality_manager: User) -> None:
    login(client, "karin")
    assert 'href="/accounts/tweestaps/instellen/"' in client.get("/backoffice/").content.decode()
    codes = enrol(client, quality_manager)
    client.post(reverse("accounts:logout"))
    login(client, "karin")
    client.post(reverse("accounts:otp_verify"), {"token": codes[0]})
    html = client.get(reverse("accounts:otp_enrol")).content.decode()
    assert "U heeft 9 ongebruikte herstelcodes" in html
    assert f'action="{reverse("accounts:recovery_codes")}"' in html


def test_an_ordinary_page_view_costs_no_query_for_the_second_factor(client: Client, quality_manager: User) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, "karin")
    client.get("/backoffice/")  # the first request notes in the session that there is no authenticator
    with CaptureQueriesContext(connection) as queries:
        client.get("/backoffice/")
    assert not [q for q in queries.captured_queries if "otp_totp" in q["sql"]]


def test_a_session_that_did_not_know_about_a_new_authenticator_still_needs_it_where_required(
    client: Client, quality_manager: User, settings: Any
) -> None:
    other = Client()
    login(client, "karin")
    client.get("/backoffice/")  # this session notes: no authenticator
    login(other, "karin")
    enrol(other, quality_manager)
    settings.TWO_FACTOR_REQUIRED = True
    response = client.get("/backoffice/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:otp_verify")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "/\\evil.x"])
def test_the_second_step_never_sends_the_user_elsewhere(client: Client, quality_manager: User, target: str) -> None:
    login(client, "karin")
    codes = enrol(client, quality_manager)
    client.post(reverse("accounts:logout"))
    login(client, "karin")
    response = client.post(reverse("accounts:otp_verify"), {"token": codes[0], "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/backoffice/"


def test_logins_and_failures_are_logged_without_the_typed_name(
    client: Client, quality_manager: User, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("INFO", logger="security.auth"):
        login(client, "my secret password typed as name", "x", REMOTE_ADDR="203.0.113.9")
        login(client, "karin", REMOTE_ADDR="203.0.113.9")
    text = caplog.text
    assert "login failed account=" in text and "from=203.0.113.9" in text
    assert "secret" not in text
    assert f"login user={quality_manager.pk} from=203.0.113.9" in text


def test_logging_in_through_the_admin_does_not_skip_the_second_step(
    client: Client, privacy_officer: User, settings: Any
) -> None:
    settings.TWO_FACTOR_REQUIRED = True
    response = client.post("/admin/login/?next=/admin/", {"username": "priya", "password": PASSWORD})
    assert response.status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_enrol"))
    assert client.get("/admin/auth/group/").status_code == 302
