"""projects' search and matchmaking under gunicorn: 10,000 organisations, 5,000 then 50,000
projects.

Every figure is a ratio to the ceiling (a bare WSGI app, same gunicorn settings, same run). The
last lines compare the 50,000-project figures with the 5,000-project ones: the recommendation's
cost must not grow with the number of projects (it would fall about tenfold if it did).
Tokens are signed with a key pair made here and published by a small JWKS server, which the
service reads as it reads members' JWKS in production.
"""

from __future__ import annotations

import functools
import json
import os
import random
import secrets
import threading
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import insert

from bench import databases
from bench.harness import gunicorn, load, measure_ceiling, report
from services.projects.domain import search_terms
from services.projects.models import Organisation, Project, ProjectTerm
from shared.db import build_engine

AIM_SEARCH = 0.20
AIM_RECOMMENDATION = 0.10
PREFIX = "/api/projects/v1"
ISSUER = "bench-members"
AUDIENCE = "bench-platform"
BATCH = 5000
SEARCHES = {
    "search q=sensor open_calls": "q=sensor&open_calls=true&limit=20",
    "search q=物联网 sector=iot": f"q={quote('物联网')}&sector=iot&limit=20",
    "search q=wulianwang": "q=wulianwang&limit=20",
    "search country=CN seeks_kind=research_lab": "country=CN&seeks_kind=research_lab&limit=20",
}
TOPICS = [
    ({"en": "Sensor networks for smart buildings", "zh": "智能建筑传感器网络"}, ["iot"]),
    ({"en": "Edge AI for industrial vision", "zh": "工业视觉边缘人工智能"}, ["ai_data"]),
    ({"en": "Biologics for chronic diseases", "zh": "慢性病生物制剂"}, ["biotech_health"]),
    ({"en": "Battery storage for solar farms", "zh": "光伏电站储能电池"}, ["energy"]),
    ({"en": "Autonomous shuttles on campus", "zh": "园区自动驾驶接驳车"}, ["mobility"]),
    ({"en": "Secure IoT gateways", "zh": "安全物联网网关"}, ["iot", "cybersecurity"]),
    ({"en": "Digital twins of cities", "zh": "城市数字孪生"}, ["smart_city", "software"]),
    ({"en": "Low-power radio chips", "zh": "低功耗射频芯片"}, ["microelectronics", "telecom"]),
    ({"en": "Virtual reality training", "zh": "虚拟现实培训"}, ["virtual_augmented_reality"]),
    ({"en": "Water quality monitoring", "zh": "水质监测"}, ["environment", "iot"]),
]
KEYWORDS = [
    "lidar",
    "LoRa",
    "5G",
    "CRISPR",
    "lithium",
    "SLAM",
    "RISC-V",
    "物联网",
    "大数据",
    "碳中和",
]
KINDS = ["company", "research_lab", "university", "incubator"]
PROJECT_KINDS = [
    "technology_offer",
    "technology_request",
    "business_offer",
    "business_request",
    "rd_partnership",
]
_PRIVATE = ec.generate_private_key(ec.SECP256R1())
KID = "bench-key"


class JwksServer:
    """Publishes the bench's public key as members publishes its own."""

    def __init__(self):
        jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(_PRIVATE.public_key()))
        body = json.dumps({"keys": [{**jwk, "kid": KID, "alg": "ES256", "use": "sig"}]}).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/jwks.json"


def token(user_id: uuid.UUID, organisation_id: uuid.UUID) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + timedelta(hours=2),
        "roles": ["org_admin"],
        "org": str(organisation_id),
        "typ": "access",
    }
    return jwt.encode(claims, _PRIVATE, algorithm="ES256", headers={"kid": KID})


def fill_organisations(engine, count: int, rng: random.Random) -> list[dict]:
    now = datetime.now(UTC)
    rows = []
    for n in range(count):
        country = rng.choice(["FR", "FR", "CN", "CN", "DE", "IT"])
        topic, sectors = rng.choice(TOPICS)
        rows.append(
            {
                "id": uuid.uuid4(),
                "name": f"Organisation {n}",
                "name_zh": None,
                "country": country,
                "park": {"FR": "sophia_antipolis", "CN": "jiangning"}.get(country, "other"),
                "city": None,
                "kind": rng.choice(KINDS),
                "size": rng.choice(["micro", "small", "medium", "large"]),
                "sectors": sectors,
                "website": None,
                "description": {"en": f"{topic['en']}, {rng.choice(KEYWORDS)}."},
                "status": "verified" if rng.random() < 0.9 else "pending",
                "revision": now,
            }
        )
    with engine.begin() as connection:
        for start in range(0, len(rows), BATCH):
            connection.execute(insert(Organisation.__table__), rows[start : start + BATCH])
    return rows


@functools.cache
def _terms(topic_index: int, keywords: tuple, seeks_countries: tuple, seeks_kinds: tuple, kind):
    topic, sectors = TOPICS[topic_index]
    return frozenset(
        search_terms.project_terms(
            title=topic,
            summary={},
            description={},
            keywords=keywords,
            sectors=sectors,
            seeks_countries=seeks_countries,
            seeks_kinds=seeks_kinds,
            seeks_skills=(),
            kind=kind,
        )
    )


