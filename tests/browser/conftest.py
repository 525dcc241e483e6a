"""Chromium (Debian's) driving the portal, served for real over HTTP in front of the platform."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.portal.support import ThreadedServer
from tests.support.platform import running_platform

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _ensure_chromium() -> None:
    """Install Debian's chromium when it is missing, as .ci/run does; fail loudly otherwise."""
    if Path(CHROMIUM).exists():
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"],
            check=False,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)"
            " or run the tests through .ci/run, which installs it."
        )


@pytest.fixture(scope="package")
def chromium():
    _ensure_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="package")
def platform(members_app):
    """Every service's API behind one URL, with real workers carrying events between them."""
    yield from running_platform(members_app)


@pytest.fixture(scope="package")
def portal_server(platform):
    from services.portal import create_app

    server = ThreadedServer(create_app({"PORTAL_API_URL": platform.url})).start()
    yield server
    server.stop()


@pytest.fixture
def portal_url(portal_server, platform):
    platform.clear_sessions()
    platform.empty()
    yield portal_server.url
    platform.settle()
    platform.empty()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
