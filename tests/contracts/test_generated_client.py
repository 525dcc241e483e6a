"""An integrator's client, generated from each service's OpenAPI document, works against it.

The four apps are served over real HTTP (one local server routing `/api/<service>/` as the
gateway does); `openapi-python-client` reads each document from that URL and writes a client
into a temporary directory (offline: nothing but this machine is asked), which is imported and
used as an integrator would: a list, a read, a write, and an error parsed as the documented
problem. Generation must be clean: a warning means part of a document was left out of the client.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.contracts.conftest import SERVICES
from tests.portal.support import ThreadedServer
from tests.support.platform import Router

GENERATOR = Path(sys.executable).with_name("openapi-python-client")


@pytest.fixture(scope="module")
def server(apps):
    router = Router()
    router.apps.update(apps)
    served = ThreadedServer(router).start()
    yield served
    served.stop()


@pytest.fixture(scope="module")
def generated(server, tmp_path_factory):
    """Each service's generated client package, imported (by service name)."""
    root = tmp_path_factory.mktemp("generated-clients")
    packages = {}
    sys.path.insert(0, str(root))
    try:
        for service in SERVICES:
            packages[service] = _generate(server.url, service, root)
        yield packages
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m.split(".")[0].endswith("_platform_client")]:
            del sys.modules[name]


def _generate(url: str, service: str, root: Path):
    package = f"{service}_platform_client"
    result = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--url",
            f"{url}/api/{service}/v1/openapi.json",
            "--output-path",
            str(root / package),
            "--meta",
            "none",
        ],
        capture_output=True,
        text=True,
        cwd=root,
        # Its post-generation hooks run ruff, found beside the generator.
        env={"PATH": f"{GENERATOR.parent}:/usr/bin:/bin", "HOME": str(root)},
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Warning" not in output and "Error" not in output, output
    return importlib.import_module(package)


def _api(package, tag: str, module: str):
    return importlib.import_module(f"{package.__name__}.api.{tag}.{module}")


def _model(package, name: str):
    return getattr(importlib.import_module(f"{package.__name__}.models"), name)


def _client(package, server, person):
    token = person["headers"]["Authorization"].removeprefix("Bearer ")
    return package.AuthenticatedClient(
        base_url=server.url, token=token, raise_on_unexpected_status=True
    )


def _assert_problem(package, response, status: int, code: str):
    """The answer parsed as the documented `Problem`, with its status and stable code."""
    problem = response.parsed
    assert response.status_code == status, response.content
    assert isinstance(problem, _model(package, "Problem")), response.content
    assert problem.status == status and str(problem.code) == code
    assert problem.title and problem.type_
    return problem


def test_members_through_its_generated_client(generated, server, person):
    members = generated["members"]
    client = _client(members, server, person)
    users, organisations = "users", "organisations"

    changed = _api(members, users, "patch_api_members_v1_me").sync_detailed(
        client=client,
        body=_model(members, "ProfileChanges")(full_name="Renamed By A Generated Client"),
    )
    assert (
        changed.status_code == 200 and changed.parsed.full_name == "Renamed By A Generated Client"
    )

    me = _api(members, users, "get_api_members_v1_me").sync_detailed(client=client)
    assert me.status_code == 200 and me.parsed.full_name == "Renamed By A Generated Client"

    listed = _api(
        members, "memberships", "get_api_members_v1_organisations_organisation_id_members"
    ).sync_detailed(uuid.UUID(person["organisation_id"]), client=client)
    assert listed.status_code == 200
    assert person["user_id"] in {str(member.user_id) for member in listed.parsed.items}

    missing = _api(
        members, organisations, "get_api_members_v1_organisations_organisation_id"
    ).sync_detailed(uuid.uuid4(), client=client)
    _assert_problem(members, missing, 404, "not_found")


