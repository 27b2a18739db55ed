"""Checking the chain: each chained entry's hash is recomputed and must link to the one before
it in chain order; each entry's seal (when it has one) must match its fields."""

from __future__ import annotations

from dataclasses import dataclass

from audit.log import GENESIS, entry_hash, entry_seal
from audit.models import AuditEntry

PURGE_ACTION = "audit.purged"


@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int
    head: str
    broken_id: int | None = None
    reason: str = ""
    unchained: int = 0


def _anchors() -> set[str]:
    """Hashes of the last purged entry recorded by each purge: a chain may start there."""
    hashes = AuditEntry.objects.filter(action=PURGE_ACTION).values_list(
        "details__last_purged_hash", flat=True
    )
    return {h for h in hashes if isinstance(h, str)}


def _sealed(entry: AuditEntry) -> bool:
    return not entry.seal or entry_seal(entry) == entry.seal


def verify_chain(chunk_size: int = 5000) -> Verdict:
    """The chained entries in chain order, then the entries not chained yet (their seals)."""
    expected: str | None = None
    checked = 0
    head = GENESIS
    anchors: set[str] | None = None
    chained = AuditEntry.objects.filter(chain_seq__isnull=False).order_by("chain_seq")
    for entry in chained.iterator(chunk_size=chunk_size):
        if expected is None:
            # The oldest entry starts the chain, or continues it after a recorded purge.
            if entry.prev_hash != GENESIS:
                anchors = _anchors() if anchors is None else anchors
                if entry.prev_hash not in anchors:
                    return Verdict(
                        False,
                        checked,
                        head,
                        entry.pk,
                        "the oldest entry does not start the chain and no purge anchor "
                        "accounts for the entries before it (entries removed?)",
                    )
        elif entry.prev_hash != expected:
            return Verdict(
                False,
                checked,
                head,
                entry.pk,
                "does not link to the entry before it (an entry was removed or reordered)",
            )
        if entry_hash(entry.prev_hash or "", entry) != entry.entry_hash or not _sealed(entry):
            return Verdict(
                False, checked, head, entry.pk, "its content does not match its hash (edited)"
            )
        expected = entry.entry_hash
        head = entry.entry_hash or head
        checked += 1
    unchained = 0
    waiting = AuditEntry.objects.filter(chain_seq__isnull=True).order_by("id")
    for entry in waiting.iterator(chunk_size=chunk_size):
        if not entry.seal or not _sealed(entry):
            return Verdict(
                False,
                checked,
                head,
                entry.pk,
                "not chained yet and its content does not match its seal (edited)",
                unchained,
            )
        unchained += 1
    return Verdict(True, checked, head, unchained=unchained)
