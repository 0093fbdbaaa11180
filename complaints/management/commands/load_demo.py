"""Demo accounts for every role and a handful of complaints, for development only."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from complaints.models import Channel, Complaint, Subject
from complaints.services import ComplaintDetails, register_complaint

DEMO_PASSWORD = "demo"
DEMO_ACCOUNTS = [
    # username, first name, last name, job title, roles, is_staff
    ("kwaliteit", "Karin", "de Kwaliteit", "Kwaliteitsmanager", [Role.QUALITY_MANAGER], False),
    ("backoffice", "Bart", "van de Balie", "Baliemedewerker", [Role.BACK_OFFICE], False),
    ("directie", "Dirk", "Directeur", "Directielid", [Role.RESPONSIBLE], False),
    ("operations", "Olga", "Operations", "Operationeel manager", [Role.RESPONSIBLE], False),
    ("privacy", "Priya", "Privacy", "Privacy officer / beheerder", [Role.PRIVACY_OFFICER], True),
]

DEMO_COMPLAINTS = [
    (Channel.WEB, 1, "Jan Jansen", "Jansen Installatietechniek", "jan@example.nl", "", "06 12345678",
     "Planning", Subject.SERVICE, "De monteur kwam twee keer niet opdagen op de afgesproken dag."),
    (Channel.PHONE, 3, "Fatima El Amrani", "", "", "", "020 1234567",
     "Klantenservice", Subject.WORKING_METHOD, "Ik werd drie keer doorverbonden en niemand kon mij helpen."),
    (Channel.LETTER, 8, "Pieter de Vries", "De Vries B.V.", "", "Dorpsstraat 12\n1234 AB Ergens", "",
     "Facturatie", Subject.SERVICE, "De factuur van september klopt niet: er zijn uren dubbel gerekend."),
    (Channel.WEB, 12, "Anouk Bakker", "", "anouk@example.nl", "", "",
     "", Subject.WORKING_METHOD, "Ik heb nooit een reactie gekregen op mijn e-mail van vorige maand."),
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
        for username, first, last, title, roles, _staff in DEMO_ACCOUNTS:
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
        for channel, days_ago, name, company, email, address, phone, about, subject, text in DEMO_COMPLAINTS:
            received_at = now - timedelta(days=days_ago)
            by = None if channel == Channel.WEB else users["backoffice"]
            register_complaint(
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
