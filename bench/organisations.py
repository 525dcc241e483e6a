"""Plausible organisations of both parks, bulk-inserted with their search terms by Core.

The terms are those `services.members.domain.search_terms.organisation_terms` gives, computed
piece by piece (name, Chinese name, city, description, sectors) with each piece memoised: the
pieces repeat across 100,000 rows and jieba and pypinyin are the slow part.
"""

from __future__ import annotations

import functools
import random
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from services.members.domain import search_terms
from services.members.models import Organisation, OrganisationTerm
from shared.vocabulary import SECTORS

BATCH = 5000
TERMS_BY_ORGANISATION = "ix_organisation_terms_organisation_id_term"

FR_ROOTS = [
    "Azur",
    "Amadeus",
    "Brague",
    "Valbonne",
    "Lérins",
    "Estérel",
    "Mistral",
    "Riviera",
    "Garoupe",
    "Loup",
    "Siagne",
    "Cians",
    "Biot",
    "Mougins",
    "Vésubie",
    "Tinée",
    "Calern",
    "Baou",
    "Cimiez",
    "Paillon",
    "Roya",
    "Mercantour",
    "Antibes",
    "Garbejaire",
    "Fontonne",
    "Clausonne",
    "Saint-Philippe",
    "Templiers",
    "Bouillides",
    "Eganaude",
    "Vaugrenier",
    "Bréguières",
    "Colle",
    "Olivier",
    "Mimosa",
    "Lavande",
    "Cigale",
    "Pinède",
    "Calanque",
    "Corniche",
    "Turbie",
    "Cap",
    "Vallauris",
]
FR_TOPICS = {
    "biotech_health": ("Génomique", "Biologics", "Pharma", "Diagnostics", "Thérapeutique"),
    "iot": ("Capteurs", "Sensing", "Objets Connectés", "Telemetry"),
    "ai_data": ("Data", "Analytics", "Intelligence", "Vision", "Learning"),
    "software": ("Logiciel", "Software", "Systems", "Cloud", "DevOps"),
    "telecom": ("Télécom", "Radio", "Networks", "5G", "Antennes"),
    "microelectronics": ("Semiconducteurs", "Silicon", "Microsystèmes", "Photonique"),
    "energy": ("Énergie", "Solaire", "Hydrogène", "Batteries"),
    "mobility": ("Mobilité", "Drive", "Navigation", "Rail"),
    "cybersecurity": ("Cyber", "Sécurité", "Crypto", "Trust"),
    "smart_city": ("Ville", "Urban", "Smart Grid", "Territoires"),
    "virtual_augmented_reality": ("XR", "Réalité Virtuelle", "Immersive", "3D"),
    "environment": ("Environnement", "Eau", "Biodiversité", "Climat"),
    "education": ("Formation", "Academy", "Campus", "Learning"),
    "services": ("Conseil", "Consulting", "Partners", "Services"),
}
FR_FORMS = ("SAS", "SARL", "SA", "Technologies", "Labs", "Solutions", "Studio", "Group")
FR_CITIES = ("Valbonne", "Biot", "Antibes", "Mougins", "Sophia Antipolis", "Nice", "Vallauris")
FR_KINDS = ("company",) * 12 + ("research_lab", "incubator", "association", "university")

