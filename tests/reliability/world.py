"""The people the fault, concurrency and load tests act as: two agencies that trust each other,
their analysts and liaison officers (three at JCA: one offers, two may decide), API tokens and a
verified browser session. ``build()`` works in the test process (test database) or in a process
of its own against a throwaway database (``python -m tests.reliability.world``)."""

from __future__ import annotations

import json
import os
from typing import Any


def _member(agency: Any, role: str, username: str) -> Any:
    from django.contrib.auth.models import User

    from agencies.models import Membership

    user = User.objects.create(username=username, email=f"{username}@example.org")
    user.set_unusable_password()  # they use tokens and a prepared session: no hashing cost
    user.save()
    Membership.objects.create(user=user, agency=agency, role=role)
    user.groups.add(agency.group)
    return user


def build(prefix: str = "") -> dict[str, Any]:
    """Create the world; return ids, API tokens and a session cookie, as plain data."""
    from django.conf import settings
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from tests import factories
    from tests.conftest import verify

    jca = factories.agency(f"{prefix}JCA", country="JM", kind="customs")
    diran = factories.agency(f"{prefix}DIRAN", country="CO", kind="police")
    factories.trust(jca, diran, 2)
    factories.trust(diran, jca, 2)
    people = {
        "jca_analyst": _member(jca, "analyst", f"{prefix.lower()}jca-analyst"),
        "jca_liaison": _member(jca, "liaison", f"{prefix.lower()}jca-liaison"),
        "jca_liaison2": _member(jca, "liaison", f"{prefix.lower()}jca-liaison2"),
        "jca_liaison3": _member(jca, "liaison", f"{prefix.lower()}jca-liaison3"),
        "diran_analyst": _member(diran, "analyst", f"{prefix.lower()}diran-analyst"),
        "diran_liaison": _member(diran, "liaison", f"{prefix.lower()}diran-liaison"),
    }
    case = factories.case(jca, by=people["jca_analyst"], tlp="AMBER", title="Reefer cocaine")
    seizure = factories.seizure(jca, case=case, tlp="AMBER")
    client = verify(Client(), people["jca_analyst"])
    cookie = settings.SESSION_COOKIE_NAME
    return {
        "agencies": {"jca": jca.pk, "diran": diran.pk},
        "users": {name: user.pk for name, user in people.items()},
        "tokens": {name: Token.objects.create(user=user).key for name, user in people.items()},
        "session_cookie": [cookie, client.cookies[cookie].value],
        "case": case.pk,
        "seizure": seizure.pk,
    }


MARK = "ENLACE-WORLD "


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    print(MARK + json.dumps(build()), flush=True)


if __name__ == "__main__":
    main()
