"""members' directory and one organisation under gunicorn, at 10,000 and then 100,000 rows.

Repeated anonymous reads are answered from memory while no organisation changes
(`shared/response_cache.py`): the figures with an aim are those a client gets, and each search is
measured again with `Cache-Control: no-cache`, which the response cache lets through to the app
as it does a signed-in reader's request: the app answers it from the pages it keeps per process
(`services/members/api/directory.py`), so that figure is what a signed-in reader gets, less the
token's check.
Each figure is a ratio to the ceiling (a bare WSGI app, same gunicorn settings, same run), loaded
right before and right after it, since the machine's load drifts; the last lines compare the
100,000-row ratios with the 10,000-row ones: they must not fall.
"""

from __future__ import annotations

import json
import os
import secrets
from urllib.parse import quote

import requests

from bench import databases
from bench.harness import Ceiling, ceiling_beside, gunicorn, load, report
from bench.organisations import fill
from shared.db import build_engine

AIM_DIRECTORY = 0.35
AIM_ORGANISATION = 0.50
PREFIX = "/api/members/v1"
# A Latin word typed as a prefix with a country filter, and a Chinese word with a sector filter.
SEARCHES = {
    "directory q=sensor country=CN": "q=sensor&country=CN&limit=20",
    "directory q=物联网 sector=iot": f"q={quote('物联网')}&sector=iot&limit=20",
}


# Every request through the app, as a signed-in reader's is (not from shared/response_cache.py).
RENDERED = {"Cache-Control": "no-cache"}


def _get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    response = requests.get(url, headers=headers or {}, timeout=30)
    return response.status_code, dict(response.headers), response.content


def _measure(base: str, org_id: str, ceiling: Ceiling, label: str) -> dict:
    """Each request loaded in turn beside the ceiling; (result, ceiling beside it) by name."""
    results = {}

    def measure(name: str, line: str, url: str, headers=None, aim=None) -> None:
        results[name] = ceiling.around(url, headers)
        report(f"{label}: {line}", *results[name], aim)

    for name, query in SEARCHES.items():
        url = f"{base}{PREFIX}/directory?{query}"
        status, _, body = _get(url)
        items = json.loads(body)["items"] if status == 200 else []
        assert status == 200 and len(items) == 20, f"{url}: {status}, {len(items)} items"
        load(url, 3)  # each worker loads jieba on its first Chinese query
        measure(name, name, url, aim=AIM_DIRECTORY)
        # What a page costs to render: the client's no-cache skips the stored answers.
        measure(f"{name} rendered", f"{name} (rendered)", url, RENDERED)
    url = f"{base}{PREFIX}/organisations/{org_id}"
    status, headers, _ = _get(url)
    assert status == 200, f"{url}: {status}"
    etag = headers["ETag"]
    assert _get(url, {"If-None-Match": etag})[0] == 304
    measure("organisation", "one organisation (200, full body)", url)
    conditional = {"If-None-Match": etag}
    measure(
        "conditional", "one organisation (If-None-Match, 304)", url, conditional, AIM_ORGANISATION
    )
    return results


def main() -> None:
    small, large = (2_000, 20_000) if databases.quick() else (10_000, 100_000)
    print(f"== members directory ({small:,} then {large:,} organisations) ==", flush=True)
    with (
        databases.temporary_dir("bench-members-") as tmp,
        databases.service_database("members", tmp) as url,
    ):
        engine = build_engine(url)
        env = {
            "MEMBERS_DATABASE_URL": url,
            "VAR_DIR": str(tmp / "var"),
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(48),
            "LOG_JSON": "true",
        }
        figures = {}
        rows = fill(engine, small, seed=1)
        org_id = str(next(r["id"] for r in rows if r["status"] == "verified"))
        for count in (small, large):
            if count == large:
                fill(engine, large - small, seed=2)
            # On a shared machine the load drifts in minutes: each figure is a ratio to the
            # ceiling loaded right before and right after it.
            with (
                ceiling_beside(databases.seconds()) as ceiling,
                gunicorn("services.members:create_app()", env) as base,
            ):
                measured = _measure(base, org_id, ceiling, f"{count:>7,} orgs")
            ceilings = [beside.rps for _, beside in measured.values()]
            print(
                f"{count:>7,} orgs: the ceiling measured {min(ceilings):.0f}"
                f"-{max(ceilings):.0f} req/s beside these figures",
                flush=True,
            )
            figures[count] = {
                name: result.ratio_to(beside)[0] for name, (result, beside) in measured.items()
            }
        engine.dispose()
    for name in figures[small]:
        before, after = figures[small][name], figures[large][name]
        verdict = "holds" if after >= before * 0.9 else "FALLS"
        print(
            f"{name:<44} x10 rows: {before:6.1%} -> {after:6.1%} of ceiling ({verdict})",
            flush=True,
        )


if __name__ == "__main__":
    main()
