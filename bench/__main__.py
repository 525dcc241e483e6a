"""`python -m bench [name ...]`: run every benchmark module present, or only those named.

Each module exposes `main()` and prints its figures as ratios to a ceiling measured in the same
run. A module not written yet is skipped; naming one that does not exist is an error. Load comes
from wrk (installed when missing and run as root); without it every printed line says that the
fallback Python client measured it.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import secrets
import sys
import time

from bench.harness import FALLBACK_MARK, MarkedLines, ensure_wrk

BENCHMARKS = (
    "members_directory",
    "projects_search",
    "announcements_feed",
    "events",
    "fanout",
    "meetings",
    "portal",
)


def present(name: str) -> bool:
    return importlib.util.find_spec(f"bench.{name}") is not None


def run(names: list[str]) -> int:
    # Every service refuses a missing or weak key; benchmarks need one, not a particular one.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
    unknown = [n for n in names if not present(n)]
    if unknown:
        print(f"no such benchmark: {', '.join(unknown)} (known: {', '.join(BENCHMARKS)})")
        return 2
    if not ensure_wrk():
        sys.stdout = MarkedLines(sys.stdout, FALLBACK_MARK)
        print("wrk is not installed and could not be installed: the Python client loads instead")
    chosen = names or [n for n in BENCHMARKS if present(n)]
    skipped = [n for n in BENCHMARKS if not names and n not in chosen]
    if skipped:
        print(f"(not written yet, skipped: {', '.join(skipped)})", flush=True)
    failed = []
    for name in chosen:
        started = time.monotonic()
        try:
            importlib.import_module(f"bench.{name}").main()
        except Exception as exc:  # one broken benchmark does not hide the others' figures
            failed.append(name)
            print(f"!! {name} failed: {exc.__class__.__name__}: {exc}", flush=True)
        print(f"-- {name}: {time.monotonic() - started:.0f} s\n", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
