"""Reading settings from the environment fails loudly on malformed values."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from lib.env import env_bool, env_int, env_list, env_str


def test_a_required_variable_must_be_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KL_TEST", raising=False)
    with pytest.raises(ImproperlyConfigured, match="KL_TEST"):
        env_str("KL_TEST")
    assert env_str("KL_TEST", "standaard") == "standaard"


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("Yes", True), ("off", False), ("", False)])
def test_booleans_are_read_in_the_usual_spellings(monkeypatch: pytest.MonkeyPatch, value: str, expected: bool) -> None:
    monkeypatch.setenv("KL_TEST", value)
    assert env_bool("KL_TEST", not expected) is expected


def test_a_malformed_boolean_or_integer_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KL_TEST", "misschien")
    with pytest.raises(ImproperlyConfigured):
        env_bool("KL_TEST", False)
    with pytest.raises(ImproperlyConfigured):
        env_int("KL_TEST", 1)


def test_lists_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KL_TEST", " klachten.example.nl, ,www.example.nl ")
    assert env_list("KL_TEST", []) == ["klachten.example.nl", "www.example.nl"]
