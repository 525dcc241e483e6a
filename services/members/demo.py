"""Demo data: the two parks' bodies, a dozen fictional members of both countries, a pending one,
and colleagues of their admins (the people who take part in the forum's B2B meetings).

Seeded through the domain functions, so the demo emits the events a real registration,
verification and invitation would and the other services' projections fill up as they would in
production. Running it again adds nothing: people are found by e-mail, organisations by
registration number.
"""

# ruff: noqa: RUF001 - Chinese text is punctuated with full-width commas.
from __future__ import annotations

import functools
import uuid

import click

from shared.auth import PLATFORM_ADMIN, Caller
from shared.events import emit

from .domain import accounts, snapshots
from .domain import organisations as domain
from .models import Membership, User, db

PASSWORD = "Antipolis-Jiangning-2021"  # noqa: S105 - public demo password, printed in the README
PLATFORM_ADMIN_EMAIL = "admin@sino-sophipolitan.example"


def _fr(name, number, kind, sectors, size, slug, description, person, **extra):
    return {
        "organisation": {
            "name": name,
            "country": "FR",
            "city": extra.pop("city", "Sophia Antipolis"),
            "park": "sophia_antipolis",
            "kind": kind,
            "sectors": sectors,
            "size": size,
            "website": f"https://www.{slug}.example",
            "description": description,
            "registration_number": number,
            **extra,
        },
        "admin": {
            "email": f"{person[0]}@{slug}.example",
            "full_name": person[1],
            "language": "fr",
            "timezone": "Europe/Paris",
        },
    }


def _cn(name, name_zh, number, kind, sectors, size, slug, description, person, **extra):
    return {
        "organisation": {
            "name": name,
            "name_zh": name_zh,
            "country": "CN",
            "city": extra.pop("city", "Nanjing"),
            "park": "jiangning",
            "kind": kind,
            "sectors": sectors,
            "size": size,
            "website": f"https://www.{slug}.example",
            "description": description,
            "registration_number": number,
            **extra,
        },
        "admin": {
            "email": f"{person[0]}@{slug}.example",
            "full_name": person[1],
            "language": "zh",
            "timezone": "Asia/Shanghai",
        },
    }


