"""Demo accounts for every role and a handful of complaints, for development only."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from complaints import services
from complaints.models import Channel, Complaint, Outcome, Subject
from intake.notifications import announce_pending
from intake.registration import ComplaintDetails, register_complaint
from quality.models import Category
from quality.services import classify

DEMO_PASSWORD = "demo"  # noqa: S105 - development accounts only, refused outside DEBUG settings
DEMO_ACCOUNTS = [
    # username, first name, last name, job title, roles, is_staff
    ("kwaliteit", "Karin", "de Kwaliteit", "Kwaliteitsmanager", [Role.QUALITY_MANAGER], False),
    ("backoffice", "Bart", "van de Balie", "Baliemedewerker", [Role.BACK_OFFICE], False),
    ("directie", "Dirk", "Directeur", "Directielid", [Role.RESPONSIBLE], False),
    ("operations", "Olga", "Operations", "Operationeel manager", [Role.RESPONSIBLE], False),
    ("privacy", "Priya", "Privacy", "Privacy officer / beheerder", [Role.PRIVACY_OFFICER], True),
]

DEMO_COMPLAINTS = [
    (
        Channel.WEB,
        1,
        "Jan Jansen",
        "Jansen Installatietechniek",
        "jan@example.nl",
        "",
        "06 12345678",
        "Planning",
        Subject.SERVICE,
        "De monteur kwam twee keer niet opdagen op de afgesproken dag.",
    ),
    (
        Channel.PHONE,
        3,
        "Fatima El Amrani",
        "",
        "",
        "",
        "020 1234567",
        "Klantenservice",
        Subject.WORKING_METHOD,
        "Ik werd drie keer doorverbonden en niemand kon mij helpen.",
    ),
    (
        Channel.LETTER,
        8,
        "Pieter de Vries",
        "De Vries B.V.",
        "",
        "Dorpsstraat 12\n1234 AB Ergens",
        "",
        "Facturatie",
        Subject.SERVICE,
        "De factuur van september klopt niet: er zijn uren dubbel gerekend.",
    ),
    (
        Channel.WEB,
        12,
        "Anouk Bakker",
        "",
        "anouk@example.nl",
        "",
        "",
        "",
        Subject.WORKING_METHOD,
        "Ik heb nooit een reactie gekregen op mijn e-mail van vorige maand.",
    ),
]


class Command(BaseCommand):
    help = "Create the demo accounts (password 'demo') and some demo complaints. Development only."

    def handle(self, *args: object, **options: object) -> None:
        if not getattr(settings, "DEMO_ACCOUNTS_ALLOWED", False):
            raise CommandError("Demo accounts are only allowed under the development settings.")
        with transaction.atomic():
            users = self._accounts()
            if not Complaint.objects.exists():
                self._complaints(users)
        self.stdout.write("Demo accounts (password 'demo'), log in at http://127.0.0.1:8000/accounts/login/:")
        for username, _first, _last, title, roles, _staff in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<11} {title} ({', '.join(str(r.label) for r in roles)})")

    def _accounts(self) -> dict[str, User]:
        users = {}
        for username, first, last, title, roles, is_staff in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "job_title": title,
                    "email": f"{username}@supportoplus.nl",
                    "is_staff": is_staff,
                    "is_superuser": is_staff,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            user.groups.add(*Group.objects.filter(name__in=roles))
            users[username] = user
        return users

    def _complaints(self, users: dict[str, User]) -> None:
        now = timezone.now()
        complaints = []
        for channel, days_ago, name, company, email, address, phone, about, subject, text in DEMO_COMPLAINTS:
            received_at = now - timedelta(days=days_ago)
            by = None if channel == Channel.WEB else users["backoffice"]
            complaint, _created = register_complaint(
                channel=channel,
                received_at=received_at,
                by=by,
                details=ComplaintDetails(
                    name=name,
                    company=company,
                    complaint_date=timezone.localdate(received_at),
                    about=about,
                    email=email,
                    postal_address=address,
                    phone=phone,
                    description=text,
                    subject=subject,
                ),
            )
            complaints.append(complaint)
        # The notices to the quality inbox now, not when a worker first runs.
        announce_pending()
        self._walk_through_the_procedure(users, *complaints)

    def _walk_through_the_procedure(
        self, users: dict[str, User], new: Complaint, called: Complaint, closed: Complaint, waiting: Complaint
    ) -> None:
        """Take the demo complaints to different steps, through the same services as the back office.
        The last one is left as it came in: not acknowledged, not assigned, overdue."""
        quality, director, operations = users["kwaliteit"], users["directie"], users["operations"]
        today = timezone.localdate()

        # Acknowledged and handed to the director.
        services.acknowledge(complaint=new, by=quality, at=new.received_at + timedelta(hours=2))
        services.assign(complaint=new, to=director, by=quality)

        # A call with the complainant and two agreements, one already done.
        services.acknowledge(complaint=called, by=quality, at=called.received_at + timedelta(hours=3))
        services.assign(complaint=called, to=operations, by=quality)
        services.log_call(
            complaint=called,
            by=operations,
            at=called.received_at + timedelta(days=1),
            summary="Klaagster gebeld; excuses aangeboden voor het doorverbinden.",
        )
        services.record_discussion(
            complaint=called,
            by=operations,
            summary="Besproken hoe het telefoonmenu werkt en wie haar vaste contactpersoon wordt.",
        )
        first = services.add_agreement(
            complaint=called, by=operations, description="Vaste contactpersoon doorgeven", owner="Olga", due=today
        )
        services.add_agreement(
            complaint=called,
            by=operations,
            description="Terugbellen na aanpassing telefoonmenu",
            owner="Klantenservice",
            due=today + timedelta(days=7),
        )
        services.complete_agreement(agreement=first, by=operations)

        # Handled all the way: conversation, agreement done, confirmed, classified and closed.
        services.acknowledge(complaint=closed, by=quality, at=closed.received_at + timedelta(days=1))
        services.assign(complaint=closed, to=director, by=quality)
        services.log_call(
            complaint=closed,
            by=director,
            at=closed.received_at + timedelta(days=2),
            summary="Factuur samen doorgenomen; dubbel gerekende uren bevestigd.",
        )
        agreement = services.add_agreement(
            complaint=closed, by=director, description="Creditnota sturen", owner="Administratie", due=today
        )
        services.complete_agreement(agreement=agreement, by=director)
        services.mark_confirmation_sent(complaint=closed, by=director)
        category = Category.objects.filter(name="facturatie").first()
        if category is not None:
            classify(complaint=closed, by=director, category=category)
        services.close(
            complaint=closed,
            by=director,
            outcome=Outcome.WELL_FOUNDED,
            resolution="Creditnota gestuurd voor de dubbel gerekende uren.",
            complainant_agrees=True,
        )
