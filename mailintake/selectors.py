"""What other parts ask of the mail intake."""

from complaints.models import Complaint

from .models import InboundMessage, Outcome


def may_answer_automatically(complaint: Complaint) -> bool:
    """False when the complaint came from mail a machine wrote: an automatic acknowledgement
    (or any other automatic mail to the sender) would start a mail loop."""
    return not InboundMessage.objects.filter(
        complaint=complaint, outcome=Outcome.COMPLAINT, auto_generated=True
    ).exists()