ORGANISATIONS = [
    _fr(
        "Fondation Sophia Antipolis",
        "842130577",
        "public_body",
        ["software", "biotech_health", "iot"],
        "small",
        "fondation-sophia-antipolis",
        {
            "en": "Promotes Sophia Antipolis and its cooperation with Jiangning, "
            "co-founder of the Sino-Sophipolitan platform.",
            "fr": "Anime et promeut Sophia Antipolis et sa coopération avec Jiangning, "
            "cofondatrice de la plateforme sino-sophipolitaine.",
            "zh": "推动索菲亚科技园发展及其与江宁的合作，中法索菲亚合作平台的共同创始方。",
        },
        ("partenariats", "Claire Martinetti"),
    ),
    _cn(
        "Jiangning Development Zone",
        "南京江宁经济技术开发区管理委员会",
        "12320115MB0E1H4L95",
        "public_body",
        ["software", "biotech_health", "iot"],
        "medium",
        "jndz",
        {
            "en": "Administration of the Jiangning Economic and Technological Development Zone "
            "(JNDZ), co-founder of the Sino-Sophipolitan platform.",
            "fr": "Administration de la zone de développement économique et technologique "
            "de Jiangning (JNDZ), cofondatrice de la plateforme.",
            "zh": "南京江宁经济技术开发区管理委员会，中法索菲亚合作平台的共同创始方。",
        },
        ("cooperation", "Wang Li"),
    ),
    _fr(
        "Azur Génomique",
        "853926145",
        "company",
        ["biotech_health", "ai_data"],
        "small",
        "azur-genomique",
        {
            "en": "Sequencing and bioinformatics for rare-disease diagnostics.",
            "fr": "Séquençage et bio-informatique pour le diagnostic des maladies rares.",
            "zh": "面向罕见病诊断的基因测序与生物信息学服务。",
        },
        ("direction", "Hélène Castellan"),
    ),
    _fr(
        "Institut Méditerranéen d'Immunologie Appliquée",
        "83670211800024",
        "research_lab",
        ["biotech_health"],
        "medium",
        "imia",
        {
            "en": "Research laboratory in applied immunology and cell therapies.",
            "fr": "Laboratoire de recherche en immunologie appliquée et thérapies cellulaires.",
            "zh": "应用免疫学与细胞治疗研究实验室。",
        },
        ("contact", "Pr. Marc Ollivier"),
        city="Valbonne",
    ),
    _fr(
        "Lérins Connect",
        "791304686",
        "company",
        ["iot", "telecom"],
        "small",
        "lerins-connect",
        {
            "en": "Low-power wireless sensors for buildings, vineyards and harbours.",
            "fr": "Capteurs sans fil basse consommation pour bâtiments, vignobles et ports.",
            "zh": "面向建筑、葡萄园和港口的低功耗无线传感器。",
        },
        ("bonjour", "Julien Roux"),
        city="Biot",
    ),
    _fr(
        "Studio Brague XR",
        "880461728",
        "company",
        ["virtual_augmented_reality", "software"],
        "micro",
        "brague-xr",
        {
            "en": "Virtual reality training simulations for industry and healthcare.",
            "fr": "Simulations de formation en réalité virtuelle pour l'industrie et la santé.",
            "zh": "面向工业和医疗的虚拟现实培训仿真。",
        },
        ("studio", "Camille Nguyen"),
    ),
    _fr(
        "Incubateur Garoupe",
        "901277350",
        "incubator",
        ["ai_data", "software"],
        "micro",
        "garoupe",
        {
            "en": "Incubator for deep-tech start-ups, with a soft-landing programme for "
            "Chinese founders.",
            "fr": "Incubateur de start-up deep tech, avec un programme d'accueil pour les "
            "fondateurs chinois.",
            "zh": "深科技初创企业孵化器，为中国创业者提供落地支持计划。",
        },
        ("accueil", "Sophie Lambert"),
        city="Antibes",
    ),
    _cn(
        "Nanjing Zijin Biopharmaceutical Technology",
        "南京紫金生物医药科技有限公司",
        "91320115MA1X7K2Q41",
        "company",
        ["biotech_health"],
        "medium",
        "zijin-biopharma",
        {
            "en": "Develops monoclonal antibodies and diagnostic kits.",
            "fr": "Développe des anticorps monoclonaux et des kits de diagnostic.",
            "zh": "研发单克隆抗体和诊断试剂盒。",
        },
        ("bd", "Chen Jing"),
    ),
    _cn(
        "Jiangning Smart Sensing Technology",
        "南京江宁智感物联科技有限公司",
        "91320115MA1Y3B8N61",
        "company",
        ["iot", "microelectronics"],
        "small",
        "smart-sensing",
        {
            "en": "Industrial internet-of-things sensors and edge gateways.",
            "fr": "Capteurs et passerelles industriels pour l'internet des objets.",
            "zh": "工业物联网传感器与边缘网关。",
        },
        ("sales", "Zhou Ming"),
    ),
    _cn(
        "Nanjing Institute of Immersive Computing",
        "南京沉浸式计算研究院",
        "52320115MA1W4D6R2E",
        "research_lab",
        ["virtual_augmented_reality", "ai_data"],
        "medium",
        "niic",
        {
            "en": "Research institute for virtual reality, digital humans and 3D vision.",
            "fr": "Institut de recherche en réalité virtuelle, humains numériques et vision 3D.",
            "zh": "专注虚拟现实、数字人和三维视觉的研究院。",
        },
        ("office", "Liu Yang"),
    ),
    _cn(
        "Fangshan Intelligent Mobility",
        "南京方山智能出行科技有限公司",
        "91320115MA1T9P5C8N",
        "company",
        ["mobility", "ai_data"],
        "small",
        "fangshan-mobility",
        {
            "en": "Autonomous shuttles for campuses and technology parks.",
            "fr": "Navettes autonomes pour campus et parcs technologiques.",
            "zh": "面向园区和校园的自动驾驶接驳车。",
        },
        ("hello", "Sun Hao"),
    ),
    _cn(
        "Moling Microelectronics",
        "南京秣陵微电子有限公司",
        "91320115MA27N6GU34",
        "company",
        ["microelectronics", "telecom"],
        "large",
        "moling-micro",
        {
            "en": "Designs radio-frequency chips for 5G and satellite terminals.",
            "fr": "Conçoit des puces radiofréquence pour la 5G et les terminaux satellites.",
            "zh": "设计面向5G和卫星终端的射频芯片。",
        },
        ("contact", "Huang Wei"),
    ),
    _cn(
        "Jiangning Hi-Tech Incubator",
        "江宁高新技术创业孵化器",
        "91320115MA1R2F7J5C",
        "incubator",
        ["software", "environment"],
        "micro",
        "jn-incubator",
        {
            "en": "Incubator hosting start-ups in green technology and software.",
            "fr": "Incubateur de start-up des technologies vertes et du logiciel.",
            "zh": "聚焦绿色科技与软件的创业孵化器。",
        },
        ("service", "Zhang Min"),
    ),
]

