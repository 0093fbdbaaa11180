from django.tasks import task

from . import notifications


@task
def announce_complaint(complaint_pk: int) -> None:
    notifications.announce(complaint_pk)