CN_WORDS = (
    ("江宁", "Jiangning"),
    ("紫金", "Zijin"),
    ("秦淮", "Qinhuai"),
    ("金陵", "Jinling"),
    ("东山", "Dongshan"),
    ("方山", "Fangshan"),
    ("牛首", "Niushou"),
    ("汤山", "Tangshan"),
    ("百家湖", "Baijiahu"),
    ("九龙湖", "Jiulonghu"),
    ("将军", "Jiangjun"),
    ("天印", "Tianyin"),
    ("栖霞", "Qixia"),
    ("雨花", "Yuhua"),
    ("鼓楼", "Gulou"),
    ("长江", "Changjiang"),
    ("华宇", "Huayu"),
    ("恒达", "Hengda"),
    ("瑞思", "Ruisi"),
    ("智源", "Zhiyuan"),
    ("新创", "Xinchuang"),
    ("博远", "Boyuan"),
    ("中科", "Zhongke"),
    ("天成", "Tiancheng"),
    ("鑫源", "Xinyuan"),
    ("海川", "Haichuan"),
    ("云帆", "Yunfan"),
    ("启明", "Qiming"),
    ("锐德", "Ruide"),
    ("华芯", "Huaxin"),
)
CN_TOPICS = {
    "biotech_health": (("生物科技", "Biotech"), ("医药", "Pharmaceutical")),
    "iot": (("物联网", "IoT"), ("传感技术", "Sensor Technology")),
    "ai_data": (("人工智能", "AI"), ("数据科技", "Data Technology")),
    "software": (("软件", "Software"), ("信息技术", "Information Technology")),
    "telecom": (("通信", "Communication"), ("网络科技", "Network Technology")),
    "microelectronics": (("微电子", "Microelectronics"), ("集成电路", "Integrated Circuit")),
    "energy": (("新能源", "New Energy"), ("储能", "Energy Storage")),
    "mobility": (("智能汽车", "Smart Vehicle"), ("交通科技", "Transport Technology")),
    "cybersecurity": (("网络安全", "Cybersecurity"),),
    "smart_city": (("智慧城市", "Smart City"),),
    "environment": (("环保科技", "Environmental Technology"),),
    "education": (("教育科技", "Education Technology"),),
    "services": (("企业服务", "Business Services"),),
    "virtual_augmented_reality": (("虚拟现实", "Virtual Reality"),),
}
CN_FORMS = (("有限公司", "Co., Ltd."), ("股份有限公司", "Corp."), ("研究院", "Research Institute"))
CN_KINDS = ("company",) * 12 + ("research_lab", "university", "incubator", "public_body")

DESCRIPTIONS = {
    "en": "{topic} for industry: research, products and services from {city}.",
    "fr": "{topic} pour l'industrie : recherche, produits et services depuis {city}.",
    "zh": "{city}的{topic}企业，提供研发、产品与服务。",  # noqa: RUF001
}
SIZES = ("micro", "small", "medium", "large")
STATUSES = ("verified",) * 18 + ("pending", "suspended")


@functools.cache
def _text_terms(text: str | None) -> frozenset[str]:
    return frozenset(search_terms.text_terms(text))


@functools.cache
def _chinese_terms(name_zh: str | None) -> frozenset[str]:
    return frozenset(search_terms.chinese_name_terms(name_zh))


@functools.cache
def _name_pinyin(name_zh: str | None) -> str | None:
    return search_terms.name_pinyin(name_zh)


@functools.cache
def _sector_terms(code: str) -> frozenset[str]:
    terms = {search_terms.sector_term(code)}
    for label in SECTORS[code].values():
        terms |= search_terms.text_terms(label)
    return frozenset(terms)


def terms_of(org: dict) -> set[str]:
    """The same set as `search_terms.organisation_terms(...)`, from memoised pieces."""
    terms = set(_text_terms(org["name"]) | _chinese_terms(org["name_zh"]))
    terms |= _text_terms(org["city"])
    for text in org["description"].values():
        terms |= _text_terms(text)
    for code in org["sectors"]:
        terms |= _sector_terms(code)
    return terms


