"""Word lists and weights for the synthetic demo data (tracker.demo).

Everything here is plain data: names, places, regions, and the vocabulary codes of
data/seed/vocabularies.yaml with the weights they are drawn with. Person names are common
Peruvian first and last names combined at random; company, protest and community names are
built from invented place names so that no generated body can be mistaken for a real one.
"""

from __future__ import annotations

# The 25 regions (24 departments and Callao), each with a sampling weight and some provinces.
# Mining and extractive-conflict regions weigh more: that is where prosecutions cluster.
REGIONS: dict[str, tuple[float, tuple[str, ...]]] = {
    "Amazonas": (3, ("Chachapoyas", "Bagua", "Condorcanqui", "Utcubamba")),
    "Áncash": (7, ("Huaraz", "Huari", "Santa", "Carhuaz")),
    "Apurímac": (9, ("Abancay", "Cotabambas", "Grau", "Andahuaylas")),
    "Arequipa": (7, ("Arequipa", "Islay", "Caylloma", "Condesuyos")),
    "Ayacucho": (3, ("Huamanga", "Lucanas", "Huanta", "Parinacochas")),
    "Cajamarca": (10, ("Cajamarca", "Celendín", "Hualgayoc", "Chota")),
    "Callao": (1, ("Callao",)),
    "Cusco": (10, ("Cusco", "Espinar", "Chumbivilcas", "La Convención")),
    "Huancavelica": (2, ("Huancavelica", "Angaraes", "Tayacaja")),
    "Huánuco": (2, ("Huánuco", "Leoncio Prado", "Pachitea")),
    "Ica": (2, ("Ica", "Nasca", "Pisco")),
    "Junín": (6, ("Huancayo", "Yauli", "Satipo", "Chanchamayo")),
    "La Libertad": (3, ("Trujillo", "Pataz", "Sánchez Carrión", "Otuzco")),
    "Lambayeque": (2, ("Chiclayo", "Ferreñafe", "Lambayeque")),
    "Lima": (6, ("Lima", "Huarochirí", "Cañete", "Huaura")),
    "Loreto": (5, ("Maynas", "Datem del Marañón", "Loreto", "Alto Amazonas")),
    "Madre de Dios": (2, ("Tambopata", "Manu", "Tahuamanu")),
    "Moquegua": (3, ("Mariscal Nieto", "Ilo", "General Sánchez Cerro")),
    "Pasco": (3, ("Pasco", "Daniel Alcides Carrión", "Oxapampa")),
    "Piura": (6, ("Piura", "Huancabamba", "Ayabaca", "Sullana")),
    "Puno": (9, ("Puno", "Chucuito", "Azángaro", "Melgar")),
    "San Martín": (2, ("Moyobamba", "San Martín", "Tocache")),
    "Tacna": (2, ("Tacna", "Candarave", "Jorge Basadre")),
    "Tumbes": (1, ("Tumbes", "Zarumilla")),
    "Ucayali": (2, ("Coronel Portillo", "Atalaya", "Padre Abad")),
}

# Judicial districts follow the region except where a province has its own superior court.
PROVINCE_DISTRICT: dict[str, str] = {
    "Santa": "Santa",
    "Sullana": "Sullana",
    "Satipo": "Selva Central",
    "Chanchamayo": "Selva Central",
    "Cañete": "Cañete",
    "Huaura": "Huaura",
}

# Prosecutions per year, relative: peaks around Conga (2011-12), Tía María (2015, 2019) and the
# 2022-23 protests; 2026 counts half because the reference date is 30 June.
YEAR_WEIGHTS: dict[int, float] = {
    2008: 3,
    2009: 4,
    2010: 4,
    2011: 7,
    2012: 9,
    2013: 6,
    2014: 5,
    2015: 8,
    2016: 6,
    2017: 6,
    2018: 6,
    2019: 8,
    2020: 4,
    2021: 6,
    2022: 10,
    2023: 11,
    2024: 7,
    2025: 6,
    2026: 3,
}

