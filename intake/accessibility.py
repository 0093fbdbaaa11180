"""What the accessibility statement (/toegankelijkheid/) claims, declared once: the standard, the
axe-core rule sets, and the public pages that are checked. The browser tests read these same
declarations (tests/journeys/test_accessibility_statement.py runs axe-core and the 320 px check
on every page listed here), so the statement says no more than the tests verify."""

from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

STANDARD = "WCAG 2.2"
LEVEL = "AA"
# The axe-core rule sets every public and back-office page is checked with.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
# The narrowest screen every page must fit without scrolling sideways (WCAG 1.4.10).
REFLOW_WIDTH = 320
# When the statement was last reviewed against what the tests check.
REVIEWED_ON = date(2026, 12, 4)


@dataclass(frozen=True)
class CheckedPage:
    path: str
    name: Promise
    # The status the page answers with (an unknown link answers 404, with a page).
    status: int = 200


PUBLIC_PAGES = (
    CheckedPage("/", _("Start page")),
    CheckedPage("/klacht/", _("Complaint form")),
    CheckedPage("/privacy/", _("Privacy statement")),
    CheckedPage("/toegankelijkheid/", _("This accessibility statement")),
    CheckedPage("/klacht/status/nieuwe-link/", _("Status page: asking for a new link")),
    CheckedPage("/tevredenheid/onbekend/", _("Satisfaction survey with an unknown link"), status=404),
    CheckedPage("/accounts/login/", _("Staff login")),
)

# States that need a complaint, a link or a step first; the journeys in tests/journeys/ and
# tests/intake/test_browser.py check them with axe-core too.
CHECKED_IN_JOURNEYS = (
    _("the complaint form with errors, and the confirmation after sending"),
    _("the complainant's status page, its letters and its reply form"),
    _("the satisfaction survey and its thank-you page"),
    _("the published annual complaints report"),
    _("every back-office page, including the complaint page on a phone's screen"),
)

# The success criteria of WCAG 2.2 that axe-core cannot decide on its own, each checked by a test
# of its own (tests/security/test_wcag22.py, tests/journeys/test_keyboard_staff.py).
CHECKED_CRITERIA = (
    _(
        "2.1.1 Keyboard: the complaint form, and in the back office sending a letter, handing a "
        "complaint over, logging a call, ticking off an agreement and closing, with the keyboard alone"
    ),
    _("2.4.11 Focus not obscured: whatever has the keyboard focus is never hidden behind other content"),
    _("2.5.7 Dragging movements: nothing on these pages needs dragging"),
    _("2.5.8 Target size: every button and link is large enough, or has enough space around it"),
    _("3.2.6 Consistent help: the phone number and e-mail address stand in the same place on every page"),
    _("3.3.7 Redundant entry: after an error, everything you typed is still filled in"),
    _(
        "3.3.8 Accessible authentication: the password and the login code may be pasted or filled in "
        "by a password manager, and the key of the login app can be copied as text"
    ),
)

# What is not (yet) verified, said plainly.
KNOWN_GAPS = (
    _(
        "Not every task in the back office has been tested with the keyboard alone yet: the reports, "
        "the privacy officer's pages and the administration have not."
    ),
)
