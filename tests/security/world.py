"""The objects the policy test requests URLs about (see tests/security/policy.py).

One user per role and a realistic set of objects; add an attribute here when your URL needs
an object that is not there yet."""

from dataclasses import dataclass, field
from types import SimpleNamespace

from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from complaints.attachments import UploadedFile
from complaints.models import Channel, Complaint
from intake.notifications import announce_pending
from intake.registration import register_complaint
from outbox.models import OutboxMessage
from privacy.models import DataSubjectRequest, RequestKind
from privacy.services import register_request
from quality.models import Category, RootCause
from quality.services import open_action
from tests.conftest import details, make_user
from tests.correspondence.world import add_correspondence

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


@dataclass
class World:
    users: dict[str, User]
    objects: SimpleNamespace = field(default_factory=SimpleNamespace)

    def user_for(self, role: str) -> User | None:
        return self.users.get(role)

    def resolve(self, value: object) -> object:
        """ "complaint.reference" -> the world's complaint's reference; other values as they are."""
        if not isinstance(value, str) or "." not in value:
            return value
        head, *path = value.split(".")
        result: object = getattr(self.objects, head)
        for part in path:
            result = getattr(result, part)
        return result


def build_world() -> World:
    # One user per role; "anonymous" has none (World.user_for gives None).
    users: dict[str, User] = {
        "no_role": make_user("otto"),
        "kwaliteitsmanager": make_user("karin", Role.QUALITY_MANAGER),
        "backoffice": make_user("bart", Role.BACK_OFFICE),
        "verantwoordelijke": make_user("dirk", Role.RESPONSIBLE),
        "privacy": make_user("priya", Role.PRIVACY_OFFICER, is_staff=True),
        "management": make_user("mona", Role.MANAGEMENT),
        # Every role and staff rights, but deactivated: must get what an anonymous visitor gets.
        "deactivated": make_user("dora", *Role, is_staff=True, is_active=False),
    }
    complaint, _ = register_complaint(
        channel=Channel.PHONE,
        received_at=timezone.now(),
        by=users["backoffice"],
        details=details(files=(UploadedFile(name="foto.png", content=PNG, content_type="image/png"),)),
    )
    # The notice to the quality inbox, as the worker writes it after commit.
    announce_pending()
    Complaint.objects.filter(pk=complaint.pk).update(assigned_to=users["verantwoordelijke"], assigned_at=timezone.now())
    complaint.refresh_from_db()
    world = World(users=users)
    world.objects.complaint = complaint
    world.objects.attachment = complaint.attachments.get()
    world.objects.outbox_message = OutboxMessage.objects.filter(complaint=complaint).first()
    world.objects.user = users["backoffice"]
    world.objects.data_request = register_request(
        kind=RequestKind.ACCESS, received_at=timezone.now(), by=users["privacy"], requester_email="jan@example.nl"
    )
    world.objects.category, _ = Category.objects.get_or_create(parent=None, name="communicatie")
    world.objects.root_cause, _ = RootCause.objects.get_or_create(name="onduidelijke informatie")
    world.objects.corrective_action = open_action(
        by=users["kwaliteitsmanager"],
        title="Terugbelafspraken in de agenda",
        owner=users["verantwoordelijke"],
        due=timezone.localdate(),
        complaints=[complaint],
    )
    world.objects.report_export = _made_export(users["kwaliteitsmanager"])
    world.objects.request_export = _made_request_export(users["privacy"], world.objects.data_request, complaint)
    add_correspondence(world)
    return world


def _made_request_export(user: User, dsr: DataSubjectRequest, complaint: Complaint) -> object:
    """The person's data for their access request, asked for by the privacy officer."""
    from privacy.export_jobs import make_request_export, request_export
    from privacy.services import link_complaints

    link_complaints(request=dsr, complaints=[complaint], by=user)
    export = request_export(dsr=dsr, user=user, fmt="json", reason="Inzageverzoek")
    make_request_export(export.pk)
    export.refresh_from_db()
    return export


def _made_export(user: User) -> object:
    """An anonymised list the quality manager asked for and the worker made."""
    from reports import periods
    from reports.export_jobs import make_export, request_export

    export = request_export(user=user, period=periods.year(timezone.localdate().year), fmt="csv")
    make_export(export.pk)
    export.refresh_from_db()
    return export
