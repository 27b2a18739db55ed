# ruff: noqa: E501 - tables of synthetic data read better one record a line
"""Cases and seizure reports of the demo region: a few hundred believable, synthetic records.

The patterns follow what the region's agencies report: cocaine in containers from Ecuadorian
and Colombian ports through Panama, Jamaica or the Dominican Republic to Europe; go-fast boats
and semi-submersibles; precursor chemicals shipped to Colombia, Ecuador and Peru; air
couriers on flights to Madrid, Amsterdam and London; pistols and rifles sent from Florida in
barrels and parcels; cash carried through Tocumen. Every container number, IMO number and MRZ
carries valid check digits; every person, vessel and company is invented.

Everything is written through ``cases.actions`` (the same validation, blind indexes and audit
entries as a real record), by the demo analysts of ``portal.demo.agencies``, deterministically
(one seeded random generator), so other demo steps can refer to the same records.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from cases import actions
from cases.markings import TLP_ORDER
from cases.models import Case, SeizureReport
from cases.validators import imo_check_digit, iso6346_check_digit, mrz_check_digit

SEED = 20260301
SEIZURES_PER_RUN = 300

# The analyst who records for each agency (portal.demo.agencies.PEOPLE).
RECORDERS = {
    "JCA": "ana.analyst",
    "DIRAN": "carlos.analista",
    "SENAN": "marcos.analista",
    "DNCD": "pedro.analista",
    "TTPS-OCNFB": "tom.analyst",
    "CUS-EC": "elena.analista",
    "UAF-PA": "fiona.analista",
    "IMPACS": "rita.analyst",
}

# --- places ------------------------------------------------------------------------------------

# agency -> [(UN/LOCODE, place, latitude, longitude)] of the ports and airports it works at.
SEAPORTS = {
    "JCA": [("JMKIN", "Kingston Container Terminal", "17.9712", "-76.8207"),
            ("JMMBJ", "Montego Bay Freeport", "18.4748", "-77.9336")],
    "CUS-EC": [("ECGYE", "Puerto de Guayaquil, Terminal Contecon", "-2.2830", "-79.9070"),
               ("ECPSJ", "DP World Posorja", "-2.7060", "-80.2470"),
               ("ECPBO", "Puerto Bolívar", "-3.2670", "-80.0000")],
    "DIRAN": [("COBUN", "Sociedad Portuaria de Buenaventura", "3.8890", "-77.0790"),
              ("COCTG", "Terminal de Contenedores de Cartagena", "10.3910", "-75.5140"),
              ("COSMR", "Puerto de Santa Marta", "11.2470", "-74.2170"),
              ("COTRB", "Puerto de Turbo", "8.0930", "-76.7280")],
    "SENAN": [("PAMIT", "Manzanillo International Terminal, Colón", "9.3630", "-79.8820"),
              ("PABLB", "Puerto de Balboa", "8.9510", "-79.5660"),
              ("PAONX", "Colón Container Terminal", "9.3540", "-79.8990")],
    "DNCD": [("DOCAU", "Multimodal Caucedo", "18.4260", "-69.6330"),
             ("DOHAI", "Puerto de Haina", "18.4180", "-70.0150")],
    "TTPS-OCNFB": [("TTPOS", "Port of Port of Spain", "10.6490", "-61.5180"),
                   ("TTPTS", "Point Lisas", "10.4050", "-61.4740")],
}  # fmt: skip
AIRPORTS = {
    "JCA": [("JMKIN", "Norman Manley International Airport", "17.9357", "-76.7875"),
            ("JMMBJ", "Sangster International Airport", "18.5037", "-77.9134")],
    "DNCD": [("DOSDQ", "Aeropuerto Internacional de Las Américas", "18.4297", "-69.6689"),
             ("DOPUJ", "Aeropuerto Internacional de Punta Cana", "18.5674", "-68.3634")],
    "TTPS-OCNFB": [("TTPOS", "Piarco International Airport", "10.5954", "-61.3372")],
    "UAF-PA": [("PAPTY", "Aeropuerto Internacional de Tocumen", "9.0714", "-79.3835")],
    "SENAN": [("PAPTY", "Aeropuerto Internacional de Tocumen", "9.0714", "-79.3835")],
    "CUS-EC": [("ECUIO", "Aeropuerto Mariscal Sucre", "-0.1292", "-78.3575"),
               ("ECGYE", "Aeropuerto José Joaquín de Olmedo", "-2.1574", "-79.8837")],
    "DIRAN": [("COBOG", "Aeropuerto El Dorado", "4.7016", "-74.1469"),
              ("COMDE", "Aeropuerto José María Córdova", "6.1645", "-75.4231")],
}  # fmt: skip
# Where go-fast boats and semi-submersibles are stopped: (country, description, lat, lon).
SEA_AREAS = {
    "DIRAN": [("CO", "Pacific, 60 nm west of Tumaco", "1.9000", "-79.8000"),
              ("CO", "Caribbean, off La Guajira", "12.3000", "-72.4000"),
              ("CO", "Gulf of Urabá", "8.4000", "-76.9000")],
    "SENAN": [("PA", "Pacific, south of Isla del Rey", "8.1000", "-78.9000"),
              ("PA", "Guna Yala coast", "9.5500", "-78.6000"),
              ("PA", "Azuero Peninsula, 40 nm offshore", "7.0000", "-80.6000")],
    "DNCD": [("DO", "Caribbean, 35 nm south of Isla Saona", "17.5000", "-68.7000"),
             ("DO", "Bahía de Ocoa", "18.3000", "-70.6000")],
    "TTPS-OCNFB": [("TT", "Gulf of Paria, off Cedros", "10.1000", "-61.8500"),
                   ("TT", "Columbus Channel", "9.9500", "-61.6000")],
    "JCA": [("JM", "Pedro Banks", "17.0000", "-77.8000"),
            ("JM", "off Portland Point", "17.6500", "-77.1500")],
}  # fmt: skip

EUROPE = ["NL", "BE", "ES", "DE", "GB", "FR", "IT", "PT"]
CONCEALMENT_CONTAINER = [
    "Rip-on/rip-off: sports bags behind the container doors",
    "Inside the refrigeration unit of a reefer container",
    "False floor of the container",
    "Among boxes of bananas",
    "Inside pallets of frozen shrimp",
    "In sacks of green coffee",
    "In barrels of fruit pulp",
    "Hidden in scrap metal",
    "Dissolved in bottles of liquor",
    "In the walls of ceramic tiles",
    "Among bags of cattle feed",
]
CONCEALMENT_AIR = [
    "Swallowed pellets (body packer)",
    "False bottom of a suitcase",
    "Strapped to the body under clothing",
    "Inside food tins in checked luggage",
    "Impregnated into clothing",
    "Inside the lining of a backpack",
]
CONCEALMENT_FIREARMS = [
    "Barrels of food and clothing from Florida",
    "Disassembled inside car parts",
    "Inside a household appliance",
    "In a 'barrel' shipment declared as personal effects",
    "In an express parcel declared as auto parts",
]

# --- people, companies, vessels -----------------------------------------------------------------

FIRST = ["Juan", "Carlos", "Luis", "Andrés", "Jorge", "Miguel", "José", "Diego", "Kevin",
         "Ana", "María", "Daniela", "Paola", "Yesenia", "Rosa", "Marlon", "Dwayne", "Andre",
         "Shanice", "Tamika", "Rohan", "Kemar", "Wilmer", "Jhon", "Edwin", "Yuliana"]  # fmt: skip
LAST = ["Rodríguez", "Gómez", "Martínez", "Hernández", "López", "Pérez", "Ramírez", "Torres",
        "Castillo", "Mosquera", "Angulo", "Valencia", "Campbell", "Brown", "Williams", "Thompson",
        "Reid", "Grant", "Peña", "Batista", "Reyes", "Ortiz", "Quiñónez", "Cedeño", "Mendoza",
        "Charles", "Mohammed", "Ramdass"]  # fmt: skip
# nationality -> (ICAO code, phone prefix, passport letters)
NATIONALS = {
    "CO": ("COL", "+57 3", "AN"), "VE": ("VEN", "+58 41", ""), "JM": ("JAM", "+1 876", "A"),
    "DO": ("DOM", "+1 809", "SC"), "EC": ("ECU", "+593 9", "A"), "PA": ("PAN", "+507 6", "PA"),
    "TT": ("TTO", "+1 868", "TA"), "ES": ("ESP", "+34 6", "PA"), "NL": ("NLD", "+31 6", "NX"),
    "GB": ("GBR", "+44 7", ""), "US": ("USA", "+1 305", ""), "MX": ("MEX", "+52 55", "G"),
}  # fmt: skip
COMPANY_WORDS = ["Frutas", "Agroexport", "Comercializadora", "Inversiones", "Logística",
                 "Transportes", "Importadora", "Distribuidora", "Químicos", "Industrias"]  # fmt: skip
COMPANY_NAMES = ["del Pacífico", "Andina", "del Caribe", "Tropical", "San Rafael", "Los Álamos",
                 "Mar Azul", "El Dorado", "La Esperanza", "Ecuatoriana", "Istmeña"]  # fmt: skip
SUFFIX = {"CO": "S.A.S.", "EC": "S.A.", "PA": "S.A.", "DO": "S.R.L.", "JM": "Ltd", "NL": "B.V.",
          "BE": "BVBA", "ES": "S.L.", "MX": "S.A. de C.V.", "CN": "Co., Ltd", "US": "LLC"}  # fmt: skip
SHIP_NAMES = ["Caribbean Star", "Pacific Aurora", "Mar de Plata", "Andes Trader", "Costa Verde",
              "Atlantic Bridge", "Santa Lucía", "Orinoco Express", "Blue Marlin", "Golden Gate",
              "Humboldt Current", "Isla Bonita"]  # fmt: skip
GO_FAST = ["sin nombre", "La Negra", "El Bendito", "Mi Niña", "Sea Queen", "Lady Di",
           "Don Pancho", "El Flaco"]  # fmt: skip
CARRIER_PREFIX = ["MSCU", "MAEU", "CMAU", "HLXU", "SUDU", "TGHU", "SEGU", "TCNU", "CAIU", "FSCU",
                  "MRKU", "ONEU", "EMCU", "TRLU"]  # fmt: skip
FLAGS = {"PA": "35", "LR": "636", "MH": "538", "MT": "248", "SG": "563", "CO": "730", "EC": "735",
         "JM": "339", "DO": "327", "TT": "362", "VE": "775", "BS": "311"}  # fmt: skip
AIRLINES = ["CM", "AV", "B6", "AA", "UX", "IB", "KL", "BA", "DL", "LA", "AM", "UA"]
FIREARMS = [
    ("pistol", "Glock", "19", "9 mm"), ("pistol", "Glock", "17", "9 mm"),
    ("pistol", "Taurus", "G2C", "9 mm"), ("pistol", "Smith & Wesson", "M&P9 Shield", "9 mm"),
    ("pistol", "Sig Sauer", "P320", "9 mm"), ("revolver", "Smith & Wesson", "Model 686", ".357"),
    ("pistol", "Springfield Armory", "XD", ".45 ACP"),
    ("rifle", "Anderson Manufacturing", "AM-15", "5.56x45 mm"),
    ("rifle", "Palmetto State Armory", "PA-15", "5.56x45 mm"),
    ("assault_rifle", "Norinco", "Type 56", "7.62x39 mm"),
    ("shotgun", "Mossberg", "500", "12 gauge"), ("pistol", "Ruger", "SR9c", "9 mm"),
    ("privately_made", "unknown", "Polymer80 frame", "9 mm"),
]  # fmt: skip


@dataclass
class Plan:
    """A case to be, and the seizure reports that go into it."""

    agency: str
    title: str
    summary: str
    crime_types: list[str]
    tlp: str = "AMBER"
    handling_code: str = "H0"
    handling_note: str = ""
    evaluation: str = ""
    status: str = "investigation"
    scenario: str = "container"
    seizures: int = 5
    made: list[int] = field(default_factory=list)


CASES = [
    Plan("JCA", "Operation Coral Reef", "Reefer containers from Guayaquil transshipped at Kingston for Rotterdam and Antwerp.", ["drug_trafficking"], "AMBER", evaluation="B2", seizures=8),
    Plan("JCA", "Florida barrels", "Firearms and ammunition in barrels of food and clothing sent from South Florida.", ["firearms_trafficking"], "AMBER", "H1", scenario="firearms", seizures=7),
    Plan("JCA", "Sangster couriers", "Body packers on flights from Montego Bay to London and Toronto.", ["drug_trafficking"], "GREEN", scenario="courier", seizures=6, status="open"),
    Plan("JCA", "Pedro Banks go-fasts", "Go-fast boats exchanging cannabis for firearms and cocaine off Pedro Banks.", ["drug_trafficking", "firearms_trafficking"], "AMBER+STRICT", "H2", evaluation="C3", scenario="gofast", seizures=4),
    Plan("JCA", "Postal cannabis to the UK", "Cannabis herb in express parcels addressed to the United Kingdom.", ["drug_trafficking"], "CLEAR", scenario="postal", seizures=4, status="closed"),
    Plan("CUS-EC", "Ruta del banano", "Cocaine in banana shipments from Guayaquil and Posorja to Antwerp and Rotterdam.", ["drug_trafficking"], "AMBER", evaluation="B2", seizures=9),
    Plan("CUS-EC", "Permanganato Posorja", "Potassium permanganate declared as water treatment chemicals, bound for Colombia.", ["precursor_diversion"], "GREEN", scenario="precursor", seizures=5),
    Plan("CUS-EC", "Mariscal Sucre couriers", "Couriers on flights from Quito to Madrid and Amsterdam.", ["drug_trafficking"], "GREEN", scenario="courier", seizures=5),
    Plan("CUS-EC", "Camaronera Puerto Bolívar", "Frozen shrimp exporters used as cover for cocaine.", ["drug_trafficking", "money_laundering"], "RED", "H3", "Do not contact the exporters or their freight forwarders.", "A2", seizures=3),
    Plan("DIRAN", "Operación Pacífico Sur", "Semi-submersibles and go-fasts leaving Tumaco and Buenaventura.", ["drug_trafficking"], "AMBER", evaluation="B2", scenario="gofast", seizures=7),
    Plan("DIRAN", "Operación Guajira", "Go-fast departures from La Guajira towards the Dominican Republic and Puerto Rico.", ["drug_trafficking"], "AMBER", scenario="gofast", seizures=5),
    Plan("DIRAN", "Precursores Buenaventura", "Acetic anhydride, permanganate and solvents arriving at Buenaventura.", ["precursor_diversion"], "GREEN", scenario="precursor", seizures=6),
    Plan("DIRAN", "Contaminación Cartagena", "Contaminated containers at Cartagena bound for Europe.", ["drug_trafficking"], "AMBER", "H1", seizures=7),
    Plan("DIRAN", "El Dorado couriers", "Couriers and cash on flights from Bogotá and Medellín.", ["drug_trafficking", "money_laundering"], "GREEN", scenario="courier", seizures=5),
    Plan("SENAN", "Operación Istmo", "Containers transshipped at Manzanillo and Balboa.", ["drug_trafficking"], "AMBER", evaluation="B3", seizures=8),
    Plan("SENAN", "Lanchas del Darién", "Go-fasts along the Pacific coast and Guna Yala.", ["drug_trafficking"], "AMBER", scenario="gofast", seizures=6),
    Plan("SENAN", "Químicos en tránsito", "Precursor chemicals transshipped through Colón Free Zone.", ["precursor_diversion"], "GREEN", scenario="precursor", seizures=4),
    Plan("DNCD", "Operación Caribe Sur", "Go-fasts from Venezuela and Colombia landing on the south coast.", ["drug_trafficking"], "AMBER", evaluation="C2", scenario="gofast", seizures=7),
    Plan("DNCD", "Caucedo contaminados", "Containers at Caucedo bound for Europe.", ["drug_trafficking"], "AMBER", seizures=6),
    Plan("DNCD", "Las Américas", "Couriers on flights to Madrid and Amsterdam.", ["drug_trafficking"], "GREEN", scenario="courier", seizures=5),
    Plan("DNCD", "Armas desde Miami", "Firearms in containers and parcels from Florida.", ["firearms_trafficking"], "AMBER", scenario="firearms", seizures=4),
    Plan("TTPS-OCNFB", "Operation Tidewater", "Pirogues crossing the Gulf of Paria with cocaine, cannabis and firearms.", ["drug_trafficking", "firearms_trafficking"], "AMBER", evaluation="B3", scenario="gofast", seizures=6),
    Plan("TTPS-OCNFB", "Point Lisas containers", "Cocaine in containers at Point Lisas bound for Europe.", ["drug_trafficking"], "AMBER", seizures=4),
    Plan("TTPS-OCNFB", "Guns in the mail", "Pistols and ammunition in express parcels from Florida.", ["firearms_trafficking"], "GREEN", scenario="firearms", seizures=5),
    Plan("UAF-PA", "Efectivo en Tocumen", "Undeclared cash carried by travellers through Tocumen.", ["money_laundering"], "AMBER", "H2", scenario="cash", seizures=6),
    Plan("UAF-PA", "Mulas de efectivo", "Cash couriers linked to cocaine proceeds returning from Europe.", ["money_laundering", "drug_trafficking"], "AMBER+STRICT", evaluation="B2", scenario="cash", seizures=4),
    Plan("IMPACS", "Regional firearms picture 2026", "Firearms reported by CARICOM member states (regional analysis).", ["firearms_trafficking"], "GREEN", scenario="firearms", seizures=3, status="open"),
    Plan("JCA", "Coffee from Buenaventura", "Green coffee containers contaminated in Buenaventura, transshipped at Kingston.", ["drug_trafficking"], "AMBER", seizures=4, status="closed"),
    Plan("CUS-EC", "Pulpa de fruta", "Cocaine in fruit pulp barrels to Spain.", ["drug_trafficking"], "AMBER", seizures=4, status="archived"),
    Plan("DIRAN", "Acetona y MEK", "Solvents diverted from licensed importers in Cali.", ["precursor_diversion"], "GREEN", scenario="precursor", seizures=4, status="closed"),
    Plan("SENAN", "Tocumen couriers", "Couriers in transit at Tocumen on flights from Colombia.", ["drug_trafficking"], "GREEN", scenario="courier", seizures=4),
    Plan("DNCD", "Frontera norte", "Vehicles crossing from Haiti at Dajabón with cannabis and firearms.", ["drug_trafficking", "firearms_trafficking"], "AMBER", scenario="land", seizures=4),
]  # fmt: skip

SCENARIO_WEIGHTS = [
    ("container", 36), ("gofast", 18), ("courier", 16), ("precursor", 10), ("firearms", 10),
    ("cash", 5), ("postal", 3), ("land", 2),
]  # fmt: skip
AGENCIES_FOR = {
    "container": ["JCA", "CUS-EC", "DIRAN", "SENAN", "DNCD", "TTPS-OCNFB"],
    "gofast": ["DIRAN", "SENAN", "DNCD", "TTPS-OCNFB", "JCA"],
    "courier": ["JCA", "DNCD", "TTPS-OCNFB", "CUS-EC", "DIRAN", "SENAN"],
    "precursor": ["CUS-EC", "DIRAN", "SENAN"],
    "firearms": ["JCA", "TTPS-OCNFB", "DNCD"],
    "cash": ["UAF-PA", "SENAN"],
    "postal": ["JCA", "DNCD"],
    "land": ["DNCD"],
}


class Maker:
    """Builds one believable seizure report of a scenario, with valid identifiers."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    # identifiers with valid check digits
    def container(self) -> str:
        first = self.rng.choice(CARRIER_PREFIX) + f"{self.rng.randrange(10**6):06d}"
        return first + str(iso6346_check_digit(first))

    def imo(self) -> str:
        first = f"9{self.rng.randrange(10**5):05d}"
        return first + str(imo_check_digit(first))

    def mmsi(self, flag: str) -> str:
        mid = FLAGS.get(flag, "35")
        mid = mid if len(mid) == 3 else mid + str(self.rng.choice([1, 2, 3, 4, 5, 6, 7]))
        return mid + f"{self.rng.randrange(10**6):06d}"

    def phone(self, nationality: str) -> str:
        prefix = NATIONALS.get(nationality, ("", "+57 3", ""))[1]
        digits = 10 - len(prefix.replace("+", "").replace(" ", "")) + 1
        return f"{prefix}{self.rng.randrange(10 ** (digits - 1), 10**digits)}"

    def passport(self, nationality: str) -> str:
        letters = NATIONALS.get(nationality, ("", "", "P"))[2]
        return letters + f"{self.rng.randrange(10**6, 10**7)}"

    def mrz(self, surname: str, given: str, nationality: str, number: str, born: date) -> str:
        def clean(text: str) -> str:
            table = str.maketrans("ÁÉÍÓÚÑÜáéíóúñü", "AEIOUNUaeiounu")
            return "".join(c if c.isalpha() else "<" for c in text.translate(table).upper())

        code = NATIONALS[nationality][0]
        name = f"{clean(surname)}<<{clean(given)}"
        line1 = f"P<{code}{name}".ljust(44, "<")[:44]
        doc = number.ljust(9, "<")[:9]
        dob = born.strftime("%y%m%d")
        expiry = (born.replace(year=min(born.year + 60, 2035))).strftime("%y%m%d")
        personal = "<" * 14
        parts = [doc + str(mrz_check_digit(doc)), code, dob + str(mrz_check_digit(dob)),
                 self.rng.choice("MF"), expiry + str(mrz_check_digit(expiry)),
                 personal + "0"]  # fmt: skip
        line2 = "".join(parts)
        composite = line2[0:10] + line2[13:20] + line2[21:43]
        return f"{line1}\n{line2}{mrz_check_digit(composite)}"

    def person(self, role: str, nationality: str, *, documents: bool = True) -> dict[str, Any]:
        given = self.rng.choice(FIRST)
        surname = f"{self.rng.choice(LAST)} {self.rng.choice(LAST)}"
        born = date(self.rng.randint(1962, 2004), self.rng.randint(1, 12), self.rng.randint(1, 28))
        row: dict[str, Any] = {
            "role": role,
            "full_name": f"{given} {surname}",
            "date_of_birth": born.isoformat() if self.rng.random() > 0.1 else str(born.year),
            "nationality": nationality,
        }
        if documents:
            number = self.passport(nationality)
            row.update({"passport_number": number, "passport_country": nationality})
            if self.rng.random() < 0.3 and nationality in NATIONALS:
                row["mrz"] = self.mrz(surname.split()[0], given, nationality, number, born)
                row["date_of_birth"] = born.isoformat()
        if self.rng.random() < 0.6:
            row["phone"] = self.phone(nationality)
        return row

    def company(self, role: str, country: str) -> dict[str, Any]:
        name = f"{self.rng.choice(COMPANY_WORDS)} {self.rng.choice(COMPANY_NAMES)}"
        return {
            "role": role,
            "name": f"{name} {SUFFIX.get(country, 'S.A.')}",
            "registration_number": f"{self.rng.randrange(10**8, 10**10)}",
            "country": country,
        }

    # scenarios
    def container_seizure(self, agency: str) -> dict[str, Any]:
        locode, place, lat, lon = self.rng.choice(SEAPORTS[agency])
        country = locode[:2]
        origin = self.rng.choice(["CO", "EC", "PE", "BO", "CO", "EC"])
        departure = country if country in ("EC", "CO") else self.rng.choice(["EC", "CO"])
        transit = [] if country not in ("EC", "CO") else self.rng.sample(["PA", "JM", "DO"], 1)
        if country not in ("EC", "CO"):
            transit = [country]
        substance = self.rng.choice(["cocaine_hcl"] * 8 + ["cocaine_base", "cannabis_herb"])
        kilos = Decimal(self.rng.randrange(60, 2400)) + Decimal(self.rng.randrange(0, 10)) / 10
        items = [{"kind": "drug", "substance": substance, "quantity": str(kilos), "unit": "kg",
                  "purity": str(self.rng.randint(62, 93)) if substance == "cocaine_hcl" else None,
                  "description": f"{int(kilos)} bricks"}]  # fmt: skip
        destination = self.rng.choice([*EUROPE, "US", "CA"])
        shipper = self.company("shipper", departure)
        consignee = self.company("consignee", destination if destination in SUFFIX else "NL")
        flag = self.rng.choice(["PA", "LR", "MH", "MT", "SG"])
        return {
            "country": country, "place": place, "locode": locode, "latitude": lat,
            "longitude": lon, "transport_mode": "sea_container", "origin_country": origin,
            "departure_country": departure, "transit_countries": transit,
            "destination_country": destination,
            "concealment": self.rng.choice(CONCEALMENT_CONTAINER),
            "items": items,
            "containers": [{"number": self.container(), "seal_number": f"ML{self.rng.randrange(10**6):06d}",
                            "bill_of_lading": f"{self.rng.choice(['MEDU', 'MAEU', 'CMDU'])}{self.rng.randrange(10**7):07d}"}
                           for _ in range(self.rng.choice([1, 1, 1, 2]))],
            "vessels": [{"name": self.rng.choice(SHIP_NAMES).upper(), "imo": self.imo(),
                         "mmsi": self.mmsi(flag), "flag": flag, "vessel_type": "container ship"}],
            "organisations": [shipper, consignee],
            "persons": ([self.person("consignee", self.rng.choice(["CO", "EC", "NL", "ES"]))]
                        if self.rng.random() < 0.3 else []),
        }  # fmt: skip

    def gofast_seizure(self, agency: str) -> dict[str, Any]:
        country, area, lat, lon = self.rng.choice(SEA_AREAS[agency])
        semi = agency in ("DIRAN", "SENAN") and self.rng.random() < 0.25
        jitter = Decimal(self.rng.randrange(-30, 30)) / 100
        crew_nat = self.rng.choice(["CO", "VE", "EC", "JM", "DO"])
        substance = (
            "cannabis_herb"
            if agency in ("JCA", "TTPS-OCNFB") and self.rng.random() < 0.5
            else "cocaine_hcl"
        )
        kilos = self.rng.randrange(180, 3200 if semi else 1500)
        items: list[dict[str, Any]] = [{"kind": "drug", "substance": substance, "quantity": str(kilos),
                                        "unit": "kg", "description": "bales"}]  # fmt: skip
        if self.rng.random() < 0.25:
            make = self.rng.choice(FIREARMS[:8])
            items.append({"kind": "firearm", "firearm_type": make[0], "make": make[1],
                          "model": make[2], "calibre": make[3],
                          "serial_number": f"{self.rng.choice('ABCDEFGH')}{self.rng.choice('KLMNPRST')}{self.rng.randrange(10**4, 10**6)}",
                          "country_of_manufacture": "US"})  # fmt: skip
        vessel: dict[str, Any] = {"name": "" if semi else self.rng.choice(GO_FAST).upper(),
                                  "vessel_type": "semi-submersible" if semi else "go-fast",
                                  "flag": ""}  # fmt: skip
        if not semi and self.rng.random() < 0.3:
            vessel["mmsi"] = self.mmsi(crew_nat)
            vessel["flag"] = crew_nat
        if semi:
            vessel["name"] = "SEMI-SUBMERSIBLE (NO NAME)"
        return {
            "country": country, "place": area,
            "latitude": str(Decimal(lat) + jitter), "longitude": str(Decimal(lon) - jitter),
            "transport_mode": "sea_vessel",
            "origin_country": self.rng.choice(["CO", "VE"]) if substance == "cocaine_hcl" else "JM",
            "departure_country": self.rng.choice(["CO", "VE"]) if agency != "JCA" else "JM",
            "transit_countries": [], "destination_country": self.rng.choice(["DO", "PR", "HN", "GT", "MX", "JM", "HT"]),
            "concealment": "Open deck, bales under tarpaulin" if not semi else "Cargo hold of a semi-submersible",
            "items": items,
            "vessels": [vessel],
            "persons": [self.person(self.rng.choice(["crew", "suspect"]), crew_nat,
                                    documents=self.rng.random() < 0.5)
                        for _ in range(self.rng.randint(2, 4))],
        }  # fmt: skip

    def courier_seizure(self, agency: str) -> dict[str, Any]:
        locode, place, lat, lon = self.rng.choice(AIRPORTS[agency])
        country = locode[:2]
        nat = self.rng.choice([country, country, "CO", "VE", "ES", "NL", "GB"])
        destination = self.rng.choice(["ES", "NL", "GB", "US", "CA", "FR", "PT"])
        arrival = {"ES": "ESMAD", "NL": "NLAMS", "GB": "GBLGW", "US": "USMIA", "CA": "CAYTO",
                   "FR": "FRPAR", "PT": "PTLIS"}[destination]  # fmt: skip
        grams = self.rng.randrange(400, 6500)
        return {
            "country": country, "place": place, "locode": locode, "latitude": lat, "longitude": lon,
            "transport_mode": "air_passenger", "origin_country": self.rng.choice(["CO", "PE", "BO", country]),
            "departure_country": country, "transit_countries": [], "destination_country": destination,
            "concealment": self.rng.choice(CONCEALMENT_AIR),
            "items": [{"kind": "drug", "substance": self.rng.choice(["cocaine_hcl"] * 5 + ["cannabis_resin", "mdma", "ketamine"]),
                       "quantity": str(grams), "unit": "g"}],
            "persons": [self.person("courier", nat)],
            "flights": [{"designator": f"{self.rng.choice(AIRLINES)} {self.rng.randrange(10, 9999)}",
                         "departure_airport": locode, "arrival_airport": arrival}],
        }  # fmt: skip

    def precursor_seizure(self, agency: str) -> dict[str, Any]:
        locode, place, lat, lon = self.rng.choice(SEAPORTS[agency])
        country = locode[:2]
        chemical, unit, low, high = self.rng.choice([
            ("potassium_permanganate", "kg", 2000, 40000), ("acetic_anhydride", "l", 800, 20000),
            ("sulphuric_acid", "l", 2000, 60000), ("hydrochloric_acid", "l", 1000, 30000),
            ("acetone", "l", 1000, 40000), ("toluene", "l", 1000, 25000),
            ("mek", "l", 1000, 25000), ("p2p", "l", 200, 5000),
        ])  # fmt: skip
        exporter = self.rng.choice(["CN", "IN", "MX", "US", "DE", "CN"])
        return {
            "country": country, "place": place, "locode": locode, "latitude": lat, "longitude": lon,
            "transport_mode": "sea_container", "origin_country": exporter,
            "departure_country": exporter, "transit_countries": ["PA"] if country != "PA" else [],
            "destination_country": self.rng.choice(["CO", "EC", "PE", "BO"]),
            "concealment": "Declared as industrial chemicals for a licensed importer",
            "items": [{"kind": "precursor", "substance": chemical, "quantity": str(self.rng.randrange(low, high)),
                       "unit": unit, "purity": str(self.rng.randint(85, 99)),
                       "description": f"{self.rng.randint(8, 80)} drums"}],
            "containers": [{"number": self.container()}],
            "organisations": [self.company("shipper", exporter if exporter in SUFFIX else "CN"),
                              self.company("front", self.rng.choice(["CO", "EC", "PA"]))],
        }  # fmt: skip

    def firearms_seizure(self, agency: str) -> dict[str, Any]:
        ports = SEAPORTS.get(agency) or SEAPORTS["JCA"]
        locode, place, lat, lon = self.rng.choice(ports)
        items: list[dict[str, Any]] = []
        for _ in range(self.rng.randint(1, 6)):
            kind, make, model, calibre = self.rng.choice(FIREARMS)
            obliterated = self.rng.random() < 0.2 or kind == "privately_made"
            items.append({
                "kind": "firearm", "firearm_type": kind, "make": make, "model": model,
                "calibre": calibre,
                "serial_number": "" if obliterated else f"{self.rng.choice('ABCDEFGHKLMN')}{self.rng.choice('ABCDEFGHKLMN')}{self.rng.choice('ABCDEFGHKLMN')}{self.rng.randrange(1000, 99999)}",
                "markings": "Serial number obliterated" if obliterated else "",
                "country_of_manufacture": "" if kind == "privately_made" else self.rng.choice(["US", "AT", "BR", "CN", "US"]),
            })  # fmt: skip
        items.append({"kind": "ammunition", "calibre": self.rng.choice(["9 mm", "5.56x45 mm", ".45 ACP", "7.62x39 mm"]),
                      "rounds": self.rng.randrange(50, 2500), "make": self.rng.choice(["Winchester", "Federal", "PMC", ""])})  # fmt: skip
        return {
            "country": locode[:2], "place": place, "locode": locode, "latitude": lat, "longitude": lon,
            "transport_mode": self.rng.choice(["sea_container", "postal"]), "origin_country": "US",
            "departure_country": "US", "transit_countries": [], "destination_country": locode[:2],
            "concealment": self.rng.choice(CONCEALMENT_FIREARMS), "items": items,
            "containers": [{"number": self.container()}] if self.rng.random() < 0.5 else [],
            "persons": [self.person("consignee", locode[:2])] if self.rng.random() < 0.6 else [],
        }  # fmt: skip

    def cash_seizure(self, agency: str) -> dict[str, Any]:
        locode, place, lat, lon = self.rng.choice(AIRPORTS[agency])
        currency = self.rng.choice(["USD", "USD", "EUR", "USD"])
        amount = self.rng.randrange(15, 900) * 1000
        return {
            "country": locode[:2], "place": place, "locode": locode, "latitude": lat, "longitude": lon,
            "transport_mode": "air_passenger", "origin_country": self.rng.choice(["ES", "NL", "MX", "US"]),
            "departure_country": self.rng.choice(["ES", "NL", "MX", "US"]),
            "transit_countries": [], "destination_country": self.rng.choice(["CO", "PA", "VE", "EC"]),
            "concealment": self.rng.choice(["Undeclared, in hand luggage", "Vacuum-packed in clothing", "In the lining of a suitcase"]),
            "items": [{"kind": "cash", "amount": str(amount), "currency": currency,
                       "description": "Undeclared above the reporting threshold"}],
            "persons": [self.person("courier", self.rng.choice(["CO", "VE", "PA", "MX"]))],
            "flights": [{"designator": f"{self.rng.choice(['CM', 'IB', 'KL', 'UX', 'AM'])} {self.rng.randrange(10, 999)}",
                         "arrival_airport": locode}],
        }  # fmt: skip

    def postal_seizure(self, agency: str) -> dict[str, Any]:
        locode, place, lat, lon = self.rng.choice(AIRPORTS[agency])
        return {
            "country": locode[:2], "place": f"Express courier hub, {place}", "locode": locode,
            "latitude": lat, "longitude": lon, "transport_mode": "postal",
            "origin_country": locode[:2], "departure_country": locode[:2], "transit_countries": [],
            "destination_country": self.rng.choice(["GB", "US", "CA"]),
            "concealment": self.rng.choice(["Vacuum-sealed inside a speaker", "Inside hair-product tubs", "In books with hollowed pages"]),
            "items": [{"kind": "drug", "substance": self.rng.choice(["cannabis_herb", "cocaine_hcl"]),
                       "quantity": str(self.rng.randrange(200, 4000)), "unit": "g"}],
        }  # fmt: skip

    def land_seizure(self, agency: str) -> dict[str, Any]:
        return {
            "country": "DO", "place": "Dajabón border crossing", "latitude": "19.5500",
            "longitude": "-71.7080", "transport_mode": "land_vehicle",
            "origin_country": "HT", "departure_country": "HT", "transit_countries": [],
            "destination_country": "DO", "concealment": "Compartment behind the dashboard",
            "items": [{"kind": "drug", "substance": "cannabis_herb", "quantity": str(self.rng.randrange(20, 400)), "unit": "kg"}],
            "vehicles": [{"plate": f"{self.rng.choice('GLAX')}{self.rng.randrange(10**5, 10**6)}", "country": "DO",
                          "description": self.rng.choice(["Toyota Hilux, white", "Isuzu truck", "Nissan Frontier, grey"])}],
            "persons": [self.person("suspect", self.rng.choice(["DO", "DO", "VE"]))],
        }  # fmt: skip

    def make(self, scenario: str, agency: str) -> dict[str, Any]:
        return getattr(self, f"{scenario}_seizure")(agency)


