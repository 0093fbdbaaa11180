"""Finding: a keyset cursor holding Infinity or 1e400 gave 500 on /backoffice/klachten/ and
/api/v1/complaints (OverflowError went through). Every crafted cursor is now the first page in the
back office and a 400 with the reason in the API."""

import base64
import json

import pytest
from django.test import Client

from accounts.models import User
from api.tokens import issue_token
from lib.pagination import decode_cursor
from tests.conftest import ComplaintFactory


def crafted(payload: str) -> str:
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


CRAFTED = [
    crafted('["2026-03-01T10:00:00+00:00", Infinity]'),
    crafted('["2026-03-01T10:00:00+00:00", 1e400]'),
    crafted('["2026-03-01T10:00:00+00:00", -Infinity]'),
    crafted('["2026-03-01T10:00:00+00:00", NaN]'),
    crafted('["2026-03-01T10:00:00+00:00", 99999999999999999999999999]'),
    crafted('["2026-03-01T10:00:00", 5]'),  # no time zone
    crafted('["99999-03-01T10:00:00+00:00", 5]'),
    crafted("[1, 5]"),
    crafted('["2026-03-01T10:00:00+00:00", true]'),
    crafted('{"a": 1}'),
]


@pytest.mark.parametrize("cursor", CRAFTED)
def test_a_crafted_cursor_decodes_to_nothing(cursor: str) -> None:
    assert decode_cursor(cursor) is None


@pytest.mark.django_db
@pytest.mark.parametrize("cursor", CRAFTED)
def test_a_crafted_cursor_is_the_first_page_in_the_back_office_and_a_422_in_the_api(
    cursor: str, quality_manager: User, make_complaint: ComplaintFactory
) -> None:
    make_complaint()
    client = Client()
    client.force_login(quality_manager)
    assert client.get("/backoffice/klachten/", {"cursor": cursor}).status_code == 200
    _token, raw = issue_token(user=quality_manager, name="test", by=None)
    response = Client().get("/api/v1/complaints", {"cursor": cursor}, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 422
    assert "cursor" in json.dumps(response.json())


def test_the_openapi_document_states_the_constraints_the_api_enforces(client: Client) -> None:
    document = json.dumps(client.get("/api/v1/openapi.json").json())
    assert '"pattern": "^[^\\\\x00]*$"' in document, "texts without NUL"
    assert '"format": "email"' in document
    assert "Between 2000-01-01 and 2999-12-31." in document
    assert '"pattern": "^[A-Za-z0-9_-]+$"' in document, "the cursor's form"
