"""The records agencies share: cases, seizure reports, their items and linked entities."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agencies.models import Agency, validate_country
from cases import validators
from cases.markings import Marked, Tlp, is_stricter, stricter_than
from cases.querysets import CaseQuerySet, SeizureQuerySet
from cases.vocabularies import FIREARM_TYPE_CHOICES, SUBSTANCE_CHOICES, Group
from portal.countries import COUNTRY_CHOICES, is_country
from portal.fields import EncryptedTextField


class CountryField(models.CharField):
    """A CharField whose choice check is one set lookup instead of a scan of 250 choices
    (imports validate thousands of reports). Stored and migrated as a plain CharField."""

    def validate(self, value: Any, model_instance: Any) -> None:
        if isinstance(value, str) and is_country(value):
            return  # the choices are exactly the known codes: nothing else to check
        super().validate(value, model_instance)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


def country_field(verbose_name: Any, *, blank: bool = True, **extra: Any) -> models.CharField:
    """ISO 3166-1 alpha-2, picked from the list; a code not in it gets a plain message."""
    return CountryField(
        verbose_name,
        max_length=2,
        choices=COUNTRY_CHOICES,
        blank=blank,
        validators=[validate_country],
        error_messages={
            "invalid_choice": _("%(value)s is not an ISO 3166 country code (e.g. JM, CO, PA).")
        },
        **extra,
    )


class Errors:
    """Collects per-field errors of one ``clean()`` and raises them together."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[Any]] = {}

    def add(self, field: str, error: Any) -> None:
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.by_field.setdefault(name, []).extend(errors)
            return
        self.by_field.setdefault(field, []).append(error)

    def check(self, field: str, func: Any, *args: Any, **kwargs: Any) -> Any:
        """Run a validator; on failure record its error under ``field`` and return None."""
        try:
            return func(*args, **kwargs)
        except ValidationError as exc:
            self.add(field, exc)
            return None

    def raise_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


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
        return cls.next_references(agency, kind, 1, when)[0]

    @classmethod
    def next_references(
        cls, agency: Agency, kind: str, count: int, when: datetime | None = None
    ) -> list[str]:
        """``count`` consecutive references, taken in one statement (an import takes its block
        at once; a form takes a block of one)."""
        if count < 1:
            return []
        year = (when or timezone.now()).year
        # One statement, safe under concurrency: the row lock serialises writers per agency-year.
        table = cls._meta.db_table
        sql = f"""
                INSERT INTO {table} (agency_id, year, kind, last)
                VALUES (%s, %s, %s, %s)
                ON CONFLICT (agency_id, year, kind) DO UPDATE SET last = {table}.last + %s
                RETURNING last
        """  # noqa: S608 # nosec B608 - the table name is ours; values are parameters
        with connection.cursor() as cursor:
            cursor.execute(sql, [agency.pk, year, kind, count, count])
            last = cursor.fetchone()[0]
        infix = "" if kind == "C" else kind
        prefix = f"{agency.country}-{agency.acronym}-{year}-{infix}"
        return [f"{prefix}{number:05d}" for number in range(last - count + 1, last + 1)]


class CrimeType(models.TextChoices):
    DRUG_TRAFFICKING = "drug_trafficking", _("Drug trafficking")
    PRECURSOR_DIVERSION = "precursor_diversion", _("Precursor diversion")
    FIREARMS_TRAFFICKING = "firearms_trafficking", _("Firearms trafficking")
    MONEY_LAUNDERING = "money_laundering", _("Money laundering")


