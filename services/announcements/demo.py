"""Demo data: the parks' news, events ahead and a call, so a first visit shows a living platform.

Published through announcements' own domain functions (staff publish; an organisation's news
goes through moderation and is approved), so the outbox holds what real publishing sends. Dates
are relative to today: events and the call's deadline ahead, news of the recent past. Authors
are members' demo organisations, found by name in the local projection that members' events
fill through the workers: the command waits for them. Running it again adds nothing: an
announcement is known by its kind and English title.
"""

# ruff: noqa: RUF001 - Chinese text is punctuated with full-width commas.
from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

from sqlalchemy import select

from shared import demo_data
from shared.auth import PLATFORM_ADMIN, Caller

from . import demo_brokerage
from .domain import announcements, matchmaking
from .models import Announcement, Matchmaking, Organisation, db
from .schemas import AnnouncementIn, MatchmakingIn

FSA = "Fondation Sophia Antipolis"
JNDZ = "Jiangning Development Zone"
LERINS = "Lérins Connect"
BROKERAGE = "5th China-France Innovation and Cooperation Forum — B2B meetings"
NEEDED = [FSA, JNDZ, LERINS]
DEFAULT_TIMEOUT = 120.0
PARIS = "Europe/Paris"
SHANGHAI = "Asia/Shanghai"

EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
FR_MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def long_date(day: date) -> dict[str, str]:
    """A date as each language writes it in running text."""
    return {
        "en": f"{day.day} {EN_MONTHS[day.month - 1]} {day.year}",
        "fr": f"{day.day} {FR_MONTHS[day.month - 1]} {day.year}",
        "zh": f"{day.year}年{day.month}月{day.day}日",
    }


def weekday_after(today: date, days: int, weekday: int) -> date:
    """The first given weekday (Monday is 0) at least `days` from today: events fall mid-week."""
    day = today + timedelta(days=days)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _wall(day: date, hour: int, minute: int = 0) -> str:
    """A wall time in the event's own zone, as the API takes it (no offset)."""
    return datetime.combine(day, clock(hour, minute)).isoformat()


def _forum_news() -> dict:
    return {
        "author": FSA,
        "kind": "news",
        "title": {
            "en": "Looking back at the 4th China-France Innovation and Cooperation Forum",
            "fr": "Retour sur le 4e Forum franco-chinois de l'innovation et de la coopération",
            "zh": "回顾第四届中法创新合作论坛",
        },
        "summary": {
            "en": "Nanjing, Lyon, Paris, Montargis and Sophia Antipolis, connected for one "
            "day: the forum where the idea of a common Sino-Sophipolitan platform was born.",
            "fr": "Nankin, Lyon, Paris, Montargis et Sophia Antipolis reliées le temps d'une "
            "journée : le forum où est née l'idée d'une plateforme sino-sophipolitaine commune.",
            "zh": "南京、里昂、巴黎、蒙塔日与索菲亚科技园云端相连："
            "中法索菲亚合作平台的构想由此诞生。",
        },
        "body": {
            "en": "On 24 June 2021, the **4th China-France Innovation and Cooperation Forum** "
            "was held online from Nanjing, within Nanjing Tech Week 2021 and its theme "
            "*Mutual Understanding, Win-Win, Embracing the Convergence of the Future*.\n\n"
            "More than 400 participants followed it, among them former French Prime Minister "
            "Dominique de Villepin and State Council Advisor Yao Jinyuan. Jean-Pierre "
            "Mascarelli, President of the Fondation Sophia Antipolis, stressed how much the "
            "health crisis had shown the importance of science, technology and innovation "
            "for the resilience of territories.\n\n"
            "The round table on Chinese-French technological innovation discussed projects "
            "in **biotechnology, the internet of things and virtual reality**: the same "
            "fields in which members of both parks look for partners here today.",
            "fr": "Le 24 juin 2021, le **4e Forum franco-chinois de l'innovation et de la "
            "coopération** s'est tenu en ligne depuis Nankin, dans le cadre de la Nanjing Tech "
            "Week 2021, placée sous le thème *Mutual Understanding, Win-Win, Embracing the "
            "Convergence of the Future* (compréhension mutuelle, gagnant-gagnant, "
            "convergence de l'avenir).\n\n"
            "Plus de 400 participants l'ont suivi, dont l'ancien Premier ministre Dominique "
            "de Villepin et le conseiller d'État Yao Jinyuan. Jean-Pierre Mascarelli, "
            "président de la Fondation Sophia Antipolis, a souligné combien la crise "
            "sanitaire avait révélé l'importance de la science, de la technologie et de "
            "l'innovation pour la résilience des territoires.\n\n"
            "La table ronde sur l'innovation technologique franco-chinoise a évoqué des "
            "projets en **biotechnologies, internet des objets et réalité virtuelle** : les "
            "domaines mêmes où les membres des deux parcs cherchent aujourd'hui des "
            "partenaires sur cette plateforme.",
            "zh": "2021年6月24日，**第四届中法创新合作论坛**作为2021南京创新周的活动之一"
            "在南京以线上形式举行，创新周的主题为“Mutual Understanding, Win-Win, Embracing "
            "the Convergence of the Future”（相互理解、合作共赢、拥抱未来的融合）。\n\n"
            "400余人参加了论坛，其中包括法国前总理德维尔潘（Dominique de Villepin）"
            "和国务院参事Yao Jinyuan。索菲亚科技园基金会主席Jean-Pierre Mascarelli"
            "在致辞中强调，新冠疫情让人们更加认识到科学、技术和创新对于地区韧性的重要意义。\n\n"
            "在中法科技创新圆桌会议上，嘉宾们探讨了**生物技术、物联网和虚拟现实**领域的合作项目，"
            "这些也正是两个园区成员如今在本平台上寻找合作伙伴的领域。",
        },
        "tags": ["forum", "nanjing", "2021"],
        "sectors": ["biotech_health", "iot", "virtual_augmented_reality"],
        "audience": {"scope": "public"},
    }


