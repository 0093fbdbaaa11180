"""The crawl: every URL pattern of the resolver and every page of the Django admin, as every role,
an anonymous visitor and a deactivated user. Each answers what the policy table says and never 5xx;
every form on a page is then submitted empty once, and must answer with a validation error (or,
for a form without required fields, at least not crash).

A new URL pattern without a row in tests/security/policy.py fails tests/security/test_policy.py;
a new admin model is crawled here without further ado."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib import admin
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.security.policy import FORBIDDEN, LOGIN, NAMESPACE_POLICY, POLICY, ROLES, Answer, Row
from tests.security.test_policy import describe
from tests.security.world import World, build_world

# The anonymous visitor's answer is what a deactivated account must get everywhere.
CRAWL_ROLES = (*ROLES, "deactivated")
# How our templates (includes/field.html, error_summary.html) and the admin show a validation error.
ERROR_MARKS = ('class="errorlist', 'class="error-summary"', 'class="errornote"')
VISIBLE_FIELD_TYPES = {"text", "email", "number", "date", "datetime-local", "time", "file", "tel", "url", "password"}


@dataclass
class FoundForm:
    action: str
    method: str
    # What a person who fills in nothing sends: the hidden inputs and the first submit button.
    data: dict[str, str] = field(default_factory=dict)
    required: bool = False
    button_seen: bool = False


class FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[FoundForm] = []
        self.current: FoundForm | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            method = attributes.get("method", "get").lower()
            self.current = FoundForm(action=attributes.get("action", ""), method=method)
            self.forms.append(self.current)
            return
        form = self.current
        if form is None:
            return
        required = "required" in attributes
        kind = attributes.get("type", "text" if tag == "input" else tag).lower()
        if tag == "input" and kind == "hidden" and attributes.get("name"):
            form.data[attributes["name"]] = attributes.get("value", "")
        elif tag in ("button", "input") and kind == "submit":
            if not form.button_seen and attributes.get("name"):
                form.data[attributes["name"]] = attributes.get("value", "")
            form.button_seen = True
        elif tag in ("textarea", "select") or (tag == "input" and kind in VISIBLE_FIELD_TYPES | {"checkbox", "radio"}):
            form.required = form.required or required

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None


def forms_on(response: Any) -> list[FoundForm]:
    if "text/html" not in response.get("Content-Type", ""):
        return []
    parser = FormParser()
    parser.feed(response.content.decode())
    return parser.forms


def client_as(world: World, role: str) -> Client:
    client = Client()
    user = world.user_for(role)
    if user is not None:
        client.force_login(user)
    return client


def expected(row: Row, role: str) -> Answer:
    return row.anonymous if role == "deactivated" else row.answer_for(role)


def submit_empty(world: World, role: str, page_url: str, form: FoundForm) -> str | None:
    """Submit the form as a person who fills in nothing; a description of what went wrong, or None."""
    target = urljoin(page_url, form.action) if form.action else page_url
    if urlsplit(target).netloc not in ("", "testserver"):
        return None
    client = client_as(world, role)
    response = client.post(target, form.data) if form.method == "post" else client.get(target, form.data)
    label = f"{form.method.upper()} {target} (form on {page_url}) as {role}"
    if response.status_code >= 500:
        return f"{label}: {response.status_code}"
    if form.required and form.method == "post":
        if response.status_code in (301, 302, 303):
            return f"{label}: accepted without its required fields (redirect to {response['Location']})"
        shown = response.content.decode(errors="replace")
        if response.status_code == 200 and not any(mark in shown for mark in ERROR_MARKS):
            return f"{label}: answered 200 without saying what is missing"
    return None


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.mark.parametrize("name", sorted(POLICY))
def test_every_page_answers_by_the_policy_and_its_forms_survive_an_empty_submission(world: World, name: str) -> None:
    row = POLICY[name]
    url = reverse(name, kwargs={k: world.resolve(v) for k, v in row.kwargs.items()}) + row.query
    problems: list[str] = []
    pages: list[tuple[str, Any]] = []
    for role in CRAWL_ROLES:
        response = client_as(world, role).get(url)
        got = describe(response)
        if response.status_code >= 500 or got != expected(row, role):
            problems.append(f"GET {url} as {role}: expected {expected(row, role)}, got {got}")
        elif response.status_code == 200:
            pages.append((role, response))
    # Every GET first: an empty submission may change the world (a logout, a language).
    for role, response in pages:
        for form in forms_on(response):
            problem = submit_empty(world, role, url, form)
            if problem:
                problems.append(problem)
    assert not problems, "\n".join(problems)


def admin_models() -> list[type[Model]]:
    return sorted(admin.site._registry, key=lambda model: model._meta.label)


def admin_pages(model: type[Model]) -> list[str]:
    info = (model._meta.app_label, model._meta.model_name)
    pages = [reverse("admin:{}_{}_changelist".format(*info)), reverse("admin:{}_{}_add".format(*info))]
    instance = model._default_manager.order_by("pk").first()
    if instance is not None:
        pages.append(reverse("admin:{}_{}_change".format(*info), args=[instance.pk]))
        pages.append(reverse("admin:{}_{}_delete".format(*info), args=[instance.pk]))
    return pages


@pytest.mark.parametrize("model", admin_models(), ids=lambda model: model._meta.label)
def test_every_admin_page_answers_every_role_and_never_crashes(world: World, model: type[Model]) -> None:
    admin_row = NAMESPACE_POLICY["admin"][0]
    superuser = User.objects.create_superuser("beheerder", "beheer@example.nl", "not-used-here-1234")
    world.users["superuser"] = superuser
    problems: list[str] = []
    for url in admin_pages(model):
        for role in (*CRAWL_ROLES, "superuser"):
            response = client_as(world, role).get(url)
            got = describe(response)
            if role == "superuser":
                # The add page of a model only the procedure creates is refused (403).
                allowed: tuple[Answer, ...] = (200, FORBIDDEN)
            elif expected(admin_row, role) == LOGIN:
                allowed = (LOGIN,)
            else:
                # Staff without model permissions: the admin's own 403.
                allowed = (FORBIDDEN,)
            if response.status_code >= 500 or got not in allowed:
                problems.append(f"GET {url} as {role}: expected one of {allowed}, got {got}")
            if role == "superuser" and response.status_code == 200 and not url.endswith("/delete/"):
                for form in forms_on(response):
                    if form.method == "post":
                        submitted = client_as(world, role).post(url, form.data)
                        if submitted.status_code >= 500:
                            problems.append(f"empty POST {url} as superuser: {submitted.status_code}")
    assert not problems, "\n".join(problems)
