"""Every API service is laid out alike (docs/architecture.md, "Inside a service"): someone who
knows one finds the same things in the same files in the others."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest

SERVICES_DIR = Path(__file__).resolve().parents[2] / "services"
API_SERVICES = ("members", "projects", "announcements", "notifications")
# Each part is a module or, once it grows, a package of the same name.
PARTS = ("api", "domain", "models", "schemas")


def _module_or_package(service: str, part: str) -> bool:
    base = SERVICES_DIR / service
    return (base / f"{part}.py").is_file() or (base / part / "__init__.py").is_file()


def test_the_api_services_are_the_services_there_are():
    found = {path.parent.name for path in SERVICES_DIR.glob("*/__init__.py")}
    assert found == {*API_SERVICES, "portal"}


@pytest.mark.parametrize("service", API_SERVICES)
def test_a_service_has_the_same_parts_as_the_others(service):
    missing = [part for part in PARTS if not _module_or_package(service, part)]
    assert missing == []
    assert (SERVICES_DIR / service / "migrations" / "env.py").is_file()
    assert (SERVICES_DIR / service / "domain" / "__init__.py").is_file()  # rules grow: a package

    package = importlib.import_module(f"services.{service}")
    assert next(iter(inspect.signature(package.create_app).parameters)) == "config"
    events = importlib.import_module(f"services.{service}.events")
    assert isinstance(events.HANDLERS, dict)  # what its consumer of events handles
    tasks = importlib.import_module(f"services.{service}.tasks")
    assert tasks.celery_app.main == service  # its own Celery app on its own queue
    error_codes = importlib.import_module(f"services.{service}.error_codes")
    assert error_codes.CODES and all("." in code for code in error_codes.CODES)
    models = importlib.import_module(f"services.{service}.models")
    assert models.db.service == service


MAX_MODULE_LINES = 600


def test_no_module_outgrows_what_one_reader_holds_in_mind():
    """A module past 600 lines becomes a package of parts that belong together (as the portal's
    announcement and project pages did); migrations, written once and never read whole, aside."""
    root = SERVICES_DIR.parent
    long = {
        str(path.relative_to(root)): lines
        for folder in ("services", "shared", "bench", "deploy")
        for path in (root / folder).rglob("*.py")
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}
