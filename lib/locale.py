"""Dutch first: the pages speak Dutch unless the person chose English with the language
switch. A browser's Accept-Language is not asked, so a Dutch organisation's staff and
complainants see the same Dutch pages whatever their browser's setting; API clients,
which have no language switch, may ask for English with Accept-Language."""

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext_noop

API_PREFIX = "/api/"

# Django's own wording that its Dutch catalogue does not translate yet; listed here so that
# the project catalogue (locale/) carries the translation.
DJANGO_UNTRANSLATED = (
    # The first option of every drop-down list (BLANK_CHOICE_LABEL, new in Django 6.1).
    gettext_noop("- Select an option -"),
)


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        if request.path.startswith(API_PREFIX):
            super().process_request(request)
            return
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
