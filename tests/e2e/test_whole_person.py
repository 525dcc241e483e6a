"""One person with traces in every service: exported file by file, then erased, and afterwards
nobody else (another organisation's admin, a colleague, staff, an anonymous reader) finds their
name or e-mail address anywhere they can reach: every API read of the four services, every
portal page, webhook delivery logs and replays, inboxes, feeds, CSV exports. Their old access
token and their portal session die within seconds; the same when Redis restarts empty in the
middle of the erasure.

The whole platform runs for real: each service's API over HTTP, a Celery worker per queue, the
webhooks worker delivering to a local HTTP sink, the portal calling the APIs.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import time
import uuid
import zipfile
from urllib.parse import quote

import pytest
import redis

from tests.e2e.test_erasure import everything_said_about
from tests.members.factories import PASSWORD, Factories
from tests.notifications.support import Sink
from tests.portal.conftest import Browser
from tests.support.backbone import PUBLISHERS, row, unconfirmed
from tests.support.backbone import wait_relaying as wait
from tests.support.platform import CONSUMERS, WEBHOOK_ENV, Platform
from tests.support.waiting import wait_until
from tests.support.workers import Worker

pytestmark = pytest.mark.e2e

API = {service: f"/api/{service}/v1" for service in PUBLISHERS}
# Publishers send an unconfirmed event again after 2 s (not a minute), so a broker restarted
# empty costs the test seconds.
CONFIRM_DEADLINE = {"EVENTS_CONFIRM_DEADLINE": "2"}
# The seconds within which a deleted person's token and portal session must fail.
REVOCATION_DEADLINE = 15


class ErasurePlatform(Platform):
    """The portal tests' platform, with publishers that re-send unconfirmed events quickly."""

    def start(self) -> ErasurePlatform:
        redis.Redis.from_url(os.environ["REDIS_URL"]).flushall()
        self.server.start()
        for service in (*CONSUMERS, "members"):
            self.workers.append(
                Worker(service, name=f"{service}-erasure@%h", extra_env=CONFIRM_DEADLINE).start()
            )
        self.workers.append(
            Worker(
                "notifications",
                queues="webhooks",
                pool="threads",
                concurrency=4,
                name="webhooks-erasure@%h",
                extra_env={**WEBHOOK_ENV, **CONFIRM_DEADLINE},
            ).start()
        )
        return self


@pytest.fixture(scope="module")
def platform(members_app):
    running = ErasurePlatform(members_app).start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def portal(platform):
    from services.portal import create_app

    return create_app({"TESTING": True, "PORTAL_API_URL": platform.url})


@pytest.fixture
def make(platform, members_app):
    with members_app.app_context():
        yield Factories(members_app)


@pytest.fixture
def sink():
    running = Sink()
    yield running
    running.stop()


class Api:
    """Each service's API as a token holder calls it (in process, the apps the platform serves)."""

    def __init__(self, platform):
        self.clients = {name: app.test_client() for name, app in platform.apps.items()}

    def call(self, service, method, path, token=None, **kwargs):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.clients[service].open(
            f"{API[service]}{path}", method=method, headers=headers, **kwargs
        )

    def ok(self, service, method, path, token=None, status=(200, 201, 202), **kwargs):
        response = self.call(service, method, path, token, **kwargs)
        assert response.status_code in status, (method, path, response.get_json())
        return response.get_json()

    def sign_in(self, email, password=PASSWORD) -> str:
        """An access token from members' token endpoint, as any client gets one."""
        token = self.ok(
            "members",
            "POST",
            "/auth/token",
            data={"grant_type": "password", "username": email, "password": password},
        )
        return token["access_token"]