def fill_projects(engine, count: int, owners: list[dict], rng: random.Random) -> list[dict]:
    """`count` projects of verified owners, mostly open calls, with their search terms."""
    now = datetime.now(UTC)
    projects, terms = [], []
    for n in range(count):
        topic_index = rng.randrange(len(TOPICS))
        topic, sectors = TOPICS[topic_index]
        owner = rng.choice(owners)
        keywords = tuple(sorted(rng.sample(KEYWORDS, 2)))
        seeks_countries = (("CN",) if owner["country"] == "FR" else ("FR",)) if n % 2 else ()
        seeks_kinds = (rng.choice(KINDS),) if n % 3 else ()
        kind = rng.choice(PROJECT_KINDS)
        state = rng.choices(["open", "active", "completed", "draft"], [60, 25, 10, 5])[0]
        created = now - timedelta(minutes=count - n)
        project_id = uuid.uuid4()
        projects.append(
            {
                "id": project_id,
                "organisation_id": owner["id"],
                "kind": kind,
                "state": state,
                "title": topic,
                "summary": {"en": f"Project {n}: {topic['en']}."},
                "description": {},
                "description_html": {},
                "sectors": sectors,
                "keywords": list(keywords),
                "seeks_countries": list(seeks_countries),
                "seeks_kinds": list(seeks_kinds),
                "seeks_skills": [],
                "visibility": "public" if rng.random() < 0.7 else "members",
                "attachments": [],
                "anonymous": rng.random() < 0.2,
                "call_deadline": now + timedelta(days=rng.randint(5, 300)),
                "call_closed_at": None if state == "open" else now,
                "created_at": created,
                "updated_at": created,
            }
        )
        for term in _terms(topic_index, keywords, seeks_countries, seeks_kinds, kind):
            terms.append({"term": term, "project_id": project_id})
    with engine.begin() as connection:
        for start in range(0, len(projects), BATCH):
            connection.execute(insert(Project.__table__), projects[start : start + BATCH])
        for start in range(0, len(terms), BATCH * 4):
            connection.execute(insert(ProjectTerm.__table__), terms[start : start + BATCH * 4])
    return projects


def _get(url: str, headers: dict) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - our own http URL
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _measure(base: str, headers: dict, reader, project_id, ceiling, label: str) -> dict:
    seconds = databases.seconds()
    urls = {name: f"{base}{PREFIX}/projects?{query}" for name, query in SEARCHES.items()}
    urls["recommended projects"] = f"{base}{PREFIX}/organisations/{reader}/recommended-projects"
    urls["recommended partners"] = f"{base}{PREFIX}/projects/{project_id}/recommended-partners"
    results = {}
    for name, url in urls.items():
        status, body = _get(url, headers)
        found = json.loads(body)
        found = found["items"] if isinstance(found, dict) else found
        assert status == 200 and found, f"{url}: {status} {body[:200]!r}"
        load(url, 1, headers=headers)
        results[name] = load(url, seconds, headers=headers)
        aim = AIM_RECOMMENDATION if name.startswith("recommended") else AIM_SEARCH
        report(f"{label}: {name}", results[name], ceiling, aim)
    return results


def main() -> None:
    quick = databases.quick()
    organisations = 1_000 if quick else 10_000
    small, large = (500, 5_000) if quick else (5_000, 50_000)
    print(
        f"== projects search and matchmaking ({organisations:,} organisations, "
        f"{small:,} then {large:,} projects) ==",
        flush=True,
    )
    ceiling = measure_ceiling(databases.seconds())
    report("ceiling (bare WSGI app)", ceiling, ceiling)
    jwks = JwksServer()
    rng = random.Random(4)
    with (
        databases.temporary_dir("bench-projects-") as tmp,
        databases.service_database("projects", tmp) as url,
    ):
        engine = build_engine(url)
        orgs = fill_organisations(engine, organisations, rng)
        owners = [o for o in orgs if o["status"] == "verified"]
        reader = next(o for o in owners if o["country"] == "FR" and "iot" in o["sectors"])
        own = fill_projects(engine, 1, [reader], rng)[0]
        with engine.begin() as connection:  # the reader's own project, open, for its partners
            connection.execute(
                Project.__table__.update()
                .where(Project.__table__.c.id == own["id"])
                .values(state="open", call_closed_at=None, seeks_countries=["CN"])
            )
        fill_projects(engine, small - 1, owners, rng)
        env = {
            "PROJECTS_DATABASE_URL": url,
            "VAR_DIR": str(tmp / "var"),
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(48),
            "LOG_JSON": "true",
            "JWKS_URL": jwks.url,
            "TOKEN_ISSUER": ISSUER,
            "TOKEN_AUDIENCE": AUDIENCE,
        }
        headers = {"Authorization": f"Bearer {token(uuid.uuid4(), reader['id'])}"}
        figures = {}
        for count in (small, large):
            if count == large:
                fill_projects(engine, large - small, owners, rng)
            with gunicorn("services.projects:create_app()", env) as base:
                figures[count] = _measure(
                    base, headers, reader["id"], own["id"], ceiling, f"{count:>6,} projects"
                )
        engine.dispose()
    jwks.server.shutdown()
    for name in figures[small]:
        before, after = figures[small][name], figures[large][name]
        change = after.rps / before.rps - 1
        verdict = "flat" if after.rps > before.rps / 2 else "GROWS"
        print(
            f"{name:<48} x10 projects: req/s {change:+.0%}, "
            f"p99 {before.p99_ms:.1f} -> {after.p99_ms:.1f} ms (cost {verdict})",
            flush=True,
        )


if __name__ == "__main__":
    main()
