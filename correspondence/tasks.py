from django.tasks import task

from . import services


@task
def send_fresh_status_link(reference: str, email: str) -> None:
    """The complainant's request for a new link, looked up in the worker: the request does the
    same work whether or not reference and address match, so its timing tells nothing."""
    services.request_fresh_status_link(reference=reference, email=email)