class World:
    """Who takes part: the person's organisation and its other admin, another organisation
    and its admin, platform staff; and everything the person leaves behind, by id."""

    def __init__(self, make, platform, api, sink, tag):
        self.make, self.platform, self.api, self.sink = make, platform, api, sink
        self.name = f"刘洋 Liu Yang-{tag}"
        self.email = f"liu.yang.{tag}@home-photonics.example"
        self.home, self.colleague = make.registered(name=f"Home Photonics {tag}")
        self.other, self.other_admin = make.registered(name=f"Other Lab {tag}")
        self.staff = make.platform_admin(full_name=f"Platform Staff {tag}")
        self.ids: dict[str, list[str]] = {
            "organisation_id": [str(self.home.id), str(self.other.id)]
        }
        self.tokens: dict[str, str] = {}

    def token_of(self, user) -> str:
        """A token from members' token endpoint, one per person for the whole test."""
        if user.email not in self.tokens:
            self.tokens[user.email] = self.api.sign_in(user.email)
        return self.tokens[user.email]

    def settle(self) -> None:
        self.platform.settle(timeout=60)


def leave_traces(world: World) -> dict:
    """The person joins by invitation and acts in every service; what they did, by id."""
    api, make, sink = world.api, world.make, world.sink
    colleague, other_admin = world.token_of(world.colleague), world.token_of(world.other_admin)
    staff = world.token_of(world.staff)
    world.settle()
    endpoints = []
    body = {"url": sink.url, "description": "CRM"}
    for org, token in ((world.home, colleague), (world.other, other_admin)):
        path = f"/organisations/{org.id}/webhooks"
        endpoints.append((str(org.id), api.ok("notifications", "POST", path, token, json=body)))

    # Joined by invitation, as an admin of their organisation.
    _invitation, invitation_token = make.invitation(
        world.home, world.colleague, email=world.email, role="org_admin"
    )
    api.ok(
        "members",
        "POST",
        "/invitations/accept",
        json={"token": invitation_token, "full_name": world.name, "password": PASSWORD},
    )
    person = api.sign_in(world.email)
    me = api.ok("members", "GET", "/me", person)
    world.settle()
    # A second webhook endpoint of their organisation, added by them.
    path = f"/organisations/{world.home.id}/webhooks"
    added = api.ok("notifications", "POST", path, person, json={**body, "description": "ERP"})
    endpoints.append((str(world.home.id), added))
    world.ids["endpoint_id"] = [e["id"] for _, e in endpoints]
    world.endpoints = endpoints

    # A project of their own, opened, an application to it decided by them, then started.
    from tests.projects.factories import project_body

    own = api.ok("projects", "POST", "/projects", person, json=project_body())
    api.ok(
        "projects", "POST", f"/projects/{own['id']}/transitions", person, json={"to_state": "open"}
    )
    theirs = world.platform.open_project({"Authorization": f"Bearer {other_admin}"})
    world.settle()
    incoming = api.ok(
        "projects",
        "POST",
        f"/projects/{own['id']}/applications",
        other_admin,
        json={"message": "Our lab measures lidar drift."},
    )
    decided = api.ok(
        "projects",
        "POST",
        f"/applications/{incoming['id']}/decision",
        person,
        json={"decision": "accepted", "reason": "Your drift data fits.", "role": "lead"},
    )
    api.ok(
        "projects",
        "POST",
        f"/projects/{own['id']}/transitions",
        person,
        json={"to_state": "active"},
    )
    # An application to another organisation's project, with a message, decided by them.
    message = "We bring twelve years of photonics sensors."
    sent = api.ok(
        "projects",
        "POST",
        f"/projects/{theirs['id']}/applications",
        person,
        json={"message": message},
    )
    api.ok(
        "projects",
        "POST",
        f"/applications/{sent['id']}/decision",
        other_admin,
        json={"decision": "accepted", "reason": "Welcome aboard.", "role": "partner"},
    )

    # An event staff published, which they register for; news they wrote, submitted, approved.
    event_body = {
        "kind": "event",
        "title": {"en": "Cooperation forum"},
        "summary": {"en": "A day of partners."},
        "body": {"en": "Talks and meetings."},
        "audience": {"scope": "public"},
        "starts_at": "2027-03-10T09:30:00",
        "ends_at": "2027-03-10T17:00:00",
        "timezone": "Europe/Paris",
        "place": "Sophia Antipolis",
        "capacity": 50,
    }
    event = api.ok("announcements", "POST", "/announcements", staff, json=event_body)
    api.ok("announcements", "POST", f"/announcements/{event['id']}/publish", staff, json={})
    world.settle()
    registration = api.ok(
        "announcements", "POST", f"/announcements/{event['id']}/registrations", person
    )
    news_body = {
        "kind": "news",
        "title": {"en": "Our photonics lab opens"},
        "summary": {"en": "A new lab."},
        "body": {"en": "Come and see it."},
        "audience": {"scope": "public"},
        "author_organisation_id": str(world.home.id),
    }
    news = api.ok("announcements", "POST", "/announcements", person, json=news_body)
    submitted = api.ok(
        "announcements", "POST", f"/announcements/{news['id']}/publish", person, json={}
    )
    assert submitted["status"] == "pending"
    api.ok("announcements", "POST", f"/announcements/{news['id']}/approve", staff, json={})

    # Their choices in notifications, and an API client for their organisation.
    api.ok(
        "notifications",
        "PATCH",
        "/preferences",
        person,
        json={
            "categories": {"projects": "daily"},
            "quiet_hours": {"start": "22:00", "end": "07:00"},
        },
    )
    client = api.ok(
        "members",
        "POST",
        f"/organisations/{world.home.id}/clients",
        person,
        json={"name": "Liu's CRM link", "scopes": ["directory:read"]},
    )
    world.settle()
    inbox = wait_until(
        lambda: api.ok("notifications", "GET", "/inbox", person)["items"], timeout=30
    )
    # The webhooks have told both organisations what happened (member.joined at home).
    wait_until(lambda: any(world.email.encode() in r["body"] for r in sink.requests), timeout=30)

    world.ids.update(
        project_id=[own["id"], theirs["id"]],
        application_id=[incoming["id"], sent["id"]],
        announcement_id=[event["id"], news["id"]],
        export_id=[],
    )
    return {
        "token": person,
        "me": me,
        "own_project": own,
        "incoming": incoming,
        "decided": decided,
        "sent": sent,
        "message": message,
        "event": event,
        "registration": registration,
        "news": news,
        "client": client,
        "inbox": inbox,
    }