def _french(rng: random.Random) -> dict:
    sector = rng.choice(list(FR_TOPICS))
    topic = rng.choice(FR_TOPICS[sector])
    city = rng.choice(FR_CITIES)
    name = f"{rng.choice(FR_ROOTS)} {topic} {rng.choice(FR_FORMS)}"
    if rng.random() < 0.5:
        name = f"{rng.choice(FR_ROOTS)} {name}"
    return {
        "name": name,
        "name_zh": None,
        "country": "FR",
        "park": "sophia_antipolis",
        "city": city,
        "kind": rng.choice(FR_KINDS),
        "sectors": [sector, *rng.sample(list(FR_TOPICS), rng.randint(0, 1))],
        "website": f"https://www.{search_terms.fold(name).replace(' ', '-')}.fr",
        "description": {
            "en": DESCRIPTIONS["en"].format(topic=topic, city=city),
            "fr": DESCRIPTIONS["fr"].format(topic=topic, city=city),
        },
        "registration_number": f"{rng.randrange(10**8, 10**9)}",
    }


def _chinese(rng: random.Random) -> dict:
    sector = rng.choice(list(CN_TOPICS))
    topic_zh, topic_en = rng.choice(CN_TOPICS[sector])
    (word_zh, word_en), (form_zh, form_en) = rng.choice(CN_WORDS), rng.choice(CN_FORMS)
    name_zh = f"南京{word_zh}{topic_zh}{form_zh}"
    name = f"Nanjing {word_en} {topic_en} {form_en}"
    if rng.random() < 0.5:
        name = f"{word_en} {topic_en} (Nanjing) {form_en}"
    return {
        "name": name,
        "name_zh": name_zh,
        "country": "CN",
        "park": "jiangning",
        "city": "Nanjing",
        "kind": rng.choice(CN_KINDS),
        "sectors": [sector],
        "website": f"https://www.{word_en.lower()}-{rng.randrange(1000)}.cn",
        "description": {
            "en": DESCRIPTIONS["en"].format(topic=topic_en, city="Jiangning"),
            "zh": DESCRIPTIONS["zh"].format(topic=topic_zh, city="江宁"),
        },
        "registration_number": f"91320115{rng.randrange(10**9, 10**10)}",
    }


def generate(count: int, seed: int) -> list[dict]:
    """`count` organisation rows (half from each park), with every column the table needs."""
    rng = random.Random(seed)
    started = datetime(2021, 6, 1, tzinfo=UTC)
    rows = []
    for _ in range(count):
        org = _french(rng) if rng.random() < 0.5 else _chinese(rng)
        created = started + timedelta(minutes=rng.randrange(5 * 365 * 24 * 60))
        org.update(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            name_pinyin=_name_pinyin(org["name_zh"]),
            sort_key=search_terms.fold(org["name"])[:200],
            size=rng.choice(SIZES),
            status=rng.choice(STATUSES),
            status_reason=None,
            hints={},
            created_at=created,
            updated_at=created,
        )
        rows.append(org)
    return rows


def fill(engine, count: int, seed: int = 2021) -> list[dict]:
    """Insert `count` organisations and their terms in batches; the rows inserted."""
    rows = generate(count, seed)
    if engine.dialect.name == "sqlite":
        _fill_sqlite(engine, rows)
        return rows
    organisations, terms = Organisation.__table__, OrganisationTerm.__table__
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        term_rows = [{"term": t, "organisation_id": o["id"]} for o in batch for t in terms_of(o)]
        with engine.begin() as connection:
            connection.execute(insert(organisations), batch)
            connection.execute(insert(terms), term_rows)
    return rows


def _fill_sqlite(engine, rows: list[dict]) -> None:
    """Millions of term rows through the driver, with the secondary index built once after."""
    organisations = Organisation.__table__
    with engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA cache_size=-400000")
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {TERMS_BY_ORGANISATION}")
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            connection.execute(insert(organisations), batch)
            pairs = sorted((term, org["id"].hex) for org in batch for term in terms_of(org))
            connection.exec_driver_sql(
                "INSERT INTO organisation_terms (term, organisation_id) VALUES (?, ?)", pairs
            )
        connection.exec_driver_sql(
            f"CREATE INDEX {TERMS_BY_ORGANISATION} ON organisation_terms (organisation_id, term)"
        )