def _agreement_news() -> dict:
    return {
        "author": JNDZ,
        "kind": "news",
        "title": {
            "en": "The agreement behind this platform",
            "fr": "L'accord à l'origine de cette plateforme",
            "zh": "本平台背后的合作协议",
        },
        "summary": {
            "en": "The strategic cooperation agreement between the Fondation Sophia Antipolis "
            "and the Jiangning Development Zone, and the multi-annual exchanges it frames.",
            "fr": "L'accord de coopération stratégique entre la Fondation Sophia Antipolis et "
            "la zone de développement de Jiangning, et les échanges pluriannuels qu'il encadre.",
            "zh": "索菲亚科技园基金会与江宁开发区战略合作协议，以及协议框架下的多年期交流计划。",
        },
        "body": {
            "en": "The Fondation Sophia Antipolis (FSA) and the Jiangning Development Zone "
            "(JNDZ) signed a **strategic cooperation agreement** to reinforce development and "
            "innovation synergies between the two parks. It gives both parties a framework "
            "to work together in a wide range of areas, and in particular to develop "
            "**multi-annual exchange programmes**.\n\n"
            "This platform is one of them: organisations of both parks present themselves "
            "in the directory, publish projects with calls for partners, apply to each "
            "other's calls and follow the parks' news and events, in English, French and "
            "Chinese.",
            "fr": "La Fondation Sophia Antipolis (FSA) et la zone de développement de "
            "Jiangning (JNDZ) ont signé un **accord de coopération stratégique** pour renforcer "
            "les synergies de développement et d'innovation entre les deux parcs. Il offre "
            "aux deux parties un cadre pour collaborer dans de nombreux domaines, et en "
            "particulier pour développer des **programmes d'échanges pluriannuels**.\n\n"
            "Cette plateforme en fait partie : les organisations des deux parcs s'y "
            "présentent dans l'annuaire, publient des projets et leurs appels à partenaires, "
            "répondent aux appels des autres et suivent l'actualité et les événements des "
            "parcs, en français, en anglais et en chinois.",
            "zh": "索菲亚科技园基金会（FSA）与江宁经济技术开发区（JNDZ）签署了**战略合作协议**，"
            "旨在加强两个园区在发展与创新方面的协同。协议为双方在广泛领域开展合作提供了框架，"
            "特别是共同制定**多年期交流计划**。\n\n"
            "本平台正是其中之一：两个园区的机构可以在名录中展示自己，发布项目并征集合作伙伴，"
            "响应彼此的合作需求，并以中文、法文和英文关注园区新闻与活动。",
        },
        "tags": ["agreement", "cooperation"],
        "sectors": [],
        "audience": {"scope": "public"},
    }


