from django.tasks import task

from . import export_jobs


@task
def make_export_task(pk: int) -> None:
    export_jobs.make_export(pk)
