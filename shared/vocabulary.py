"""The platform's controlled vocabularies (sectors, kinds, parks, sizes), labels in every locale.

Every service stores and exchanges the codes (an organisation's sectors, a project's, an
audience's); labels are for people, so the portal and integrators get them from members'
`GET /vocabulary` instead of hard-coding translations.
"""

from __future__ import annotations

import functools
import zoneinfo

SECTORS: dict[str, dict[str, str]] = {
    "biotech_health": {
        "en": "Biotech and health",
        "fr": "Biotech et santé",
        "zh": "生物科技与健康",
    },
    "iot": {"en": "Internet of things", "fr": "Internet des objets", "zh": "物联网"},
    "virtual_augmented_reality": {
        "en": "Virtual and augmented reality",
        "fr": "Réalité virtuelle et augmentée",
        "zh": "虚拟现实与增强现实",
    },
    "ai_data": {"en": "AI and data", "fr": "IA et données", "zh": "人工智能与数据"},
    "energy": {"en": "Energy", "fr": "Énergie", "zh": "能源"},
    "mobility": {"en": "Mobility", "fr": "Mobilité", "zh": "智能出行"},
    "software": {"en": "Software", "fr": "Logiciel", "zh": "软件"},
    "telecom": {"en": "Telecommunications", "fr": "Télécommunications", "zh": "通信"},
    "microelectronics": {"en": "Microelectronics", "fr": "Microélectronique", "zh": "微电子"},
    "environment": {"en": "Environment", "fr": "Environnement", "zh": "环境"},
    "cybersecurity": {"en": "Cybersecurity", "fr": "Cybersécurité", "zh": "网络安全"},
    "smart_city": {"en": "Smart city", "fr": "Ville intelligente", "zh": "智慧城市"},
    "education": {"en": "Education and training", "fr": "Formation", "zh": "教育培训"},
    "services": {"en": "Business services", "fr": "Services aux entreprises", "zh": "商务服务"},
}

KINDS: dict[str, dict[str, str]] = {
    "company": {"en": "Company", "fr": "Entreprise", "zh": "企业"},
    "research_lab": {
        "en": "Research laboratory",
        "fr": "Laboratoire de recherche",
        "zh": "研究机构",
    },
    "university": {"en": "University", "fr": "Université", "zh": "大学"},
    "incubator": {"en": "Incubator", "fr": "Incubateur", "zh": "孵化器"},
    "public_body": {"en": "Public body", "fr": "Organisme public", "zh": "公共机构"},
    "association": {"en": "Association", "fr": "Association", "zh": "协会"},
}

PARKS: dict[str, dict[str, str]] = {
    "sophia_antipolis": {"en": "Sophia Antipolis", "fr": "Sophia Antipolis", "zh": "索菲亚科技园"},
    "jiangning": {
        "en": "Jiangning Development Zone",
        "fr": "Zone de développement de Jiangning",
        "zh": "江宁开发区",
    },
    "other": {"en": "Elsewhere", "fr": "Ailleurs", "zh": "其他"},
}

# EU size bands: projects show "country, kind and size" for owners who stay anonymous.
SIZES: dict[str, dict[str, str]] = {
    "micro": {"en": "Fewer than 10 people", "fr": "Moins de 10 personnes", "zh": "10人以下"},
    "small": {"en": "10 to 49 people", "fr": "10 à 49 personnes", "zh": "10至49人"},
    "medium": {"en": "50 to 249 people", "fr": "50 à 249 personnes", "zh": "50至249人"},
    "large": {"en": "250 people or more", "fr": "250 personnes ou plus", "zh": "250人及以上"},
}

# closed: its last member deleted their account and closed it with them; it leaves every list.
STATUSES = ("pending", "verified", "suspended", "closed")

# ISO 3166-1 alpha-2, officially assigned codes.
_COUNTRY_CODES = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR
    BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ
    EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW
    GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY
    KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV
    MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY
    QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG
    TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM
    ZW
"""
COUNTRIES = frozenset(_COUNTRY_CODES.split())


def as_document() -> dict:
    """Every vocabulary as `{name: [{code, labels}]}`, in a stable order."""

    def listed(vocabulary: dict[str, dict[str, str]]) -> list[dict]:
        return [{"code": code, "labels": labels} for code, labels in vocabulary.items()]

    return {
        "sectors": listed(SECTORS),
        "kinds": listed(KINDS),
        "parks": listed(PARKS),
        "sizes": listed(SIZES),
    }


@functools.cache
def time_zones() -> tuple[str, ...]:
    """The IANA time zones this system knows, sorted: what a `timezone` field is documented as."""
    return tuple(sorted(zoneinfo.available_timezones()))
