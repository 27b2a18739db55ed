"""The fields a column of an imported table can fill, how headers are recognised, and how a
cell becomes the value a seizure report form would have received.

Reading a cell is not validating it: a date written ``02/03/2026`` becomes ``2026-03-02``, a
country written ``Panamá`` becomes ``PA``, ``cocaína`` becomes ``cocaine_hcl``; whatever cannot
be read is passed on as written, and the seizure report's own validation (``cases``) says
what is wrong with it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.markings import HandlingCode, InformationCredibility, SourceReliability, Tlp
from cases.models import (
    Container,
    Flight,
    Organisation,
    Person,
    SeizureItem,
    SeizureReport,
    TransportMode,
    Vehicle,
    Vessel,
)
from cases.vocabularies import FIREARM_TYPE_CHOICES, SUBSTANCE_CHOICES, UNITS
from portal.countries import COUNTRIES, country_name

LANGUAGES = ("en", "es", "fr", "pt")
REPORT = "report"
CASE = "case"
KEY = "key"  # the report key: rows sharing one make one report
MULTI_SEPARATOR = re.compile(r"\s*[;|\n]\s*")


def fold(text: Any) -> str:
    """Lower case, no accents, words separated by one space: how headers and values compare."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


@dataclass(frozen=True)
class ImportField:
    key: str
    label: Promise
    group: str  # REPORT, CASE, or a kind of row of cases.actions.NESTED ("items", ...)
    attr: str
    kind: str = "text"  # text, date, time, decimal, int, bool, country, countries, choice
    aliases: tuple[str, ...] = ()
    multi: bool = False  # several values in one cell, separated by ; or |
    required: bool = False


