import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

from portal.deadlines import limit_database_waits  # noqa: E402
from portal.startup import load_before_serving  # noqa: E402

limit_database_waits()
load_before_serving()