# --- The export -------------------------------------------------------------------------------


def exported(world: World, traces: dict) -> zipfile.ZipFile:
    api, token = world.api, traces["token"]
    created = api.ok("members", "POST", "/me/exports", token)
    status = wait_until(
        lambda: (
            (s := api.ok("members", "GET", f"/me/exports/{created['id']}", token))["status"]
            == "ready"
            and s
        ),
        timeout=60,
    )
    world.ids["export_id"] = [created["id"]]
    download = api.clients["members"].get(
        status["download_url"], headers={"Authorization": f"Bearer {token}"}
    )
    assert download.status_code == 200 and download.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(download.data))


def check_the_archive(archive: zipfile.ZipFile, world: World, traces: dict) -> None:
    def load(name):
        return json.loads(archive.read(name))

    folders = {name.split("/")[0] for name in archive.namelist() if "/" in name}
    assert folders == set(PUBLISHERS)
    for folder in folders:
        readme = archive.read(f"{folder}/README.txt").decode()
        for name in archive.namelist():
            if name.startswith(f"{folder}/") and name.endswith(".json"):
                assert f"{name.split('/', 1)[1]}: " in readme, name

    profile = load("members/profile.json")
    assert (profile["full_name"], profile["email"]) == (world.name, world.email)
    assert load("members/membership.json")["organisation_id"] == str(world.home.id)
    assert [c["client_id"] for c in load("members/clients_created.json")] == [
        traces["client"]["client_id"]
    ]
    assert "secret_hash" not in json.dumps(load("members/clients_created.json"))

    own = traces["own_project"]["id"]
    changes = load("projects/state_changes.json")
    assert {(c["project_id"], c["to_state"]) for c in changes} >= {
        (own, "open"),
        (own, "active"),
    }
    assert [p["id"] for p in load("projects/projects_created.json")] == [own]
    [sent] = load("projects/applications_submitted.json")
    assert (sent["id"], sent["message"]) == (traces["sent"]["id"], traces["message"])
    [decided] = load("projects/applications_decided.json")
    assert (decided["id"], decided["status"]) == (traces["incoming"]["id"], "accepted")

    [registration] = load("announcements/registrations.json")
    assert registration["announcement_id"] == traces["event"]["id"]
    [news] = load("announcements/announcements_written.json")
    assert news["id"] == traces["news"]["id"] and news["title"]["en"] == "Our photonics lab opens"

    inbox = load("notifications/inbox.json")
    assert {i["id"] for i in traces["inbox"]} <= {i["id"] for i in inbox}
    preferences = {p["category"]: p["mode"] for p in load("notifications/preferences.json")}
    assert preferences["projects"] == "daily"
    [quiet] = load("notifications/quiet_hours.json")
    assert (quiet["start_minute"], quiet["end_minute"]) == (22 * 60, 7 * 60)
    [endpoint] = load("notifications/webhook_endpoints_created.json")
    assert endpoint["id"] == world.ids["endpoint_id"][-1] and endpoint["description"] == "ERP"
    page = archive.read("index.html").decode()
    assert world.name in page and traces["message"] in page