F = ImportField
FIELDS: tuple[ImportField, ...] = (
    # the report
    F("seized_on", _("Seized on"), REPORT, "seized_on", "date", (
        "date", "seizure date", "date of seizure", "seized", "fecha", "fecha de incautacion",
        "fecha incautacion", "fecha de decomiso", "fecha de la incautacion", "date de saisie",
        "date saisie", "data", "data da apreensao", "data apreensao",
    ), required=True),
    F("seized_at_time", _("Time"), REPORT, "seized_at_time", "time", (
        "time", "seizure time", "hora", "heure", "hora da apreensao",
    )),
    F("country", _("Country of seizure"), REPORT, "country", "country", (
        "country", "country of seizure", "seizure country", "pais", "pais de incautacion",
        "pais de la incautacion", "pays", "pays de saisie", "pais da apreensao",
    ), required=True),
    F("place", _("Place"), REPORT, "place", "text", (
        "place", "place of seizure", "location", "lugar", "lugar de incautacion", "sitio",
        "lieu", "lieu de saisie", "local", "local da apreensao",
    )),
    F("latitude", _("Latitude"), REPORT, "latitude", "decimal", ("lat", "latitud")),
    F("longitude", _("Longitude"), REPORT, "longitude", "decimal", ("lon", "lng", "longitud")),
    F("locode", _("UN/LOCODE"), REPORT, "locode", "text", (
        "locode", "un locode", "port", "puerto", "porto", "aeropuerto", "airport", "aeroport",
    )),
    F("transport_mode", _("Transport mode"), REPORT, "transport_mode", "choice", (
        "transport mode", "mode of transport", "transport", "conveyance", "modo de transporte",
        "medio de transporte", "transporte", "mode de transport", "moyen de transport",
        "modo de transporte", "meio de transporte",
    ), required=True),
    F("origin_country", _("Origin"), REPORT, "origin_country", "country", (
        "origin", "country of origin", "origen", "pais de origen", "origine", "pays d origine",
        "origem", "pais de origem",
    )),
    F("departure_country", _("Departure"), REPORT, "departure_country", "country", (
        "departure", "country of departure", "salida", "pais de salida", "procedencia",
        "pais de procedencia", "depart", "pays de depart", "partida", "pais de partida",
        "pais de embarque",
    )),
    F("transit_countries", _("Transit countries"), REPORT, "transit_countries", "countries", (
        "transit", "transit countries", "transito", "paises de transito", "pays de transit",
        "paises de transito",
    )),
    F("destination_country", _("Destination"), REPORT, "destination_country", "country", (
        "destination", "country of destination", "destino", "pais de destino",
        "pays de destination",
    )),
    F("concealment", _("Concealment method"), REPORT, "concealment", "text", (
        "concealment", "concealment method", "ocultamiento", "metodo de ocultamiento",
        "ocultacion", "dissimulation", "mode de dissimulation", "ocultacao",
        "metodo de ocultacao",
    )),
    F("summary", _("Summary"), REPORT, "summary", "text", (
        "summary", "remarks", "notes", "narrative", "resumen", "observaciones", "resume",
        "remarques", "resumo", "observacoes",
    )),
    F("tlp", _("TLP"), REPORT, "tlp", "choice", ("tlp", "traffic light protocol")),
    F("handling_code", _("Handling code"), REPORT, "handling_code", "choice", (
        "handling code", "handling", "codigo de manejo", "code de traitement",
        "codigo de tratamento",
    )),
    F("handling_note", _("Handling note"), REPORT, "handling_note", "text", (
        "handling note", "nota de manejo", "note de traitement", "nota de tratamento",
    )),
    F("source_reliability", _("Source reliability"), REPORT, "source_reliability", "choice", (
        "source reliability", "reliability", "fiabilidad de la fuente", "fiabilite de la source",
        "confiabilidade da fonte",
    )),
    F("information_credibility", _("Information credibility"), REPORT,
      "information_credibility", "choice", (
        "information credibility", "credibility", "credibilidad de la informacion",
        "credibilite de l information", "credibilidade da informacao",
    )),
    F("do_not_reveal", _("Do not reveal on match"), REPORT, "do_not_reveal", "bool", (
        "do not reveal", "no revelar", "ne pas reveler", "nao revelar",
    )),
    F("case", _("Case reference"), CASE, "case", "text", (
        "case", "case reference", "caso", "referencia del caso", "expediente", "affaire",
        "dossier", "reference de l affaire", "processo", "referencia do caso",
    )),
    # several rows, one report: rows with the same key are one report, each row an item
    F("report_key", _("Report key"), KEY, "key", "text", (
        "report key", "report id", "report no", "report number", "seizure key", "seizure id",
        "clave del informe", "clave de informe", "id del informe", "numero de informe",
        "cle du rapport", "identifiant du rapport", "numero du rapport", "chave do relatorio",
        "id do relatorio", "numero do relatorio",
    )),
    # the item seized
    F("item_kind", _("Item kind"), "items", "kind", "choice", (
        "item kind", "kind", "item", "tipo de item", "tipo", "categoria", "type d objet",
        "categorie", "tipo de item apreendido",
    )),
    F("substance", _("Substance"), "items", "substance", "choice", (
        "substance", "drug", "drug type", "sustancia", "droga", "tipo de droga", "drogue",
        "type de drogue", "substancia", "tipo de droga",
    )),
    F("quantity", _("Quantity"), "items", "quantity", "decimal", (
        "quantity", "amount seized", "qty", "cantidad", "quantite", "quantidade",
    )),
    F("unit", _("Unit"), "items", "unit", "choice", ("unit", "unidad", "unite", "unidade")),
    F("purity", _("Purity %"), "items", "purity", "decimal", (
        "purity", "purity %", "purity (%)", "pureza", "purete",
    )),
    F("firearm_type", _("Firearm type"), "items", "firearm_type", "choice", (
        "firearm type", "weapon type", "tipo de arma", "type d arme",
    )),
    F("make", _("Make"), "items", "make", "text", (
        "make", "manufacturer", "brand", "marca", "fabricante", "marque", "fabricant",
    )),
    F("model", _("Model"), "items", "model", "text", ("model", "modelo", "modele")),
    F("calibre", _("Calibre"), "items", "calibre", "text", ("calibre", "caliber", "calibro")),
    F("serial_number", _("Serial number"), "items", "serial_number", "text", (
        "serial number", "serial", "serial no", "numero de serie", "n de serie", "no de serie",
        "nro de serie", "serie",
    )),
    F("markings", _("Markings"), "items", "markings", "text", (
        "markings", "marcas", "marcajes", "marquages", "marcacoes",
    )),
    F("country_of_manufacture", _("Country of manufacture"), "items",
      "country_of_manufacture", "country", (
        "country of manufacture", "pais de fabricacion", "pays de fabrication",
        "pais de fabricacao",
    )),
    F("rounds", _("Rounds"), "items", "rounds", "int", (
        "rounds", "cartridges", "cartuchos", "municiones", "cartouches", "munitions",
        "municoes",
    )),
    F("amount", _("Cash amount"), "items", "amount", "decimal", (
        "cash", "cash amount", "amount", "monto", "efectivo", "importe", "montant", "especes",
        "valor", "dinheiro",
    )),
    F("currency", _("Currency"), "items", "currency", "text", (
        "currency", "moneda", "divisa", "devise", "monnaie", "moeda",
    )),
    F("item_description", _("Item description"), "items", "description", "text", (
        "item description", "description", "descripcion", "descricao",
    )),
    # identifiers and linked entities
    F("container_number", _("Container numbers"), "containers", "number", "text", (
        "container", "containers", "container number", "container no", "contenedor",
        "contenedores", "numero de contenedor", "conteneur", "numero de conteneur",
        "conteiner", "contentor", "numero do conteiner",
    ), multi=True),
    F("seal_number", _("Seal numbers"), "containers", "seal_number", "text", (
        "seal", "seal number", "precinto", "sello", "scelle", "lacre",
    ), multi=True),
    F("bill_of_lading", _("Bills of lading"), "containers", "bill_of_lading", "text", (
        "bill of lading", "b l", "bl", "conocimiento de embarque", "connaissement",
        "conhecimento de embarque",
    ), multi=True),
    F("vessel_name", _("Vessel name"), "vessels", "name", "text", (
        "vessel", "vessel name", "ship", "ship name", "buque", "nombre del buque",
        "embarcacion", "navire", "nom du navire", "navio", "nome do navio", "embarcacao",
    )),
    F("vessel_imo", _("Vessel IMO number"), "vessels", "imo", "text", (
        "imo", "imo number", "imo no", "numero imo",
    )),
    F("vessel_mmsi", _("Vessel MMSI"), "vessels", "mmsi", "text", ("mmsi",)),
    F("vessel_flag", _("Vessel flag"), "vessels", "flag", "country", (
        "flag", "vessel flag", "bandera", "pavillon", "bandeira",
    )),
    F("vessel_type", _("Vessel type"), "vessels", "vessel_type", "text", (
        "vessel type", "tipo de buque", "type de navire", "tipo de navio",
    )),
    F("flight", _("Flight"), "flights", "designator", "text", (
        "flight", "flight number", "flight no", "vuelo", "numero de vuelo", "vol",
        "numero de vol", "voo", "numero do voo",
    )),
    F("flight_date", _("Flight date"), "flights", "flight_date", "date", (
        "flight date", "fecha de vuelo", "fecha del vuelo", "date du vol", "data do voo",
    )),
    F("departure_airport", _("Flight from (UN/LOCODE)"), "flights", "departure_airport",
      "text", ("from airport", "departure airport", "aeropuerto de salida",
               "aeroport de depart", "aeroporto de partida")),
    F("arrival_airport", _("Flight to (UN/LOCODE)"), "flights", "arrival_airport", "text", (
        "to airport", "arrival airport", "aeropuerto de llegada", "aeroport d arrivee",
        "aeroporto de chegada",
    )),
    F("vehicle_plate", _("Vehicle plate"), "vehicles", "plate", "text", (
        "plate", "vehicle plate", "licence plate", "license plate", "registration plate",
        "placa", "matricula", "patente", "plaque", "immatriculation", "placa do veiculo",
    )),
    F("vehicle_country", _("Vehicle country"), "vehicles", "country", "country", (
        "vehicle country", "pais del vehiculo", "pays du vehicule", "pais do veiculo",
    )),
    F("vehicle_description", _("Vehicle description"), "vehicles", "description", "text", (
        "vehicle", "vehicle description", "vehiculo", "vehicule", "veiculo",
    )),
    F("person_role", _("Person's role"), "persons", "role", "choice", (
        "person role", "role", "rol", "papel", "funcao",
    )),
    F("person_name", _("Person's full name"), "persons", "full_name", "text", (
        "name", "full name", "person", "suspect", "courier", "nombre", "nombre completo",
        "sospechoso", "nom", "nom complet", "suspect", "nome", "nome completo", "suspeito",
    )),
    F("date_of_birth", _("Date of birth"), "persons", "date_of_birth", "text", (
        "date of birth", "dob", "birth date", "fecha de nacimiento", "date de naissance",
        "data de nascimento",
    )),
    F("nationality", _("Nationality"), "persons", "nationality", "country", (
        "nationality", "nacionalidad", "nationalite", "nacionalidade",
    )),
    F("passport_number", _("Passport number"), "persons", "passport_number", "text", (
        "passport", "passport number", "passport no", "pasaporte", "numero de pasaporte",
        "passeport", "numero de passeport", "passaporte", "numero do passaporte",
    )),
    F("passport_country", _("Passport issuing country"), "persons", "passport_country",
      "country", ("passport country", "issuing country", "pais del pasaporte",
                  "pays du passeport", "pais do passaporte", "pais emisor")),
    F("mrz", _("Passport MRZ"), "persons", "mrz", "text", ("mrz",)),
    F("phone", _("Phone"), "persons", "phone", "text", (
        "phone", "phone number", "telephone", "mobile", "telefono", "celular", "movil",
        "numero de telefono", "telephone", "portable", "telefone", "celular",
    )),
    F("organisation_role", _("Organisation's role"), "organisations", "role", "choice", (
        "organisation role", "organization role", "company role", "rol de la empresa",
        "role de l entreprise", "papel da empresa",
    )),
    F("organisation_name", _("Organisation name"), "organisations", "name", "text", (
        "company", "organisation", "organization", "company name", "shipper", "consignee",
        "empresa", "compania", "razon social", "consignatario", "entreprise", "societe",
        "destinataire", "empresa", "companhia", "consignatario",
    )),
    F("registration_number", _("Company registration number"), "organisations",
      "registration_number", "text", (
        "registration number", "company registration", "tax id", "ruc", "nit", "rif", "rut",
        "cuit", "rfc", "numero de registro", "siren", "siret", "cnpj",
    )),
    F("organisation_country", _("Organisation country"), "organisations", "country",
      "country", ("company country", "pais de la empresa", "pays de l entreprise",
                  "pais da empresa")),
)  # fmt: skip
BY_KEY: dict[str, ImportField] = {field.key: field for field in FIELDS}
REQUIRED = tuple(field for field in FIELDS if field.required)
GROUP_MODELS: dict[str, type[models.Model]] = {
    REPORT: SeizureReport,
    "items": SeizureItem,
    "containers": Container,
    "vessels": Vessel,
    "flights": Flight,
    "vehicles": Vehicle,
    "persons": Person,
    "organisations": Organisation,
}


