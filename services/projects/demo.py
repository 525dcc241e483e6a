"""Demo data: cooperation projects of members' demo organisations, in every state a visitor meets.

Seeded through projects' own domain functions, acting for each owner as an integrator client
would (no person's id is invented), so the outbox holds exactly the events a real life of these
projects would have sent. Owners are members' demo organisations, found by name in the local
projection, which members' events fill through the workers: the command waits for them rather
than writing them itself. Running it again adds nothing: a project is known by owner and title.
"""

# ruff: noqa: RUF001 - Chinese text is punctuated with full-width commas.
from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from shared import demo_data
from shared.auth import Caller

from .domain import applications, projects
from .models import Organisation, Project, db
from .schemas import MilestoneIn, ProjectIn

# members' demo organisations (services/members/demo.py), by the name members publishes.
AZUR = "Azur Génomique"
IMIA = "Institut Méditerranéen d'Immunologie Appliquée"
LERINS = "Lérins Connect"
BRAGUE = "Studio Brague XR"
GAROUPE = "Incubateur Garoupe"
ZIJIN = "Nanjing Zijin Biopharmaceutical Technology"
SENSING = "Jiangning Smart Sensing Technology"
NIIC = "Nanjing Institute of Immersive Computing"
FANGSHAN = "Fangshan Intelligent Mobility"
MOLING = "Moling Microelectronics"
JN_INCUBATOR = "Jiangning Hi-Tech Incubator"

DEFAULT_TIMEOUT = 120.0


def _milestone(en, fr, zh, starts, due, progress):
    """A milestone: its title, and its start and due dates in days from today."""
    return {
        "title": {"en": en, "fr": fr, "zh": zh},
        "starts": starts,
        "due": due,
        "progress": progress,
    }


