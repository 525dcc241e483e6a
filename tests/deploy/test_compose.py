"""docker-compose.yml: valid for Compose, and in step with the services that exist in the code."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import jsonschema
import pytest

from tests.deploy.support import (
    COMPOSE_FILE,
    REPO_ROOT,
    celery_worker,
    command_args,
    gunicorn_app,
    load_compose,
    service_packages,
)


def compose_schema_path() -> Path:
    configured = os.environ.get("COMPOSE_SPEC_SCHEMA")
    # A copy of the team's schema (../shared/schemas/) is kept here, so a clone anywhere checks.
    return Path(configured) if configured else Path(__file__).parent / "schemas/compose-spec.json"


@pytest.fixture(scope="module")
def compose() -> dict:
    return load_compose()


@pytest.fixture(scope="module")
def services(compose) -> dict[str, dict]:
    return compose["services"]


def web_entries(services: dict) -> dict[str, str]:
    """compose service -> the WSGI app its gunicorn serves."""
    return {
        name: app
        for name, spec in services.items()
        if (app := gunicorn_app(command_args(spec.get("command"))))
    }


def worker_entries(services: dict) -> dict[str, tuple[str, set[str], str]]:
    return {
        name: worker
        for name, spec in services.items()
        if (worker := celery_worker(command_args(spec.get("command"))))
    }


def test_compose_file_is_valid_against_the_compose_specification(compose):
    schema_path = compose_schema_path()
    assert schema_path.is_file(), (
        f"compose schema not found at {schema_path}; set COMPOSE_SPEC_SCHEMA to its path"
    )
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    errors = sorted(validator.iter_errors(compose), key=lambda error: list(error.path))
    assert not errors, "\n".join(
        f"{'/'.join(map(str, error.path)) or '<root>'}: {error.message}" for error in errors
    )


def test_every_service_package_has_a_gunicorn_web_entry_of_its_own_name(services):
    webs = web_entries(services)
    for package in service_packages():
        assert package.name in services, f"no compose service for services/{package.name}"
        assert webs.get(package.name) == f"services.{package.name}:create_app()", (
            f"compose service {package.name!r} does not run gunicorn on "
            f"services.{package.name}:create_app()"
        )
        args = command_args(services[package.name]["command"])
        assert args[1:3] == ["-c", "deploy/gunicorn.conf.py"], args


def test_every_queue_of_the_code_has_a_worker_running_its_services_celery_app(services):
    workers = worker_entries(services)
    for package in service_packages():
        for queue in sorted(package.queues):
            consumers = [
                name
                for name, (app, queues, _node) in workers.items()
                if app == package.celery_app and queue in queues
            ]
            assert consumers, f"no compose worker runs {package.celery_app} on the {queue} queue"


def test_every_worker_consumes_a_queue_of_a_service_that_exists(services):
    packages = {package.celery_app: package for package in service_packages()}
    for name, (app, queues, _node) in worker_entries(services).items():
        module = app.split(":")[0].split(".")
        if len(module) < 2 or not (REPO_ROOT / "services" / module[1]).is_dir():
            continue  # a planned service, not in this checkout yet
        assert app in packages, f"{name}: {app} is not a service's tasks module"
        assert queues, f"{name} names no queue with -Q: it would consume the default one"
        assert queues <= packages[app].queues, f"{name} consumes {queues - packages[app].queues}"


def test_each_worker_health_check_pings_the_node_name_its_command_gives(services):
    for name, (_app, _queues, node) in worker_entries(services).items():
        assert node.endswith("@%h"), f"{name}: name the node <queue>@%h, not {node!r}"
        test = " ".join(command_args(services[name].get("healthcheck", {}).get("test")))
        expected = f"-d {node.removesuffix('@%h')}@$$HOSTNAME"
        assert "inspect ping" in test and expected in test, (
            f"{name}'s health check must ping {expected}: {test!r}"
        )


def test_the_webhooks_worker_uses_a_concurrent_pool(services):
    webhooks = [
        name
        for name, (_app, queues, _node) in worker_entries(services).items()
        if "webhooks" in queues
    ]
    assert webhooks
    for name in webhooks:
        args = command_args(services[name]["command"])
        assert args[args.index("-P") + 1] in ("threads", "gevent", "eventlet"), args


def test_exactly_one_beat_and_it_is_never_scaled(services):
    beats = [
        name
        for name, spec in services.items()
        if "beat" in command_args(spec.get("command"))
        and command_args(spec.get("command"))[0] == "celery"
    ]
    assert beats == ["beat"], beats
    assert "deploy" not in services["beat"] or services["beat"]["deploy"].get("replicas", 1) == 1


def test_migrate_upgrades_every_service_database_before_the_platform_starts(services):
    migrate = services["migrate"]
    script = " ".join(command_args(migrate["command"]))
    loop = re.search(r"for \w+ in ([a-z ]+);", script)
    migrated = set(loop.group(1).split()) if loop else set()
    migrated |= set(re.findall(r"--app services\.([a-z_]+) db-upgrade", script))
    for package in service_packages():
        if package.has_database:
            assert package.name in migrated, f"migrate does not upgrade {package.name}"
    assert migrate.get("restart") == "no"
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in [*web_entries(services), *worker_entries(services)]:
        condition = services[name].get("depends_on", {}).get("migrate", {}).get("condition")
        assert condition == "service_completed_successfully", f"{name} does not wait for migrate"


def test_postgres_creates_a_database_for_every_service_with_migrations(services):
    postgres = services["postgres"]
    databases = set(postgres["environment"]["PLATFORM_DATABASES"].split())
    for package in service_packages():
        if package.has_database:
            assert package.name in databases
    mounts = " ".join(postgres["volumes"])
    assert "./deploy/postgres/init-databases.sh:/docker-entrypoint-initdb.d/" in mounts
    assert (REPO_ROOT / "deploy/postgres/init-databases.sh").is_file()


def test_every_long_running_container_has_a_health_check_and_a_restart_policy(services):
    for name, spec in services.items():
        if spec.get("restart") == "no":
            continue
        assert spec.get("healthcheck", {}).get("test"), f"{name} has no health check"
        assert spec.get("restart") in ("unless-stopped", "always", "on-failure"), name


def test_dependencies_wait_for_health_not_just_for_start(services):
    for name, spec in services.items():
        depends_on = spec.get("depends_on", {})
        assert isinstance(depends_on, dict), f"{name}: depends_on needs conditions"
        for dependency, rule in depends_on.items():
            expected = (
                "service_completed_successfully"
                if services[dependency].get("restart") == "no"
                else "service_healthy"
            )
            assert rule.get("condition") == expected, f"{name} -> {dependency}"


def test_redis_persists_every_write_and_data_lives_in_named_volumes(compose, services):
    assert "--appendonly" in services["redis"]["command"]
    assert services["redis"]["command"][services["redis"]["command"].index("--appendonly") + 1] == (
        "yes"
    )
    for name, target in (("postgres", "/var/lib/postgresql/data"), ("redis", "/data")):
        volume = next(v for v in services[name]["volumes"] if v.endswith(f":{target}"))
        assert volume.split(":")[0] in compose["volumes"], f"{name} data is not in a named volume"


def test_only_the_gateway_is_published_and_its_port_is_configurable(services):
    published = {
        name: spec["ports"]
        for name, spec in services.items()
        if spec.get("ports") and not spec.get("profiles")
    }
    assert list(published) == ["gateway"], published
    assert any("${GATEWAY_PORT:-8000}:8000" in str(port) for port in published["gateway"])


def test_mail_catcher_is_a_dev_tool_and_flower_an_ops_tool(services):
    assert services["mailpit"]["profiles"] == ["dev"]
    assert services["flower"]["profiles"] == ["ops"]
    assert services["seed"]["profiles"] == ["dev"]
    assert command_args(services["seed"]["command"])[-1] == "seed-demo"


def test_application_containers_read_settings_from_env_file_and_carry_no_secrets(services):
    secret_names = re.compile(r"SECRET|PASSWORD|DATABASE_URL|TOKEN")
    for name, spec in services.items():
        if not str(spec.get("image", "")).startswith("${PLATFORM_IMAGE"):
            continue
        assert spec.get("env_file") == [".env"], f"{name} does not read .env"
        for variable, value in (spec.get("environment") or {}).items():
            assert not secret_names.search(variable), (
                f"{name} sets {variable} in compose: {value!r}"
            )


def test_compose_variables_that_must_be_set_are_documented(services):
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    operations = (REPO_ROOT / "docs/operations.md").read_text(encoding="utf-8")
    for variable in sorted(set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", text))):
        assert variable in operations, f"docs/operations.md does not explain {variable}"
