"""The annual complaints report of the hand-counted year 2025 (tests/reports/conftest.py): the
figures, the suppression of small numbers, the page, the PDF and its publication."""

import io

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import User
from complaints.models import Complaint
from organisation.selectors import get_organisation
from quality.models import ActionStatus, CorrectiveAction, Effectiveness
from reports.annual import annual_report, published, share, shown
from tests.reports.conftest import NOW, ROWS, at
from tests.support.pdf import assert_archival_and_tagged

pytestmark = pytest.mark.django_db


def rows_of(year: int) -> dict[str, dict[str, list[object]]]:
    with time_machine.travel(NOW, tick=False):
        report = annual_report(year)
    return {table.key: {str(row[0]): row[1:] for row in table.rows} for table in report.tables}


def counted_by_hand(column: int) -> dict[object, int]:
    counts: dict[object, int] = {}
    for name, row in ROWS.items():
        if name.startswith("C"):
            counts[row[column]] = counts.get(row[column], 0) + 1
    return counts


def test_small_numbers_are_never_shown() -> None:
    assert [shown(n) for n in (0, 1, 4, 5, 12)] == [0, "< 5", "< 5", 5, 12]
    assert share(3, 4) is None and share(4, 5) == 80.0


def test_a_hidden_number_cannot_be_worked_out_from_the_total() -> None:
    # 9 + "< 5" = 11 would give away the 2: the 9 is hidden too.
    assert published([9, 2]) == ["×", "< 5"]
    # The smallest of the others goes, so the table tells as much as it safely can.
    assert published([20, 7, 3, 0]) == [20, "×", "< 5", 0]
    # Two hidden numbers: their sum is known, each of them is not.
    assert published([9, 2, 1]) == [9, "< 5", "< 5"]
    assert published([6, 5]) == [6, 5]


def test_the_report_of_a_year_equals_the_hand_count_with_small_numbers_suppressed(
    year_of_complaints: dict[str, Complaint],
) -> None:
    tables = rows_of(2025)
    channels = counted_by_hand(1)  # web 7, phone 2, letter 1, e-mail 1
    assert tables["channel"] == {
        "webformulier": [shown(channels["web"])],
        "telefoon": [shown(channels["phone"])],
        "brief": [shown(channels["letter"])],
        "e-mail": [shown(channels["email"])],
    }
    assert tables["channel"]["webformulier"] == [7] and tables["channel"]["telefoon"] == ["< 5"]
    # Service 9, working method 2, of 11 received: the 9 is hidden so the 2 cannot be worked out.
    assert tables["subject"] == {"dienstverlening": ["×"], "werkwijze": ["< 5"]}
    # Categories in the order of their names, not of their counts.
    assert list(tables["category"]) == sorted(tables["category"])
    outcomes = counted_by_hand(7)
    assert tables["outcome"]["gegrond"] == [shown(outcomes["well_founded"])] == ["< 5"]
    assert tables["outcome"]["nog in behandeling"] == [shown(outcomes[""])]
    # Deadlines (hand count in test_figures): acknowledged 8 of 11 on time; contact 6 of 10; resolved 5 of 8.
    deadlines = tables["deadlines"]
    assert deadlines["Ontvangst bevestigd binnen de termijn"][:3] == [8, 11, 72.7]
    assert deadlines["Contact opgenomen binnen de termijn"][:3] == [6, 10, 60.0]
    assert deadlines["Afgehandeld binnen de termijn"][:3] == [5, 8, 62.5]
    # Lead time to closing: median 24 days, 90% within 39 (test_figures).
    assert deadlines["Afgehandeld binnen de termijn"][3:] == [24.0, 39.0]
    # One extension (C5): shown as fewer than five, by its category.
    assert tables["extensions"] == {"alle klachten": ["< 5"], "kwaliteit van het werk": ["< 5"]}
    # Four questionnaires sent, three answered: too few for a rate or an average.
    satisfaction = tables["satisfaction"]
    assert satisfaction["vragenlijsten verstuurd"] == [4]
    assert satisfaction["beantwoord"] == ["< 5"]
    assert satisfaction["respons (%)"] == [None] and satisfaction["gemiddelde score (1 tot 5)"] == [None]