def _company_news(today: date) -> dict:
    installed = long_date(today - timedelta(days=9))
    return {
        "author": LERINS,
        "kind": "news",
        "moderated": True,
        "title": {
            "en": "Lérins Connect and Jiangning Smart Sensing start their field pilots",
            "fr": "Lérins Connect et Jiangning Smart Sensing lancent leurs pilotes de terrain",
            "zh": "Lérins Connect与江宁智感物联启动田间试点",
        },
        "summary": {
            "en": "The first sensors of the vineyard and tea-garden project are in the ground.",
            "fr": "Les premiers capteurs du projet vignes et jardins de thé sont en terre.",
            "zh": "葡萄园与茶园项目的首批传感器已完成部署。",
        },
        "body": {
            "en": f"On {installed['en']}, the first twenty sensors were installed in the "
            "Bellet vineyards above Nice. They measure soil moisture, leaf wetness and "
            "temperature every ten minutes and should run ten years on one battery.\n\n"
            "Our partner Jiangning Smart Sensing is equipping a tea garden south of Nanjing "
            "with the same sensors and its edge gateways, so that both pilots feed one open "
            "data model. We met through a call for partners on this platform.",
            "fr": f"Le {installed['fr']}, les vingt premiers capteurs ont été installés dans "
            "les vignes de Bellet, sur les hauteurs de Nice. Ils mesurent l'humidité du sol, "
            "l'humectation des feuilles et la température toutes les dix minutes, et devraient "
            "tenir dix ans sur une seule pile.\n\n"
            "Notre partenaire Jiangning Smart Sensing équipe un jardin de thé au sud de Nankin "
            "des mêmes capteurs et de ses passerelles de bordure : les deux pilotes "
            "alimentent un modèle de données ouvert commun. Nous nous sommes rencontrés grâce "
            "à un appel à partenaires publié sur cette plateforme.",
            "zh": f"{installed['zh']}，首批二十个传感器在尼斯山丘上的贝莱葡萄园完成安装。"
            "它们每十分钟测量一次土壤湿度、叶面湿度和温度，一块电池可使用十年。\n\n"
            "合作伙伴江宁智感物联正在南京南郊的一处茶园部署相同的传感器及其边缘网关，"
            "两个试点将共用一套开放数据模型。我们正是通过本平台上的合作伙伴征集结识的。",
        },
        "tags": ["iot", "agriculture", "pilot"],
        "sectors": ["iot", "environment"],
        "audience": {"scope": "public"},
    }


def _tech_day(today: date) -> dict:
    day = weekday_after(today, 24, 3)  # a Thursday
    return {
        "author": FSA,
        "kind": "event",
        "title": {
            "en": "Sophia Antipolis Tech Day: China-France innovation",
            "fr": "Tech Day Sophia Antipolis : innovation franco-chinoise",
            "zh": "索菲亚科技园技术日：中法创新",
        },
        "summary": {
            "en": "Pitches in biotech, IoT and virtual reality in the morning, meetings with "
            "Jiangning companies in the afternoon.",
            "fr": "Pitchs en biotech, IoT et réalité virtuelle le matin, rendez-vous avec des "
            "entreprises de Jiangning l'après-midi.",
            "zh": "上午为生物技术、物联网和虚拟现实项目路演，下午与江宁企业进行对接洽谈。",
        },
        "body": {
            "en": "**Programme**\n\n- 9:30 Welcome by the Fondation Sophia Antipolis\n"
            "- 10:00 Project pitches: biotech and health, IoT, virtual reality\n"
            "- 12:30 Lunch\n- 14:00 One-to-one meetings, Jiangning companies joining online\n"
            "- 17:00 Open calls for partners on the platform\n\n"
            "Free for members; register on this page.",
            "fr": "**Programme**\n\n- 9 h 30 Accueil par la Fondation Sophia Antipolis\n"
            "- 10 h Pitchs de projets : biotech et santé, IoT, réalité virtuelle\n"
            "- 12 h 30 Déjeuner\n- 14 h Rendez-vous individuels, entreprises de Jiangning en "
            "ligne\n- 17 h Les appels à partenaires ouverts sur la plateforme\n\n"
            "Gratuit pour les membres ; inscription sur cette page.",
            "zh": "**日程**\n\n- 9:30 索菲亚科技园基金会致欢迎辞\n"
            "- 10:00 项目路演：生物技术与健康、物联网、虚拟现实\n- 12:30 午餐\n"
            "- 14:00 一对一洽谈，江宁企业线上参加\n- 17:00 介绍平台上正在征集合作伙伴的项目\n\n"
            "成员免费参加，请在本页报名。",
        },
        "tags": ["tech day", "matchmaking"],
        "sectors": ["biotech_health", "iot", "virtual_augmented_reality"],
        "audience": {"scope": "public"},
        "timezone": PARIS,
        "starts_at": _wall(day, 9, 30),
        "ends_at": _wall(day, 17, 30),
        "place": "Business Pôle, Sophia Antipolis",
        "capacity": 150,
    }


