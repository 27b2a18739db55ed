from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.tasks import HEARTBEAT_KEY


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database, Redis, worker heartbeat and the audit chainer's lag; 200 only when all four
    are healthy."""
    checks: dict[str, dict[str, object]] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = {"ok": True}
    except Exception as exc:
        checks["database"] = {"ok": False, "error": exc.__class__.__name__}
    if checks["database"]["ok"]:
        checks["audit_chain"] = _audit_chain_lag()
    heartbeat = None
    try:
        heartbeat = cache.get(HEARTBEAT_KEY)
        checks["redis"] = {"ok": True}
    except Exception as exc:
        checks["redis"] = {"ok": False, "error": exc.__class__.__name__}
    if heartbeat is None:
        checks["worker"] = {"ok": False, "error": "no heartbeat"}
    else:
        age = time.time() - float(heartbeat)
        checks["worker"] = {
            "ok": age <= settings.WORKER_HEARTBEAT_MAX_AGE,
            "age_seconds": round(age, 1),
        }
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", "checks": checks},
        status=200 if healthy else 503,
    )


def _audit_chain_lag() -> dict[str, object]:
    """How long the oldest audit entry not chained yet has waited (beat chains every 5 s)."""
    from audit.models import AuditEntry

    oldest = (
        AuditEntry.objects.filter(chain_seq__isnull=True).order_by("id").values_list("at").first()
    )
    if oldest is None:
        return {"ok": True, "oldest_unchained_seconds": 0}
    age = (timezone.now() - oldest[0]).total_seconds()
    return {
        "ok": age <= settings.AUDIT_CHAIN_MAX_LAG_SECONDS,
        "oldest_unchained_seconds": round(age, 1),
    }
