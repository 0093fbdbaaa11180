from django.tasks import task

from .forms import OutboxPasswordResetForm


@task
def send_password_reset(email: str) -> None:
    """Look the address up and write the reset mail for each active account that has it.
    The request only queues this, so it does the same work for a known and an unknown address."""
    form = OutboxPasswordResetForm({"email": email})
    if form.is_valid():
        form.save()
