"""Two workers reading the same mailbox at once still process every message exactly once."""

import threading

import pytest
import time_machine
from django.db import connection, connections

from complaints.models import Complaint
from mailintake.jobs import fetch_mail
from mailintake.models import InboundMessage
from tests.support.imap import ImapServer

from . import messages


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a database that takes concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_create_each_complaint_once(imap_server: ImapServer) -> None:
    for number in range(40):
        imap_server.append(messages.plain(subject=f"Klacht {number}").as_bytes())
    errors: list[BaseException] = []
    results: list[object] = []
    start = threading.Barrier(2)

    def worker() -> None:
        try:
            start.wait()
            results.append(fetch_mail())
        except BaseException as error:  # reported below, in the test's own thread
            errors.append(error)
        finally:
            connections.close_all()

    # One travel for both threads: time_machine patches the clock process-wide, so a travel
    # entered and left in each thread would move the other thread's clock as well.
    with time_machine.travel("2026-03-04 12:00 +01:00", tick=True):
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert errors == []
    # One worker reads the mailbox; the other finds it claimed (or, if it came late, nothing left).
    assert {"complaint": 40} in results
    assert [result for result in results if result != {"complaint": 40}] in (["busy"], [{}])
    assert Complaint.objects.count() == 40
    assert InboundMessage.objects.filter(outcome="complaint").count() == 40
    assert imap_server.count("Verwerkt") == 40
    assert imap_server.count("INBOX") == 0
