"""Property-based run over the whole OpenAPI document (schemathesis): every operation, with
generated valid and invalid input, as every role. No answer is ever a 5xx, and every answer
matches the document (status code, content type, body schema).

Each generated request is sent once per role, and once more with the path's reference
replaced by a real complaint, so the role rules and the 404s are exercised too. Bounded to a
few examples per operation to keep the run near a minute."""

from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import User
from accounts.roles import Role
from api.tokens import issue_token
from complaints.models import Complaint
from tests.conftest import make_user

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ROLES = {
    "no_role": (),
    "kwaliteitsmanager": (Role.QUALITY_MANAGER,),
    "backoffice": (Role.BACK_OFFICE,),
    "verantwoordelijke": (Role.RESPONSIBLE,),
    "privacy": (Role.PRIVACY_OFFICER,),
    "management": (Role.MANAGEMENT,),
}


@pytest.fixture
def keep_test_connection() -> Iterator[None]:
    """The WSGI app closes database connections after each request; Django's own test client
    stops that so the test's transaction survives, and so must this run."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(keep_test_connection: None, make_complaint: object) -> dict[str, str]:
    users: dict[str, User] = {name: make_user(f"st_{name}", *roles) for name, roles in ROLES.items()}
    complaint = make_complaint(by=users["backoffice"])  # type: ignore[operator]
    Complaint.objects.filter(pk=complaint.pk).update(assigned_to=users["verantwoordelijke"])
    found = {name: issue_token(user=user, name="schemathesis", by=None)[1] for name, user in users.items()}
    found["reference"] = complaint.reference
    return found


# Loaded from the application itself (WSGI, no network): the document the API really serves.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=12)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_operation_answers_5xx_or_outside_its_schema_for_any_role(case: object, tokens: dict[str, str]) -> None:
    reference = tokens["reference"]
    for role in ROLES:
        headers = {"Authorization": f"Bearer {tokens[role]}"}
        case.call_and_validate(headers=headers, checks=CHECKS)  # type: ignore[attr-defined]
        if case.path_parameters and "reference" in case.path_parameters:  # type: ignore[attr-defined]
            original = case.path_parameters["reference"]  # type: ignore[attr-defined]
            case.path_parameters["reference"] = reference  # type: ignore[attr-defined]
            try:
                case.call_and_validate(headers=headers, checks=CHECKS)  # type: ignore[attr-defined]
            finally:
                case.path_parameters["reference"] = original  # type: ignore[attr-defined]
    # And without a token at all.
    case.call_and_validate(checks=CHECKS)  # type: ignore[attr-defined]