# --- What others can reach --------------------------------------------------------------------


def spellings(*values: str) -> set[str]:
    """Every way a response may write a value: as is, JSON-escaped, percent-encoded."""
    found = set()
    for value in values:
        found |= {value, json.dumps(value)[1:-1], quote(value), quote(value, safe="")}
    return found


def unfolded(text: str) -> str:
    """iCalendar folds long lines; a name cut by a fold is still a name."""
    return text.replace("\r\n ", "").replace("\r\n\t", "").replace("\n ", "")


def get_routes(app, prefix: str):
    """The rules of `app` a GET reaches, whose path starts with `prefix`."""
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and rule.rule.startswith(prefix) and "static" not in rule.endpoint:
            yield rule


CHOICES = {"language": ["en", "fr", "zh"], "fmt": ["rss", "atom"]}


def urls(app, prefix: str, ids: dict[str, list[str]]):
    """Every GET URL of `app` under `prefix`, with each path parameter set to each known id."""
    adapter = app.url_map.bind("localhost")
    for rule in get_routes(app, prefix):
        names = sorted(rule.arguments)
        if any(not (ids.get(n) or CHOICES.get(n)) for n in names):
            continue
        for values in itertools.product(*(ids.get(n) or CHOICES[n] for n in names)):
            yield adapter.build(rule.endpoint, dict(zip(names, values, strict=True)))


def mentions(text: str, needles: set[str]) -> bool:
    text = unfolded(text)
    return any(needle in text for needle in needles)


def api_leaks(world: World, readers: dict[str, str | None], needles) -> list[str]:
    found = []
    for service, app in world.platform.apps.items():
        client = app.test_client()
        for url in urls(app, API[service], world.ids):
            if url.endswith(("/openapi.json", "/docs")) or "/docs/" in url:
                continue
            for who, token in readers.items():
                headers = {"Authorization": f"Bearer {token}"} if token else {}
                response = client.get(url, headers=headers)
                assert response.status_code < 500, (who, url, response.status_code)
                if mentions(response.get_data(as_text=True), needles):
                    found.append(f"{who} GET {url} ({response.status_code})")
    return found


