"""Every URL pattern of the project has a decision in tests/security/policy.py. That every role
gets exactly that answer from the real view, with real objects, is the crawl's work
(tests/security/test_crawl.py); here the admin namespace's representative pages."""

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.policy import LOGIN, NAMESPACE_POLICY, POLICY, REDIRECT, ROLES, Answer, Row
from tests.security.world import World, build_world


def walk(patterns: list[URLPattern | URLResolver], namespace: str = "") -> Iterator[tuple[str, str]]:
    """Yield (namespace, "ns:name") for every pattern; unnamed patterns yield "ns:" + their regex."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from walk(entry.url_patterns, inner)
        else:
            label = entry.name or f"<unnamed {entry.pattern}>"
            yield namespace, f"{namespace}:{label}" if namespace else label


def project_patterns() -> list[tuple[str, str]]:
    return list(walk(get_resolver().url_patterns))


def test_every_url_pattern_has_a_decision_in_the_policy_table() -> None:
    missing = [
        name
        for namespace, name in project_patterns()
        if namespace.split(":")[0] not in NAMESPACE_POLICY and name not in POLICY
    ]
    assert not missing, f"URL patterns without an entry in tests/security/policy.py: {missing}"


def test_the_policy_table_names_no_url_pattern_that_does_not_exist() -> None:
    known = {name for _, name in project_patterns()}
    stale = sorted(set(POLICY) - known)
    assert not stale, f"Entries in tests/security/policy.py for URL patterns that do not exist: {stale}"


def test_the_walk_sees_nested_namespaces_and_admin() -> None:
    names = {name for _, name in project_patterns()}
    assert "admin:index" in names
    assert "complaints:detail" in names
    assert "set_language" in names


def describe(response: object) -> Answer:
    status = response.status_code  # type: ignore[attr-defined]
    if status in (301, 302, 303, 307, 308):
        location = urlsplit(response["Location"]).path  # type: ignore[index]
        login_pages = {settings.LOGIN_URL, reverse("admin:login")}
        return LOGIN if location in login_pages else REDIRECT
    return int(status)


def check_row(world: World, name: str, row: Row) -> list[str]:
    url = reverse(name, kwargs={k: world.resolve(v) for k, v in row.kwargs.items()}) + row.query
    mismatches = []
    for role in ROLES:
        client = Client()
        user = world.user_for(role)
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        got, expected = describe(response), row.answer_for(role)
        if got != expected:
            mismatches.append(f"{name} as {role}: expected {expected}, got {got}")
    return mismatches


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.mark.parametrize("namespace", sorted(NAMESPACE_POLICY))
def test_each_role_gets_the_namespace_rule_on_its_representative_pages(world: World, namespace: str) -> None:
    row, names = NAMESPACE_POLICY[namespace]
    assert names, "a namespace rule must name at least one page to request"
    mismatches = [line for name in names for line in check_row(world, name, row)]
    assert not mismatches, "\n".join(mismatches)


def test_the_world_has_an_object_for_every_path_the_table_uses(world: World) -> None:
    for name, row in POLICY.items():
        for value in row.kwargs.values():
            assert world.resolve(value) is not None, f"{name}: {value} resolves to nothing"
