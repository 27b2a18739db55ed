"""Validators of what an agency types into a seizure report. Pure functions, no database.

Each ``validate_*`` takes what was entered and returns the normalised value, or raises
``ValidationError`` with a message that says what is wrong and what a good value looks like.
Check-digit algorithms: ISO 6346 (containers), IMO (weights 7..2), ICAO Doc 9303 MRZ
(weights 7-3-1). Formats: IATA flight designators, ISO 3166-1 alpha-2, UN/LOCODE, ISO 4217,
E.164 phone numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.vocabularies import CURRENCIES, NORMALISED_UNIT, SUBSTANCES, UNITS, Group
from portal.countries import is_country

_SPACES = re.compile(r"[\s\-./]+")


def _day(value: date) -> str:
    """A date in the reader's language (ISO in English), for messages."""
    from django.utils.formats import date_format

    return date_format(value, "SHORT_DATE_FORMAT")


def _compact(value: str) -> str:
    """Upper case, without spaces, dashes, dots or slashes."""
    return _SPACES.sub("", (value or "").strip().upper())


def _today(today: date | None) -> date:
    return today or timezone.localdate()


# --- ISO 6346 container numbers ---------------------------------------------------------------

# Letters count 10..38, skipping multiples of 11 (11, 22, 33).
_ISO6346_LETTER: dict[str, int] = {}
_value = 10
for _letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
    if _value % 11 == 0:
        _value += 1
    _ISO6346_LETTER[_letter] = _value
    _value += 1

_CONTAINER = re.compile(r"^[A-Z]{3}[UJZ][0-9]{7}$")


def iso6346_check_digit(first_ten: str) -> int:
    """The check digit of owner code + category + serial (10 characters)."""
    total = 0
    for position, char in enumerate(first_ten):
        value = _ISO6346_LETTER[char] if char.isalpha() else int(char)
        total += value * (2**position)
    return total % 11 % 10


def validate_container_number(value: str) -> str:
    number = _compact(value)
    if not _CONTAINER.match(number):
        raise ValidationError(
            _(
                "A container number is 4 letters (owner code ending in U, J or Z) and 7 digits, "
                "e.g. CSQU3054383."
            ),
            code="container_format",
        )
    expected = iso6346_check_digit(number[:10])
    if int(number[10]) != expected:
        raise ValidationError(
            _(
                "The check digit of %(number)s should be %(expected)s (ISO 6346): "
                "check the number on the container."
            ),
            params={"number": number, "expected": expected},
            code="container_check_digit",
        )
    return number


# --- IMO and MMSI ------------------------------------------------------------------------------

_IMO = re.compile(r"^(?:IMO)?([0-9]{7})$")


def imo_check_digit(first_six: str) -> int:
    return sum(int(d) * w for d, w in zip(first_six, range(7, 1, -1), strict=True)) % 10


def validate_imo(value: str) -> str:
    match = _IMO.match(_compact(value))
    if not match:
        raise ValidationError(_("An IMO number is 7 digits, e.g. IMO 9074729."), code="imo_format")
    digits = match.group(1)
    expected = imo_check_digit(digits[:6])
    if int(digits[6]) != expected:
        raise ValidationError(
            _("The check digit of IMO %(number)s should be %(expected)s."),
            params={"number": digits, "expected": expected},
            code="imo_check_digit",
        )
    return digits


def validate_mmsi(value: str) -> str:
    digits = _compact(value)
    if not re.fullmatch(r"[0-9]{9}", digits):
        raise ValidationError(_("An MMSI is 9 digits, e.g. 352001234."), code="mmsi_format")
    if digits[0] not in "234567":
        raise ValidationError(
            _("A ship's MMSI starts with its flag's maritime identification digits (2 to 7)."),
            params={"number": digits},
            code="mmsi_range",
        )
    return digits


# --- ICAO Doc 9303 machine readable zone --------------------------------------------------------

_MRZ_CHARS = re.compile(r"^[A-Z0-9<]+$")


def mrz_char_value(char: str) -> int:
    if char.isdigit():
        return int(char)
    if char == "<":
        return 0
    return ord(char) - ord("A") + 10


def mrz_check_digit(field: str) -> int:
    weights = (7, 3, 1)
    return sum(mrz_char_value(c) * weights[i % 3] for i, c in enumerate(field)) % 10