def field_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The fields as grouped choices for a column's picker."""
    titles = {
        REPORT: _("Seizure report"),
        CASE: _("Seizure report"),
        KEY: _("Seizure report"),
        "items": _("Item seized"),
        "containers": _("Containers"),
        "vessels": _("Vessel"),
        "flights": _("Flight"),
        "vehicles": _("Vehicle"),
        "persons": _("Person"),
        "organisations": _("Organisation"),
    }
    grouped: dict[str, list[tuple[str, str]]] = {}
    for field in FIELDS:
        grouped.setdefault(str(titles[field.group]), []).append((field.key, str(field.label)))
    return list(grouped.items())


# --- recognising headers -------------------------------------------------------------------------


@cache
def _header_names() -> dict[str, str]:
    """Folded header -> field key: the aliases, then each field's label in every language."""
    names: dict[str, str] = {}
    for field in FIELDS:
        for alias in field.aliases:
            names.setdefault(fold(alias), field.key)
    for language in LANGUAGES:
        with translation.override(language):
            for field in FIELDS:
                names.setdefault(fold(field.label), field.key)
                names.setdefault(fold(field.key), field.key)
                if field.group in (REPORT, "items"):
                    model_field = GROUP_MODELS[field.group]._meta.get_field(field.attr)
                    names.setdefault(fold(getattr(model_field, "verbose_name", "")), field.key)
    # the layouts Enlace exports (insight.exports), so an export reads back in
    names.update(
        {
            "drug": "substance",
            "seizure date": "seized_on",
            "country of seizure": "country",
            "place of seizure": "place",
            "mode of transport": "transport_mode",
            "transit countries": "transit_countries",
            "purity": "purity",
            "containers": "container_number",
        }
    )
    return names