def _delegation(today: date) -> dict:
    first = weekday_after(today, 45, 1)  # a Tuesday
    dates = long_date(first)
    return {
        "author": JNDZ,
        "kind": "event",
        "title": {
            "en": "Jiangning delegation visits Sophia Antipolis",
            "fr": "Une délégation de Jiangning en visite à Sophia Antipolis",
            "zh": "江宁代表团访问索菲亚科技园",
        },
        "summary": {
            "en": "Two days of visits and meetings with a delegation of the Jiangning "
            "Development Zone and ten of its companies.",
            "fr": "Deux jours de visites et de rendez-vous avec une délégation de la zone de "
            "développement de Jiangning et dix de ses entreprises.",
            "zh": "江宁开发区代表团携十家企业来访，开展为期两天的参观与洽谈。",
        },
        "body": {
            "en": f"From {dates['en']}, the delegation visits laboratories and companies of "
            "the park. Members who wish to host it or meet its companies register here; "
            "the Fondation Sophia Antipolis arranges the meetings and interpreters.",
            "fr": f"À partir du {dates['fr']}, la délégation visite des laboratoires et des "
            "entreprises du parc. Les membres qui souhaitent l'accueillir ou rencontrer ses "
            "entreprises s'inscrivent ici ; la Fondation Sophia Antipolis organise les "
            "rendez-vous et l'interprétariat.",
            "zh": f"自{dates['zh']}起，代表团将参观园区的实验室和企业。希望接待代表团或与其企业"
            "洽谈的成员请在此报名，索菲亚科技园基金会负责安排会谈和翻译。",
        },
        "tags": ["delegation", "jiangning"],
        "sectors": [],
        "audience": {"scope": "members"},
        "timezone": PARIS,
        "starts_at": _wall(first, 9),
        "ends_at": _wall(first + timedelta(days=1), 18),
        "place": "Sophia Antipolis (programme sent to registered members)",
        "capacity": 40,
    }


def _matchmaking(today: date) -> dict:
    day = weekday_after(today, 17, 2)  # a Wednesday
    start = datetime.combine(day, clock(16), ZoneInfo(SHANGHAI))
    paris = start.astimezone(ZoneInfo(PARIS))
    at_paris = f"{paris:%H:%M}"
    return {
        "author": JNDZ,
        "kind": "event",
        "title": {
            "en": "Online matchmaking: biotech, IoT and virtual reality",
            "fr": "Rendez-vous d'affaires en ligne : biotech, IoT et réalité virtuelle",
            "zh": "线上对接会：生物技术、物联网与虚拟现实",
        },
        "summary": {
            "en": "Twenty-minute video meetings between organisations of both parks, with "
            "interpreters.",
            "fr": "Des visioconférences de vingt minutes entre organisations des deux parcs, "
            "avec interprètes.",
            "zh": "两个园区机构之间的二十分钟视频洽谈，配有翻译。",
        },
        "body": {
            "en": f"The session starts at 16:00 in Nanjing, {at_paris} in Sophia Antipolis. "
            "Register, then tell us which projects or organisations you want to meet: we "
            "send the schedule two days before.",
            "fr": f"La session commence à 16 h à Nankin, {at_paris.replace(':', ' h ')} à "
            "Sophia Antipolis. Inscrivez-vous, puis dites-nous quels projets ou organisations "
            "vous souhaitez rencontrer : nous envoyons le planning deux jours avant.",
            "zh": f"对接会于南京时间16:00开始（索菲亚科技园时间{at_paris}）。报名后请告诉我们"
            "您希望对接的项目或机构，我们将提前两天发送日程。",
        },
        "tags": ["matchmaking", "online"],
        "sectors": ["biotech_health", "iot", "virtual_augmented_reality"],
        "audience": {"scope": "public"},
        "timezone": SHANGHAI,
        "starts_at": _wall(day, 16),
        "ends_at": _wall(day, 18),
        "online_url": "https://meet.sino-sophipolitan.example/matchmaking",
        "capacity": 200,
    }


