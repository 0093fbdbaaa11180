"""Shared personas and factories. Every test that needs a user picks one of these."""

from collections.abc import Callable
from datetime import date, datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from complaints.attachments import UploadedFile
from complaints.models import Channel, Complaint, Subject
from intake.registration import ComplaintDetails, register_complaint

pytest_plugins = ["tests.support.smtp", "tests.support.browser", "tests.support.imap"]

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate-limit counters live in the cache; each test starts with none."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


def make_user(username: str, *roles: Role, first_name: str = "", last_name: str = "", **extra: object) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        first_name=first_name or username.capitalize(),
        last_name=last_name,
        email=f"{username}@supportoplus.nl",
        **extra,
    )
    # get_or_create: a transactional test before this one may have flushed the migrated groups.
    user.groups.add(*(Group.objects.get_or_create(name=role)[0] for role in roles))
    return user


@pytest.fixture
def quality_manager(db: None) -> User:
    return make_user("karin", Role.QUALITY_MANAGER, last_name="Kwaliteit", job_title="Kwaliteitsmanager")


@pytest.fixture
def back_office(db: None) -> User:
    return make_user("bart", Role.BACK_OFFICE, last_name="Balie", job_title="Baliemedewerker")


@pytest.fixture
def director(db: None) -> User:
    return make_user("dirk", Role.RESPONSIBLE, last_name="Directeur", job_title="Directielid")


@pytest.fixture
def operations_manager(db: None) -> User:
    return make_user("olga", Role.RESPONSIBLE, last_name="Operations", job_title="Operationeel manager")


@pytest.fixture
def privacy_officer(db: None) -> User:
    return make_user("priya", Role.PRIVACY_OFFICER, last_name="Privacy", is_staff=True)


@pytest.fixture
def outsider(db: None) -> User:
    """Logged in, but with no role at all."""
    return make_user("otto")


def details(**overrides: object) -> ComplaintDetails:
    values: dict[str, object] = {
        "name": "Jan Jansen",
        "company": "Jansen B.V.",
        "complaint_date": date(2026, 3, 2),
        "about": "Planning",
        "email": "jan@example.nl",
        "phone": "06 12345678",
        "description": "De monteur kwam niet opdagen.",
        "subject": Subject.SERVICE,
    }
    values.update(overrides)
    return ComplaintDetails(**values)  # type: ignore[arg-type]


ComplaintFactory = Callable[..., Complaint]


@pytest.fixture
def make_complaint(db: None) -> ComplaintFactory:
    """Register a complaint through the real service; keyword arguments override the details."""

    def factory(
        *,
        channel: Channel = Channel.WEB,
        received_at: datetime | None = None,
        by: User | None = None,
        files: tuple[UploadedFile, ...] = (),
        **detail_overrides: object,
    ) -> Complaint:
        complaint, _ = register_complaint(
            channel=channel,
            received_at=received_at or timezone.now(),
            by=by,
            details=details(files=files, **detail_overrides),
        )
        return complaint

    return factory
