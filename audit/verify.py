"""Checking the chain: each entry's hash is recomputed and must link to the previous one."""

from __future__ import annotations

from dataclasses import dataclass

from audit.log import GENESIS, entry_hash
from audit.models import AuditEntry

PURGE_ACTION = "audit.purged"


@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int
    head: str
    broken_id: int | None = None
    reason: str = ""


def _anchors() -> set[str]:
    """Hashes of the last purged entry recorded by each purge: a chain may start there."""
    hashes = AuditEntry.objects.filter(action=PURGE_ACTION).values_list(
        "details__last_purged_hash", flat=True
    )
    return {h for h in hashes if isinstance(h, str)}


def verify_chain(chunk_size: int = 5000) -> Verdict:
    expected: str | None = None
    checked = 0
    head = GENESIS
    anchors: set[str] | None = None
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=chunk_size):
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
        if entry_hash(entry.prev_hash, entry) != entry.entry_hash:
            return Verdict(
                False, checked, head, entry.pk, "its content does not match its hash (edited)"
            )
        expected = entry.entry_hash
        head = entry.entry_hash
        checked += 1
    return Verdict(True, checked, head)