def _brokerage(today: date) -> dict:
    """The forum's one-to-one meetings: in person in Nanjing, then online with Sophia."""
    day = weekday_after(today, 24, 3)  # a Thursday
    opens = datetime.combine(today, clock(0), UTC)
    return {
        "author": JNDZ,
        "kind": "event",
        "title": {
            "en": BROKERAGE,
            "fr": "5e Forum franco-chinois d'innovation et de coopération — rendez-vous B2B",
            "zh": "第五届中法创新合作论坛——B2B对接洽谈",
        },
        "summary": {
            "en": "Twenty-minute one-to-one meetings: in person in Nanjing in the morning, "
            "online with Sophia Antipolis in the afternoon.",
            "fr": "Rendez-vous individuels de vingt minutes : en présentiel à Nankin le matin, "
            "en ligne avec Sophia Antipolis l'après-midi.",
            "zh": "二十分钟一对一洽谈：上午在南京现场进行，下午与索菲亚科技园线上对接。",
        },
        "body": {
            "en": "Register, publish what your organisation offers and seeks, and ask for "
            "meetings: the organisers send every agenda two days before the forum.",
            "fr": "Inscrivez-vous, publiez ce que votre organisation propose et recherche, et "
            "demandez des rendez-vous : les organisateurs envoient les agendas deux jours avant.",
            "zh": "报名后发布贵机构的供给与需求并发起洽谈请求，主办方将在论坛前两天发送日程。",
        },
        "tags": ["forum", "matchmaking"],
        "sectors": ["biotech_health", "iot", "virtual_augmented_reality"],
        "audience": {"scope": "public"},
        "timezone": SHANGHAI,
        "starts_at": _wall(day, 9),
        "ends_at": _wall(day, 18),
        "place": "Nanjing, Jiangning Development Zone",
        "capacity": 400,
        "matchmaking": {
            "sessions": [
                {
                    "name": {"en": "In person, Nanjing", "fr": "En présentiel, Nankin"},
                    "starts_at": _wall(day, 9),
                    "ends_at": _wall(day, 12),
                    "in_person": True,
                },
                {
                    "name": {"en": "Online with Sophia Antipolis", "fr": "En ligne avec Sophia"},
                    "starts_at": _wall(day, 16),
                    "ends_at": _wall(day, 18),
                    "in_person": False,
                },
            ],
            "meeting_minutes": 20,
            "tables": 20,
            "online": True,
            "booking_opens_at": opens.isoformat(),
            "booking_closes_at": _wall(day - timedelta(days=2), 12),
            "max_meetings": 8,
            "mode": "organiser",
        },
    }


def _exchange_call(today: date) -> dict:
    closes = long_date(today + timedelta(days=75))
    results = long_date(today + timedelta(days=105))
    return {
        "author": None,
        "kind": "call",
        "title": {
            "en": "Call for projects: Sophia Antipolis-Jiangning exchange programme",
            "fr": "Appel à projets : programme d'échanges Sophia Antipolis-Jiangning",
            "zh": "项目征集：索菲亚科技园—江宁交流计划",
        },
        "summary": {
            "en": f"Support for joint projects of organisations of both parks. Applications "
            f"close on {closes['en']}.",
            "fr": f"Un soutien aux projets communs d'organisations des deux parcs. Candidatures "
            f"jusqu'au {closes['fr']}.",
            "zh": f"支持两个园区机构的联合项目，申请截止日期为{closes['zh']}。",
        },
        "body": {
            "en": "As part of the multi-annual exchange programme, the Fondation Sophia "
            "Antipolis and the Jiangning Development Zone support joint projects in "
            "biotechnology, the internet of things and virtual reality: travel and stays of "
            "up to three months for team members, and introductions to customers and "
            "investors.\n\n**How to apply**: publish your project on this platform with at "
            "least one partner from the other park, then send its link to the programme "
            f"team before {closes['en']}. Results on {results['en']}.",
            "fr": "Dans le cadre du programme d'échanges pluriannuel, la Fondation Sophia "
            "Antipolis et la zone de développement de Jiangning soutiennent des projets "
            "communs en biotechnologies, internet des objets et réalité virtuelle : "
            "déplacements et séjours jusqu'à trois mois pour les équipes, mises en relation "
            "avec clients et investisseurs.\n\n**Candidater** : publiez votre projet sur "
            "cette plateforme avec au moins un partenaire de l'autre parc, puis envoyez-en le "
            f"lien à l'équipe du programme avant le {closes['fr']}. Résultats le "
            f"{results['fr']}.",
            "zh": "作为多年期交流计划的一部分，索菲亚科技园基金会与江宁开发区支持生物技术、"
            "物联网和虚拟现实领域的联合项目：资助团队成员最长三个月的差旅与驻留，并对接客户和投资方。\n\n"
            "**申请方式**：在本平台发布项目，且至少有一家来自对方园区的合作伙伴，"
            f"并于{closes['zh']}前将项目链接发送给计划团队。结果将于{results['zh']}公布。",
        },
        "tags": ["call", "exchange programme"],
        "sectors": ["biotech_health", "iot", "virtual_augmented_reality"],
        "audience": {"scope": "public"},
    }


