import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klachtenregeling.settings.production")

application = get_wsgi_application()

# Import every view now rather than on the first request, then take everything loaded so far
# out of the garbage collector's full passes: those would otherwise scan the whole app (some
# 200,000 objects) every so often, a pause of about 100 ms in the middle of some request.
get_resolver().url_patterns  # noqa: B018 (the property imports the URLconf and its views)
gc.collect()
gc.freeze()
