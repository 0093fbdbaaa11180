"""The mailbox settings: read from the environment, refusing combinations that leak a password."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from mailintake.imap import imap_settings, xoauth2


def configure(settings: object, **values: object) -> None:
    settings.MAIL_INTAKE = {"host": "imap.example.nl", "user": "klachten", "password": "geheim", **values}  # type: ignore[attr-defined]


def test_tls_on_port_993_is_the_default(settings: object) -> None:
    configure(settings)
    config = imap_settings()
    assert config is not None
    assert (config.security, config.port, config.folder) == ("ssl", 993, "INBOX")
    assert (config.processed_folder, config.quarantine_folder) == ("Verwerkt", "Quarantaine")


def test_it_refuses_a_plain_text_login_to_another_machine(settings: object) -> None:
    configure(settings, security="none")
    with pytest.raises(ImproperlyConfigured, match="only allowed"):
        imap_settings()
    configure(settings, security="none", host="127.0.0.1")
    assert imap_settings() is not None


def test_it_refuses_an_unknown_security_mode_and_missing_credentials(settings: object) -> None:
    configure(settings, security="tls1.0")
    with pytest.raises(ImproperlyConfigured):
        imap_settings()
    configure(settings, password="")
    with pytest.raises(ImproperlyConfigured):
        imap_settings()


def test_an_oauth2_token_logs_in_with_the_xoauth2_initial_response(settings: object) -> None:
    configure(settings, password="", oauth2_token="ya29.token")
    config = imap_settings()
    assert config is not None and config.oauth2_token == "ya29.token"
    assert xoauth2("klachten@example.nl", "ya29.token") == b"user=klachten@example.nl\x01auth=Bearer ya29.token\x01\x01"