@dataclass(frozen=True)
class Mrz:
    format: str  # TD1, TD2, TD3
    document_code: str
    issuing_state: str  # ICAO three-letter code
    document_number: str
    nationality: str
    birth_date: str  # YYMMDD as printed
    sex: str
    expiry_date: str
    lines: tuple[str, ...]

    def birth_date_iso(self, today: date | None = None) -> str | None:
        """The date of birth, choosing the century that puts it in the past."""
        raw = self.birth_date
        if not raw.isdigit():
            return None
        yy, mm, dd = int(raw[:2]), int(raw[2:4]), int(raw[4:])
        now = _today(today)
        century = 2000 if 2000 + yy <= now.year else 1900
        try:
            return date(century + yy, mm, dd).isoformat()
        except ValueError:
            return None


def _split_mrz(value: str) -> list[str]:
    text = (value or "").upper().replace("\r", "\n")
    lines = [line.strip().replace(" ", "") for line in text.split("\n") if line.strip()]
    if len(lines) == 1:
        single = lines[0]
        for width, count in ((44, 2), (36, 2), (30, 3)):
            if len(single) == width * count:
                return [single[i * width : (i + 1) * width] for i in range(count)]
    return lines


def _check(field: str, digit: str, label: Any, *, blank_ok: bool = False) -> None:
    if blank_ok and set(field) <= {"<"} and digit in {"<", "0"}:
        return
    if not digit.isdigit() or mrz_check_digit(field) != int(digit):
        raise ValidationError(
            _("The MRZ check digit of the %(field)s does not match: check the MRZ as printed."),
            params={"field": label},
            code="mrz_check_digit",
        )


def parse_mrz(value: str) -> Mrz:
    """Parse and verify a passport (TD3) or identity card (TD1, TD2) machine readable zone."""
    lines = _split_mrz(value)
    shape = tuple(len(line) for line in lines)
    if shape not in {(44, 44), (36, 36), (30, 30, 30)}:
        raise ValidationError(
            _(
                "An MRZ is 2 lines of 44 characters (passport), 2 of 36 or 3 of 30 "
                "(identity cards), as printed, with < for blanks."
            ),
            code="mrz_format",
        )
    if not all(_MRZ_CHARS.match(line) for line in lines):
        raise ValidationError(
            _("An MRZ holds only capital letters, digits and <."), code="mrz_characters"
        )
    number_label = _("document number")
    birth_label = _("date of birth")
    expiry_label = _("date of expiry")
    composite_label = _("whole MRZ (composite)")
    if shape == (44, 44):
        one, two = lines
        _check(two[0:9], two[9], number_label)
        _check(two[13:19], two[19], birth_label)
        _check(two[21:27], two[27], expiry_label)
        _check(two[28:42], two[42], _("personal number"), blank_ok=True)
        _check(two[0:10] + two[13:20] + two[21:43], two[43], composite_label)
        return Mrz(
            "TD3",
            one[0:2],
            one[2:5],
            two[0:9],
            two[10:13],
            two[13:19],
            two[20],
            two[21:27],
            tuple(lines),
        )
    if shape == (36, 36):
        one, two = lines
        _check(two[0:9], two[9], number_label)
        _check(two[13:19], two[19], birth_label)
        _check(two[21:27], two[27], expiry_label)
        _check(two[0:10] + two[13:20] + two[21:35], two[35], composite_label)
        return Mrz(
            "TD2",
            one[0:2],
            one[2:5],
            two[0:9],
            two[10:13],
            two[13:19],
            two[20],
            two[21:27],
            tuple(lines),
        )
    one, two, _three = lines
    _check(one[5:14], one[14], number_label)
    _check(two[0:6], two[6], birth_label)
    _check(two[8:14], two[14], expiry_label)
    _check(one[5:30] + two[0:7] + two[8:15] + two[18:29], two[29], composite_label)
    return Mrz(
        "TD1", one[0:2], one[2:5], one[5:14], two[15:18], two[0:6], two[7], two[8:14], tuple(lines)
    )


def mrz_document_number(mrz: Mrz) -> str:
    return mrz.document_number.replace("<", "")


# --- Passports, phones, plates ------------------------------------------------------------------


def validate_passport_number(value: str) -> str:
    number = _compact(value)
    if not re.fullmatch(r"[A-Z0-9]{5,20}", number):
        raise ValidationError(
            _("A passport number is 5 to 20 letters and digits, e.g. PA1234567."),
            code="passport_format",
        )
    return number


