"""The records agencies share: cases, seizure reports, their items and linked entities."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, validate_country
from cases.markings import Marked, Tlp
from cases.querysets import CaseQuerySet, SeizureQuerySet
from portal.countries import COUNTRY_CHOICES
from portal.fields import EncryptedTextField


class ReferenceCounter(models.Model):
    """Last number used per agency, year and record kind (``JM-CUS-2026-00042``)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=1)  # "C" case, "S" seizure report
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "kind"], name="one_counter_per_year")
        ]

    @classmethod
    def next_reference(cls, agency: Agency, kind: str, when: datetime | None = None) -> str:
        year = (when or timezone.now()).year
        # One statement, safe under concurrency: the row lock serialises writers per agency-year.
        table = cls._meta.db_table
        sql = f"""
                INSERT INTO {table} (agency_id, year, kind, last)
                VALUES (%s, %s, %s, 1)
                ON CONFLICT (agency_id, year, kind) DO UPDATE SET last = {table}.last + 1
                RETURNING last
        """  # noqa: S608 # nosec B608 - the table name is ours; values are parameters
        with connection.cursor() as cursor:
            cursor.execute(
                sql,
                [agency.pk, year, kind],
            )
            number = cursor.fetchone()[0]
        infix = "" if kind == "C" else kind
        return f"{agency.country}-{agency.acronym}-{year}-{infix}{number:05d}"


class CrimeType(models.TextChoices):
    DRUG_TRAFFICKING = "drug_trafficking", _("Drug trafficking")
    PRECURSOR_DIVERSION = "precursor_diversion", _("Precursor diversion")
    FIREARMS_TRAFFICKING = "firearms_trafficking", _("Firearms trafficking")
    MONEY_LAUNDERING = "money_laundering", _("Money laundering")