# Waits in the verification queue; its admin writes from a webmail address (a hint for staff).
PENDING = _fr(
    "Mouans Robotique",
    "815443908",
    "company",
    ["mobility", "iot"],
    "micro",
    "mouans-robotique",
    {"fr": "Robots de livraison autonomes pour les zones d'activité."},
    ("fondateur", "Thomas Bernard"),
    city="Mouans-Sartoux",
)
PENDING["admin"]["email"] = "thomas.bernard.robotique@mail.example"


# Colleagues of each organisation's admin: (the part of the e-mail before the org's
# domain, full name). They speak the park's language and live in its zone unless told.
COLLEAGUES = {
    "Fondation Sophia Antipolis": [],
    "Jiangning Development Zone": [],
    "Azur Génomique": [
        ("mathilde.ferrand", "Mathilde Ferrand"),
        ("karim.benali", "Karim Benali"),
    ],
    "Institut Méditerranéen d'Immunologie Appliquée": [
        ("isabelle.roussel", "Dr Isabelle Roussel"),
        ("antoine.giraud", "Antoine Giraud"),
    ],
    "Lérins Connect": [("lea.moreau", "Léa Moreau"), ("nicolas.faure", "Nicolas Faure")],
    "Studio Brague XR": [("hugo.lefevre", "Hugo Lefèvre"), ("ines.durand", "Inès Durand")],
    # Runs the soft-landing programme for Chinese founders, in Antibes.
    "Incubateur Garoupe": [("lin.xiaoyu", "Lin Xiaoyu", "zh")],
    "Nanjing Zijin Biopharmaceutical Technology": [("li.na", "Li Na"), ("zhao.lei", "Zhao Lei")],
    "Jiangning Smart Sensing Technology": [("wu.fang", "Wu Fang"), ("xu.jian", "Xu Jian")],
    "Nanjing Institute of Immersive Computing": [
        ("ma.xiaoling", "Ma Xiaoling"),
        ("gao.yuan", "Dr. Gao Yuan"),
    ],
    "Fangshan Intelligent Mobility": [("lin.tao", "Lin Tao")],
    "Moling Microelectronics": [("yang.qian", "Yang Qian")],
    # Came to Nanjing from Lyon to help French start-ups land in Jiangning.
    "Jiangning Hi-Tech Incubator": [("pauline.girard", "Pauline Girard", "fr")],
}