def test_projects_through_its_generated_client(generated, server, person):
    projects = generated["projects"]
    client = _client(projects, server, person)
    body = _model(projects, "ProjectIn").from_dict(
        {
            "kind": "rd_partnership",
            "title": {"en": "Written by a generated client"},
            "summary": {"en": "What an integrator's CRM sends"},
            "sectors": ["software"],
        }
    )
    created = _api(projects, "projects", "post_api_projects_v1_projects").sync_detailed(
        client=client, body=body
    )
    assert created.status_code == 201, created.content
    project_id = created.parsed.id

    read = _api(projects, "projects", "get_api_projects_v1_projects_project_id").sync_detailed(
        project_id, client=client
    )
    assert read.status_code == 200 and read.parsed.id == project_id
    assert read.parsed.title.to_dict()["en"] == "Written by a generated client"

    drafts = _model(projects, "GetApiProjectsV1ProjectsState").DRAFT  # its owner's alone
    listed = _api(projects, "projects", "get_api_projects_v1_projects").sync_detailed(
        client=client, state=drafts, organisation_id=uuid.UUID(person["organisation_id"])
    )
    assert listed.status_code == 200
    assert project_id in {item.id for item in listed.parsed.items}

    missing = _api(projects, "projects", "get_api_projects_v1_projects_project_id").sync_detailed(
        uuid.uuid4(), client=client
    )
    _assert_problem(projects, missing, 404, "not_found")


def test_announcements_through_its_generated_client(generated, server, person):
    announcements = generated["announcements"]
    client = _client(announcements, server, person)
    tag = "announcements"
    body = _model(announcements, "AnnouncementIn").from_dict(
        {
            "kind": "news",
            "title": {"en": "News written by a generated client"},
            "author_organisation_id": person["organisation_id"],
        }
    )
    created = _api(announcements, tag, "post_api_announcements_v1_announcements").sync_detailed(
        client=client, body=body
    )
    assert created.status_code == 201, created.content
    announcement_id = created.parsed.id

    read = _api(
        announcements, tag, "get_api_announcements_v1_announcements_announcement_id"
    ).sync_detailed(announcement_id, client=client)
    assert read.status_code == 200 and read.parsed.id == announcement_id

    mine = _api(announcements, tag, "get_api_announcements_v1_announcements_mine").sync_detailed(
        client=client
    )
    assert mine.status_code == 200
    assert announcement_id in {item.id for item in mine.parsed.items}

    missing = _api(
        announcements, tag, "get_api_announcements_v1_announcements_announcement_id"
    ).sync_detailed(uuid.uuid4(), client=client)
    _assert_problem(announcements, missing, 404, "not_found")


def test_notifications_through_its_generated_client(generated, server, person):
    notifications = generated["notifications"]
    client = _client(notifications, server, person)
    organisation_id = uuid.UUID(person["organisation_id"])
    prefix = "api_notifications_v1_organisations_organisation_id_webhooks"

    created = _api(notifications, "webhooks", f"post_{prefix}").sync_detailed(
        organisation_id,
        client=client,
        body=_model(notifications, "EndpointIn")(
            url="https://erp.example.com/platform-hooks",
            event_types=["project.application_submitted"],
        ),
    )
    assert created.status_code == 201, created.content
    assert created.parsed.secret.startswith("whsec_")
    endpoint_id = created.parsed.id

    read = _api(notifications, "webhooks", f"get_{prefix}_endpoint_id").sync_detailed(
        organisation_id, endpoint_id, client=client
    )
    assert read.status_code == 200 and read.parsed.url == "https://erp.example.com/platform-hooks"

    listed = _api(notifications, "webhooks", f"get_{prefix}").sync_detailed(
        organisation_id, client=client
    )
    assert listed.status_code == 200 and endpoint_id in {e.id for e in listed.parsed.items}

    refused = _api(notifications, "webhooks", f"patch_{prefix}_endpoint_id").sync_detailed(
        organisation_id,
        endpoint_id,
        client=client,
        body=_model(notifications, "EndpointPatch")(url="https://user:secret@erp.example.com/hook"),
    )
    problem = _assert_problem(notifications, refused, 422, "webhook.url_refused")
    assert [(e.pointer, str(e.code)) for e in problem.errors] == [("/url", "invalid")]


def test_every_documented_webhook_parses_into_its_generated_model(generated, server):
    """Typed handlers: each webhook's documented example loads into the model generated for its
    body, and back to the same JSON."""
    import httpx

    notifications = generated["notifications"]
    document = httpx.get(f"{server.url}/api/notifications/v1/openapi.json").json()
    for name, path in document["webhooks"].items():
        content = path["post"]["requestBody"]["content"]["application/json"]
        model = _model(notifications, content["schema"]["$ref"].rsplit("/", 1)[1])
        parsed = model.from_dict(content["example"])
        assert parsed.type_ == name
        assert parsed.to_dict() == content["example"], name