NESTED = ("items", "persons", "organisations", "vessels", "containers", "flights", "vehicles")


def _backdate(record: Case | SeizureReport, when: datetime) -> None:
    type(record)._default_manager.filter(pk=record.pk).update(created_at=when)


def _moment(rng: random.Random, day: date, today: date) -> datetime:
    start = date(today.year, 1, 1)
    stamp = datetime.combine(max(day, start), time(rng.randint(6, 22), rng.randint(0, 59)))
    return timezone.make_aware(min(stamp, datetime.combine(today, time(0, 0))))


def _seizure(
    rng: random.Random,
    maker: Maker,
    user: User,
    scenario: str,
    agency: str,
    today: date,
    case: Case | None,
    shared: dict[str, Any] | None = None,
) -> SeizureReport:
    payload = maker.make(scenario, agency)
    for kind, rows in (shared or {}).items():
        payload[kind] = (
            [*rows, *(payload.get(kind) or [])[1:]]
            if kind != "items"
            else [*(payload.get(kind) or []), *rows]
        )
    day = today - timedelta(days=rng.randint(2, 330))
    payload["seized_on"] = day
    if rng.random() < 0.7:
        payload["seized_at_time"] = time(rng.randint(0, 23), rng.choice([0, 15, 30, 45]))
    ceiling = case.tlp if case is not None else "RED"
    choices = [t for t in ("CLEAR", "GREEN", "AMBER", "AMBER", "AMBER", "AMBER+STRICT", "RED")
               if TLP_ORDER[t] <= TLP_ORDER[ceiling]]  # fmt: skip
    payload["tlp"] = case.tlp if case is not None and rng.random() < 0.7 else rng.choice(choices)
    payload["case"] = case.pk if case is not None else None
    for flight in payload.get("flights") or []:
        flight.setdefault("flight_date", day)
    nested = {kind: payload.pop(kind, None) or [] for kind in NESTED}
    seizure = actions.create_seizure(user, payload, nested)
    _backdate(seizure, _moment(rng, day + timedelta(days=rng.randint(0, 3)), today))
    return seizure