FIRST_NAMES_F = (
    "María",
    "Rosa",
    "Juana",
    "Carmen",
    "Luz",
    "Elena",
    "Teresa",
    "Flor",
    "Nélida",
    "Hilaria",
    "Máxima",
    "Lourdes",
    "Yolanda",
    "Gladys",
    "Ruth",
    "Marisol",
    "Edith",
    "Sonia",
    "Vilma",
    "Norma",
    "Maribel",
    "Rocío",
    "Delia",
    "Julia",
    "Luzmila",
    "Santusa",
    "Felícitas",
    "Celia",
)
FIRST_NAMES_M = (
    "José",
    "Juan",
    "Luis",
    "Carlos",
    "Jorge",
    "Víctor",
    "Pedro",
    "Mario",
    "César",
    "Miguel",
    "Wilfredo",
    "Hugo",
    "Walter",
    "Edwin",
    "Elmer",
    "Fredy",
    "Teófilo",
    "Abel",
    "Ronald",
    "Herbert",
    "Oscar",
    "Alberto",
    "Marco",
    "Javier",
    "Gregorio",
    "Eusebio",
    "Nicanor",
    "Raúl",
)
LAST_NAMES = (
    "Quispe",
    "Mamani",
    "Huamán",
    "Condori",
    "Flores",
    "Chávez",
    "Rojas",
    "Ramos",
    "Torres",
    "Vargas",
    "Gutiérrez",
    "Sánchez",
    "Ccori",
    "Huillca",
    "Cusi",
    "Apaza",
    "Ticona",
    "Choque",
    "Layme",
    "Yupanqui",
    "Pari",
    "Ccahuana",
    "Huarcaya",
    "Chambi",
    "Coaquira",
    "Luque",
    "Cárdenas",
    "Castillo",
    "Díaz",
    "Mendoza",
    "Paredes",
    "Ríos",
    "Salazar",
    "Espinoza",
    "Vásquez",
    "Ramírez",
    "Ñaupari",
    "Inga",
    "Poma",
    "Sullca",
    "Taipe",
    "Ccopa",
    "Achahui",
    "Alvarado",
    "Benites",
    "Zúñiga",
    "Villanueva",
    "Medina",
    "Herrera",
    "Cruz",
    "Aguilar",
    "Huanca",
    "Chura",
    "Calcina",
    "Tapia",
    "Cabrera",
    "Soto",
    "Oré",
    "Yauri",
    "Limachi",
)

# Invented place names (Quechua/Spanish-sounding) for companies, protests and communities.
PLACES = (
    "Yanamayo",
    "Qorimarka",
    "Sallqa Urqu",
    "Pukaqocha",
    "Antaqasa",
    "Wayrapampa",
    "Llaqtapata",
    "Qochapampa",
    "Hatunrumi",
    "Ccollpa Grande",
    "Ticllaqocha",
    "Mishkiyaku",
    "Paccha Alta",
    "Huancarani",
    "Tambo Verde",
    "Rumiwasi",
    "Kuntur Pata",
    "Yuraqaqa",
    "Chaupiqocha",
    "Sumaqpampa",
    "Alto Quellqa",
    "Valle Morado",
    "Puka Urqu",
    "Santa Rosalía de Qasa",
    "Cerro Plateado",
    "Laguna Azulcocha",
    "Río Chiquimayo",
    "Pampa Illari",
    "Huayrachaca",
    "Ñawpa Llaqta",
)
COMPANY_PATTERNS: dict[str, tuple[str, ...]] = {
    "company_mining": (
        "Minera {p} S.A.",
        "Compañía Minera {p} S.A.A.",
        "Sociedad Minera {p} S.A.C.",
        "Minera Andina del Sur S.A.",
        "Corporación Aurífera {p} S.A.",
    ),
    "company_energy": (
        "Hidroeléctrica {p} S.A.C.",
        "Empresa de Generación Eléctrica {p} S.A.",
        "Petrolera {p} del Perú S.A.",
        "Gasoducto {p} S.A.",
    ),
    "company_agribusiness": ("Agroindustrial {p} S.A.", "Palmas de {p} S.A.C."),
    "company_other": ("Constructora {p} S.A.C.", "Inversiones {p} E.I.R.L."),
    "private_security": ("Seguridad Integral {p} S.A.C.", "Vigilancia {p} S.R.L."),
}
PUBLIC_BODY_PATTERNS: dict[str, tuple[str, ...]] = {
    "police": (
        "Comisaría PNP de {v}",
        "División de Operaciones Especiales PNP {r}",
        "Región Policial {r}",
        "Dirección de Seguridad del Estado PNP",
    ),
    "public_prosecutor": (
        "Fiscalía Provincial Penal Corporativa de {v}",
        "Fiscalía Provincial Mixta de {v}",
    ),
    "state_attorney": (
        "Procuraduría Pública del Ministerio del Interior",
        "Procuraduría Pública del Ministerio de Energía y Minas",
        "Procuraduría Pública Especializada en Delitos contra el Orden Público",
        "Procuraduría Pública del Ministerio de Transportes y Comunicaciones",
    ),
    "local_authority": (
        "Gobierno Regional de {r}",
        "Municipalidad Provincial de {v}",
        "Subprefectura de {v}",
    ),
    "national_authority": ("Ministerio del Interior", "Presidencia del Consejo de Ministros"),
}
ORG_PATTERNS = (
    "Frente de Defensa de los Intereses de {v}",
    "Federación Campesina de {r}",
    "Asociación de Mujeres Defensoras de {p}",
    "Central de Rondas Campesinas de {v}",
    "Comité de Lucha de {p}",
    "Coordinadora de Afectados por la Minería de {r}",
)
GROUP_PATTERNS = (
    "Comunidad Campesina de {p}",
    "Comunidad Nativa {p}",
    "Rondas Campesinas de {p}",
    "Asociación de Pobladores de {p}",
)
CONTEXT_PATTERNS = (
    "Paro de {p} {y}",
    "Protesta contra el proyecto minero {p} {y}",
    "Bloqueo de la vía {p} {y}",
    "Conflicto hídrico de {p} {y}",
    "Marcha por el agua de {p} {y}",
    "Paro regional de {r} {y}",
)
MEMBERSHIP_ROLES = ("presidente/a", "secretario/a", "vocal", "dirigente", "miembro", "miembro")

