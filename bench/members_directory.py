"""members' directory and one organisation under gunicorn, at 10,000 and then 100,000 rows.

Repeated anonymous reads are answered from memory while no organisation changes
(`shared/response_cache.py`): the figures with an aim are those a client gets, and each search is
measured again with `Cache-Control: no-cache`, rendered every time, to show what rendering costs.
Each figure is a ratio to the ceiling (a bare WSGI app, same gunicorn settings, same run); the
last lines compare the 100,000-row ratios with the 10,000-row ones: they must not fall. The
ceiling is measured again before each size, since the machine's load drifts.
"""

from __future__ import annotations

import json
import os
from urllib.parse import quote

import requests

from bench import databases
from bench.harness import gunicorn, load, measure_ceiling, report
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


# Every request answered by rendering, none from the stored answers (shared/response_cache.py).
RENDERED = {"Cache-Control": "no-cache"}


def _get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    response = requests.get(url, headers=headers or {}, timeout=30)
    return response.status_code, dict(response.headers), response.content


def _measure(base: str, org_id: str, ceiling, label: str) -> dict:
    """Load each request in turn; the results by name, after a check that each answers well."""
    seconds = databases.seconds()
    results = {}
    for name, query in SEARCHES.items():
        url = f"{base}{PREFIX}/directory?{query}"
        status, _, body = _get(url)
        items = json.loads(body)["items"] if status == 200 else []
        assert status == 200 and len(items) == 20, f"{url}: {status}, {len(items)} items"
        load(url, 3)  # each worker loads jieba on its first Chinese query
        results[name] = load(url, seconds)
        report(f"{label}: {name}", results[name], ceiling, AIM_DIRECTORY)
        # What a page costs to render: the client's no-cache skips the stored answers.
        results[f"{name} rendered"] = load(url, seconds, headers=RENDERED)
        report(f"{label}: {name} (rendered)", results[f"{name} rendered"], ceiling)
    url = f"{base}{PREFIX}/organisations/{org_id}"
    status, headers, _ = _get(url)
    assert status == 200, f"{url}: {status}"
    etag = headers["ETag"]
    assert _get(url, {"If-None-Match": etag})[0] == 304
    results["organisation"] = load(url, seconds)
    report(f"{label}: one organisation (200, full body)", results["organisation"], ceiling)
    results["conditional"] = load(url, seconds, headers={"If-None-Match": etag})
    report(
        f"{label}: one organisation (If-None-Match, 304)",
        results["conditional"],
        ceiling,
        AIM_ORGANISATION,
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
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-secret-key"),
            "LOG_JSON": "true",
        }
        figures = {}
        rows = fill(engine, small, seed=1)
        org_id = str(next(r["id"] for r in rows if r["status"] == "verified"))
        for count in (small, large):
            if count == large:
                fill(engine, large - small, seed=2)
            # The ceiling again at each size: on a shared machine the load drifts in minutes.
            ceiling = measure_ceiling(databases.seconds())
            report(f"{count:>7,} orgs: ceiling (bare WSGI app)", ceiling, ceiling)
            with gunicorn("services.members:create_app()", env) as base:
                measured = _measure(base, org_id, ceiling, f"{count:>7,} orgs")
            figures[count] = {
                name: result.ratio_to(ceiling)[0] for name, result in measured.items()
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
