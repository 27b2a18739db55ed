"""``{% record_matches seizure level %}``: on a seizure report's page, the reports the reader
already sees that share an identifier with it (links), and, for its owner, its hits."""

from __future__ import annotations

from typing import Any

from django import template

from cases.models import Identifier
from hits.matching import visible_matches
from hits.models import Hit
from sharing.models import Level

register = template.Library()


@register.inclusion_tag("hits/includes/record_matches.html", takes_context=True)
def record_matches(context: dict[str, Any], seizure: Any, level: int) -> dict[str, Any]:
    user = context["request"].user
    labels = dict(Identifier.Kind.choices)
    links = [
        {"seizure": m.seizure, "kinds": [str(labels.get(k, k)) for k in m.kinds]}
        for m in visible_matches(user, seizure, int(level))
    ]
    hits = (
        list(Hit.objects.filter(our_seizure=seizure).select_related("their_agency")[:20])
        if int(level) >= Level.OWNER
        else []
    )
    return {"links": links, "hits": hits}