def portal_leaks(portal, browsers: dict[str, Browser], ids, needles) -> list[str]:
    found = []
    for url in urls(portal, "/", ids):
        if url.startswith(("/sign-out", "/metrics", "/healthz", "/readyz")):
            continue
        for who, browser in browsers.items():
            response = browser.get(url)
            assert response.status_code < 500, (who, url, response.status_code)
            if mentions(response.get_data(as_text=True), needles):
                found.append(f"{who} portal {url} ({response.status_code})")
    return found


def wait_dispatching(check, timeout: float):
    """`wait_until(check)`, sending the periodic webhook dispatch once a second as beat would
    (a batch asked for by the API may be lost when the broker restarted empty)."""
    from shared.events import publisher

    last = [0.0]

    def dispatched_check():
        if time.monotonic() - last[0] >= 1.0:
            publisher.producer().send_task(
                "notifications.dispatch_due_webhooks", queue="notifications"
            )
            last[0] = time.monotonic()
        return check()

    return wait_until(dispatched_check, timeout=timeout)


def signed_in(portal, world: World) -> dict[str, Browser]:
    """A portal session of each reader, and an anonymous visitor's."""
    browsers = {"anonymous": Browser(portal.test_client())}
    for who, user in (
        ("colleague", world.colleague),
        ("other admin", world.other_admin),
        ("staff", world.staff),
    ):
        browsers[who] = Browser(portal.test_client())
        browsers[who].sign_in(user.email)
    return browsers


def replay_everything(world: World, tokens: dict[str, str]) -> list[str]:
    """Replay every message of both organisations' endpoints; what the sink then receives."""
    before = len(world.sink.requests)
    replayed = []
    for org_id, endpoint in world.endpoints:
        token = tokens[org_id]
        path = f"/organisations/{org_id}/webhooks/{endpoint['id']}"
        messages = world.api.ok("notifications", "GET", f"{path}/messages", token)
        for message in messages["items"] if isinstance(messages, dict) else messages:
            response = world.api.call(
                "notifications", "POST", f"{path}/messages/{message['id']}/replay", token
            )
            assert response.status_code in (202, 409), response.get_json()
            if response.status_code == 202:
                replayed.append(message["id"])
    assert replayed, "no message to replay"

    def arrived():
        ids = {
            r["headers"].get("webhook-id") or r["headers"].get("Webhook-Id")
            for r in world.sink.requests[before:]
        }
        return set(replayed) <= ids

    try:
        # Generous: a message leased by a batch that Redis lost waits out its lease first.
        wait_dispatching(arrived, timeout=180)
    except AssertionError as exc:
        states = []
        for org_id, endpoint in world.endpoints:
            path = f"/organisations/{org_id}/webhooks/{endpoint['id']}/messages"
            listed = world.api.ok("notifications", "GET", path, tokens[org_id])
            states += [
                {k: m.get(k) for k in ("id", "status", "attempt_count", "next_attempt_at")}
                for m in (listed["items"] if isinstance(listed, dict) else listed)
                if m["id"] in replayed
            ]
        raise AssertionError(f"replayed messages not received: {states}") from exc
    return [r["body"].decode(errors="replace") for r in world.sink.requests[before:]]


# --- The test ---------------------------------------------------------------------------------


def settled() -> bool:
    return all(unconfirmed(service) == 0 for service in PUBLISHERS)


def refused_everywhere(api: Api, token: str, world: World, traces: dict) -> bool:
    """Whether the old token fails for reads and writes in each of the four services."""
    own, event = traces["own_project"]["id"], traces["event"]["id"]
    tries = [
        ("members", "GET", "/me", {}),
        ("projects", "GET", f"/projects/{own}", {}),
        ("projects", "POST", f"/projects/{own}/transitions", {"json": {"to_state": "completed"}}),
        ("announcements", "GET", "/announcements/mine", {}),
        ("announcements", "POST", f"/announcements/{event}/registrations", {}),
        ("notifications", "GET", "/inbox", {}),
        ("notifications", "PATCH", "/preferences", {"json": {"categories": {"projects": "off"}}}),
    ]
    return all(
        api.call(service, method, path, token, **kwargs).status_code == 401
        for service, method, path, kwargs in tries
    )


