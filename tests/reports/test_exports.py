"""The anonymised list of complaints as background work: asked for once, made by the worker with
its progress shown, downloaded only by who asked (and logged), removed after a while."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from lib.exports import ExportStatus
from privacy.models import AccessAction, AccessLog
from reports import export_jobs, exports
from reports.models import ReportExport
from tests.conftest import make_user
from tests.reports.conftest import NOW

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ask(client: Client, fmt: str = "xlsx", query: str = "p=2025"):
    return client.post(f"{reverse('reports:complaints_export', args=[fmt])}?{query}")


def test_asking_twice_makes_one_export_and_the_worker_reports_its_progress(
    quality_manager, year_of_complaints, django_capture_on_commit_callbacks
) -> None:
    client = client_for(quality_manager)
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=False) as queued:
            first, second = ask(client), ask(client)
        assert first["Location"] == second["Location"]
        export = ReportExport.objects.get()
        assert len(queued) == 1
        page = client.get(first["Location"]).content.decode()
        assert "Wacht op de start" in page and "<progress" in page and "data-progress-url" in page
        progress = client.get(reverse("reports:export_progress", args=[export.pk])).json()
        assert progress == {
            "status": "queued",
            "status_label": "Wacht op de start",
            "rows_done": 0,
            "rows_total": None,
            "percent": 0,
        }
        queued[0]()  # the worker
    export.refresh_from_db()
    assert (export.status, export.rows_total, export.rows_done) == (ExportStatus.DONE, 11, 11)
    page = client.get(first["Location"]).content.decode()
    assert "De export is klaar: 11 klachten." in page
    assert "klachten-geanonimiseerd-2025.xlsx" in page
    response = client.get(reverse("reports:export_download", args=[export.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="klachten-geanonimiseerd-2025.xlsx"'
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet.max_row == 12
    log = AccessLog.objects.get(action=AccessAction.REPORT_EXPORT)
    assert (log.user, log.complaint, log.detail) == (quality_manager, None, f"export {export.pk}")
    # Ready: asking again offers the same file rather than making it again.
    assert ask(client)["Location"] == first["Location"]


def test_only_who_asked_sees_or_downloads_it(
    quality_manager, year_of_complaints, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True), time_machine.travel(NOW, tick=False):
        ask(client_for(quality_manager))
    export = ReportExport.objects.get()
    other = client_for(make_user("mona", Role.MANAGEMENT))
    for name in ("export_detail", "export_progress", "export_download"):
        assert other.get(reverse(f"reports:{name}", args=[export.pk])).status_code == 404
    assert client_for(quality_manager).get(reverse("reports:complaints_export", args=["xlsx"])).status_code == 405


def test_a_failed_export_says_so(
    quality_manager, year_of_complaints, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    def broken(period):
        raise OSError("disk full")
        yield

    monkeypatch.setattr(exports, "complaint_rows", broken)
    client = client_for(quality_manager)
    with django_capture_on_commit_callbacks(execute=True), time_machine.travel(NOW, tick=False):
        asked = ask(client, "csv")
    export = ReportExport.objects.get()
    assert export.status == ExportStatus.FAILED and not export.file
    assert "De export kon niet worden gemaakt." in client.get(asked["Location"]).content.decode()
    assert client.get(reverse("reports:export_download", args=[export.pk])).status_code == 404
    # A failed one does not block asking again.
    with django_capture_on_commit_callbacks(execute=False), time_machine.travel(NOW, tick=False):
        assert ask(client, "csv")["Location"] != asked["Location"]


def test_exports_are_removed_after_the_keeping_time(
    quality_manager, year_of_complaints, django_capture_on_commit_callbacks, settings
) -> None:
    with django_capture_on_commit_callbacks(execute=True), time_machine.travel(NOW, tick=False):
        ask(client_for(quality_manager), "csv")
    export = ReportExport.objects.get()
    storage, name = export.file.storage, str(export.file.name)
    assert storage.exists(name)
    with time_machine.travel(NOW + timedelta(hours=settings.EXPORT_KEEP_HOURS - 1)):
        assert export_jobs.purge_expired_exports() == 0
    with time_machine.travel(NOW + timedelta(hours=settings.EXPORT_KEEP_HOURS + 1)):
        assert export_jobs.purge_expired_exports() == 1
    assert not ReportExport.objects.exists() and not storage.exists(name)
