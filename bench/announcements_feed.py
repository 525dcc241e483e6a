"""announcements' public list and Atom feed under gunicorn, with 100,000 announcements.

Each figure is a ratio to the ceiling (a bare WSGI app, same gunicorn settings, same run). A
conditional request (If-None-Match) is answered 304 after one indexed query, without rendering;
a plain 200 is rendered once per worker process and change, then served from a cache keyed by
the same ETag, so both should stay flat however many announcements there are.
"""

from __future__ import annotations

import os
import random
import secrets
import uuid
from datetime import UTC, datetime, timedelta

import requests
from sqlalchemy import insert

from bench import databases
from bench.harness import gunicorn, load, measure_ceiling, report
from shared.db import build_engine

AIM_FULL = 0.25
AIM_CONDITIONAL = 0.30
PREFIX = "/api/announcements/v1"
TARGETS = {
    "public list, first page": "/announcements?limit=20",
    "Atom feed (fr)": "/feeds/fr.atom",
}
BODY = (
    "## Programme\n\nThe **China-France Innovation and Cooperation Forum** brings together "
    "companies of Sophia Antipolis and Jiangning.\n\n- Keynotes\n- Matchmaking\n- Site visits\n"
)


def fill(engine, count: int, seed: int = 5) -> None:
    """`count` announcements: mostly public and published, some for members, some withdrawn."""
    from services.announcements.models import Announcement
    from shared.markdown import render_localized as render

    rng = random.Random(seed)
    html = render({"en": BODY, "fr": BODY, "zh": BODY})
    start = datetime(2021, 1, 1, tzinfo=UTC)
    batch = []
    for n in range(count):
        when = start + timedelta(minutes=n * 17 + rng.randint(0, 9))
        kind = rng.choice(("news", "news", "event", "call"))
        event = kind == "event"
        batch.append(
            {
                "id": uuid.UUID(int=rng.getrandbits(128), version=4),
                "kind": kind,
                "status": "withdrawn" if rng.random() < 0.03 else "published",
                "author_organisation_id": None,
                "created_by": None,
                "title": {"en": f"Announcement {n}", "fr": f"Annonce {n}", "zh": f"公告 {n}"},
                "summary": {"en": f"Summary {n}", "fr": f"Résumé {n}"},
                "body": {"en": BODY, "fr": BODY, "zh": BODY},
                "body_html": html,
                "tags": ["forum"],
                "sectors": ["iot"],
                "audience_scope": "members" if rng.random() < 0.2 else "public",
                "audience": {},
                "starts_at": when + timedelta(days=30) if event else None,
                "ends_at": when + timedelta(days=30, hours=3) if event else None,
                "timezone": rng.choice(("Europe/Paris", "Asia/Shanghai")) if event else None,
                "place": "Nanjing" if event else None,
                "online_url": None,
                "capacity": 100 if event else None,
                "publish_at": None,
                "published_at": when,
                "withdrawn_at": None,
                "moderation_reason": None,
                "version": 1,
                "registrations_revision": 0,
                "reminder_sent_at": None,
                "created_at": when,
                "updated_at": when,
            }
        )
        if len(batch) == 5_000:
            with engine.begin() as connection:
                connection.execute(insert(Announcement), batch)
            batch = []
    if batch:
        with engine.begin() as connection:
            connection.execute(insert(Announcement), batch)


def main() -> None:
    count = 10_000 if databases.quick() else 100_000
    print(f"== announcements list and feed ({count:,} announcements) ==", flush=True)
    seconds = databases.seconds()
    ceiling = measure_ceiling(seconds)
    report("ceiling (bare WSGI app)", ceiling, ceiling)
    with (
        databases.temporary_dir("bench-announcements-") as tmp,
        databases.service_database("announcements", tmp) as url,
    ):
        engine = build_engine(url)
        fill(engine, count)
        engine.dispose()
        env = {
            "ANNOUNCEMENTS_DATABASE_URL": url,
            "VAR_DIR": str(tmp / "var"),
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(48),
            "LOG_JSON": "true",
        }
        with gunicorn("services.announcements:create_app()", env) as base:
            for name, path in TARGETS.items():
                target = base + PREFIX + path
                response = requests.get(target, timeout=30)
                assert response.status_code == 200, f"{target}: {response.status_code}"
                etag = response.headers["ETag"]
                check = requests.get(target, headers={"If-None-Match": etag}, timeout=30)
                assert check.status_code == 304, f"{target}: {check.status_code} to If-None-Match"
                load(target, 1)
                report(f"{name} (200, full body)", load(target, seconds), ceiling, AIM_FULL)
                conditional = load(target, seconds, headers={"If-None-Match": etag})
                report(f"{name} (If-None-Match, 304)", conditional, ceiling, AIM_CONDITIONAL)


if __name__ == "__main__":
    main()