def guess_field(header: Any) -> str:
    """The field a header names, or "" when it names none we know."""
    folded = fold(header)
    if not folded:
        return ""
    names = _header_names()
    if folded in names:
        return names[folded]
    stripped = fold(re.sub(r"\(.*?\)", " ", str(header)))  # "Quantity (kg)" -> "quantity"
    return names.get(stripped, "")


def guess_mapping(headers: Sequence[Any]) -> list[str]:
    """A field per column, by header name in English, Spanish, French or Portuguese; a field
    goes to the first column that names it, later ones are left unmapped."""
    taken: set[str] = set()
    mapping: list[str] = []
    for header in headers:
        key = guess_field(header)
        if key in taken:
            key = ""
        if key:
            taken.add(key)
        mapping.append(key)
    return mapping


# --- reading cells -------------------------------------------------------------------------------

TRANSPORT_SYNONYMS = {
    "sea_container": ("container", "sea container", "contenedor", "maritimo contenedor",
                      "conteneur", "conteiner", "contentor", "sea (container)"),
    "sea_vessel": ("vessel", "ship", "boat", "sea", "maritime", "buque", "embarcacion",
                   "lancha", "go fast", "semisumergible", "maritimo", "navire", "bateau",
                   "maritime", "navio", "barco", "embarcacao", "sea (vessel)"),
    "air_passenger": ("courier", "passenger", "air passenger", "pasajero", "mula",
                      "correo humano", "passager", "mule", "passageiro", "aereo pasajero",
                      "air (passenger / courier)"),
    "air_cargo": ("air cargo", "cargo aereo", "carga aerea", "fret aerien", "air (cargo)"),
    "postal": ("mail", "post", "postal", "express", "courier service", "correo", "paquete",
               "courrier", "colis", "correio", "encomenda", "mail (postal / express)"),
    "land_vehicle": ("vehicle", "land", "road", "car", "truck", "terrestre", "vehiculo",
                     "camion", "routier", "vehicule", "rodoviario", "veiculo", "caminhao",
                     "land (vehicle)"),
    "other": ("other", "otro", "autre", "outro"),
}  # fmt: skip
SUBSTANCE_SYNONYMS = {
    "cocaine_hcl": ("cocaine", "cocaina", "coca", "cocaine hydrochloride", "clorhidrato de cocaina",
                    "chlorhydrate de cocaine", "cloridrato de cocaina"),
    "cocaine_base": ("cocaine base", "base de cocaina", "pasta base", "pasta basica",
                     "coca paste", "pate de coca", "pasta de coca"),
    "cannabis_herb": ("cannabis", "marijuana", "marihuana", "marijuana herb", "maconha",
                      "herbe de cannabis", "ganja", "cannabis herbal"),
    "cannabis_resin": ("hashish", "hachis", "haxixe", "resine de cannabis"),
    "heroin": ("heroina", "heroine"),
    "methamphetamine": ("meth", "metanfetamina", "methamphetamine", "cristal"),
    "mdma": ("ecstasy", "extasis", "ecstasy mdma"),
}  # fmt: skip
UNIT_SYNONYMS = {
    "kg": ("kilo", "kilos", "kgs", "kilogram", "kilogramo", "kilogramme", "kilograma"),
    "g": ("gr", "grs", "gram", "gramo", "gramme", "grama"),
    "t": ("ton", "tons", "tonne", "tonelada", "toneladas"),
    "l": ("litre", "liter", "litro", "litros", "lt", "lts"),
    "ml": ("millilitre", "milliliter", "mililitro"),
    "units": ("unit", "unidad", "unidades", "unite", "unidade", "pcs", "pieces"),
    "tablets": ("tablet", "pills", "pastillas", "comprimidos", "comprimes", "pilulas"),
    "plants": ("plant", "plantas", "plantes"),
}  # fmt: skip
BOOLEAN = {
    **dict.fromkeys(("yes", "y", "true", "1", "x", "si", "oui", "sim", "verdadero", "vrai"), True),
    **dict.fromkeys(("no", "n", "false", "0", "non", "nao", "falso", "faux", ""), False),
}


