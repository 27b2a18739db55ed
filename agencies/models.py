"""Who is who: agencies, their people and roles, the trust between agencies, and teams."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.countries import COUNTRY_CHOICES, is_country


def validate_country(value: str) -> None:
    if not is_country(value):
        raise ValidationError(
            _("%(value)s is not an ISO 3166 country code."), params={"value": value}, code="country"
        )


class Agency(models.Model):
    class Kind(models.TextChoices):
        POLICE = "police", _("Police (anti-narcotics)")
        CUSTOMS = "customs", _("Customs")
        COAST_GUARD = "coast_guard", _("Coast guard / navy")
        DRUG_CONTROL = "drug_control", _("Drug control agency")
        FIU = "fiu", _("Financial intelligence unit")
        PROSECUTOR = "prosecutor", _("Prosecutor")
        REGIONAL = "regional", _("Regional body")
        INTERNATIONAL = "international", _("International body")
        OPERATOR = "operator", _("Platform operator")

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.CharField(
        _("country"),
        max_length=2,
        choices=COUNTRY_CHOICES,
        validators=[validate_country],
        help_text=_("ISO 3166-1 alpha-2; regional and international bodies use their seat."),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent agency"),
    )
    active = models.BooleanField(_("active"), default=True)
    group = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="agency", editable=False
    )
    liaison_email = models.EmailField(_("liaison contact e-mail"), blank=True)
    liaison_phone = models.CharField(_("liaison contact phone"), max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return f"{self.acronym} — {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.group_id:
            self.group = Group.objects.create(name=f"agency:{self.acronym}")
        elif self.pk:
            Group.objects.filter(pk=self.group_id).exclude(name=f"agency:{self.acronym}").update(
                name=f"agency:{self.acronym}"
            )
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    ANALYST = "analyst", _("Analyst")
    LIAISON = "liaison", _("Liaison officer")
    AGENCY_ADMIN = "agency_admin", _("Agency admin")


class Membership(models.Model):
    """A user's one agency and one role. Platform admins are staff of the operator agency."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.ANALYST)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        indexes = [models.Index(fields=["agency", "role"])]

    def __str__(self) -> str:
        return f"{self.user} ({self.agency.acronym}, {self.get_role_display()})"

    @property
    def is_liaison(self) -> bool:
        return self.role == Role.LIAISON

    @property
    def is_agency_admin(self) -> bool:
        return self.role == Role.AGENCY_ADMIN


class TrustLevel(models.Model):
    """How much ``from_agency`` trusts ``to_agency``: the highest TLP it may share with it."""

    class Level(models.IntegerChoices):
        NONE = 0, _("0 — none (CLEAR only)")
        BASIC = 1, _("1 — basic (up to GREEN)")
        TRUSTED = 2, _("2 — trusted (up to AMBER+STRICT)")
        CLOSE = 3, _("3 — close partner (up to RED)")

    from_agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="trust_given")
    to_agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="trust_received")
    level = models.PositiveSmallIntegerField(
        choices=Level.choices,
        default=Level.NONE,
        validators=[MinValueValidator(0), MaxValueValidator(3)],
    )
    reason = models.TextField(_("reason"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["from_agency", "to_agency"], name="trust_once_per_pair"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_agency=models.F("to_agency")), name="trust_not_in_self"
            ),
            models.CheckConstraint(condition=models.Q(level__lte=3), name="trust_level_0_to_3"),
        ]

    def __str__(self) -> str:
        return f"{self.from_agency.acronym} → {self.to_agency.acronym}: {self.level}"


class TrustLevelChange(models.Model):
    """Every change of a trust level, kept forever and shown on the agency pages."""

    from_agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    to_agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    old_level = models.PositiveSmallIntegerField(null=True)
    new_level = models.PositiveSmallIntegerField()
    reason = models.TextField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    grants_suspended = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["from_agency", "to_agency", "-changed_at"])]


class Team(models.Model):
    """A multi-agency response team: a joint task force, a port control unit, an operation."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    purpose = models.TextField(_("purpose"), blank=True)
    agencies = models.ManyToManyField(Agency, blank=True, related_name="teams")
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="teams")
    active_from = models.DateField(_("active from"), default=timezone.localdate)
    active_until = models.DateField(_("active until"), null=True, blank=True)
    managing_agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managed_teams",
        help_text=_("Its agency admins manage the membership; empty for platform-run teams."),
    )
    group = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="team", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(active_until__isnull=True)
                | models.Q(active_until__gte=models.F("active_from")),
                name="team_active_window_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.group_id:
            self.group = Group.objects.create(name=f"team:{self.name}"[:150])
        super().save(*args, **kwargs)

    def is_active_on(self, day: date | None = None) -> bool:
        today = day or timezone.localdate()
        return self.active_from <= today and (
            self.active_until is None or today <= self.active_until
        )


class SignInFailure(models.Model):
    """A failed sign-in step (password or second factor), counted for the lockout.

    Rows are removed when the user completes a two-factor sign-in or an admin unlocks the
    account; the audit log keeps the permanent record."""

    class Stage(models.TextChoices):
        PASSWORD = "password", _("password")
        OTP = "otp", _("second factor")

    username = models.CharField(max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    stage = models.CharField(max_length=10, choices=Stage.choices)
    source_ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "-at"], name="signin_failure_recent")]