# charge_type code -> (sampling weight, legal reference, maximum requested sentence in months).
CHARGES: dict[str, tuple[float, str, int]] = {
    "riot": (14, "CP art. 315", 180),
    "obstruction_public_services": (14, "CP art. 283", 120),
    "public_peace_disturbance": (8, "CP art. 315-A", 120),
    "usurpation": (9, "CP art. 202", 60),
    "aggravated_usurpation": (6, "CP art. 204", 144),
    "endangering_public_safety": (5, "CP art. 273", 120),
    "extortion": (5, "CP art. 200", 300),
    "kidnapping": (3, "CP art. 152", 360),
    "coercion": (5, "CP art. 151", 48),
    "incitement_apology": (3, "CP art. 316", 72),
    "criminal_association": (3, "CP art. 317", 120),
    "dangerous_materials": (2, "CP art. 279", 180),
    "insult_national_symbols": (1, "CP art. 344", 48),
    "mutiny": (1, "CP art. 348", 120),
    "defamation": (3, "CP art. 132", 36),
    "terrorism": (1, "DL 25475", 420),
    "other": (1, "CP", 60),
}

# Vocabulary code -> sampling weight.
RIGHTS = {
    "land_territory": 30,
    "environment": 28,
    "indigenous_rights": 18,
    "womens_rights": 8,
    "freedom_of_expression": 6,
    "labour": 5,
    "sexual_reproductive_rights": 2,
    "lgbti_rights": 1,
    "other": 2,
}
DEFENDER_ROLES = {
    "community_leader": 35,
    "peasant_farmer": 25,
    "activist": 15,
    "authority": 10,
    "journalist": 5,
    "lawyer": 4,
    "other": 6,
}
LIABILITY = {
    "author": 40,
    "co_author": 30,
    "instigator": 8,
    "indirect_author": 5,
    "accomplice": 5,
    "unknown": 12,
}
POSTPONEMENT_REASONS = {
    "absent_judge": 30,
    "absent_prosecutor": 25,
    "absent_defendant": 25,
    "strike": 8,
    "other": 12,
}
CONVICTIONS = {
    "convicted_suspended": 45,
    "convicted_prison": 25,
    "convicted_fine": 15,
    "convicted_disqualification": 15,
}
IMPOSED_KIND = {
    "convicted_suspended": "suspended_prison",
    "convicted_prison": "prison",
    "convicted_fine": "fine",
    "convicted_disqualification": "disqualification",
}
# The biggest complainants have fixed categories; the long tail draws them with these weights.
TOP_COMPLAINANTS = (
    "state_attorney",
    "company_mining",
    "police",
    "company_mining",
    "public_prosecutor",
    "company_energy",
    "local_authority",
    "company_mining",
)
COMPLAINANTS = {
    "private_individual": 30,
    "company_mining": 14,
    "police": 12,
    "local_authority": 10,
    "public_prosecutor": 10,
    "company_energy": 6,
    "company_agribusiness": 4,
    "private_security": 4,
    "company_other": 4,
    "state_attorney": 3,
    "national_authority": 1,
}
OFFICIALS = {"lawyer": "Abogado/a defensor/a", "judge": "Juez/a", "prosecutor": "Fiscal"}

# Days spent in a stage before the next decision (min, max), the court (or prosecutor's
# office) in charge, and the hearings held there: (type, min, max number planned).
STAGES: dict[str, tuple[int, int, str, str | None, int, int]] = {
    "complaint": (15, 120, "prosecutor", None, 0, 0),
    "preliminary_investigation": (180, 1080, "prosecutor", "preliminary", 0, 1),
    "preparatory_investigation": (180, 900, "investigation", "preliminary", 0, 4),
    "intermediate": (90, 540, "investigation", "indictment_control", 1, 5),
    "trial": (90, 720, "trial", "trial_session", 4, 24),
    "first_instance_judgment": (30, 240, "trial", None, 0, 0),
    "appeal": (120, 600, "appeal", "appeal", 1, 3),
    "cassation": (240, 900, "supreme", "cassation", 0, 1),
}
# The hearing at the end of a stage that delivers the judgment.
FINAL_HEARING = {"trial": "sentencing", "appeal": "appeal", "cassation": "cassation"}
