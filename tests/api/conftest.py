"""API clients: one personal token per persona, sent as a Bearer header."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from api.tokens import issue_token


class ApiClient:
    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, headers=self.headers)

    def post(self, path: str, data: object = None, **extra: Any) -> Any:
        return self.client.post(path, data, content_type="application/json", headers=self.headers, **extra)

    def upload(self, path: str, files: dict[str, object]) -> Any:
        return self.client.post(path, files, headers=self.headers)

    def raw(self, method: str, path: str, body: bytes, content_type: str) -> Any:
        return self.client.generic(method, path, body, content_type=content_type, headers=self.headers)


ApiFor = Callable[[User], ApiClient]


@pytest.fixture
def api_for(db: None) -> ApiFor:
    def factory(user: User) -> ApiClient:
        _token, raw = issue_token(user=user, name="tests", by=None)
        return ApiClient(raw)

    return factory
