import uuid

from django.utils import timezone


def form_data(**overrides: object) -> dict[str, object]:
    """A valid public complaint form post; keyword arguments change or add fields."""
    data: dict[str, object] = {
        "submission_key": str(uuid.uuid4()),
        "name": "Jan Jansen",
        "company": "Jansen Installatietechniek",
        "complaint_date": timezone.localdate().isoformat(),
        "about": "Planning",
        "email": "jan@example.nl",
        "postal_address": "",
        "phone": "",
        "subject": "service",
        "description": "De monteur kwam twee keer niet opdagen.",
        "desired_outcome": "",
    }
    data.update(overrides)
    return data