def _linked(rng: random.Random, maker: Maker, users: dict[str, User], today: date) -> int:
    """Pairs of reports by two agencies that share an identifier, as happens when a container,
    a vessel, a courier or a pistol crosses borders: the material deconfliction hits are for."""
    container = {"number": maker.container()}
    vessel = {"name": "ANDES TRADER", "imo": maker.imo(), "mmsi": maker.mmsi("PA"), "flag": "PA",
              "vessel_type": "container ship"}  # fmt: skip
    courier = maker.person("courier", "VE")
    courier.pop("mrz", None)
    crew = maker.person("crew", "CO", documents=False)
    crew["phone"] = maker.phone("CO")
    pistol = {"kind": "firearm", "firearm_type": "pistol", "make": "Glock", "model": "19",
              "calibre": "9 mm", "serial_number": "BKR417", "country_of_manufacture": "AT"}  # fmt: skip
    pistol_again = {**pistol, "make": "GLOCK GmbH", "serial_number": "bkr 417"}
    consignee = maker.company("front", "PA")
    pairs: list[tuple[tuple[str, str], tuple[str, str], str, dict[str, Any], dict[str, Any]]] = [
        (("CUS-EC", "container"), ("JCA", "container"), "containers", {"containers": [container]}, {"containers": [container]}),
        (("SENAN", "container"), ("DNCD", "container"), "vessels", {"vessels": [vessel]}, {"vessels": [vessel]}),
        (("DNCD", "courier"), ("CUS-EC", "courier"), "persons", {"persons": [courier]}, {"persons": [courier]}),
        (("DIRAN", "gofast"), ("DNCD", "gofast"), "persons", {"persons": [crew]}, {"persons": [crew]}),
        (("JCA", "firearms"), ("TTPS-OCNFB", "firearms"), "items", {"items": [pistol]}, {"items": [pistol_again]}),
        (("SENAN", "precursor"), ("DIRAN", "precursor"), "organisations", {"organisations": [consignee]}, {"organisations": [consignee]}),
    ]  # fmt: skip
    for (first, first_scenario), (second, second_scenario), _kind, one, two in pairs:
        _seizure(rng, maker, users[first], first_scenario, first, today, None, one)
        _seizure(rng, maker, users[second], second_scenario, second, today, None, two)
    return 2 * len(pairs)


