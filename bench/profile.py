"""Where a signed-in request's time goes: pyinstrument over the real app, in process.

`python -m bench.profile [projects|members] [repetitions]` fills a throwaway database as the
benchmarks do (`BENCH_QUICK=1` sizes by default here), then calls each hot endpoint through the
WSGI app with a real token (verified against a JWKS served here, as members publishes its own),
`repetitions` times under pyinstrument, and prints each profile's call tree (time per frame,
library frames collapsed). Absolute times are noisy on a shared machine: read the shares.
"""

from __future__ import annotations

import os
import random
import secrets
import sys
import uuid

os.environ.setdefault("BENCH_QUICK", "1")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))

from pyinstrument import Profiler

from bench import databases
from bench import projects_search as ps


def _profile(client, label: str, url: str, headers: dict, repetitions: int) -> None:
    response = client.get(url, headers=headers)  # warm: JWKS fetched, caches filled
    assert response.status_code == 200, (url, response.status_code, response.data[:300])
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(repetitions):
        client.get(url, headers=headers)
    profiler.stop()
    seconds = profiler.last_session.duration
    print(f"\n=== {label}: {seconds / repetitions * 1000:.2f} ms per request ({url}) ===")
    print(profiler.output_text(unicode=False, color=False, show_all=False, short_mode=False))


def projects(repetitions: int) -> None:
    jwks = ps.JwksServer()
    rng = random.Random(4)
    with (
        databases.temporary_dir("bench-profile-") as tmp,
        databases.service_database("projects", tmp) as url,
    ):
        from services.projects import create_app
        from services.projects.models import Project
        from shared.db import build_engine

        engine = build_engine(url)
        orgs = ps.fill_organisations(engine, 2_000, rng)
        owners = [o for o in orgs if o["status"] == "verified"]
        reader = next(o for o in owners if o["country"] == "FR" and "iot" in o["sectors"])
        own = ps.fill_projects(engine, 1, [reader], rng)[0]
        with engine.begin() as connection:
            connection.execute(
                Project.__table__.update()
                .where(Project.__table__.c.id == own["id"])
                .values(state="open", call_closed_at=None, seeks_countries=["CN"])
            )
        ps.fill_projects(engine, 5_000, owners, rng)
        engine.dispose()
        os.environ.update(
            {
                "PROJECTS_DATABASE_URL": url,
                "VAR_DIR": str(tmp / "var"),
                "JWKS_URL": jwks.url,
                "TOKEN_ISSUER": ps.ISSUER,
                "TOKEN_AUDIENCE": ps.AUDIENCE,
                "LOG_JSON": "true",
                "LOG_LEVEL": "WARNING",
            }
        )
        app = create_app()
        client = app.test_client()
        headers = {"Authorization": f"Bearer {ps.token(uuid.uuid4(), reader['id'])}"}
        prefix = ps.PREFIX
        for name, query in ps.SEARCHES.items():
            _profile(client, name, f"{prefix}/projects?{query}", headers, repetitions)
        _profile(
            client,
            "recommended projects",
            f"{prefix}/organisations/{reader['id']}/recommended-projects",
            headers,
            repetitions,
        )
        _profile(
            client,
            "recommended partners",
            f"{prefix}/projects/{own['id']}/recommended-partners",
            headers,
            repetitions,
        )
    jwks.server.shutdown()


def members(repetitions: int) -> None:
    """The directory rendered (no-cache: what a signed-in reader costs, less the token)."""
    from bench import members_directory as md
    from bench.organisations import fill

    with (
        databases.temporary_dir("bench-profile-") as tmp,
        databases.service_database("members", tmp) as url,
    ):
        from shared.db import build_engine

        engine = build_engine(url)
        fill(engine, 10_000, seed=1)
        engine.dispose()
        os.environ.update(
            {
                "MEMBERS_DATABASE_URL": url,
                "VAR_DIR": str(tmp / "var"),
                "LOG_JSON": "true",
                "LOG_LEVEL": "WARNING",
            }
        )
        from services.members import create_app

        client = create_app().test_client()
        for name, query in md.SEARCHES.items():
            _profile(
                client,
                f"{name} (rendered)",
                f"{md.PREFIX}/directory?{query}",
                md.RENDERED,
                repetitions,
            )


def portal(repetitions: int) -> None:
    """A demo admin's portal pages, the portal in process, `make run`'s APIs behind it."""
    from bench import portal as bp
    from services.members import demo

    env = {**os.environ, "REDIS_URL": os.environ.get("BENCH_REDIS_URL", bp.REDIS_URL)}
    with (
        databases.temporary_dir("bench-profile-") as tmp,
        bp.local_platform(tmp, env) as base,
    ):
        api_url = f"http://127.0.0.1:{base}"
        os.environ.update(
            {
                "VAR_DIR": str(tmp / "var"),
                "PORTAL_API_URL": api_url,
                "REDIS_URL": env["REDIS_URL"],
                "LOG_LEVEL": "WARNING",
            }
        )
        from services.portal import create_app

        app = create_app()
        client = app.test_client()
        page = client.get("/sign-in").get_data(as_text=True)
        token = bp.CSRF.search(page).group(1)
        email = demo.ORGANISATIONS[0]["admin"]["email"]
        signed = client.post(
            "/sign-in", data={"csrf_token": token, "email": email, "password": demo.PASSWORD}
        )
        assert signed.status_code in (302, 303), signed.status_code
        for path in ("/dashboard", "/directory", "/notifications"):
            _profile(client, path, path, {}, repetitions)


PROFILES = {"projects": projects, "members": members, "portal": portal}

if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) > 1 else "projects"
    PROFILES[which](int(sys.argv[2]) if len(sys.argv) > 2 else 200)