class Case(Marked):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("case status", "Open")
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
            # Filtered lists (sharing/access.py reads a selective filter from these): the TLP
            # filter newest first (with the owner: no table read to test "ours"), and the
            # search box's "contains" on title or reference (trigrams).
            models.Index(
                fields=["tlp", "-created_at", "-id"],
                include=["owner_agency"],
                name="case_tlp_newest",
            ),
            GinIndex(OpClass(Upper("title"), name="gin_trgm_ops"), name="case_title_trgm"),
            GinIndex(OpClass(Upper("reference"), name="gin_trgm_ops"), name="case_reference_trgm"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def clean(self) -> None:
        errors = Errors()
        errors.check("tlp", self.clean_markings)
        if self.pk and self.tlp in Tlp.values:
            # A grant on the case reaches every seizure report inside it, so none of them may
            # be marked more restrictively than the case (docs/RECORDS.md).
            stricter = list(
                self.seizures.filter(tlp__in=stricter_than(self.tlp)).values_list(
                    "reference", flat=True
                )[:5]
            )
            if stricter:
                errors.add(
                    "tlp",
                    ValidationError(
                        _(
                            "Seizure reports in this case are marked more restrictively "
                            "(%(references)s). Lower their TLP first, or keep the case's."
                        ),
                        params={"references": ", ".join(stricter)},
                        code="tlp_below_contents",
                    ),
                )
        errors.raise_any()


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
    country = country_field(_("country"), blank=False)
    place = models.CharField(_("place"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    locode = models.CharField(
        _("UN/LOCODE"), max_length=8, blank=True, help_text=_("Port or airport, e.g. JMKIN, PAONX.")
    )
    transport_mode = models.CharField(
        _("transport mode"), max_length=20, choices=TransportMode.choices
    )
    origin_country = country_field(_("origin"))
    departure_country = country_field(_("departure"))
    transit_countries = ArrayField(
        models.CharField(max_length=2, validators=[validate_country]),
        default=list,
        blank=True,
        verbose_name=_("transit countries"),
    )
    destination_country = country_field(_("destination"))
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

    def clean(self) -> None:
        errors = Errors()
        errors.check("tlp", self.clean_markings)
        if isinstance(self.seized_on, date):
            errors.check("seized_on", validators.validate_not_future, self.seized_on)
        if self.transit_countries and all(map(is_country, self.transit_countries)):
            self.transit_countries = list(dict.fromkeys(self.transit_countries))
        try:
            coordinates = validators.validate_coordinates(self.latitude, self.longitude)
        except ValidationError as exc:
            errors.add("latitude", exc)
        else:
            if coordinates:
                self.latitude, self.longitude = coordinates
        if self.locode:
            self.locode = (
                errors.check(
                    "locode", validators.validate_locode, self.locode, self.country or None
                )
                or self.locode
            )
        case = self.case if self.case_id else None
        if case is not None:
            if self.owner_agency_id and case.owner_agency_id != self.owner_agency_id:
                errors.add("case", _("A seizure report can only go into your agency's own case."))
            elif self.tlp in Tlp.values and is_stricter(self.tlp, case.tlp):
                errors.add(
                    "tlp",
                    ValidationError(
                        _(
                            "A seizure report in case %(case)s cannot be marked more "
                            "restrictively than the case (TLP:%(tlp)s): whoever the case "
                            "is shared with sees its seizure reports."
                        ),
                        params={"case": case.reference, "tlp": case.tlp},
                        code="tlp_above_case",
                    ),
                )
        errors.raise_any()

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

    # Fields each kind uses; the others are cleared when the item is saved.
    FIELDS_OF_KIND: dict[str, tuple[str, ...]] = {
        Kind.DRUG: ("substance", "quantity", "unit", "purity", "description"),
        Kind.PRECURSOR: ("substance", "quantity", "unit", "purity", "description"),
        Kind.FIREARM: (
            "firearm_type",
            "make",
            "model",
            "calibre",
            "serial_number",
            "markings",
            "country_of_manufacture",
            "description",
        ),
        Kind.AMMUNITION: ("calibre", "rounds", "make", "description"),
        Kind.CASH: ("amount", "currency", "description"),
    }
    KIND_FIELDS = (
        "substance",
        "quantity",
        "unit",
        "purity",
        "firearm_type",
        "make",
        "model",
        "calibre",
        "serial_number",
        "markings",
        "country_of_manufacture",
        "rounds",
        "amount",
        "currency",
    )

    seizure = models.ForeignKey(SeizureReport, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    substance = models.CharField(
        _("substance"),
        max_length=40,
        blank=True,
        choices=SUBSTANCE_CHOICES,
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=10, blank=True)
    quantity_normalised = models.DecimalField(
        _("normalised quantity"),
        max_digits=18,
        decimal_places=6,
        null=True,
        blank=True,
        editable=False,
    )
    normalised_unit = models.CharField(
        _("normalised unit"), max_length=6, blank=True, editable=False
    )
    purity = models.DecimalField(
        _("purity %"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    firearm_type = models.CharField(
        _("firearm type"),
        max_length=20,
        blank=True,
        choices=FIREARM_TYPE_CHOICES,
    )
    make = models.CharField(_("make"), max_length=100, blank=True)
    model = models.CharField(_("model"), max_length=100, blank=True)
    calibre = models.CharField(_("calibre"), max_length=40, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=60, blank=True)
    markings = models.CharField(_("markings"), max_length=300, blank=True)
    country_of_manufacture = country_field(_("country of manufacture"))
    rounds = models.PositiveIntegerField(_("rounds"), null=True, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["kind", "substance"])]

    def __str__(self) -> str:
        return self.get_kind_display()

    def clear_unused_fields(self) -> None:
        used = self.FIELDS_OF_KIND.get(self.kind, ())
        for name in self.KIND_FIELDS:
            if name not in used:
                field = self._meta.get_field(name)
                setattr(self, name, None if field.null else "")

    def clean(self) -> None:
        errors = Errors()
        if self.kind not in self.Kind.values:
            return  # the field's own choice validation reports it
        self.clear_unused_fields()
        self.quantity_normalised, self.normalised_unit = None, ""
        if self.kind in (self.Kind.DRUG, self.Kind.PRECURSOR):
            group = Group.DRUG if self.kind == self.Kind.DRUG else Group.PRECURSOR
            quantity = errors.check(
                "quantity",
                validators.validate_quantity,
                self.substance,
                self.quantity,
                self.unit,
                group,
            )
            if quantity is not None:
                self.quantity_normalised = quantity.normalised
                self.normalised_unit = quantity.normalised_unit
            if self.purity is not None:
                errors.check("purity", validators.validate_purity, self.purity)
        elif self.kind == self.Kind.FIREARM:
            if not self.firearm_type:
                errors.add("firearm_type", _("Choose the type of firearm."))
            if self.serial_number:
                self.serial_number = (
                    errors.check(
                        "serial_number", validators.validate_serial_number, self.serial_number
                    )
                    or self.serial_number
                )
                if not self.make.strip():
                    errors.add("make", _("Give the make: a serial number is traced with it."))
            self.quantity_normalised, self.normalised_unit = Decimal(1), "units"
        elif self.kind == self.Kind.AMMUNITION:
            if not self.calibre.strip():
                errors.add("calibre", _("Give the calibre, e.g. 5.56x45 mm or 9 mm."))
            if not isinstance(self.rounds, int) or self.rounds <= 0:
                errors.add("rounds", _("Give the number of rounds (more than 0)."))
            else:
                self.quantity_normalised, self.normalised_unit = Decimal(self.rounds), "units"
        elif self.kind == self.Kind.CASH:
            errors.check(
                "amount",
                validators.validate_positive,
                self.amount,
                _("Give the amount seized (more than 0)."),
            )
            self.currency = (
                errors.check("currency", validators.validate_currency, self.currency)
                or self.currency
            )
        errors.raise_any()


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
    nationality = country_field(_("nationality"))
    passport_number = EncryptedTextField(_("passport number"), blank=True)
    passport_country = country_field(_("passport issuing country"))
    mrz = EncryptedTextField(
        _("passport MRZ"),
        blank=True,
        help_text=_("The two machine-readable lines at the foot of the photo page, if at hand."),
    )
    phone = EncryptedTextField(_("phone"), blank=True, help_text=_("e.g. +1 876 555 0100"))
    pseudonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    PERSONAL_FIELDS = ("full_name", "date_of_birth", "passport_number", "mrz", "phone")

    def __str__(self) -> str:
        return self.get_role_display()

    def clean(self) -> None:
        errors = Errors()
        if not (self.full_name or "").strip():
            errors.add("full_name", _("Give the person's name as written in their document."))
        self.full_name = " ".join((self.full_name or "").split())
        if self.date_of_birth:
            self.date_of_birth = (
                errors.check("date_of_birth", validators.validate_date_of_birth, self.date_of_birth)
                or self.date_of_birth
            )
        if self.passport_number:
            self.passport_number = (
                errors.check(
                    "passport_number", validators.validate_passport_number, self.passport_number
                )
                or self.passport_number
            )
        if self.phone:
            self.phone = errors.check("phone", validators.validate_phone, self.phone) or self.phone
        if self.mrz:
            mrz = errors.check("mrz", validators.parse_mrz, self.mrz)
            if mrz is not None:
                self.mrz = "\n".join(mrz.lines)
                number = validators.mrz_document_number(mrz)
                if not self.passport_number:
                    self.passport_number = number
                elif "passport_number" not in errors.by_field and self.passport_number != number:
                    errors.add(
                        "passport_number",
                        _("The MRZ gives document number %(number)s.") % {"number": number},
                    )
                born = mrz.birth_date_iso()
                if born and not self.date_of_birth:
                    self.date_of_birth = born
                elif (
                    born
                    and "date_of_birth" not in errors.by_field
                    and len(self.date_of_birth) == 10
                    and self.date_of_birth != born
                ):
                    errors.add(
                        "date_of_birth",
                        _("The MRZ gives date of birth %(date)s.") % {"date": born},
                    )
        errors.raise_any()


class Organisation(Entity):
    class OrganisationRole(models.TextChoices):
        SHIPPER = "shipper", _("Shipper / exporter")
        CONSIGNEE = "consignee", _("Consignee / importer")
        FREIGHT_FORWARDER = "forwarder", _("Freight forwarder / customs broker")
        CARRIER = "carrier", _("Carrier")
        FRONT_COMPANY = "front", _("Suspected front company")
        OTHER = "other", _("Other")

    role = models.CharField(
        _("role"), max_length=12, choices=OrganisationRole.choices, default=OrganisationRole.OTHER
    )
    name = models.CharField(_("name"), max_length=200)
    registration_number = models.CharField(_("registration number"), max_length=60, blank=True)
    country = country_field(_("country"))

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = Errors()
        self.name = " ".join((self.name or "").split())
        if self.registration_number:
            self.registration_number = (
                errors.check(
                    "registration_number",
                    validators.validate_registration_number,
                    self.registration_number,
                )
                or self.registration_number
            )
        errors.raise_any()


class Vessel(Entity):
    name = models.CharField(_("name"), max_length=120, blank=True)
    imo = models.CharField(
        _("IMO number"), max_length=16, blank=True, help_text=_("7 digits, e.g. IMO 9074729")
    )
    mmsi = models.CharField(_("MMSI"), max_length=16, blank=True, help_text=_("9 digits"))
    flag = country_field(_("flag"))
    vessel_type = models.CharField(
        _("vessel type"),
        max_length=30,
        blank=True,
        help_text=_("e.g. container ship, go-fast, fishing vessel, semi-submersible"),
    )

    def __str__(self) -> str:
        return self.name or self.imo or self.mmsi

    def clean(self) -> None:
        errors = Errors()
        self.name = " ".join((self.name or "").upper().split())
        if not (self.name or self.imo or self.mmsi):
            errors.add("name", _("Give the vessel's name, IMO number or MMSI."))
        if self.imo:
            self.imo = errors.check("imo", validators.validate_imo, self.imo) or self.imo
        if self.mmsi:
            self.mmsi = errors.check("mmsi", validators.validate_mmsi, self.mmsi) or self.mmsi
        errors.raise_any()


class Container(Entity):
    number = models.CharField(
        _("container number"), max_length=20, help_text=_("ISO 6346, e.g. CSQU3054383")
    )
    seal_number = models.CharField(_("seal number"), max_length=40, blank=True)
    bill_of_lading = models.CharField(_("bill of lading"), max_length=40, blank=True)

    def __str__(self) -> str:
        return self.number

    def clean(self) -> None:
        errors = Errors()
        self.number = (
            errors.check("number", validators.validate_container_number, self.number) or self.number
        )
        errors.raise_any()


class Flight(Entity):
    designator = models.CharField(_("flight"), max_length=12, help_text=_("IATA, e.g. CM 431"))
    flight_date = models.DateField(_("flight date"), null=True, blank=True)
    departure_airport = models.CharField(
        _("from (UN/LOCODE)"), max_length=8, blank=True, help_text=_("e.g. PAPTY")
    )
    arrival_airport = models.CharField(
        _("to (UN/LOCODE)"), max_length=8, blank=True, help_text=_("e.g. ESMAD")
    )

    def __str__(self) -> str:
        return self.designator

    def clean(self) -> None:
        errors = Errors()
        self.designator = (
            errors.check("designator", validators.validate_flight_designator, self.designator)
            or self.designator
        )
        if isinstance(self.flight_date, date):
            errors.check("flight_date", validators.validate_not_future, self.flight_date)
        for name in ("departure_airport", "arrival_airport"):
            value = getattr(self, name)
            if value:
                setattr(self, name, errors.check(name, validators.validate_locode, value) or value)
        errors.raise_any()


class Vehicle(Entity):
    plate = models.CharField(_("plate"), max_length=20, help_text=_("e.g. 5412 HX"))
    country = country_field(_("country"))
    description = models.CharField(_("description"), max_length=200, blank=True)

    def __str__(self) -> str:
        return self.plate

    def clean(self) -> None:
        errors = Errors()
        self.plate = errors.check("plate", validators.validate_plate, self.plate) or self.plate
        errors.raise_any()


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
    body = EncryptedTextField(_("message"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at"])]

    def __str__(self) -> str:
        return f"message #{self.pk}"


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

    class AttachmentKind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        XRAY = "xray", _("X-ray / scanner image")
        DOCUMENT = "document", _("Document")
        OTHER = "other", _("Other")

    kind = models.CharField(
        _("kind"), max_length=10, choices=AttachmentKind.choices, default=AttachmentKind.PHOTO
    )
    # File names and descriptions may name people: encrypted like the rest of personal data.
    filename = EncryptedTextField(_("file name"))
    description = EncryptedTextField(_("description"), blank=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the plaintext file.")
    storage_name = models.CharField(max_length=80, unique=True, editable=False)
    key_id = models.CharField(
        max_length=40,
        default="",
        editable=False,
        help_text="Field key that encrypts the stored file.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=False) | models.Q(seizure__isnull=False),
                name="attachment_belongs_to_a_record",
            )
        ]

    def __str__(self) -> str:
        return f"attachment #{self.pk}"


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
