"""The authorisation policy: for every URL pattern of the project, what each role gets on GET.

HOW TO ADD A URL PATTERN (every named pattern needs a row; tests/security/test_policy.py fails otherwise):

    "app:name": Row(anon, no_role, kwaliteitsmanager, backoffice, verantwoordelijke, privacy, management,
                    kwargs={"reference": "complaint.reference"}),

- The seven answers are in the column order of the header above POLICY, one per role.
  Use OK (200), LOGIN (redirect to a login page), FORBIDDEN (403, a function the role may not use),
  NOT_FOUND (404, an object outside the user's reach), REDIRECT (any other redirect),
  NOT_ALLOWED (405, e.g. POST-only views), TOO_MANY (429), NO_CONTENT (204) or UNAUTHORIZED (401,
  the token-only REST API).
- kwargs: URL arguments as "object.attribute" paths into the test world (tests/security/world.py):
  `complaint` (registered by the back-office persona, assigned to the responsible persona, with an
  `attachment`), `outbox_message`, `user` (the back-office persona) and whatever you add there.
  Plain values (not containing a dot) are passed as they are.
- query: an optional query string ("?page=2") appended to the URL.
- The test requests the URL as each role with GET and checks the answer. If your view needs an object
  that is not in the world yet, add it to tests/security/world.py.

Namespaces whose many patterns follow one rule of their own (the admin site) are listed in
NAMESPACE_POLICY with the names of representative pages the test requests.
"""

from dataclasses import dataclass, field

OK = 200
NO_CONTENT = 204
REDIRECT = "redirect"
LOGIN = "login"
FORBIDDEN = 403
NOT_FOUND = 404
NOT_ALLOWED = 405
TOO_MANY = 429
# The REST API authenticates by token only; a browser session does not count there.
UNAUTHORIZED = 401

Answer = int | str

# Column order of every Row; "no_role" is a logged-in user without any role.
ROLES = ("anonymous", "no_role", "kwaliteitsmanager", "backoffice", "verantwoordelijke", "privacy", "management")


@dataclass(frozen=True)
class Row:
    anonymous: Answer
    no_role: Answer
    kwaliteitsmanager: Answer
    backoffice: Answer
    verantwoordelijke: Answer
    privacy: Answer
    management: Answer
    kwargs: dict[str, object] = field(default_factory=dict)
    query: str = ""

    def answer_for(self, role: str) -> Answer:
        return getattr(self, role)


def everyone(answer: Answer, **options: object) -> Row:
    """The same answer for every role, public pages mostly."""
    return Row(answer, answer, answer, answer, answer, answer, answer, **options)  # type: ignore[arg-type]