def test_the_report_counts_the_corrective_actions_of_the_year_and_their_effect(
    year_of_complaints: dict[str, Complaint], quality_manager: User
) -> None:
    results = [*[Effectiveness.EFFECTIVE] * 5, "", Effectiveness.NOT_EFFECTIVE]
    for n, result in enumerate(results):
        action = CorrectiveAction.objects.create(title=f"Maatregel {n}", owner=quality_manager, due=at(2025, 12, 1))
        CorrectiveAction.objects.filter(pk=action.pk).update(
            status=ActionStatus.DONE, done_at=at(2025, 6, 1), created_at=at(2025, 3, 1), check_result=result
        )
    actions = rows_of(2025)["actions"]
    assert actions["geopend in het jaar"] == [7] and actions["uitgevoerd in het jaar"] == [7]
    assert actions["effectief: de klachten zijn opgehouden"] == [5]
    assert actions["deels effectief"] == [0]
    assert actions["niet effectief"] == ["< 5"]
    assert actions["uitgevoerd, effect nog niet bekeken"] == ["< 5"]


def test_the_report_holds_no_name_and_no_text_anyone_wrote(
    year_of_complaints: dict[str, Complaint], client: Client, quality_manager: User
) -> None:
    client.force_login(quality_manager)
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("reports:annual", args=[2025])).content.decode()
    assert "Jaarverslag klachten 2025" in page
    for private in ("@example.nl", "Jan Jansen", "De monteur", "Wachten op de leverancier"):
        assert private not in page, private


def test_the_pdf_is_tagged_and_holds_the_same_figures(
    year_of_complaints: dict[str, Complaint], client: Client, quality_manager: User
) -> None:
    client.force_login(quality_manager)
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("reports:annual_pdf", args=[2025]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="jaarverslag-klachten-2025.pdf"' in response["Content-Disposition"]
    assert_archival_and_tagged(response.content, title="Jaarverslag klachten 2025 – " + get_organisation().name)
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Klachten per kanaal" in text and "< 5" in text


def test_the_public_sees_finished_years_only_and_only_when_published(
    year_of_complaints: dict[str, Complaint], client: Client
) -> None:
    with time_machine.travel(NOW, tick=False):
        assert client.get(reverse("annual_report:year", args=[2025])).status_code == 404
        organisation = get_organisation()
        organisation.publish_annual_report = True
        organisation.save()
        assert client.get(reverse("annual_report:latest")).status_code == 200
        page = client.get(reverse("annual_report:year", args=[2025])).content.decode()
        assert "Jaarverslag klachten 2025" in page and "Klachten per kanaal" in page
        assert client.get(reverse("annual_report:pdf", args=[2025])).status_code == 200
        # The running year is not published: its figures are not final.
        assert client.get(reverse("annual_report:year", args=[2026])).status_code == 404
        assert client.get(reverse("annual_report:year", args=[1999])).status_code == 404


def test_only_the_readers_of_reports_open_it_in_the_back_office(
    year_of_complaints: dict[str, Complaint], client: Client, back_office: User
) -> None:
    client.force_login(back_office)
    with time_machine.travel(NOW, tick=False):
        assert client.get(reverse("reports:annual", args=[2025])).status_code in (403, 404)


def test_a_visitor_cannot_keep_the_server_busy_rendering_the_pdf(
    year_of_complaints: dict[str, Complaint], client: Client, settings: object
) -> None:
    settings.THROTTLES = {**settings.THROTTLES, "annual_report_pdf": {"limit": 2, "window": 3600}}  # type: ignore[attr-defined]
    organisation = get_organisation()
    organisation.publish_annual_report = True
    organisation.save()
    url = reverse("annual_report:pdf", args=[2025])
    with time_machine.travel(NOW, tick=False):
        answers = [client.get(url).status_code for _ in range(3)]
    assert answers == [200, 200, 429]


def test_a_published_report_is_linked_from_every_public_page(client: Client, db: None) -> None:
    assert "/jaarverslag/" not in client.get("/klacht/").content.decode()
    organisation = get_organisation()
    organisation.publish_annual_report = True
    organisation.save()
    assert 'href="/jaarverslag/"' in client.get("/klacht/").content.decode()
    # No finished year yet: the link says so instead of leading nowhere.
    page = client.get(reverse("annual_report:latest"))
    assert page.status_code == 200
    assert "Het eerste verslag staat hier zodra het eerste jaar met klachten voorbij is." in page.content.decode()
