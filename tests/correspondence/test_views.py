"""The back office: open a draft from the complaint page, review, preview, send; edit templates."""

import pytest

from correspondence.models import Letter, LetterKind, LetterStatus, LetterTemplate
from tests.correspondence.conftest import pdf_text

pytestmark = pytest.mark.django_db


def detail(complaint):
    return f"/backoffice/klachten/{complaint.reference}/"


def test_the_complaint_page_offers_the_acknowledgement_while_it_is_due(client, make_complaint, quality_manager):
    complaint = make_complaint()
    client.force_login(quality_manager)
    page = client.get(detail(complaint)).content.decode()
    assert 'value="acknowledgement"' in page
    assert "Opstellen: ontvangstbevestiging" in page
    assert 'value="confirmation"' not in page


def test_review_preview_and_send_from_the_back_office(
    client, make_complaint, quality_manager, django_capture_on_commit_callbacks
):
    complaint = make_complaint()
    client.force_login(quality_manager)
    response = client.post(f"{detail(complaint)}brieven/nieuw/", {"kind": "acknowledgement"})
    letter = Letter.objects.get(complaint=complaint)
    assert response.url == f"{detail(complaint)}brieven/{letter.pk}/"
    edit = client.get(response.url).content.decode()
    assert "Geachte Jan Jansen," in edit
    body = letter.body.replace("Geachte Jan Jansen,", "Beste meneer Jansen,")
    preview = client.post(
        f"{detail(complaint)}brieven/{letter.pk}/voorbeeld/", {"subject": letter.subject, "body": body}
    )
    assert preview["Content-Type"] == "application/pdf"
    text = pdf_text(preview.content)
    assert "Beste meneer Jansen," in text and "CONCEPT" in text
    letter.refresh_from_db()
    assert "Geachte Jan Jansen," in letter.body  # a preview saves nothing
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            f"{detail(complaint)}brieven/{letter.pk}/verzenden/", {"subject": letter.subject, "body": body}
        )
    assert sent.status_code == 302
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT
    assert "Beste meneer Jansen," in letter.body
    assert "CONCEPT" not in pdf_text(letter.pdf.open("rb").read())
    page = client.get(detail(complaint)).content.decode()
    assert 'value="acknowledgement"' not in page
    assert f"brieven/{letter.pk}/pdf/" in page


def test_sending_with_an_empty_text_is_refused_and_nothing_goes_out(client, make_complaint, quality_manager):
    complaint = make_complaint()
    client.force_login(quality_manager)
    client.post(f"{detail(complaint)}brieven/nieuw/", {"kind": "acknowledgement"})
    letter = Letter.objects.get(complaint=complaint)
    response = client.post(f"{detail(complaint)}brieven/{letter.pk}/verzenden/", {"subject": "x", "body": " "})
    assert response.status_code == 400
    letter.refresh_from_db()
    assert letter.status == LetterStatus.DRAFT


def test_a_responsible_person_cannot_send_the_acknowledgement(client, make_complaint, director, quality_manager):
    from complaints.services import assign

    complaint = make_complaint()
    assign(complaint=complaint, to=director, by=quality_manager)
    client.force_login(director)
    page = client.get(detail(complaint)).content.decode()
    assert 'value="acknowledgement"' not in page
    client.post(f"{detail(complaint)}brieven/nieuw/", {"kind": "acknowledgement"})
    assert not Letter.objects.filter(complaint=complaint).exists()


def test_someone_elses_complaint_is_404(client, make_complaint, director):
    complaint = make_complaint()
    client.force_login(director)
    assert client.post(f"{detail(complaint)}brieven/nieuw/", {"kind": "acknowledgement"}).status_code == 404


def test_the_quality_manager_edits_a_template_and_previews_it_on_a_real_complaint(
    client, make_complaint, quality_manager
):
    complaint = make_complaint(name="Piet {referentie} Puk")
    client.force_login(quality_manager)
    url = "/backoffice/briefsjablonen/acknowledgement/"
    assert client.get("/backoffice/briefsjablonen/").status_code == 200
    assert "{afhandeling_uiterlijk}" in client.get(url).content.decode()
    preview = client.post(
        url,
        {
            "subject": "Bevestiging {referentie}",
            "body": "Beste {naam},\n\nTot {afhandeling_uiterlijk}.",
            "reference": complaint.reference,
            "action": "preview",
        },
    )
    assert preview["Content-Type"] == "application/pdf"
    text = pdf_text(preview.content)
    assert f"Bevestiging {complaint.reference}" in text
    assert "Beste Piet {referentie} Puk," in text  # the value is inserted once, never parsed again
    template = LetterTemplate.objects.get(kind="acknowledgement")
    assert "Beste {naam}" not in template.body  # previewing saved nothing
    saved = client.post(url, {"subject": "Bevestiging", "body": "Beste {naam},", "action": "save"})
    assert saved.status_code == 302
    template.refresh_from_db()
    assert template.body == "Beste {naam}," and template.updated_by == quality_manager


def test_an_unknown_placeholder_or_template_syntax_is_refused(client, quality_manager):
    client.force_login(quality_manager)
    response = client.post(
        "/backoffice/briefsjablonen/closing/", {"subject": "x", "body": "Beste {naam} {wachtwoord}", "action": "save"}
    )
    assert response.status_code == 400
    assert "{wachtwoord}" in response.content.decode()


def test_django_template_syntax_in_a_template_is_printed_not_run(client, make_complaint, quality_manager):
    complaint = make_complaint()
    client.force_login(quality_manager)
    body = "{% load static %}{{ settings.SECRET_KEY }} {{ naam }} {naam}"
    preview = client.post(
        "/backoffice/briefsjablonen/acknowledgement/",
        {"subject": "x", "body": body, "reference": complaint.reference, "action": "preview"},
    )
    assert "{% load static %}{{ settings.SECRET_KEY }} {{ naam }} Jan Jansen" in pdf_text(preview.content)


def test_only_the_quality_manager_edits_templates(client, director):
    client.force_login(director)
    assert client.get("/backoffice/briefsjablonen/").status_code == 403


def test_the_seeded_templates_exist_for_every_kind(db):
    assert set(LetterTemplate.objects.values_list("kind", flat=True)) == set(LetterKind.values)


def test_the_back_office_sees_the_letters_but_no_links_it_cannot_open(
    client, make_complaint, back_office, quality_manager, send
):
    complaint = make_complaint(by=back_office)
    letter = send(complaint, LetterKind.ACKNOWLEDGEMENT, quality_manager)
    client.force_login(back_office)
    page = client.get(detail(complaint)).content.decode()
    assert "Ontvangstbevestiging" in page
    assert f"brieven/{letter.pk}/" not in page
    assert client.get(f"{detail(complaint)}brieven/{letter.pk}/pdf/").status_code == 403