# fmt: off
POLICY: dict[str, Row] = {
    #                                        anon      no_role    km   bo         va         privacy    management
    # Public
    "intake:home":                  everyone(OK),
    "intake:complaint_form":        everyone(OK),
    "intake:privacy_statement":     everyone(OK),
    "intake:accessibility_statement": everyone(OK),
    # Without a valid address of a complaint just submitted, the confirmation page sends you to the form.
    "intake:submitted":             everyone(REDIRECT, kwargs={"token": "not-a-token"}),
    "set_language":                 everyone(REDIRECT),
    "health":                       everyone(OK),
    "favicon":                      everyone(REDIRECT),
    # Accounts
    "accounts:login":               everyone(OK),
    "accounts:logout":              everyone(NOT_ALLOWED),
    "accounts:password_reset":      everyone(OK),
    "accounts:password_reset_done": everyone(OK),
    # An invitation link that is not valid says so (and offers the login page).
    "accounts:invitation":          everyone(OK, kwargs={"uidb64": "MQ", "token": "not-a-token"}),
    "accounts:password_reset_confirm": everyone(OK, kwargs={"uidb64": "MQ", "token": "not-a-token"}),
    "accounts:password_reset_complete": everyone(OK),
    # Second factor: a user without an authenticator is sent to set one up.
    "accounts:otp_verify":          Row(LOGIN, REDIRECT,  REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    "accounts:otp_enrol":           Row(LOGIN, OK,        OK,  OK,        OK,        OK,        OK),
    "accounts:recovery_codes":      everyone(NOT_ALLOWED),
    # Back office: lists are scoped by role (an empty list for a role that sees nothing),
    # objects outside the user's reach are 404.
    # Management sees the reports only: "my work" sends them there, the list is refused.
    "complaints:home":              Row(LOGIN, OK,        OK,  OK,        OK,        OK,        REDIRECT),
    "complaints:list":              Row(LOGIN, OK,        OK,  OK,        OK,        OK,        FORBIDDEN),
    "complaints:detail":            Row(LOGIN, NOT_FOUND, OK,  OK,        OK,        NOT_FOUND, NOT_FOUND,
                                        kwargs={"reference": "complaint.reference"}),
    # Need to know: the world's complaint has been handed over, so the back office that registered
    # it sees its reference and status (detail 200) but no longer its files.
    "complaints:attachment":        Row(LOGIN, NOT_FOUND, OK,  NOT_FOUND, OK,        NOT_FOUND, NOT_FOUND,
                                        kwargs={"reference": "complaint.reference",
                                                "attachment_id": "attachment.pk"}),
    # The procedure's actions (the role and object checks behind them are tested in
    # tests/complaints/test_actions.py). GET on a step with a form of its own shows the complaint
    # page with that form open: the complaint's scope first (404; the back office no longer
    # sees the contents), then the role (403: the quality manager's steps).
    **{
        f"complaints:{name}": Row(LOGIN, NOT_FOUND, OK, NOT_FOUND, FORBIDDEN, NOT_FOUND, NOT_FOUND,
                                  kwargs={"reference": "complaint.reference"})
        for name in ("assign", "link_person", "extend", "reopen")
    },
    **{
        f"complaints:{name}": Row(LOGIN, NOT_FOUND, OK, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND,
                                  kwargs={"reference": "complaint.reference"})
        for name in ("log_call", "plan_meeting", "record_discussion", "add_agreement", "close", "withdraw")
    },
    # The steps on one meeting or agreement are POST only.
    **{
        f"complaints:{name}": Row(LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED,
                                  NOT_ALLOWED, kwargs={"reference": "complaint.reference", **extra})
        for name, extra in [
            ("unlink_person", {"person_id": 1}), ("reschedule_meeting", {"contact_id": 1}),
            ("meeting_held", {"contact_id": 1}), ("cancel_meeting", {"contact_id": 1}),
            ("complete_agreement", {"agreement_id": 1}),
        ]
    },
    # Ticking off an agreement one carries out, from My work: POST only, for any member of staff.
    "complaints:complete_my_agreement": Row(LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED,
                                            NOT_ALLOWED, kwargs={"agreement_id": 1}),
    # Closure days and periods: the quality manager's.
    "deadlines:closure_days":       Row(LOGIN, FORBIDDEN, OK,  FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "deadlines:closure_day_delete": Row(LOGIN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
                                        kwargs={"pk": 1}),
    "deadlines:periods":            Row(LOGIN, FORBIDDEN, OK,  FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "intake_backoffice:register":   Row(LOGIN, FORBIDDEN, OK,  OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "outbox:list":                  Row(LOGIN, FORBIDDEN, OK,  FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "outbox:detail":                Row(LOGIN, FORBIDDEN, OK,  FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
                                        kwargs={"pk": "outbox_message.pk"}),
    # Quality loop: classifying and linking is for the quality manager and the responsible person
    # handling the complaint; categories, root causes and new actions for the quality manager.
    "quality:classify":             Row(LOGIN, FORBIDDEN, OK,  FORBIDDEN, OK,        FORBIDDEN, FORBIDDEN,
                                        kwargs={"reference": "complaint.reference"}),
    "quality:related":              Row(LOGIN, FORBIDDEN, OK,  FORBIDDEN, OK,        FORBIDDEN, FORBIDDEN,
                                        kwargs={"reference": "complaint.reference"}),
    "quality:unlink":               Row(LOGIN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN,
                                        kwargs={"reference": "complaint.reference", "link_id": 1}),
    # The world's complaint has no survey answer: the quality manager gets 404 for it.
    "quality:survey_answer":        Row(LOGIN, FORBIDDEN, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
                                        kwargs={"reference": "complaint.reference"}),
    "quality:categories":           Row(LOGIN, FORBIDDEN, OK,  FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "quality:category_edit":        Row(LOGIN, FORBIDDEN, OK,  FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
                                        kwargs={"pk": "category.pk"}),
    "quality:root_causes":          Row(LOGIN, FORBIDDEN, OK,  FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "quality:root_cause_edit":      Row(LOGIN, FORBIDDEN, OK,  FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
                                        kwargs={"pk": "root_cause.pk"}),
    # Corrective actions: the quality manager sees all, a responsible person the ones they own.
    "quality:actions":              Row(LOGIN, FORBIDDEN, OK,  FORBIDDEN, OK,        FORBIDDEN, FORBIDDEN),
    "quality:action_new":           Row(LOGIN, FORBIDDEN, OK,  FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "quality:action_detail":        Row(LOGIN, FORBIDDEN, OK,  FORBIDDEN, OK,        FORBIDDEN, FORBIDDEN,
                                        kwargs={"pk": "corrective_action.pk"}),
    "quality:action_step":          Row(LOGIN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN,
                                        kwargs={"pk": "corrective_action.pk", "step": "done"}),
    # The public survey: an unknown token is 404 for everyone.
    "satisfaction:survey":          everyone(NOT_FOUND, kwargs={"token": "not-a-token"}),
    # Reports: the quality manager and management (who see nothing else); anonymised figures only.
    "reports:index":                Row(LOGIN, FORBIDDEN, OK,  FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    "reports:figures_export":       Row(LOGIN, FORBIDDEN, OK,  FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,
                                        kwargs={"fmt": "csv"}),
    # The anonymised list is asked for by POST and made in the background; only who asked (the
    # quality manager in this world) sees its progress and downloads it.
    "reports:complaints_export":    Row(LOGIN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED,
                                        kwargs={"fmt": "xlsx"}),
    **{
        f"reports:{name}": Row(LOGIN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND,
                               kwargs={"pk": "report_export.pk"})
        for name in ("export_detail", "export_progress", "export_download")
    },
    "reports:review_pdf":           Row(LOGIN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED),
    # The annual complaints report of this year (the world's complaints are received now).
    **{
        f"reports:{name}": Row(LOGIN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,
                               kwargs={"year": "complaint.received_at.year"})
        for name in ("annual", "annual_pdf")
    },
    # Published only when the organisation says so, and only finished years: not in this world.
    "annual_report:latest":         everyone(NOT_FOUND),
    "annual_report:year":           everyone(NOT_FOUND, kwargs={"year": 2025}),
    "annual_report:pdf":            everyone(NOT_FOUND, kwargs={"year": 2025}),
    # Staff, roles and the organisation's settings: administrators (privacy officer role or staff).
    "administration:staff_list":    Row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN),
    "administration:staff_invite":  Row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN),
    "administration:staff_detail":  Row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN,
                                        kwargs={"pk": "user.pk"}),
    **{
        f"administration:staff_{action}": everyone(NOT_ALLOWED, kwargs={"pk": "user.pk"})
        for action in ("deactivate", "reactivate", "reset_second_factor", "resend_invitation")
    },
    "administration:organisation":  Row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN),
    # The test world has no logo: the administrator is told there is none.
    "administration:organisation_logo": Row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, FORBIDDEN),
    "administration:log":           Row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN),
    # API tokens are issued and revoked by administrators (privacy officer role or staff).
    "api_tokens:list":              Row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN),
    "api_tokens:revoke":            everyone(NOT_ALLOWED, kwargs={"pk": 1}),
    # Received e-mail and the quarantine: the quality manager.
    "mailintake:list":              Row(LOGIN, FORBIDDEN, OK,  FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    # Deciding on held mail: the quality manager's, POST only.
    "mailintake:add_held":          Row(LOGIN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
                                        kwargs={"pk": 1}),
    "mailintake:reject_held":       Row(LOGIN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
                                        kwargs={"pk": 1}),
    # REST API: the document and its docs page are public; everything else needs a token (the
    # role rules per token are tested in tests/api); POST-only operations answer GET with 405.
    "api:openapi-json":             everyone(OK),
    "api:openapi-view":             everyone(OK),
    "api:api-root":                 everyone(NOT_FOUND),
    "api:complaints":               everyone(UNAUTHORIZED),
    "api:complaint":                everyone(UNAUTHORIZED, kwargs={"reference": "complaint.reference"}),
    "api:attachments":              everyone(NOT_ALLOWED, kwargs={"reference": "complaint.reference"}),
    "api:acknowledge":              everyone(NOT_ALLOWED, kwargs={"reference": "complaint.reference"}),
    "api:assign":                   everyone(NOT_ALLOWED, kwargs={"reference": "complaint.reference"}),
    "api:contacts":                 everyone(NOT_ALLOWED, kwargs={"reference": "complaint.reference"}),
    "api:agreements":               everyone(NOT_ALLOWED, kwargs={"reference": "complaint.reference"}),
    "api:close":                    everyone(NOT_ALLOWED, kwargs={"reference": "complaint.reference"}),
    # Letters: the quality manager and the responsible person handling the complaint; the role
    # check comes first (403), then the complaint's scope (404). POST-only steps answer GET with 405.
    "correspondence:start":         Row(LOGIN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN,
                                        kwargs={"reference": "complaint.reference"}),
    "correspondence:edit":          Row(LOGIN, FORBIDDEN, OK,  FORBIDDEN, OK,        FORBIDDEN, FORBIDDEN,
                                        kwargs={"reference": "complaint.reference", "letter_id": "draft_letter.pk"}),
    "correspondence:preview":       Row(LOGIN, FORBIDDEN, OK,  FORBIDDEN, OK,        FORBIDDEN, FORBIDDEN,
                                        kwargs={"reference": "complaint.reference", "letter_id": "draft_letter.pk"}),
    "correspondence:send":          Row(LOGIN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN,
                                        kwargs={"reference": "complaint.reference", "letter_id": "draft_letter.pk"}),
    "correspondence:discard":       Row(LOGIN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN,
                                        kwargs={"reference": "complaint.reference", "letter_id": "draft_letter.pk"}),
    "correspondence:download":      Row(LOGIN, FORBIDDEN, OK,  FORBIDDEN, OK,        FORBIDDEN, FORBIDDEN,
                                        kwargs={"reference": "complaint.reference", "letter_id": "sent_letter.pk"}),
    "correspondence:post":          Row(LOGIN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN,
                                        kwargs={"reference": "complaint.reference", "letter_id": "sent_letter.pk"}),
    "correspondence:templates":     Row(LOGIN, FORBIDDEN, OK,  FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "correspondence:template_edit": Row(LOGIN, FORBIDDEN, OK,  FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
                                        kwargs={"kind": "acknowledgement"}),
    # The complainant's status page: the private link is the only key, whoever is logged in.
    # The world's link has been used by the complainant: whoever finds it later gets nothing (404),
    # and without the complainant's own session the status page and its letters answer 404 too.
    "correspondence:status":        everyone(NOT_FOUND, kwargs={"token": "status.token"}),
    "correspondence:status_home":   everyone(NOT_FOUND),
    "correspondence:status_letter": everyone(NOT_FOUND, kwargs={"letter_id": "sent_letter.pk"}),
    "correspondence:status_fresh_link": everyone(OK),
    "correspondence:reissue_status_link": Row(LOGIN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, NOT_ALLOWED, FORBIDDEN,
                                              FORBIDDEN, kwargs={"reference": "complaint.reference"}),
    # Privacy: the register and data-subject requests are the privacy officer's; the access log and
    # legal holds also the quality manager's. The log shows who read what, not what it says.
    "privacy:register":             Row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN),
    "privacy:register_pdf":         Row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN),
    "privacy:access_log":           Row(LOGIN, FORBIDDEN, OK,  FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN),
    "privacy:access_log_complaint": Row(LOGIN, FORBIDDEN, OK,  FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN,
                                        kwargs={"reference": "complaint.reference"}),
    "privacy:access_log_user":      Row(LOGIN, FORBIDDEN, OK,  FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN,
                                        kwargs={"user_id": "user.pk"}),
    "privacy:holds":                Row(LOGIN, FORBIDDEN, OK,  FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN),
    "privacy:hold_lift":            Row(LOGIN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN,
                                        kwargs={"pk": 1}),
    "privacy:restriction_lift":     Row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN,
                                        kwargs={"pk": 1}),
    "privacy:requests":             Row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN),
    "privacy:request_new":          Row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN),
    "privacy:request_detail":       Row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN,
                                        kwargs={"pk": "data_request.pk"}),
    **{
        f"privacy:request_{action}": Row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, FORBIDDEN,
                                         kwargs={"pk": "data_request.pk"})
        for action in ("export", "extend", "rectify", "restrict", "withdraw", "erase", "complete")
    },
    # A data subject's export, made in the background: only the privacy officer who asked.
    **{
        f"privacy:{name}": Row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN,
                               kwargs={"pk": "request_export.pk"})
        for name in ("export_detail", "export_progress", "export_download")
    },
}

# The admin site decides by is_staff and model permissions; only the privacy officer /
# administrator persona is staff. The test requests these representative pages.
NAMESPACE_POLICY: dict[str, tuple[Row, tuple[str, ...]]] = {
    "admin": (
        Row(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, OK, LOGIN),
        ("admin:index",),
    ),
}
# fmt: on
