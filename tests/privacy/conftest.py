import pytest
from django.utils import timezone

from accounts.models import User
from complaints.attachments import UploadedFile
from complaints.models import Complaint, Status
from tests.conftest import ComplaintFactory

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def hand_over(complaint: Complaint, to: User) -> Complaint:
    Complaint.objects.filter(pk=complaint.pk).update(
        assigned_to=to, assigned_at=timezone.now(), status=Status.IN_PROGRESS
    )
    complaint.refresh_from_db()
    return complaint


def close(complaint: Complaint, *, at: object = None) -> Complaint:
    Complaint.objects.filter(pk=complaint.pk).update(
        status=Status.CLOSED, closed_at=at or timezone.now(), outcome="well_founded", resolution="Excuses aangeboden."
    )
    complaint.refresh_from_db()
    return complaint


@pytest.fixture
def phoned_in(make_complaint: ComplaintFactory, back_office: User) -> Complaint:
    """A complaint the back office registered from a call, with a picture attached."""
    return make_complaint(
        by=back_office, files=(UploadedFile(name="foto-jansen.png", content=PNG, content_type="image/png"),)
    )


@pytest.fixture
def own_storage(settings: object, tmp_path: object) -> object:
    """A storage directory of this test's own, so "nothing left" looks at this test's files only."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    settings.STORAGES = {  # type: ignore[attr-defined]
        **settings.STORAGES,  # type: ignore[attr-defined]
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    return tmp_path