def _choices_of(field: ImportField) -> Iterable[tuple[str, Any]]:
    if field.key == "transport_mode":
        return TransportMode.choices
    if field.key == "substance":
        return SUBSTANCE_CHOICES
    if field.key == "unit":
        return [(code, unit.label) for code, unit in UNITS.items()]
    if field.key == "firearm_type":
        return FIREARM_TYPE_CHOICES
    if field.key == "tlp":
        return Tlp.choices
    if field.key == "handling_code":
        return HandlingCode.choices
    if field.key == "source_reliability":
        return SourceReliability.choices
    if field.key == "information_credibility":
        return InformationCredibility.choices
    model_field = GROUP_MODELS[field.group]._meta.get_field(field.attr)
    return getattr(model_field, "choices", None) or []


@cache
def _choice_names(key: str) -> dict[str, str]:
    """Folded value or label (in every language) -> stored value, for one choice field."""
    field = BY_KEY[key]
    names: dict[str, str] = {}
    extra = {"transport_mode": TRANSPORT_SYNONYMS, "substance": SUBSTANCE_SYNONYMS,
             "unit": UNIT_SYNONYMS}.get(key, {})  # fmt: skip
    for value, words in extra.items():
        for word in words:
            names.setdefault(fold(word), value)
    for language in LANGUAGES:
        with translation.override(language):
            for value, label in _choices_of(field):
                names.setdefault(fold(value), value)
                names.setdefault(fold(label), value)
                # "A — completely reliable", "H1 — not for use in court ...": the code alone
                names.setdefault(fold(str(label).split(" — ")[0]), value)
    return names