@pytest.mark.parametrize("redis_lost", [False, True], ids=["redis-up", "redis-restarted-empty"])
def test_a_person_in_every_service_is_exported_then_erased_from_all_others_can_reach(
    platform, portal, make, sink, redis_server, redis_lost
):
    api = Api(platform)
    world = World(make, platform, api, sink, uuid.uuid4().hex[:6])
    traces = leave_traces(world)
    check_the_archive(exported(world, traces), world, traces)

    session = Browser(portal.test_client())
    session.sign_in(world.email)
    assert world.name in session.get("/dashboard").get_data(as_text=True)
    needles = spellings(world.name, world.email)

    readers = {
        "colleague": world.token_of(world.colleague),
        "other admin": world.token_of(world.other_admin),
        "staff": world.token_of(world.staff),
        "anonymous": None,
    }
    if not redis_lost:
        # The sweeps see the person where others legitimately saw them before the erasure.
        members_list = f"/api/members/v1/organisations/{world.home.id}/members"
        attendees = f"/announcements/{traces['event']['id']}/attendees.csv"
        assert f"colleague GET {members_list} (200)" in api_leaks(world, readers, needles)
        assert f"staff portal {attendees} (200)" in portal_leaks(
            portal, signed_in(portal, world), world.ids, needles
        )

    deleted = api.call("members", "DELETE", "/me", traces["token"], json={"password": PASSWORD})
    assert deleted.status_code == 204, deleted.get_json()
    if redis_lost:
        redis_server.restart_empty()
    from services.members.domain.personal_data import exports_dir

    assert not exports_dir(traces["me"]["id"]).exists()
    # Refused within seconds, reads and writes, in every service; the portal session too.
    wait(
        lambda: refused_everywhere(api, traces["token"], world, traces), timeout=REVOCATION_DEADLINE
    )
    wait(
        lambda: session.get("/dashboard").headers.get("Location", "").startswith("/sign-in"),
        timeout=REVOCATION_DEADLINE,
    )
    assert not mentions(session.get("/").get_data(as_text=True), needles)
    history = api.ok(
        "projects",
        "GET",
        f"/projects/{traces['own_project']['id']}/history",
        world.token_of(world.colleague),
    )
    assert not any(h.get("to_state") == "completed" for h in _items(history))

    wait(
        lambda: (
            all(
                row(s, "ForgottenPerson", uuid.UUID(traces["me"]["id"]))
                for s in ("notifications", "announcements")
            )
            and settled()
            and not platform.pending()
        ),
        timeout=120,
    )

    # Nothing any service keeps names them; their id stays only where integrity needs it: the
    # "not before" that refuses their tokens, the events kept in outboxes, and the mark that
    # keeps a late event from bringing their copy back. (SQLite stores a UUID as 32 hex digits.)
    assert everything_said_about([world.name, world.email]) == []
    ids = [traces["me"]["id"], uuid.UUID(traces["me"]["id"]).hex]
    where_id = {name.split(".", 1)[1] for name in everything_said_about(ids)}
    assert where_id <= {"access_revocations", "outbox", "forgotten_users"}
    needles |= spellings(*ids)
    assert api_leaks(world, readers, needles) == []
    # Signed in afresh: sessions opened before a broker restarted empty are gone with it.
    assert portal_leaks(portal, signed_in(portal, world), world.ids, needles) == []

    tokens = {str(world.home.id): readers["colleague"], str(world.other.id): readers["other admin"]}
    sent_again = replay_everything(world, tokens)
    assert [body for body in sent_again if mentions(body, needles)] == []
    # The application message the person wrote stays with the organisation that received it.
    application = api.ok(
        "projects", "GET", f"/applications/{traces['sent']['id']}", readers["other admin"]
    )
    assert application["message"] == traces["message"]


def _items(page):
    return page["items"] if isinstance(page, dict) else page
