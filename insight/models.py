"""Search indexes the insight app keeps beside the records (no record content in clear).

Messages are encrypted at rest, so PostgreSQL cannot read them to search. ``MessageTerms``
keeps, for each message, the keyed digests (HMAC, the blind-index key) of the words' stems
in English, Spanish, French and Portuguese: a search digests the stems of its own words the
same way and asks which messages hold them all. Written in the transaction that creates the
message (``insight.signals``); rebuilt with ``manage.py reindex_search`` after the
blind-index key changes.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models

from cases.models import Case, CaseMessage


class MessageTerms(models.Model):
    message = models.OneToOneField(
        CaseMessage, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    terms = ArrayField(models.CharField(max_length=16), default=list)

    class Meta:
        indexes = [GinIndex(fields=["terms"], name="message_terms")]

    def __str__(self) -> str:
        return f"terms of message #{self.pk}"