def validate_phone(value: str) -> str:
    """E.164: + country code and number, 8 to 15 digits. Spaces, dashes, dots and brackets
    are allowed when typing; a leading 00 is read as +."""
    raw = re.sub(r"[\s\-.()/]", "", (value or "").strip())
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    if not re.fullmatch(r"\+[1-9][0-9]{7,14}", raw):
        raise ValidationError(
            _("Enter the phone number in international format, e.g. +1 876 555 0100."),
            code="phone_format",
        )
    return raw


def validate_plate(value: str) -> str:
    plate = _compact(value)
    if not re.fullmatch(r"[A-Z0-9]{2,12}", plate):
        raise ValidationError(
            _("A plate is 2 to 12 letters and digits, e.g. 5412 HX or ABC-123."),
            code="plate_format",
        )
    return plate


def validate_registration_number(value: str) -> str:
    number = _compact(value)
    if not re.fullmatch(r"[A-Z0-9]{3,30}", number):
        raise ValidationError(
            _("A registration number is 3 to 30 letters and digits."),
            code="registration_format",
        )
    return number


def validate_serial_number(value: str) -> str:
    serial = _compact(value)
    if not re.fullmatch(r"[A-Z0-9]{2,40}", serial):
        raise ValidationError(
            _(
                "A serial number is 2 to 40 letters and digits as stamped; if it was "
                "obliterated, leave it empty and say so in the markings."
            ),
            code="serial_format",
        )
    return serial


# --- Flights --------------------------------------------------------------------------------------

_FLIGHT = re.compile(r"^([A-Z0-9]{2})([0-9]{1,4})([A-Z]?)$")


def validate_flight_designator(value: str) -> str:
    """IATA: a 2-character airline designator, a 1-4 digit number and an optional suffix.
    Normalised without spaces or leading zeros (``CM 0431`` → ``CM431``)."""
    text = (value or "").strip().upper()
    parts = [part for part in re.split(r"[\s\-]+", text) if part]
    # "C 431": the separator says where the airline code ends; without one, it is 2 characters.
    match = None if len(parts) == 2 and len(parts[0]) != 2 else _FLIGHT.match("".join(parts))
    if not match or match.group(1).isdigit():
        raise ValidationError(
            _(
                "A flight is the 2-character IATA airline code and 1 to 4 digits, "
                "e.g. CM 431 or B6 1234."
            ),
            code="flight_format",
        )
    airline, number, suffix = match.groups()
    return f"{airline}{int(number)}{suffix}"


# --- Places ------------------------------------------------------------------------------------


def validate_country(value: str) -> str:
    code = (value or "").strip().upper()
    if not is_country(code):
        raise ValidationError(
            _("%(value)s is not an ISO 3166 country code (two letters, e.g. JM)."),
            params={"value": value},
            code="country",
        )
    return code


def validate_countries(value: str | list[str] | tuple[str, ...]) -> list[str]:
    """Several countries, written ``PA JM`` or ``PA, JM`` or as a list; order kept, no repeats."""
    items = re.split(r"[\s,;]+", value.strip()) if isinstance(value, str) else list(value)
    codes: list[str] = []
    for item in items:
        if not item:
            continue
        code = validate_country(item)
        if code not in codes:
            codes.append(code)
    return codes


_LOCODE = re.compile(r"^([A-Z]{2})([A-Z2-9]{3})$")


def validate_locode(value: str, country: str | None = None) -> str:
    """UN/LOCODE: the ISO 3166 country and 3 letters or digits 2-9, e.g. PAONX (Manzanillo)."""
    code = _compact(value)
    match = _LOCODE.match(code)
    if not match or not is_country(match.group(1)):
        raise ValidationError(
            _(
                "A UN/LOCODE is the 2-letter country and 3 letters or digits (2-9), "
                "e.g. JMKIN or PA ONX."
            ),
            code="locode_format",
        )
    if country and match.group(1) != country.upper():
        raise ValidationError(
            _("%(code)s is a place in %(place)s, not in the seizure country %(country)s."),
            params={"code": code, "place": match.group(1), "country": country.upper()},
            code="locode_country",
        )
    return code