class Case(Marked):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        INVESTIGATION = "investigation", _("Under investigation")
        CLOSED = "closed", _("Closed")
        ARCHIVED = "archived", _("Archived")

    reference = models.CharField(_("reference"), max_length=40, unique=True, editable=False)
    owner_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="cases", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    crime_types = ArrayField(
        models.CharField(max_length=30, choices=CrimeType.choices),
        default=list,
        blank=True,
        verbose_name=_("crime types"),
    )
    do_not_reveal = models.BooleanField(
        _("do not reveal on match"),
        default=False,
        help_text=_(
            "Undercover: another agency matching this record learns nothing; only we are told."
        ),
    )
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("view_case_summary", "Can view a case's non-nominal summary"),
            ("contribute_case", "Can add messages and evidence to a case"),
        ]
        indexes = [
            models.Index(fields=["owner_agency", "-created_at", "-id"], name="case_owner_newest"),
            models.Index(
                fields=["-created_at", "-id"],
                name="case_clear_newest",
                condition=models.Q(tlp="CLEAR"),
            ),
            models.Index(fields=["status"], name="case_status"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class TransportMode(models.TextChoices):
    SEA_CONTAINER = "sea_container", _("Sea — container")
    SEA_VESSEL = "sea_vessel", _("Sea — vessel")
    AIR_PASSENGER = "air_passenger", _("Air — passenger / courier")
    AIR_CARGO = "air_cargo", _("Air — cargo")
    POSTAL = "postal", _("Postal / express")
    LAND_VEHICLE = "land_vehicle", _("Land — vehicle")
    OTHER = "other", _("Other")


class SeizureReport(Marked):
    reference = models.CharField(_("reference"), max_length=40, unique=True, editable=False)
    case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="seizures",
        verbose_name=_("case"),
    )
    owner_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="seizures", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    seized_on = models.DateField(_("seized on"))
    seized_at_time = models.TimeField(_("time"), null=True, blank=True)
    country = models.CharField(
        _("country"), max_length=2, choices=COUNTRY_CHOICES, validators=[validate_country]
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    locode = models.CharField(
        _("UN/LOCODE"), max_length=5, blank=True, help_text=_("Port or airport, e.g. JMKIN, PAONX.")
    )
    transport_mode = models.CharField(
        _("transport mode"), max_length=20, choices=TransportMode.choices
    )
    origin_country = models.CharField(
        _("origin"),
        max_length=2,
        choices=COUNTRY_CHOICES,
        blank=True,
        validators=[validate_country],
    )
    departure_country = models.CharField(
        _("departure"),
        max_length=2,
        choices=COUNTRY_CHOICES,
        blank=True,
        validators=[validate_country],
    )
    transit_countries = ArrayField(
        models.CharField(max_length=2, validators=[validate_country]),
        default=list,
        blank=True,
        verbose_name=_("transit countries"),
    )
    destination_country = models.CharField(
        _("destination"),
        max_length=2,
        choices=COUNTRY_CHOICES,
        blank=True,
        validators=[validate_country],
    )
    concealment = models.CharField(_("concealment method"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    do_not_reveal = models.BooleanField(_("do not reveal on match"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = SeizureQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("view_seizurereport_summary", "Can view a seizure report's non-nominal summary"),
            ("contribute_seizurereport", "Can add evidence to a seizure report"),
        ]
        indexes = [
            models.Index(
                fields=["owner_agency", "-created_at", "-id"], name="seizure_owner_newest"
            ),
            models.Index(
                fields=["-created_at", "-id"],
                name="seizure_clear_newest",
                condition=models.Q(tlp="CLEAR"),
            ),
            models.Index(fields=["case", "-created_at"], name="seizure_in_case"),
            models.Index(fields=["seized_on"], name="seizure_date"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def effective_do_not_reveal(self) -> bool:
        return self.do_not_reveal or bool(self.case_id and self.case and self.case.do_not_reveal)


class SeizureItem(models.Model):
    class Kind(models.TextChoices):
        DRUG = "drug", _("Drug")
        PRECURSOR = "precursor", _("Precursor chemical")
        FIREARM = "firearm", _("Firearm")
        AMMUNITION = "ammunition", _("Ammunition")
        CASH = "cash", _("Cash")

    seizure = models.ForeignKey(SeizureReport, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    substance = models.CharField(_("substance"), max_length=40, blank=True)
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=10, blank=True)
    quantity_normalised = models.DecimalField(
        max_digits=18, decimal_places=6, null=True, blank=True, editable=False
    )
    normalised_unit = models.CharField(max_length=6, blank=True, editable=False)
    purity = models.DecimalField(
        _("purity %"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    firearm_type = models.CharField(_("firearm type"), max_length=20, blank=True)
    make = models.CharField(_("make"), max_length=100, blank=True)
    model = models.CharField(_("model"), max_length=100, blank=True)
    calibre = models.CharField(_("calibre"), max_length=40, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=60, blank=True)
    markings = models.CharField(_("markings"), max_length=300, blank=True)
    country_of_manufacture = models.CharField(
        _("country of manufacture"),
        max_length=2,
        choices=COUNTRY_CHOICES,
        blank=True,
        validators=[validate_country],
    )
    rounds = models.PositiveIntegerField(_("rounds"), null=True, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["kind", "substance"])]


class Entity(models.Model):
    """Abstract: something linked to a seizure report."""

    seizure = models.ForeignKey(SeizureReport, on_delete=models.CASCADE, related_name="%(class)ss")

    class Meta:
        abstract = True
        ordering = ["id"]


class Person(Entity):
    """Personal data: every field that names or identifies a person is encrypted at rest."""

    class PersonRole(models.TextChoices):
        SUSPECT = "suspect", _("Suspect")
        COURIER = "courier", _("Courier")
        CREW = "crew", _("Crew member")
        CONSIGNEE = "consignee", _("Consignee")
        OTHER = "other", _("Other")

    role = models.CharField(
        _("role"), max_length=12, choices=PersonRole.choices, default=PersonRole.SUSPECT
    )
    full_name = EncryptedTextField(_("full name"))
    date_of_birth = EncryptedTextField(_("date of birth"), blank=True)
    nationality = models.CharField(
        _("nationality"),
        max_length=2,
        choices=COUNTRY_CHOICES,
        blank=True,
        validators=[validate_country],
    )
    passport_number = EncryptedTextField(_("passport number"), blank=True)
    passport_country = models.CharField(
        _("passport issuing country"),
        max_length=2,
        choices=COUNTRY_CHOICES,
        blank=True,
        validators=[validate_country],
    )
    mrz = EncryptedTextField(_("passport MRZ"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    pseudonymised_at = models.DateTimeField(null=True, blank=True, editable=False)


class Organisation(Entity):
    name = models.CharField(_("name"), max_length=200)
    registration_number = models.CharField(_("registration number"), max_length=60, blank=True)
    country = models.CharField(
        _("country"),
        max_length=2,
        choices=COUNTRY_CHOICES,
        blank=True,
        validators=[validate_country],
    )


class Vessel(Entity):
    name = models.CharField(_("name"), max_length=120, blank=True)
    imo = models.CharField(_("IMO number"), max_length=7, blank=True)
    mmsi = models.CharField(_("MMSI"), max_length=9, blank=True)
    flag = models.CharField(
        _("flag"), max_length=2, choices=COUNTRY_CHOICES, blank=True, validators=[validate_country]
    )


class Container(Entity):
    number = models.CharField(
        _("container number"), max_length=11, help_text=_("ISO 6346, e.g. CSQU3054383")
    )


class Flight(Entity):
    designator = models.CharField(_("flight"), max_length=8, help_text=_("IATA, e.g. CM 431"))
    flight_date = models.DateField(_("flight date"), null=True, blank=True)


class Vehicle(Entity):
    plate = models.CharField(_("plate"), max_length=20)
    country = models.CharField(
        _("country"),
        max_length=2,
        choices=COUNTRY_CHOICES,
        blank=True,
        validators=[validate_country],
    )
    description = models.CharField(_("description"), max_length=200, blank=True)


class Identifier(models.Model):
    """A blind index of an identifier in a seizure report, for deconfliction (no plaintext)."""

    class Kind(models.TextChoices):
        CONTAINER = "container", _("container number")
        IMO = "imo", _("IMO number")
        MMSI = "mmsi", _("MMSI")
        PASSPORT = "passport", _("passport number")
        PHONE = "phone", _("phone number")
        FIREARM = "firearm", _("firearm serial number and make")
        PLATE = "plate", _("vehicle plate")
        COMPANY = "company", _("company registration")
        FLIGHT = "flight", _("flight and date")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    digest = models.CharField(max_length=64)
    seizure = models.ForeignKey(SeizureReport, on_delete=models.CASCADE, related_name="identifiers")
    owner_agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["digest", "kind"], name="identifier_match")]
        constraints = [
            models.UniqueConstraint(
                fields=["seizure", "kind", "digest"], name="identifier_once_per_record"
            )
        ]


class CaseMessage(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at"])]


class Attachment(models.Model):
    """Evidence file, stored encrypted on disk; only metadata lives in the database."""

    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    seizure = models.ForeignKey(
        SeizureReport, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=80, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=False) | models.Q(seizure__isnull=False),
                name="attachment_belongs_to_a_record",
            )
        ]


__all__ = [
    "Attachment",
    "Case",
    "CaseMessage",
    "Container",
    "CrimeType",
    "Flight",
    "Identifier",
    "Organisation",
    "Person",
    "ReferenceCounter",
    "SeizureItem",
    "SeizureReport",
    "Tlp",
    "TransportMode",
    "Vehicle",
    "Vessel",
]