@cache
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {fold(code): code for code in COUNTRIES}
    for language in LANGUAGES:
        with translation.override(language):
            for code in COUNTRIES:
                names.setdefault(fold(country_name(code)), code)
    return names


_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


def read_date(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = _DMY.match(text)
    if match:  # day first, as written across the region
        day, month, year = (int(part) for part in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            return text
    return text[:10] if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", text) else text


def read_decimal(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    text = str(value).strip().replace(" ", "").replace("\u00a0", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # 12,5 written with a decimal comma
    elif "," in text and "." in text:
        # 1.234,5 or 1,234.5: the last separator is the decimal one
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    return text


def read_cell(field: ImportField, value: Any) -> Any:
    """The value of one cell as the seizure report form would receive it (see module doc)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if field.kind == "date":
        return read_date(value)
    if field.kind == "time":
        if isinstance(value, datetime):
            return value.time()
        return value if isinstance(value, time) else str(value).strip()
    if field.kind == "decimal":
        return read_decimal(value)
    if field.kind == "int":
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value if isinstance(value, int) else str(value).strip()
    if field.kind == "bool":
        if isinstance(value, bool):
            return value
        return BOOLEAN.get(fold(value), str(value).strip())
    if field.kind == "country":
        return _country_names().get(fold(value), str(value).strip())
    if field.kind == "countries":
        text = str(value).strip()
        parts = re.split(r"[,;|/]", text) if re.search(r"[,;|/]", text) else [text]
        if len(parts) == 1 and all(len(word) == 2 for word in text.split()):
            parts = text.split()  # "PA JM"
        return [_country_names().get(fold(part), part.strip()) for part in parts if part.strip()]
    if field.kind == "choice":
        return _choice_names(field.key).get(fold(value), str(value).strip())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a number typed into a text column (a phone, a plate)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def split_multi(value: Any) -> list[Any]:
    if value is None:
        return []
    return [part for part in MULTI_SEPARATOR.split(str(value).strip()) if part]
