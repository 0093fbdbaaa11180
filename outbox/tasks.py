from django.tasks import task

from . import services


@task
def deliver_message(message_pk: int) -> None:
    services.deliver(message_pk=message_pk)