def items(today: date) -> list[dict]:
    """Every demo announcement, oldest publication first (the newest news comes last)."""
    return [
        _forum_news(),
        _agreement_news(),
        _exchange_call(today),
        _tech_day(today),
        _delegation(today),
        _matchmaking(today),
        _brokerage(today),
        _company_news(today),
    ]


def wait_for_organisations(names: list[str], timeout: float) -> dict[str, uuid.UUID]:
    """The ids of the named organisations once all are verified in announcements' projection."""
    return demo_data.wait_for_organisations(db, Organisation, "announcements", names, timeout)


# The seed acts as a client, not as an invented person: nothing names a user who did not act.
STAFF = Caller(
    subject="demo-data", kind="client", organisation_id=None, roles=frozenset({PLATFORM_ADMIN})
)


def admin_client_of(organisation_id: uuid.UUID) -> Caller:
    return Caller(
        subject="demo-data",
        kind="client",
        organisation_id=organisation_id,
        scopes=frozenset({"organisation:admin"}),
    )


def _exists(session, kind: str, title_en: str) -> bool:
    titles = session.scalars(select(Announcement.title).where(Announcement.kind == kind))
    return any(title.get("en") == title_en for title in titles)


def _seed(item: dict, ids: dict[str, uuid.UUID]) -> bool:
    """One announcement written, submitted and published; False when it is already there."""
    item = dict(item)
    author, moderated = item.pop("author"), item.pop("moderated", False)
    meetings = item.pop("matchmaking", None)
    payload = AnnouncementIn().load({**item, "author_organisation_id": ids.get(author)})
    writer = admin_client_of(ids[author]) if moderated else STAFF
    with db.transaction() as session:
        if _exists(session, item["kind"], item["title"]["en"]):
            return False
        announcement = announcements.create(session, writer, payload)
        announcements.publish(session, writer, announcement.id, None)
        if moderated:  # an organisation's news waits for staff, who approve it
            announcements.approve(session, STAFF, announcement.id)
        if meetings is not None:
            matchmaking.configure(session, STAFF, announcement.id, MatchmakingIn().load(meetings))
    return True


def _brokerage_event() -> uuid.UUID | None:
    """The forum's B2B meetings event (the demo event with matchmaking), once published."""
    with db.transaction() as session:
        events = session.execute(
            select(Announcement.id, Announcement.title).join(
                Matchmaking, Matchmaking.announcement_id == Announcement.id
            )
        ).all()
    return next((row.id for row in events if row.title.get("en") == BROKERAGE), None)


def seed_demo(timeout: float = DEFAULT_TIMEOUT, today: date | None = None) -> int:
    """Publish whatever demo announcement is missing, once members' organisations are here;
    then the forum's B2B meetings get their participants, requests and schedule, once members'
    people are here too. How many announcements were published."""
    ids = wait_for_organisations(NEEDED, timeout)
    today = today or datetime.now(UTC).date()
    added = sum(_seed(item, ids) for item in items(today))
    event_id = _brokerage_event()
    if event_id is not None:
        demo_brokerage.seed(event_id, STAFF, timeout)
    return added


def register_cli(app) -> None:
    """`flask seed-demo`: the demo news, events and call, safe to run again."""
    demo_data.register_seed_command(
        app,
        "announcements",
        seed_demo,
        "Demo data: {added} announcement(s) published; the forum's B2B meetings have their "
        "participants, requests and published agendas.",
        DEFAULT_TIMEOUT,
    )