def validate_coordinates(latitude: Any, longitude: Any) -> tuple[Decimal, Decimal] | None:
    """Both or neither; latitude -90..90, longitude -180..180 (WGS 84 decimal degrees)."""
    if latitude in (None, "") and longitude in (None, ""):
        return None
    errors: dict[str, Any] = {}
    values: dict[str, Decimal] = {}
    for name, raw, limit in (("latitude", latitude, 90), ("longitude", longitude, 180)):
        if raw in (None, ""):
            errors[name] = _("Give both latitude and longitude, or neither.")
            continue
        try:
            number = Decimal(str(raw))
        except InvalidOperation:
            errors[name] = _("Enter decimal degrees, e.g. 17.9712.")
            continue
        if not number.is_finite() or not -limit <= number <= limit:
            errors[name] = _("Must be between -%(limit)s and %(limit)s degrees.") % {"limit": limit}
            continue
        values[name] = number
    if errors:
        raise ValidationError(errors)
    return values["latitude"], values["longitude"]


# --- Dates -----------------------------------------------------------------------------------

EARLIEST = date(1900, 1, 1)


def validate_not_future(value: date, today: date | None = None) -> date:
    if value > _today(today):
        raise ValidationError(
            _("%(date)s is in the future."), params={"date": _day(value)}, code="future"
        )
    if value < EARLIEST:
        raise ValidationError(
            _("%(date)s is before 1900."), params={"date": _day(value)}, code="too_old"
        )
    return value


def validate_date_of_birth(value: str, today: date | None = None) -> str:
    """A full date (YYYY-MM-DD) or, when only part is known, YYYY-MM or YYYY."""
    text = (value or "").strip()
    match = re.fullmatch(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?", text)
    if not match:
        raise ValidationError(
            _("Write the date of birth as YYYY-MM-DD (or YYYY-MM, or YYYY when unknown)."),
            code="dob_format",
        )
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        earliest = date(year or 1, month or 1, day or 1)
    except ValueError as exc:
        raise ValidationError(
            _("%(value)s is not a date."), params={"value": text}, code="dob_invalid"
        ) from exc
    validate_not_future(earliest, today)
    return text


# --- Quantities and money ----------------------------------------------------------------------


@dataclass(frozen=True)
class Quantity:
    entered: Decimal
    unit: str
    normalised: Decimal
    normalised_unit: str


def validate_quantity(substance: str, quantity: Any, unit: str, group: Group) -> Quantity:
    """A quantity > 0 in a unit that fits the substance; normalised to kg, litres or units.

    Raises a ValidationError keyed by field (``substance``, ``quantity``, ``unit``).
    """
    known = SUBSTANCES.get(substance or "")
    if known is None or known.group != group:
        message = (
            _("Choose a drug from the list.")
            if group == Group.DRUG
            else _("Choose a precursor chemical from the list.")
        )
        raise ValidationError({"substance": message})
    try:
        amount = Decimal(str(quantity))
    except (InvalidOperation, TypeError):
        raise ValidationError({"quantity": _("Enter the quantity seized.")}) from None
    errors: dict[str, Any] = {}
    if not amount.is_finite() or amount <= 0:
        errors["quantity"] = _("The quantity must be more than 0.")
    if unit not in known.units:
        allowed = ", ".join(known.units)
        errors["unit"] = _("%(substance)s is counted in: %(allowed)s.") % {
            "substance": known.label,
            "allowed": allowed,
        }
    if errors:
        raise ValidationError(errors)
    spec = UNITS[unit]
    normalised = (amount * spec.factor).quantize(Decimal("0.000001"))
    return Quantity(amount, unit, normalised, NORMALISED_UNIT[spec.dimension])


def validate_purity(value: Any) -> Decimal:
    try:
        purity = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError(_("Purity is a percentage, e.g. 82.5."), code="purity") from None
    if not purity.is_finite() or not Decimal(0) < purity <= Decimal(100):
        raise ValidationError(
            _("Purity is a percentage above 0 and at most 100."), code="purity_range"
        )
    return purity


def validate_currency(value: str) -> str:
    code = (value or "").strip().upper()
    if code not in CURRENCIES:
        raise ValidationError(
            _("%(value)s is not an ISO 4217 currency code (e.g. USD, EUR, JMD)."),
            params={"value": value},
            code="currency",
        )
    return code


def validate_positive(value: Any, message: Any = None) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError):
        raise ValidationError(message or _("Enter a number."), code="number") from None
    if not number.is_finite() or number <= 0:
        raise ValidationError(message or _("Must be more than 0."), code="positive")
    return number