@transaction.atomic
def load(password: str) -> None:
    rng = random.Random(SEED)  # noqa: S311 # nosec B311 - synthetic demo data, not security
    maker = Maker(rng)
    users = {acr: User.objects.get(username=name) for acr, name in RECORDERS.items()}
    today = timezone.localdate()
    made = 0
    for plan in CASES:
        user = users[plan.agency]
        evaluation = {"source_reliability": plan.evaluation[:1],
                      "information_credibility": plan.evaluation[1:]} if plan.evaluation else {}  # fmt: skip
        case = actions.create_case(
            user,
            {"title": plan.title, "summary": plan.summary, "status": plan.status,
             "crime_types": plan.crime_types, "tlp": plan.tlp,
             "handling_code": plan.handling_code, "handling_note": plan.handling_note,
             **evaluation},
        )  # fmt: skip
        first_day = today - timedelta(days=rng.randint(200, 330))
        _backdate(case, _moment(rng, first_day, today))
        for _ in range(plan.seizures):
            _seizure(rng, maker, user, plan.scenario, plan.agency, today, case)
            made += 1
    made += _linked(rng, maker, users, today)
    scenarios = [name for name, weight in SCENARIO_WEIGHTS for _ in range(weight)]
    while made < SEIZURES_PER_RUN:
        scenario = rng.choice(scenarios)
        agency = rng.choice(AGENCIES_FOR[scenario])
        _seizure(rng, maker, users[agency], scenario, agency, today, None)
        made += 1