def colleagues() -> list[dict]:
    """Every demo colleague: organisation, e-mail, name, language and zone."""
    people = []
    for spec in ORGANISATIONS:
        org = spec["organisation"]
        domain_name = spec["admin"]["email"].split("@", 1)[1]
        for local, full_name, *language in COLLEAGUES[org["name"]]:
            people.append(
                {
                    "organisation": org["name"],
                    "email": f"{local}@{domain_name}",
                    "full_name": full_name,
                    "language": language[0] if language else spec["admin"]["language"],
                    "timezone": spec["admin"]["timezone"],
                }
            )
    return people


def _platform_admin(session):
    user = accounts.find_user_by_email(session, PLATFORM_ADMIN_EMAIL)
    if user is None:
        user = accounts.new_user(
            session,
            email=PLATFORM_ADMIN_EMAIL,
            password=PASSWORD,
            full_name="Platform Administrator",
        )
        user.is_platform_admin = True
    return user


def _seed_organisation(staff: Caller, spec: dict, *, verify: bool) -> bool:
    org_data = spec["organisation"]
    with db.transaction() as session:
        if domain.find_by_number(session, org_data["country"], org_data["registration_number"]):
            return False
        if accounts.find_user_by_email(session, spec["admin"]["email"]):
            return False
        org, _admin = domain.register(session, org_data, {**spec["admin"], "password": PASSWORD})
        if verify:
            domain.verify(session, staff, org.id, "Demo data: known member of the park.")
    return True


def _seed_colleague(spec: dict, person: dict, password_hash) -> bool:
    """A colleague joins as an accepted invitation makes them join (an account, a membership,
    `member.joined`), without the link: no e-mail to send; False if already in."""
    org_data = spec["organisation"]
    with db.transaction() as session:
        if accounts.find_user_by_email(session, person["email"]):
            return False
        org = domain.find_by_number(session, org_data["country"], org_data["registration_number"])
        if org is None:
            return False
        user = User(
            email=accounts.normalise_email(person["email"]),
            password_hash=password_hash(),
            **{k: person[k] for k in ("full_name", "language", "timezone")},
        )
        session.add(user)
        session.flush()
        membership = Membership(user_id=user.id, organisation_id=org.id, role="org_member")
        session.add(membership)
        session.flush()
        emit(session, "member.joined", snapshots.member_event(user, membership))
    return True


def seed_colleagues() -> int:
    """Add the demo colleagues missing from their organisations; returns how many joined."""
    by_name = {spec["organisation"]["name"]: spec for spec in ORGANISATIONS}
    # They share the public demo password: one Argon2 hash (most of a second on a busy machine)
    # serves them all, made only if someone is missing.
    password_hash = functools.cache(lambda: accounts.hash_password(PASSWORD))
    return sum(_seed_colleague(by_name[p["organisation"]], p, password_hash) for p in colleagues())


def seed_demo() -> int:
    """Add whatever demo data is missing; returns how many organisations were added."""
    return seed_all()[0]


def seed_all() -> tuple[int, int]:
    """Add whatever demo data is missing; how many organisations, then colleagues, were added."""
    with db.transaction() as session:
        admin_id: uuid.UUID = _platform_admin(session).id
    staff = Caller(
        subject=str(admin_id),
        kind="user",
        organisation_id=None,
        roles=frozenset({PLATFORM_ADMIN}),
    )
    added = sum(_seed_organisation(staff, spec, verify=True) for spec in ORGANISATIONS)
    added += _seed_organisation(staff, PENDING, verify=False)
    return added, seed_colleagues()


def register_cli(app) -> None:
    """`flask seed-demo`: the demo organisations and people, safe to run again."""

    @app.cli.command("seed-demo")
    def seed_demo_command():
        """Add the demo organisations and people (adds nothing the second time)."""
        added, joined = seed_all()
        click.echo(f"Demo data: {added} organisation(s) added, {joined} colleague(s) joined.")
        click.echo(f"Platform admin: {PLATFORM_ADMIN_EMAIL} / {PASSWORD}")
