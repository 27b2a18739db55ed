"""Every validation rule of a seizure report, with good and bad values (pure functions)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cases import validators as v
from cases.vocabularies import CURRENCIES, SUBSTANCES, UNITS, Group

TODAY = date(2026, 3, 15)

# ICAO Doc 9303 specimens (Part 4 TD3, Part 5 TD1, Part 6 TD2).
TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
)
TD2 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6"


def messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


# --- ISO 6346 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entered", "normalised"),
    [
        ("CSQU3054383", "CSQU3054383"),
        ("csqu 305438 3", "CSQU3054383"),
        ("CSQU-305438-3", "CSQU3054383"),
        ("MSCU1234566", "MSCU1234566"),
        ("TGHU9876542", "TGHU9876542"),
        ("HLXJ0000010", "HLXJ0000010"),  # J category (detachable equipment)
    ],
)
def test_good_container_numbers_are_normalised(entered: str, normalised: str) -> None:
    assert v.validate_container_number(entered) == normalised


def test_the_iso6346_check_digit_follows_the_standard() -> None:
    # letters count 10.. skipping multiples of 11; weights are powers of 2; mod 11, mod 10
    assert v.iso6346_check_digit("CSQU305438") == 3
    assert v.iso6346_check_digit("MSCU123456") == 6


@pytest.mark.parametrize(
    ("entered", "says"),
    [
        ("CSQU3054384", "should be 3"),
        ("MSCU1234567", "should be 6"),
        ("CSQ3054383", "4 letters"),
        ("CSQX3054383", "U, J or Z"),
        ("CSQU305438", "7 digits"),
        ("1SQU3054383", "4 letters"),
        ("", "4 letters"),
    ],
)
def test_bad_container_numbers_are_refused_with_a_reason(entered: str, says: str) -> None:
    with pytest.raises(ValidationError) as exc:
        v.validate_container_number(entered)
    assert says in messages(exc)


# --- IMO and MMSI ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entered", "normalised"),
    [("9074729", "9074729"), ("IMO 9074729", "9074729"), ("imo9176187", "9176187")],
)
def test_good_imo_numbers(entered: str, normalised: str) -> None:
    assert v.validate_imo(entered) == normalised


def test_the_imo_check_digit_uses_weights_seven_to_two() -> None:
    # 9*7 + 0*6 + 7*5 + 4*4 + 7*3 + 2*2 = 139 -> 9
    assert v.imo_check_digit("907472") == 9


@pytest.mark.parametrize(
    ("entered", "says"),
    [("9074728", "should be 9"), ("907472", "7 digits"), ("IMO 90747299", "7 digits"), ("", "7")],
)
def test_bad_imo_numbers(entered: str, says: str) -> None:
    with pytest.raises(ValidationError) as exc:
        v.validate_imo(entered)
    assert says in messages(exc)


@pytest.mark.parametrize("entered", ["352001234", "338 123 456", "775000001"])
def test_good_mmsi(entered: str) -> None:
    assert v.validate_mmsi(entered) == entered.replace(" ", "")


@pytest.mark.parametrize(
    "entered", ["35200123", "3520012345", "ABC001234", "970123456", "111352100"]
)
def test_bad_mmsi(entered: str) -> None:
    with pytest.raises(ValidationError):
        v.validate_mmsi(entered)


# --- ICAO 9303 MRZ ----------------------------------------------------------------------------


def test_the_mrz_check_digit_uses_weights_7_3_1() -> None:
    assert v.mrz_check_digit("L898902C3") == 6
    assert v.mrz_check_digit("740812") == 2
    assert v.mrz_check_digit("<<<<<<") == 0


@pytest.mark.parametrize(
    ("mrz", "shape", "number"),
    [(TD3, "TD3", "L898902C3"), (TD1, "TD1", "D23145890"), (TD2, "TD2", "D23145890")],
)
def test_good_mrz_of_every_format_parse(mrz: str, shape: str, number: str) -> None:
    parsed = v.parse_mrz(mrz)
    assert parsed.format == shape
    assert v.mrz_document_number(parsed) == number
    assert parsed.birth_date_iso(TODAY) == "1974-08-12"


def test_an_mrz_pasted_as_one_line_is_split() -> None:
    assert v.parse_mrz(TD3.replace("\n", "")).format == "TD3"


@pytest.mark.parametrize(
    ("mrz", "says"),
    [
        (TD3.replace("L898902C36", "L898902C37"), "document number"),
        (TD3.replace("7408122F", "7408123F"), "date of birth"),
        (TD3.replace("1204159Z", "1204158Z"), "date of expiry"),
        (TD3.replace("<<<<<10", "<<<<<20"), "personal number"),
        (TD3[:-1] + "1", "composite"),
        (TD1.replace("7408122F", "7408121F"), "date of birth"),
        (TD2[:-1] + "5", "composite"),
        ("P<UTOERIKSSON", "2 lines of 44"),
        (TD3.replace("ANNA", "AN-A"), "capital letters"),
    ],
)
def test_bad_mrz_says_which_check_digit_fails(mrz: str, says: str) -> None:
    with pytest.raises(ValidationError) as exc:
        v.parse_mrz(mrz)
    assert says in messages(exc)


# --- passports, phones, plates, serials ----------------------------------------------------------


def test_passport_numbers() -> None:
    assert v.validate_passport_number(" pa 123 4567 ") == "PA1234567"
    for bad in ("A12", "PA#1234567", "X" * 21):
        with pytest.raises(ValidationError):
            v.validate_passport_number(bad)


@pytest.mark.parametrize(
    ("entered", "normalised"),
    [
        ("+1 876 555 0100", "+18765550100"),
        ("+57 (310) 555-1234", "+573105551234"),
        ("0044 20 7946 0958", "+442079460958"),
    ],
)
def test_good_phones_become_e164(entered: str, normalised: str) -> None:
    assert v.validate_phone(entered) == normalised


@pytest.mark.parametrize("entered", ["876 555 0100", "+0 876 555", "+1 876", "+1 876 555 01OO", ""])
def test_bad_phones(entered: str) -> None:
    with pytest.raises(ValidationError) as exc:
        v.validate_phone(entered)
    assert "international format" in messages(exc)


def test_plates_registration_and_serial_numbers() -> None:
    assert v.validate_plate("5412 hx") == "5412HX"
    assert v.validate_registration_number("155-612-345") == "155612345"
    assert v.validate_serial_number("dfk 1234") == "DFK1234"
    for func, bad in (
        (v.validate_plate, "A"),
        (v.validate_plate, "AB#12"),
        (v.validate_registration_number, "12"),
        (v.validate_serial_number, "X"),
        (v.validate_serial_number, "ABC*123"),
    ):
        with pytest.raises(ValidationError):
            func(bad)


# --- flights ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entered", "normalised"),
    [
        ("CM 431", "CM431"),
        ("cm0431", "CM431"),
        ("B6 1234", "B61234"),
        ("9W 7", "9W7"),
        ("AA 100A", "AA100A"),
        ("U2-8123", "U28123"),
    ],
)
def test_good_iata_flight_designators(entered: str, normalised: str) -> None:
    assert v.validate_flight_designator(entered) == normalised


@pytest.mark.parametrize("entered", ["12 345", "CMP 431", "CM", "CM 12345", "C 431", "CM 43AB"])
def test_bad_flight_designators(entered: str) -> None:
    with pytest.raises(ValidationError) as exc:
        v.validate_flight_designator(entered)
    assert "IATA" in messages(exc)


# --- places -------------------------------------------------------------------------------------


def test_countries_are_iso_3166() -> None:
    assert v.validate_country(" jm ") == "JM"
    for bad in ("XX", "JAM", "", "UK"):
        with pytest.raises(ValidationError):
            v.validate_country(bad)


def test_several_countries_keep_route_order_without_repeats() -> None:
    assert v.validate_countries("pa, jm;PA  nl") == ["PA", "JM", "NL"]
    assert v.validate_countries(["CO", "PA"]) == ["CO", "PA"]
    with pytest.raises(ValidationError):
        v.validate_countries("PA XX")


@pytest.mark.parametrize(
    ("entered", "normalised"),
    [
        ("PAONX", "PAONX"),
        ("jm kin", "JMKIN"),
        ("ecgye", "ECGYE"),
        ("NLRTM", "NLRTM"),
        ("USMI2", "USMI2"),
    ],
)
def test_good_locodes(entered: str, normalised: str) -> None:
    assert v.validate_locode(entered) == normalised


@pytest.mark.parametrize("entered", ["PAONXX", "PAON", "XXONX", "PAON1", "PA-0NX", "12345"])
def test_bad_locodes(entered: str) -> None:
    with pytest.raises(ValidationError):
        v.validate_locode(entered)


def test_a_locode_must_be_in_the_seizure_country() -> None:
    assert v.validate_locode("PAONX", "PA") == "PAONX"
    with pytest.raises(ValidationError) as exc:
        v.validate_locode("PAONX", "JM")
    assert "not in the seizure country JM" in messages(exc)


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(None, None), ("", ""), ("17.9712", "-76.7936"), (90, 180), (-90, -180), (Decimal(0), 0)],
)
def test_good_coordinates(lat: object, lon: object) -> None:
    v.validate_coordinates(lat, lon)


@pytest.mark.parametrize(
    ("lat", "lon", "field"),
    [
        ("90.0001", "0", "latitude"),
        ("-91", "0", "latitude"),
        ("0", "180.5", "longitude"),
        ("0", "-181", "longitude"),
        ("17.9", None, "longitude"),
        (None, "-76.7", "latitude"),
        ("north", "0", "latitude"),
        ("NaN", "0", "latitude"),
    ],
)
def test_bad_coordinates_name_the_field(lat: object, lon: object, field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        v.validate_coordinates(lat, lon)
    assert field in exc.value.error_dict


# --- dates --------------------------------------------------------------------------------------


def test_dates_may_not_be_in_the_future() -> None:
    assert v.validate_not_future(TODAY, TODAY) == TODAY
    assert v.validate_not_future(date(2001, 1, 1), TODAY)
    with pytest.raises(ValidationError) as exc:
        v.validate_not_future(date(2026, 3, 16), TODAY)
    assert "future" in messages(exc)
    with pytest.raises(ValidationError):
        v.validate_not_future(date(1899, 12, 31), TODAY)


@pytest.mark.parametrize("entered", ["1974-08-12", "1974-08", "1974", "2026-03-15"])
def test_good_dates_of_birth_full_or_partial(entered: str) -> None:
    assert v.validate_date_of_birth(entered, TODAY) == entered


@pytest.mark.parametrize(
    "entered", ["12/08/1974", "1974-13", "1974-02-30", "2026-03-16", "2027", "74"]
)
def test_bad_dates_of_birth(entered: str) -> None:
    with pytest.raises(ValidationError):
        v.validate_date_of_birth(entered, TODAY)


# --- quantities, purity, money -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("substance", "quantity", "unit", "normalised", "normalised_unit"),
    [
        ("cocaine_hcl", "1250", "kg", Decimal("1250"), "kg"),
        ("cocaine_hcl", "850", "g", Decimal("0.85"), "kg"),
        ("cannabis_herb", "2", "t", Decimal("2000"), "kg"),
        ("heroin", "10", "lb", Decimal("4.535924"), "kg"),
        ("mdma", "12000", "tablets", Decimal("12000"), "units"),
        ("cannabis_plants", "340", "plants", Decimal("340"), "units"),
        ("cocaine_liquid", "200", "l", Decimal("200"), "l"),
        ("lsd", "500", "doses", Decimal("500"), "units"),
    ],
)
def test_drug_quantities_are_normalised(
    substance: str, quantity: str, unit: str, normalised: Decimal, normalised_unit: str
) -> None:
    result = v.validate_quantity(substance, quantity, unit, Group.DRUG)
    assert result.entered == Decimal(quantity)
    assert result.unit == unit
    assert result.normalised == normalised
    assert result.normalised_unit == normalised_unit


@pytest.mark.parametrize(
    ("substance", "quantity", "unit", "normalised", "normalised_unit"),
    [
        ("acetic_anhydride", "3000", "l", Decimal("3000"), "l"),
        ("potassium_permanganate", "25", "t", Decimal("25000"), "kg"),
        ("sulphuric_acid", "55", "gal", Decimal("208.197648"), "l"),
        ("acetone", "1.5", "m3", Decimal("1500"), "l"),
        ("pseudoephedrine", "40000", "tablets", Decimal("40000"), "units"),
    ],
)
def test_precursor_quantities_are_normalised(
    substance: str, quantity: str, unit: str, normalised: Decimal, normalised_unit: str
) -> None:
    result = v.validate_quantity(substance, quantity, unit, Group.PRECURSOR)
    assert (result.normalised, result.normalised_unit) == (normalised, normalised_unit)


@pytest.mark.parametrize(
    ("substance", "quantity", "unit", "group", "field"),
    [
        ("cocaine_hcl", "0", "kg", Group.DRUG, "quantity"),
        ("cocaine_hcl", "-5", "kg", Group.DRUG, "quantity"),
        ("cocaine_hcl", "abc", "kg", Group.DRUG, "quantity"),
        ("cocaine_hcl", None, "kg", Group.DRUG, "quantity"),
        ("cocaine_hcl", "10", "tablets", Group.DRUG, "unit"),
        ("cocaine_hcl", "10", "l", Group.DRUG, "unit"),
        ("cannabis_plants", "10", "kg", Group.DRUG, "unit"),
        ("mdma", "10", "furlongs", Group.DRUG, "unit"),
        ("potassium_permanganate", "10", "l", Group.PRECURSOR, "unit"),
        ("unobtainium", "10", "kg", Group.DRUG, "substance"),
        ("acetone", "10", "l", Group.DRUG, "substance"),  # a precursor is not a drug
        ("cocaine_hcl", "10", "kg", Group.PRECURSOR, "substance"),
    ],
)
def test_bad_quantities_name_the_field(
    substance: str, quantity: object, unit: str, group: Group, field: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        v.validate_quantity(substance, quantity, unit, group)
    assert field in exc.value.error_dict


def test_every_substance_names_known_units_and_the_lists_cover_the_issue() -> None:
    for substance in SUBSTANCES.values():
        assert substance.units and all(unit in UNITS for unit in substance.units)
    drugs = {s.code for s in SUBSTANCES.values() if s.group == Group.DRUG}
    precursors = {s.code for s in SUBSTANCES.values() if s.group == Group.PRECURSOR}
    assert {"cocaine_hcl", "cocaine_base", "crack", "cannabis_herb", "cannabis_resin", "heroin",
            "fentanyl", "fentanyl_analogue", "methamphetamine", "amphetamine", "mdma",
            "ketamine"} <= drugs  # fmt: skip
    assert {"potassium_permanganate", "acetic_anhydride", "ephedrine", "pseudoephedrine", "p2p",
            "safrole", "piperonal", "sulphuric_acid", "hydrochloric_acid", "acetone", "toluene",
            "mek"} <= precursors  # fmt: skip


def test_purity_is_a_percentage() -> None:
    assert v.validate_purity("82.5") == Decimal("82.5")
    assert v.validate_purity(100) == Decimal(100)
    for bad in ("0", "-1", "100.01", "high"):
        with pytest.raises(ValidationError):
            v.validate_purity(bad)


def test_currencies_are_iso_4217() -> None:
    assert v.validate_currency(" usd ") == "USD"
    assert {"USD", "EUR", "JMD", "COP", "TTD", "XCD", "PAB", "DOP"} <= CURRENCIES
    for bad in ("US$", "DOLLARS", "XXX", "", "BTC"):
        with pytest.raises(ValidationError):
            v.validate_currency(bad)


def test_positive_amounts() -> None:
    assert v.validate_positive("1500000.50") == Decimal("1500000.50")
    for bad in ("0", "-3", "lots", None):
        with pytest.raises(ValidationError):
            v.validate_positive(bad)