PROJECTS = [
    {
        "owner": AZUR,
        "state": "open",
        "call_days": 40,
        "body": {
            "kind": "rd_partnership",
            "title": {
                "en": "Rare-disease genomics: a Franco-Chinese reference panel",
                "fr": "Génomique des maladies rares : un panel de référence franco-chinois",
                "zh": "罕见病基因组学：中法参考基因组数据集",
            },
            "summary": {
                "en": "Azur Génomique seeks a Chinese clinical-sequencing partner to build a "
                "shared reference panel and improve rare-disease diagnosis in both countries.",
                "fr": "Azur Génomique cherche un partenaire chinois en séquençage clinique pour "
                "bâtir un panel de référence commun et améliorer le diagnostic des maladies rares.",
                "zh": "Azur Génomique寻求中国临床测序合作伙伴，"
                "共建参考数据集，提升两国罕见病诊断水平。",
            },
            "description": {
                "en": "## Why\n\nOne patient in three with a rare disease still waits for a "
                "diagnosis. Reference panels are mostly European: variants frequent in Chinese "
                "populations are read as suspicious.\n\n## What we bring\n\n- a validated "
                "bioinformatics pipeline (ISO 15189)\n- 4,000 anonymised exomes\n\n"
                "## What we seek\n\nA laboratory or company in Jiangning with clinical "
                "sequencing capacity and ethics approval for data sharing.",
                "fr": "## Pourquoi\n\nUn patient atteint de maladie rare sur trois attend encore "
                "son diagnostic. Les panels de référence sont surtout européens : des variants "
                "fréquents dans les populations chinoises y passent pour suspects.\n\n"
                "## Notre apport\n\n- une chaîne bio-informatique validée (ISO 15189)\n"
                "- 4 000 exomes anonymisés\n\n## Ce que nous cherchons\n\nUn laboratoire ou "
                "une entreprise de Jiangning disposant d'une capacité de séquençage clinique et "
                "d'un accord éthique pour le partage des données.",
                "zh": "## 背景\n\n三分之一的罕见病患者仍在等待确诊。现有参考数据集以欧洲人群为主，"
                "中国人群常见的变异常被误判为可疑变异。\n\n## 我们提供\n\n- 经验证的生物信息学"
                "分析流程（ISO 15189）\n- 4000例匿名外显子组数据\n\n## 我们寻求\n\n"
                "江宁具备临床测序能力并获得数据共享伦理审批的实验室或企业。",
            },
            "sectors": ["biotech_health", "ai_data"],
            "keywords": ["genomics", "rare diseases", "exome", "bioinformatics"],
            "seeks_countries": ["CN"],
            "seeks_kinds": ["research_lab", "company"],
            "seeks_skills": ["clinical sequencing", "variant interpretation"],
            "starts_on": 120,
            "ends_on": 120 + 3 * 365,
            "budget_min": 300_000,
            "budget_max": 600_000,
            "budget_currency": "EUR",
            "funding_scheme": "Eurostars",
            "visibility": "public",
        },
        "applications": [
            (
                ZIJIN,
                "Our diagnostics team in Jiangning sequences 20,000 clinical samples a year and "
                "would welcome a shared panel. Could we meet at the next Tech Day?",
                None,
            ),
        ],
    },
    {
        "owner": LERINS,
        "state": "active",
        "call_days": 30,
        "body": {
            "kind": "rd_partnership",
            "title": {
                "en": "Low-power sensors for vineyards and tea gardens",
                "fr": "Capteurs basse consommation pour vignobles et jardins de thé",
                "zh": "面向葡萄园和茶园的低功耗传感器",
            },
            "summary": {
                "en": "Soil, leaf-wetness and micro-climate sensors tested side by side in the "
                "Bellet vineyards near Nice and in the tea gardens south of Nanjing.",
                "fr": "Capteurs de sol, d'humectation foliaire et de microclimat testés en "
                "parallèle dans les vignes de Bellet et les jardins de thé au sud de Nankin.",
                "zh": "土壤、叶面湿度与微气候传感器在尼斯贝莱葡萄园和南京南郊茶园同步测试。",
            },
            "description": {
                "en": "Lérins Connect designs the radio and the ten-year battery budget; "
                "Jiangning Smart Sensing brings its edge gateways and industrialises the "
                "sensors for the Chinese market. Both pilots share one open data model.",
                "fr": "Lérins Connect conçoit la radio et le budget énergétique sur dix ans ; "
                "Jiangning Smart Sensing apporte ses passerelles de bordure et industrialise "
                "les capteurs pour le marché chinois. Les deux pilotes partagent un modèle de "
                "données ouvert.",
                "zh": "Lérins Connect负责无线通信设计及十年电池功耗方案；江宁智感物联提供边缘网关，"
                "并面向中国市场实现传感器量产。两个试点共用一套开放数据模型。",
            },
            "sectors": ["iot", "environment"],
            "keywords": ["LoRaWAN", "agriculture", "sensors", "edge computing"],
            "seeks_countries": ["CN"],
            "seeks_kinds": ["company"],
            "seeks_skills": ["edge gateways", "mass production"],
            "starts_on": -150,
            "ends_on": -150 + 2 * 365,
            "budget_min": 250_000,
            "budget_max": 400_000,
            "budget_currency": "EUR",
            "funding_scheme": "Regional innovation funds (Région Sud, Jiangsu)",
            "visibility": "public",
        },
        "applications": [
            (
                SENSING,
                "We have deployed 3,000 gateways in Jiangsu tea gardens and can host the "
                "Chinese pilot.",
                "partner",
            ),
        ],
        "milestones": [
            _milestone(
                "Sensor specification agreed",
                "Spécification des capteurs validée",
                "传感器规格确定",
                -150,
                -90,
                100,
            ),
            _milestone(
                "Field pilots in Bellet and Jiangning",
                "Pilotes de terrain à Bellet et à Jiangning",
                "贝莱与江宁田间试点",
                -80,
                60,
                45,
            ),
            _milestone(
                "Shared open data model published",
                "Publication du modèle de données ouvert commun",
                "发布共享开放数据模型",
                30,
                200,
                0,
            ),
        ],
    },
    {
        "owner": MOLING,
        "state": "open",
        "anonymous": True,
        "call_days": 30,
        "body": {
            "kind": "technology_request",
            "title": {
                "en": "RF test bench for satellite IoT terminals",
                "fr": "Banc de test RF pour terminaux IoT satellitaires",
                "zh": "卫星物联网终端射频测试平台",
            },
            "summary": {
                "en": "A Jiangning chip designer seeks a French laboratory or company to "
                "co-develop an over-the-air test bench for low-orbit satellite IoT terminals.",
                "fr": "Un concepteur de puces de Jiangning cherche un laboratoire ou une "
                "entreprise française pour co-développer un banc de test en rayonnement pour "
                "terminaux IoT en orbite basse.",
                "zh": "江宁一家芯片设计企业寻求法国实验室或企业，"
                "合作开发低轨卫星物联网终端空口测试平台。",
            },
            "description": {
                "en": "We prefer to introduce ourselves once we know each other: tell us about "
                "your anechoic chamber, your antenna measurements and your experience with "
                "3GPP non-terrestrial networks.",
                "fr": "Nous préférons nous présenter une fois le contact établi : parlez-nous de "
                "votre chambre anéchoïque, de vos mesures d'antennes et de votre expérience des "
                "réseaux non terrestres 3GPP.",
                "zh": "我们希望在建立联系后再介绍自己："
                "请介绍贵方的微波暗室、天线测量能力以及3GPP非地面网络经验。",
            },
            "sectors": ["microelectronics", "telecom"],
            "keywords": ["RF", "satellite", "NTN", "test bench"],
            "seeks_countries": ["FR"],
            "seeks_kinds": ["research_lab", "company"],
            "seeks_skills": ["RF measurement", "antenna design"],
            "starts_on": 90,
            "ends_on": 90 + 540,
            "budget_min": 1_500_000,
            "budget_max": 3_000_000,
            "budget_currency": "CNY",
            "visibility": "public",
        },
    },
    {
        "owner": NIIC,
        "state": "open",
        "call_days": 55,
        "body": {
            "kind": "technology_offer",
            "title": {
                "en": "Digital-human engine for training simulations",
                "fr": "Moteur d'humains numériques pour la formation par simulation",
                "zh": "面向培训仿真的数字人引擎",
            },
            "summary": {
                "en": "Licence and joint adaptation of our real-time digital-human engine for "
                "virtual reality training in healthcare and industry.",
                "fr": "Licence et adaptation conjointe de notre moteur d'humains numériques temps "
                "réel pour la formation en réalité virtuelle dans la santé et l'industrie.",
                "zh": "授权并联合适配我们的实时数字人引擎，用于医疗和工业领域的虚拟现实培训。",
            },
            "description": {
                "en": "Speech, gaze and gesture driven in real time on a standalone headset. "
                "Offered first to the platform's members, with French and Chinese voices.",
                "fr": "Parole, regard et gestes pilotés en temps réel sur un casque autonome. "
                "Proposé d'abord aux membres de la plateforme, avec des voix françaises et "
                "chinoises.",
                "zh": "在一体式头显上实时驱动语音、眼神和手势。"
                "优先向平台成员开放，提供中法双语语音。",
            },
            "sectors": ["virtual_augmented_reality", "ai_data"],
            "keywords": ["digital human", "virtual reality", "training"],
            "seeks_countries": ["FR"],
            "seeks_kinds": ["company"],
            "seeks_skills": ["VR training content", "medical simulation"],
            "starts_on": 75,
            "ends_on": 75 + 365,
            "visibility": "members",
        },
        "applications": [
            (
                BRAGUE,
                "We build VR simulations for operating theatres; your engine would give our "
                "virtual patients a voice.",
                None,
            ),
        ],
    },
    {
        "owner": IMIA,
        "state": "active",
        "call_days": 20,
        "body": {
            "kind": "rd_partnership",
            "title": {
                "en": "Antibody-based quality control for cell therapies",
                "fr": "Contrôle qualité des thérapies cellulaires par anticorps",
                "zh": "基于抗体的细胞治疗质量控制",
            },
            "summary": {
                "en": "A faster release test for CAR-T batches, with monoclonal antibodies "
                "developed in Nanjing and validated in Valbonne.",
                "fr": "Un test de libération plus rapide des lots de CAR-T, avec des anticorps "
                "monoclonaux développés à Nankin et validés à Valbonne.",
                "zh": "利用南京研发、瓦尔博讷验证的单克隆抗体，加快CAR-T批次放行检测。",
            },
            "description": {
                "en": "Release testing takes up to ten days today. The partners aim for two, "
                "on a panel usable by hospital production units in France and China.",
                "fr": "Le contrôle libératoire prend aujourd'hui jusqu'à dix jours. Les "
                "partenaires visent deux jours, avec un panel utilisable par les unités de "
                "production hospitalières en France et en Chine.",
                "zh": "目前放行检测需时长达十天。合作双方目标缩短至两天，"
                "并形成可供中法医院制备单位使用的检测组合。",
            },
            "sectors": ["biotech_health"],
            "keywords": ["CAR-T", "monoclonal antibodies", "quality control"],
            "seeks_countries": ["CN"],
            "seeks_kinds": ["company"],
            "seeks_skills": ["antibody development"],
            "starts_on": -60,
            "ends_on": -60 + 3 * 365,
            "budget_min": 800_000,
            "budget_max": 1_200_000,
            "budget_currency": "EUR",
            "funding_scheme": "PRCI ANR – NSFC",
            "visibility": "public",
        },
        "applications": [
            (
                ZIJIN,
                "Our antibody platform has two candidate clones for CD19 CAR detection.",
                "partner",
            ),
        ],
        "milestones": [
            _milestone(
                "Candidate antibodies shipped to Valbonne",
                "Anticorps candidats livrés à Valbonne",
                "候选抗体送达瓦尔博讷",
                -60,
                -10,
                100,
            ),
            _milestone(
                "Assay validated on twenty batches",
                "Test validé sur vingt lots",
                "完成二十个批次的检测验证",
                -10,
                150,
                15,
            ),
        ],
    },
    {
        "owner": FANGSHAN,
        "state": "open",
        "call_days": 70,
        "body": {
            "kind": "business_offer",
            "title": {
                "en": "Autonomous shuttle pilot on a Sophia Antipolis campus",
                "fr": "Pilote de navette autonome sur un campus de Sophia Antipolis",
                "zh": "索菲亚科技园园区自动驾驶接驳车试点",
            },
            "summary": {
                "en": "Two electric autonomous shuttles, operated for six months between a bus "
                "hub and company buildings: we look for a site host and a local operator.",
                "fr": "Deux navettes électriques autonomes exploitées six mois entre un pôle "
                "de bus et des bâtiments d'entreprises : nous cherchons un site d'accueil et un "
                "exploitant local.",
                "zh": "两辆电动自动驾驶接驳车在公交枢纽与企业楼宇之间运营六个月："
                "寻求场地方和本地运营伙伴。",
            },
            "description": {
                "en": "Our shuttles carry 300,000 passengers a year in the Jiangning parks. The "
                "pilot would adapt them to European rules and to Sophia Antipolis' hills.",
                "fr": "Nos navettes transportent 300 000 passagers par an dans les parcs de "
                "Jiangning. Le pilote les adapterait à la réglementation européenne et au relief "
                "de Sophia Antipolis.",
                "zh": "我们的接驳车每年在江宁各园区运送30万人次。"
                "该试点将使其适应欧洲法规和索菲亚科技园的丘陵地形。",
            },
            "sectors": ["mobility", "smart_city"],
            "keywords": ["autonomous shuttle", "last mile", "pilot"],
            "seeks_countries": ["FR"],
            "seeks_kinds": ["public_body", "company"],
            "seeks_skills": ["transport operation", "homologation"],
            "starts_on": 180,
            "ends_on": 180 + 365,
            "budget_min": 900_000,
            "budget_max": 1_400_000,
            "budget_currency": "EUR",
            "visibility": "public",
        },
    },
    {
        "owner": GAROUPE,
        "state": "completed",
        "call_days": 15,
        "body": {
            "kind": "business_offer",
            "title": {
                "en": "Cross-incubation pilot: ten start-ups, two parks",
                "fr": "Pilote de co-incubation : dix start-up, deux parcs",
                "zh": "交叉孵化试点：十家初创企业，两个园区",
            },
            "summary": {
                "en": "The first exchange of the multi-annual programme: five start-ups from "
                "each park spent three months in the other's incubator.",
                "fr": "Premier échange du programme pluriannuel : cinq start-up de chaque parc "
                "ont passé trois mois dans l'incubateur de l'autre.",
                "zh": "多年期交流计划的首次交流：两个园区各五家初创企业在对方孵化器入驻三个月。",
            },
            "description": {
                "en": "Desks, mentors and introductions to customers on both sides. Three "
                "start-ups signed their first contract abroad; the next round is open to all "
                "members.",
                "fr": "Postes de travail, mentors et mises en relation avec des clients des deux "
                "côtés. Trois start-up ont signé leur premier contrat à l'étranger ; la "
                "prochaine promotion est ouverte à tous les membres.",
                "zh": "双方提供工位、导师和客户对接。"
                "三家初创企业签下了首份海外合同；下一期向全体成员开放。",
            },
            "sectors": ["software", "ai_data"],
            "keywords": ["soft landing", "incubation", "start-ups"],
            "seeks_countries": ["CN"],
            "seeks_kinds": ["incubator"],
            "starts_on": -420,
            "ends_on": -30,
            "visibility": "public",
        },
        "applications": [
            (
                JN_INCUBATOR,
                "We will host five French start-ups and send five of ours.",
                "partner",
            ),
        ],
        "milestones": [
            _milestone(
                "Ten start-ups selected",
                "Dix start-up sélectionnées",
                "选定十家初创企业",
                -420,
                -330,
                100,
            ),
            _milestone(
                "Three months in the other park",
                "Trois mois dans l'autre parc",
                "在对方园区入驻三个月",
                -300,
                -210,
                100,
            ),
            _milestone(
                "Results presented to both parks",
                "Bilan présenté aux deux parcs",
                "向两个园区汇报成果",
                -90,
                -30,
                100,
            ),
        ],
    },
]

