"""Markings every shared record carries: TLP 2.0, handling code, and the Admiralty evaluation."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Tlp(models.TextChoices):
    CLEAR = "CLEAR", "TLP:CLEAR"
    GREEN = "GREEN", "TLP:GREEN"
    AMBER = "AMBER", "TLP:AMBER"
    AMBER_STRICT = "AMBER+STRICT", "TLP:AMBER+STRICT"
    RED = "RED", "TLP:RED"


# The lowest trust level at which the owner may share a record of each TLP (DESIGN §2):
# 0 none: CLEAR only; 1 basic: up to GREEN; 2 trusted: up to AMBER+STRICT; 3 close: RED.
TRUST_NEEDED: dict[str, int] = {
    Tlp.CLEAR: 0,
    Tlp.GREEN: 1,
    Tlp.AMBER: 2,
    Tlp.AMBER_STRICT: 2,
    Tlp.RED: 3,
}


class HandlingCode(models.TextChoices):
    H0 = "H0", _("H0 — no restriction")
    H1 = "H1", _("H1 — not for use in court without the owner's consent")
    H2 = "H2", _("H2 — no dissemination without the owner's consent")
    H3 = "H3", _("H3 — other restriction (see handling note)")


class SourceReliability(models.TextChoices):
    A = "A", _("A — completely reliable")
    B = "B", _("B — usually reliable")
    C = "C", _("C — fairly reliable")
    D = "D", _("D — not usually reliable")
    E = "E", _("E — unreliable")
    F = "F", _("F — reliability cannot be judged")


class InformationCredibility(models.TextChoices):
    ONE = "1", _("1 — confirmed by other sources")
    TWO = "2", _("2 — probably true")
    THREE = "3", _("3 — possibly true")
    FOUR = "4", _("4 — doubtful")
    FIVE = "5", _("5 — improbable")
    SIX = "6", _("6 — truth cannot be judged")


class Marked(models.Model):
    """Abstract: the markings of a record."""

    tlp = models.CharField(_("TLP"), max_length=12, choices=Tlp.choices, default=Tlp.AMBER)
    handling_code = models.CharField(
        _("handling code"), max_length=2, choices=HandlingCode.choices, default=HandlingCode.H0
    )
    handling_note = models.CharField(_("handling note"), max_length=500, blank=True)
    source_reliability = models.CharField(
        _("source reliability"), max_length=1, choices=SourceReliability.choices, blank=True
    )
    information_credibility = models.CharField(
        _("information credibility"),
        max_length=1,
        choices=InformationCredibility.choices,
        blank=True,
    )

    class Meta:
        abstract = True

    def clean_markings(self) -> None:
        errors: dict[str, Any] = {}
        if self.handling_code == HandlingCode.H3 and not self.handling_note.strip():
            errors["handling_note"] = _("H3 needs a handling note that states the restriction.")
        if bool(self.source_reliability) != bool(self.information_credibility):
            errors["information_credibility"] = _(
                "Give both the source reliability and the information credibility, or neither."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def evaluation(self) -> str:
        return f"{self.source_reliability}{self.information_credibility}"


# From least to most restrictive.
TLP_ORDER: dict[str, int] = {
    Tlp.CLEAR: 0,
    Tlp.GREEN: 1,
    Tlp.AMBER: 2,
    Tlp.AMBER_STRICT: 3,
    Tlp.RED: 4,
}


def is_stricter(tlp: str, than: str) -> bool:
    """Whether ``tlp`` restricts disclosure more than ``than``."""
    return TLP_ORDER[tlp] > TLP_ORDER[than]


def stricter_than(tlp: str) -> list[str]:
    return [label for label, rank in TLP_ORDER.items() if rank > TLP_ORDER[tlp]]