# The organisations seeding needs in projects' projection: owners and applicants.
NEEDED = sorted(
    {spec["owner"] for spec in PROJECTS}
    | {name for spec in PROJECTS for name, *_ in spec.get("applications", ())}
)


def wait_for_organisations(names: list[str], timeout: float) -> dict[str, uuid.UUID]:
    """The ids of the named organisations once all are verified in projects' projection."""
    return demo_data.wait_for_organisations(db, Organisation, "projects", names, timeout)


def acting_for(organisation_id: uuid.UUID) -> Caller:
    """The seed acting as an admin client of the organisation: no person is made up."""
    return Caller(
        subject="demo-data",
        kind="client",
        organisation_id=organisation_id,
        scopes=frozenset({"organisation:admin", "projects:write", "projects:apply"}),
    )


def _body(spec: dict, today: date, now: datetime) -> dict:
    """The creation payload as the API would load it, dates made relative to today."""
    body = dict(spec["body"])
    for name in ("starts_on", "ends_on"):
        if name in body:
            body[name] = (today + timedelta(days=body[name])).isoformat()
    deadline = (now + timedelta(days=spec["call_days"])).replace(
        hour=16, minute=0, second=0, microsecond=0
    )
    body["call_deadline"] = deadline.isoformat()
    body["anonymous"] = spec.get("anonymous", False)
    return ProjectIn().load(body)


def _exists(session, owner_id: uuid.UUID, title_en: str) -> bool:
    titles = session.scalars(select(Project.title).where(Project.organisation_id == owner_id))
    return any(title.get("en") == title_en for title in titles)


def _seed_project(spec: dict, ids: dict[str, uuid.UUID]) -> bool:
    """One project and its whole life so far, in one transaction; False if it is there."""
    owner = acting_for(ids[spec["owner"]])
    now = datetime.now(UTC)
    today = now.date()
    with db.transaction() as session:
        if _exists(session, owner.organisation_id, spec["body"]["title"]["en"]):
            return False
        project = projects.create(session, owner, _body(spec, today, now))
        projects.transition(session, owner, project.id, "open", "Demo data: call opened.")
        for applicant, message, role in spec.get("applications", ()):
            application = applications.submit(
                session, acting_for(ids[applicant]), project.id, message
            )
            if role:
                applications.decide(
                    session, owner, application.id, "accepted", "Welcome aboard.", role
                )
        if spec["state"] in ("active", "completed"):
            projects.transition(session, owner, project.id, "active", "Partners found.")
            for milestone in spec.get("milestones", ()):
                payload = MilestoneIn().load(
                    {
                        "title": milestone["title"],
                        "starts_on": (today + timedelta(days=milestone["starts"])).isoformat(),
                        "due_on": (today + timedelta(days=milestone["due"])).isoformat(),
                        "progress": milestone["progress"],
                    }
                )
                projects.add_milestone(session, owner, project.id, payload)
        if spec["state"] == "completed":
            projects.transition(session, owner, project.id, "completed", "Programme delivered.")
    return True


def seed_demo(timeout: float = DEFAULT_TIMEOUT) -> int:
    """Add whatever demo project is missing, once members' organisations are here; how many."""
    ids = wait_for_organisations(NEEDED, timeout)
    return sum(_seed_project(spec, ids) for spec in PROJECTS)


def register_cli(app) -> None:
    """`flask seed-demo`: the demo projects, safe to run again."""
    demo_data.register_seed_command(
        app, "projects", seed_demo, "Demo data: {added} project(s) added.", DEFAULT_TIMEOUT
    )
